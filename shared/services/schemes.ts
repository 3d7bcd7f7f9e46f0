/** Scheme bodies as stored definitions, with every benchmark standard in the catalogue. */
import type * as z from 'zod/mini';
import type { SchemeDefinition } from '../domain/scheme.ts';
import { validationFailed, type FieldIssue } from '../http/errors.ts';
import type { SchemeBody } from '../schemas/schemes.ts';
import { existingStandardNumbers } from '../store/standards.ts';

export async function toSchemeDefinition(body: z.output<typeof SchemeBody>): Promise<SchemeDefinition> {
  const numbers = body.indicators.flatMap((indicator) => indicator.benchmarks.map((b) => b.standard));
  const known = await existingStandardNumbers(numbers);
  const issues: FieldIssue[] = [];
  body.indicators.forEach((indicator, i) =>
    indicator.benchmarks.forEach((benchmark, j) => {
      if (!known.has(benchmark.standard)) {
        issues.push({
          path: ['indicators', i, 'benchmarks', j, 'standard'],
          code: 'unknown_standard',
          params: { number: benchmark.standard },
        });
      }
    }),
  );
  if (issues.length > 0) throw validationFailed(issues);
  return {
    name: body.name,
    productCategory: body.productCategory,
    industry: body.industry,
    field: body.field,
    leaderShare: body.leaderShare,
    indicators: body.indicators.map((indicator) => ({
      code: indicator.code,
      name: indicator.name,
      ...(indicator.unit ? { unit: indicator.unit } : {}),
      requirement: indicator.requirement,
      core: indicator.core,
      weight: indicator.weight,
      ...(indicator.levels ? { levels: indicator.levels } : {}),
      benchmarks: indicator.benchmarks,
    })),
  };
}

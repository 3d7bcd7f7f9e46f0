/** Only for the OpenAPI document (see openapi.ts): no function imports this module. */
import * as z from 'zod';
import { Id } from './common.ts';
import { Timestamp } from './common.docs.ts';
import { BenchmarkValue } from './schemes.ts';

const Verdict = z.enum(['stricter', 'equal', 'looser', 'incomparable']).meta({
  description: 'stricter 优于, equal 等同, looser 低于, incomparable 不可比',
});

export const Comparison = z
  .object({
    id: Id,
    declarationId: z.string(),
    schemeVersion: z.number().int().nullable().meta({ description: 'The scheme version compared against' }),
    status: z.enum(['running', 'succeeded', 'failed']),
    error: z
      .object({ code: z.string(), message: z.string() })
      .optional()
      .meta({ description: 'Why it failed' }),
    result: z
      .object({
        meets: z.boolean(),
        level: z.enum(['superior', 'partially_superior', 'equivalent', 'below']),
        consistency: z.number().nullable(),
        score: z.number(),
        indicators: z.array(
          z.object({
            code: z.string(),
            verdict: Verdict,
            declared: z.nullable(BenchmarkValue).meta({ description: "In the scheme's unit" }),
            unit: z.string().nullable(),
            benchmark: z.object({ standard: z.string(), value: BenchmarkValue }),
            gap: z.number().nullable(),
            perBenchmark: z.array(z.object({ standard: z.string(), value: BenchmarkValue, verdict: Verdict })),
          }),
        ),
      })
      .optional(),
    report: z
      .object({
        html: z.string().meta({ description: 'Short-lived URL of the HTML report' }),
        json: z.string().meta({ description: 'Short-lived URL of the JSON report' }),
        language: z.enum(['zh', 'en']),
      })
      .optional(),
    createdAt: Timestamp,
    completedAt: Timestamp.optional(),
  })
  .meta({ id: 'Comparison' });

export const ComparisonStarted = z
  .object({ comparisonId: Id })
  .meta({ id: 'ComparisonStarted', description: 'Poll GET /v1/comparisons/{comparisonId}' });

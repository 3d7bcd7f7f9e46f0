import * as z from 'zod/mini';
import { schemeIndicatorIssues } from '../domain/scheme.ts';
import { Cursor, Field, Id, Industry, Limit, StandardNumber, Text } from './common.ts';

export const Requirement = z.enum(['min', 'max', 'range', 'levels', 'boolean']);

export const BenchmarkValue = z
  .union([
    z.number(),
    z.tuple([z.number(), z.number()]),
    z.string().check(z.trim(), z.minLength(1), z.maxLength(32)),
    z.boolean(),
  ])
  .register(z.globalRegistry, {
    id: 'IndicatorValue',
    description: 'A number (min, max), [low, high] (range), a grade from levels, or a boolean',
  });

const IndicatorCode = z
  .string()
  .check(z.trim(), z.regex(/^[A-Za-z][A-Za-z0-9_.-]{0,31}$/))
  .register(z.globalRegistry, { description: 'Letters, digits, _ . -; starts with a letter', example: 'efficacy' });

export const SchemeIndicatorInput = z.strictObject({
  code: IndicatorCode,
  name: Text(200),
  unit: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(32))),
  requirement: Requirement,
  core: z._default(z.boolean(), false),
  weight: z._default(z.number().check(z.gt(0), z.lte(1000)), 1),
  levels: z.optional(
    z.array(z.string().check(z.trim(), z.minLength(1), z.maxLength(32))).check(z.minLength(1), z.maxLength(20)),
  ),
  benchmarks: z
    .array(z.strictObject({ standard: StandardNumber, value: BenchmarkValue }))
    .check(z.minLength(1), z.maxLength(20)),
});

export const SchemeBody = z
  .strictObject({
    name: Text(200),
    productCategory: Text(200),
    industry: Industry,
    field: Field,
    leaderShare: z._default(z.number().check(z.gt(0), z.lte(1)), 0.1),
    indicators: z.array(SchemeIndicatorInput).check(z.minLength(1), z.maxLength(200)),
  })
  .check(
    z.superRefine((scheme, ctx) => {
      for (const issue of schemeIndicatorIssues(scheme.indicators)) {
        ctx.addIssue({
          code: 'custom',
          path: issue.path,
          message: issue.code,
          params: { code: issue.code, ...issue.params },
        });
      }
    }),
  )
  .register(z.globalRegistry, { id: 'SchemeRequest' });

export const ListSchemesQuery = z.object({
  field: z.optional(Field),
  industry: z.optional(Industry),
  limit: Limit,
  cursor: Cursor,
});

export const SchemeParams = z.object({ id: Id });

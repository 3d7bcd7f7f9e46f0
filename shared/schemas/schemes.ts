import * as z from 'zod';
import { schemeIndicatorIssues } from '../domain/scheme.ts';
import { Cursor, Field, Id, Industry, Limit, StandardNumber, Text } from './common.ts';

export const Requirement = z.enum(['min', 'max', 'range', 'levels', 'boolean']);

export const BenchmarkValue = z
  .union([z.number(), z.tuple([z.number(), z.number()]), z.string().trim().min(1).max(32), z.boolean()])
  .meta({
    id: 'IndicatorValue',
    description: 'A number (min, max), [low, high] (range), a grade from levels, or a boolean',
  });

const IndicatorCode = z
  .string()
  .trim()
  .regex(/^[A-Za-z][A-Za-z0-9_.-]{0,31}$/)
  .meta({ description: 'Letters, digits, _ . -; starts with a letter', example: 'efficacy' });

export const SchemeIndicatorInput = z
  .object({
    code: IndicatorCode,
    name: Text(200),
    unit: z.string().trim().min(1).max(32).optional(),
    requirement: Requirement,
    core: z.boolean().default(false),
    weight: z.number().positive().max(1000).default(1),
    levels: z.array(z.string().trim().min(1).max(32)).min(1).max(20).optional(),
    benchmarks: z
      .array(z.object({ standard: StandardNumber, value: BenchmarkValue }).strict())
      .min(1)
      .max(20),
  })
  .strict();

export const SchemeBody = z
  .object({
    name: Text(200),
    productCategory: Text(200),
    industry: Industry,
    field: Field,
    leaderShare: z.number().gt(0).max(1).default(0.1),
    indicators: z.array(SchemeIndicatorInput).min(1).max(200),
  })
  .strict()
  .superRefine((scheme, ctx) => {
    for (const issue of schemeIndicatorIssues(scheme.indicators)) {
      ctx.addIssue({
        code: 'custom',
        path: issue.path,
        message: issue.code,
        params: { code: issue.code, ...issue.params },
      });
    }
  })
  .meta({ id: 'SchemeRequest' });

export const ListSchemesQuery = z.object({
  field: Field.optional(),
  industry: Industry.optional(),
  limit: Limit,
  cursor: Cursor,
});

export const SchemeParams = z.object({ id: Id });

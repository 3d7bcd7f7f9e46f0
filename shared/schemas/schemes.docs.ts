/** Only for the OpenAPI document (see openapi.ts): no function imports this module. */
import * as z from 'zod';
import { Field, Id } from './common.ts';
import { Timestamp } from './common.docs.ts';
import { BenchmarkValue, Requirement } from './schemes.ts';

export const SchemeIndicator = z.object({
  code: z.string(),
  name: z.string(),
  unit: z.string().optional(),
  requirement: Requirement,
  core: z.boolean(),
  weight: z.number(),
  levels: z.array(z.string()).optional(),
  benchmarks: z.array(z.object({ standard: z.string(), value: BenchmarkValue })),
});

export const Scheme = z
  .object({
    id: Id,
    version: z.number().int(),
    name: z.string(),
    productCategory: z.string(),
    industry: z.string(),
    field: Field,
    leaderShare: z.number(),
    indicators: z.array(SchemeIndicator),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: 'Scheme' });

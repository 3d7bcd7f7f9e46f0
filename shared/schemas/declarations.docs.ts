/** Only for the OpenAPI document (see openapi.ts): no function imports this module. */
import * as z from 'zod';
import { Id } from './common.ts';
import { Timestamp } from './common.docs.ts';
import { DeclarationStatus } from './declarations.ts';
import { BenchmarkValue } from './schemes.ts';

export const DeclaredIndicator = z.object({
  code: z.string(),
  value: BenchmarkValue.check(z.meta({ description: "In the scheme's unit" })),
  unit: z.string().optional(),
  original: z
    .object({ value: BenchmarkValue, unit: z.string() })
    .optional()
    .meta({ description: 'As declared, when another unit was given' }),
});

export const Declaration = z
  .object({
    id: Id,
    creditCode: z.string(),
    enterpriseName: z.string(),
    divisionCode: z.string(),
    schemeId: z.string(),
    schemeVersion: z.number().int(),
    product: z.string(),
    standardNumber: z.string(),
    indicators: z.array(DeclaredIndicator),
    status: DeclarationStatus,
    comparisonId: z.string().nullable(),
    revision: z.number().int().meta({ description: '1 for the first declaration of this product' }),
    supersedes: z.string().nullable(),
    latest: z.boolean().meta({ description: 'false once a revision replaced it' }),
    version: z.number().int(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
    history: z
      .array(
        z.object({ id: z.string(), revision: z.number().int(), status: DeclarationStatus, createdAt: Timestamp }),
      )
      .optional()
      .meta({ description: 'Every revision of this enterprise, scheme and product, oldest first' }),
  })
  .meta({ id: 'Declaration' });

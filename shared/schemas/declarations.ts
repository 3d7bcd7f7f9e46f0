import * as z from 'zod';
import { CreditCode, Cursor, DivisionCode, Id, Limit, StandardNumber, Text } from './common.ts';
import { CreateEnterpriseBody } from './enterprises.ts';

export const DeclarationStatus = z.enum([
  'submitted',
  'compared',
  'city_recommended',
  'province_recommended',
  'accepted',
  'returned',
]);

export const DeclaredIndicatorInput = z
  .object({
    code: z.string().trim().min(1).max(32),
    value: z.unknown().meta({
      description: 'A number (min, max), [low, high] (range), a grade (levels) or a boolean',
    }),
    unit: z.string().trim().min(1).max(32).optional().meta({
      description: "Defaults to the scheme's unit; any unit of the same dimension is converted",
    }),
  })
  .strict();

export const CreateDeclarationBody = z
  .object({
    creditCode: CreditCode,
    schemeId: Id,
    product: Text(200),
    standardNumber: StandardNumber,
    indicators: z.array(DeclaredIndicatorInput).max(200),
    enterprise: CreateEnterpriseBody.omit({ creditCode: true }).optional().meta({
      description:
        'Registers the enterprise with its first declaration, as a batch row does (national, province or city, within its territory). Used only when the credit code is not registered yet; a registered enterprise keeps its own data.',
    }),
  })
  .strict()
  .meta({ id: 'CreateDeclarationRequest' });

export const ListDeclarationsQuery = z.object({
  schemeId: Id.optional(),
  divisionCode: DivisionCode.optional(),
  creditCode: CreditCode.optional(),
  status: DeclarationStatus.optional(),
  limit: Limit,
  cursor: Cursor,
});

export const DeclarationParams = z.object({ id: Id });

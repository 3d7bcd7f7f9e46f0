import * as z from 'zod/mini';
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

export const DeclaredIndicatorInput = z.strictObject({
  code: z.string().check(z.trim(), z.minLength(1), z.maxLength(32)),
  value: z.unknown().register(z.globalRegistry, {
    description: 'A number (min, max), [low, high] (range), a grade (levels) or a boolean',
  }),
  unit: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(32))).register(z.globalRegistry, {
    description: "Defaults to the scheme's unit; any unit of the same dimension is converted",
  }),
});

export const CreateDeclarationBody = z
  .strictObject({
    creditCode: CreditCode,
    schemeId: Id,
    product: Text(200),
    standardNumber: StandardNumber,
    indicators: z.array(DeclaredIndicatorInput).check(z.maxLength(200)),
    enterprise: z.optional(z.omit(CreateEnterpriseBody, { creditCode: true })).register(z.globalRegistry, {
      description:
        'Registers the enterprise with its first declaration, as a batch row does (national, province or city, within its territory). Used only when the credit code is not registered yet; a registered enterprise keeps its own data.',
    }),
  })
  .register(z.globalRegistry, { id: 'CreateDeclarationRequest' });

export const ListDeclarationsQuery = z.object({
  schemeId: z.optional(Id),
  divisionCode: z.optional(DivisionCode),
  creditCode: z.optional(CreditCode),
  status: z.optional(DeclarationStatus),
  limit: Limit,
  cursor: Cursor,
});

export const DeclarationParams = z.object({ id: Id });

import * as z from 'zod/mini';
import { CreditCode, Cursor, DivisionCode, Industry, Limit, Text } from './common.ts';

export const EnterpriseTag = z.enum(['unicorn', 'hidden_champion', 'single_champion', 'gazelle']);

export const CreateEnterpriseBody = z
  .strictObject({
    creditCode: CreditCode,
    name: Text(200),
    divisionCode: DivisionCode,
    industry: Industry,
    tags: z.optional(z.array(EnterpriseTag).check(z.maxLength(4))),
  })
  .register(z.globalRegistry, { id: 'CreateEnterpriseRequest' });

export const ListEnterprisesQuery = z.object({
  divisionCode: z.optional(DivisionCode),
  industry: z.optional(Industry),
  limit: Limit,
  cursor: Cursor,
});

export const EnterpriseParams = z.object({ creditCode: CreditCode });

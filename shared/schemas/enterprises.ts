import * as z from 'zod';
import { CreditCode, Cursor, DivisionCode, Industry, Limit, Text } from './common.ts';

export const EnterpriseTag = z.enum(['unicorn', 'hidden_champion', 'single_champion', 'gazelle']);

export const CreateEnterpriseBody = z
  .object({
    creditCode: CreditCode,
    name: Text(200),
    divisionCode: DivisionCode,
    industry: Industry,
    tags: z.array(EnterpriseTag).max(4).optional(),
  })
  .strict()
  .meta({ id: 'CreateEnterpriseRequest' });

export const ListEnterprisesQuery = z.object({
  divisionCode: DivisionCode.optional(),
  industry: Industry.optional(),
  limit: Limit,
  cursor: Cursor,
});

export const EnterpriseParams = z.object({ creditCode: CreditCode });

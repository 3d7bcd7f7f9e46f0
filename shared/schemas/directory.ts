import * as z from 'zod/mini';
import { Cursor, DivisionCode, Id, Limit, Text } from './common.ts';

const MemberBody = (id: string, example: string) =>
  z
    .strictObject({
      name: Text(100).register(z.globalRegistry, { example }),
      fields: z
        .array(Text(64))
        .check(z.minLength(1), z.maxLength(20))
        .register(z.globalRegistry, { description: 'Fields of expertise or testing, free text (家用电器, 照明电器...)' }),
      divisionCode: DivisionCode.check(z.meta({ description: 'Where the member is based' })),
      schemeIds: z
        .optional(z.array(Id).check(z.maxLength(40)))
        .register(z.globalRegistry, { description: 'Schemes the member is assigned to (at most 40)' }),
    })
    .register(z.globalRegistry, { id });

export const ExpertBody = MemberBody('ExpertRequest', '王工');
export const InstitutionBody = MemberBody('InstitutionRequest', '中国家用电器研究院');

export const ListMembersQuery = z.object({
  schemeId: z.optional(Id).register(z.globalRegistry, { description: 'Assigned to this scheme' }),
  field: z.optional(Text(64)).register(z.globalRegistry, { description: 'Having this field (exact)' }),
  divisionCode: z.optional(DivisionCode).register(z.globalRegistry, { description: 'Within this division' }),
  limit: Limit,
  cursor: Cursor,
});

export const MemberParams = z.object({ id: Id });

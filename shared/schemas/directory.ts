import * as z from 'zod';
import { Cursor, DivisionCode, Id, Limit, Text } from './common.ts';

const MemberBody = (id: string, example: string) =>
  z
    .object({
      name: Text(100).meta({ example }),
      fields: z
        .array(Text(64))
        .min(1)
        .max(20)
        .meta({ description: 'Fields of expertise or testing, free text (家用电器, 照明电器...)' }),
      divisionCode: DivisionCode.meta({ description: 'Where the member is based' }),
      schemeIds: z.array(Id).max(40).optional().meta({ description: 'Schemes the member is assigned to (at most 40)' }),
    })
    .strict()
    .meta({ id });

export const ExpertBody = MemberBody('ExpertRequest', '王工');
export const InstitutionBody = MemberBody('InstitutionRequest', '中国家用电器研究院');

export const ListMembersQuery = z.object({
  schemeId: Id.optional().meta({ description: 'Assigned to this scheme' }),
  field: Text(64).optional().meta({ description: 'Having this field (exact)' }),
  divisionCode: DivisionCode.optional().meta({ description: 'Within this division' }),
  limit: Limit,
  cursor: Cursor,
});

export const MemberParams = z.object({ id: Id });

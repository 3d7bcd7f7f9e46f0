import * as z from 'zod';
import { Cursor, Id, Limit, StandardNumber, Text } from './common.ts';

export const StandardKind = z.enum(['international', 'foreign', 'domestic']);
export const AdoptionDegree = z.enum(['IDT', 'MOD', 'NEQ', 'EQV']);

export const CreateStandardBody = z
  .object({
    number: StandardNumber,
    title: Text(300),
    titleEn: Text(300).optional(),
    aliases: z.array(Text(100)).max(20).optional(),
    org: Text(50).meta({ example: 'ISO' }),
    kind: StandardKind,
    adoption: z
      .object({ number: StandardNumber, degree: AdoptionDegree })
      .strict()
      .optional()
      .meta({ description: 'The Chinese standard that adopts this one, and how closely' }),
  })
  .strict()
  .meta({ id: 'CreateStandardRequest' });

export const ListStandardsQuery = z.object({
  org: Text(50).optional(),
  kind: StandardKind.optional(),
  number: z.string().max(100).optional().meta({ description: 'Prefix of the normalised number' }),
  limit: Limit,
  cursor: Cursor,
});

export const StandardParams = z.object({ id: Id });

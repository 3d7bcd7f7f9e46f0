import * as z from 'zod/mini';
import { Cursor, Id, Limit, StandardNumber, Text } from './common.ts';

export const StandardKind = z.enum(['international', 'foreign', 'domestic']);
export const AdoptionDegree = z.enum(['IDT', 'MOD', 'NEQ', 'EQV']);

export const CreateStandardBody = z
  .strictObject({
    number: StandardNumber,
    title: Text(300),
    titleEn: z.optional(Text(300)),
    aliases: z.optional(z.array(Text(100)).check(z.maxLength(20))),
    org: Text(50).register(z.globalRegistry, { example: 'ISO' }),
    kind: StandardKind,
    adoption: z
      .optional(z.strictObject({ number: StandardNumber, degree: AdoptionDegree }))
      .register(z.globalRegistry, { description: 'The Chinese standard that adopts this one, and how closely' }),
  })
  .register(z.globalRegistry, { id: 'CreateStandardRequest' });

export const ListStandardsQuery = z.object({
  org: z.optional(Text(50)),
  kind: z.optional(StandardKind),
  number: z
    .optional(z.string().check(z.maxLength(100)))
    .register(z.globalRegistry, { description: 'Prefix of the normalised number' }),
  limit: Limit,
  cursor: Cursor,
});

export const StandardParams = z.object({ id: Id });

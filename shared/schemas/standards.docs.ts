/** Only for the OpenAPI document (see openapi.ts): no function imports this module. */
import * as z from 'zod';
import { Id } from './common.ts';
import { Timestamp } from './common.docs.ts';
import { AdoptionDegree, StandardKind } from './standards.ts';

export const Standard = z
  .object({
    id: Id,
    number: z.string(),
    title: z.string(),
    titleEn: z.string().optional(),
    aliases: z.array(z.string()),
    org: z.string(),
    kind: StandardKind,
    adoption: z.object({ number: z.string(), degree: AdoptionDegree }).optional(),
    createdAt: Timestamp,
  })
  .meta({ id: 'Standard' });

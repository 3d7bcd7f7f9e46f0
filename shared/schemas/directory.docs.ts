/** Only for the OpenAPI document (see openapi.ts): no function imports this module. */
import * as z from 'zod';
import { Id } from './common.ts';
import { Timestamp } from './common.docs.ts';

const Member = (id: string) =>
  z
    .object({
      id: Id,
      name: z.string(),
      fields: z.array(z.string()),
      divisionCode: z.string(),
      schemeIds: z.array(z.string()),
      version: z.number().int(),
      createdAt: Timestamp,
      updatedAt: Timestamp,
    })
    .meta({ id });

export const Expert = Member('Expert');
export const Institution = Member('Institution');

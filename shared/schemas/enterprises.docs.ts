/** Only for the OpenAPI document (see openapi.ts): no function imports this module. */
import * as z from 'zod';
import { Timestamp } from './common.docs.ts';
import { EnterpriseTag } from './enterprises.ts';

export const Enterprise = z
  .object({
    creditCode: z.string(),
    name: z.string(),
    divisionCode: z.string(),
    industry: z.string(),
    tags: z.array(EnterpriseTag),
    createdAt: Timestamp,
  })
  .meta({ id: 'Enterprise' });

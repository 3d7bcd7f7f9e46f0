/** Only for the OpenAPI document (see openapi.ts): no function imports this module. */
import * as z from 'zod';
import { CampaignRound } from './cities.ts';
import { Timestamp } from './common.docs.ts';

export const City = z
  .object({
    divisionCode: z.string(),
    name: z.string(),
    round: CampaignRound,
    createdAt: Timestamp,
  })
  .meta({ id: 'City' });

import * as z from 'zod/mini';
import { Cursor, DivisionCode, Limit, Text } from './common.ts';

export const CampaignRound = z.union([z.literal(1), z.literal(2), z.literal(3)]).register(z.globalRegistry, {
  description: 'Campaign round (批): 1 from 2018-01, 2 from 2018-09, 3 from 2019-01',
});

export const CreateCityBody = z
  .strictObject({ divisionCode: DivisionCode, name: Text(50), round: CampaignRound })
  .register(z.globalRegistry, { id: 'CreateCityRequest' });

export const ListCitiesQuery = z.object({
  divisionCode: z.optional(DivisionCode),
  limit: Limit,
  cursor: Cursor,
});

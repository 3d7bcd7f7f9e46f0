import * as z from 'zod';
import { Cursor, DivisionCode, Limit, Text } from './common.ts';

export const CampaignRound = z.union([z.literal(1), z.literal(2), z.literal(3)]).meta({
  description: 'Campaign round (批): 1 from 2018-01, 2 from 2018-09, 3 from 2019-01',
});

export const CreateCityBody = z
  .object({ divisionCode: DivisionCode, name: Text(50), round: CampaignRound })
  .strict()
  .meta({ id: 'CreateCityRequest' });

export const ListCitiesQuery = z.object({
  divisionCode: DivisionCode.optional(),
  limit: Limit,
  cursor: Cursor,
});

import * as z from 'zod';
import { Cursor, DivisionCode, Field, Id, Limit } from './common.ts';

export const GroupBy = z.enum(['province', 'city', 'industry', 'scheme', 'round']).meta({
  description: 'round: the campaign round (批) of the enterprise’s city, none when it takes no part',
});

const StatsFilter = {
  schemeId: Id.optional(),
  divisionCode: DivisionCode.optional().meta({
    description: 'A province or city code; within the caller’s territory (outside it: no groups)',
  }),
};

export const StatsQuery = z.object({ groupBy: GroupBy, ...StatsFilter });

export const StatsExportQuery = z.object({ groupBy: GroupBy.default('city'), ...StatsFilter });

export const StatsWorkbookQuery = z.object(StatsFilter);

export const KpisQuery = z.object({ field: Field.optional() });

export const RankingQuery = z.object({ limit: Limit, cursor: Cursor });

export const CreateForerunnerListBody = z
  .object({ noticeDays: z.number().int().min(1).max(90).meta({ description: 'Days of public notice (公示期)' }) })
  .strict()
  .meta({ id: 'CreateForerunnerListRequest' });

export const ForerunnerListParams = z.object({ id: Id, listId: Id });

export const PublicListQuery = z.object({ schemeId: Id.optional(), limit: Limit, cursor: Cursor });

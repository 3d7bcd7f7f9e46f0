import * as z from 'zod/mini';
import { Cursor, DivisionCode, Field, Id, Limit } from './common.ts';

export const GroupBy = z.enum(['province', 'city', 'industry', 'scheme', 'round']).register(z.globalRegistry, {
  description: 'round: the campaign round (批) of the enterprise’s city, none when it takes no part',
});

const StatsFilter = {
  schemeId: z.optional(Id),
  divisionCode: z.optional(DivisionCode).register(z.globalRegistry, {
    description: 'A province or city code; within the caller’s territory (outside it: no groups)',
  }),
};

export const StatsQuery = z.object({ groupBy: GroupBy, ...StatsFilter });

export const StatsExportQuery = z.object({ groupBy: z._default(GroupBy, 'city'), ...StatsFilter });

export const StatsWorkbookQuery = z.object(StatsFilter);

export const KpisQuery = z.object({ field: z.optional(Field) });

export const RankingQuery = z.object({ limit: Limit, cursor: Cursor });

export const CreateForerunnerListBody = z
  .strictObject({
    noticeDays: z
      .number()
      .check(z.int(), z.gte(1), z.lte(90))
      .register(z.globalRegistry, { description: 'Days of public notice (公示期)' }),
  })
  .register(z.globalRegistry, { id: 'CreateForerunnerListRequest' });

export const ForerunnerListParams = z.object({ id: Id, listId: Id });

export const PublicListQuery = z.object({ schemeId: z.optional(Id), limit: Limit, cursor: Cursor });

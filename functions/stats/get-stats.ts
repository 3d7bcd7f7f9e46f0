/** GET /v1/stats: figures grouped by province, city, industry, scheme or round, within the caller's territory. */
import { httpHandler, ok } from '../../shared/http/handler.ts';
import { StatsQuery } from '../../shared/schemas/stats.ts';
import { computeStats } from '../../shared/services/stats.ts';

export const handler = httpHandler(
  { query: StatsQuery, roles: ['national', 'province', 'city'] },
  async ({ query, principal }) => ok(await computeStats(principal, query), { 'Cache-Control': 'private, no-cache' }),
);

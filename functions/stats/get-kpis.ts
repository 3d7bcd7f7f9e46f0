/** GET /v1/kpis: indicator consistency, adoption rate and campaign targets. */
import { httpHandler, ok } from '../../shared/http/handler.ts';
import { KpisQuery } from '../../shared/schemas/stats.ts';
import { computeKpis } from '../../shared/services/kpis.ts';

export const handler = httpHandler(
  { query: KpisQuery, roles: ['national', 'province', 'city'] },
  async ({ query, principal }) => ok(await computeKpis(principal, query.field, new Date()), { 'Cache-Control': 'private, no-cache' }),
);

/** GET /v1/schemes/{id}/ranking: the live forerunner ranking (domain.md §3). */
import { httpHandler, ok } from '../../shared/http/handler.ts';
import { SchemeParams } from '../../shared/schemas/schemes.ts';
import { RankingQuery } from '../../shared/schemas/stats.ts';
import { rankingPage } from '../../shared/services/forerunners.ts';

export const handler = httpHandler(
  { params: SchemeParams, query: RankingQuery, roles: ['national', 'province', 'city', 'enterprise'] },
  async ({ params, query, principal }) => ok(await rankingPage(principal, params.id, query.limit, query.cursor)),
);

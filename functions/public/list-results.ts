/** GET /v1/public/results: accepted results, newest acceptance first; no token. */
import { httpHandler, ok } from '../../shared/http/handler.ts';
import { PublicListQuery } from '../../shared/schemas/stats.ts';
import { publicResults } from '../../shared/services/forerunners.ts';

/** Acceptances are rare and public: a minute of caching is harmless. */
const MAX_AGE_SECONDS = 60;

export const handler = httpHandler({ query: PublicListQuery }, async ({ query }) =>
  ok(await publicResults(query.schemeId, query.limit, query.cursor), { 'Cache-Control': `public, max-age=${MAX_AGE_SECONDS}` }),
);

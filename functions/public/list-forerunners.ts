/** GET /v1/public/forerunners: forerunner lists under notice or published, with their state; no token. */
import { httpHandler, ok } from '../../shared/http/handler.ts';
import { PublicListQuery } from '../../shared/schemas/stats.ts';
import { cacheSeconds, publicForerunnerLists } from '../../shared/services/forerunners.ts';

const MAX_AGE_SECONDS = 300;

export const handler = httpHandler({ query: PublicListQuery }, async ({ query }) => {
  const now = new Date();
  const { page, items } = await publicForerunnerLists(query.schemeId, query.limit, query.cursor, now);
  // Never cached past the moment a list on the page changes from notice to published.
  const maxAge = cacheSeconds(page.items, now, MAX_AGE_SECONDS);
  return ok({ items, nextCursor: page.nextCursor }, { 'Cache-Control': `public, max-age=${maxAge}` });
});

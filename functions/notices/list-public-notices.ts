/** GET /v1/public/notices: published public notices, newest first; no token. */
import { httpHandler, ok } from '../../shared/http/handler.ts';
import { presentPublicNotice } from '../../shared/http/information-presenters.ts';
import { PublicNoticesQuery } from '../../shared/schemas/notices.ts';
import { listPublicNotices } from '../../shared/store/notices.ts';

export const handler = httpHandler({ query: PublicNoticesQuery }, async ({ query }) => {
  const page = await listPublicNotices(query.limit, query.cursor);
  return ok({ items: page.items.map(presentPublicNotice), nextCursor: page.nextCursor });
});

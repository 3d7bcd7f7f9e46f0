/** GET /v1/notices: published notices addressed to the caller, newest first (or its bureau's own). */
import { httpHandler, ok } from '../../shared/http/handler.ts';
import { presentNotice } from '../../shared/http/information-presenters.ts';
import { ListNoticesQuery } from '../../shared/schemas/notices.ts';
import { listNotices } from '../../shared/services/notices.ts';

export const handler = httpHandler(
  { query: ListNoticesQuery, roles: ['national', 'province', 'city', 'enterprise', 'expert'] },
  async ({ query, principal }) => {
    const page = await listNotices(principal, query);
    return ok({ items: page.items.map(presentNotice), nextCursor: page.nextCursor });
  },
);

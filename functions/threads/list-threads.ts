/** GET /v1/threads: threads in the caller's sight, newest first. */
import { httpHandler, ok } from '../../shared/http/handler.ts';
import { presentThreadSummary } from '../../shared/http/information-presenters.ts';
import { ListThreadsQuery } from '../../shared/schemas/threads.ts';
import { threadsFor } from '../../shared/services/threads.ts';

export const handler = httpHandler(
  { query: ListThreadsQuery, roles: ['national', 'province', 'city', 'enterprise', 'expert'] },
  async ({ query, principal }) => {
    const page = await threadsFor(principal, query);
    return ok({ items: page.items.map(presentThreadSummary), nextCursor: page.nextCursor });
  },
);

/** GET /v1/public/threads: threads made public, newest first; no token. */
import { httpHandler, ok } from '../../shared/http/handler.ts';
import { presentPublicThreadSummary } from '../../shared/http/information-presenters.ts';
import { PublicThreadsQuery } from '../../shared/schemas/threads.ts';
import { listPublicThreads } from '../../shared/store/threads.ts';

export const handler = httpHandler({ query: PublicThreadsQuery }, async ({ query }) => {
  const page = await listPublicThreads(query);
  return ok({ items: page.items.map(presentPublicThreadSummary), nextCursor: page.nextCursor });
});

/** GET /v1/public/threads/{id}: a public thread with its answers, without the asker; no token. */
import { httpHandler, ok } from '../../shared/http/handler.ts';
import { notFound } from '../../shared/http/errors.ts';
import { presentPublicThread } from '../../shared/http/information-presenters.ts';
import { ThreadParams } from '../../shared/schemas/threads.ts';
import { getThread } from '../../shared/store/threads.ts';

export const handler = httpHandler({ params: ThreadParams }, async ({ params }) => {
  const found = await getThread(params.id);
  if (!found || !found.thread.public) throw notFound('thread');
  return ok(presentPublicThread(found.thread, found.answers));
});

/** GET /v1/threads/{id}: the question and its answers, for the asker, its bureaus and the scheme's experts. */
import { etag, httpHandler, ok } from '../../shared/http/handler.ts';
import { presentThread } from '../../shared/http/information-presenters.ts';
import { ThreadParams } from '../../shared/schemas/threads.ts';
import { visibleThread } from '../../shared/services/threads.ts';

export const handler = httpHandler(
  { params: ThreadParams, roles: ['national', 'province', 'city', 'enterprise', 'expert'] },
  async ({ params, principal }) => {
    const { thread, answers } = await visibleThread(principal, params.id);
    return ok(presentThread(thread, answers), { ETag: etag(thread.version) });
  },
);

/** POST /v1/threads/{id}/publish: a bureau above the asker makes the thread public. */
import { etag, httpHandler, ok } from '../../shared/http/handler.ts';
import { presentThread } from '../../shared/http/information-presenters.ts';
import { ThreadParams } from '../../shared/schemas/threads.ts';
import { makeThreadPublic } from '../../shared/services/threads.ts';

export const handler = httpHandler(
  { params: ThreadParams, roles: ['national', 'province', 'city'] },
  async ({ params, principal }) => {
    const { thread, answers } = await makeThreadPublic(principal, params.id);
    return ok(presentThread(thread, answers), { ETag: etag(thread.version) });
  },
);

/** POST /v1/threads/{id}/accept: the asker accepts one answer. */
import { etag, httpHandler, ok } from '../../shared/http/handler.ts';
import { presentThread } from '../../shared/http/information-presenters.ts';
import { AcceptAnswerBody, ThreadParams } from '../../shared/schemas/threads.ts';
import { acceptAnswer } from '../../shared/services/threads.ts';

export const handler = httpHandler(
  { params: ThreadParams, body: AcceptAnswerBody, roles: ['enterprise'] },
  async ({ params, body, principal }) => {
    const { thread, answers } = await acceptAnswer(principal, params.id, body.answerId);
    return ok(presentThread(thread, answers), { ETag: etag(thread.version) });
  },
);

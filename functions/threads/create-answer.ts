/** POST /v1/threads/{id}/answers: an expert assigned to the scheme, or a bureau above the asker. */
import { created, httpHandler } from '../../shared/http/handler.ts';
import { presentAnswer } from '../../shared/http/information-presenters.ts';
import { CreateAnswerBody, ThreadParams } from '../../shared/schemas/threads.ts';
import { answerThread } from '../../shared/services/threads.ts';

export const handler = httpHandler(
  { params: ThreadParams, body: CreateAnswerBody, roles: ['national', 'province', 'city', 'expert'], idempotent: true },
  async ({ params, body, principal }) => {
    const { thread, answer } = await answerThread(principal, params.id, body.body);
    return created(`/v1/threads/${thread.id}`, presentAnswer(answer, thread.acceptedAnswerId));
  },
);

/** POST /v1/threads: an enterprise asks about a scheme. */
import { created, etag, httpHandler } from '../../shared/http/handler.ts';
import { presentThread } from '../../shared/http/information-presenters.ts';
import { CreateThreadBody } from '../../shared/schemas/threads.ts';
import { askQuestion } from '../../shared/services/threads.ts';

export const handler = httpHandler(
  { body: CreateThreadBody, roles: ['enterprise'], idempotent: true },
  async ({ body, principal }) => {
    const thread = await askQuestion(principal, body);
    return created(`/v1/threads/${thread.id}`, presentThread(thread, []), { ETag: etag(thread.version) });
  },
);

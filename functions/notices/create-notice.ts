/** POST /v1/notices: a draft (national anywhere, a province within itself). */
import { created, etag, httpHandler } from '../../shared/http/handler.ts';
import { presentNotice } from '../../shared/http/information-presenters.ts';
import { NoticeBody } from '../../shared/schemas/notices.ts';
import { createNotice } from '../../shared/services/notices.ts';

export const handler = httpHandler(
  { body: NoticeBody, roles: ['national', 'province'], idempotent: true },
  async ({ body, principal }) => {
    const notice = await createNotice(principal, body);
    return created(`/v1/notices/${notice.id}`, presentNotice(notice), { ETag: etag(notice.version) });
  },
);

/** GET /v1/notices/{id}: a notice addressed to the caller, or one its bureau manages. */
import { etag, httpHandler, ok } from '../../shared/http/handler.ts';
import { presentNotice } from '../../shared/http/information-presenters.ts';
import { NoticeParams } from '../../shared/schemas/notices.ts';
import { readableNotice } from '../../shared/services/notices.ts';

export const handler = httpHandler(
  { params: NoticeParams, roles: ['national', 'province', 'city', 'enterprise', 'expert'] },
  async ({ params, principal }) => {
    const notice = await readableNotice(principal, params.id);
    return ok(presentNotice(notice), { ETag: etag(notice.version) });
  },
);

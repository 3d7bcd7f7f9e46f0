/** POST /v1/notices/{id}/archive: published -> archived, out of every list. */
import { etag, httpHandler, ok } from '../../shared/http/handler.ts';
import { presentNotice } from '../../shared/http/information-presenters.ts';
import { NoticeParams } from '../../shared/schemas/notices.ts';
import { transitionNotice } from '../../shared/services/notices.ts';

export const handler = httpHandler(
  { params: NoticeParams, roles: ['national', 'province'] },
  async ({ params, principal }) => {
    const notice = await transitionNotice(principal, params.id, 'archive');
    return ok(presentNotice(notice), { ETag: etag(notice.version) });
  },
);

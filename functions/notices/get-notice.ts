/** GET /v1/notices/{id}: a notice addressed to the caller, or one its bureau manages. */
import { etag, httpHandler, ok } from '../../shared/http/handler.ts';
import { presentNoticeWith } from '../../shared/http/information-presenters.ts';
import { NoticeParams } from '../../shared/schemas/notices.ts';
import { attachmentsWithLinks } from '../../shared/services/materials.ts';
import { readableNotice } from '../../shared/services/notices.ts';

export const handler = httpHandler(
  { params: NoticeParams, roles: ['national', 'province', 'city', 'enterprise', 'expert'] },
  async ({ params, principal }) => {
    const notice = await readableNotice(principal, params.id);
    // Attachments with short-lived links: signed from the notice item, nothing more is read.
    return ok(presentNoticeWith(notice, await attachmentsWithLinks(notice)), {
      ETag: etag(notice.version),
      'Cache-Control': 'private, no-store',
    });
  },
);

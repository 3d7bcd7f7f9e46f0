/** GET /v1/public/notices/{id}: one published public notice; no token, nor for its attachments' links. */
import { httpHandler, ok } from '../../shared/http/handler.ts';
import { notFound } from '../../shared/http/errors.ts';
import { presentPublicNoticeWith } from '../../shared/http/information-presenters.ts';
import { NoticeParams } from '../../shared/schemas/notices.ts';
import { attachmentsWithLinks } from '../../shared/services/materials.ts';
import { getNotice } from '../../shared/store/notices.ts';

export const handler = httpHandler({ params: NoticeParams }, async ({ params }) => {
  const notice = await getNotice(params.id);
  if (!notice || !notice.public || notice.status !== 'published') throw notFound('notice');
  // The links expire within minutes: not for shared caches.
  return ok(presentPublicNoticeWith(notice, await attachmentsWithLinks(notice)), { 'Cache-Control': 'no-store' });
});

/** GET /v1/public/notices/{id}: one published public notice; no token. */
import { httpHandler, ok } from '../../shared/http/handler.ts';
import { notFound } from '../../shared/http/errors.ts';
import { presentPublicNotice } from '../../shared/http/information-presenters.ts';
import { NoticeParams } from '../../shared/schemas/notices.ts';
import { getNotice } from '../../shared/store/notices.ts';

export const handler = httpHandler({ params: NoticeParams }, async ({ params }) => {
  const notice = await getNotice(params.id);
  if (!notice || !notice.public || notice.status !== 'published') throw notFound('notice');
  return ok(presentPublicNotice(notice));
});

/** PUT /v1/notices/{id}: a draft's new text and audience (If-Match). */
import { etag, httpHandler, ok } from '../../shared/http/handler.ts';
import { ifMatchPresent, requireIfMatch } from '../../shared/http/if-match.ts';
import { presentNotice } from '../../shared/http/information-presenters.ts';
import { NoticeBody, NoticeParams } from '../../shared/schemas/notices.ts';
import { editNotice, managedNotice } from '../../shared/services/notices.ts';

export const handler = httpHandler(
  { params: NoticeParams, body: NoticeBody, roles: ['national', 'province'] },
  async ({ params, body, principal, event }) => {
    ifMatchPresent(event);
    const current = await managedNotice(principal, params.id);
    requireIfMatch(event, current.version);
    const notice = await editNotice(principal, current, body);
    return ok(presentNotice(notice), { ETag: etag(notice.version) });
  },
);

/** GET /v1/notices/{id}/attachments: a notice's attachments, for whoever may read the notice. */
import { visibleAttachmentStatuses } from '../../shared/domain/notices.ts';
import { noticeOwner } from '../../shared/domain/materials.ts';
import { httpHandler, ok } from '../../shared/http/handler.ts';
import { ListMaterialsQuery } from '../../shared/schemas/materials.ts';
import { NoticeParams } from '../../shared/schemas/notices.ts';
import { materialView } from '../../shared/services/materials.ts';
import { noticeAccess } from '../../shared/services/notices.ts';
import { listMaterials } from '../../shared/store/materials.ts';

export const handler = httpHandler(
  { params: NoticeParams, query: ListMaterialsQuery, roles: ['national', 'province', 'city', 'enterprise', 'expert'] },
  async ({ params, query, principal, language }) => {
    const { notice, manages } = await noticeAccess(principal, params.id);
    const page = await listMaterials(noticeOwner(notice.id), query.limit, query.cursor, {
      verifiedOnly: visibleAttachmentStatuses(manages) === 'verified',
    });
    return ok(
      { items: await Promise.all(page.items.map((m) => materialView(m, language))), nextCursor: page.nextCursor },
      // Download links expire; statuses change while uploads are checked.
      { 'Cache-Control': 'private, no-store' },
    );
  },
);

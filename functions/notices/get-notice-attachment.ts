/** GET /v1/notices/{id}/attachments/{materialId}: one attachment (the Location of an upload request). */
import { noticeOwner } from '../../shared/domain/materials.ts';
import { visibleAttachmentStatuses } from '../../shared/domain/notices.ts';
import { httpHandler, ok } from '../../shared/http/handler.ts';
import { notFound } from '../../shared/http/errors.ts';
import { MaterialParams } from '../../shared/schemas/materials.ts';
import { materialView } from '../../shared/services/materials.ts';
import { noticeAccess } from '../../shared/services/notices.ts';
import { getMaterial } from '../../shared/store/materials.ts';

export const handler = httpHandler(
  { params: MaterialParams, roles: ['national', 'province', 'city', 'enterprise', 'expert'] },
  async ({ params, principal, language }) => {
    const { notice, manages } = await noticeAccess(principal, params.id);
    const material = await getMaterial(noticeOwner(notice.id), params.materialId);
    if (!material || (visibleAttachmentStatuses(manages) === 'verified' && material.status !== 'verified')) {
      throw notFound('attachment');
    }
    return ok(await materialView(material, language), { 'Cache-Control': 'private, no-store' });
  },
);

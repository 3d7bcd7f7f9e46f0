/** POST /v1/notices/{id}/attachments: a presigned POST for one attachment of a draft. */
import { created, httpHandler } from '../../shared/http/handler.ts';
import { CreateMaterialBody } from '../../shared/schemas/materials.ts';
import { NoticeParams } from '../../shared/schemas/notices.ts';
import { requestAttachmentUpload } from '../../shared/services/materials.ts';
import { managedNotice } from '../../shared/services/notices.ts';

export const handler = httpHandler(
  // Who may change the notice may attach to it: national, or the province that wrote it.
  { params: NoticeParams, body: CreateMaterialBody, roles: ['national', 'province'], idempotent: true },
  async ({ params, body, principal }) => {
    const notice = await managedNotice(principal, params.id);
    const { material, upload, expiresAt } = await requestAttachmentUpload(principal, notice, body);
    return created(`/v1/notices/${notice.id}/attachments/${material.id}`, { materialId: material.id, upload, expiresAt });
  },
);

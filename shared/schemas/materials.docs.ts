/** Only for the OpenAPI document (see openapi.ts): no function imports this module. */
import * as z from 'zod';
import { Id } from './common.ts';
import { Timestamp } from './common.docs.ts';
import { MaterialContentType } from './materials.ts';

export const MaterialUpload = z
  .object({
    materialId: Id,
    upload: z.object({
      url: z.string().meta({ description: 'POST a multipart/form-data form here' }),
      fields: z.record(z.string(), z.string()).meta({
        description: 'Send every field as it is, then the file last, as the field `file`',
      }),
    }),
    expiresAt: Timestamp.meta({ description: 'The form is refused after this time' }),
  })
  .meta({
    id: 'MaterialUpload',
    description:
      'An S3 presigned POST for exactly the declared size and type. After the upload the platform checks size, type (magic bytes) and SHA-256.',
  });

export const MaterialStatus = z.enum(['waiting_upload', 'verified', 'rejected']).meta({
  description: 'waiting_upload until the file arrives; then verified, or rejected with the reason',
});

/** The fields of a material's view after its id and its owner's id (see materialView). */
const materialViewFields = {
  fileName: z.string(),
  contentType: MaterialContentType,
  size: z.number().int(),
  sha256: z.string(),
  status: MaterialStatus,
  reason: z
    .object({ code: z.string(), message: z.string() })
    .optional()
    .meta({ description: 'Why it was rejected: size_mismatch, type_mismatch, type_unrecognized, sha256_mismatch, upload_expired' }),
  downloadUrl: z.string().optional().meta({ description: 'Short-lived (5 min), only when verified' }),
  createdAt: Timestamp,
  decidedAt: Timestamp.optional().meta({ description: 'When it was verified or rejected' }),
};

export const Material = z
  .object({ materialId: Id, declarationId: Id, ...materialViewFields })
  .meta({ id: 'Material' });

/** A notice's attachment as GET /v1/notices/{id}/attachments lists it: a material owned by the notice. */
export const NoticeAttachmentMaterial = z
  .object({ materialId: Id, noticeId: Id, ...materialViewFields })
  .meta({ id: 'NoticeAttachmentMaterial' });

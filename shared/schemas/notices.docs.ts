/** Only for the OpenAPI document (see openapi.ts): no function imports this module. */
import * as z from 'zod';
import { Id, Role } from './common.ts';
import { Timestamp } from './common.docs.ts';
import { MaterialContentType } from './materials.ts';
import { NoticeStatus } from './notices.ts';

export const Audience = z
  .object({ divisionCode: z.string().optional(), roles: z.array(Role) })
  .meta({ id: 'NoticeAudience' });

export const NoticeAuthor = z
  .object({
    role: z.enum(['national', 'province']),
    territory: z.string().meta({ description: 'The province’s division code; empty for national' }),
  })
  .meta({ id: 'NoticeAuthor' });

export const NoticeAttachment = z
  .object({
    id: Id.check(z.meta({ description: 'The material id (as at /v1/notices/{id}/attachments)' })),
    fileName: z.string(),
    contentType: MaterialContentType,
    size: z.number().int(),
    sha256: z.string().meta({ description: 'SHA-256 of the file, lowercase hex (checked on upload)' }),
    downloadUrl: z.string().optional().meta({
      description: 'Short-lived (5 min) link needing no token; on single-notice views only (GET /v1/notices/{id}, /v1/public/notices/{id})',
    }),
  })
  .meta({ id: 'NoticeAttachment', description: 'A verified attachment' });

const attachments = z.array(NoticeAttachment).meta({
  description:
    'Verified attachments, oldest first (a verified attachment changes the notice’s version); links only on single-notice views',
});

export const Notice = z
  .object({
    id: Id,
    title: z.string(),
    body: z.string(),
    audience: Audience,
    public: z.boolean(),
    status: NoticeStatus,
    author: NoticeAuthor,
    version: z.number().int(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
    publishedAt: Timestamp.optional(),
    archivedAt: Timestamp.optional(),
    attachments,
  })
  .meta({ id: 'Notice' });

export const PublicNotice = z
  .object({ id: Id, title: z.string(), body: z.string(), author: NoticeAuthor, publishedAt: Timestamp, attachments })
  .meta({ id: 'PublicNotice' });

import * as z from 'zod';
import { Cursor, DivisionCode, Id, Limit, Role, Text, Timestamp } from './common.ts';
import { MaterialContentType } from './materials.ts';

/** Long free text (a notice or a question): Unicode-composed and trimmed; line breaks and full-width punctuation kept. */
export const LongText = (max: number) =>
  z
    .string()
    .transform((s) => s.normalize('NFC').trim())
    .pipe(z.string().min(1).max(max));

export const NoticeStatus = z.enum(['draft', 'published', 'archived']);

export const AudienceInput = z
  .object({
    divisionCode: DivisionCode.optional().meta({
      description: 'That territory and below; absent: everyone (national), the author’s province (a province)',
    }),
    roles: z.array(Role).max(5).optional().meta({ description: 'Only these roles; absent or empty: every role' }),
  })
  .strict()
  .meta({ id: 'NoticeAudienceInput' });

export const NoticeBody = z
  .object({
    title: Text(200),
    body: LongText(20_000),
    audience: AudienceInput,
    public: z.boolean().optional().meta({ description: 'Also at /v1/public/notices once published (default false)' }),
  })
  .strict()
  .meta({ id: 'NoticeRequest' });

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
    id: Id.meta({ description: 'The material id (as at /v1/notices/{id}/attachments)' }),
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

export const ListNoticesQuery = z.object({
  scope: z
    .enum(['addressed', 'authored'])
    .default('addressed')
    .meta({
      description:
        'addressed (default): published notices whose audience includes the caller; authored: notices the caller’s bureau wrote, in any status (national: every bureau’s)',
    }),
  status: NoticeStatus.optional().meta({ description: 'With scope=authored' }),
  limit: Limit,
  cursor: Cursor,
});

export const PublicNoticesQuery = z.object({ limit: Limit, cursor: Cursor });

export const NoticeParams = z.object({ id: Id });

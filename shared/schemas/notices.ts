import * as z from 'zod';
import { Cursor, DivisionCode, Id, Limit, Role, Text } from './common.ts';

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

import * as z from 'zod/mini';
import { Cursor, DivisionCode, Id, Limit, Role, Text } from './common.ts';

/** Long free text (a notice or a question): Unicode-composed and trimmed; line breaks and full-width punctuation kept. */
export const LongText = (max: number) =>
  z.pipe(
    z.pipe(
      z.string(),
      z.transform((s: string) => s.normalize('NFC').trim()),
    ),
    z.string().check(z.minLength(1), z.maxLength(max)),
  );

export const NoticeStatus = z.enum(['draft', 'published', 'archived']);

export const AudienceInput = z
  .strictObject({
    divisionCode: z.optional(DivisionCode).register(z.globalRegistry, {
      description: 'That territory and below; absent: everyone (national), the author’s province (a province)',
    }),
    roles: z
      .optional(z.array(Role).check(z.maxLength(5)))
      .register(z.globalRegistry, { description: 'Only these roles; absent or empty: every role' }),
  })
  .register(z.globalRegistry, { id: 'NoticeAudienceInput' });

export const NoticeBody = z
  .strictObject({
    title: Text(200),
    body: LongText(20_000),
    audience: AudienceInput,
    public: z
      .optional(z.boolean())
      .register(z.globalRegistry, { description: 'Also at /v1/public/notices once published (default false)' }),
  })
  .register(z.globalRegistry, { id: 'NoticeRequest' });

export const ListNoticesQuery = z.object({
  scope: z._default(z.enum(['addressed', 'authored']), 'addressed').register(z.globalRegistry, {
    description:
      'addressed (default): published notices whose audience includes the caller; authored: notices the caller’s bureau wrote, in any status (national: every bureau’s)',
  }),
  status: z.optional(NoticeStatus).register(z.globalRegistry, { description: 'With scope=authored' }),
  limit: Limit,
  cursor: Cursor,
});

export const PublicNoticesQuery = z.object({ limit: Limit, cursor: Cursor });

export const NoticeParams = z.object({ id: Id });

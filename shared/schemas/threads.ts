import * as z from 'zod/mini';
import { Cursor, DivisionCode, Id, Limit, Text } from './common.ts';
import { LongText } from './notices.ts';

export const ThreadStatus = z.enum(['open', 'answered', 'resolved']);

export const CreateThreadBody = z
  .strictObject({ schemeId: Id, title: Text(200), body: LongText(10_000) })
  .register(z.globalRegistry, { id: 'CreateThreadRequest' });

export const CreateAnswerBody = z
  .strictObject({ body: LongText(10_000) })
  .register(z.globalRegistry, { id: 'CreateAnswerRequest' });

export const AcceptAnswerBody = z.strictObject({ answerId: Id }).register(z.globalRegistry, { id: 'AcceptAnswerRequest' });

export const ListThreadsQuery = z.object({
  schemeId: z.optional(Id),
  divisionCode: z.optional(DivisionCode),
  status: z.optional(ThreadStatus),
  limit: Limit,
  cursor: Cursor,
});

export const PublicThreadsQuery = z.object({ schemeId: z.optional(Id), limit: Limit, cursor: Cursor });

export const ThreadParams = z.object({ id: Id });

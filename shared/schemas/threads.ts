import * as z from 'zod';
import { Cursor, DivisionCode, Id, Limit, Text } from './common.ts';
import { LongText } from './notices.ts';

export const ThreadStatus = z.enum(['open', 'answered', 'resolved']);

export const CreateThreadBody = z
  .object({ schemeId: Id, title: Text(200), body: LongText(10_000) })
  .strict()
  .meta({ id: 'CreateThreadRequest' });

export const CreateAnswerBody = z.object({ body: LongText(10_000) }).strict().meta({ id: 'CreateAnswerRequest' });

export const AcceptAnswerBody = z.object({ answerId: Id }).strict().meta({ id: 'AcceptAnswerRequest' });

export const ListThreadsQuery = z.object({
  schemeId: Id.optional(),
  divisionCode: DivisionCode.optional(),
  status: ThreadStatus.optional(),
  limit: Limit,
  cursor: Cursor,
});

export const PublicThreadsQuery = z.object({ schemeId: Id.optional(), limit: Limit, cursor: Cursor });

export const ThreadParams = z.object({ id: Id });

/** Only for the OpenAPI document (see openapi.ts): no function imports this module. */
import * as z from 'zod';
import { Id, Role } from './common.ts';
import { Timestamp } from './common.docs.ts';
import { ThreadStatus } from './threads.ts';

export const AnswerAuthor = z
  .object({
    role: Role,
    territory: z.string().meta({ description: 'A bureau’s division code, empty for national; an expert’s id' }),
    name: z.string().optional().meta({ description: 'The expert’s name in the directory' }),
  })
  .meta({ id: 'AnswerAuthor' });

export const Answer = z
  .object({ id: Id, body: z.string(), author: AnswerAuthor, accepted: z.boolean(), createdAt: Timestamp })
  .meta({ id: 'Answer' });

const threadFields = {
  id: Id,
  schemeId: z.string(),
  creditCode: z.string(),
  enterpriseName: z.string(),
  divisionCode: z.string(),
  title: z.string(),
  status: ThreadStatus,
  answerCount: z.number().int(),
  acceptedAnswerId: z.string().nullable(),
  public: z.boolean(),
  publishedAt: Timestamp.optional(),
  version: z.number().int(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
};

export const ThreadSummary = z.object(threadFields).meta({ id: 'ThreadSummary' });

export const Thread = z
  .object({ ...threadFields, body: z.string(), answers: z.array(Answer) })
  .meta({ id: 'Thread' });

export const PublicThreadSummary = z
  .object({ id: Id, schemeId: z.string(), title: z.string(), publishedAt: Timestamp })
  .meta({ id: 'PublicThreadSummary' });

export const PublicThread = z
  .object({
    id: Id,
    schemeId: z.string(),
    title: z.string(),
    body: z.string(),
    status: ThreadStatus,
    answers: z.array(Answer),
    publishedAt: Timestamp,
    createdAt: Timestamp,
  })
  .meta({ id: 'PublicThread', description: 'A public thread; the asking enterprise is not shown' });

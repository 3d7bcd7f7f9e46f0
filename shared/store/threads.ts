/**
 * Questions and answers. A thread and its answers share a partition
 * (`THREAD#<id>`: the thread, `ANSWER#<id>`..., and `PUBLIC` while it is
 * public), so one Query reads a whole thread. Lists: by province shard and
 * division (gsi1, bureaus), by scheme and division (gsi2, experts and scheme
 * filters), by enterprise (gsi3, the asker); public threads through their
 * `PUBLIC` item (gsi1 all, gsi2 per scheme). Changes to the thread are
 * conditional on the version read.
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { PutCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../aws/clients.ts';
import { divisionPrefix, provinceCodes } from '../domain/division-code.ts';
import type { ThreadStatus } from '../domain/threads.ts';
import type { Role } from '../domain/territory.ts';
import { answerKey, byProvince, publicThreadKey, threadKey } from './keys.ts';
import { type Item, mainTableName, type Page, queryPage, withoutKeys } from './table.ts';

export interface ThreadRecord {
  id: string;
  schemeId: string;
  creditCode: string;
  enterpriseName: string;
  divisionCode: string;
  title: string;
  body: string;
  status: ThreadStatus;
  answerCount: number;
  acceptedAnswerId: string | null;
  public: boolean;
  publishedAt?: string;
  version: number;
  createdAt: string;
  updatedAt: string;
  createdBy: string;
}

export interface AnswerAuthor {
  role: Role;
  /** A bureau's division code; '' for national; the expert's id for an expert. */
  territory: string;
  clientId: string;
  /** The expert's name from the directory, for experts. */
  name?: string;
}

export interface AnswerRecord {
  id: string;
  threadId: string;
  body: string;
  author: AnswerAuthor;
  createdAt: string;
}

export interface PublicThreadEntry {
  id: string;
  schemeId: string;
  title: string;
  publishedAt: string;
}

const PUBLIC_PARTITION = 'THREAD#PUBLIC';

export function threadItem(thread: ThreadRecord): Item {
  return {
    ...threadKey(thread.id),
    gsi1pk: byProvince('THREAD', thread.divisionCode),
    gsi1sk: `${thread.divisionCode}#${thread.id}`,
    gsi2pk: `THREAD#S#${thread.schemeId}`,
    gsi2sk: `${thread.divisionCode}#${thread.id}`,
    gsi3pk: `THREAD#E#${thread.creditCode}`,
    gsi3sk: thread.id,
    kind: 'thread',
    ...thread,
  };
}

export async function insertThread(thread: ThreadRecord): Promise<void> {
  await dynamo().send(
    new PutCommand({ TableName: mainTableName(), Item: threadItem(thread), ConditionExpression: 'attribute_not_exists(pk)' }),
  );
}

/** The thread, its answers (oldest first) and whether it is public, in one Query. */
export async function getThread(
  id: string,
  consistent = false,
): Promise<{ thread: ThreadRecord; answers: AnswerRecord[] } | undefined> {
  let thread: ThreadRecord | undefined;
  const answers: AnswerRecord[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const result = await dynamo().send(
      new QueryCommand({
        TableName: mainTableName(),
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': threadKey(id).pk },
        ConsistentRead: consistent,
        ExclusiveStartKey: start,
      }),
    );
    for (const item of result.Items ?? []) {
      if (item.kind === 'thread') thread = withoutKeys<ThreadRecord>(item);
      else if (item.kind === 'answer') answers.push(withoutKeys<AnswerRecord>(item));
    }
    start = result.LastEvaluatedKey;
  } while (start);
  return thread ? { thread, answers } : undefined;
}

const threadUpdate = (next: ThreadRecord, expectedVersion: number) => ({
  Put: {
    TableName: mainTableName(),
    Item: threadItem(next),
    ConditionExpression: 'version = :expected',
    ExpressionAttributeValues: { ':expected': expectedVersion },
  },
});

type Outcome = 'saved' | 'stale';

async function transact(items: ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']): Promise<Outcome> {
  try {
    await dynamo().send(new TransactWriteCommand({ TransactItems: items }));
    return 'saved';
  } catch (error) {
    if (error instanceof TransactionCanceledException && error.CancellationReasons?.some((r) => r.Code === 'ConditionalCheckFailed')) {
      return 'stale';
    }
    throw error;
  }
}

/** The answer and the thread's new count and status, if the thread is still at `expectedVersion`. */
export function addAnswer(next: ThreadRecord, expectedVersion: number, answer: AnswerRecord): Promise<Outcome> {
  return transact([
    threadUpdate(next, expectedVersion),
    {
      Put: {
        TableName: mainTableName(),
        Item: { ...answerKey(answer.threadId, answer.id), kind: 'answer', ...answer },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
  ]);
}

/** Saves the thread (accepted answer, status) if it is still at `expectedVersion`. */
export function saveThread(next: ThreadRecord, expectedVersion: number): Promise<Outcome> {
  return transact([threadUpdate(next, expectedVersion)]);
}

/** Marks the thread public and lists it among public threads, in one transaction. */
export function publishThread(next: ThreadRecord, expectedVersion: number): Promise<Outcome> {
  const entry: PublicThreadEntry = { id: next.id, schemeId: next.schemeId, title: next.title, publishedAt: next.publishedAt! };
  const feedKey = `${entry.publishedAt}#${entry.id}`;
  return transact([
    threadUpdate(next, expectedVersion),
    {
      Put: {
        TableName: mainTableName(),
        Item: {
          ...publicThreadKey(next.id),
          gsi1pk: PUBLIC_PARTITION,
          gsi1sk: feedKey,
          gsi2pk: `${PUBLIC_PARTITION}#S#${next.schemeId}`,
          gsi2sk: feedKey,
          kind: 'public_thread',
          ...entry,
        },
      },
    },
  ]);
}

export type ThreadListScope =
  /** The asker's own threads. */
  | { creditCode: string }
  /** An expert's: threads on these schemes. */
  | { schemeIds: string[] }
  /** A bureau's: threads within a division (null: everywhere). */
  | { division: string | null };

export async function listThreads(
  scope: ThreadListScope,
  options: { schemeId?: string; division?: string; status?: ThreadStatus; limit: number; cursor?: string },
): Promise<Page<ThreadRecord>> {
  const conditions: string[] = [];
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  if (options.status) {
    conditions.push('#status = :status');
    names['#status'] = 'status';
    values[':status'] = options.status;
  }
  let query: Parameters<typeof queryPage>[0];
  if ('creditCode' in scope) {
    if (options.schemeId) {
      conditions.push('schemeId = :schemeId');
      values[':schemeId'] = options.schemeId;
    }
    query = { index: 'gsi3', partitions: [`THREAD#E#${scope.creditCode}`], limit: options.limit };
  } else if ('schemeIds' in scope) {
    query = {
      index: 'gsi2',
      partitions: scope.schemeIds.map((id) => `THREAD#S#${id}`),
      sortKeyPrefix: options.division ? divisionPrefix(options.division) : undefined,
      limit: options.limit,
    };
  } else if (options.schemeId) {
    query = {
      index: 'gsi2',
      partitions: [`THREAD#S#${options.schemeId}`],
      sortKeyPrefix: scope.division ? divisionPrefix(scope.division) : undefined,
      limit: options.limit,
    };
  } else {
    query = {
      index: 'gsi1',
      partitions: scope.division ? [byProvince('THREAD', scope.division)] : provinceCodes.map((p) => `THREAD#P#${p}`),
      sortKeyPrefix: scope.division ? divisionPrefix(scope.division) : undefined,
      limit: options.limit,
    };
  }
  const page = await queryPage({
    ...query,
    filter: conditions.length > 0 ? { expression: conditions.join(' AND '), names, values } : undefined,
    cursor: options.cursor,
    descending: true,
  });
  return { items: page.items.map((item) => withoutKeys<ThreadRecord>(item)), nextCursor: page.nextCursor };
}

export async function listPublicThreads(options: { schemeId?: string; limit: number; cursor?: string }): Promise<Page<PublicThreadEntry>> {
  const page = await queryPage({
    index: options.schemeId ? 'gsi2' : 'gsi1',
    partitions: [options.schemeId ? `${PUBLIC_PARTITION}#S#${options.schemeId}` : PUBLIC_PARTITION],
    limit: options.limit,
    cursor: options.cursor,
    descending: true,
  });
  return { items: page.items.map((item) => withoutKeys<PublicThreadEntry>(item)), nextCursor: page.nextCursor };
}

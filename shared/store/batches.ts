/**
 * Batch uploads and their chunks. A batch moves waiting_upload → processing →
 * completed | failed by conditional updates. Each chunk's outcome is recorded
 * once: the chunk item becomes `done` and the batch's counters grow in the same
 * transaction, so a retried chunk can neither count twice nor be lost, and the
 * counters show progress while the batch runs.
 */
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../aws/clients.ts';
import type { BatchFormat } from '../domain/batch.ts';
import type { Principal } from '../domain/territory.ts';
import { batchChunkKey, batchKey } from './keys.ts';
import { type Item, mainTableName, withoutKeys } from './table.ts';

export type BatchStatus = 'waiting_upload' | 'processing' | 'completed' | 'failed';

export interface BatchCounts {
  accepted: number;
  unchanged: number;
  rejected: number;
  /** Accepted rows whose comparison succeeded. */
  compared: number;
}

export const zeroCounts = (): BatchCounts => ({ accepted: 0, unchanged: 0, rejected: 0, compared: 0 });

export interface BatchError {
  code: string;
  params?: Record<string, string | number>;
}

export interface BatchRecord extends BatchCounts {
  id: string;
  schemeId: string;
  /** The scheme version every row is checked and compared against, fixed when processing starts. */
  schemeVersion: number | null;
  fileName: string;
  format: BatchFormat;
  /** Declared size in bytes; the upload may not be larger. */
  size: number;
  status: BatchStatus;
  uploader: Principal;
  /** The uploader's territory: bureaus above it see the batch too ('' for national). */
  divisionCode: string;
  /** Data rows in the file and chunks they were split into, once read. */
  rows: number | null;
  chunks: number | null;
  errorsKey: string | null;
  error?: BatchError;
  createdAt: string;
  updatedAt: string;
  completedAt?: string;
}

export interface ChunkRecord extends BatchCounts {
  batchId: string;
  index: number;
  status: 'running' | 'done';
  /** Epoch ms of the first attempt; the time part of the rows' ids. */
  startedAtMs: number;
  /** Present when some rows were rejected. */
  errorPart?: { key: string; bytes: number };
  completedAt?: string;
}

const COUNTERS = ['accepted', 'unchanged', 'rejected', 'compared'] as const;
/** Attribute-name placeholders, so no counter ever collides with a reserved word. */
const COUNTER_NAMES = Object.fromEntries(COUNTERS.map((n) => [`#${n}`, n]));
const setCounters = () => COUNTERS.map((n) => `#${n} = :${n}`).join(', ');

export async function insertBatch(batch: BatchRecord): Promise<void> {
  await dynamo().send(
    new PutCommand({
      TableName: mainTableName(),
      // No schemeVersion until processing fixes it (if_not_exists would keep a stored null).
      Item: { ...batchKey(batch.id), kind: 'batch', ...batch, schemeVersion: batch.schemeVersion ?? undefined },
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
  );
}

export async function getBatch(id: string, consistent = false): Promise<BatchRecord | undefined> {
  const { Item: item } = await dynamo().send(
    new GetCommand({ TableName: mainTableName(), Key: batchKey(id), ConsistentRead: consistent }),
  );
  return item ? { ...withoutKeys<BatchRecord>(item), schemeVersion: (item.schemeVersion as number | undefined) ?? null } : undefined;
}

/** waiting_upload → processing; false when the batch is not waiting (a repeated upload event). */
export async function markProcessing(id: string, now: string): Promise<boolean> {
  try {
    await dynamo().send(
      new UpdateCommand({
        TableName: mainTableName(),
        Key: batchKey(id),
        UpdateExpression: 'SET #status = :processing, updatedAt = :now',
        ConditionExpression: '#status = :waiting',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':processing': 'processing', ':waiting': 'waiting_upload', ':now': now },
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

/** The file's size in rows and chunks, once split; false when the batch is no longer processing. */
export async function recordSplit(id: string, split: { rows: number; chunks: number }, now: string): Promise<boolean> {
  return conditionalUpdate(id, {
    UpdateExpression: 'SET #rows = :rows, chunks = :chunks, updatedAt = :now',
    ConditionExpression: '#status = :processing',
    ExpressionAttributeNames: { '#status': 'status', '#rows': 'rows' },
    ExpressionAttributeValues: { ':rows': split.rows, ':chunks': split.chunks, ':processing': 'processing', ':now': now },
  });
}

/**
 * Fixes the scheme version every row is checked against on the first attempt
 * (a retry keeps it) and returns it; undefined when the batch is no longer
 * processing.
 */
export async function fixSchemeVersion(id: string, version: number, now: string): Promise<number | undefined> {
  try {
    const { Attributes: item } = await dynamo().send(
      new UpdateCommand({
        TableName: mainTableName(),
        Key: batchKey(id),
        UpdateExpression: 'SET schemeVersion = if_not_exists(schemeVersion, :version), updatedAt = :now',
        ConditionExpression: '#status = :processing',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':version': version, ':processing': 'processing', ':now': now },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return item?.schemeVersion as number;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return undefined;
    throw error;
  }
}

/**
 * The chunk's record, created on the first attempt (its start time fixes the
 * rows' ids); `resumed` when an earlier attempt created it.
 */
export async function startChunk(
  batchId: string,
  index: number,
  nowMs: number,
): Promise<{ chunk: ChunkRecord; resumed: boolean }> {
  const chunk: ChunkRecord = { batchId, index, status: 'running', startedAtMs: nowMs, ...zeroCounts() };
  try {
    await dynamo().send(
      new PutCommand({
        TableName: mainTableName(),
        Item: { ...batchChunkKey(batchId, index), kind: 'batch_chunk', ...chunk },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return { chunk, resumed: false };
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
  const { Item: item } = await dynamo().send(
    new GetCommand({ TableName: mainTableName(), Key: batchChunkKey(batchId, index), ConsistentRead: true }),
  );
  return { chunk: withoutKeys<ChunkRecord>(item!), resumed: true };
}

/**
 * The chunk's outcome and the batch's counters, in one transaction, once:
 * 'recorded', or 'already' when an earlier attempt recorded it.
 */
export async function completeChunk(
  batchId: string,
  index: number,
  counts: BatchCounts,
  errorPart: ChunkRecord['errorPart'],
  now: string,
): Promise<'recorded' | 'already'> {
  const table = mainTableName();
  const values: Record<string, unknown> = { ':done': 'done', ':running': 'running', ':now': now };
  for (const name of COUNTERS) values[`:${name}`] = counts[name];
  try {
    await dynamo().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: table,
              Key: batchChunkKey(batchId, index),
              UpdateExpression: `SET #status = :done, completedAt = :now, ${setCounters()}${errorPart ? ', errorPart = :part' : ''}`,
              ConditionExpression: '#status = :running',
              ExpressionAttributeNames: { '#status': 'status', ...COUNTER_NAMES },
              ExpressionAttributeValues: { ...values, ...(errorPart ? { ':part': errorPart } : {}) },
            },
          },
          {
            Update: {
              TableName: table,
              Key: batchKey(batchId),
              UpdateExpression: `SET updatedAt = :now ADD ${COUNTERS.map((n) => `#${n} :${n}`).join(', ')}`,
              ConditionExpression: 'attribute_exists(pk)',
              ExpressionAttributeNames: COUNTER_NAMES,
              ExpressionAttributeValues: Object.fromEntries([[':now', now], ...COUNTERS.map((n) => [`:${n}`, counts[n]])]),
            },
          },
        ],
      }),
    );
    return 'recorded';
  } catch (error) {
    if (error instanceof TransactionCanceledException && error.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed') {
      return 'already';
    }
    throw error;
  }
}

export async function listChunks(batchId: string): Promise<ChunkRecord[]> {
  const chunks: ChunkRecord[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await dynamo().send(
      new QueryCommand({
        TableName: mainTableName(),
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :chunk)',
        ExpressionAttributeValues: { ':pk': batchKey(batchId).pk, ':chunk': 'CHUNK#' },
        ConsistentRead: true,
        ExclusiveStartKey: start,
      }),
    );
    chunks.push(...(page.Items ?? []).map((item: Item) => withoutKeys<ChunkRecord>(item)));
    start = page.LastEvaluatedKey;
  } while (start);
  return chunks;
}

/** processing → completed with the totals of its chunks; false when it was not processing. */
export async function completeBatch(
  id: string,
  totals: BatchCounts,
  errors: string | null,
  now: string,
): Promise<boolean> {
  return conditionalUpdate(id, {
    UpdateExpression: `SET #status = :completed, errorsKey = :errors, completedAt = :now, updatedAt = :now, ${setCounters()}`,
    ConditionExpression: '#status = :processing',
    ExpressionAttributeNames: { '#status': 'status', ...COUNTER_NAMES },
    ExpressionAttributeValues: {
      ':completed': 'completed',
      ':processing': 'processing',
      ':errors': errors,
      ':now': now,
      ...Object.fromEntries(COUNTERS.map((n) => [`:${n}`, totals[n]])),
    },
  });
}

/** → failed with the reason, unless it already finished. */
export async function failBatch(id: string, error: BatchError, now: string): Promise<boolean> {
  return conditionalUpdate(id, {
    UpdateExpression: 'SET #status = :failed, #error = :error, completedAt = :now, updatedAt = :now',
    ConditionExpression: '#status IN (:waiting, :processing)',
    ExpressionAttributeNames: { '#status': 'status', '#error': 'error' },
    ExpressionAttributeValues: {
      ':failed': 'failed',
      ':waiting': 'waiting_upload',
      ':processing': 'processing',
      ':error': error,
      ':now': now,
    },
  });
}

async function conditionalUpdate(
  id: string,
  update: Pick<
    ConstructorParameters<typeof UpdateCommand>[0],
    'UpdateExpression' | 'ConditionExpression' | 'ExpressionAttributeNames' | 'ExpressionAttributeValues'
  >,
): Promise<boolean> {
  try {
    await dynamo().send(new UpdateCommand({ TableName: mainTableName(), Key: batchKey(id), ...update }));
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

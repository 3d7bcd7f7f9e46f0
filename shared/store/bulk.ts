/**
 * Bulk access for batch ingestion: BatchGetItem and BatchWriteItem with their
 * unprocessed leftovers retried, and transactions that pack many small atomic
 * groups (one row's items) into TransactWriteItems of up to 100 items, telling
 * apart the groups whose conditions failed from those merely cancelled with
 * them.
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type BatchGetCommandInput,
  BatchWriteCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { setTimeout as sleep } from 'node:timers/promises';
import { dynamo } from '../aws/clients.ts';
import { type Item, mainTableName } from './table.ts';

export interface Key {
  pk: string;
  sk: string;
}

const GET_LIMIT = 100;
const WRITE_LIMIT = 25;
const TRANSACTION_ITEMS = 100;
/** DynamoDB allows 4 MB per transaction; stay clear of it (sizes are estimated). */
const TRANSACTION_BYTES = 3 * 1024 * 1024;
const MAX_ROUNDS = 8;
/** Cancellation reasons that say nothing against the group itself: send it again. */
const RETRIED_CODES = new Set(['None', 'TransactionConflict', 'ThrottlingError', 'ProvisionedThroughputExceeded']);

const keyOf = (key: Key) => `${key.pk}\u0000${key.sk}`;
const backoff = (round: number) => sleep(Math.min(1000, 20 * 2 ** round) * (0.5 + Math.random() / 2));

/** Runs `work` over `items` with at most `limit` running at once. */
export async function inParallel<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

const slices = <T>(items: readonly T[], size: number) =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

/** Items by key (missing keys are absent), strongly consistent, `concurrency` requests at once. */
export async function getMany(keys: readonly Key[], concurrency = 4): Promise<Map<string, Item>> {
  const found = new Map<string, Item>();
  const unique = [...new Map(keys.map((key) => [keyOf(key), { pk: key.pk, sk: key.sk }])).values()];
  const table = mainTableName();
  await inParallel(slices(unique, GET_LIMIT), concurrency, async (slice) => {
    let request: BatchGetCommandInput['RequestItems'] = { [table]: { Keys: slice, ConsistentRead: true } };
    for (let round = 0; request && Object.keys(request).length > 0; round++) {
      if (round > 0) await backoff(round);
      if (round > MAX_ROUNDS) throw Object.assign(new Error('BatchGetItem left keys unprocessed'), { name: 'ThrottlingException' });
      const result = await dynamo().send(new BatchGetCommand({ RequestItems: request }));
      for (const item of result.Responses?.[table] ?? []) found.set(keyOf(item as Key), item);
      request = result.UnprocessedKeys as BatchGetCommandInput['RequestItems'];
    }
  });
  return found;
}

export const itemOf = (items: Map<string, Item>, key: Key) => items.get(keyOf(key));

/**
 * Unconditional puts and deletes, 25 per request, `concurrency` requests at
 * once. Only for items whose key nobody else writes (ids derived from the
 * batch row), where writing twice writes the same thing.
 */
export async function writeMany(
  writes: readonly ({ put: Item } | { delete: Key })[],
  concurrency = 4,
): Promise<void> {
  const table = mainTableName();
  await inParallel(slices(writes, WRITE_LIMIT), concurrency, async (slice) => {
    let pending = slice.map((write) =>
      'put' in write ? { PutRequest: { Item: write.put } } : { DeleteRequest: { Key: write.delete } },
    );
    for (let round = 0; pending.length > 0; round++) {
      if (round > 0) await backoff(round);
      if (round > MAX_ROUNDS) throw Object.assign(new Error('BatchWriteItem left items unprocessed'), { name: 'ThrottlingException' });
      const result = await dynamo().send(new BatchWriteCommand({ RequestItems: { [table]: pending } }));
      pending = (result.UnprocessedItems?.[table] ?? []) as typeof pending;
    }
  });
}

export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** Items that must be written together or not at all (one row's declaration and pointer...). */
export interface AtomicGroup<Id> {
  id: Id;
  items: TransactItem[];
}

const sizeOf = (group: AtomicGroup<unknown>) => JSON.stringify(group.items).length;

function pack<Id>(groups: AtomicGroup<Id>[]): AtomicGroup<Id>[][] {
  const packs: AtomicGroup<Id>[][] = [];
  let current: AtomicGroup<Id>[] = [];
  let items = 0;
  let bytes = 0;
  for (const group of groups) {
    const size = sizeOf(group);
    if (current.length > 0 && (items + group.items.length > TRANSACTION_ITEMS || bytes + size > TRANSACTION_BYTES)) {
      packs.push(current);
      current = [];
      items = 0;
      bytes = 0;
    }
    current.push(group);
    items += group.items.length;
    bytes += size;
  }
  if (current.length > 0) packs.push(current);
  return packs;
}

/**
 * Writes each group atomically, many groups per transaction. Returns the ids
 * of the groups refused because one of their conditions failed (nothing of
 * them was written); every other group is written. Groups cancelled only
 * because they shared a transaction with a refused one, or that met a
 * conflicting transaction, are sent again.
 */
export async function writeGroups<Id>(groups: readonly AtomicGroup<Id>[], concurrency = 4): Promise<Set<Id>> {
  const refused = new Set<Id>();
  let pending = [...groups];
  for (let round = 0; pending.length > 0; round++) {
    if (round > MAX_ROUNDS) {
      throw Object.assign(new Error(`${pending.length} transaction groups kept conflicting`), { name: 'TransactionConflictException' });
    }
    if (round > 0) await backoff(round);
    const again: AtomicGroup<Id>[] = [];
    await inParallel(pack(pending), concurrency, async (transaction) => {
      try {
        await dynamo().send(new TransactWriteCommand({ TransactItems: transaction.flatMap((group) => group.items) }));
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
        const reasons = error.CancellationReasons ?? [];
        let offset = 0;
        for (const group of transaction) {
          const codes = group.items.map((_, i) => reasons[offset + i]?.Code ?? 'None');
          offset += group.items.length;
          const fatal = codes.find((code) => !RETRIED_CODES.has(code) && code !== 'ConditionalCheckFailed');
          if (fatal) throw new Error(`transaction item refused: ${fatal} (${JSON.stringify(reasons.find((r) => r.Code === fatal))})`);
          if (codes.includes('ConditionalCheckFailed')) refused.add(group.id);
          else again.push(group);
        }
      }
    });
    pending = again;
  }
  return refused;
}

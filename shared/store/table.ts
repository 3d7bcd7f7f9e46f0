/**
 * Table access shared by every repository: names, paging with opaque cursors,
 * and queries over one partition or over a list of partitions (shards).
 */
import { QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../aws/clients.ts';
import { config } from '../config/env.ts';
import { invalidField } from '../http/errors.ts';

export type Item = Record<string, unknown>;

export const mainTableName = () => config().tableName;

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Attributes that are keys, never shown to clients. */
const keyAttributes = new Set(['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', 'gsi3pk', 'gsi3sk', 'expiresAt', 'kind']);

export function withoutKeys<T>(item: Item): T {
  const copy: Item = {};
  for (const [name, value] of Object.entries(item)) if (!keyAttributes.has(name)) copy[name] = value;
  return copy as T;
}

interface CursorState {
  /** Index of the shard (partition) the next page starts in. */
  s: number;
  /** DynamoDB's LastEvaluatedKey within that shard. */
  k?: Record<string, string>;
}

function encodeCursor(state: CursorState): string {
  return Buffer.from(JSON.stringify(state)).toString('base64url');
}

function decodeCursor(cursor: string | undefined, shardCount: number): CursorState {
  if (!cursor) return { s: 0 };
  try {
    const state = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as CursorState;
    const validShard = Number.isInteger(state.s) && state.s >= 0 && state.s < shardCount;
    const validKey =
      state.k === undefined ||
      (typeof state.k === 'object' &&
        state.k !== null &&
        Object.values(state.k).every((v) => typeof v === 'string'));
    if (validShard && validKey) return state;
  } catch {
    // fall through to the 422
  }
  throw invalidField(['cursor'], 'invalid_cursor');
}

export interface ShardedQuery {
  index?: 'gsi1' | 'gsi2' | 'gsi3';
  /** Partition key values to read in order; one for most lists. */
  partitions: string[];
  /** Optional begins_with on the sort key. */
  sortKeyPrefix?: string;
  filter?: { expression: string; names?: Record<string, string>; values?: Record<string, unknown> };
  limit: number;
  cursor?: string;
  /** Newest first. */
  descending?: boolean;
}

/** A page across one or more partitions, never a Scan. */
export async function queryPage(query: ShardedQuery): Promise<Page<Item>> {
  const pkName = query.index ? `${query.index}pk` : 'pk';
  const skName = query.index ? `${query.index}sk` : 'sk';
  let state = decodeCursor(query.cursor, query.partitions.length);
  const items: Item[] = [];
  // Filters may leave pages short and shards may be empty; a bounded number of
  // reads (every shard once, plus a few more) keeps latency bounded.
  const maxReads = query.partitions.length + 8;
  for (let reads = 0; reads < maxReads && items.length < query.limit; reads++) {
    const partition = query.partitions[state.s]!;
    if (state.k && state.k[pkName] !== partition) throw invalidField(['cursor'], 'invalid_cursor');
    const input: QueryCommandInput = {
      TableName: mainTableName(),
      IndexName: query.index,
      KeyConditionExpression: query.sortKeyPrefix
        ? '#pk = :pk AND begins_with(#sk, :skPrefix)'
        : '#pk = :pk',
      ExpressionAttributeNames: {
        '#pk': pkName,
        ...(query.sortKeyPrefix ? { '#sk': skName } : {}),
        ...query.filter?.names,
      },
      ExpressionAttributeValues: {
        ':pk': partition,
        ...(query.sortKeyPrefix ? { ':skPrefix': query.sortKeyPrefix } : {}),
        ...query.filter?.values,
      },
      FilterExpression: query.filter?.expression,
      ExclusiveStartKey: state.k,
      Limit: query.limit - items.length,
      ScanIndexForward: !query.descending,
    };
    let result;
    try {
      result = await dynamo().send(new QueryCommand(input));
    } catch (error) {
      // A forged cursor whose key does not fit the index.
      if ((error as Error).name === 'ValidationException' && state.k) {
        throw invalidField(['cursor'], 'invalid_cursor');
      }
      throw error;
    }
    items.push(...(result.Items ?? []));
    if (result.LastEvaluatedKey) {
      state = { s: state.s, k: result.LastEvaluatedKey as Record<string, string> };
    } else if (state.s + 1 < query.partitions.length) {
      state = { s: state.s + 1 };
    } else {
      return { items, nextCursor: null };
    }
  }
  return { items, nextCursor: encodeCursor(state) };
}

export const nowIso = () => new Date().toISOString();

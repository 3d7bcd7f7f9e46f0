/**
 * The search index, in the Search table of its own (no stream: its volume
 * never reaches the Main table's stream consumers): one posting item per
 * (token, document), partition `IDX#<token>`, sort key `<type>#<id>`, holding
 * the document's weight for the token and its title. Written by the stream consumer, read by the search
 * service: one Query per query term (bounded), and BatchGetItem to check a
 * few candidates against terms whose list was too long to read in full.
 */
import { BatchGetCommand, type BatchGetCommandOutput, BatchWriteCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../aws/clients.ts';
import type { Posting, PostingList, SearchDocument, SearchType } from '../domain/search.ts';
import { postingKey, postingPartition } from './keys.ts';
import { config } from '../config/env.ts';
import type { Item } from './table.ts';

function searchTableName(): string {
  const name = config().searchTableName;
  if (!name) throw new Error('SEARCH_TABLE_NAME is not configured');
  return name;
}

/** Requests of one BatchWriteItem, and of one BatchGetItem. */
const WRITE_BATCH = 25;
const GET_BATCH = 100;
/** Batches in flight at once. */
const CONCURRENCY = 8;

type WriteRequest = { PutRequest: { Item: Item } } | { DeleteRequest: { Key: Item } };

const pause = (ms: number) => new Promise((done) => setTimeout(done, ms));

/** One batch, with its unprocessed items retried (throttling) with backoff. */
async function writeBatch(requests: WriteRequest[]): Promise<void> {
  let pending: WriteRequest[] | undefined = requests;
  for (let attempt = 0; pending && pending.length > 0; attempt++) {
    if (attempt === 8) throw new Error(`BatchWriteItem left ${pending.length} postings unprocessed`);
    if (attempt > 0) await pause(Math.min(1000, 25 * 2 ** attempt));
    const result = await dynamo().send(new BatchWriteCommand({ RequestItems: { [searchTableName()]: pending } }));
    pending = result.UnprocessedItems?.[searchTableName()] as WriteRequest[] | undefined;
  }
}

/** Batches of 25, `CONCURRENCY` in flight. */
async function writeAll(requests: WriteRequest[]): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < requests.length) {
      const batch = requests.slice(next, next + WRITE_BATCH);
      next += WRITE_BATCH;
      await writeBatch(batch);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
}

export function postingItem(document: SearchDocument, token: string, weight: number): Item {
  return {
    ...postingKey(token, document.type, document.id),
    kind: 'posting',
    type: document.type,
    id: document.id,
    title: document.title,
    w: weight,
  };
}

/**
 * Writes every posting of `documents` and deletes the listed ones. Each key
 * appears once (BatchWriteItem refuses a key twice in one request): callers
 * pass each document once and delete only tokens it no longer holds.
 */
export async function writePostings(
  documents: SearchDocument[],
  removals: { type: SearchType; id: string; tokens: string[] }[],
): Promise<void> {
  const requests: WriteRequest[] = [];
  for (const document of documents) {
    for (const [token, weight] of document.postings) requests.push({ PutRequest: { Item: postingItem(document, token, weight) } });
  }
  for (const removal of removals) {
    for (const token of removal.tokens) requests.push({ DeleteRequest: { Key: postingKey(token, removal.type, removal.id) } });
  }
  await writeAll(requests);
}

const toPosting = (token: string, item: Record<string, unknown>): Posting => ({
  token,
  type: item.type as SearchType,
  id: item.id as string,
  title: item.title as string,
  weight: item.w as number,
});

/** The first `perToken` postings of each token (of one type, if given), read in parallel. */
export async function readPostingLists(tokens: string[], type: SearchType | undefined, perToken: number): Promise<PostingList[]> {
  return Promise.all(
    tokens.map(async (token) => {
      const result = await dynamo().send(
        new QueryCommand({
          TableName: searchTableName(),
          KeyConditionExpression: type ? 'pk = :pk AND begins_with(sk, :type)' : 'pk = :pk',
          ExpressionAttributeValues: { ':pk': postingPartition(token), ...(type ? { ':type': `${type}#` } : {}) },
          ProjectionExpression: '#type, id, title, w',
          ExpressionAttributeNames: { '#type': 'type' },
          Limit: perToken,
        }),
      );
      return {
        token,
        postings: (result.Items ?? []).map((item) => toPosting(token, item)),
        truncated: result.LastEvaluatedKey !== undefined,
      };
    }),
  );
}

/** The postings that exist among these (token, document) pairs. */
export async function lookupPostings(pairs: { token: string; type: SearchType; id: string }[]): Promise<Posting[]> {
  const found: Posting[] = [];
  const table = searchTableName();
  const chunks: (typeof pairs)[] = [];
  for (let i = 0; i < pairs.length; i += GET_BATCH) chunks.push(pairs.slice(i, i + GET_BATCH));
  await Promise.all(
    chunks.map(async (chunk) => {
      let keys: Record<string, unknown>[] | undefined = chunk.map((p) => postingKey(p.token, p.type, p.id));
      for (let attempt = 0; keys && keys.length > 0; attempt++) {
        if (attempt === 5) throw new Error('BatchGetItem left postings unprocessed after retries');
        if (attempt > 0) await pause(25 * 2 ** attempt);
        const result: BatchGetCommandOutput = await dynamo().send(
          new BatchGetCommand({
            RequestItems: {
              [table]: { Keys: keys, ProjectionExpression: 'pk, #type, id, title, w', ExpressionAttributeNames: { '#type': 'type' } },
            },
          }),
        );
        for (const item of result.Responses?.[table] ?? []) {
          found.push(toPosting(String(item.pk).slice(postingPartition('').length), item));
        }
        keys = result.UnprocessedKeys?.[table]?.Keys;
      }
    }),
  );
  return found;
}

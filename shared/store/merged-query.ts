/**
 * Newest first across a few partitions at once (a reader's notices come from
 * the "everyone" partition, its province's, its city's...). Sort keys are
 * unique across the partitions, so one boundary is the whole cursor: the next
 * page holds what sorts below it, in every partition.
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../aws/clients.ts';
import { invalidField } from '../http/errors.ts';
import { type Item, mainTableName, type Page } from './table.ts';

export interface MergedQuery {
  index: 'gsi1' | 'gsi2' | 'gsi3';
  partitions: string[];
  filter?: { expression: string; names?: Record<string, string>; values?: Record<string, unknown> };
  limit: number;
  cursor?: string;
}

function decodeBoundary(cursor: string | undefined): string | undefined {
  if (cursor === undefined) return undefined;
  try {
    const state = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { b?: unknown };
    if (typeof state.b === 'string' && state.b !== '') return state.b;
  } catch {
    // fall through to the 422
  }
  throw invalidField(['cursor'], 'invalid_cursor');
}

const encodeBoundary = (boundary: string) => Buffer.from(JSON.stringify({ b: boundary })).toString('base64url');

/** Reads per request, each a Query per partition: filters may leave rounds empty. */
const MAX_ROUNDS = 4;

export async function mergedPage(query: MergedQuery): Promise<Page<Item>> {
  const skName = `${query.index}sk`;
  let boundary = decodeBoundary(query.cursor);
  const items: Item[] = [];
  for (let round = 0; round < MAX_ROUNDS && items.length < query.limit; round++) {
    const want = query.limit - items.length;
    const pages = await Promise.all(
      query.partitions.map((partition) =>
        dynamo().send(
          new QueryCommand({
            TableName: mainTableName(),
            IndexName: query.index,
            KeyConditionExpression: boundary ? '#pk = :pk AND #sk < :boundary' : '#pk = :pk',
            ExpressionAttributeNames: { '#pk': `${query.index}pk`, ...(boundary ? { '#sk': skName } : {}), ...query.filter?.names },
            ExpressionAttributeValues: { ':pk': partition, ...(boundary ? { ':boundary': boundary } : {}), ...query.filter?.values },
            FilterExpression: query.filter?.expression,
            ScanIndexForward: false,
            Limit: want,
          }),
        ),
      ),
    );
    // A partition that stopped early was read down to (and including) its last
    // evaluated key; below the highest such key some partition is unread, so only
    // what sorts at or above it is certain to be complete.
    let frontier = '';
    for (const page of pages) {
      const last = page.LastEvaluatedKey?.[skName];
      if (typeof last === 'string' && last > frontier) frontier = last;
    }
    const candidates = pages
      .flatMap((page) => page.Items ?? [])
      .filter((item) => String(item[skName]) >= frontier)
      .sort((a, b) => (String(a[skName]) < String(b[skName]) ? 1 : -1));
    const taken = candidates.slice(0, want);
    items.push(...taken);
    if (taken.length === want && want > 0) {
      boundary = String(taken.at(-1)![skName]);
      const more = frontier !== '' || candidates.length > want;
      return { items, nextCursor: more ? encodeBoundary(boundary) : null };
    }
    if (frontier === '') return { items, nextCursor: null };
    boundary = frontier;
  }
  return { items, nextCursor: boundary ? encodeBoundary(boundary) : null };
}

/**
 * Forerunner lists (领跑者名单): immutable snapshots under their scheme, also
 * listed nationally through gsi1 `FLIST`, newest first. Their state (public
 * notice, then published) follows from the time they are read.
 */
import { GetCommand, PutCommand, QueryCommand, type QueryCommandOutput } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../aws/clients.ts';
import { forerunnerListKey } from './keys.ts';
import { mainTableName, type Page, queryPage, withoutKeys } from './table.ts';

export interface ForerunnerListEntry {
  rank: number;
  declarationId: string;
  creditCode: string;
  enterpriseName: string;
  divisionCode: string;
  product: string;
  standardNumber: string;
  score: number;
  stricterCount: number;
  level: string;
}

export interface ForerunnerListRecord {
  id: string;
  schemeId: string;
  schemeName: string;
  schemeVersion: number;
  leaderShare: number;
  noticeDays: number;
  createdAt: string;
  noticeEndsAt: string;
  /** Accepted declarations that meet (n of §3). */
  ranked: number;
  entries: ForerunnerListEntry[];
  createdBy: string;
}

export async function putForerunnerList(list: ForerunnerListRecord): Promise<void> {
  await dynamo().send(
    new PutCommand({
      TableName: mainTableName(),
      Item: {
        ...forerunnerListKey(list.schemeId, list.id),
        gsi1pk: 'FLIST',
        gsi1sk: list.id,
        kind: 'forerunner_list',
        entryCount: list.entries.length,
        ...list,
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
  );
}

const fromItem = (item: Record<string, unknown>): ForerunnerListRecord => {
  const { entryCount: _count, ...list } = withoutKeys<ForerunnerListRecord & { entryCount?: number }>(item);
  return list;
};

export async function getForerunnerList(schemeId: string, listId: string): Promise<ForerunnerListRecord | undefined> {
  const { Item: item } = await dynamo().send(
    new GetCommand({ TableName: mainTableName(), Key: forerunnerListKey(schemeId, listId) }),
  );
  return item ? fromItem(item) : undefined;
}

/** Lists of one scheme, or of every scheme, newest first. */
export async function listForerunnerLists(options: { schemeId?: string; limit: number; cursor?: string }): Promise<Page<ForerunnerListRecord>> {
  const page = options.schemeId
    ? await queryPage({
        partitions: [`SCHEME#${options.schemeId}`],
        sortKeyPrefix: 'FLIST#',
        limit: options.limit,
        cursor: options.cursor,
        descending: true,
      })
    : await queryPage({ index: 'gsi1', partitions: ['FLIST'], limit: options.limit, cursor: options.cursor, descending: true });
  return {
    items: page.items.map(fromItem),
    nextCursor: page.nextCursor,
  };
}

export interface ForerunnerListSummary {
  id: string;
  schemeId: string;
  noticeEndsAt: string;
  entryCount: number;
}

/** Every list without its entries (campaign targets), oldest first. */
export async function forerunnerListSummaries(): Promise<ForerunnerListSummary[]> {
  const summaries: ForerunnerListSummary[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const result: QueryCommandOutput = await dynamo().send(
      new QueryCommand({
        TableName: mainTableName(),
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': 'FLIST' },
        ProjectionExpression: 'id, schemeId, noticeEndsAt, entryCount',
        ExclusiveStartKey: start,
      }),
    );
    summaries.push(...((result.Items ?? []) as ForerunnerListSummary[]));
    start = result.LastEvaluatedKey;
  } while (start);
  return summaries;
}

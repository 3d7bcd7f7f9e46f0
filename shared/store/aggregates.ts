/**
 * Aggregates, written only by the stream aggregator (functions/stats/aggregate-stream.ts)
 * and read by the stats, ranking and public endpoints; nothing in the request
 * path writes a counter.
 *
 * Exactly once under redelivery: each declaration has a contribution item
 * recording the declaration version it reflects and what it added. A change is
 * written in one transaction with the counters it moves, conditional on the
 * recorded version, so a record delivered twice (or an older one) finds its
 * version already applied and changes nothing. Reference counts (distinct
 * enterprises) are conditional on the value read, and each scheme's ranking
 * state carries a version that every change of its entries bumps, so the
 * forerunner reconciliation commits only what it computed from a current view.
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  GetCommand,
  QueryCommand,
  type QueryCommandOutput,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../aws/clients.ts';
import {
  type Cell,
  type ChangePlan,
  type Contribution,
  emptyMetrics,
  isPublic,
  METRICS,
  type Metrics,
  type RankEntry,
  rankKey,
} from '../domain/aggregates.ts';
import type { ComparisonResult } from '../domain/comparison.ts';
import {
  aggregatePartition,
  cellKey,
  comparisonKey,
  contributionKey,
  rankEntryKey,
  rankPartition,
  rankStateKey,
  refCountsKey,
  schemeHeadKey,
} from './keys.ts';
import { resultOf } from './comparisons.ts';
import { type Item, mainTableName, type Page, queryPage } from './table.ts';

/** Public results: accepted contributions, listed through a sparse index. */
const PUBLIC_RESULTS = 'PUBRES';
const publicResultsOf = (schemeId: string) => `PUBRES#S#${schemeId}`;

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];
type Key = { pk: string; sk: string };

/** DynamoDB's limit of items per transaction. */
export const MAX_TRANSACTION_ITEMS = 100;

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/** BatchGetItem in pages of 100, retrying unprocessed keys. */
async function batchGet(keys: Key[], options: { consistent?: boolean; projection?: string; names?: Record<string, string> } = {}): Promise<Item[]> {
  const unique = [...new Map(keys.map((k) => [`${k.pk}\u0000${k.sk}`, k])).values()];
  const items: Item[] = [];
  const table = mainTableName();
  for (let i = 0; i < unique.length; i += 100) {
    let pending: Record<string, unknown>[] | undefined = unique.slice(i, i + 100);
    for (let attempt = 0; pending && pending.length > 0; attempt++) {
      if (attempt > 0) await sleep(Math.min(1000, 20 * 2 ** attempt));
      if (attempt >= 8) throw new Error('BatchGetItem left keys unprocessed after retries');
      const result: BatchGetCommandOutput = await dynamo().send(
        new BatchGetCommand({
          RequestItems: {
            [table]: {
              Keys: pending,
              ConsistentRead: options.consistent,
              ProjectionExpression: options.projection,
              ExpressionAttributeNames: options.names,
            },
          },
        }),
      );
      items.push(...(result.Responses?.[table] ?? []));
      pending = result.UnprocessedKeys?.[table]?.Keys;
    }
  }
  return items;
}

/** Every item of one partition (optionally a sort key prefix), following pages. */
async function queryAll(pk: string, options: { skPrefix?: string; consistent?: boolean; limit?: number } = {}): Promise<Item[]> {
  const items: Item[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const result: QueryCommandOutput = await dynamo().send(
      new QueryCommand({
        TableName: mainTableName(),
        KeyConditionExpression: options.skPrefix ? 'pk = :pk AND begins_with(sk, :prefix)' : 'pk = :pk',
        ExpressionAttributeValues: { ':pk': pk, ...(options.skPrefix ? { ':prefix': options.skPrefix } : {}) },
        ConsistentRead: options.consistent,
        ExclusiveStartKey: start,
        ...(options.limit ? { Limit: options.limit - items.length } : {}),
      }),
    );
    items.push(...(result.Items ?? []));
    start = result.LastEvaluatedKey;
  } while (start && (options.limit === undefined || items.length < options.limit));
  return items;
}

// ---- reading state for the aggregator ----

export interface StoredContribution {
  version: number;
  contribution: Contribution | null;
}

export async function loadContributions(declarationIds: string[]): Promise<Map<string, StoredContribution>> {
  const items = await batchGet(declarationIds.map(contributionKey), { consistent: true });
  return new Map(
    items.map((item) => [
      String(item.pk).slice('AGG#D#'.length),
      { version: item.version as number, contribution: (item.contribution as Contribution | null) ?? null },
    ]),
  );
}

/** Results of succeeded comparisons (immutable once succeeded). */
export async function loadComparisonResults(comparisonIds: string[]): Promise<Map<string, ComparisonResult>> {
  const items = await batchGet(comparisonIds.map(comparisonKey), {
    consistent: true,
    projection: 'pk, #status, #result, resultIndicators',
    names: { '#status': 'status', '#result': 'result' },
  });
  const results = new Map<string, ComparisonResult>();
  for (const item of items) {
    const result = item.status === 'succeeded' ? resultOf(item) : undefined;
    if (result) results.set(String(item.pk).slice('CMP#'.length), result);
  }
  return results;
}

/** The attribute of the enterprise's reference counts item that holds one count. */
const REF_ATTRIBUTE_PREFIX = 'ref:';

/** Current reference counts by `<creditCode>|<key>` (missing ones are 0). */
export async function loadRefCounts(refs: { creditCode: string; key: string }[]): Promise<Map<string, number>> {
  const items = await batchGet(refs.map((r) => refCountsKey(r.creditCode)), { consistent: true });
  const counts = new Map<string, number>();
  for (const item of items) {
    const creditCode = String(item.pk).slice('AGG#E#'.length);
    for (const [name, value] of Object.entries(item)) {
      if (name.startsWith(REF_ATTRIBUTE_PREFIX)) counts.set(`${creditCode}|${name.slice(REF_ATTRIBUTE_PREFIX.length)}`, value as number);
    }
  }
  return counts;
}

/**
 * One update of an enterprise's counts item: each count set to its new value
 * only if it still holds the value the plan started from (missing is 0). One
 * item per enterprise keeps a new enterprise's first declaration at one write
 * instead of one per count.
 */
function refCountsUpdate(creditCode: string, refs: { key: string; from: number; to: number }[]): TransactItem {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = { ':kind': 'agg_refcounts' };
  const sets = ['kind = :kind'];
  const conditions: string[] = [];
  refs.forEach((ref, i) => {
    names[`#r${i}`] = `${REF_ATTRIBUTE_PREFIX}${ref.key}`;
    values[`:to${i}`] = ref.to;
    values[`:from${i}`] = ref.from;
    sets.push(`#r${i} = :to${i}`);
    conditions.push(ref.from === 0 ? `(attribute_not_exists(#r${i}) OR #r${i} = :from${i})` : `#r${i} = :from${i}`);
  });
  return {
    Update: {
      TableName: mainTableName(),
      Key: refCountsKey(creditCode),
      UpdateExpression: `SET ${sets.join(', ')}`,
      ConditionExpression: conditions.join(' AND '),
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
  };
}

export async function getLeaderShare(schemeId: string): Promise<number | undefined> {
  const { Item: item } = await dynamo().send(
    new GetCommand({
      TableName: mainTableName(),
      Key: schemeHeadKey(schemeId),
      ProjectionExpression: 'leaderShare',
    }),
  );
  return item?.leaderShare as number | undefined;
}

// ---- writing a plan ----

function addMetricsUpdate(key: Key, delta: Partial<Metrics>, kind: string): TransactItem {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = { ':kind': kind };
  const adds: string[] = [];
  Object.entries(delta).forEach(([metric, value], i) => {
    if (!value) return;
    names[`#m${i}`] = metric;
    values[`:m${i}`] = value;
    adds.push(`#m${i} :m${i}`);
  });
  return {
    Update: {
      TableName: mainTableName(),
      Key: key,
      UpdateExpression: `SET kind = :kind ADD ${adds.join(', ')}`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
  };
}

function contributionItem(declarationId: string, version: number, contribution: Contribution | null): Item {
  const item: Item = { ...contributionKey(declarationId), kind: 'agg_contribution', version, contribution };
  // Public results (accepted, with a result) are listed through a sparse index.
  if (isPublic(contribution)) {
    const sort = `${contribution.acceptedAt ?? contribution.createdAt}#${declarationId}`;
    Object.assign(item, { gsi1pk: PUBLIC_RESULTS, gsi1sk: sort, gsi2pk: publicResultsOf(contribution.schemeId), gsi2sk: sort });
  }
  return item;
}

/** The transaction items of a plan; more than MAX_TRANSACTION_ITEMS means split the changes. */
export function planItems(plan: ChangePlan): TransactItem[] {
  const table = mainTableName();
  const items: TransactItem[] = [];
  for (const change of plan.changes) {
    items.push({
      Put: {
        TableName: table,
        Item: contributionItem(change.declarationId, change.version, change.after),
        ...(change.beforeVersion === null
          ? { ConditionExpression: 'attribute_not_exists(pk)' }
          : { ConditionExpression: 'version = :before', ExpressionAttributeValues: { ':before': change.beforeVersion } }),
      },
    });
  }
  for (const entry of plan.entryDeletes) {
    items.push({ Delete: { TableName: table, Key: rankEntryKey(entry.schemeId, entry.rankKey) } });
  }
  for (const entry of plan.entryPuts) {
    items.push({ Put: { TableName: table, Item: { ...rankEntryKey(entry.schemeId, rankKey(entry)), kind: 'agg_rank_entry', ...entry } } });
  }
  // Every change of a scheme's entries bumps its ranking version (see reconcileForerunners).
  for (const [schemeId, delta] of plan.rankings) {
    items.push({
      Update: {
        TableName: table,
        Key: rankStateKey(schemeId),
        UpdateExpression: 'SET kind = :kind ADD n :delta, version :one',
        ExpressionAttributeValues: { ':kind': 'agg_rank_state', ':delta': delta, ':one': 1 },
      },
    });
  }
  const refsByEnterprise = new Map<string, { key: string; from: number; to: number }[]>();
  for (const ref of plan.refCounts.values()) {
    refsByEnterprise.set(ref.creditCode, [...(refsByEnterprise.get(ref.creditCode) ?? []), ref]);
  }
  for (const [creditCode, refs] of refsByEnterprise) items.push(refCountsUpdate(creditCode, refs));
  for (const { cell, delta } of plan.cells.values()) items.push(addMetricsUpdate(cellKey(cell), delta, 'agg_cell'));
  return items;
}

/** 'stale' when a condition failed or another transaction held an item: re-read and plan again. */
export async function writeTransaction(items: TransactItem[]): Promise<'done' | 'stale'> {
  if (items.length === 0) return 'done';
  try {
    await dynamo().send(new TransactWriteCommand({ TransactItems: items }));
    return 'done';
  } catch (error) {
    if (error instanceof TransactionCanceledException) {
      const codes = (error.CancellationReasons ?? []).map((r) => r.Code);
      if (codes.some((c) => c === 'ConditionalCheckFailed' || c === 'TransactionConflict')) return 'stale';
    }
    throw error;
  }
}

// ---- forerunner reconciliation ----

export interface ForerunnerCell {
  city: string;
  industry: string;
}

export interface RankState {
  /** Ranked (latest, compared, meeting) declarations of the scheme. */
  n: number;
  version: number;
  /** The leader share the forerunners were computed with. */
  share: number | null;
  /** Declarations counted as forerunners in the counters, with the cell they were counted in. */
  forerunners: Map<string, ForerunnerCell>;
  exists: boolean;
}

export async function getRankState(schemeId: string, consistent = false): Promise<RankState> {
  const { Item: item } = await dynamo().send(
    new GetCommand({ TableName: mainTableName(), Key: rankStateKey(schemeId), ConsistentRead: consistent }),
  );
  const forerunners = new Map(Object.entries((item?.forerunners as Record<string, ForerunnerCell> | undefined) ?? {}));
  return {
    n: (item?.n as number | undefined) ?? 0,
    version: (item?.version as number | undefined) ?? 0,
    share: (item?.share as number | undefined) ?? null,
    forerunners,
    exists: item !== undefined,
  };
}

/** The first `count` entries of a scheme's ranking, read consistently. */
export async function topRankEntries(schemeId: string, count: number): Promise<RankEntry[]> {
  if (count <= 0) return [];
  const items = await queryAll(rankPartition(schemeId), { skPrefix: 'E#', consistent: true, limit: count });
  return items.slice(0, count) as unknown as RankEntry[];
}

/**
 * Commits a new forerunner set with the forerunner deltas of its cells, only if
 * the ranking did not change since `state` was read.
 */
export async function commitForerunners(
  schemeId: string,
  state: RankState,
  share: number,
  next: Map<string, ForerunnerCell>,
  cells: { cell: Cell; delta: number }[],
): Promise<'done' | 'stale'> {
  const items: TransactItem[] = [
    {
      Update: {
        TableName: mainTableName(),
        Key: rankStateKey(schemeId),
        UpdateExpression: 'SET kind = :kind, forerunners = :forerunners, #share = :share, version = :next',
        ConditionExpression: state.exists ? 'version = :version' : 'attribute_not_exists(pk)',
        ExpressionAttributeNames: { '#share': 'share' },
        ExpressionAttributeValues: {
          ':kind': 'agg_rank_state',
          ':forerunners': Object.fromEntries(next),
          ':share': share,
          ':next': state.version + 1,
          ...(state.exists ? { ':version': state.version } : {}),
        },
      },
    },
    ...cells.filter((c) => c.delta !== 0).map(({ cell, delta }) => addMetricsUpdate(cellKey(cell), { forerunners: delta }, 'agg_cell')),
  ];
  return writeTransaction(items);
}

// ---- reading figures ----

export interface CellRow {
  key: string;
  metrics: Metrics;
}

const metricsOfItem = (item: Item): Metrics => {
  const m = emptyMetrics();
  for (const metric of METRICS) if (typeof item[metric] === 'number') m[metric] = item[metric] as number;
  return m;
};

/** The cells of one partition (a scope, dimension and area), optionally by key prefix. */
export async function readCells(scope: string, dimension: 'CITY' | 'IND' | 'SCH', area: string, keyPrefix?: string): Promise<CellRow[]> {
  const items = await queryAll(aggregatePartition(scope, dimension, area), { skPrefix: keyPrefix });
  return items.map((item) => ({ key: item.sk as string, metrics: metricsOfItem(item) }));
}

export interface RankPage {
  entries: RankEntry[];
  /** Opaque position after the last entry read; undefined at the end. */
  next?: Record<string, unknown>;
}

/** Ranking entries in rank order from a position (undefined: the top). */
export async function rankEntriesPage(schemeId: string, limit: number, start?: Record<string, unknown>): Promise<RankPage> {
  const result = await dynamo().send(
    new QueryCommand({
      TableName: mainTableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': rankPartition(schemeId), ':prefix': 'E#' },
      ExclusiveStartKey: start,
      Limit: limit,
    }),
  );
  return { entries: (result.Items ?? []) as unknown as RankEntry[], next: result.LastEvaluatedKey };
}

/** Accepted contributions (all, or of a scheme), newest acceptance first. */
export async function publicResultsPage(schemeId: string | undefined, limit: number, cursor?: string): Promise<Page<Contribution>> {
  const page = schemeId
    ? await queryPage({ index: 'gsi2', partitions: [publicResultsOf(schemeId)], limit, cursor, descending: true })
    : await queryPage({ index: 'gsi1', partitions: [PUBLIC_RESULTS], limit, cursor, descending: true });
  return { items: page.items.map((item) => item.contribution as Contribution), nextCursor: page.nextCursor };
}

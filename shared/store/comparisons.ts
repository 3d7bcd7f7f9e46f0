/**
 * Comparisons: one item per run of the comparison workflow. Status moves only
 * from running to succeeded or failed, by conditional writes, so a retried step
 * cannot change a finished comparison.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { dynamo } from '../aws/clients.ts';
import type { ComparisonResult } from '../domain/comparison.ts';
import { comparisonKey, declarationKey } from './keys.ts';
import { type Item, mainTableName, withoutKeys } from './table.ts';
import type { DeclarationRecord } from './declarations.ts';

export type ComparisonStatus = 'running' | 'succeeded' | 'failed';

export interface ReportKeys {
  zh: { html: string; json: string };
  en: { html: string; json: string };
}

export interface ComparisonRecord {
  id: string;
  declarationId: string;
  creditCode: string;
  divisionCode: string;
  schemeId: string;
  /** The scheme version compared against, known once the comparison ran. */
  schemeVersion: number | null;
  status: ComparisonStatus;
  error?: { code: string; message: string };
  result?: ComparisonResult;
  /** Reports rendered by the workflow; other languages are rendered on first request. */
  reports?: Partial<ReportKeys>;
  /**
   * The previous revision's comparison the workflow's report compared with
   * (null: none), so that reports rendered later show the same. Absent when
   * no report was rendered with the result (batch rows).
   */
  previousComparisonId?: string | null;
  createdAt: string;
  completedAt?: string;
  createdBy: string;
}

/**
 * How a result is stored: its summary as it is (stream consumers such as the
 * webhooks read `result.meets` and `result.level` from the images), its
 * indicators as gzip'd JSON in `resultIndicators`. The per-indicator detail is
 * what takes a record past 1 KB, and each write of a record is billed per KB:
 * twice in a transaction, once more for its index. Four indicators are about
 * 970 bytes of JSON and 260 gzip'd, so such a comparison stays within one unit.
 */
export function storedResult({ indicators, ...summary }: ComparisonResult): Item {
  return { result: summary, resultIndicators: gzipSync(JSON.stringify(indicators)) };
}

/** The result of a stored comparison item (or a projection with `result` and `resultIndicators`). */
export function resultOf(item: Item): ComparisonResult | undefined {
  const summary = item.result as Omit<ComparisonResult, 'indicators'> | undefined;
  const packed = item.resultIndicators as Uint8Array | undefined;
  if (!summary || !packed) return undefined;
  return { ...summary, indicators: JSON.parse(gunzipSync(packed).toString('utf8')) as ComparisonResult['indicators'] };
}

export function comparisonItem({ result, ...comparison }: ComparisonRecord): Item {
  return {
    ...comparisonKey(comparison.id),
    gsi2pk: `CMP#D#${comparison.declarationId}`,
    gsi2sk: comparison.id,
    kind: 'comparison',
    ...comparison,
    ...(result ? storedResult(result) : {}),
  };
}

/** The put of a new comparison, in the transaction that creates or re-runs its declaration's comparison. */
export function newComparisonPut(comparison: ComparisonRecord) {
  return { Put: { TableName: mainTableName(), Item: comparisonItem(comparison), ConditionExpression: 'attribute_not_exists(pk)' } };
}

/** The record of a stored comparison item. */
export function comparisonOfItem(item: Item): ComparisonRecord {
  const { result: _summary, resultIndicators: _packed, ...rest } = withoutKeys<Item>(item);
  const result = resultOf(item);
  return { ...(rest as unknown as ComparisonRecord), ...(result ? { result } : {}) };
}

export async function getComparison(id: string, consistent = false): Promise<ComparisonRecord | undefined> {
  const { Item: item } = await dynamo().send(
    new GetCommand({ TableName: mainTableName(), Key: comparisonKey(id), ConsistentRead: consistent }),
  );
  return item ? comparisonOfItem(item) : undefined;
}

/**
 * Records success and, in the same transaction, moves a submitted declaration to
 * compared and points it at its newest successful comparison. 'done' also when
 * an earlier attempt already did it; 'retry' when the declaration changed
 * meanwhile (re-read and try again).
 */
export async function recordComparisonSuccess(
  comparison: Pick<ComparisonRecord, 'id' | 'declarationId'>,
  outcome: {
    schemeVersion: number;
    result: ComparisonResult;
    reports: Partial<ReportKeys>;
    previousComparisonId: string | null;
    completedAt: string;
  },
  declaration: Pick<DeclarationRecord, 'status' | 'version'> & { lastComparisonId?: string | null },
): Promise<'done' | 'retry'> {
  const newer = !declaration.lastComparisonId || declaration.lastComparisonId < comparison.id;
  const table = mainTableName();
  const stored = storedResult(outcome.result);
  const sets = ['version = version + :one', 'updatedAt = :now'];
  const values: Record<string, unknown> = { ':one': 1, ':now': outcome.completedAt, ':version': declaration.version };
  if (newer) {
    sets.push('lastComparisonId = :comparisonId');
    values[':comparisonId'] = comparison.id;
  }
  // The first successful comparison moves submitted to compared; review states stay.
  if (declaration.status === 'submitted') {
    sets.push('#status = :compared');
    values[':compared'] = 'compared';
  }
  try {
    await dynamo().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: table,
              Key: comparisonKey(comparison.id),
              UpdateExpression:
                'SET #status = :succeeded, #result = :result, resultIndicators = :indicators, reports = :reports, previousComparisonId = :previous, schemeVersion = :schemeVersion, completedAt = :now',
              ConditionExpression: '#status = :running',
              ExpressionAttributeNames: { '#status': 'status', '#result': 'result' },
              ExpressionAttributeValues: {
                ':succeeded': 'succeeded',
                ':running': 'running',
                ':result': stored.result,
                ':indicators': stored.resultIndicators,
                ':reports': outcome.reports,
                ':previous': outcome.previousComparisonId,
                ':schemeVersion': outcome.schemeVersion,
                ':now': outcome.completedAt,
              },
            },
          },
          {
            Update: {
              TableName: table,
              Key: declarationKey(comparison.declarationId),
              UpdateExpression: `SET ${sets.join(', ')}`,
              ConditionExpression: 'version = :version',
              ...(declaration.status === 'submitted' ? { ExpressionAttributeNames: { '#status': 'status' } } : {}),
              ExpressionAttributeValues: values,
            },
          },
        ],
      }),
    );
    return 'done';
  } catch (error) {
    if (!(error instanceof TransactionCanceledException)) throw error;
    const [comparisonReason, declarationReason] = error.CancellationReasons ?? [];
    if (comparisonReason?.Code === 'ConditionalCheckFailed') {
      // Already finished: an earlier attempt of this step succeeded, or it failed for good.
      const current = await getComparison(comparison.id, true);
      if (current?.status === 'succeeded') return 'done';
      throw new Error(`Comparison ${comparison.id} is ${current?.status ?? 'missing'}, not running`);
    }
    if (declarationReason?.Code === 'ConditionalCheckFailed') return 'retry';
    throw error;
  }
}

/** running → failed with a reason; a finished comparison stays as it is. */
export async function recordComparisonFailure(
  id: string,
  error: { code: string; message: string },
  completedAt: string,
): Promise<void> {
  try {
    await dynamo().send(
      new UpdateCommand({
        TableName: mainTableName(),
        Key: comparisonKey(id),
        UpdateExpression: 'SET #status = :failed, #error = :error, completedAt = :now',
        ConditionExpression: '#status = :running',
        ExpressionAttributeNames: { '#status': 'status', '#error': 'error' },
        ExpressionAttributeValues: { ':failed': 'failed', ':running': 'running', ':error': error, ':now': completedAt },
      }),
    );
  } catch (caught) {
    if (!(caught instanceof ConditionalCheckFailedException)) throw caught;
  }
}

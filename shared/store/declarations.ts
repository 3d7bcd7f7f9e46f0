/**
 * Declarations and their revisions. A pointer item per enterprise, scheme and
 * product names the latest declaration; a revision moves the pointer and marks
 * the earlier one superseded in the same transaction as it is written, so two
 * concurrent revisions cannot both become "latest".
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../aws/clients.ts';
import type { DeclaredIndicator } from '../domain/declaration.ts';
import { divisionPrefix, provinceCodes } from '../domain/division-code.ts';
import { byProvince, declarationKey, latestDeclarationKey, productKey } from './keys.ts';
import { type Item, mainTableName, type Page, queryPage, withoutKeys } from './table.ts';

export type DeclarationStatus =
  | 'submitted'
  | 'compared'
  | 'city_recommended'
  | 'province_recommended'
  | 'accepted'
  | 'returned';

export interface DeclarationRecord {
  id: string;
  creditCode: string;
  enterpriseName: string;
  divisionCode: string;
  industry: string;
  schemeId: string;
  schemeVersion: number;
  product: string;
  standardNumber: string;
  indicators: DeclaredIndicator[];
  status: DeclarationStatus;
  /** The comparison most recently requested (at submission or by a re-run). */
  comparisonId: string | null;
  /** The newest comparison that succeeded; figures and rankings use it. */
  lastComparisonId: string | null;
  revision: number;
  supersedes: string | null;
  latest: boolean;
  version: number;
  createdAt: string;
  updatedAt: string;
  createdBy: string;
  /** Set when the national level accepted it (reviews). */
  acceptedAt?: string;
}

export function declarationItem(declaration: DeclarationRecord): Item {
  return {
    ...declarationKey(declaration.id),
    gsi1pk: byProvince('DECL', declaration.divisionCode),
    gsi1sk: `${declaration.divisionCode}#${declaration.id}`,
    gsi2pk: `DECL#E#${declaration.creditCode}`,
    gsi2sk: `${declaration.schemeId}#${productKey(declaration.product)}#${declaration.id}`,
    gsi3pk: `DECL#S#${declaration.schemeId}`,
    gsi3sk: `${declaration.divisionCode}#${declaration.id}`,
    kind: 'declaration',
    ...declaration,
  };
}

export interface LatestPointer {
  declarationId: string;
  revision: number;
}

export async function getLatestPointer(
  creditCode: string,
  schemeId: string,
  product: string,
): Promise<LatestPointer | undefined> {
  const { Item: item } = await dynamo().send(
    new GetCommand({
      TableName: mainTableName(),
      Key: latestDeclarationKey(creditCode, schemeId, product),
      ConsistentRead: true,
    }),
  );
  return item ? { declarationId: item.declarationId as string, revision: item.revision as number } : undefined;
}

/**
 * The transaction items that write a declaration replacing `previous` (or the
 * first) exactly once: the declaration only if new, the pointer moved only
 * from `previous`, and `previous` no longer latest only if it still was.
 * `extra` items (the comparison record) join the same transaction.
 */
export function declarationWrites(
  declaration: DeclarationRecord,
  previous: LatestPointer | undefined,
  extra: NonNullable<TransactWriteCommandInput['TransactItems']> = [],
  attributes: Item = {},
): NonNullable<TransactWriteCommandInput['TransactItems']> {
  const table = mainTableName();
  const pointerKey = latestDeclarationKey(declaration.creditCode, declaration.schemeId, declaration.product);
  const items: NonNullable<TransactWriteCommandInput['TransactItems']> = [
    {
      Put: {
        TableName: table,
        Item: { ...declarationItem(declaration), ...attributes },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    {
      Put: {
        TableName: table,
        Item: { ...pointerKey, kind: 'declaration_pointer', declarationId: declaration.id, revision: declaration.revision },
        ...(previous
          ? {
              ConditionExpression: 'declarationId = :previous',
              ExpressionAttributeValues: { ':previous': previous.declarationId },
            }
          : { ConditionExpression: 'attribute_not_exists(pk)' }),
      },
    },
    ...extra,
  ];
  if (previous) {
    items.push({
      Update: {
        TableName: table,
        Key: declarationKey(previous.declarationId),
        UpdateExpression: 'SET latest = :false, updatedAt = :now, version = version + :one',
        ConditionExpression: 'latest = :true',
        ExpressionAttributeValues: { ':false': false, ':true': true, ':now': declaration.createdAt, ':one': 1 },
      },
    });
  }
  return items;
}

/**
 * Writes a declaration that replaces `previous` (or is the first). 'stale' when
 * another revision moved the pointer first: re-read and try again.
 */
export async function insertDeclaration(
  declaration: DeclarationRecord,
  previous: LatestPointer | undefined,
  extra: NonNullable<TransactWriteCommandInput['TransactItems']> = [],
): Promise<'created' | 'stale'> {
  const items = declarationWrites(declaration, previous, extra);
  try {
    await dynamo().send(new TransactWriteCommand({ TransactItems: items }));
    return 'created';
  } catch (error) {
    if (error instanceof TransactionCanceledException) {
      const reasons = error.CancellationReasons ?? [];
      if (reasons.some((r) => r.Code === 'ConditionalCheckFailed')) return 'stale';
    }
    throw error;
  }
}

export async function getDeclaration(id: string, consistent = false): Promise<DeclarationRecord | undefined> {
  const { Item: item } = await dynamo().send(
    new GetCommand({ TableName: mainTableName(), Key: declarationKey(id), ConsistentRead: consistent }),
  );
  return item ? withoutKeys<DeclarationRecord>(item) : undefined;
}

/** Every revision of one enterprise, scheme and product, oldest first. */
export async function listRevisions(creditCode: string, schemeId: string, product: string): Promise<DeclarationRecord[]> {
  const revisions: DeclarationRecord[] = [];
  let cursor: string | undefined;
  do {
    const page = await queryPage({
      index: 'gsi2',
      partitions: [`DECL#E#${creditCode}`],
      sortKeyPrefix: `${schemeId}#${productKey(product)}#`,
      limit: 100,
      cursor,
    });
    revisions.push(...page.items.map((item) => withoutKeys<DeclarationRecord>(item)));
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return revisions;
}

export interface DeclarationFilter {
  /** Confined division: null for everything. */
  division: string | null;
  creditCode?: string;
  schemeId?: string;
  status?: DeclarationStatus;
  limit: number;
  cursor?: string;
}

/** Picks the index that serves the filter; the rest are filter expressions. */
export async function listDeclarations(filter: DeclarationFilter): Promise<Page<DeclarationRecord>> {
  const conditions: string[] = [];
  const values: Record<string, unknown> = {};
  const names: Record<string, string> = {};
  if (filter.status) {
    conditions.push('#status = :status');
    names['#status'] = 'status';
    values[':status'] = filter.status;
  }

  let query: Parameters<typeof queryPage>[0];
  if (filter.creditCode) {
    if (filter.division) {
      conditions.push('begins_with(divisionCode, :division)');
      values[':division'] = divisionPrefix(filter.division);
    }
    query = {
      index: 'gsi2',
      partitions: [`DECL#E#${filter.creditCode}`],
      sortKeyPrefix: filter.schemeId ? `${filter.schemeId}#` : undefined,
      limit: filter.limit,
    };
  } else if (filter.schemeId) {
    query = {
      index: 'gsi3',
      partitions: [`DECL#S#${filter.schemeId}`],
      sortKeyPrefix: filter.division ? divisionPrefix(filter.division) : undefined,
      limit: filter.limit,
    };
  } else {
    query = {
      index: 'gsi1',
      partitions: filter.division
        ? [byProvince('DECL', filter.division)]
        : provinceCodes.map((p) => `DECL#P#${p}`),
      sortKeyPrefix: filter.division ? divisionPrefix(filter.division) : undefined,
      limit: filter.limit,
    };
  }
  const page = await queryPage({
    ...query,
    cursor: filter.cursor,
    filter: conditions.length
      ? {
          expression: conditions.join(' AND '),
          names: Object.keys(names).length ? names : undefined,
          values,
        }
      : undefined,
  });
  return { items: page.items.map((item) => withoutKeys<DeclarationRecord>(item)), nextCursor: page.nextCursor };
}

/**
 * Materials of declarations. A counter item per declaration holds the number
 * of live materials (waiting for their upload, or verified); a new material
 * takes a slot and a rejection frees it, each in one transaction with the
 * material, so concurrent requests can never exceed the cap.
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { dynamo } from '../aws/clients.ts';
import { MATERIAL_OPEN_STATUSES, REJECTED_RETENTION_DAYS, type Rejection } from '../domain/materials.ts';
import { declarationKey, materialKey, materialSlotsKey } from './keys.ts';
import { type Item, mainTableName, type Page, queryPage, withoutKeys } from './table.ts';

export type MaterialStatus = 'waiting_upload' | 'verified' | 'rejected';

export interface MaterialRecord {
  id: string;
  declarationId: string;
  /** Of the declaration, for audits; access is decided on the declaration itself. */
  creditCode: string;
  divisionCode: string;
  fileName: string;
  contentType: string;
  size: number;
  sha256: string;
  status: MaterialStatus;
  uploadKey: string;
  /** When the presigned POST stops being accepted. */
  uploadExpiresAt: string;
  /** The verified copy, once verified. */
  objectKey?: string;
  reason?: Rejection;
  createdAt: string;
  createdBy: string;
  decidedAt?: string;
}

/** The partition of a declaration's materials. */
const partitionOf = (declarationId: string) => materialSlotsKey(declarationId).pk;

export function materialItem(material: MaterialRecord): Item {
  return { ...materialKey(material.declarationId, material.id), kind: 'material', ...material };
}

export type InsertOutcome = 'created' | 'declaration_closed' | 'full';

/**
 * Transactions on one declaration's counter conflict when requests come in a
 * burst (TransactionConflict, not a failed condition): try again shortly.
 */
async function retryingConflicts<T>(run: () => Promise<T>, attempts = 6): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      const conflicted =
        error instanceof TransactionCanceledException &&
        (error.CancellationReasons ?? []).some((reason) => reason.Code === 'TransactionConflict');
      if (!conflicted || attempt >= attempts) throw error;
      await new Promise((done) => setTimeout(done, 10 * 2 ** attempt * (0.5 + Math.random())));
    }
  }
}

/**
 * Writes a waiting material if the declaration still takes materials (latest,
 * no final decision) and a slot is free under `cap`.
 */
export async function insertMaterial(material: MaterialRecord, cap: number): Promise<InsertOutcome> {
  const table = mainTableName();
  const statusValues = Object.fromEntries(MATERIAL_OPEN_STATUSES.map((status, i) => [`:open${i}`, status]));
  try {
    await retryingConflicts(() =>
      dynamo().send(
        new TransactWriteCommand({
          TransactItems: [
            {
              ConditionCheck: {
                TableName: table,
                Key: declarationKey(material.declarationId),
                ConditionExpression: `attribute_exists(pk) AND latest = :true AND #status IN (${Object.keys(statusValues).join(', ')})`,
                ExpressionAttributeNames: { '#status': 'status' },
                ExpressionAttributeValues: { ':true': true, ...statusValues },
              },
            },
            {
              Update: {
                TableName: table,
                Key: materialSlotsKey(material.declarationId),
                UpdateExpression: 'SET live = if_not_exists(live, :zero) + :one, kind = :kind',
                ConditionExpression: 'attribute_not_exists(live) OR live < :cap',
                ExpressionAttributeValues: { ':zero': 0, ':one': 1, ':cap': cap, ':kind': 'material_slots' },
              },
            },
            { Put: { TableName: table, Item: materialItem(material), ConditionExpression: 'attribute_not_exists(pk)' } },
          ],
        }),
      ),
    );
    return 'created';
  } catch (error) {
    if (!(error instanceof TransactionCanceledException)) throw error;
    const [declaration, slots] = error.CancellationReasons ?? [];
    if (declaration?.Code === 'ConditionalCheckFailed') return 'declaration_closed';
    if (slots?.Code === 'ConditionalCheckFailed') return 'full';
    throw error;
  }
}

export async function getMaterial(
  declarationId: string,
  materialId: string,
  consistent = false,
): Promise<MaterialRecord | undefined> {
  const { Item: item } = await dynamo().send(
    new GetCommand({ TableName: mainTableName(), Key: materialKey(declarationId, materialId), ConsistentRead: consistent }),
  );
  return item ? withoutKeys<MaterialRecord>(item) : undefined;
}

/** Live slots taken, for tests and operators. */
export async function liveMaterialCount(declarationId: string): Promise<number> {
  const { Item: item } = await dynamo().send(
    new GetCommand({ TableName: mainTableName(), Key: materialSlotsKey(declarationId), ConsistentRead: true }),
  );
  return (item?.live as number | undefined) ?? 0;
}

/** Materials of a declaration, oldest first (ids are ULIDs). */
export async function listMaterials(declarationId: string, limit: number, cursor?: string): Promise<Page<MaterialRecord>> {
  const page = await queryPage({
    partitions: [partitionOf(declarationId)],
    sortKeyPrefix: 'MAT#',
    limit,
    cursor,
  });
  return { items: page.items.map((item) => withoutKeys<MaterialRecord>(item)), nextCursor: page.nextCursor };
}

/** Waiting materials whose upload window closed before `cutoff` (ISO time). */
export async function waitingSince(declarationId: string, cutoff: string): Promise<MaterialRecord[]> {
  const found: MaterialRecord[] = [];
  let cursor: string | undefined;
  do {
    const page = await queryPage({
      partitions: [partitionOf(declarationId)],
      sortKeyPrefix: 'MAT#',
      filter: {
        expression: '#status = :waiting AND uploadExpiresAt < :cutoff',
        names: { '#status': 'status' },
        values: { ':waiting': 'waiting_upload', ':cutoff': cutoff },
      },
      limit: 100,
      cursor,
    });
    found.push(...page.items.map((item) => withoutKeys<MaterialRecord>(item)));
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return found;
}

export type DecisionOutcome = 'done' | 'already_decided';

/** waiting_upload → verified; a material decided before stays as it is. */
export async function recordVerified(
  material: Pick<MaterialRecord, 'declarationId' | 'id'>,
  objectKey: string,
  decidedAt: string,
): Promise<DecisionOutcome> {
  try {
    await dynamo().send(
      new UpdateCommand({
        TableName: mainTableName(),
        Key: materialKey(material.declarationId, material.id),
        UpdateExpression: 'SET #status = :verified, objectKey = :objectKey, decidedAt = :now',
        ConditionExpression: '#status = :waiting',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':verified': 'verified', ':waiting': 'waiting_upload', ':objectKey': objectKey, ':now': decidedAt },
      }),
    );
    return 'done';
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return 'already_decided';
    throw error;
  }
}

/**
 * waiting_upload → rejected with the reason, freeing its slot in the same
 * transaction; the record expires (TTL) after REJECTED_RETENTION_DAYS.
 */
export async function recordRejected(
  material: Pick<MaterialRecord, 'declarationId' | 'id'>,
  reason: Rejection,
  decidedAt: string,
): Promise<DecisionOutcome> {
  const table = mainTableName();
  const expiresAt = Math.floor(Date.parse(decidedAt) / 1000) + REJECTED_RETENTION_DAYS * 86_400;
  try {
    await retryingConflicts(() =>
      dynamo().send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: table,
                Key: materialKey(material.declarationId, material.id),
                UpdateExpression: 'SET #status = :rejected, reason = :reason, decidedAt = :now, expiresAt = :expiresAt',
                ConditionExpression: '#status = :waiting',
                ExpressionAttributeNames: { '#status': 'status' },
                ExpressionAttributeValues: {
                  ':rejected': 'rejected',
                  ':waiting': 'waiting_upload',
                  ':reason': reason,
                  ':now': decidedAt,
                  ':expiresAt': expiresAt,
                },
              },
            },
            {
              Update: {
                TableName: table,
                Key: materialSlotsKey(material.declarationId),
                UpdateExpression: 'SET live = live - :one',
                ConditionExpression: 'live > :zero',
                ExpressionAttributeValues: { ':one': 1, ':zero': 0 },
              },
            },
          ],
        }),
      ),
    );
    return 'done';
  } catch (error) {
    if (!(error instanceof TransactionCanceledException)) throw error;
    const [materialReason] = error.CancellationReasons ?? [];
    if (materialReason?.Code === 'ConditionalCheckFailed') return 'already_decided';
    throw error;
  }
}

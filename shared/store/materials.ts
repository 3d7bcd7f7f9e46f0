/**
 * Materials of declarations and of notices. A counter item per owner holds
 * the number of live materials (waiting for their upload, or verified); a new
 * material takes a slot and a rejection frees it, each in one transaction with
 * the material, so concurrent requests can never exceed the cap. A notice's
 * material, once verified, is also summarised on the notice item in the same
 * transaction (see NoticeAttachment), so notice views read no material.
 */
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../aws/clients.ts';
import {
  declarationOwner,
  MATERIAL_OPEN_STATUSES,
  type MaterialOwner,
  noticeOwner,
  REJECTED_RETENTION_DAYS,
  type Rejection,
} from '../domain/materials.ts';
import { noticeAttachmentOf } from '../domain/notices.ts';
import { declarationKey, materialKey, materialPartition, materialSlotsKey, noticeKey } from './keys.ts';
import { type Item, mainTableName, type Page, queryPage, withoutKeys } from './table.ts';

export type MaterialStatus = 'waiting_upload' | 'verified' | 'rejected';

interface MaterialFields {
  id: string;
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

export interface DeclarationMaterialRecord extends MaterialFields {
  declarationId: string;
  /** Of the declaration, for audits; access is decided on the declaration itself. */
  creditCode: string;
  divisionCode: string;
  noticeId?: never;
}

/** An attachment of a notice; access is decided on the notice itself. */
export interface NoticeMaterialRecord extends MaterialFields {
  noticeId: string;
  declarationId?: never;
}

export type MaterialRecord = DeclarationMaterialRecord | NoticeMaterialRecord;

/** What identifies a material: its id and its owner's. */
export type MaterialRef = Pick<DeclarationMaterialRecord, 'declarationId' | 'id'> | Pick<NoticeMaterialRecord, 'noticeId' | 'id'>;

/** An owner, or a declaration id standing for its declaration. */
export type OwnerRef = MaterialOwner | string;

const asOwner = (owner: OwnerRef): MaterialOwner => (typeof owner === 'string' ? declarationOwner(owner) : owner);

export const ownerOf = (material: MaterialRef): MaterialOwner =>
  'noticeId' in material && material.noticeId !== undefined
    ? noticeOwner(material.noticeId)
    : declarationOwner((material as Pick<DeclarationMaterialRecord, 'declarationId'>).declarationId);

export function materialItem(material: MaterialRecord): Item {
  return { ...materialKey(ownerOf(material), material.id), kind: 'material', ...material };
}

export type InsertOutcome = 'created' | 'owner_closed' | 'full';

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

/** The owner's condition for taking a new material, checked in the same transaction. */
function ownerOpenCheck(owner: MaterialOwner, table: string) {
  if (owner.kind === 'notice') {
    // A notice takes attachments while it is a draft (domain/notices.ts acceptsAttachments).
    return {
      TableName: table,
      Key: noticeKey(owner.id),
      ConditionExpression: 'attribute_exists(pk) AND #status = :draft',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':draft': 'draft' },
    };
  }
  // A declaration while it is the latest revision with no final decision (acceptsMaterials).
  const statusValues = Object.fromEntries(MATERIAL_OPEN_STATUSES.map((status, i) => [`:open${i}`, status]));
  return {
    TableName: table,
    Key: declarationKey(owner.id),
    ConditionExpression: `attribute_exists(pk) AND latest = :true AND #status IN (${Object.keys(statusValues).join(', ')})`,
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: { ':true': true, ...statusValues },
  };
}

/**
 * Writes a waiting material if its owner still takes materials (a declaration:
 * latest, no final decision; a notice: a draft) and a slot is free under `cap`.
 */
export async function insertMaterial(material: MaterialRecord, cap: number): Promise<InsertOutcome> {
  const table = mainTableName();
  const owner = ownerOf(material);
  try {
    await retryingConflicts(() =>
      dynamo().send(
        new TransactWriteCommand({
          TransactItems: [
            { ConditionCheck: ownerOpenCheck(owner, table) },
            {
              Update: {
                TableName: table,
                Key: materialSlotsKey(owner),
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
    const [ownerCheck, slots] = error.CancellationReasons ?? [];
    if (ownerCheck?.Code === 'ConditionalCheckFailed') return 'owner_closed';
    if (slots?.Code === 'ConditionalCheckFailed') return 'full';
    throw error;
  }
}

/** One material of an owner (a declaration id stands for its declaration). */
export async function getMaterial(owner: OwnerRef, materialId: string, consistent = false): Promise<MaterialRecord | undefined> {
  const { Item: item } = await dynamo().send(
    new GetCommand({ TableName: mainTableName(), Key: materialKey(asOwner(owner), materialId), ConsistentRead: consistent }),
  );
  return item ? withoutKeys<MaterialRecord>(item) : undefined;
}

/** Live slots taken, for tests and operators. */
export async function liveMaterialCount(owner: OwnerRef): Promise<number> {
  const { Item: item } = await dynamo().send(
    new GetCommand({ TableName: mainTableName(), Key: materialSlotsKey(asOwner(owner)), ConsistentRead: true }),
  );
  return (item?.live as number | undefined) ?? 0;
}

/**
 * Materials of an owner, oldest first (ids are ULIDs); `verifiedOnly` filters
 * the others out (a page may then hold fewer than `limit`).
 */
export async function listMaterials(
  owner: OwnerRef,
  limit: number,
  cursor?: string,
  options: { verifiedOnly?: boolean } = {},
): Promise<Page<MaterialRecord>> {
  const page = await queryPage({
    partitions: [materialPartition(asOwner(owner))],
    sortKeyPrefix: 'MAT#',
    filter: options.verifiedOnly
      ? { expression: '#status = :verified', names: { '#status': 'status' }, values: { ':verified': 'verified' } }
      : undefined,
    limit,
    cursor,
  });
  return { items: page.items.map((item) => withoutKeys<MaterialRecord>(item)), nextCursor: page.nextCursor };
}

/** Waiting materials whose upload window closed before `cutoff` (ISO time). */
export async function waitingSince(owner: OwnerRef, cutoff: string): Promise<MaterialRecord[]> {
  const found: MaterialRecord[] = [];
  let cursor: string | undefined;
  do {
    const page = await queryPage({
      partitions: [materialPartition(asOwner(owner))],
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

/**
 * waiting_upload → verified; a material decided before stays as it is. A
 * notice's attachment is appended to the notice's summary in the same
 * transaction, with the notice's version bumped (its representation changed,
 * and a whole-item save of an older read must not drop the summary); the
 * material's condition makes a repeated event append nothing.
 */
export async function recordVerified(
  material: Pick<DeclarationMaterialRecord, 'declarationId' | 'id'> | NoticeMaterialRecord,
  objectKey: string,
  decidedAt: string,
): Promise<DecisionOutcome> {
  const table = mainTableName();
  const owner = ownerOf(material);
  const verify = {
    TableName: table,
    Key: materialKey(owner, material.id),
    UpdateExpression: 'SET #status = :verified, objectKey = :objectKey, decidedAt = :now',
    ConditionExpression: '#status = :waiting',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: { ':verified': 'verified', ':waiting': 'waiting_upload', ':objectKey': objectKey, ':now': decidedAt },
  };
  // Notices only: a declaration's material is one conditional update, as it always was.
  const summarise =
    owner.kind === 'notice'
      ? {
          TableName: table,
          Key: noticeKey(owner.id),
          UpdateExpression:
            'SET attachments = list_append(if_not_exists(attachments, :none), :attachment), version = version + :one, updatedAt = :now',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: {
            ':none': [],
            ':attachment': [noticeAttachmentOf(material as NoticeMaterialRecord)],
            ':one': 1,
            ':now': decidedAt,
          },
        }
      : undefined;
  try {
    if (summarise) {
      await retryingConflicts(() => dynamo().send(new TransactWriteCommand({ TransactItems: [{ Update: verify }, { Update: summarise }] })));
    } else {
      await dynamo().send(new UpdateCommand(verify));
    }
    return 'done';
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return 'already_decided';
    if (!(error instanceof TransactionCanceledException)) throw error;
    const [materialReason] = error.CancellationReasons ?? [];
    if (materialReason?.Code === 'ConditionalCheckFailed') return 'already_decided';
    throw error;
  }
}

/**
 * waiting_upload → rejected with the reason, freeing its slot in the same
 * transaction; the record expires (TTL) after REJECTED_RETENTION_DAYS.
 */
export async function recordRejected(
  material: MaterialRef,
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
                Key: materialKey(ownerOf(material), material.id),
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
                Key: materialSlotsKey(ownerOf(material)),
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

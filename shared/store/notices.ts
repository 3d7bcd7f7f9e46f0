/**
 * Notices. A published notice sits in the partition of its audience's
 * division (`NOTICE#AUD#<division>` or `NOTICE#AUD#ALL`), so a reader reads
 * the few partitions whose audience includes it, newest first, and nothing
 * else; public ones also in `NOTICE#PUBLIC`. Drafts and archived notices are
 * in neither: only their author's list (`NOTICE#BY#<territory>`) holds them.
 * Every change is a whole-item put conditional on the version read.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../aws/clients.ts';
import type { Audience, NoticeAttachment, NoticeAuthor, NoticeStatus } from '../domain/notices.ts';
import { provinceCodes } from '../domain/division-code.ts';
import type { Role } from '../domain/territory.ts';
import { noticeKey } from './keys.ts';
import { mergedPage } from './merged-query.ts';
import { type Item, mainTableName, type Page, queryPage, withoutKeys } from './table.ts';

export interface NoticeRecord {
  id: string;
  title: string;
  body: string;
  audience: Audience;
  public: boolean;
  status: NoticeStatus;
  author: NoticeAuthor;
  version: number;
  createdAt: string;
  updatedAt: string;
  createdBy: string;
  publishedAt?: string;
  archivedAt?: string;
  /**
   * Verified attachments, oldest first, appended only by the verification
   * (shared/store/materials.ts recordVerified, which bumps the version); every
   * other write keeps them as read.
   */
  attachments?: NoticeAttachment[];
}

const audiencePartition = (divisionCode: string | null | undefined) => `NOTICE#AUD#${divisionCode ?? 'ALL'}`;
const authorPartition = (territory: string) => `NOTICE#BY#${territory || 'NATIONAL'}`;
const PUBLIC_PARTITION = 'NOTICE#PUBLIC';

export function noticeItem(notice: NoticeRecord): Item {
  const published = notice.status === 'published' && notice.publishedAt;
  const feedKey = `${notice.publishedAt}#${notice.id}`;
  return {
    ...noticeKey(notice.id),
    ...(published ? { gsi1pk: audiencePartition(notice.audience.divisionCode), gsi1sk: feedKey } : {}),
    ...(published && notice.public ? { gsi2pk: PUBLIC_PARTITION, gsi2sk: feedKey } : {}),
    gsi3pk: authorPartition(notice.author.territory),
    gsi3sk: notice.id,
    kind: 'notice',
    ...notice,
  };
}

export async function insertNotice(notice: NoticeRecord): Promise<void> {
  await dynamo().send(
    new PutCommand({ TableName: mainTableName(), Item: noticeItem(notice), ConditionExpression: 'attribute_not_exists(pk)' }),
  );
}

/** Replaces the notice if it is still at `expectedVersion`; 'stale' otherwise. */
export async function saveNotice(notice: NoticeRecord, expectedVersion: number): Promise<'saved' | 'stale'> {
  try {
    await dynamo().send(
      new PutCommand({
        TableName: mainTableName(),
        Item: noticeItem(notice),
        ConditionExpression: 'version = :expected',
        ExpressionAttributeValues: { ':expected': expectedVersion },
      }),
    );
    return 'saved';
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return 'stale';
    throw error;
  }
}

export async function getNotice(id: string, consistent = false): Promise<NoticeRecord | undefined> {
  const { Item: item } = await dynamo().send(
    new GetCommand({ TableName: mainTableName(), Key: noticeKey(id), ConsistentRead: consistent }),
  );
  return item ? withoutKeys<NoticeRecord>(item) : undefined;
}

/** Published notices whose audience division is one of `divisions` (null: everyone) and whose roles admit `role`. */
export async function listAddressedNotices(options: {
  divisions: (string | null)[];
  role: Role;
  limit: number;
  cursor?: string;
}): Promise<Page<NoticeRecord>> {
  const page = await mergedPage({
    index: 'gsi1',
    partitions: options.divisions.map(audiencePartition),
    filter: {
      expression: 'size(#audience.#roles) = :zero OR contains(#audience.#roles, :role)',
      names: { '#audience': 'audience', '#roles': 'roles' },
      values: { ':zero': 0, ':role': options.role },
    },
    limit: options.limit,
    cursor: options.cursor,
  });
  return { items: page.items.map((item) => withoutKeys<NoticeRecord>(item)), nextCursor: page.nextCursor };
}

export async function listPublicNotices(limit: number, cursor?: string): Promise<Page<NoticeRecord>> {
  const page = await queryPage({ index: 'gsi2', partitions: [PUBLIC_PARTITION], limit, cursor, descending: true });
  return { items: page.items.map((item) => withoutKeys<NoticeRecord>(item)), nextCursor: page.nextCursor };
}

/**
 * Notices written by one bureau (`territory`: a province code, '' for
 * national), or by every bureau (`territory` null: national's view), newest
 * first per author.
 */
export async function listAuthoredNotices(options: {
  territory: string | null;
  status?: NoticeStatus;
  limit: number;
  cursor?: string;
}): Promise<Page<NoticeRecord>> {
  const partitions =
    options.territory === null
      ? [authorPartition(''), ...provinceCodes.map((p) => authorPartition(`${p}0000`))]
      : [authorPartition(options.territory)];
  const page = await queryPage({
    index: 'gsi3',
    partitions,
    filter: options.status
      ? { expression: '#status = :status', names: { '#status': 'status' }, values: { ':status': options.status } }
      : undefined,
    limit: options.limit,
    cursor: options.cursor,
    descending: true,
  });
  return { items: page.items.map((item) => withoutKeys<NoticeRecord>(item)), nextCursor: page.nextCursor };
}

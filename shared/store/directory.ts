/**
 * The directory: experts and third-party technical bodies (institutions),
 * and who is assigned to which scheme. A member is one item, listed through
 * gsi1 by division (`EXPERT` / `INST`, sort key `<division>#<id>`: a few
 * thousand members written by national only, so one partition each); each
 * assignment is a copy of the member under `ASSIGN#<schemeId>`, written in the
 * same transaction as the member, so "experts of a scheme" is one Query.
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, type BatchGetCommandOutput, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../aws/clients.ts';
import { divisionPrefix } from '../domain/division-code.ts';
import { assignmentKey, expertKey, institutionKey, schemeHeadKey } from './keys.ts';
import { type Item, mainTableName, type Page, queryPage, withoutKeys } from './table.ts';

export type MemberType = 'expert' | 'institution';

export interface MemberRecord {
  id: string;
  name: string;
  fields: string[];
  divisionCode: string;
  schemeIds: string[];
  version: number;
  createdAt: string;
  updatedAt: string;
  updatedBy: string;
}

/** At most this many schemes per member: one transaction writes them all. */
export const MAX_SCHEMES_PER_MEMBER = 40;

const memberKey = (type: MemberType, id: string) => (type === 'expert' ? expertKey(id) : institutionKey(id));
const assignmentPrefix = (type: MemberType) => (type === 'expert' ? 'EXPERT' : 'INST');

function memberItem(type: MemberType, member: MemberRecord): Item {
  return {
    ...memberKey(type, member.id),
    gsi1pk: assignmentPrefix(type),
    gsi1sk: `${member.divisionCode}#${member.id}`,
    // The stream consumer indexes items of these kinds for search.
    kind: type,
    ...member,
  };
}

const assignmentItem = (type: MemberType, schemeId: string, member: MemberRecord): Item => ({
  ...assignmentKey(schemeId, assignmentPrefix(type), member.id),
  kind: 'assignment',
  ...member,
});

type TransactItems = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>;

/** Writes a new member, or a new version of one still at `expectedVersion` (then `previous` is what it was). */
export async function saveMember(
  type: MemberType,
  member: MemberRecord,
  previous?: MemberRecord,
): Promise<'saved' | 'stale'> {
  const table = mainTableName();
  const items: TransactItems = [
    {
      Put: {
        TableName: table,
        Item: memberItem(type, member),
        ...(previous
          ? { ConditionExpression: 'version = :expected', ExpressionAttributeValues: { ':expected': previous.version } }
          : { ConditionExpression: 'attribute_not_exists(pk)' }),
      },
    },
  ];
  for (const schemeId of previous?.schemeIds ?? []) {
    if (!member.schemeIds.includes(schemeId)) {
      items.push({ Delete: { TableName: table, Key: assignmentKey(schemeId, assignmentPrefix(type), member.id) } });
    }
  }
  for (const schemeId of member.schemeIds) {
    items.push({ Put: { TableName: table, Item: assignmentItem(type, schemeId, member) } });
  }
  try {
    await dynamo().send(new TransactWriteCommand({ TransactItems: items }));
    return 'saved';
  } catch (error) {
    if (error instanceof TransactionCanceledException && error.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed') {
      return 'stale';
    }
    throw error;
  }
}

export async function getMember(type: MemberType, id: string, consistent = false): Promise<MemberRecord | undefined> {
  const { Item: item } = await dynamo().send(
    new GetCommand({ TableName: mainTableName(), Key: memberKey(type, id), ConsistentRead: consistent }),
  );
  return item ? withoutKeys<MemberRecord>(item) : undefined;
}

/**
 * Members within a division (null: all), of a field, assigned to a scheme.
 * A scheme is the partition when given; the rest are key prefixes or filters.
 */
export async function listMembers(
  type: MemberType,
  options: { division: string | null; field?: string; schemeId?: string; limit: number; cursor?: string },
): Promise<Page<MemberRecord>> {
  const conditions: string[] = [];
  const values: Record<string, unknown> = {};
  const names: Record<string, string> = {};
  if (options.field) {
    conditions.push('contains(#fields, :field)');
    names['#fields'] = 'fields';
    values[':field'] = options.field;
  }
  let page;
  if (options.schemeId) {
    if (options.division) {
      conditions.push('begins_with(divisionCode, :division)');
      values[':division'] = divisionPrefix(options.division);
    }
    page = await queryPage({
      partitions: [assignmentKey(options.schemeId, assignmentPrefix(type), '').pk],
      sortKeyPrefix: `${assignmentPrefix(type)}#`,
      filter: conditions.length > 0 ? { expression: conditions.join(' AND '), names, values } : undefined,
      limit: options.limit,
      cursor: options.cursor,
    });
  } else {
    page = await queryPage({
      index: 'gsi1',
      partitions: [assignmentPrefix(type)],
      sortKeyPrefix: options.division ? divisionPrefix(options.division) : undefined,
      filter: conditions.length > 0 ? { expression: conditions.join(' AND '), names, values } : undefined,
      limit: options.limit,
      cursor: options.cursor,
    });
  }
  return { items: page.items.map((item) => withoutKeys<MemberRecord>(item)), nextCursor: page.nextCursor };
}

/** Which of these scheme ids exist (BatchGetItem of the scheme heads). */
export async function existingSchemeIds(ids: string[]): Promise<Set<string>> {
  const unique = [...new Set(ids)];
  const found = new Set<string>();
  const table = mainTableName();
  for (let i = 0; i < unique.length; i += 100) {
    let keys: Record<string, unknown>[] | undefined = unique.slice(i, i + 100).map(schemeHeadKey);
    for (let attempt = 0; keys && keys.length > 0; attempt++) {
      if (attempt === 5) throw new Error('BatchGetItem left scheme keys unprocessed after retries');
      const result: BatchGetCommandOutput = await dynamo().send(
        new BatchGetCommand({ RequestItems: { [table]: { Keys: keys, ProjectionExpression: 'id' } } }),
      );
      for (const item of result.Responses?.[table] ?? []) found.add(String(item.id));
      keys = result.UnprocessedKeys?.[table]?.Keys;
    }
  }
  return found;
}

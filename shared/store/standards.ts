import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, type BatchGetCommandOutput, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../aws/clients.ts';
import { standardKey, standardNumberKey } from './keys.ts';
import { mainTableName, type Page, queryPage, withoutKeys } from './table.ts';

export interface StandardRecord {
  id: string;
  number: string;
  title: string;
  titleEn?: string;
  aliases: string[];
  org: string;
  kind: 'international' | 'foreign' | 'domestic';
  adoption?: { number: string; degree: 'IDT' | 'MOD' | 'NEQ' | 'EQV' };
  createdAt: string;
  createdBy: string;
}

/** The standard and its number's uniqueness item, in one transaction. */
export async function putStandard(standard: StandardRecord): Promise<'created' | 'exists'> {
  try {
    await dynamo().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: mainTableName(),
              Item: { ...standardNumberKey(standard.number), standardId: standard.id },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          {
            Put: {
              TableName: mainTableName(),
              Item: {
                ...standardKey(standard.id),
                gsi1pk: 'STD',
                gsi1sk: standard.number,
                gsi2pk: `STD#ORG#${standard.org}`,
                gsi2sk: standard.number,
                ...standard,
                // `kind` is the item kind; the standard's own kind is stored as standardKind.
                kind: 'standard',
                standardKind: standard.kind,
              },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
        ],
      }),
    );
    return 'created';
  } catch (error) {
    if (error instanceof TransactionCanceledException) return 'exists';
    throw error;
  }
}

function fromItem(item: Record<string, unknown>): StandardRecord {
  const record = withoutKeys<StandardRecord & { standardKind: StandardRecord['kind'] }>(item);
  const { standardKind, ...rest } = record;
  return { ...rest, kind: standardKind };
}

export async function getStandard(id: string): Promise<StandardRecord | undefined> {
  const { Item: item } = await dynamo().send(new GetCommand({ TableName: mainTableName(), Key: standardKey(id) }));
  return item ? fromItem(item) : undefined;
}

/** Which of these normalised numbers are in the catalogue. */
export async function existingStandardNumbers(numbers: string[]): Promise<Set<string>> {
  const unique = [...new Set(numbers)];
  const found = new Set<string>();
  for (let i = 0; i < unique.length; i += 100) {
    let keys: Record<string, unknown>[] | undefined = unique.slice(i, i + 100).map(standardNumberKey);
    for (let attempt = 0; keys && keys.length > 0 && attempt < 5; attempt++) {
      const result: BatchGetCommandOutput = await dynamo().send(
        new BatchGetCommand({ RequestItems: { [mainTableName()]: { Keys: keys, ProjectionExpression: 'pk' } } }),
      );
      for (const item of result.Responses?.[mainTableName()] ?? []) {
        found.add(String(item.pk).slice('STDNUM#'.length));
      }
      keys = result.UnprocessedKeys?.[mainTableName()]?.Keys;
    }
    if (keys && keys.length > 0) throw new Error('BatchGet left keys unprocessed after retries');
  }
  return found;
}

export async function listStandards(options: {
  org?: string;
  kind?: string;
  numberPrefix?: string;
  limit: number;
  cursor?: string;
}): Promise<Page<StandardRecord>> {
  const page = await queryPage({
    index: options.org ? 'gsi2' : 'gsi1',
    partitions: [options.org ? `STD#ORG#${options.org}` : 'STD'],
    sortKeyPrefix: options.numberPrefix || undefined,
    filter: options.kind
      ? { expression: 'standardKind = :kind', values: { ':kind': options.kind } }
      : undefined,
    limit: options.limit,
    cursor: options.cursor,
  });
  return { items: page.items.map(fromItem), nextCursor: page.nextCursor };
}

/** Standards by normalised number; numbers not in the catalogue are left out. */
export async function getStandardsByNumbers(numbers: string[]): Promise<StandardRecord[]> {
  const table = mainTableName();
  const batchGet = async (keys: Record<string, unknown>[]) => {
    const items: Record<string, unknown>[] = [];
    for (let i = 0; i < keys.length; i += 100) {
      let pending: Record<string, unknown>[] | undefined = keys.slice(i, i + 100);
      for (let attempt = 0; pending && pending.length > 0 && attempt < 5; attempt++) {
        const result: BatchGetCommandOutput = await dynamo().send(new BatchGetCommand({ RequestItems: { [table]: { Keys: pending } } }));
        items.push(...(result.Responses?.[table] ?? []));
        pending = result.UnprocessedKeys?.[table]?.Keys;
      }
      if (pending && pending.length > 0) throw new Error('BatchGet left keys unprocessed after retries');
    }
    return items;
  };
  const pointers = await batchGet([...new Set(numbers)].map(standardNumberKey));
  const ids = pointers.map((item) => item.standardId as string);
  return (await batchGet(ids.map(standardKey))).map(fromItem);
}

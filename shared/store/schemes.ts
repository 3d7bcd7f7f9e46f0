/**
 * Schemes are versioned: the head item holds the latest version, and every
 * version is kept immutable beside it, so a comparison can name the version it
 * used and a re-run can use the newest.
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../aws/clients.ts';
import type { SchemeDefinition } from '../domain/scheme.ts';
import { schemeHeadKey, schemeVersionKey } from './keys.ts';
import { type Item, mainTableName, type Page, queryPage, withoutKeys } from './table.ts';

export interface SchemeRecord extends SchemeDefinition {
  id: string;
  version: number;
  createdAt: string;
  updatedAt: string;
  updatedBy: string;
}

function headItem(scheme: SchemeRecord): Item {
  return {
    ...schemeHeadKey(scheme.id),
    gsi1pk: 'SCHEME',
    gsi1sk: scheme.id,
    gsi2pk: `SCHEME#F#${scheme.field}`,
    gsi2sk: `${scheme.industry}#${scheme.id}`,
    kind: 'scheme',
    ...scheme,
  };
}

const versionItem = (scheme: SchemeRecord): Item => ({
  ...schemeVersionKey(scheme.id, scheme.version),
  kind: 'scheme_version',
  ...scheme,
});

export async function createScheme(scheme: SchemeRecord): Promise<void> {
  await dynamo().send(
    new TransactWriteCommand({
      TransactItems: [
        { Put: { TableName: mainTableName(), Item: headItem(scheme), ConditionExpression: 'attribute_not_exists(pk)' } },
        { Put: { TableName: mainTableName(), Item: versionItem(scheme), ConditionExpression: 'attribute_not_exists(pk)' } },
      ],
    }),
  );
}

/** A new version, only if the head is still at `expectedVersion` (If-Match). */
export async function saveSchemeVersion(scheme: SchemeRecord, expectedVersion: number): Promise<'saved' | 'stale'> {
  try {
    await dynamo().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: mainTableName(),
              Item: headItem(scheme),
              ConditionExpression: 'version = :expected',
              ExpressionAttributeValues: { ':expected': expectedVersion },
            },
          },
          { Put: { TableName: mainTableName(), Item: versionItem(scheme), ConditionExpression: 'attribute_not_exists(pk)' } },
        ],
      }),
    );
    return 'saved';
  } catch (error) {
    if (error instanceof TransactionCanceledException) return 'stale';
    throw error;
  }
}

export async function getScheme(id: string, version?: number): Promise<SchemeRecord | undefined> {
  const key = version === undefined ? schemeHeadKey(id) : schemeVersionKey(id, version);
  const { Item: item } = await dynamo().send(new GetCommand({ TableName: mainTableName(), Key: key }));
  return item ? withoutKeys<SchemeRecord>(item) : undefined;
}

export async function listSchemes(options: {
  field?: string;
  industry?: string;
  limit: number;
  cursor?: string;
}): Promise<Page<SchemeRecord>> {
  const page = options.field
    ? await queryPage({
        index: 'gsi2',
        partitions: [`SCHEME#F#${options.field}`],
        sortKeyPrefix: options.industry ? `${options.industry}#` : undefined,
        limit: options.limit,
        cursor: options.cursor,
      })
    : await queryPage({
        index: 'gsi1',
        partitions: ['SCHEME'],
        filter: options.industry
          ? { expression: 'industry = :industry', values: { ':industry': options.industry } }
          : undefined,
        limit: options.limit,
        cursor: options.cursor,
      });
  return { items: page.items.map((item) => withoutKeys<SchemeRecord>(item)), nextCursor: page.nextCursor };
}

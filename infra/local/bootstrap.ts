/**
 * Creates locally what the stateful stack creates on AWS, from the same
 * definitions (infra/definitions/tables.ts). Safe to run on every start.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import {
  type AttributeDefinition,
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  type DynamoDBClient,
  type GlobalSecondaryIndex,
  type KeySchemaElement,
  ResourceInUseException,
  ResourceNotFoundException,
  type TableDescription,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, HeadBucketCommand, PutBucketCorsCommand, type S3Client } from '@aws-sdk/client-s3';
import type { IndexDefinition, KeyDefinition, TableDefinition } from '../definitions/tables.ts';

/** Browser uploads from any local origin (presigned POST from the web client). */
export const localCorsRules = [
  {
    AllowedOrigins: ['*'],
    AllowedMethods: ['GET', 'PUT', 'POST', 'HEAD', 'DELETE'],
    AllowedHeaders: ['*'],
    ExposeHeaders: ['ETag', 'Location', 'x-amz-request-id'],
    MaxAgeSeconds: 3000,
  },
];

export function physicalTableName(prefix: string, definition: TableDefinition): string {
  return `${prefix}-${definition.id}`;
}

function keySchema(partitionKey: KeyDefinition, sortKey?: KeyDefinition): KeySchemaElement[] {
  return [
    { AttributeName: partitionKey.name, KeyType: 'HASH' },
    ...(sortKey ? [{ AttributeName: sortKey.name, KeyType: 'RANGE' as const }] : []),
  ];
}

function attributeDefinitions(keys: KeyDefinition[]): AttributeDefinition[] {
  const byName = new Map<string, KeyDefinition>();
  for (const key of keys) {
    const known = byName.get(key.name);
    if (known && known.type !== key.type) {
      throw new Error(`attribute ${key.name} is declared both as ${known.type} and ${key.type}`);
    }
    byName.set(key.name, key);
  }
  return [...byName.values()].map((key) => ({ AttributeName: key.name, AttributeType: key.type }));
}

function indexKeys(index: IndexDefinition): KeyDefinition[] {
  return [index.partitionKey, index.sortKey];
}

function globalSecondaryIndex(index: IndexDefinition): GlobalSecondaryIndex {
  return {
    IndexName: index.indexName,
    KeySchema: keySchema(index.partitionKey, index.sortKey),
    Projection: { ProjectionType: 'ALL' },
  };
}

async function describe(client: DynamoDBClient, tableName: string): Promise<TableDescription | undefined> {
  try {
    return (await client.send(new DescribeTableCommand({ TableName: tableName }))).Table;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return undefined;
    throw error;
  }
}

async function createTable(client: DynamoDBClient, tableName: string, definition: TableDefinition): Promise<void> {
  const indexes = definition.globalSecondaryIndexes;
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: keySchema(definition.partitionKey, definition.sortKey),
        AttributeDefinitions: attributeDefinitions([
          definition.partitionKey,
          ...(definition.sortKey ? [definition.sortKey] : []),
          ...indexes.flatMap(indexKeys),
        ]),
        ...(indexes.length > 0 ? { GlobalSecondaryIndexes: indexes.map(globalSecondaryIndex) } : {}),
        ...(definition.stream
          ? { StreamSpecification: { StreamEnabled: true, StreamViewType: definition.stream } }
          : {}),
      }),
    );
  } catch (error) {
    // Another process bootstrapping the same names got there first.
    if (!(error instanceof ResourceInUseException)) throw error;
  }
}

/**
 * Brings a table created by an older version of the definitions (a persistent
 * npm start database) up to date: missing GSIs and the stream. Key changes
 * cannot be migrated in place, so they fail loudly.
 */
async function reconcileTable(
  client: DynamoDBClient,
  tableName: string,
  definition: TableDefinition,
  table: TableDescription,
): Promise<void> {
  const expectedKeys = JSON.stringify(keySchema(definition.partitionKey, definition.sortKey));
  const actualKeys = JSON.stringify(
    (table.KeySchema ?? []).map(({ AttributeName, KeyType }) => ({ AttributeName, KeyType })),
  );
  if (expectedKeys !== actualKeys) {
    throw new Error(
      `table ${tableName} has key schema ${actualKeys}, the definition expects ${expectedKeys}; ` +
        'delete the local data directory to recreate it',
    );
  }
  const existing = new Set((table.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName));
  // AWS accepts one GSI creation per UpdateTable call; DynamoDB Local is held to the same.
  for (const index of definition.globalSecondaryIndexes) {
    if (existing.has(index.indexName)) continue;
    await client.send(
      new UpdateTableCommand({
        TableName: tableName,
        AttributeDefinitions: attributeDefinitions(indexKeys(index)),
        GlobalSecondaryIndexUpdates: [{ Create: globalSecondaryIndex(index) }],
      }),
    );
  }
  if (definition.stream && !table.StreamSpecification?.StreamEnabled) {
    await client.send(
      new UpdateTableCommand({
        TableName: tableName,
        StreamSpecification: { StreamEnabled: true, StreamViewType: definition.stream },
      }),
    );
  }
  if (definition.globalSecondaryIndexes.some((index) => !existing.has(index.indexName))) {
    await waitForIndexes(client, tableName);
  }
}

/** New indexes backfill before they can be queried. */
async function waitForIndexes(client: DynamoDBClient, tableName: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const table = await describe(client, tableName);
    if ((table?.GlobalSecondaryIndexes ?? []).every((index) => index.IndexStatus === 'ACTIVE')) return;
    if (Date.now() > deadline) throw new Error(`indexes of ${tableName} still not ACTIVE after ${timeoutMs} ms`);
    await sleep(200);
  }
}

async function ensureTimeToLive(client: DynamoDBClient, tableName: string, attribute: string): Promise<void> {
  const { TimeToLiveDescription } = await client.send(new DescribeTimeToLiveCommand({ TableName: tableName }));
  const status = TimeToLiveDescription?.TimeToLiveStatus;
  if (status === 'ENABLED' || status === 'ENABLING') {
    if (TimeToLiveDescription?.AttributeName === attribute) return;
    throw new Error(
      `table ${tableName} expires items by ${TimeToLiveDescription?.AttributeName}, the definition by ${attribute}`,
    );
  }
  await client.send(
    new UpdateTimeToLiveCommand({
      TableName: tableName,
      TimeToLiveSpecification: { Enabled: true, AttributeName: attribute },
    }),
  );
}

/**
 * Creates each table `${prefix}-${definition.id}` when absent (on-demand, GSIs
 * projecting ALL, stream, TTL) and returns definition id -> physical name.
 */
export async function ensureTables(
  client: DynamoDBClient,
  definitions: TableDefinition[],
  prefix: string,
): Promise<Record<string, string>> {
  const entries = await Promise.all(
    definitions.map(async (definition): Promise<[string, string]> => {
      const tableName = physicalTableName(prefix, definition);
      if (!/^[A-Za-z0-9_.-]{3,255}$/.test(tableName)) {
        throw new Error(`invalid table name ${tableName}: 3-255 characters of A-Z a-z 0-9 _ . -`);
      }
      const table = await describe(client, tableName);
      if (table) await reconcileTable(client, tableName, definition, table);
      else await createTable(client, tableName, definition);
      if (definition.timeToLiveAttribute) {
        await ensureTimeToLive(client, tableName, definition.timeToLiveAttribute);
      }
      return [definition.id, tableName];
    }),
  );
  return Object.fromEntries(entries);
}

/** Creates the buckets when absent, with the permissive local CORS rules. */
export async function ensureBuckets(client: S3Client, names: string[]): Promise<void> {
  await Promise.all(
    names.map(async (name) => {
      let exists = true;
      try {
        await client.send(new HeadBucketCommand({ Bucket: name }));
      } catch (error) {
        if ((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode !== 404) throw error;
        exists = false;
      }
      if (!exists) {
        try {
          await client.send(new CreateBucketCommand({ Bucket: name }));
        } catch (error) {
          const code = (error as { name?: string }).name;
          if (code !== 'BucketAlreadyOwnedByYou' && code !== 'BucketAlreadyExists') throw error;
        }
      }
      // Buckets created through the API (not at emulator start) need CORS too.
      await client.send(new PutBucketCorsCommand({ Bucket: name, CORSConfiguration: { CORSRules: localCorsRules } }));
    }),
  );
}

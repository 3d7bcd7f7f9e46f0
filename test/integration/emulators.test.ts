/**
 * Smoke test of the local emulator layer: what the handlers rely on works on
 * DynamoDB Local and the S3 emulator as it does on AWS.
 */
import {
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  GetItemCommand,
  TransactionCanceledException,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import {
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  DescribeStreamCommand,
} from '@aws-sdk/client-dynamodb-streams';
import { GetObjectCommand, paginateListObjectsV2, PutObjectCommand } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { beforeAll, describe, expect, it } from 'vitest';
import { mainTable } from '../../infra/definitions/tables.ts';
import type { ObjectCreatedRecord } from '../../infra/local/s3-emulator.ts';
import {
  createTestBuckets,
  createTestTables,
  emulatorClients,
  emulatorEndpoints,
  onObjectCreated,
} from '../support/emulators.ts';

let tableNames: Record<string, string>;
let bucketNames: Record<string, string>;

beforeAll(async () => {
  [tableNames, bucketNames] = await Promise.all([createTestTables('smoke'), createTestBuckets('smoke')]);
});

describe('DynamoDB Local', () => {
  it('has the tables of the definitions, with GSIs, stream and TTL', async () => {
    const { dynamodb } = emulatorClients();
    expect(Object.keys(tableNames).sort()).toEqual(['Idempotency', 'Main', 'Search']);
    const { Table } = await dynamodb.send(new DescribeTableCommand({ TableName: tableNames.Main }));
    expect(Table?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
    expect(Table?.GlobalSecondaryIndexes?.map((index) => [index.IndexName, index.Projection?.ProjectionType]))
      .toEqual(mainTable.globalSecondaryIndexes.map((index) => [index.indexName, 'ALL']));
    expect(Table?.StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' });
    const ttl = await dynamodb.send(new DescribeTimeToLiveCommand({ TableName: tableNames.Main }));
    expect(ttl.TimeToLiveDescription).toMatchObject({ TimeToLiveStatus: 'ENABLED', AttributeName: 'expiresAt' });
  });

  it('gives each call fresh tables and is idempotent per prefix', async () => {
    const other = await createTestTables('smoke');
    expect(other.Main).not.toBe(tableNames.Main);
  });

  it('runs transactions, cancels them on a failed condition, and streams the writes', async () => {
    const { dynamodb } = emulatorClients();
    const TableName = tableNames.Main!;
    const put = (sk: string) => ({
      Put: {
        TableName,
        Item: { pk: { S: 'ENT#1' }, sk: { S: sk }, gsi1pk: { S: 'TERR#330106' }, gsi1sk: { S: sk } },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    });
    await dynamodb.send(new TransactWriteItemsCommand({ TransactItems: [put('PROFILE'), put('DECL#2024')] }));
    const stored = await dynamodb.send(
      new GetItemCommand({ TableName, Key: { pk: { S: 'ENT#1' }, sk: { S: 'DECL#2024' } } }),
    );
    expect(stored.Item?.gsi1pk).toEqual({ S: 'TERR#330106' });

    const again = dynamodb.send(new TransactWriteItemsCommand({ TransactItems: [put('DECL#2025'), put('PROFILE')] }));
    await expect(again).rejects.toBeInstanceOf(TransactionCanceledException);
    const rolledBack = await dynamodb.send(
      new GetItemCommand({ TableName, Key: { pk: { S: 'ENT#1' }, sk: { S: 'DECL#2025' } } }),
    );
    expect(rolledBack.Item).toBeUndefined();

    const { Table } = await dynamodb.send(new DescribeTableCommand({ TableName }));
    const streams = new DynamoDBStreamsClient({
      region: 'us-east-1',
      endpoint: emulatorEndpoints().dynamodb,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: Table!.LatestStreamArn }));
    const { ShardIterator } = await streams.send(
      new GetShardIteratorCommand({
        StreamArn: Table!.LatestStreamArn,
        ShardId: StreamDescription!.Shards![0]!.ShardId,
        ShardIteratorType: 'TRIM_HORIZON',
      }),
    );
    const { Records } = await streams.send(new GetRecordsCommand({ ShardIterator }));
    expect(Records?.map((record) => [record.eventName, record.dynamodb?.NewImage?.sk?.S])).toEqual([
      ['INSERT', 'PROFILE'],
      ['INSERT', 'DECL#2024'],
    ]);
    streams.destroy();
  });
});

describe('S3 emulator', () => {
  it('accepts a presigned POST upload and reports the created object', async () => {
    const { s3 } = emulatorClients();
    const Bucket = bucketNames.Materials!;
    const Key = 'declarations/ENT#1/材料 1.csv';
    const received: ObjectCreatedRecord[] = [];
    let arrived!: () => void;
    const arrival = new Promise<void>((resolve) => (arrived = resolve));
    const subscription = await onObjectCreated((record) => {
      if (record.bucket !== Bucket) return; // other files upload in parallel
      received.push(record);
      arrived();
    });
    try {
      const { url, fields } = await createPresignedPost(s3, {
        Bucket,
        Key,
        Conditions: [['content-length-range', 1, 1024]],
        Fields: { 'Content-Type': 'text/csv' },
        Expires: 300,
      });
      const form = new FormData();
      for (const [name, value] of Object.entries(fields)) form.append(name, value);
      form.append('file', new Blob(['code,value\nA1,42\n'], { type: 'text/csv' }), 'upload.csv');
      const response = await fetch(url, { method: 'POST', body: form, headers: { Origin: 'http://localhost:5173' } });
      expect(response.status).toBe(204);
      expect(response.headers.get('access-control-allow-origin')).toBe('*');

      await arrival;
      expect(received).toEqual([{ bucket: Bucket, key: Key, size: 17, eventName: 'ObjectCreated:Post' }]);
      const object = await s3.send(new GetObjectCommand({ Bucket, Key }));
      expect(object.ContentType).toBe('text/csv');
      expect(await object.Body?.transformToString()).toBe('code,value\nA1,42\n');
    } finally {
      subscription.close();
    }
  });

  it('answers a CORS preflight for browser uploads', async () => {
    const response = await fetch(`${emulatorEndpoints().s3}/${bucketNames.Materials}`, {
      method: 'OPTIONS',
      headers: {
        Origin: 'http://localhost:5173',
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'content-type',
      },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('pages ListObjectsV2 with continuation tokens', async () => {
    const { s3 } = emulatorClients();
    const Bucket = bucketNames.Reports!;
    // "x" and "x-1": s3rver's own listing returns these out of key order.
    const keys = ['x-1', 'x', 'a', 'b', 'c/1', 'c/2', 'd'];
    await Promise.all(keys.map((Key) => s3.send(new PutObjectCommand({ Bucket, Key, Body: Key }))));

    const pages: string[][] = [];
    for await (const page of paginateListObjectsV2({ client: s3, pageSize: 3 }, { Bucket })) {
      pages.push((page.Contents ?? []).map((object) => object.Key!));
    }
    expect(pages).toEqual([['a', 'b', 'c/1'], ['c/2', 'd', 'x'], ['x-1']]);

    const prefixes: string[] = [];
    const flat: string[] = [];
    for await (const page of paginateListObjectsV2({ client: s3, pageSize: 2 }, { Bucket, Delimiter: '/' })) {
      flat.push(...(page.Contents ?? []).map((object) => object.Key!));
      prefixes.push(...(page.CommonPrefixes ?? []).map((prefix) => prefix.Prefix!));
    }
    expect(flat).toEqual(['a', 'b', 'd', 'x', 'x-1']);
    expect(prefixes).toEqual(['c/']);
  });
});

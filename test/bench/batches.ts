/**
 * A 10,000-row batch through the local platform: seconds from the upload
 * request to `completed` with every row compared, rows per second, and the
 * process's peak RSS while it runs (the platform, its handlers and DynamoDB
 * Local's client all live in this process; DynamoDB Local is a Java child).
 *
 * Beside it, in the same run, raw BatchWriteItem throughput on DynamoDB Local
 * (concurrency 8, 25 items per request) for the same number of items: copies
 * of the very items the batch wrote (enterprise, declaration, pointer and
 * comparison of a row), into a table of the same definition that no stream
 * consumer reads. Measured before and after the batch, each time with the
 * platform's stream consumers idle; the mean is the baseline of the ratio.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { ApiClient } from '../../infra/local/api-client.ts';
import { ensureTables } from '../../infra/local/bootstrap.ts';
import type { Platform } from '../../infra/local/runtime.ts';
import { mainTable } from '../../infra/definitions/tables.ts';
import { comparisonKey, declarationKey, enterpriseKey, latestDeclarationKey } from '../../shared/store/keys.ts';
import { textileRows, uploadBatch, utf8Csv, waitForBatch } from '../support/batches.ts';
import type { Row } from './stats.ts';

const CONCURRENCY = 8;

/** Peak resident set size while `work` runs, sampled every 20 ms. */
async function peakRss<T>(work: () => Promise<T>): Promise<{ result: T; peak: number; before: number }> {
  const before = process.memoryUsage.rss();
  let peak = before;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 20);
  try {
    const result = await work();
    return { result, peak: Math.max(peak, process.memoryUsage.rss()), before };
  } finally {
    clearInterval(timer);
  }
}

/** Items per second of BatchWriteItem for `count` copies of `templates` (keys made unique). */
async function rawBatchWrite(doc: DynamoDBDocumentClient, table: string, templates: Record<string, unknown>[], count: number, run: string) {
  // Copies are made per request, so the baseline holds no more in memory than the batch does.
  // Index sort keys made unique too, as the batch's own items' are (identical index keys cost DynamoDB Local more).
  const copy = (i: number) => {
    const template = templates[i % templates.length]!;
    const item: Record<string, unknown> = { ...template, pk: `RAW#${run}#${i}`, sk: String(template.sk) };
    for (const index of ['gsi1', 'gsi2', 'gsi3']) {
      if (item[`${index}sk`] !== undefined) item[`${index}sk`] = `${String(item[`${index}sk`])}#${run}${i}`;
    }
    return item;
  };
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < count) {
        const first = next;
        next += 25;
        const slice = Array.from({ length: Math.min(25, count - first) }, (_, k) => copy(first + k));
        let pending: unknown[] = slice.map((item) => ({ PutRequest: { Item: item } }));
        while (pending.length > 0) {
          const result = await doc.send(new BatchWriteCommand({ RequestItems: { [table]: pending as never } }));
          pending = result.UnprocessedItems?.[table] ?? [];
        }
      }
    }),
  );
  return count / ((performance.now() - started) / 1000);
}

export async function benchBatches(platform: Platform, admin: ApiClient, schemeId: string, rowCount = 10_000): Promise<Row[]> {
  const province = await admin.call<{ clientId: string; clientSecret: string }>('POST', '/v1/clients', {
    name: 'bench province',
    role: 'province',
    territory: '330000',
  });
  const uploader = new ApiClient(platform.url, province.clientId, province.clientSecret);
  const rows = textileRows(rowCount, '330108', 500_000, '基准批量产品');
  const file = utf8Csv(rows);
  await uploader.accessToken();

  const dynamo = new DynamoDBClient({
    endpoint: platform.endpoints.dynamodb,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const doc = DynamoDBDocumentClient.from(dynamo, { marshallOptions: { removeUndefinedValues: true } });
  const rawTable = (await ensureTables(dynamo, [mainTable], `bench-raw-${Date.now().toString(36)}`)).Main!;

  // A one-row batch first: it warms the handlers, and its items are the templates of the raw writes.
  const warmup = textileRows(1, '330108', 499_999, '基准批量产品');
  await waitForBatch(uploader, await uploadBatch(uploader, schemeId, utf8Csv(warmup), 'csv'));
  const templates = await rowItems(doc, platform.tableNames.Main!, String(warmup[0]![0]), schemeId, '基准批量产品');
  // Enterprise, declaration, pointer and comparison per row.
  const itemWrites = rowCount * templates.length;
  // Each measure starts with the stream consumers (aggregates, webhooks) idle;
  // the work the batch gives them runs during the batch, as it would.
  await platform.streams?.drain();
  const rawBefore = await rawBatchWrite(doc, rawTable, templates, itemWrites, 'a');

  const started = performance.now();
  const { result: batch, peak, before } = await peakRss(async () =>
    waitForBatch(uploader, await uploadBatch(uploader, schemeId, file, 'csv', 'bench.csv'), 600_000),
  );
  const seconds = (performance.now() - started) / 1000;
  if (batch.status !== 'completed' || batch.compared !== rowCount || batch.accepted !== rowCount) {
    throw new Error(`batch did not declare and compare every row: ${JSON.stringify(batch)}`);
  }
  await platform.streams?.drain();
  const rawAfter = await rawBatchWrite(doc, rawTable, templates, itemWrites, 'b');
  const raw = (rawBefore + rawAfter) / 2;
  const endToEnd = itemWrites / seconds;
  dynamo.destroy();

  const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
  return [
    {
      name: `batch of ${rowCount} rows: upload → completed, all compared`,
      value: `${seconds.toFixed(2)} s`,
      baselineName: `raw BatchWriteItem of its ${itemWrites} items`,
      baseline: `${(itemWrites / raw).toFixed(2)} s`,
      ratio: `${(seconds / (itemWrites / raw)).toFixed(2)}x`,
    },
    {
      name: 'batch rows per second',
      value: `${(rowCount / seconds).toFixed(0)} rows/s`,
      baselineName: 'raw BatchWriteItem rows (4 items) per second',
      baseline: `${(raw / templates.length).toFixed(0)} rows/s`,
      ratio: `${(rowCount / seconds / (raw / templates.length)).toFixed(2)}x`,
    },
    {
      name: 'batch item writes per second (end to end)',
      value: `${endToEnd.toFixed(0)} items/s`,
      baselineName: `raw BatchWriteItem, concurrency ${CONCURRENCY} (before ${rawBefore.toFixed(0)}, after ${rawAfter.toFixed(0)})`,
      baseline: `${raw.toFixed(0)} items/s`,
      ratio: `${(endToEnd / raw).toFixed(2)}x`,
      target: '≥ 0.5x',
    },
    {
      name: 'peak RSS of the process during the batch',
      value: mib(peak),
      baselineName: 'RSS before the upload',
      baseline: mib(before),
      ratio: `+${mib(peak - before)}`,
    },
  ];
}

/** The four items a row writes, as stored. */
async function rowItems(doc: DynamoDBDocumentClient, table: string, creditCode: string, schemeId: string, product: string) {
  const get = async (key: { pk: string; sk: string }) => {
    const { Item } = await doc.send(new GetCommand({ TableName: table, Key: key, ConsistentRead: true }));
    if (!Item) throw new Error(`missing ${key.pk}`);
    return Item;
  };
  const pointer = await get(latestDeclarationKey(creditCode, schemeId, product));
  const declaration = await get(declarationKey(pointer.declarationId as string));
  return [await get(enterpriseKey(creditCode)), declaration, pointer, await get(comparisonKey(declaration.comparisonId as string))];
}

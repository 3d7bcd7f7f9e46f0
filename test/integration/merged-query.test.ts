/**
 * Newest-first pages merged across partitions (a reader's notices) against
 * DynamoDB Local: every page size, with a filter that leaves reads short,
 * yields exactly the matching items in order, each once.
 */
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { dynamo, resetClients } from '../../shared/aws/clients.ts';
import { resetConfig } from '../../shared/config/env.ts';
import { mergedPage } from '../../shared/store/merged-query.ts';
import { createTestTables, emulatorEndpoints } from '../support/emulators.ts';

const PARTITIONS = ['MQ#A', 'MQ#B', 'MQ#C', 'MQ#EMPTY'];
interface Row {
  partition: string;
  sk: string;
  keep: boolean;
}
let rows: Row[];

beforeAll(async () => {
  const tables = await createTestTables('merge');
  Object.assign(process.env, {
    TABLE_NAME: tables.Main,
    IDEMPOTENCY_TABLE_NAME: tables.Idempotency,
    SEARCH_TABLE_NAME: tables.Search,
    DYNAMODB_ENDPOINT: emulatorEndpoints().dynamodb,
    TOKEN_ISSUER: 'test',
    TOKEN_AUDIENCE: 'test',
    SIGNING_KEY_ID: 'unused',
  });
  resetConfig();
  resetClients();
  // A fixed, uneven spread: partition A is dense and mostly filtered out, B sparse, C in runs.
  let seed = 7;
  const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
  rows = Array.from({ length: 90 }, (_, i) => {
    const r = random();
    const partition = r < 0.6 ? 'MQ#A' : r < 0.75 ? 'MQ#B' : 'MQ#C';
    return { partition, sk: `2024-01-01T00:00:${String(i).padStart(3, '0')}#${i}`, keep: partition !== 'MQ#A' || random() < 0.2 };
  });
  for (let i = 0; i < rows.length; i += 25) {
    await dynamo().send(
      new BatchWriteCommand({
        RequestItems: {
          [tables.Main!]: rows.slice(i, i + 25).map((row) => ({
            PutRequest: { Item: { pk: `ROW#${row.sk}`, sk: 'ROW', gsi1pk: row.partition, gsi1sk: row.sk, keep: row.keep } },
          })),
        },
      }),
    );
  }
});

describe('mergedPage', () => {
  it.each([1, 2, 3, 7, 20, 100])('pages with limit %i through every kept item, newest first, each once', async (limit) => {
    const expected = rows.filter((r) => r.keep).map((r) => r.sk).sort().reverse();
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let pages = 0; pages < 200; pages++) {
      const page = await mergedPage({
        index: 'gsi1',
        partitions: PARTITIONS,
        filter: { expression: 'keep = :true', values: { ':true': true } },
        limit,
        cursor,
      });
      expect(page.items.length).toBeLessThanOrEqual(limit);
      seen.push(...page.items.map((item) => String(item.gsi1sk)));
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    expect(seen).toEqual(expected);
  });

  it('refuses a cursor it did not make', async () => {
    await expect(mergedPage({ index: 'gsi1', partitions: PARTITIONS, limit: 5, cursor: 'not-a-cursor' })).rejects.toMatchObject({
      status: 422,
    });
  });
});

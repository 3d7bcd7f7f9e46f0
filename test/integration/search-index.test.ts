/**
 * The search index against DynamoDB Local, without the HTTP layer or the
 * stream: bounded reads of common terms with candidates checked by
 * BatchGetItem, a stream batch collapsing several changes of one document,
 * and the reindex script rebuilding postings from the table.
 */
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { BatchGetCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { dynamo, resetClients } from '../../shared/aws/clients.ts';
import { resetConfig } from '../../shared/config/env.ts';
import { indexChanges, POSTINGS_PER_TERM, search } from '../../shared/services/search.ts';
import { putStandard, type StandardRecord } from '../../shared/store/standards.ts';
import { createTestTables, emulatorEndpoints } from '../support/emulators.ts';

const run = promisify(execFile);
let tables: Record<string, string>;

const standardItem = (record: StandardRecord) => ({ ...record, kind: 'standard', standardKind: record.kind });

function standard(number: string, title: string, extra: Partial<StandardRecord> = {}): StandardRecord {
  return { id: ulid(), number, title, aliases: [], org: 'ISO', kind: 'international', createdAt: new Date().toISOString(), createdBy: 'test', ...extra };
}

beforeAll(async () => {
  tables = await createTestTables('search');
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
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('search index', () => {
  it('finds a document a common term’s first page leaves out, by checking it against that term', async () => {
    // More ISO standards than one page of the `iso` list; the one sought is written last.
    const others = Array.from({ length: POSTINGS_PER_TERM + 50 }, (_, i) => standard(`ISO ${20000 + i}:2020`, `其他标准 ${i}`));
    const target = standard('ISO 16358-1:2013', '风冷空调器和热泵', { aliases: ['空调'] });
    await indexChanges([...others, target].map((record) => ({ after: standardItem(record) })));

    const send = vi.spyOn(dynamo(), 'send');
    const results = await search('ISO 16358', undefined, 10);
    expect(results[0]).toMatchObject({ type: 'standard', id: target.id });
    // `iso` was cut short, so the candidate was checked with one BatchGetItem.
    expect(send.mock.calls.filter(([command]) => command instanceof BatchGetCommand)).toHaveLength(1);
    // A common term alone still answers, from its first page.
    expect((await search('iso', 'standard', 50)).length).toBe(50);
  });

  it('applies several changes of one document in a batch as their net effect', async () => {
    const record = standard('ISO 9999:2016', '助听器', { aliases: ['听力'] });
    const v1 = standardItem(record);
    const v2 = { ...v1, aliases: ['辅听'] };
    const v3 = { ...v1, aliases: ['助听设备'] };
    await indexChanges([{ after: v1 }, { before: v1, after: v2 }, { before: v2, after: v3 }]);
    expect((await search('助听设备', undefined, 5))[0]).toMatchObject({ id: record.id });
    expect(await search('听力', undefined, 5)).toEqual([]);
    expect(await search('辅听', undefined, 5)).toEqual([]);
    await indexChanges([{ before: v3 }]);
    expect(await search('助听器', undefined, 5)).toEqual([]);
  });

  it('rebuilds the postings of what was written before the consumer ran', async () => {
    // Written through the store only: no stream consumer runs here.
    const record = standard('ISO 8124-1:2022', '玩具安全 第1部分', { aliases: ['玩具'] });
    expect(await putStandard(record)).toBe('created');
    expect(await search('8124', undefined, 5)).toEqual([]);
    const { stdout } = await run(process.execPath, ['--import', 'tsx', resolve(import.meta.dirname, '../../infra/scripts/reindex-search.ts')], {
      env: { ...process.env },
    });
    expect(stdout).toMatch(/indexed \d+ documents/);
    expect((await search('8124', undefined, 5))[0]).toMatchObject({ id: record.id, title: 'ISO 8124-1:2022 玩具安全 第1部分' });
  }, 60_000);
});

/** The local stream poller delivers the table's stream like an event source mapping. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DeleteItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startStreamPoller, type StreamPoller } from '../../infra/local/stream-poller.ts';
import { createTestTables, emulatorClients, emulatorEndpoints } from '../support/emulators.ts';
import { failures, received } from './fixtures/record-stream.ts';

const functionsDir = resolve(import.meta.dirname, 'fixtures');
let poller: StreamPoller | undefined;

afterEach(async () => {
  await poller?.stop();
  poller = undefined;
  received.length = 0;
});

async function start(tableName: string, dataDir: string) {
  poller = await startStreamPoller({
    endpoint: emulatorEndpoints().dynamodb,
    tableName,
    consumers: [{ id: 'recorder', handler: 'record-stream', batchSize: 10 }],
    functionsDir,
    dataDir,
    intervalMs: 20,
  });
  return poller;
}

const put = (table: string, pk: string, n: number) =>
  emulatorClients().dynamodb.send(
    new PutItemCommand({ TableName: table, Item: { pk: { S: pk }, sk: { S: 'X' }, n: { N: String(n) } } }),
  );

describe('stream poller', () => {
  it('delivers inserts, modifications and removals in order, in batches', async () => {
    const { Main: table } = await createTestTables();
    const dataDir = mkdtempSync(join(tmpdir(), 'streams-'));
    const running = await start(table!, dataDir);
    for (let i = 0; i < 25; i++) await put(table!, `A#${i}`, i);
    await put(table!, 'A#0', 100);
    await emulatorClients().dynamodb.send(new DeleteItemCommand({ TableName: table, Key: { pk: { S: 'A#1' }, sk: { S: 'X' } } }));
    await running.drain();
    expect(received).toHaveLength(27);
    expect(received.slice(0, 3).map((r) => r.pk)).toEqual(['A#0', 'A#1', 'A#2']);
    expect(received[25]).toEqual({ eventName: 'MODIFY', pk: 'A#0', n: '100' });
    expect(received[26]).toMatchObject({ eventName: 'REMOVE', pk: 'A#1' });
  });

  it('resumes after its checkpoint on restart and retries a failing consumer without losing records', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const { Main: table } = await createTestTables();
    const dataDir = mkdtempSync(join(tmpdir(), 'streams-'));
    let running = await start(table!, dataDir);
    await put(table!, 'B#1', 1);
    await running.drain();
    await running.stop();
    poller = undefined;
    expect(received.map((r) => r.pk)).toEqual(['B#1']);

    await put(table!, 'B#2', 2);
    failures.remaining = 2;
    running = await start(table!, dataDir);
    await running.drain();
    expect(received.map((r) => r.pk)).toEqual(['B#1', 'B#2']);
  });
});

/** The local stream poller delivers the table's stream like an event source mapping. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DeleteItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startStreamPoller, type StreamPoller } from '../../infra/local/stream-poller.ts';
import { createTestTables, emulatorClients, emulatorEndpoints } from '../support/emulators.ts';
import { failures, invocations, received } from './fixtures/record-stream.ts';

const functionsDir = resolve(import.meta.dirname, 'fixtures');
let poller: StreamPoller | undefined;

afterEach(async () => {
  await poller?.stop();
  poller = undefined;
  received.length = 0;
  invocations.length = 0;
});

async function start(tableName: string, dataDir: string, batchingWindowSeconds?: number, kinds?: string[]) {
  poller = await startStreamPoller({
    endpoint: emulatorEndpoints().dynamodb,
    tableName,
    consumers: [{ id: 'recorder', handler: 'record-stream', batchSize: 10, batchingWindowSeconds, kinds }],
    functionsDir,
    dataDir,
    intervalMs: 20,
  });
  return poller;
}

const put = (table: string, pk: string, n: number, kind?: string) =>
  emulatorClients().dynamodb.send(
    new PutItemCommand({
      TableName: table,
      Item: { pk: { S: pk }, sk: { S: 'X' }, n: { N: String(n) }, ...(kind ? { kind: { S: kind } } : {}) },
    }),
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

  it('holds records for the batching window and hands them over in one invocation, or at once for a drain', async () => {
    const { Main: table } = await createTestTables();
    await start(table!, mkdtempSync(join(tmpdir(), 'streams-')), 2);
    for (let i = 0; i < 4; i++) {
      await put(table!, `W#${i}`, i);
      await new Promise((done) => setTimeout(done, 100));
    }
    await new Promise((done) => setTimeout(done, 300));
    expect(received).toEqual([]); // the first record has waited well under the 2 s window
    await vi.waitFor(() => expect(received).toHaveLength(4), { timeout: 10_000, interval: 100 });
    expect(invocations).toEqual([4]);

    await put(table!, 'W#4', 4);
    await poller!.drain();
    expect(received.map((r) => r.pk)).toEqual(['W#0', 'W#1', 'W#2', 'W#3', 'W#4']);
  });

  it('hands over a full batch without waiting for the window', async () => {
    const { Main: table } = await createTestTables();
    await start(table!, mkdtempSync(join(tmpdir(), 'streams-')), 60);
    for (let i = 0; i < 10; i++) await put(table!, `F#${i}`, i);
    await vi.waitFor(() => expect(received).toHaveLength(10), { timeout: 10_000, interval: 100 });
    expect(invocations).toEqual([10]);
  });

  it('fills batches with the records its kind filter lets through, and moves past the others', async () => {
    const { Main: table } = await createTestTables();
    const dataDir = mkdtempSync(join(tmpdir(), 'streams-'));
    const running = await start(table!, dataDir, 60, ['wanted']);
    // Twelve records a filter drops between the ones it lets through, then enough wanted ones for a full batch.
    for (let i = 0; i < 12; i++) await put(table!, `O#${i}`, i, 'other');
    for (let i = 0; i < 10; i++) await put(table!, `K#${i}`, i, 'wanted');
    await vi.waitFor(() => expect(received).toHaveLength(10), { timeout: 10_000, interval: 100 });
    expect(invocations).toEqual([10]);
    expect(received.every((r) => r.pk.startsWith('K#'))).toBe(true);

    // Only dropped records after the last delivery: a restart starts after them.
    for (let i = 12; i < 15; i++) await put(table!, `O#${i}`, i, 'other');
    await running.drain();
    await running.stop();
    poller = undefined;
    received.length = 0;
    invocations.length = 0;
    const restarted = await start(table!, dataDir, 60, ['wanted']);
    await put(table!, 'K#10', 10, 'wanted');
    await restarted.drain();
    expect(received.map((r) => r.pk)).toEqual(['K#10']);
  });
});

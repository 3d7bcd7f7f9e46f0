/**
 * The local SQS (infra/local/sqs.ts) behaves like SQS and a Lambda event
 * source mapping for what the platform relies on: the real SDK sends messages
 * (MD5 checked by the SDK), failed batch items come back after the visibility
 * timeout, a handler can hide a message longer, messages received too often
 * leave the queue, and a restart keeps what was waiting.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ChangeMessageVisibilityCommand, SendMessageBatchCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterEach, describe, expect, it } from 'vitest';
import type { QueueConsumer } from '../../infra/definitions/queues.ts';
import { type LocalQueues, startLocalQueues } from '../../infra/local/sqs.ts';
import { received, target } from './fixtures/record-queue.ts';

const functionsDir = resolve(import.meta.dirname, 'fixtures');
const consumer: QueueConsumer = {
  id: 'Test',
  envVar: 'TEST_QUEUE_URL',
  handler: 'record-queue',
  batchSize: 5,
  visibilityTimeoutSeconds: 1,
  maxReceiveCount: 3,
  retentionSeconds: 3600,
};
let queues: LocalQueues | undefined;

afterEach(async () => {
  await queues?.stop();
  queues = undefined;
  received.length = 0;
});

async function start(dataDir: string) {
  queues = await startLocalQueues({ queues: [consumer], names: { Test: 'test-queue' }, functionsDir, dataDir, pollIntervalMs: 20 });
  Object.assign(target, { endpoint: queues.endpoint, queueUrl: queues.queueUrl('Test') });
  return {
    queues,
    sqs: new SQSClient({ endpoint: queues.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }),
  };
}

async function until(what: string, probe: () => boolean, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((done) => setTimeout(done, 20));
  }
}

describe('local SQS', () => {
  it('delivers what the SDK sends, one batch item failure again after the visibility timeout, until maxReceiveCount', async () => {
    const { sqs } = await start(mkdtempSync(join(tmpdir(), 'sqs-')));
    const sent = await sqs.send(new SendMessageCommand({ QueueUrl: target.queueUrl, MessageBody: 'ok' }));
    expect(sent.MessageId).toEqual(expect.any(String));
    await sqs.send(new SendMessageBatchCommand({ QueueUrl: target.queueUrl, Entries: [{ Id: '1', MessageBody: 'fail' }, { Id: '2', MessageBody: 'ok-2' }] }));
    await until('three receives of the failing message', () => received.filter((r) => r.body === 'fail').length >= 3);
    const fails = received.filter((r) => r.body === 'fail');
    expect(fails.map((r) => r.receiveCount)).toEqual([1, 2, 3]);
    expect(fails[1]!.at - fails[0]!.at).toBeGreaterThanOrEqual(900);
    await new Promise((done) => setTimeout(done, 1300));
    // Received maxReceiveCount times: moved out (to the dead letters on AWS), never again.
    expect(received.filter((r) => r.body === 'fail')).toHaveLength(3);
    expect(received.filter((r) => r.body.startsWith('ok')).map((r) => r.body).sort()).toEqual(['ok', 'ok-2']);
  });

  it('lets the handler hide a message for longer with ChangeMessageVisibility', async () => {
    const { sqs } = await start(mkdtempSync(join(tmpdir(), 'sqs-')));
    await sqs.send(new SendMessageCommand({ QueueUrl: target.queueUrl, MessageBody: 'later:2' }));
    await until('the second receive', () => received.length >= 2);
    expect(received[1]!.at - received[0]!.at).toBeGreaterThanOrEqual(1900);
    await queues!.drain();
    expect(received).toHaveLength(2);
  });

  it('keeps waiting messages across a restart', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sqs-'));
    const first = await start(dataDir);
    await first.sqs.send(new SendMessageCommand({ QueueUrl: target.queueUrl, MessageBody: 'later:30' }));
    await until('the first receive', () => received.length >= 1);
    await first.queues.stop();
    queues = undefined;
    received.length = 0;
    const second = await start(dataDir);
    await second.sqs.send(new SendMessageCommand({ QueueUrl: target.queueUrl, MessageBody: 'after restart' }));
    await until('the new message', () => received.some((r) => r.body === 'after restart'));
    // The hidden one is still hidden (30 s), not lost and not early.
    expect(received.map((r) => r.body)).toEqual(['after restart']);
    expect(readFileSync(join(dataDir, 'sqs', 'test-queue.jsonl'), 'utf8')).toContain('later:30');
  });

  it('refuses what SQS refuses: an unknown queue, an unknown receipt handle', async () => {
    const { sqs } = await start(mkdtempSync(join(tmpdir(), 'sqs-')));
    await expect(sqs.send(new SendMessageCommand({ QueueUrl: `${queues!.endpoint}/000000000000/nope`, MessageBody: 'x' }))).rejects.toMatchObject({
      name: 'QueueDoesNotExist',
    });
    await expect(
      sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: target.queueUrl, ReceiptHandle: 'forged', VisibilityTimeout: 5 })),
    ).rejects.toMatchObject({ name: 'ReceiptHandleIsInvalid' });
  });
});

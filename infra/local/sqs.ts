/**
 * Local SQS: the queues of infra/definitions/events.ts behind a tiny AWS JSON
 * 1.0 endpoint serving what the handlers call with the real @aws-sdk/client-sqs
 * (SendMessage, SendMessageBatch, ChangeMessageVisibility), and an event source
 * mapping that hands visible messages to each queue's consumer as AWS Lambda
 * does: batches of SQSRecords, messages hidden for the visibility timeout while
 * handled, deleted unless reported in batchItemFailures, sent to the dead-letter
 * side (logged) after maxReceiveCount receives.
 *
 * Messages are journaled in `<dataDir>/sqs/<queue>.jsonl`, so a restart keeps
 * what was waiting (a webhook retry due in an hour is still due).
 */
import { createHash, randomUUID } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, writeFileSync, writeSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { QueueConsumer } from '../definitions/queues.ts';
import { lambdaContext, loadHandler, timed } from './invoke.ts';
import { startLoopbackServer } from './loopback-server.ts';

export interface LocalQueuesOptions {
  queues: QueueConsumer[];
  /** Physical queue name per definition id. */
  names: Record<string, string>;
  functionsDir: string;
  dataDir: string;
  port?: number;
  pollIntervalMs?: number;
}

export interface LocalQueues {
  endpoint: string;
  queueUrl(id: string): string;
  /** Resolves when no message is visible or being handled (delayed ones may wait). */
  drain(): Promise<void>;
  stop(): Promise<void>;
}

interface Message {
  id: string;
  body: string;
  sentAt: number;
  /** Epoch ms from which it can be received. */
  visibleAt: number;
  receiveCount: number;
  firstReceivedAt?: number;
  receiptHandle?: string;
  inFlight: boolean;
}

type JournalEntry =
  | { e: 'send'; id: string; body: string; sentAt: number; visibleAt: number }
  | { e: 'visible'; id: string; visibleAt: number; receiveCount: number }
  | { e: 'delete'; id: string };

const ACCOUNT = '000000000000';
const REGION = 'us-east-1';
const MAX_VISIBILITY_SECONDS = 12 * 3600;
const md5 = (text: string) => createHash('md5').update(text).digest('hex');

class ServiceError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

type Handler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse | void>;

class LocalQueue {
  readonly messages = new Map<string, Message>();
  private readonly journal: number;
  handling = false;

  constructor(
    readonly definition: QueueConsumer,
    readonly name: string,
    file: string,
  ) {
    for (const message of replay(file)) this.messages.set(message.id, message);
    const compacted = [...this.messages.values()]
      .map((m) => JSON.stringify({ e: 'send', id: m.id, body: m.body, sentAt: m.sentAt, visibleAt: m.visibleAt }) + '\n')
      .join('');
    writeFileSync(`${file}.tmp`, compacted);
    renameSync(`${file}.tmp`, file);
    this.journal = openSync(file, 'a');
  }

  get arn() {
    return `arn:aws:sqs:${REGION}:${ACCOUNT}:${this.name}`;
  }

  private append(entry: JournalEntry) {
    writeSync(this.journal, JSON.stringify(entry) + '\n');
  }

  send(body: string, delaySeconds = 0): Message {
    const now = Date.now();
    const message: Message = { id: randomUUID(), body, sentAt: now, visibleAt: now + delaySeconds * 1000, receiveCount: 0, inFlight: false };
    this.messages.set(message.id, message);
    this.append({ e: 'send', id: message.id, body, sentAt: now, visibleAt: message.visibleAt });
    return message;
  }

  changeVisibility(receiptHandle: string, seconds: number) {
    const message = [...this.messages.values()].find((m) => m.receiptHandle === receiptHandle);
    if (!message) throw new ServiceError('ReceiptHandleIsInvalid', `The input receipt handle "${receiptHandle}" is not valid.`);
    message.visibleAt = Date.now() + seconds * 1000;
    this.append({ e: 'visible', id: message.id, visibleAt: message.visibleAt, receiveCount: message.receiveCount });
  }

  /** Up to batchSize visible messages, now hidden for the visibility timeout. */
  receive(now: number): Message[] {
    const batch: Message[] = [];
    for (const message of this.messages.values()) {
      if (batch.length >= this.definition.batchSize) break;
      if (message.inFlight || message.visibleAt > now) continue;
      message.inFlight = true;
      message.receiveCount += 1;
      message.firstReceivedAt ??= now;
      message.receiptHandle = randomUUID();
      message.visibleAt = now + this.definition.visibilityTimeoutSeconds * 1000;
      this.append({ e: 'visible', id: message.id, visibleAt: message.visibleAt, receiveCount: message.receiveCount });
      batch.push(message);
    }
    return batch;
  }

  delete(message: Message) {
    this.messages.delete(message.id);
    this.append({ e: 'delete', id: message.id });
  }

  release(message: Message) {
    message.inFlight = false;
    message.receiptHandle = undefined;
    if (message.receiveCount >= this.definition.maxReceiveCount && this.messages.has(message.id)) {
      // The dead-letter queue on AWS; here the message is logged and dropped.
      console.error(JSON.stringify({ level: 'ERROR', message: 'message moved to the dead-letter queue', queue: this.name, id: message.id, body: message.body }));
      this.delete(message);
    }
  }

  busy(now: number): boolean {
    return this.handling || [...this.messages.values()].some((m) => m.inFlight || m.visibleAt <= now);
  }

  close() {
    closeSync(this.journal);
  }
}

function replay(file: string): Message[] {
  const messages = new Map<string, Message>();
  if (!existsSync(file)) return [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line) continue;
    let entry: JournalEntry;
    try {
      entry = JSON.parse(line) as JournalEntry;
    } catch {
      continue; // a line cut short by a crash
    }
    if (entry.e === 'send') {
      messages.set(entry.id, { id: entry.id, body: entry.body, sentAt: entry.sentAt, visibleAt: entry.visibleAt, receiveCount: 0, inFlight: false });
    } else if (entry.e === 'visible') {
      const message = messages.get(entry.id);
      if (message) Object.assign(message, { visibleAt: entry.visibleAt, receiveCount: entry.receiveCount });
    } else {
      messages.delete(entry.id);
    }
  }
  return [...messages.values()];
}

export async function startLocalQueues(options: LocalQueuesOptions): Promise<LocalQueues> {
  const directory = join(options.dataDir, 'sqs');
  mkdirSync(directory, { recursive: true });
  const queues = new Map<string, LocalQueue>();
  const byId = new Map<string, LocalQueue>();
  for (const definition of options.queues) {
    const name = options.names[definition.id];
    if (!name) throw new Error(`no queue name for ${definition.id}`);
    const queue = new LocalQueue(definition, name, join(directory, `${name}.jsonl`));
    queues.set(name, queue);
    byId.set(definition.id, queue);
  }

  const queueOf = (request: Record<string, unknown>) => {
    const url = typeof request.QueueUrl === 'string' ? request.QueueUrl : '';
    const queue = queues.get(url.split('/').pop() ?? '');
    if (!queue) throw new ServiceError('QueueDoesNotExist', 'The specified queue does not exist.');
    return queue;
  };
  const delayOf = (value: unknown) => {
    const delay = value === undefined ? 0 : Number(value);
    if (!Number.isInteger(delay) || delay < 0 || delay > 900) throw new ServiceError('InvalidParameterValue', 'DelaySeconds must be 0-900');
    return delay;
  };
  const bodyOf = (value: unknown) => {
    if (typeof value !== 'string' || value.length === 0) throw new ServiceError('MissingParameter', 'MessageBody is required');
    if (Buffer.byteLength(value) > 256 * 1024) throw new ServiceError('InvalidParameterValue', 'MessageBody is longer than 256 KiB');
    return value;
  };

  const actions: Record<string, (request: Record<string, unknown>) => unknown> = {
    'AmazonSQS.SendMessage': (request) => {
      const message = queueOf(request).send(bodyOf(request.MessageBody), delayOf(request.DelaySeconds));
      return { MessageId: message.id, MD5OfMessageBody: md5(message.body) };
    },
    'AmazonSQS.SendMessageBatch': (request) => {
      const queue = queueOf(request);
      const entries = Array.isArray(request.Entries) ? (request.Entries as Record<string, unknown>[]) : [];
      if (entries.length === 0 || entries.length > 10) throw new ServiceError('TooManyEntriesInBatchRequest', 'A batch holds 1-10 entries');
      return {
        Successful: entries.map((entry) => {
          const message = queue.send(bodyOf(entry.MessageBody), delayOf(entry.DelaySeconds));
          return { Id: entry.Id, MessageId: message.id, MD5OfMessageBody: md5(message.body) };
        }),
        Failed: [],
      };
    },
    'AmazonSQS.ChangeMessageVisibility': (request) => {
      const seconds = Number(request.VisibilityTimeout);
      if (!Number.isInteger(seconds) || seconds < 0 || seconds > MAX_VISIBILITY_SECONDS) {
        throw new ServiceError('InvalidParameterValue', `VisibilityTimeout must be 0-${MAX_VISIBILITY_SECONDS}`);
      }
      queueOf(request).changeVisibility(String(request.ReceiptHandle), seconds);
      return {};
    },
  };

  const serve = (request: IncomingMessage, text: string, response: ServerResponse) => {
    const target = String(request.headers['x-amz-target'] ?? '');
    let status = 200;
    let payload: unknown;
    try {
      const action = actions[target];
      if (request.method !== 'POST' || !action) throw new ServiceError('UnsupportedOperation', `${target || '(none)'} is not served locally`);
      let parsed: unknown;
      try {
        parsed = text === '' ? {} : JSON.parse(text);
      } catch {
        throw new ServiceError('SerializationException', 'Request body is not JSON');
      }
      payload = action((parsed ?? {}) as Record<string, unknown>);
    } catch (error) {
      status = error instanceof ServiceError ? 400 : 500;
      payload = { __type: `com.amazonaws.sqs#${error instanceof ServiceError ? error.type : 'InternalError'}`, message: (error as Error).message };
    }
    const out = JSON.stringify(payload);
    response.writeHead(status, {
      'Content-Type': 'application/x-amz-json-1.0',
      'Content-Length': Buffer.byteLength(out),
      'x-amzn-RequestId': randomUUID(),
    });
    response.end(out);
  };
  const { server, endpoint } = await startLoopbackServer(serve, options.port);

  // The event source mappings.
  const deliver = async (queue: LocalQueue, batch: Message[]) => {
    const handler = await loadHandler<Handler>(options.functionsDir, queue.definition.handler);
    const event: SQSEvent = {
      Records: batch.map((message) => ({
        messageId: message.id,
        receiptHandle: message.receiptHandle!,
        body: message.body,
        attributes: {
          ApproximateReceiveCount: String(message.receiveCount),
          SentTimestamp: String(message.sentAt),
          SenderId: ACCOUNT,
          ApproximateFirstReceiveTimestamp: String(message.firstReceivedAt),
        },
        messageAttributes: {},
        md5OfBody: md5(message.body),
        eventSource: 'aws:sqs',
        eventSourceARN: queue.arn,
        awsRegion: REGION,
      })),
    };
    let failed = new Set(batch.map((message) => message.id));
    try {
      const result = await timed(queue.definition.handler, () => handler(event, lambdaContext(queue.definition.handler)));
      failed = new Set((result?.batchItemFailures ?? []).map((failure) => failure.itemIdentifier));
    } catch (error) {
      console.error(JSON.stringify({ level: 'ERROR', message: 'queue consumer failed', queue: queue.name, error: String(error) }));
    }
    for (const message of batch) {
      if (failed.has(message.id)) queue.release(message);
      else queue.delete(message);
    }
  };

  let stopped = false;
  let waiters: (() => void)[] = [];
  const interval = options.pollIntervalMs ?? 50;
  const loop = (async () => {
    while (!stopped) {
      const now = Date.now();
      await Promise.all(
        [...queues.values()].map(async (queue) => {
          const batch = queue.receive(now);
          if (batch.length === 0) return;
          queue.handling = true;
          try {
            await deliver(queue, batch);
          } finally {
            queue.handling = false;
          }
        }),
      );
      if (![...queues.values()].some((queue) => queue.busy(Date.now()))) {
        const release = waiters;
        waiters = [];
        for (const done of release) done();
      }
      await new Promise((done) => setTimeout(done, interval));
    }
  })();

  return {
    endpoint,
    queueUrl(id) {
      const queue = byId.get(id);
      if (!queue) throw new Error(`no queue ${id}`);
      return `${endpoint}/${ACCOUNT}/${queue.name}`;
    },
    drain: () => new Promise<void>((done) => waiters.push(done)),
    async stop() {
      if (stopped) return;
      stopped = true;
      await loop;
      for (const done of waiters) done();
      waiters = [];
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      for (const queue of queues.values()) queue.close();
    },
  };
}

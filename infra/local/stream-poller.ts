/**
 * The local stand-in for DynamoDB Streams event source mappings: polls the
 * Main table's stream on DynamoDB Local and calls each consumer's handler with
 * the same DynamoDBStreamEvent Lambda would receive, in order per shard, one
 * checkpoint per consumer (kept in DATA_DIR so a restart resumes where it was).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  ExpiredIteratorException,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record as StreamRecord,
} from '@aws-sdk/client-dynamodb-streams';
import type { Context } from 'aws-lambda';
import type { StreamConsumer } from '../definitions/events.ts';
import { lambdaContext, loadHandler, timed } from './invoke.ts';

export interface StreamPollerOptions {
  endpoint: string;
  tableName: string;
  consumers: StreamConsumer[];
  functionsDir: string;
  dataDir: string;
  intervalMs?: number;
}

export interface StreamPoller {
  /** Resolves once every consumer has handled every record written so far. */
  drain(): Promise<void>;
  stop(): Promise<void>;
}

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

type Handler = (event: { Records: StreamRecord[] }, context: Context) => Promise<unknown>;

class ConsumerLoop {
  /** shardId → last sequence number handled. */
  private readonly checkpoints: Record<string, string>;
  private readonly iterators = new Map<string, string | undefined>();
  private readonly closed = new Set<string>();
  /**
   * shardId → records read and wanted (the kind filter applies first, as an event
   * source mapping's does), held for the consumer's batching window, and the last
   * sequence number read, wanted or not.
   */
  private readonly pending = new Map<string, { records: StreamRecord[]; since: number; lastSequence: string }>();
  private lastDiscovery = 0;
  /** Set while a full pass over the shards returned no record. */
  caughtUp = false;

  constructor(
    private readonly streams: DynamoDBStreamsClient,
    private readonly streamArn: string,
    private readonly consumer: StreamConsumer,
    private readonly functionsDir: string,
    private readonly checkpointFile: string,
  ) {
    try {
      this.checkpoints = JSON.parse(readFileSync(checkpointFile, 'utf8')) as Record<string, string>;
    } catch {
      this.checkpoints = {};
    }
  }

  private async discoverShards(): Promise<void> {
    const { StreamDescription } = await this.streams.send(new DescribeStreamCommand({ StreamArn: this.streamArn }));
    for (const shard of StreamDescription?.Shards ?? []) {
      const id = shard.ShardId!;
      if (this.iterators.has(id) || this.closed.has(id)) continue;
      const after = this.checkpoints[id];
      const { ShardIterator } = await this.streams.send(
        new GetShardIteratorCommand({
          StreamArn: this.streamArn,
          ShardId: id,
          ...(after
            ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: after }
            : { ShardIteratorType: 'TRIM_HORIZON' }),
        }),
      );
      this.iterators.set(id, ShardIterator);
    }
    this.lastDiscovery = Date.now();
  }

  /**
   * One pass over every shard; returns the number of records read or handled.
   * Records are held up to the consumer's batching window unless `flush` (a drain).
   */
  async pass(flush = false): Promise<number> {
    if (Date.now() - this.lastDiscovery > 2000 || this.iterators.size === 0) await this.discoverShards();
    let handled = 0;
    let read = 0;
    for (const [shardId, iterator] of this.iterators) {
      if (!iterator) {
        handled += await this.deliverPending(shardId);
        this.iterators.delete(shardId);
        this.closed.add(shardId);
        continue;
      }
      let result;
      try {
        result = await this.streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: this.consumer.batchSize }));
      } catch (error) {
        if (error instanceof ExpiredIteratorException) {
          // Read again from the checkpoint: held records come again.
          this.pending.delete(shardId);
          this.iterators.delete(shardId);
          continue;
        }
        throw error;
      }
      this.iterators.set(shardId, result.NextShardIterator);
      const records = result.Records ?? [];
      read += records.length;
      if (records.length > 0) {
        const wanted = records.filter((record) => this.wanted(record));
        const held = this.pending.get(shardId) ?? { records: [], since: Date.now(), lastSequence: '' };
        if (held.records.length === 0) held.since = Date.now(); // the window opens with the first wanted record
        held.records.push(...wanted);
        held.lastSequence = records.at(-1)!.dynamodb!.SequenceNumber!;
        this.pending.set(shardId, held);
      }
      const held = this.pending.get(shardId);
      const windowMs = (this.consumer.batchingWindowSeconds ?? 0) * 1000;
      const due = held && (held.records.length === 0 || flush || held.records.length >= this.consumer.batchSize || Date.now() - held.since >= windowMs);
      if (due) handled += await this.deliverPending(shardId);
    }
    this.caughtUp = read === 0 && handled === 0 && this.pending.size === 0;
    return read + handled;
  }

  /**
   * Hands a shard's held records to the consumer, batchSize at a time, and
   * checkpoints after each. Should that throw, the shard is read again from its
   * checkpoint: the iterator has moved past the held records already.
   */
  private async deliverPending(shardId: string): Promise<number> {
    const held = this.pending.get(shardId);
    this.pending.delete(shardId);
    if (!held) return 0;
    try {
      for (let start = 0; start < held.records.length; start += this.consumer.batchSize) {
        const batch = held.records.slice(start, start + this.consumer.batchSize);
        await this.deliver(batch);
        this.checkpoints[shardId] = batch.at(-1)!.dynamodb!.SequenceNumber!;
        writeFileSync(this.checkpointFile, JSON.stringify(this.checkpoints));
      }
      // Records the filter left out are done too.
      if (held.lastSequence && this.checkpoints[shardId] !== held.lastSequence) {
        this.checkpoints[shardId] = held.lastSequence;
        writeFileSync(this.checkpointFile, JSON.stringify(this.checkpoints));
      }
    } catch (error) {
      this.iterators.delete(shardId);
      this.lastDiscovery = 0;
      throw error;
    }
    return held.records.length;
  }

  /** The consumer's event filter on the item kind, as the event source mapping applies it. */
  private wanted(record: StreamRecord): boolean {
    const kinds = this.consumer.kinds;
    if (!kinds) return true;
    return [record.dynamodb?.NewImage?.kind?.S, record.dynamodb?.OldImage?.kind?.S].some(
      (kind) => kind !== undefined && kinds.includes(kind),
    );
  }

  /** Like an event source mapping: retried until it succeeds, in order. */
  private async deliver(records: StreamRecord[]): Promise<void> {
    if (records.length === 0) return;
    const handler = await loadHandler<Handler>(this.functionsDir, this.consumer.handler);
    const event = {
      Records: records.map((record) => ({ ...record, eventSourceARN: this.streamArn })),
    };
    for (let attempt = 1; ; attempt++) {
      try {
        await timed(this.consumer.handler, () => handler(event, lambdaContext(this.consumer.handler)));
        return;
      } catch (error) {
        console.error(
          JSON.stringify({ level: 'ERROR', message: 'stream consumer failed', consumer: this.consumer.id, attempt, error: String(error) }),
        );
        await new Promise((done) => setTimeout(done, Math.min(2000, 50 * 2 ** attempt)));
      }
    }
  }
}

export async function startStreamPoller(options: StreamPollerOptions): Promise<StreamPoller> {
  const dynamodb = new DynamoDBClient({ endpoint: options.endpoint, region: 'us-east-1', credentials });
  // A read that never gets an answer fails its pass, which the next one repeats,
  // instead of holding the poller, and every drain, forever.
  const streams = new DynamoDBStreamsClient({
    endpoint: options.endpoint,
    region: 'us-east-1',
    credentials,
    requestHandler: { connectionTimeout: 2_000, requestTimeout: 10_000 },
  });
  const { Table } = await dynamodb.send(new DescribeTableCommand({ TableName: options.tableName }));
  const streamArn = Table?.LatestStreamArn;
  if (!streamArn) throw new Error(`${options.tableName} has no stream`);
  const directory = join(options.dataDir, 'streams');
  mkdirSync(directory, { recursive: true });
  const loops = options.consumers.map(
    (consumer) =>
      new ConsumerLoop(streams, streamArn, consumer, options.functionsDir, join(directory, `${options.tableName}.${consumer.id}.json`)),
  );

  let stopped = false;
  let waiters: (() => void)[] = [];
  const interval = options.intervalMs ?? 100;
  const run = async () => {
    while (!stopped) {
      let handled = 0;
      // Someone waits for a drain: deliver held records now rather than at the end of their window.
      const flush = waiters.length > 0;
      for (const loop of loops) {
        try {
          handled += await loop.pass(flush);
        } catch (error) {
          loop.caughtUp = false; // a failed pass proves nothing to a drain
          if (!stopped) console.error(JSON.stringify({ level: 'ERROR', message: 'stream poll failed', error: String(error) }));
        }
      }
      if (handled === 0) {
        if (loops.every((loop) => loop.caughtUp)) {
          const release = waiters;
          waiters = [];
          for (const done of release) done();
        }
        await new Promise((done) => setTimeout(done, interval));
      }
    }
  };
  const running = run();

  return {
    drain: () =>
      // A pass that starts after this call sees every record written before it.
      new Promise<void>((done) => {
        let passes = 0;
        const check = () => {
          passes++;
          if (passes >= 2) done();
          else waiters.push(check);
        };
        waiters.push(check);
      }),
    async stop() {
      stopped = true;
      await running;
      dynamodb.destroy();
      streams.destroy();
    },
  };
}

/**
 * Counts what AWS would bill while the local runtime runs: installed with
 * `startPlatform({ meter })` (infra/local/invoke.ts, LocalMeter), by `npm run cost`
 * only. Each count lands in the phase set when it happens (`meter.phase`); nothing
 * is counted while no phase is set (setup, warm-up).
 *
 * - Lambda: every invocation the runtime makes, its handler's measured time rounded
 *   up to 1 ms, at the memory CDK configures for that function (functions.ts).
 * - Step Functions: Express requests and GB-seconds (64 MB increments, 100 ms rounding)
 *   of each comparison and of each Distributed Map child; Standard state transitions
 *   (states entered and retries) of the batch parent, from the execution's history.
 * - DynamoDB: request units from ConsumedCapacity, which an SDK middleware asks for on
 *   every data-plane request of the handlers' client. DynamoDB Local's numbers are
 *   right for single-item writes, batch writes and reads, but not for transactions
 *   (it bills 4x the largest item, whatever the number of items), so TransactWriteItems
 *   is priced here per item, from item sizes (see transactionUnits). Two more
 *   corrections: a Query that finds nothing and a BatchGetItem key without an item
 *   still bill the minimum read. Stream reads by
 *   Lambda event source mappings are free, so the poller's GetRecords are not counted.
 * - S3: every request the emulator serves (the presigned upload and the streaming
 *   client of the batch split included), by price class.
 * - SQS: the handlers' requests (SDK middleware), plus a ReceiveMessage and a
 *   DeleteMessageBatch per batch an event source mapping hands a consumer.
 */
import { DynamoDBClient, BatchGetItemCommand } from '@aws-sdk/client-dynamodb';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { s3Triggers } from '../definitions/events.ts';
import { type TableDefinition, tables } from '../definitions/tables.ts';
import { invokingFunction, type LocalMeter } from '../local/invoke.ts';
import type { WorkflowDefinition } from '../workflows/definitions.ts';
import type { ObservedClient } from '../../shared/aws/clients.ts';
import { type FunctionConfig, functionConfigs, queueConsumerHandlers, workflowShape, type WorkflowShape } from './functions.ts';
import {
  type AttributeValue,
  expressBilledMemoryMb,
  expressGbSeconds,
  itemBytes,
  lambdaGbSeconds,
  s3RequestClass,
  writeUnits,
} from './prices.ts';

/** single declarations, a batch, and requests with a new token or a cached one (what a token adds). */
export type Phase = 'single' | 'batch' | 'tokens' | 'reads' | 'registeredFirst';

export interface FunctionUsage {
  handler: string;
  kind: string;
  memoryMb: number;
  invocations: number;
  billedMs: number;
  gbSeconds: number;
}

export interface Usage {
  lambda: Map<string, FunctionUsage>;
  apiRequests: number;
  expressRequests: number;
  expressGbSeconds: number;
  /** Of which Distributed Map children. */
  expressChildren: number;
  standardExecutions: number;
  standardTransitions: number;
  /** Request units by table id (Main, Idempotency, Search). */
  dynamo: Map<string, { read: number; write: number }>;
  /** The same units by function and operation (`stats/aggregate-stream TransactWriteItems`), with request counts. */
  dynamoBySource: Map<string, { requests: number; read: number; write: number }>;
  /** Conditional writes and transactions that failed (each billed at least its minimum, included above). */
  dynamoFailedWrites: number;
  /** Transactional write actions priced from item sizes. */
  transactionActions: number;
  s3: { put: number; get: number; free: number; bytesPut: number };
  sqsRequests: number;
  eventBridgeEvents: number;
  kmsRequests: number;
  /** CloudWatch Logs: bytes and events of what the handlers logged (compacted JSON). */
  handlerLogBytes: number;
  handlerLogEvents: number;
  /** Traces a fully sampled X-Ray would record (one per API request, execution, event-driven invocation). */
  traces: number;
  /** Bytes leaving AWS: API responses and webhook deliveries. */
  egressBytes: number;
}

export function emptyUsage(): Usage {
  return {
    lambda: new Map(),
    apiRequests: 0,
    expressRequests: 0,
    expressGbSeconds: 0,
    expressChildren: 0,
    standardExecutions: 0,
    standardTransitions: 0,
    dynamo: new Map(),
    dynamoBySource: new Map(),
    dynamoFailedWrites: 0,
    transactionActions: 0,
    s3: { put: 0, get: 0, free: 0, bytesPut: 0 },
    sqsRequests: 0,
    eventBridgeEvents: 0,
    kmsRequests: 0,
    handlerLogBytes: 0,
    handlerLogEvents: 0,
    traces: 0,
    egressBytes: 0,
  };
}

/** Data-plane operations that take ReturnConsumedCapacity. */
const READS = new Set(['GetItem', 'Query', 'Scan', 'BatchGetItem', 'TransactGetItems']);
const WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems']);

type Item = Record<string, AttributeValue>;
type TransactAction = {
  Put?: { TableName: string; Item: Item };
  Update?: { TableName: string; Key: Item; UpdateExpression?: string; ExpressionAttributeNames?: Record<string, string> };
  Delete?: { TableName: string; Key: Item };
  ConditionCheck?: { TableName: string; Key: Item };
};

/** A transactional action whose item must be read back to be priced. */
interface Deferred {
  phase: Phase;
  source: string;
  table: TableDefinition;
  key: Item;
  kind: 'update' | 'check';
  /** Indexes whose key attributes the update sets or removes. */
  touchedIndexes: Set<string>;
}

const keyOf = (table: TableDefinition, key: Item) =>
  `${table.id}|${JSON.stringify([key[table.partitionKey.name], table.sortKey ? key[table.sortKey.name] : null])}`;

/** Indexes an item appears in: those whose key attributes it has. */
function indexesOf(table: TableDefinition, item: Item): string[] {
  return table.globalSecondaryIndexes
    .filter((index) => item[index.partitionKey.name] !== undefined && item[index.sortKey.name] !== undefined)
    .map((index) => index.indexName);
}

/** Index names whose key attributes appear among the attribute names an update expression names. */
function touchedIndexes(table: TableDefinition, expression: string | undefined, names: Record<string, string> | undefined): Set<string> {
  const mentioned = new Set<string>();
  for (const token of (expression ?? '').match(/#?[A-Za-z_][A-Za-z0-9_]*/g) ?? []) {
    mentioned.add(token.startsWith('#') ? (names?.[token] ?? token) : token);
  }
  return new Set(
    table.globalSecondaryIndexes
      .filter((index) => mentioned.has(index.partitionKey.name) || mentioned.has(index.sortKey.name))
      .map((index) => index.indexName),
  );
}

/**
 * Write request units of one transactional action on an item of `bytes` in `indexes`:
 * two per KB for the table (prepare and commit), one per KB for each index the item is
 * written to, as outside a transaction, and one more where an index key changes (a
 * delete and a put there). As measured against DynamoDB by an emulator's conformance
 * work (github.com/nubo-db/dynoxide pull 188: "the transactional 2x factor applies to
 * the base table arm alone"); a ConditionCheck is billed like a write of the item it reads.
 */
export function transactionUnits(bytes: number, indexes: number, changedIndexKeys = 0): number {
  const units = writeUnits(bytes);
  return 2 * units + units * (indexes + changedIndexKeys);
}

export interface CostMeterOptions {
  workflows: WorkflowDefinition[];
}

export class CostMeter implements LocalMeter {
  /** Where counts go now; undefined: not counted. */
  phase: Phase | undefined;
  readonly usage: Record<Phase, Usage> = {
    single: emptyUsage(),
    batch: emptyUsage(),
    tokens: emptyUsage(),
    reads: emptyUsage(),
    registeredFirst: emptyUsage(),
  };
  private readonly functions = functionConfigs();
  private readonly shapes = new Map<string, WorkflowShape>();
  private readonly pending = new Set<Promise<unknown>>();
  private readonly deferred: Deferred[] = [];
  /** Last known size and indexes of items written with a Put (for transactional deletes). */
  private readonly knownItems = new Map<string, { bytes: number; indexes: number }>();
  private tablesByName = new Map<string, TableDefinition>();
  private eventBridgeBuckets = new Set<string>();
  private reader?: DynamoDBClient;
  private unknownFunctions = new Set<string>();
  private restoreOutput?: () => void;

  constructor(options: CostMeterOptions) {
    for (const workflow of options.workflows) this.shapes.set(workflow.name, workflowShape(workflow));
  }

  /** The platform's physical names and the endpoint to read items back from (after startPlatform). */
  attach(platform: { tableNames: Record<string, string>; bucketNames: Record<string, string>; dynamodbEndpoint: string }): void {
    this.tablesByName = new Map(tables.map((table) => [platform.tableNames[table.id]!, table]));
    this.eventBridgeBuckets = new Set(s3Triggers.map((trigger) => platform.bucketNames[trigger.bucket]!));
    this.reader = new DynamoDBClient({
      endpoint: platform.dynamodbEndpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
  }

  private current(): Usage | undefined {
    return this.phase ? this.usage[this.phase] : undefined;
  }

  /** Functions invoked that no stack configures (billed at the default memory, reported). */
  get unconfigured(): string[] {
    return [...this.unknownFunctions];
  }

  // -------------------------------------------------------------------------
  // LocalMeter

  invocation(functionName: string, durationMs: number): void {
    const usage = this.current();
    if (!usage) return;
    let config: FunctionConfig | undefined = this.functions.get(functionName);
    if (!config) {
      this.unknownFunctions.add(functionName);
      config = { handler: functionName, kind: 'api', memoryMb: 512 };
    }
    const entry = usage.lambda.get(functionName) ?? {
      handler: functionName,
      kind: config.kind,
      memoryMb: config.memoryMb,
      invocations: 0,
      billedMs: 0,
      gbSeconds: 0,
    };
    entry.invocations += 1;
    entry.billedMs += Math.ceil(durationMs);
    entry.gbSeconds += lambdaGbSeconds(durationMs, config.memoryMb);
    usage.lambda.set(functionName, entry);
    if (functionName === 'auth/issue-token') usage.kmsRequests += 1; // one Sign per token
    // Invocations that start their own trace (API ones join the API's, tasks their execution's).
    if (config.kind === 'stream consumer' || config.kind === 'queue consumer' || config.kind === 'S3 trigger') usage.traces += 1;
    // An SQS event source mapping receives the batch and deletes it: two requests per batch.
    if (queueConsumerHandlers.has(functionName)) usage.sqsRequests += 2;
  }

  execution(workflow: string, events: readonly unknown[]): void {
    const usage = this.current();
    const shape = this.shapes.get(workflow);
    if (!usage || !shape) return;
    type Event = {
      type: string;
      timestamp: number;
      index?: number;
      input?: unknown;
      output?: unknown;
      state?: { input?: unknown; output?: unknown };
      parentState?: { name: string };
    };
    const history = events as Event[];
    const size = (value: unknown) => (value === undefined ? 0 : Buffer.byteLength(JSON.stringify(value) ?? ''));
    const start = history.find((event) => event.type === 'ExecutionStarted');
    const end = [...history].reverse().find((event) => event.type.startsWith('Execution') && event !== start);
    if (!start || !end) return;
    const topLevel = history.filter((event) => event.index === undefined || shape.hasInlineMap);
    if (shape.type === 'EXPRESS') {
      const payload = Math.max(0, ...topLevel.map((event) => Math.max(size(event.input), size(event.output), size(event.state?.output))));
      usage.expressRequests += 1;
      usage.expressGbSeconds += expressGbSeconds(end.timestamp - start.timestamp, expressBilledMemoryMb(shape.definitionBytes, payload));
    } else {
      usage.standardExecutions += 1;
      usage.standardTransitions += topLevel.filter((event) => event.type === 'StateEntered' || event.type === 'StateRetried').length;
    }
    usage.traces += 1;
    // Distributed Map children with Express executions: a request and a duration each.
    const open = new Map<number, Event[]>();
    for (const event of history) {
      if (!event.parentState || !shape.expressChildMaps.has(event.parentState.name) || event.index === undefined) continue;
      if (event.type === 'MapIterationStarted') {
        open.set(event.index, [...(open.get(event.index) ?? []), event]);
      } else if (event.type === 'MapIterationSucceeded' || event.type === 'MapIterationFailed') {
        const started = open.get(event.index)?.shift();
        if (!started) continue;
        const payload = Math.max(size(started.input), size(event.output));
        usage.expressRequests += 1;
        usage.expressChildren += 1;
        usage.expressGbSeconds += expressGbSeconds(event.timestamp - started.timestamp, expressBilledMemoryMb(shape.definitionBytes, payload));
        usage.traces += 1;
      }
    }
  }

  s3Request(request: { method: string; path: string; query: Record<string, unknown>; headers: Record<string, unknown> }): void {
    const usage = this.current();
    if (!usage) return;
    const kind = s3RequestClass(request);
    usage.s3[kind] += 1;
    const method = request.method.toUpperCase();
    const segments = request.path.split('/').filter(Boolean);
    const bucket = decodeURIComponent(segments[0] ?? '');
    const length = Number(request.headers['content-length'] ?? 0) || 0;
    // New objects: PUT and COPY of an object (not a part), a browser POST, a completed multipart upload.
    const created =
      (method === 'PUT' && segments.length > 1 && !('partNumber' in request.query)) ||
      (method === 'POST' && segments.length === 1 && !('delete' in request.query)) ||
      (method === 'POST' && 'uploadId' in request.query);
    if (created) {
      usage.s3.bytesPut += length;
      // Buckets with S3 triggers send every object-created event to EventBridge.
      if (this.eventBridgeBuckets.has(bucket)) usage.eventBridgeEvents += 1;
    }
  }

  track(work: Promise<unknown>): void {
    const settled = work.catch(() => undefined).finally(() => this.pending.delete(settled));
    this.pending.add(settled);
  }

  /** SDK middleware on the clients the handlers make. */
  client(observed: ObservedClient): void {
    if (observed.service === 'dynamodb') this.instrumentDynamo(observed.client);
    if (observed.service === 'sqs') this.instrumentSqs(observed.client);
  }

  // -------------------------------------------------------------------------
  // The harness's own counts

  /** An API Gateway request the harness made, and the bytes of its response. */
  apiRequest(responseBytes: number): void {
    const usage = this.current();
    if (!usage) return;
    usage.apiRequests += 1;
    usage.traces += 1;
    usage.egressBytes += responseBytes;
  }

  /** Bytes a webhook delivery sent out of AWS. */
  egress(bytes: number): void {
    const usage = this.current();
    if (usage) usage.egressBytes += bytes;
  }

  /** Counts what the handlers write to stdout and stderr (their CloudWatch Logs) and keeps it off the terminal. */
  captureLogs(passThrough: boolean): void {
    const streams = [process.stdout, process.stderr] as const;
    const originals = streams.map((stream) => stream.write.bind(stream));
    streams.forEach((stream, i) => {
      stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
        const usage = this.current();
        if (usage) {
          const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
          usage.handlerLogEvents += 1;
          usage.handlerLogBytes += compactedBytes(text);
        }
        if (passThrough || !usage) return (originals[i] as (...args: unknown[]) => boolean)(chunk, ...rest);
        const callback = rest.find((arg) => typeof arg === 'function') as (() => void) | undefined;
        callback?.();
        return true;
      }) as typeof stream.write;
    });
    this.restoreOutput = () => streams.forEach((stream, i) => (stream.write = originals[i] as typeof stream.write));
  }

  /** Writes to the terminal even while logs are captured. */
  print(text: string): void {
    if (this.restoreOutput) {
      const phase = this.phase;
      this.phase = undefined;
      process.stderr.write(text);
      this.phase = phase;
    } else {
      process.stderr.write(text);
    }
  }

  /** Waits for execution histories and prices the transactional actions read back. */
  async settle(): Promise<void> {
    const deadline = Date.now() + 30_000;
    while (this.pending.size > 0 && Date.now() < deadline) await Promise.race([...this.pending, sleep(1000)]);
    await this.priceDeferred();
  }

  stop(): void {
    this.restoreOutput?.();
    this.restoreOutput = undefined;
    this.reader?.destroy();
  }

  // -------------------------------------------------------------------------
  // DynamoDB

  private addUnits(usage: Usage, table: TableDefinition | undefined, kind: 'read' | 'write', units: number, source?: string): void {
    if (!table || units === 0) return;
    const entry = usage.dynamo.get(table.id) ?? { read: 0, write: 0 };
    entry[kind] += units;
    usage.dynamo.set(table.id, entry);
    if (source) {
      const bySource = usage.dynamoBySource.get(source) ?? { requests: 0, read: 0, write: 0 };
      bySource[kind] += units;
      usage.dynamoBySource.set(source, bySource);
    }
  }

  private countRequest(usage: Usage, source: string): void {
    const bySource = usage.dynamoBySource.get(source) ?? { requests: 0, read: 0, write: 0 };
    bySource.requests += 1;
    usage.dynamoBySource.set(source, bySource);
  }

  private instrumentDynamo(client: DynamoDBClient): void {
    client.middlewareStack.add(
      (next) => async (args) => {
        const phase = this.phase;
        const request = args.request as { headers?: Record<string, string>; body?: unknown };
        const operation = String(request.headers?.['x-amz-target'] ?? '').split('.')[1] ?? '';
        const text = bodyText(request.body);
        if (!phase || (!READS.has(operation) && !WRITES.has(operation)) || text === undefined) return next(args);
        const input = JSON.parse(text) as Record<string, unknown>;
        const injected = input.ReturnConsumedCapacity === undefined || input.ReturnConsumedCapacity === 'NONE';
        if (injected) {
          input.ReturnConsumedCapacity = 'INDEXES';
          const body = Buffer.from(JSON.stringify(input), 'utf8');
          request.body = body;
          if (request.headers?.['content-length'] !== undefined) request.headers['content-length'] = String(body.byteLength);
        }
        const usage = this.usage[phase];
        const source = `${invokingFunction() ?? '(outside a function)'} ${operation}`;
        this.countRequest(usage, source);
        try {
          const result = await next(args);
          const output = result.output as unknown as Record<string, unknown>;
          this.recordDynamo(phase, usage, source, operation, input, output);
          if (injected) delete output.ConsumedCapacity;
          return result;
        } catch (error) {
          this.recordDynamoFailure(usage, source, operation, input, error as { name?: string });
          throw error;
        }
      },
      { step: 'build', name: 'costMeterConsumedCapacity', priority: 'high' },
    );
  }

  private recordDynamo(phase: Phase, usage: Usage, source: string, operation: string, input: Record<string, unknown>, output: Record<string, unknown>): void {
    if (operation === 'TransactWriteItems') {
      this.priceTransaction(phase, usage, source, input.TransactItems as TransactAction[]);
      return;
    }
    const kind = READS.has(operation) ? 'read' : 'write';
    const consumed = ([] as { TableName?: string; CapacityUnits?: number }[]).concat(
      (output.ConsumedCapacity as never) ?? [],
    );
    for (const entry of consumed) {
      const table = this.tablesByName.get(entry.TableName ?? '');
      let units = entry.CapacityUnits ?? 0;
      // DynamoDB bills a Query or Scan that reads nothing its minimum; DynamoDB Local says 0.
      if ((operation === 'Query' || operation === 'Scan') && units === 0) units = input.ConsistentRead ? 1 : 0.5;
      this.addUnits(usage, table, kind, units, source);
    }
    // A key BatchGetItem finds no item for is still read; DynamoDB Local bills it nothing.
    if (operation === 'BatchGetItem') {
      const requested = (input.RequestItems ?? {}) as Record<string, { Keys: unknown[]; ConsistentRead?: boolean }>;
      const responses = (output.Responses ?? {}) as Record<string, unknown[]>;
      const unprocessed = (output.UnprocessedKeys ?? {}) as Record<string, { Keys?: unknown[] }>;
      for (const [name, request] of Object.entries(requested)) {
        const missing = request.Keys.length - (responses[name]?.length ?? 0) - (unprocessed[name]?.Keys?.length ?? 0);
        if (missing > 0) this.addUnits(usage, this.tablesByName.get(name), 'read', missing * (request.ConsistentRead ? 1 : 0.5), source);
      }
    }
  }

  private recordDynamoFailure(usage: Usage, source: string, operation: string, input: Record<string, unknown>, error: { name?: string }): void {
    if (error.name === 'ConditionalCheckFailedException' && WRITES.has(operation)) {
      // A write whose condition fails still consumes write capacity (at least one unit).
      usage.dynamoFailedWrites += 1;
      this.addUnits(usage, this.tablesByName.get(String(input.TableName)), 'write', 1, source);
    } else if (error.name === 'TransactionCanceledException' && operation === 'TransactWriteItems') {
      usage.dynamoFailedWrites += 1;
      for (const action of input.TransactItems as TransactAction[]) {
        const body = action.Put ?? action.Update ?? action.Delete ?? action.ConditionCheck;
        this.addUnits(usage, this.tablesByName.get(body?.TableName ?? ''), 'write', 2, source);
      }
    }
  }

  /** Transactions priced per action (DynamoDB Local's ConsumedCapacity for them is wrong). */
  private priceTransaction(phase: Phase, usage: Usage, source: string, actions: TransactAction[]): void {
    for (const action of actions) {
      usage.transactionActions += 1;
      if (action.Put) {
        const table = this.tablesByName.get(action.Put.TableName);
        if (!table) continue;
        const bytes = itemBytes(action.Put.Item);
        const indexes = indexesOf(table, action.Put.Item).length;
        this.knownItems.set(keyOf(table, action.Put.Item), { bytes, indexes });
        this.addUnits(usage, table, 'write', transactionUnits(bytes, indexes), source);
      } else if (action.Delete) {
        const table = this.tablesByName.get(action.Delete.TableName);
        if (!table) continue;
        const known = this.knownItems.get(keyOf(table, action.Delete.Key));
        this.addUnits(usage, table, 'write', transactionUnits(known?.bytes ?? 0, known?.indexes ?? 0), source);
      } else if (action.Update) {
        const table = this.tablesByName.get(action.Update.TableName);
        if (!table) continue;
        const touched = touchedIndexes(table, action.Update.UpdateExpression, action.Update.ExpressionAttributeNames);
        this.deferred.push({ phase, source, table, key: action.Update.Key, kind: 'update', touchedIndexes: touched });
      } else if (action.ConditionCheck) {
        const table = this.tablesByName.get(action.ConditionCheck.TableName);
        if (!table) continue;
        this.deferred.push({ phase, source, table, key: action.ConditionCheck.Key, kind: 'check', touchedIndexes: new Set() });
      }
    }
  }

  /**
   * Updates and condition checks inside transactions, priced from the item as it is
   * after the run (read back with consistent reads that are not counted): an update
   * bills the larger of the item before and after, which is at most what is read here
   * as long as items only grow; an item gone since is priced at the minimum.
   */
  private async priceDeferred(): Promise<void> {
    const work = this.deferred.splice(0);
    if (work.length === 0 || !this.reader) return;
    const found = new Map<string, Item>();
    const unique = new Map<string, Deferred>();
    for (const entry of work) unique.set(keyOf(entry.table, entry.key), entry);
    const byTable = new Map<string, Deferred[]>();
    for (const entry of unique.values()) byTable.set(entry.table.id, [...(byTable.get(entry.table.id) ?? []), entry]);
    const physical = new Map([...this.tablesByName].map(([name, table]) => [table.id, name]));
    for (const [id, entries] of byTable) {
      const name = physical.get(id)!;
      for (let i = 0; i < entries.length; i += 100) {
        let keys: Item[] = entries.slice(i, i + 100).map((entry) => entry.key);
        for (let round = 0; keys.length > 0 && round < 10; round++) {
          const result = await this.reader.send(
            new BatchGetItemCommand({ RequestItems: { [name]: { Keys: keys as never, ConsistentRead: true } } }),
          );
          for (const item of (result.Responses?.[name] ?? []) as unknown as Item[]) {
            found.set(keyOf(this.tablesByName.get(name)!, item), item);
          }
          keys = (result.UnprocessedKeys?.[name]?.Keys ?? []) as unknown as Item[];
        }
      }
    }
    for (const entry of work) {
      const item = found.get(keyOf(entry.table, entry.key));
      const bytes = item ? itemBytes(item) : 0;
      const usage = this.usage[entry.phase];
      if (entry.kind === 'check') {
        this.addUnits(usage, entry.table, 'write', transactionUnits(bytes, 0), entry.source);
        continue;
      }
      const indexes = item ? indexesOf(entry.table, item) : [];
      const inIndex = new Set(indexes);
      // Every index the item is in is rewritten (projection ALL); a changed index key also deletes the old entry.
      const changed = [...entry.touchedIndexes].filter((index) => inIndex.has(index)).length;
      const removed = [...entry.touchedIndexes].filter((index) => !inIndex.has(index)).length;
      this.addUnits(usage, entry.table, 'write', transactionUnits(bytes, indexes.length + removed, changed), entry.source);
    }
  }

  // -------------------------------------------------------------------------
  // SQS

  private instrumentSqs(client: SQSClient): void {
    client.middlewareStack.add(
      (next) => async (args) => {
        const usage = this.current();
        const request = args.request as { body?: unknown };
        // Each 64 KB chunk of a request's payload is billed as a request.
        if (usage) usage.sqsRequests += Math.max(1, Math.ceil(Buffer.byteLength(bodyText(request.body) ?? '') / 65_536));
        return next(args);
      },
      { step: 'build', name: 'costMeterSqsRequests', priority: 'high' },
    );
  }
}

/** A serialized request body as text (the SDK hands over a string or bytes). */
function bodyText(body: unknown): string | undefined {
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
  return undefined;
}

/** Bytes of a log write as CloudWatch would ingest it: pretty-printed JSON compacted. */
function compactedBytes(text: string): number {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    try {
      return Buffer.byteLength(JSON.stringify(JSON.parse(trimmed)));
    } catch {
      // Not one JSON document: count it as written.
    }
  }
  return Buffer.byteLength(trimmed);
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms).unref());

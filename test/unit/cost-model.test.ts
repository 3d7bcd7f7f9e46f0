/** The cost model's arithmetic (infra/cost): list prices, AWS's rounding rules, and the bill built from usage. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bill, functionCost, logBytes, totals } from '../../infra/cost/bill.ts';
import { functionConfigs, STATE_MACHINE_TYPES, workflowShape } from '../../infra/cost/functions.ts';
import { CostMeter, emptyUsage, transactionUnits } from '../../infra/cost/meter.ts';
import {
  API_GATEWAY_REST_PER_REQUEST,
  cost,
  DYNAMODB_PER_READ_REQUEST_UNIT,
  DYNAMODB_PER_WRITE_REQUEST_UNIT,
  expressBilledDurationMs,
  expressBilledMemoryMb,
  expressGbSeconds,
  itemBytes,
  LAMBDA_ARM_PER_GB_SECOND,
  LAMBDA_PER_REQUEST,
  lambdaGbSeconds,
  perUnits,
  readUnits,
  S3_PER_GET_CLASS_REQUEST,
  S3_PER_PUT_CLASS_REQUEST,
  s3RequestClass,
  SFN_EXPRESS_PER_GB_SECOND,
  SFN_EXPRESS_PER_REQUEST,
  SFN_STANDARD_PER_TRANSITION,
  SQS_STANDARD_PER_REQUEST,
  writeUnits,
} from '../../infra/cost/prices.ts';
import { batchWorkflow, comparisonWorkflow, workflows } from '../../infra/workflows/index.ts';

const million = 1_000_000;

describe('list prices (us-east-1)', () => {
  it('prices a million of each request at the published rate', () => {
    expect(cost(million, LAMBDA_PER_REQUEST)).toBeCloseTo(0.2, 10);
    expect(cost(million, API_GATEWAY_REST_PER_REQUEST)).toBeCloseTo(3.5, 10);
    expect(cost(million, SFN_EXPRESS_PER_REQUEST)).toBeCloseTo(1, 10);
    expect(cost(million, DYNAMODB_PER_WRITE_REQUEST_UNIT)).toBeCloseTo(0.625, 10);
    expect(cost(million, DYNAMODB_PER_READ_REQUEST_UNIT)).toBeCloseTo(0.125, 10);
    expect(cost(million, SQS_STANDARD_PER_REQUEST)).toBeCloseTo(0.4, 10);
    expect(cost(1000, SFN_STANDARD_PER_TRANSITION)).toBeCloseTo(0.025, 10);
    expect(cost(1000, S3_PER_PUT_CLASS_REQUEST)).toBeCloseTo(0.005, 10);
    expect(cost(1000, S3_PER_GET_CLASS_REQUEST)).toBeCloseTo(0.0004, 10);
  });

  it('prices Lambda duration per GB-second on Arm', () => {
    // A million invocations of 100 ms at 512 MB: 50,000 GB-s.
    const gbSeconds = million * lambdaGbSeconds(100, 512);
    expect(gbSeconds).toBeCloseTo(50_000, 6);
    expect(cost(gbSeconds, LAMBDA_ARM_PER_GB_SECOND)).toBeCloseTo(0.66667, 5);
  });

  it('prices Express duration at $0.06 per GB-hour', () => {
    // 1,000 GB-hours is $60.
    expect(cost(1000 * 3600, SFN_EXPRESS_PER_GB_SECOND)).toBeCloseTo(60, 6);
    // A million executions of 450 ms at 64 MB: billed 500 ms, 31,250 GB-s, $0.52 besides $1 of requests.
    const gbSeconds = million * expressGbSeconds(450, 64);
    expect(gbSeconds).toBeCloseTo(31_250, 6);
    expect(cost(gbSeconds, SFN_EXPRESS_PER_GB_SECOND)).toBeCloseTo(0.5208, 4);
  });
});

describe('AWS rounding rules', () => {
  it('rounds Lambda duration up to the millisecond', () => {
    expect(lambdaGbSeconds(1.2, 1024)).toBeCloseTo(0.002, 12);
    expect(lambdaGbSeconds(0.01, 512)).toBeCloseTo(0.0005, 12);
  });

  it('rounds Express duration up to 100 ms and memory up to 64 MB chunks', () => {
    expect(expressBilledDurationMs(1)).toBe(100);
    expect(expressBilledDurationMs(100)).toBe(100);
    expect(expressBilledDurationMs(101)).toBe(200);
    // The pricing page's example: 50 MB + a 50 KB definition + 400 Map steps of 32 KB is 64 MB.
    expect(expressBilledMemoryMb(50 * 1024, 32 * 1024, 400)).toBe(64);
    expect(expressBilledMemoryMb(8_000, 15 * 1024 * 1024)).toBe(128);
  });

  it('counts DynamoDB units per 1 KB written and 4 KB read', () => {
    expect(writeUnits(0)).toBe(1);
    expect(writeUnits(1024)).toBe(1);
    expect(writeUnits(1025)).toBe(2);
    expect(readUnits(100, false)).toBe(0.5);
    expect(readUnits(4096, true)).toBe(1);
    expect(readUnits(4097, true)).toBe(2);
  });

  it('prices a transactional write twice on the table and once on each index', () => {
    // A 1.1 KB declaration in three indexes: 2 x 2 on the table, 2 on each index.
    expect(transactionUnits(1100, 3)).toBe(10);
    // A small counter: 2.
    expect(transactionUnits(80, 0)).toBe(2);
    // An index key that moves is a delete and a put in that index.
    expect(transactionUnits(500, 1, 1)).toBe(4);
  });

  it('sizes items by attribute names and values', () => {
    // 'pk' + 'abc' = 5; 'n' + 123.45 (5 significant digits: 3 bytes + 1) = 5.
    expect(itemBytes({ pk: { S: 'abc' }, n: { N: '123.45' } })).toBe(10);
    // A map: 3 bytes, plus per element 1 byte, its name and its value; UTF-8 strings by bytes.
    expect(itemBytes({ m: { M: { a: { S: '铅' }, b: { BOOL: true } } } })).toBe(1 + 3 + (1 + 1 + 3) + (1 + 1 + 1));
    expect(itemBytes({ l: { L: [{ NULL: true }, { N: '0.004' }] } })).toBe(1 + 3 + (1 + 1) + (1 + 2));
    // Binary values arrive base64-encoded on the wire.
    expect(itemBytes({ b: { B: Buffer.from('hello').toString('base64') } })).toBe(1 + 5);
  });

  it('puts S3 requests in their price class', () => {
    expect(s3RequestClass({ method: 'PUT', path: '/reports/comparisons/x/report.zh.html', query: {} })).toBe('put');
    expect(s3RequestClass({ method: 'POST', path: '/batches', query: {} })).toBe('put');
    expect(s3RequestClass({ method: 'GET', path: '/batches', query: { 'list-type': '2' } })).toBe('put');
    expect(s3RequestClass({ method: 'GET', path: '/batches/uploads/b1', query: {} })).toBe('get');
    expect(s3RequestClass({ method: 'HEAD', path: '/batches/uploads/b1', query: {} })).toBe('get');
    expect(s3RequestClass({ method: 'DELETE', path: '/batches/uploads/b1', query: {} })).toBe('free');
    expect(s3RequestClass({ method: 'POST', path: '/batches', query: { delete: '' } })).toBe('free');
  });

  it('scales a run to 10,000 units', () => {
    expect(perUnits(0.05, 1000)).toBeCloseTo(0.5, 12);
    expect(perUnits(1, 0)).toBe(0);
  });
});

describe('configuration read from the stacks', () => {
  it('bills each function at the memory CDK gives it', () => {
    const configs = functionConfigs();
    expect(configs.get('comparisons/render-report')).toMatchObject({ memoryMb: 1024, kind: 'workflow task' });
    expect(configs.get('comparisons/compare')?.memoryMb).toBe(512);
    expect(configs.get('auth/authorize')).toMatchObject({ memoryMb: 512, kind: 'authorizer' });
    expect(configs.get('stats/aggregate-stream')).toMatchObject({ memoryMb: 1024, kind: 'stream consumer' });
    expect(configs.get('batches/process-chunk')?.memoryMb).toBe(1024);
    expect(configs.get('declarations/create-declaration')).toMatchObject({ memoryMb: 512, kind: 'api' });
    for (const workflow of workflows) for (const handler of Object.values(workflow.tasks)) expect(configs.has(handler)).toBe(true);
  });

  it('knows the state machine types the stacks deploy', () => {
    expect(STATE_MACHINE_TYPES).toEqual({ comparison: 'EXPRESS', batch: 'STANDARD' });
    expect(readFileSync('infra/stacks/workflow-stack.ts', 'utf8')).toContain('stateMachineType: StateMachineType.EXPRESS');
    expect(readFileSync('infra/stacks/batch-stack.ts', 'utf8')).toContain('stateMachineType: StateMachineType.STANDARD');
    expect(workflowShape(batchWorkflow)).toMatchObject({ type: 'STANDARD', hasInlineMap: false });
    expect([...workflowShape(batchWorkflow).expressChildMaps]).toEqual(['ProcessChunks']);
    expect(workflowShape(comparisonWorkflow).expressChildMaps.size).toBe(0);
  });
});

describe('the meter', () => {
  it('bills invocations at their function memory, in the current phase only', () => {
    const meter = new CostMeter({ workflows });
    meter.invocation('comparisons/render-report', 40.2);
    expect(meter.usage.single.lambda.size).toBe(0);
    meter.phase = 'single';
    meter.invocation('comparisons/render-report', 40.2);
    meter.invocation('auth/issue-token', 9);
    meter.invocation('webhooks/deliver-webhook', 30);
    const render = meter.usage.single.lambda.get('comparisons/render-report')!;
    expect(render).toMatchObject({ invocations: 1, billedMs: 41, memoryMb: 1024 });
    expect(render.gbSeconds).toBeCloseTo(0.041, 12);
    // A token is a KMS Sign; a queue consumer's batch is a ReceiveMessage and a DeleteMessageBatch.
    expect(meter.usage.single.kmsRequests).toBe(1);
    expect(meter.usage.single.sqsRequests).toBe(2);
    meter.stop();
  });

  it('reads transitions and Distributed Map children from a Standard execution', () => {
    const meter = new CostMeter({ workflows });
    meter.phase = 'batch';
    const entered = (name: string, t: number) => ({ type: 'StateEntered', timestamp: t, state: { name } });
    meter.execution('batch', [
      { type: 'ExecutionStarted', timestamp: 0, input: {} },
      entered('Split', 1),
      entered('Readable', 10),
      entered('ProcessChunks', 11),
      { type: 'MapIterationStarted', timestamp: 12, index: 0, parentState: { name: 'ProcessChunks' }, input: { chunk: 'a' } },
      { type: 'StateEntered', timestamp: 12, index: 0, state: { name: 'ProcessChunk' } },
      { type: 'MapIterationStarted', timestamp: 13, index: 1, parentState: { name: 'ProcessChunks' }, input: { chunk: 'b' } },
      { type: 'MapIterationSucceeded', timestamp: 262, index: 0, parentState: { name: 'ProcessChunks' }, output: null },
      { type: 'MapIterationSucceeded', timestamp: 113, index: 1, parentState: { name: 'ProcessChunks' }, output: null },
      { type: 'StateRetried', timestamp: 300, state: { name: 'Finish' } },
      entered('Finish', 263),
      { type: 'ExecutionSucceeded', timestamp: 400, output: {} },
    ]);
    const usage = meter.usage.batch;
    // Split, Readable, ProcessChunks, Finish and one retry; the children's states are theirs.
    expect(usage.standardTransitions).toBe(5);
    expect(usage.standardExecutions).toBe(1);
    // Two Express children of 250 ms (billed 300) and 100 ms, at 64 MB.
    expect(usage.expressChildren).toBe(2);
    expect(usage.expressRequests).toBe(2);
    expect(usage.expressGbSeconds).toBeCloseTo((0.3 + 0.1) * (64 / 1024), 12);
    meter.stop();
  });

  it('counts S3 requests by class and the object-created events of buckets with triggers', () => {
    const meter = new CostMeter({ workflows });
    meter.attach({ tableNames: {}, bucketNames: { Batches: 'local-batches', Reports: 'local-reports' }, dynamodbEndpoint: 'http://127.0.0.1:1' });
    meter.phase = 'single';
    meter.s3Request({ method: 'PUT', path: '/local-reports/comparisons/c/report.zh.html', query: {}, headers: { 'content-length': '2048' } });
    meter.s3Request({ method: 'POST', path: '/local-batches', query: {}, headers: { 'content-length': '500' } });
    meter.s3Request({ method: 'GET', path: '/local-batches/uploads/b', query: {}, headers: {} });
    meter.s3Request({ method: 'DELETE', path: '/local-batches/uploads/b', query: {}, headers: {} });
    expect(meter.usage.single.s3).toEqual({ put: 2, get: 1, free: 1, bytesPut: 2548 });
    // Only the Batches bucket sends its events to EventBridge.
    expect(meter.usage.single.eventBridgeEvents).toBe(1);
    meter.stop();
  });
});

describe('the bill', () => {
  it('prices each phase and scales it to 10,000 declarations', () => {
    const single = emptyUsage();
    single.apiRequests = 30; // 10 declarations, three requests each
    single.lambda.set('declarations/create-declaration', {
      handler: 'declarations/create-declaration',
      kind: 'api',
      memoryMb: 512,
      invocations: 10,
      billedMs: 400,
      gbSeconds: 0.2,
    });
    single.dynamo.set('Main', { read: 40, write: 400 });
    single.s3.put = 40;
    const batch = emptyUsage();
    batch.standardTransitions = 4;
    batch.dynamo.set('Main', { read: 0, write: 20_000 });
    const lines = bill({ single, batch }, { declarations: 10, batchRows: 1000 });
    const line = (item: string) => lines.find((l) => l.item === item)!;
    expect(line('API Gateway REST requests').single.per10k).toBeCloseTo(0.105, 10);
    expect(line('S3 PUT, COPY, POST, LIST').single.per10k).toBeCloseTo(0.2, 10);
    expect(line('DynamoDB writes (Main)').single.per10k).toBeCloseTo(0.25, 10);
    expect(line('DynamoDB writes (Main)').batch.per10k).toBeCloseTo(0.125, 10);
    expect(line('Step Functions Standard transitions').batch.per10k).toBeCloseTo(0.001, 10);
    expect(line('Lambda requests').single.cost).toBeCloseTo(10 * 0.2e-6, 15);
    // Lines nobody used are left out.
    expect(lines.find((l) => l.item === 'SQS requests')).toBeUndefined();
    const total = totals(lines);
    expect(total.single.per10k).toBeCloseTo(lines.reduce((sum, l) => sum + l.single.per10k, 0), 12);
    expect(total.batch.per10k).toBeCloseTo(0.125 + 0.001, 10);
    expect(functionCost({ invocations: 1_000_000, gbSeconds: 50_000 })).toBeCloseTo(0.2 + 0.66667, 5);
  });

  it('estimates log bytes from handler output, Lambda lines and access logs', () => {
    const usage = emptyUsage();
    usage.handlerLogBytes = 1000;
    usage.handlerLogEvents = 4;
    usage.apiRequests = 2;
    usage.lambda.set('x', { handler: 'x', kind: 'api', memoryMb: 512, invocations: 2, billedMs: 2, gbSeconds: 0.001 });
    // 1000 + 4 x 26; 2 x (330 + 3 x 26); 2 x (700 + 26).
    expect(logBytes(usage)).toBe(1000 + 104 + 816 + 1452);
  });
});

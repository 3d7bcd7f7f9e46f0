/**
 * `npm run cost`: what AWS would bill for declarations, measured on the local runtime.
 *
 * Starts the platform on a fresh temporary DATA_DIR with a meter (infra/cost/meter.ts),
 * sets up a scheme, a province client and its webhook (comparison.completed,
 * batch.completed) unmetered, warms the handlers up, then meters:
 *
 *   single  N declarations one by one, each as an integrating province sends it: the
 *           declaration of a new enterprise, which it brings along
 *           (POST /v1/declarations with `enterprise`, an Idempotency-Key), and once its
 *           comparison has run, one GET /v1/comparisons/{id} for the result;
 *   batch   one upload of M rows (POST /v1/batches, the presigned POST), its workflow,
 *           and one GET /v1/batches/{id} once it has completed;
 *
 * each followed by everything it sets off (aggregates, search index, webhook
 * deliveries) until the runtime is idle, and prints the bill at us-east-1 list prices
 * (infra/cost/prices.ts) per 10,000 declarations. Two variants are measured on samples
 * and printed as differences: each enterprise registered first with a request of its
 * own (POST /v1/enterprises), and a fresh token per declaration. The harness waits on the runtime
 * itself (no polling through the API, which would be billed as requests).
 *
 *   npm run cost -- [--declarations 1000] [--batch-rows 1000] [--no-webhook] [--verbose]
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { bill, functionCost, type Line, totals, XRAY_DEFAULT_SAMPLING } from '../cost/bill.ts';
import { CostMeter, type Phase, type Usage } from '../cost/meter.ts';
import {
  CLOUDWATCH_LOGS_PER_GB_INGESTED,
  perUnits,
  PRICE_REGION,
  XRAY_PER_TRACE_RECORDED,
} from '../cost/prices.ts';
import { stages } from '../config/stages.ts';
import { buckets } from '../definitions/tables.ts';
import { type Platform, startPlatform } from '../local/runtime.ts';
import { demoCreditCode } from '../local/seed.ts';
import { workflows } from '../workflows/index.ts';
import { batchKey } from '../../shared/store/keys.ts';

const { values: args } = parseArgs({
  options: {
    declarations: { type: 'string', default: '1000' },
    'batch-rows': { type: 'string', default: '1000' },
    'no-webhook': { type: 'boolean', default: false },
    verbose: { type: 'boolean', default: false },
  },
});
const DECLARATIONS = Number(args.declarations);
const BATCH_ROWS = Number(args['batch-rows']);
const TOKEN_SAMPLES = 50;
const REGISTERED_FIRST_SAMPLES = 100;
if (!Number.isInteger(DECLARATIONS) || DECLARATIONS < 1 || !Number.isInteger(BATCH_ROWS) || BATCH_ROWS < 1) {
  console.error('--declarations and --batch-rows take whole numbers of at least 1');
  process.exit(2);
}
const TARGET_PER_10K = 0.5;

const STANDARD = { number: 'OEKO-TEX STANDARD 100', title: 'OEKO-TEX 生态纺织品标准100', org: 'OEKO-TEX', kind: 'foreign' };
const SCHEME = {
  name: '婴幼儿纺织品（A类）对标技术方案',
  productCategory: '婴幼儿纺织品',
  industry: '纺织服装',
  field: 'consumer',
  indicators: [
    { code: 'lead', name: '铅', unit: 'mg/kg', requirement: 'max', core: true, benchmarks: [{ standard: STANDARD.number, value: 90 }] },
    { code: 'cadmium', name: '镉', unit: 'mg/kg', requirement: 'max', core: true, benchmarks: [{ standard: STANDARD.number, value: 40 }] },
    { code: 'phthalates', name: '邻苯二甲酸酯', unit: '%', requirement: 'max', benchmarks: [{ standard: STANDARD.number, value: 0.1 }] },
    { code: 'ph', name: 'pH值', unit: 'pH', requirement: 'range', core: true, benchmarks: [{ standard: STANDARD.number, value: [4.0, 7.5] }] },
  ],
};
/** Hangzhou Binjiang, in the province client's territory (330000). */
const DIVISION = '330108';

const meter = new CostMeter({ workflows });
const say = (text: string) => meter.print(`${text}\n`);

/** A client of the platform's API that counts what API Gateway would bill. */
class Client {
  private token?: string;
  constructor(
    private readonly baseUrl: string,
    private readonly clientId: string,
    private readonly clientSecret: string,
  ) {}

  private async fetch(path: string, init: RequestInit): Promise<{ status: number; body: unknown }> {
    const response = await fetch(`${this.baseUrl}${path}`, init);
    const text = await response.text();
    let headerBytes = 0;
    response.headers.forEach((value, name) => (headerBytes += name.length + value.length + 4));
    meter.apiRequest(Buffer.byteLength(text) + headerBytes);
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  }

  async newToken(): Promise<void> {
    const { status, body } = await this.fetch('/oauth2/token', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: this.clientId, client_secret: this.clientSecret }),
    });
    const token = (body as { access_token?: string } | undefined)?.access_token;
    if (status !== 200 || !token) throw new Error(`token for ${this.clientId}: ${status} ${JSON.stringify(body)}`);
    this.token = token;
  }

  async call<T>(method: string, path: string, body?: unknown, options: { idempotent?: boolean } = {}): Promise<T> {
    if (!this.token) await this.newToken();
    const headers: Record<string, string> = { Authorization: `Bearer ${this.token}` };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (options.idempotent) headers['Idempotency-Key'] = randomUUID();
    const result = await this.fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    if (result.status >= 300) throw new Error(`${method} ${path}: ${result.status} ${JSON.stringify(result.body)}`);
    return result.body as T;
  }
}

/** A webhook subscriber outside AWS: answers 204 and counts what was sent to it. */
async function startReceiver(): Promise<{ url: string; received: () => number; close(): Promise<void> }> {
  let received = 0;
  const server: Server = createServer((request, response) => {
    let bytes = 0;
    for (let i = 0; i < request.rawHeaders.length; i += 2) bytes += request.rawHeaders[i]!.length + request.rawHeaders[i + 1]!.length + 4;
    request.on('data', (chunk: Buffer) => (bytes += chunk.length));
    request.on('end', () => {
      received += 1;
      meter.egress(bytes);
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
    received: () => received,
    close: () => new Promise((done) => server.close(() => done())),
  };
}

const indicators = (i: number) => [
  { code: 'lead', value: 90 },
  { code: 'cadmium', value: i % 2 === 0 ? 30 : 100 },
  { code: 'phthalates', value: 0.1 },
  { code: 'ph', value: [4.0, 7.5] },
];

function batchCsv(rows: number, firstSerial: number): Buffer {
  const lines = ['creditCode,enterpriseName,divisionCode,industry,product,standardNumber,lead,cadmium,phthalates,ph'];
  for (let i = 0; i < rows; i++) {
    const serial = firstSerial + i;
    lines.push(
      [demoCreditCode(DIVISION, serial), `批量企业${serial}号纺织有限公司`, DIVISION, '纺织服装', '婴儿连体衣', 'Q/PL 001-2024', 90, i % 2 === 0 ? 30 : 100, 0.1, '4.0~7.5'].join(','),
    );
  }
  return Buffer.from(`${lines.join('\r\n')}\r\n`, 'utf8');
}

/** Runs until nothing the runtime started is still running, then lets the meter finish its accounts. */
async function quiesce(platform: Platform): Promise<void> {
  for (let round = 0; round < 3; round++) {
    await platform.stepFunctions.idle();
    await platform.streams?.drain();
    await platform.queues.drain();
  }
  await meter.settle();
}

/**
 * One declaration of a new enterprise. `registerFirst`: the enterprise is registered
 * with a request of its own before; otherwise the declaration brings it along.
 */
async function declareOne(province: Client, platform: Platform, schemeId: string, serial: number, registerFirst = false) {
  const creditCode = demoCreditCode(DIVISION, serial);
  const enterprise = { name: `成本测算企业${serial}号`, divisionCode: DIVISION, industry: '纺织服装' };
  if (registerFirst) await province.call('POST', '/v1/enterprises', { creditCode, ...enterprise }, { idempotent: true });
  const declaration = await province.call<{ comparisonId: string }>(
    'POST',
    '/v1/declarations',
    {
      creditCode,
      schemeId,
      product: '婴儿睡袋',
      standardNumber: 'Q/CM 001-2024',
      indicators: indicators(serial),
      ...(registerFirst ? {} : { enterprise }),
    },
    { idempotent: true },
  );
  await platform.stepFunctions.idle();
  const comparison = await province.call<{ status: string }>('GET', `/v1/comparisons/${declaration.comparisonId}`);
  if (comparison.status !== 'succeeded') throw new Error(`comparison ${declaration.comparisonId} is ${comparison.status}`);
  return declaration.comparisonId;
}

async function uploadBatch(province: Client, platform: Platform, schemeId: string, rows: number, firstSerial: number) {
  const file = batchCsv(rows, firstSerial);
  const created = await province.call<{ batchId: string; upload: { url: string; fields: Record<string, string> } }>(
    'POST',
    '/v1/batches',
    { schemeId, fileName: '成本测算.csv', format: 'csv', size: file.length },
    { idempotent: true },
  );
  const form = new FormData();
  for (const [name, value] of Object.entries(created.upload.fields)) form.append(name, value);
  form.append('file', new Blob([new Uint8Array(file)]), '成本测算.csv');
  const uploaded = await fetch(created.upload.url, { method: 'POST', body: form });
  await uploaded.arrayBuffer();
  if (uploaded.status >= 300) throw new Error(`upload: ${uploaded.status}`);
  // Waits on the table itself: polling through the API would be billed as requests.
  const doc = DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint: platform.endpoints.dynamodb, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }),
  );
  const deadline = Date.now() + 30 * 60_000;
  for (;;) {
    const { Item } = await doc.send(new GetCommand({ TableName: platform.tableNames.Main!, Key: batchKey(created.batchId), ConsistentRead: true }));
    if (Item?.status === 'completed' || Item?.status === 'failed') break;
    if (Date.now() > deadline) throw new Error(`batch ${created.batchId} still ${String(Item?.status)}`);
    await new Promise((done) => setTimeout(done, 200));
  }
  doc.destroy();
  const batch = await province.call<{ status: string; accepted: number; compared: number }>('GET', `/v1/batches/${created.batchId}`);
  if (batch.status !== 'completed' || batch.accepted !== rows || batch.compared !== rows) {
    throw new Error(`batch did not declare and compare every row: ${JSON.stringify(batch)}`);
  }
}

// ---------------------------------------------------------------------------
// Output

const money = (value: number) => (value === 0 ? '$0' : value < 0.0001 ? `$${value.toExponential(2)}` : `$${value.toFixed(value < 1 ? 4 : 2)}`);
const quantity = (value: number, unit: string) =>
  unit === 'GB' ? value.toFixed(6) : Number.isInteger(value) ? value.toLocaleString('en-US') : value.toLocaleString('en-US', { maximumFractionDigits: 2 });

function unitPrice(line: Pick<Line, 'unitPrice' | 'unit'>): string {
  if (line.unitPrice === 0) return `free`;
  const [scale, per] = line.unitPrice < 0.0001 ? [1e6, '1M '] : line.unitPrice < 0.01 ? [1000, '1K '] : [1, ''];
  const value = +(line.unitPrice * scale).toPrecision(6);
  const text = Math.abs(value * 100 - Math.round(value * 100)) < 1e-9 ? value.toFixed(2) : String(value);
  return `$${text} / ${per}${line.unit}`;
}

function table(header: string[], rows: string[][], alignRight: boolean[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const format = (row: string[]) => `| ${row.map((cell, i) => (alignRight[i] ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join(' | ')} |`;
  return [format(header), `|${widths.map((w, i) => (alignRight[i] ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`, ...rows.map(format)].join('\n');
}

function report(usage: Record<Phase, Usage>, seconds: Record<'single' | 'batch', number>): void {
  const work = { declarations: DECLARATIONS, batchRows: BATCH_ROWS };
  const lines = bill({ single: usage.single, batch: usage.batch }, work);
  const total = totals(lines);
  const out: string[] = [];
  out.push('');
  out.push(`Cost model: ${DECLARATIONS} single declarations (${seconds.single.toFixed(0)} s) and one batch of ${BATCH_ROWS} rows (${seconds.batch.toFixed(0)} s) on the local runtime`);
  out.push(`List prices, ${PRICE_REGION}, on demand, no free tier (infra/cost/prices.ts names each price's page).`);
  out.push('');
  out.push(
    table(
      ['item', 'unit price', `qty single (${DECLARATIONS})`, `qty batch (${BATCH_ROWS} rows)`, 'cost of the run', 'per 10k single', 'per 10k batch rows'],
      [
        ...lines.map((l) => [
          `${l.item}${l.estimate ? ' *' : ''}`,
          unitPrice(l),
          quantity(l.single.quantity, l.unit),
          quantity(l.batch.quantity, l.unit),
          money(l.single.cost + l.batch.cost),
          money(l.single.per10k),
          money(l.batch.per10k),
        ]),
        ['Total', '', '', '', money(total.single.cost + total.batch.cost), money(total.single.per10k), money(total.batch.per10k)],
      ],
      [false, true, true, true, true, true, true],
    ),
  );
  out.push(`Prices: ${[...new Map(lines.map((l) => [l.source, l.source])).keys()].join(', ')}.`);
  out.push('* estimated, not measured: CloudWatch Logs (handler output measured; Lambda START/END/REPORT lines and API access');
  out.push(`  log lines estimated per invocation and request), X-Ray at the default sampling rule (${XRAY_DEFAULT_SAMPLING * 100}% of traces).`);
  out.push('');
  for (const [name, side] of [['single declarations', 'single'], ['batch rows', 'batch']] as const) {
    const per10k = total[side].per10k;
    const verdict = per10k <= TARGET_PER_10K ? 'within' : 'OVER';
    const top = [...lines].sort((a, b) => b[side].per10k - a[side].per10k).slice(0, 4);
    out.push(
      `Per 10,000 ${name}: ${money(per10k)} (${verdict} the $${TARGET_PER_10K.toFixed(2)} target). Largest: ${top
        .map((l) => `${l.item} ${money(l[side].per10k)} (${((l[side].per10k / per10k) * 100).toFixed(0)}%)`)
        .join(', ')}.`,
    );
  }
  const allTraces = (side: 'single' | 'batch', units: number) => perUnits(usage[side].traces * XRAY_PER_TRACE_RECORDED, units);
  out.push(
    `With every trace recorded (X-Ray sampling 100%): ${money(total.single.per10k + allTraces('single', DECLARATIONS) * (1 - XRAY_DEFAULT_SAMPLING))} single, ${money(
      total.batch.per10k + allTraces('batch', BATCH_ROWS) * (1 - XRAY_DEFAULT_SAMPLING),
    )} batch rows per 10,000.`,
  );
  const registeredFirst = totals(bill({ single: usage.registeredFirst, batch: usage.batch }, { declarations: REGISTERED_FIRST_SAMPLES, batchRows: BATCH_ROWS }));
  out.push(
    `Each enterprise registered first with a request of its own (POST /v1/enterprises, then the declaration): ${money(registeredFirst.single.per10k)} per 10,000 (measured over ${REGISTERED_FIRST_SAMPLES} declarations).`,
  );
  // A declaration sent with a token of its own (an enterprise signing in each time) instead of a cached one.
  const tokenLines = bill({ single: usage.tokens, batch: usage.reads }, { declarations: TOKEN_SAMPLES, batchRows: TOKEN_SAMPLES });
  const tokenTotals = totals(tokenLines);
  out.push(
    `A fresh token per declaration (POST /oauth2/token, KMS Sign, an authorizer run) would add ${money(tokenTotals.single.per10k - tokenTotals.batch.per10k)} per 10,000 (measured over ${TOKEN_SAMPLES} tokens).`,
  );
  out.push('');
  out.push('Lambda by function (memory as configured in CDK; duration measured in-process, rounded up to 1 ms):');
  const functions = new Map<string, { kind: string; memoryMb: number; single?: Usage['lambda'] extends Map<string, infer F> ? F : never; batch?: Usage['lambda'] extends Map<string, infer F> ? F : never }>();
  for (const side of ['single', 'batch'] as const) {
    for (const f of usage[side].lambda.values()) {
      const entry = functions.get(f.handler) ?? { kind: f.kind, memoryMb: f.memoryMb };
      entry[side] = f;
      functions.set(f.handler, entry);
    }
  }
  const rows = [...functions.entries()]
    .map(([handler, f]) => ({
      handler,
      ...f,
      singleCost: f.single ? functionCost(f.single) : 0,
      batchCost: f.batch ? functionCost(f.batch) : 0,
    }))
    .sort((a, b) => b.singleCost + b.batchCost - (a.singleCost + a.batchCost));
  const avg = (f?: { invocations: number; billedMs: number }) => (f && f.invocations > 0 ? `${(f.billedMs / f.invocations).toFixed(1)} ms` : '');
  out.push(
    table(
      ['function', 'kind', 'MB', 'calls single', 'avg', 'calls batch', 'avg', 'per 10k single', 'per 10k batch rows'],
      rows.map((r) => [
        r.handler,
        r.kind,
        String(r.memoryMb),
        String(r.single?.invocations ?? 0),
        avg(r.single),
        String(r.batch?.invocations ?? 0),
        avg(r.batch),
        money(perUnits(r.singleCost, DECLARATIONS)),
        money(perUnits(r.batchCost, BATCH_ROWS)),
      ]),
      [false, false, true, true, true, true, true, true, true],
    ),
  );
  out.push('');
  out.push('DynamoDB by function and operation (request units per declaration or row):');
  const sources = [...new Set([...usage.single.dynamoBySource.keys(), ...usage.batch.dynamoBySource.keys()])];
  const per = (side: 'single' | 'batch', source: string, key: 'requests' | 'read' | 'write') =>
    (usage[side].dynamoBySource.get(source)?.[key] ?? 0) / (side === 'single' ? DECLARATIONS : BATCH_ROWS);
  const dynamoRows = sources
    .map((source) => ({ source, single: per('single', source, 'write'), batch: per('batch', source, 'write') }))
    .sort((a, b) => b.single + b.batch - (a.single + a.batch));
  const fixed = (value: number) => (value === 0 ? '' : value < 0.01 ? value.toPrecision(2) : value.toFixed(2));
  out.push(
    table(
      ['function and operation', 'requests single', 'WRU single', 'RRU single', 'requests batch', 'WRU batch', 'RRU batch'],
      dynamoRows.map(({ source }) => [
        source,
        fixed(per('single', source, 'requests')),
        fixed(per('single', source, 'write')),
        fixed(per('single', source, 'read')),
        fixed(per('batch', source, 'requests')),
        fixed(per('batch', source, 'write')),
        fixed(per('batch', source, 'read')),
      ]),
      [false, true, true, true, true, true, true],
    ),
  );
  out.push('');
  const u = (side: 'single' | 'batch') => usage[side];
  out.push(
    `Counted: DynamoDB ConsumedCapacity of every request the handlers made (transactions priced per item: ${u('single').transactionActions} + ${u('batch').transactionActions} actions; ` +
      `failed conditional writes ${u('single').dynamoFailedWrites} + ${u('batch').dynamoFailedWrites}); stream reads by event source mappings are free. ` +
      `Express ${u('single').expressRequests} + ${u('batch').expressRequests} (of which Distributed Map children ${u('batch').expressChildren}), ` +
      `Standard executions ${u('batch').standardExecutions}. S3 bytes written ${(u('single').s3.bytesPut / 1e6).toFixed(1)} MB + ${(u('batch').s3.bytesPut / 1e6).toFixed(1)} MB. ` +
      `Logs: $${CLOUDWATCH_LOGS_PER_GB_INGESTED}/GB ingested.`,
  );
  out.push(
    'Not counted (monthly, not per declaration): storage (DynamoDB $0.25/GB-month, S3 $0.023/GB-month, logs $0.03/GB-month), the KMS key ($1/month), ' +
      'CloudWatch alarms and the Powertools custom metrics, idle SQS polling by the event source mapping, Lambda cold starts (INIT is billed; warm handlers here).',
  );
  if (meter.unconfigured.length > 0) out.push(`Functions without CDK settings, billed at 512 MB: ${meter.unconfigured.join(', ')}`);
  say(out.join('\n'));
}

// ---------------------------------------------------------------------------

const dataDir = mkdtempSync(join(tmpdir(), 'cost-'));
meter.captureLogs(args.verbose);
let platform: Platform | undefined;
let receiver: Awaited<ReturnType<typeof startReceiver>> | undefined;
try {
  platform = await startPlatform({
    dataDir,
    port: 0,
    inMemory: true,
    // Prod's authorizer cache: a province's token is authorized once per TTL.
    authorizerCacheSeconds: stages.prod.api.authorizerCacheTtlSeconds,
    // The usage plan is not billed; it must not slow the run down.
    clientThrottle: { rateLimit: 1e9, burstLimit: 1e9 },
    meter,
  });
  meter.attach({
    tableNames: platform.tableNames,
    bucketNames: Object.fromEntries(buckets.map((b) => [b.id, process.env[b.envVar]!])),
    dynamodbEndpoint: platform.endpoints.dynamodb,
  });

  // Setup and warm-up: not metered.
  const admin = new Client(platform.url, platform.bootstrap.clientId, platform.bootstrap.clientSecret);
  await admin.call('POST', '/v1/standards', STANDARD);
  const scheme = await admin.call<{ id: string }>('POST', '/v1/schemes', SCHEME);
  const registered = await admin.call<{ clientId: string; clientSecret: string }>('POST', '/v1/clients', {
    name: '浙江省市场监督管理局',
    role: 'province',
    territory: '330000',
  });
  const province = new Client(platform.url, registered.clientId, registered.clientSecret);
  if (!args['no-webhook']) {
    receiver = await startReceiver();
    await province.call('POST', '/v1/webhooks', { url: receiver.url, events: ['comparison.completed', 'batch.completed'] });
  }
  say(`Warming up (unmetered): 20 declarations and a 50-row batch...`);
  let serial = 1;
  for (let i = 0; i < 20; i++) await declareOne(province, platform, scheme.id, serial++, i % 2 === 0);
  await uploadBatch(province, platform, scheme.id, 50, 900_000);
  await quiesce(platform);

  // Single declarations.
  say(`Metering ${DECLARATIONS} single declarations...`);
  const comparisonIds: string[] = [];
  let started = performance.now();
  meter.phase = 'single';
  for (let i = 0; i < DECLARATIONS; i++) {
    comparisonIds.push(await declareOne(province, platform, scheme.id, serial++));
    if ((i + 1) % 100 === 0) say(`  ${i + 1} / ${DECLARATIONS}`);
  }
  await quiesce(platform);
  meter.phase = undefined;
  const singleSeconds = (performance.now() - started) / 1000;

  // One batch.
  say(`Metering a batch of ${BATCH_ROWS} rows...`);
  started = performance.now();
  meter.phase = 'batch';
  await uploadBatch(province, platform, scheme.id, BATCH_ROWS, 1_000_000);
  await quiesce(platform);
  meter.phase = undefined;
  const batchSeconds = (performance.now() - started) / 1000;

  // What registering each enterprise with a request of its own adds.
  say(`Metering ${REGISTERED_FIRST_SAMPLES} declarations of enterprises registered first...`);
  meter.phase = 'registeredFirst';
  for (let i = 0; i < REGISTERED_FIRST_SAMPLES; i++) await declareOne(province, platform, scheme.id, serial++, true);
  await quiesce(platform);
  meter.phase = undefined;

  // What a token of its own adds to a request: requests with new tokens against the same requests with a cached one.
  say(`Metering ${TOKEN_SAMPLES} token requests...`);
  meter.phase = 'reads';
  for (let i = 0; i < TOKEN_SAMPLES; i++) await province.call('GET', `/v1/comparisons/${comparisonIds[i % comparisonIds.length]}`);
  await quiesce(platform);
  meter.phase = 'tokens';
  for (let i = 0; i < TOKEN_SAMPLES; i++) {
    await province.newToken();
    await province.call('GET', `/v1/comparisons/${comparisonIds[i % comparisonIds.length]}`);
  }
  await quiesce(platform);
  meter.phase = undefined;

  if (receiver) say(`Webhook deliveries received: ${receiver.received()}`);
  report(meter.usage, { single: singleSeconds, batch: batchSeconds });
} finally {
  meter.phase = undefined;
  await platform?.stop();
  await receiver?.close();
  meter.stop();
  rmSync(dataDir, { recursive: true, force: true });
}

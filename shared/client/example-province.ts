/**
 * What a provincial system runs to submit a batch and collect the results,
 * with the typed client (platform-client.ts):
 *
 *   1. authenticate (client credentials; the token is cached and renewed);
 *   2. push a batch: POST /v1/batches (with an Idempotency-Key, so a retry
 *      after a lost answer starts nothing twice), then upload the file to the
 *      presigned POST it returns;
 *   3. poll GET /v1/batches/{id} until it is completed or failed;
 *   4. fetch the results: each row's declaration and its comparison.
 *
 * As a program:
 *
 *   PLATFORM_URL=http://127.0.0.1:3000 CLIENT_ID=… CLIENT_SECRET=… \
 *     node --import tsx shared/client/example-province.ts <scheme-id> <file.csv>
 *
 * The file follows the scheme's template (GET /v1/schemes/{id}/template.csv).
 * Instead of polling, a province can register a webhook for batch.completed and
 * comparison.completed (POST /v1/webhooks).
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parse } from 'csv-parse/sync';
import { createPlatformClient, idempotencyKey, type PlatformClient, type PlatformClientOptions } from './platform-client.ts';
import type { components } from './api-types.ts';

type Batch = components['schemas']['Batch'];
type Comparison = components['schemas']['Comparison'];

export interface RowResult {
  line: number;
  creditCode: string;
  product: string;
  declarationId?: string;
  comparison?: Pick<Comparison, 'id' | 'status'> & { meets?: boolean; level?: string; reportUrl?: string };
}

export interface ProvinceRun {
  batch: Batch;
  results: RowResult[];
  /** Token requests the whole run needed. */
  tokenRequests: number;
}

export interface ProvinceRunOptions extends PlatformClientOptions {
  schemeId: string;
  /** The file's bytes and name, in the scheme's template format. */
  file: { name: string; content: Buffer };
  pollIntervalMs?: number;
  timeoutMs?: number;
  log?: (line: string) => void;
}

/** Fails with the problem details the API answered. */
function expectOk<T>(result: { data?: T; error?: unknown; response: Response }, what: string): T {
  if (result.data === undefined) throw new Error(`${what}: ${result.response.status} ${JSON.stringify(result.error)}`);
  return result.data;
}

async function poll<T>(what: string, options: ProvinceRunOptions, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 120_000);
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what} did not finish in time`);
    await new Promise((done) => setTimeout(done, options.pollIntervalMs ?? 1000));
  }
}

/** Step 2: create the batch and upload the file to its presigned POST. */
export async function pushBatch(api: PlatformClient, options: ProvinceRunOptions): Promise<string> {
  const created = expectOk(
    await api.POST('/v1/batches', {
      params: { header: { 'Idempotency-Key': idempotencyKey() } },
      body: {
        schemeId: options.schemeId,
        fileName: options.file.name,
        format: options.file.name.toLowerCase().endsWith('.xlsx') ? 'xlsx' : 'csv',
        size: options.file.content.length,
      },
    }),
    'POST /v1/batches',
  );
  const form = new FormData();
  for (const [name, value] of Object.entries(created.upload.fields)) form.append(name, value);
  // The file goes last: S3 ignores fields after it.
  form.append('file', new Blob([new Uint8Array(options.file.content)]), options.file.name);
  const upload = await (options.fetch ?? fetch)(created.upload.url, { method: 'POST', body: form });
  await upload.arrayBuffer();
  if (!upload.ok) throw new Error(`upload of ${options.file.name} failed: ${upload.status}`);
  return created.batchId;
}

/** Step 4: the declaration and comparison of one row (the latest declaration of its product). */
async function rowResult(api: PlatformClient, options: ProvinceRunOptions, row: RowResult): Promise<RowResult> {
  const declarations = expectOk(
    await api.GET('/v1/declarations', {
      params: { query: { schemeId: options.schemeId, creditCode: row.creditCode, limit: 100 } },
    }),
    'GET /v1/declarations',
  );
  const declaration = declarations.items.find((d) => d.latest && d.product.normalize('NFKC').trim() === row.product.normalize('NFKC').trim());
  if (!declaration?.comparisonId) return row;
  const comparisonId = declaration.comparisonId;
  const comparison = await poll(`comparison ${comparisonId}`, options, async () => {
    const current = expectOk(
      await api.GET('/v1/comparisons/{id}', { params: { path: { id: comparisonId } } }),
      'GET /v1/comparisons/{id}',
    );
    return current.status === 'running' ? undefined : current;
  });
  return {
    ...row,
    declarationId: declaration.id,
    comparison: {
      id: comparison.id,
      status: comparison.status,
      meets: comparison.result?.meets,
      level: comparison.result?.level,
      reportUrl: comparison.report?.html,
    },
  };
}

export async function runProvinceSync(options: ProvinceRunOptions): Promise<ProvinceRun> {
  const log = options.log ?? (() => undefined);
  const api = createPlatformClient(options);

  // 1. Authenticate. Later calls reuse the token until shortly before it expires.
  await api.tokens.get();
  log(`authenticated as ${options.clientId}`);

  // 2. Push the batch.
  const batchId = await pushBatch(api, options);
  log(`batch ${batchId}: ${options.file.name} uploaded`);

  // 3. Poll until it is done.
  const batch = await poll(`batch ${batchId}`, options, async () => {
    const current = expectOk(await api.GET('/v1/batches/{id}', { params: { path: { id: batchId } } }), 'GET /v1/batches/{id}');
    return current.status === 'completed' || current.status === 'failed' ? current : undefined;
  });
  log(`batch ${batchId}: ${batch.status}, ${batch.accepted} accepted, ${batch.unchanged} unchanged, ${batch.rejected} rejected`);

  // 4. Fetch each row's result. The header is line 1, as a spreadsheet shows it.
  const rows = parse(options.file.content, { columns: true, bom: true, skip_empty_lines: true }) as Record<string, string>[];
  const results: RowResult[] = [];
  for (const [index, row] of rows.entries()) {
    const result = await rowResult(api, options, { line: index + 2, creditCode: row.creditCode ?? '', product: row.product ?? '' });
    results.push(result);
    log(`line ${result.line} ${result.creditCode} ${result.product}: ${result.comparison ? `${result.comparison.status} ${result.comparison.level ?? ''}` : 'not declared (see the errors file)'}`);
  }
  if (batch.errorsUrl) log(`rejected rows: ${batch.errorsUrl}`);
  return { batch, results, tokenRequests: api.tokens.requests };
}

if (import.meta.main) {
  const [schemeId, path] = process.argv.slice(2);
  const { PLATFORM_URL, CLIENT_ID, CLIENT_SECRET } = process.env;
  if (!schemeId || !path || !PLATFORM_URL || !CLIENT_ID || !CLIENT_SECRET) {
    console.error('usage: PLATFORM_URL=… CLIENT_ID=… CLIENT_SECRET=… node --import tsx shared/client/example-province.ts <scheme-id> <file.csv|file.xlsx>');
    process.exit(2);
  }
  await runProvinceSync({
    baseUrl: PLATFORM_URL,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    schemeId,
    file: { name: basename(path), content: readFileSync(path) },
    log: (line) => console.log(line),
  });
}

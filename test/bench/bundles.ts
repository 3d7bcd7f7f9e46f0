/**
 * Each function bundled as CDK bundles it (infra/bundling/esbuild.ts: ESM,
 * minified, tree-shaken, SDK included), its size, and its cold
 * initialisation: a fresh Node process importing the bundle and handling one
 * event, beside an empty handler bundled and measured the same way in the
 * same run. Two figures: the whole process (Node's start included, which a
 * Lambda cold start pays too), the ratio the target is taken on, and in
 * brackets the import and the event alone, with their own ratio. Each row
 * says what the handler made of its event (see apiEvent). Functions
 * run with the prod stage's NODE_OPTIONS; one more row shows what the dev
 * stage's source-mapped stack traces add.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { generateKeyPairSync } from 'node:crypto';
import { build } from 'esbuild';
import { BUNDLE_OPTIONS } from '../../infra/bundling/esbuild.ts';
import { functionNodeOptions, stages } from '../../infra/config/stages.ts';
import { s3Triggers, streamConsumers } from '../../infra/definitions/events.ts';
import { workflows } from '../../infra/workflows/index.ts';
import { authorizerHandler, routes } from '../../shared/http/routes.ts';
import type { Row } from './stats.ts';

const root = resolve(import.meta.dirname, '../..');
const out = join(root, '.bench', 'bundles');

async function bundle(entry: string, name: string): Promise<string> {
  const outfile = join(out, name, 'index.mjs');
  await build({ ...BUNDLE_OPTIONS, mainFields: [...BUNDLE_OPTIONS.mainFields], entryPoints: [entry], outfile, logLevel: 'error' });
  return outfile;
}

interface ColdInit {
  /** A fresh process from spawn to exit: Node's own start, the import and one event, as Lambda's INIT plus a first invoke. */
  processMs: number;
  /** Inside that process: the import and the event only. */
  importMs: number;
  /** What the handler made of the event: a status code, 'returned' or 'threw'. */
  outcome: string;
}

/** The function the dev stage's source maps are measured on: the most requested read. */
const SOURCE_MAPS_SAMPLE = 'declarations/get-declaration';

const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** Medians of seven fresh processes, each importing the bundle and handling one event. */
function coldInit(bundlePath: string, event: unknown, env: NodeJS.ProcessEnv): ColdInit {
  const script = `
const t0 = performance.now();
const m = await import(${JSON.stringify(pathToFileURL(bundlePath).href)});
let outcome = 'threw';
try {
  const result = await m.handler(${JSON.stringify(event)}, { awsRequestId: 'bench', getRemainingTimeInMillis: () => 10000 });
  outcome = result && typeof result === 'object' && 'statusCode' in result ? String(result.statusCode) : 'returned';
} catch {}
process.stdout.write(JSON.stringify({ ms: performance.now() - t0, outcome }));`;
  const processMs: number[] = [];
  const importMs: number[] = [];
  let outcome = '';
  for (let i = 0; i < 7; i++) {
    const started = performance.now();
    const output = execFileSync(process.execPath, ['--input-type=module', '-e', script], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    processMs.push(performance.now() - started);
    const measured = JSON.parse(output) as { ms: number; outcome: string };
    importMs.push(measured.ms);
    outcome = measured.outcome;
  }
  return { processMs: median(processMs), importMs: median(importMs), outcome };
}

/** Path parameters of the sample event: any id is a well-formed one that does not exist. */
const SAMPLE_PATH_PARAMETERS: Record<string, string> = {
  id: '01JBENCH000000000000000000',
  listId: '01JBENCH000000000000000000',
  materialId: '01JBENCH000000000000000000',
  reviewId: '01JBENCH000000000000000000',
  creditCode: '91330106MA00000016',
};

/**
 * A request as API Gateway hands it over after the authorizer: a national
 * principal and the route's path parameters, no body. Reads get as far as
 * their first DynamoDB request (refused at once: the endpoint is closed),
 * creating routes stop at body validation.
 */
function apiEvent(method: string, path: string) {
  const names = [...path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]!);
  const pathParameters = names.length > 0 ? Object.fromEntries(names.map((name) => [name, SAMPLE_PATH_PARAMETERS[name] ?? 'bench'])) : null;
  return {
    resource: path,
    path: names.reduce((filled, name) => filled.replace(`{${name}}`, pathParameters![name]!), path),
    httpMethod: method,
    headers: {},
    multiValueHeaders: {},
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters,
    stageVariables: null,
    body: null,
    isBase64Encoded: false,
    requestContext: { requestId: 'bench', authorizer: { clientId: 'bench', role: 'national', territory: '' } },
  };
}

export async function benchBundles(): Promise<Row[]> {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const keyFile = join(out, 'key.pem');
  writeFileSync(keyFile, generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'pem', type: 'pkcs8' }));
  // Configuration a function reads at start; endpoints that refuse at once, one attempt.
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    TABLE_NAME: 'bench',
    IDEMPOTENCY_TABLE_NAME: 'bench',
    TOKEN_ISSUER: 'urn:bench',
    TOKEN_AUDIENCE: 'bench',
    LOCAL_SIGNING_KEY_FILE: keyFile,
    DYNAMODB_ENDPOINT: 'http://127.0.0.1:9',
    S3_ENDPOINT: 'http://127.0.0.1:9',
    SFN_ENDPOINT: 'http://127.0.0.1:9',
    AWS_MAX_ATTEMPTS: '1',
    AWS_REGION: 'us-east-1',
    // Lambda hands credentials over in the environment; no provider chain lookups.
    AWS_ACCESS_KEY_ID: 'bench',
    AWS_SECRET_ACCESS_KEY: 'bench',
    AWS_SESSION_TOKEN: 'bench',
  };
  delete env.NODE_OPTIONS;
  const prodEnv = { ...env, ...functionNodeOptions(stages.prod) };
  const devEnv = { ...env, ...functionNodeOptions(stages.dev) };

  const emptyEntry = join(out, 'empty.ts');
  writeFileSync(emptyEntry, "export const handler = async () => ({ statusCode: 200, body: '' });\n");
  const empty = await bundle(emptyEntry, 'empty');
  const emptySize = statSync(empty).size;
  const emptyInit = coldInit(empty, apiEvent('GET', '/'), prodEnv);

  const functions = new Map<string, unknown>();
  for (const route of routes) functions.set(route.handler, apiEvent(route.method, route.path));
  functions.set(authorizerHandler, { type: 'TOKEN', authorizationToken: 'Bearer bench', methodArn: 'arn:aws:execute-api:x:1:a/s/GET/x' });
  for (const workflow of workflows) for (const handler of Object.values(workflow.tasks)) functions.set(handler, {});
  for (const trigger of [...s3Triggers, ...streamConsumers]) functions.set(trigger.handler, { Records: [] });

  const rows: Row[] = [];
  let sample: { file: string; event: unknown; init: ColdInit } | undefined;
  for (const [handler, event] of functions) {
    const file = await bundle(join(root, 'functions', `${handler}.ts`), handler.replace('/', '__'));
    const size = statSync(file).size;
    const init = coldInit(file, event, prodEnv);
    if (handler === SOURCE_MAPS_SAMPLE) sample = { file, event, init };
    rows.push({
      name: `bundle ${handler} (${(size / 1024).toFixed(0)} KB, ${(size / emptySize).toFixed(0)}x; event → ${init.outcome})`,
      value: `${init.processMs.toFixed(0)} ms (import + event ${init.importMs.toFixed(1)} ms)`,
      baselineName: `empty handler (${(emptySize / 1024).toFixed(1)} KB)`,
      baseline: `${emptyInit.processMs.toFixed(0)} ms (${emptyInit.importMs.toFixed(1)} ms)`,
      ratio: `${(init.processMs / emptyInit.processMs).toFixed(2)}x (${(init.importMs / emptyInit.importMs).toFixed(1)}x)`,
      target: '<= 3x',
    });
  }
  if (sample) {
    const dev = coldInit(sample.file, sample.event, devEnv);
    rows.push({
      name: `${SOURCE_MAPS_SAMPLE}, dev stage (${devEnv.NODE_OPTIONS ?? 'no NODE_OPTIONS'})`,
      value: `${dev.processMs.toFixed(0)} ms (import + event ${dev.importMs.toFixed(1)} ms)`,
      baselineName: 'the same, prod stage',
      baseline: `${sample.init.processMs.toFixed(0)} ms (${sample.init.importMs.toFixed(1)} ms)`,
      ratio: `${(dev.processMs / sample.init.processMs).toFixed(2)}x`,
      target: '',
    });
  }
  return rows;
}

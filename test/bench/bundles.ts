/**
 * Each function bundled as CDK bundles it (infra/bundling/esbuild.ts: ESM,
 * minified, tree-shaken, SDK included), its size, and its cold
 * initialisation: a fresh Node process importing the bundle and handling one
 * event, beside an empty handler bundled and measured the same way in the
 * same run.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { generateKeyPairSync } from 'node:crypto';
import { build } from 'esbuild';
import { BUNDLE_OPTIONS } from '../../infra/bundling/esbuild.ts';
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

/** Median of five fresh processes: import the bundle, handle one event. */
function coldInit(bundlePath: string, event: unknown, env: NodeJS.ProcessEnv): number {
  const script = `
const t0 = performance.now();
const m = await import(${JSON.stringify(pathToFileURL(bundlePath).href)});
try { await m.handler(${JSON.stringify(event)}, { awsRequestId: 'bench', getRemainingTimeInMillis: () => 10000 }); } catch {}
process.stdout.write(String(performance.now() - t0));`;
  const samples: number[] = [];
  for (let i = 0; i < 5; i++) {
    const output = execFileSync(process.execPath, ['--input-type=module', '-e', script], { env, encoding: 'utf8' });
    samples.push(Number(output));
  }
  return samples.sort((a, b) => a - b)[2]!;
}

function apiEvent(method: string, path: string) {
  return {
    resource: path,
    path,
    httpMethod: method,
    headers: {},
    multiValueHeaders: {},
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: null,
    stageVariables: null,
    body: null,
    isBase64Encoded: false,
    requestContext: { requestId: 'bench' },
  };
}

export async function benchBundles(): Promise<Row[]> {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const keyFile = join(out, 'key.pem');
  writeFileSync(keyFile, generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'pem', type: 'pkcs8' }));
  // Configuration a function reads at start; endpoints that refuse at once, one attempt.
  const env = {
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

  const emptyEntry = join(out, 'empty.ts');
  writeFileSync(emptyEntry, "export const handler = async () => ({ statusCode: 200, body: '' });\n");
  const empty = await bundle(emptyEntry, 'empty');
  const emptySize = statSync(empty).size;
  const emptyInit = coldInit(empty, apiEvent('GET', '/'), env);

  const functions = new Map<string, unknown>();
  for (const route of routes) functions.set(route.handler, apiEvent(route.method, route.path));
  functions.set(authorizerHandler, { type: 'TOKEN', authorizationToken: 'Bearer bench', methodArn: 'arn:aws:execute-api:x:1:a/s/GET/x' });
  for (const workflow of workflows) for (const handler of Object.values(workflow.tasks)) functions.set(handler, {});
  for (const trigger of [...s3Triggers, ...streamConsumers]) functions.set(trigger.handler, { Records: [] });

  const rows: Row[] = [];
  for (const [handler, event] of functions) {
    const file = await bundle(join(root, 'functions', `${handler}.ts`), handler.replace('/', '__'));
    const size = statSync(file).size;
    const init = coldInit(file, event, env);
    rows.push({
      name: `bundle ${handler} (${(size / 1024).toFixed(0)} KB, ${(size / emptySize).toFixed(0)}x)`,
      value: `${init.toFixed(1)} ms init`,
      baselineName: `empty handler (${(emptySize / 1024).toFixed(1)} KB)`,
      baseline: `${emptyInit.toFixed(1)} ms init`,
      ratio: `${(init / emptyInit).toFixed(2)}x`,
      target: '<= 3x',
    });
  }
  return rows;
}

/**
 * `npm start`: the whole platform on this machine. Data persists in DATA_DIR
 * (default .local/data); `npm start -- --fresh` starts empty. Demo data is
 * seeded only into an empty data directory.
 */
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ApiClient } from './api-client.ts';
import { projectRoot, startPlatform } from './runtime.ts';
import { seedDemoData } from './seed.ts';

const { values } = parseArgs({
  options: {
    fresh: { type: 'boolean', default: false },
    port: { type: 'string' },
    'no-seed': { type: 'boolean', default: false },
  },
});

const dataDir = resolve(projectRoot, process.env.DATA_DIR ?? '.local/data');
if (values.fresh) rmSync(dataDir, { recursive: true, force: true });
const port = Number(values.port ?? process.env.PORT ?? 3000);

console.log(`Starting the platform (data in ${dataDir}) …`);
const platform = await startPlatform({ dataDir, port, host: process.env.HOST ?? '127.0.0.1' });

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping the API, the S3 emulator and DynamoDB Local …`);
  await platform.stop();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));

const admin = platform.bootstrap;
let seeded: Awaited<ReturnType<typeof seedDemoData>> | undefined;
if (admin.created && !values['no-seed']) {
  seeded = await seedDemoData(new ApiClient(platform.url, admin.clientId, admin.clientSecret));
  // Statistics, rankings and search show the demo data from the first request (no batching window to wait out).
  await platform.streams?.drain();
}

const line = '─'.repeat(72);
console.log(`
${line}
 对标达标平台 · Benchmarking platform, running locally
${line}
 API          ${platform.url}
 Health       ${platform.url}/health
 API docs     ${platform.url}/docs
 OpenAPI      ${platform.url}/openapi.json
 Token        POST ${platform.url}/oauth2/token   (client credentials)
 JWKS         ${platform.url}/.well-known/jwks.json

 Bootstrap client (national)
   client_id      ${admin.clientId}
   client_secret  ${admin.clientSecret}

 DynamoDB Local ${platform.endpoints.dynamodb}   S3 emulator ${platform.endpoints.s3}
${line}`);
if (seeded) {
  console.log(` Demo data: ${seeded.standards} standards, ${seeded.schemes.length} schemes, ${seeded.enterprises} enterprises, ${seeded.declarations} declarations.`);
  console.log(' Demo clients (secrets are shown only now):');
  for (const client of seeded.clients) {
    console.log(`   ${client.role.padEnd(10)} ${client.territory.padEnd(18)} ${client.clientId}  ${client.clientSecret}`);
  }
  console.log(line);
} else if (!admin.created) {
  console.log(' Existing data directory: nothing seeded (npm start -- --fresh starts empty).');
}
console.log(`
 Try it:
   TOKEN=$(curl -s -d grant_type=client_credentials -d client_id=${admin.clientId} -d client_secret=${admin.clientSecret} ${platform.url}/oauth2/token | sed -E 's/.*"access_token":"([^"]+)".*/\\1/')
   curl -s -H "Authorization: Bearer $TOKEN" ${platform.url}/v1/declarations

 Ctrl-C stops everything.
`);

/**
 * GET /v1/declarations/{id} through the local runtime (HTTP, authorizer with
 * its cache, middleware, one GetItem) beside a raw GetItem of the same item on
 * the same DynamoDB Local, one connection, in the same run.
 */
import { Agent, request } from 'node:http';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { ApiClient } from '../../infra/local/api-client.ts';
import type { Platform } from '../../infra/local/runtime.ts';
import { ms, percentile, type Row, timeEach } from './stats.ts';

const agent = new Agent({ keepAlive: true, maxSockets: 1 });

function get(url: URL, token: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent, headers: { Authorization: `Bearer ${token}` } }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

export async function benchApiLatency(platform: Platform, admin: ApiClient, declarationId: string, count = 2000): Promise<Row[]> {
  const token = await admin.accessToken();
  const url = new URL(`${platform.url}/v1/declarations/${declarationId}`);
  const documents = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: platform.endpoints.dynamodb,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
  );
  const getItem = () =>
    documents.send(new GetCommand({ TableName: platform.tableNames.Main, Key: { pk: `DECL#${declarationId}`, sk: 'DECL' } }));

  // Warm both paths: JIT, connections, the authorizer cache.
  for (let i = 0; i < 200; i++) {
    if ((await get(url, token)) !== 200) throw new Error('GET declaration failed during warm-up');
    await getItem();
  }
  // Interleave the two in blocks so drift on the machine affects both alike.
  const api: number[] = [];
  const raw: number[] = [];
  for (let block = 0; block < 10; block++) {
    api.push(...(await timeEach(count / 10, () => get(url, token))));
    raw.push(...(await timeEach(count / 10, getItem)));
  }
  api.sort((a, b) => a - b);
  raw.sort((a, b) => a - b);
  agent.destroy();
  const p50 = percentile(api, 50);
  const p99 = percentile(api, 99);
  const rawP50 = percentile(raw, 50);
  const rawP99 = percentile(raw, 99);
  return [
    { name: 'GET /v1/declarations/{id} p50', value: ms(p50), baselineName: 'raw GetItem p50', baseline: ms(rawP50), ratio: `${(p50 / rawP50).toFixed(2)}x`, target: '<= 1.5x' },
    { name: 'GET /v1/declarations/{id} p99', value: ms(p99), baselineName: 'raw GetItem p99', baseline: ms(rawP99), ratio: `${(p99 / rawP99).toFixed(2)}x` },
  ];
}

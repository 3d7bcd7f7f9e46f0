/**
 * What authentication and idempotency add to a request, each beside the same
 * request without it, in the same run:
 *
 * - authentication over HTTP: GET /v1/declarations/{id} through the platform's
 *   adapter (authorizer results cached, as API Gateway does) beside a second
 *   adapter of the same process that runs the authorizer on every request
 *   (ES256 verification and the client's GetItem);
 * - authentication in-process: the handler with the authorizer before it,
 *   beside the handler alone (the principal given), no HTTP;
 * - Idempotency-Key: POST /v1/enterprises with a fresh key beside the same
 *   POST without one (each creates an enterprise), and a replay of a key
 *   beside its first request.
 */
import { Agent, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { APIGatewayAuthorizerResult, APIGatewayProxyEvent, APIGatewayProxyResult, APIGatewayTokenAuthorizerEvent, Context } from 'aws-lambda';
import type { ApiClient } from '../../infra/local/api-client.ts';
import { HttpAdapter } from '../../infra/local/http-adapter.ts';
import { lambdaContext, loadHandler } from '../../infra/local/invoke.ts';
import { type Platform, projectRoot } from '../../infra/local/runtime.ts';
import { demoCreditCode } from '../../infra/local/seed.ts';
import { ms, percentile, type Row, timeEach } from './stats.ts';

const agent = new Agent({ keepAlive: true, maxSockets: 1 });

function send(url: URL, method: string, headers: Record<string, string>, body?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent, method, headers }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const p50 = (samples: number[]) => percentile(samples, 50);

function row(name: string, value: number[], baselineName: string, baseline: number[]): Row {
  const a = p50(value);
  const b = p50(baseline);
  return { name, value: ms(a), baselineName, baseline: ms(b), ratio: `${(a / b).toFixed(2)}x (${a >= b ? '+' : ''}${(a - b).toFixed(3)} ms)` };
}

/** Interleaved in blocks, so drift on the machine affects both alike. */
async function interleave(blocks: number, perBlock: number, a: (i: number) => Promise<unknown>, b: (i: number) => Promise<unknown>) {
  const first: number[] = [];
  const second: number[] = [];
  for (let block = 0; block < blocks; block++) {
    first.push(...(await timeEach(perBlock, (i) => a(block * perBlock + i))));
    second.push(...(await timeEach(perBlock, (i) => b(block * perBlock + i))));
  }
  return [first.sort((x, y) => x - y), second.sort((x, y) => x - y)] as const;
}

type Authorizer = (event: APIGatewayTokenAuthorizerEvent) => Promise<APIGatewayAuthorizerResult>;
type ProxyHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

export async function benchAuthCost(platform: Platform, admin: ApiClient, declarationId: string, count = 1000): Promise<Row[]> {
  const token = await admin.accessToken();
  const authorization = { Authorization: `Bearer ${token}` };
  const rows: Row[] = [];

  // 1. Over HTTP: cached authorizer results (the platform's adapter) vs none (a second adapter).
  const uncached = new HttpAdapter({
    functionsDir: join(projectRoot, 'functions'),
    authorizerCacheSeconds: 0,
    usagePlans: { throttleFor: () => ({ rateLimit: 1e9, burstLimit: 1e9 }) },
  });
  const server = await uncached.listen(0);
  try {
    const path = `/v1/declarations/${declarationId}`;
    const cachedUrl = new URL(`${platform.url}${path}`);
    const uncachedUrl = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`);
    for (let i = 0; i < 200; i++) {
      if ((await send(cachedUrl, 'GET', authorization)) !== 200 || (await send(uncachedUrl, 'GET', authorization)) !== 200) {
        throw new Error('GET declaration failed during warm-up');
      }
    }
    const [everyRequest, cached] = await interleave(10, count / 10, () => send(uncachedUrl, 'GET', authorization), () => send(cachedUrl, 'GET', authorization));
    rows.push(row('GET /v1/declarations/{id}, authorizer on every request p50', everyRequest, 'authorizer result cached p50', cached));
  } finally {
    await new Promise<void>((done) => {
      server.close(() => done());
      server.closeAllConnections();
    });
  }

  // 2. In-process: the authorizer and the handler, beside the handler alone.
  const functionsDir = join(projectRoot, 'functions');
  const authorize = await loadHandler<Authorizer>(functionsDir, 'auth/authorize');
  const getDeclaration = await loadHandler<ProxyHandler>(functionsDir, 'declarations/get-declaration');
  const principal = { principalId: admin.clientId, clientId: admin.clientId, role: 'national', territory: '' };
  const event = (authorizer: Record<string, unknown>) =>
    ({
      resource: '/v1/declarations/{id}',
      path: `/v1/declarations/${declarationId}`,
      httpMethod: 'GET',
      headers: {},
      multiValueHeaders: {},
      queryStringParameters: null,
      multiValueQueryStringParameters: null,
      pathParameters: { id: declarationId },
      stageVariables: null,
      body: null,
      isBase64Encoded: false,
      requestContext: { requestId: 'bench', authorizer } as unknown as APIGatewayProxyEvent['requestContext'],
    }) as APIGatewayProxyEvent;
  const handlerAlone = async () => {
    const response = await getDeclaration(event(principal), lambdaContext('declarations/get-declaration'));
    if (response.statusCode !== 200) throw new Error(`get-declaration answered ${response.statusCode}`);
  };
  const withAuthorizer = async () => {
    const result = await authorize({ type: 'TOKEN', authorizationToken: `Bearer ${token}`, methodArn: 'arn:aws:execute-api:local:0:local/local/GET/x' });
    await getDeclaration(event({ principalId: result.principalId, ...result.context }), lambdaContext('declarations/get-declaration'));
  };
  for (let i = 0; i < 100; i++) {
    await handlerAlone();
    await withAuthorizer();
  }
  const [authenticated, alone] = await interleave(10, count / 10, withAuthorizer, handlerAlone);
  rows.push(row('authorizer + get-declaration handler p50', authenticated, 'handler alone (principal given) p50', alone));

  // 3. Idempotency-Key on a creating POST, each request a new enterprise.
  const enterprises = new URL(`${platform.url}/v1/enterprises`);
  const json = { ...authorization, 'Content-Type': 'application/json' };
  const body = (serial: number) =>
    JSON.stringify({ creditCode: demoCreditCode('330108', serial), name: `基准企业${serial}`, divisionCode: '330108', industry: '纺织服装' });
  const posts = Math.min(count, 400);
  const run = Date.now() % 1_000_000;
  const serial = (offset: number, i: number) => 5_000_000 + offset + i;
  const create = async (headers: Record<string, string>, payload: string) => {
    const status = await send(enterprises, 'POST', headers, payload);
    if (status !== 201) throw new Error(`POST /v1/enterprises answered ${status}`);
  };
  const [keyed, plain] = await interleave(
    10,
    posts / 10,
    (i) => create({ ...json, 'Idempotency-Key': `bench-${run}-${i}` }, body(serial(0, i))),
    (i) => create(json, body(serial(posts, i))),
  );
  rows.push(row('POST /v1/enterprises with Idempotency-Key p50', keyed, 'same POST without the key p50', plain));
  const replays = await timeEach(posts, (i) => create({ ...json, 'Idempotency-Key': `bench-${run}-${i}` }, body(serial(0, i))));
  rows.push(row('replay of an Idempotency-Key (nothing created) p50', replays, 'its first request p50', keyed));
  agent.destroy();
  return rows;
}

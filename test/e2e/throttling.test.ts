/**
 * Per-client throttling by the local runtime, as API Gateway's usage plan does
 * it on AWS: each client's API key (returned by the authorizer as the usage
 * identifier key) has a token bucket of the plan's rate and burst.
 */
import { APIGatewayClient, DeleteApiKeyCommand } from '@aws-sdk/client-api-gateway';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../infra/local/api-client.ts';
import { createPlatformClient } from '../../shared/client/platform-client.ts';
import { emulatorClients } from '../support/emulators.ts';
import { startTestPlatform, type TestPlatform } from '../support/platform.ts';

const THROTTLE = { rateLimit: 2, burstLimit: 4 };

let t: TestPlatform;
let zhejiang: ApiClient;
let jiangsu: ApiClient;

beforeAll(async () => {
  t = await startTestPlatform({ clientThrottle: THROTTLE });
  zhejiang = await t.clientFor(t.admin, 'province', '330000');
  jiangsu = await t.clientFor(t.admin, 'province', '320000');
}, 60_000);

afterAll(async () => {
  await t?.platform.stop();
});

const list = async (client: ApiClient) =>
  t.fetch('/v1/enterprises', { headers: { Authorization: `Bearer ${await client.accessToken()}` } });

describe('per-client throttling', () => {
  it('answers 429 problem+json with Retry-After beyond the burst, then serves the client again after the wait', async () => {
    await zhejiang.accessToken();
    // All at once, so a slow machine cannot refill the bucket between them.
    const responses = await Promise.all(Array.from({ length: THROTTLE.burstLimit + 3 }, () => list(zhejiang)));
    const statuses = responses.map((response) => response.status);
    const throttled = responses.find((response) => response.status === 429);
    for (const response of responses) if (response !== throttled) await response.body?.cancel();
    // The burst passes; what the rate refilled meanwhile may pass too; the rest is 429.
    expect(statuses.filter((status) => status === 200).length).toBeGreaterThanOrEqual(THROTTLE.burstLimit);
    expect(statuses).toContain(429);
    expect(throttled!.headers.get('content-type')).toBe('application/problem+json');
    const retryAfter = Number(throttled!.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(await throttled!.json()).toMatchObject({ type: '/problems/too-many-requests', status: 429 });

    // Another client has its own bucket.
    expect((await list(jiangsu)).status).toBe(200);

    await new Promise((done) => setTimeout(done, retryAfter * 1000));
    expect((await list(zhejiang)).status).toBe(200);
  });

  it('sustains the plan’s rate', async () => {
    // Drain the bucket, then one request every 1/rate seconds keeps passing.
    while ((await list(jiangsu)).status === 200);
    await new Promise((done) => setTimeout(done, 1000 / THROTTLE.rateLimit + 50));
    for (let i = 0; i < 3; i++) {
      expect((await list(jiangsu)).status).toBe(200);
      await new Promise((done) => setTimeout(done, 1000 / THROTTLE.rateLimit + 50));
    }
  });

  it('is waited out politely by the typed client: every request succeeds, later', async () => {
    const created = await t.admin.call<{ clientId: string; clientSecret: string }>('POST', '/v1/clients', {
      name: 'polite',
      role: 'province',
      territory: '350000',
    });
    let throttled = 0;
    const api = createPlatformClient({
      baseUrl: t.url,
      ...created,
      fetch: async (input, init) => {
        const response = await fetch(input, init);
        if (response.status === 429) throttled += 1;
        return response;
      },
    });
    const started = Date.now();
    for (let i = 0; i < THROTTLE.burstLimit + 2; i++) {
      const page = await api.GET('/v1/enterprises', {});
      expect(page.response.status).toBe(200);
    }
    expect(throttled).toBeGreaterThan(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('leaves public routes and the token endpoint out of the usage plan', async () => {
    for (let i = 0; i < THROTTLE.burstLimit * 2; i++) expect((await t.fetch('/health')).status).toBe(200);
  });

  it('refuses a client without an API key in the plan with 403, as API Gateway does', async () => {
    const created = await t.admin.call<{ clientId: string; clientSecret: string }>('POST', '/v1/clients', {
      name: 'no key',
      role: 'province',
      territory: '340000',
    });
    // Remove its key through the control plane the platform uses.
    const { Item: item } = await emulatorClients().dynamodb.send(
      new GetItemCommand({ TableName: t.platform.tableNames.Main, Key: { pk: { S: `CLIENT#${created.clientId}` }, sk: { S: 'CLIENT' } } }),
    );
    const control = new APIGatewayClient({
      endpoint: process.env.API_GATEWAY_ENDPOINT,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    await control.send(new DeleteApiKeyCommand({ apiKey: item!.apiKeyId!.S! }));
    const tokenResponse = await t.fetch('/oauth2/token', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: created.clientId, client_secret: created.clientSecret }),
    });
    const { access_token: accessToken } = (await tokenResponse.json()) as { access_token: string };
    const response = await t.fetch('/v1/enterprises', { headers: { Authorization: `Bearer ${accessToken}` } });
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ type: '/problems/forbidden' });
  });
});

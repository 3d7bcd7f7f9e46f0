/**
 * API clients over HTTP against the local runtime: lists by territory,
 * deletion and secret rotation taking effect at once (with the authorizer's
 * result cache on, as on AWS), token attacks, limits on failed token requests
 * and Idempotency-Key under concurrency.
 */
import { generateKeyPairSync } from 'node:crypto';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../../infra/local/api-client.ts';
import { createEnterprise, creditCode } from '../support/fixtures.ts';
import { emulatorClients } from '../support/emulators.ts';
import { startTestPlatform, type TestPlatform } from '../support/platform.ts';

interface ClientView {
  clientId: string;
  name: string;
  role: string;
  territory: string;
}

let t: TestPlatform;
let zhejiang: ApiClient;
let jiangsu: ApiClient;
let hangzhou: ApiClient;
const hzEnterprise = creditCode('330106', 501);

const TOKEN_FAILURES = { limit: 3, windowSeconds: 3 };

beforeAll(async () => {
  // The authorizer cache is on (five minutes): deletion and rotation must flush it.
  t = await startTestPlatform({ authorizerCacheSeconds: 300, tokenFailures: TOKEN_FAILURES });
  zhejiang = await t.clientFor(t.admin, 'province', '330000');
  jiangsu = await t.clientFor(t.admin, 'province', '320000');
  hangzhou = await t.clientFor(zhejiang, 'city', '330100');
  await createEnterprise(hangzhou, hzEnterprise, '330106');
}, 60_000);

afterAll(async () => {
  await t?.platform.stop();
});

const idOf = (client: ApiClient) => client.clientId;

async function register(creator: ApiClient, role: string, territory: string) {
  return creator.call<{ clientId: string; clientSecret: string }>('POST', '/v1/clients', { name: `${role} ${territory}`, role, territory });
}

async function listAll(client: ApiClient, query = ''): Promise<ClientView[]> {
  const seen: ClientView[] = [];
  let cursor: string | null = null;
  do {
    const page: { items: ClientView[]; nextCursor: string | null } = await client.call(
      'GET',
      `/v1/clients?limit=2${query}${cursor ? `&cursor=${cursor}` : ''}`,
    );
    seen.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return seen;
}

const token = (id: string, secret: string) =>
  t.fetch('/oauth2/token', {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: id, client_secret: secret }),
  });

const get = (path: string, accessToken: string) => t.fetch(path, { headers: { Authorization: `Bearer ${accessToken}` } });

describe('GET /v1/clients', () => {
  it('shows a bureau the clients in its territory only, paged, and never a secret or its hash', async () => {
    const enterprise = await register(hangzhou, 'enterprise', hzEnterprise);
    const seenByZhejiang = await listAll(zhejiang);
    const ids = seenByZhejiang.map((c) => c.clientId);
    expect(ids).toEqual(expect.arrayContaining([idOf(zhejiang), idOf(hangzhou), enterprise.clientId]));
    expect(ids).not.toContain(idOf(jiangsu));
    expect(ids).not.toContain('national-admin');
    expect(new Set(ids).size).toBe(ids.length);
    for (const client of seenByZhejiang) {
      expect(Object.keys(client).sort()).toEqual(['clientId', 'createdAt', 'createdBy', 'name', 'role', 'territory']);
    }

    const seenByHangzhou = (await listAll(hangzhou)).map((c) => c.clientId);
    expect(seenByHangzhou).toEqual(expect.arrayContaining([idOf(hangzhou), enterprise.clientId]));
    expect(seenByHangzhou).not.toContain(idOf(zhejiang));

    const national = (await listAll(t.admin)).map((c) => c.clientId);
    expect(national).toEqual(expect.arrayContaining(['national-admin', idOf(zhejiang), idOf(jiangsu), enterprise.clientId]));

    // A filter outside the territory is an empty list, not someone else's clients.
    expect(await listAll(zhejiang, '&divisionCode=320000')).toEqual([]);
    expect((await listAll(zhejiang, '&divisionCode=330100')).map((c) => c.clientId)).not.toContain(idOf(zhejiang));
  });

  it('is not for enterprises', async () => {
    const enterprise = await register(hangzhou, 'enterprise', hzEnterprise);
    const client = new ApiClient(t.url, enterprise.clientId, enterprise.clientSecret);
    expect((await client.request('GET', '/v1/clients')).status).toBe(403);
  });
});

describe('DELETE /v1/clients/{id}', () => {
  it('makes the client’s tokens fail at once, though the authorizer caches results', async () => {
    const created = await register(zhejiang, 'city', '330200');
    const ningbo = new ApiClient(t.url, created.clientId, created.clientSecret);
    const accessToken = await ningbo.accessToken();
    // Twice: the second answer comes from the authorizer cache.
    expect((await get('/v1/enterprises', accessToken)).status).toBe(200);
    expect((await get('/v1/enterprises', accessToken)).status).toBe(200);

    const deleted = await t.fetch(`/v1/clients/${created.clientId}`, {
      method: 'DELETE',
      headers: { Authorization: `Bearer ${await zhejiang.accessToken()}` },
    });
    expect(deleted.status).toBe(204);
    const refused = await get('/v1/enterprises', accessToken);
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toBe('Bearer');
    expect((await token(created.clientId, created.clientSecret)).status).toBe(400);
    expect((await zhejiang.request('DELETE', `/v1/clients/${created.clientId}`)).status).toBe(404);
  });

  it('answers 404 outside the territory, 403 for a role one may not register, 409 for oneself', async () => {
    const suzhou = await register(jiangsu, 'city', '320500');
    expect((await zhejiang.request('DELETE', `/v1/clients/${suzhou.clientId}`)).status).toBe(404);
    expect((await hangzhou.request('DELETE', `/v1/clients/${idOf(zhejiang)}`)).status).toBe(404);
    const secondZhejiang = await register(t.admin, 'province', '330000');
    expect((await zhejiang.request('DELETE', `/v1/clients/${secondZhejiang.clientId}`)).status).toBe(403);
    const self = await zhejiang.request<{ type: string }>('DELETE', `/v1/clients/${idOf(zhejiang)}`);
    expect(self.status).toBe(409);
    expect(self.body.type).toBe('/problems/conflict');
    // Still there, still working.
    expect((await jiangsu.request('GET', '/v1/clients')).status).toBe(200);
    expect((await listAll(jiangsu)).map((c) => c.clientId)).toContain(suzhou.clientId);
  });
});

describe('POST /v1/clients/{id}/secret', () => {
  it('rotates a client’s own secret: the old secret and the old tokens stop working at once', async () => {
    const created = await register(zhejiang, 'city', '330300');
    const oldToken = await new ApiClient(t.url, created.clientId, created.clientSecret).accessToken();
    expect((await get('/v1/enterprises', oldToken)).status).toBe(200);

    const rotated = await t.fetch(`/v1/clients/${created.clientId}/secret`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${oldToken}` },
    });
    expect(rotated.status).toBe(200);
    expect(rotated.headers.get('cache-control')).toBe('no-store');
    const { clientId, clientSecret } = (await rotated.json()) as { clientId: string; clientSecret: string };
    expect(clientId).toBe(created.clientId);
    expect(clientSecret).not.toBe(created.clientSecret);

    expect((await get('/v1/enterprises', oldToken)).status).toBe(401);
    expect((await token(created.clientId, created.clientSecret)).status).toBe(400);
    const fresh = (await (await token(created.clientId, clientSecret)).json()) as { access_token: string };
    expect((await get('/v1/enterprises', fresh.access_token)).status).toBe(200);
  });

  it('lets a bureau rotate the clients it may register, within its territory only', async () => {
    const enterprise = await register(hangzhou, 'enterprise', hzEnterprise);
    const rotated = await zhejiang.call<{ clientSecret: string }>('POST', `/v1/clients/${enterprise.clientId}/secret`);
    expect((await token(enterprise.clientId, rotated.clientSecret)).status).toBe(200);
    expect((await jiangsu.request('POST', `/v1/clients/${enterprise.clientId}/secret`)).status).toBe(404);
    // An enterprise may rotate its own secret, not its city's.
    const own = new ApiClient(t.url, enterprise.clientId, rotated.clientSecret);
    expect((await own.request('POST', `/v1/clients/${idOf(hangzhou)}/secret`)).status).toBe(404);
    expect((await hangzhou.request('POST', `/v1/clients/${idOf(zhejiang)}/secret`)).status).toBe(404);
  });

  it('replays a rotation retried with the same Idempotency-Key, and never stores the secret readable', async () => {
    const created = await register(zhejiang, 'city', '330400');
    const rotate = async () =>
      t.fetch(`/v1/clients/${created.clientId}/secret`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${await zhejiang.accessToken()}`, 'Idempotency-Key': 'rotate-330400' },
      });
    const first = (await (await rotate()).json()) as { clientSecret: string };
    const replay = await rotate();
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(((await replay.json()) as { clientSecret: string }).clientSecret).toBe(first.clientSecret);
    expect((await token(created.clientId, first.clientSecret)).status).toBe(200);

    // The same key on another client's path is another request.
    const other = await register(zhejiang, 'city', '330500');
    const elsewhere = await t.fetch(`/v1/clients/${other.clientId}/secret`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${await zhejiang.accessToken()}`, 'Idempotency-Key': 'rotate-330400' },
    });
    expect(elsewhere.status).toBe(200);
    expect(elsewhere.headers.get('idempotent-replayed')).toBeNull();

    // A test may scan its own table: the stored responses hold no secret in clear.
    const { Items: items = [] } = await emulatorClients().dynamodb.send(
      new ScanCommand({ TableName: t.platform.tableNames.Idempotency }),
    );
    const stored = JSON.stringify(items);
    expect(items.length).toBeGreaterThan(0);
    expect(stored).not.toContain(first.clientSecret);
  });
});

describe('tokens', () => {
  it('refuses a token with a valid shape signed by another key', async () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const now = Math.floor(Date.now() / 1000);
    const forged = await new SignJWT({ role: 'national', territory: '', cver: 1, jti: 'forged' })
      .setProtectedHeader({ alg: 'ES256' })
      .setSubject('national-admin')
      .setIssuer('urn:benchmarking-platform:local')
      .setAudience('benchmarking-api')
      .setIssuedAt(now)
      .setExpirationTime(now + 600)
      .sign(privateKey);
    expect((await get('/v1/enterprises', forged)).status).toBe(401);
  });

  it('answers 429 slow_down after too many failed token requests for one client id, even to the right secret, until the window ends', async () => {
    const created = await register(zhejiang, 'city', '330600');
    // Start at the beginning of a window, so the whole test fits in it.
    const windowMs = TOKEN_FAILURES.windowSeconds * 1000;
    await new Promise((done) => setTimeout(done, windowMs - (Date.now() % windowMs) + 50));
    for (let i = 0; i < TOKEN_FAILURES.limit; i++) {
      expect((await token(created.clientId, 'wrong')).status).toBe(400);
    }
    const limited = await token(created.clientId, created.clientSecret);
    expect(limited.status).toBe(429);
    expect(await limited.json()).toMatchObject({ error: 'slow_down' });
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(TOKEN_FAILURES.windowSeconds);
    // Other client ids are not affected.
    expect((await token(idOf(hangzhou), 'wrong')).status).toBe(400);

    await new Promise((done) => setTimeout(done, retryAfter * 1000 + 100));
    expect((await token(created.clientId, created.clientSecret)).status).toBe(200);
  });
});

describe('Idempotency-Key under concurrency', () => {
  it('creates one client for five concurrent requests with one key', async () => {
    const body = { name: '并发幂等测试 城市', role: 'city', territory: '330700' };
    const accessToken = await zhejiang.accessToken();
    const responses = await Promise.all(
      Array.from({ length: 5 }, () =>
        t.fetch('/v1/clients', {
          method: 'POST',
          headers: { Authorization: `Bearer ${accessToken}`, 'Content-Type': 'application/json', 'Idempotency-Key': 'concurrent-1' },
          body: JSON.stringify(body),
        }),
      ),
    );
    const statuses = responses.map((r) => r.status);
    // The first creates; the others replay it or are told it is still in progress.
    expect(statuses.filter((s) => s === 201).length).toBeGreaterThanOrEqual(1);
    expect(statuses.every((s) => s === 201 || s === 409)).toBe(true);
    for (const response of responses.filter((r) => r.status === 409)) {
      expect(response.headers.get('retry-after')).toBe('1');
      expect(((await response.json()) as { type: string }).type).toBe('/problems/idempotency-in-progress');
    }
    const ids = new Set(
      await Promise.all(responses.filter((r) => r.status === 201).map(async (r) => ((await r.json()) as { clientId: string }).clientId)),
    );
    expect(ids.size).toBe(1);
    const named = (await listAll(zhejiang, '&divisionCode=330700')).filter((c) => c.name === body.name);
    expect(named).toHaveLength(1);
  });
});

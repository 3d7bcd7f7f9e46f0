/**
 * The foundation over HTTP against the local runtime: tokens, reference data,
 * enterprises, declarations, territory, errors, idempotency and paging.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createPrivateKey } from 'node:crypto';
import { SignJWT, decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../infra/local/api-client.ts';
import { routes } from '../../shared/http/routes.ts';
import { createEnterprise, createTextileScheme, creditCode, textileIndicators } from '../support/fixtures.ts';
import { startTestPlatform, type TestPlatform } from '../support/platform.ts';

let t: TestPlatform;
let scheme: { id: string; version: number };
let zhejiang: ApiClient;
let jiangsu: ApiClient;
let hangzhou: ApiClient;
const hzEnterprise = creditCode('330106', 1);
const szEnterprise = creditCode('320505', 2);

beforeAll(async () => {
  t = await startTestPlatform();
  scheme = await createTextileScheme(t.admin);
  zhejiang = await t.clientFor(t.admin, 'province', '330000');
  jiangsu = await t.clientFor(t.admin, 'province', '320000');
  hangzhou = await t.clientFor(zhejiang, 'city', '330100');
  await createEnterprise(hangzhou, hzEnterprise, '330106', '杭州示例纺织有限公司');
  await createEnterprise(jiangsu, szEnterprise, '320505', '苏州示例纺织有限公司');
}, 60_000);

afterAll(async () => {
  await t?.platform.stop();
});

const tokenRequest = (body: Record<string, string>, headers: Record<string, string> = {}) =>
  t.fetch('/oauth2/token', {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(body),
  });

describe('public endpoints', () => {
  it('answers /health without a token', async () => {
    const response = await t.fetch('/health');
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok' });
  });

  it('serves an OpenAPI 3.1 document with every route of the route table', async () => {
    const document = (await (await t.fetch('/openapi.json')).json()) as {
      openapi: string;
      paths: Record<string, Record<string, { operationId: string }>>;
    };
    expect(document.openapi).toBe('3.1.0');
    for (const route of routes) {
      expect(document.paths[route.path]?.[route.method.toLowerCase()]?.operationId).toBe(route.operationId);
    }
  });

  it('serves the docs page', async () => {
    const response = await t.fetch('/docs');
    expect(response.headers.get('content-type')).toContain('text/html');
    expect(await response.text()).toContain('openapi.json');
  });
});

describe('tokens', () => {
  it('issues an ES256 JWT for valid client credentials, verifiable with the JWKS', async () => {
    const response = await tokenRequest({ grant_type: 'client_credentials', client_id: 'national-admin', client_secret: t.platform.bootstrap.clientSecret });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = (await response.json()) as { access_token: string; token_type: string; expires_in: number };
    expect(body.token_type).toBe('Bearer');
    expect(body.expires_in).toBeLessThanOrEqual(3600);
    const header = decodeProtectedHeader(body.access_token);
    expect(header.alg).toBe('ES256');
    const jwks = (await (await t.fetch('/.well-known/jwks.json')).json()) as { keys: { kid: string; kty: string; d?: string }[] };
    expect(jwks.keys.map((k) => k.kid)).toContain(header.kid);
    expect(jwks.keys[0]!.d).toBeUndefined();
  });

  it('accepts HTTP Basic client authentication', async () => {
    const basic = Buffer.from(`national-admin:${t.platform.bootstrap.clientSecret}`).toString('base64');
    const response = await tokenRequest({ grant_type: 'client_credentials' }, { Authorization: `Basic ${basic}` });
    expect(response.status).toBe(200);
  });

  it('refuses a wrong secret with invalid_client (400, or 401 over HTTP Basic)', async () => {
    const form = await tokenRequest({ grant_type: 'client_credentials', client_id: 'national-admin', client_secret: 'wrong' });
    expect(form.status).toBe(400);
    expect(await form.json()).toMatchObject({ error: 'invalid_client' });
    const basic = Buffer.from('national-admin:wrong').toString('base64');
    const viaBasic = await tokenRequest({ grant_type: 'client_credentials' }, { Authorization: `Basic ${basic}` });
    expect(viaBasic.status).toBe(401);
    expect(viaBasic.headers.get('www-authenticate')).toMatch(/^Basic/);
  });

  it('refuses other grant types', async () => {
    const response = await tokenRequest({ grant_type: 'password', client_id: 'national-admin', client_secret: 'x' });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'unsupported_grant_type' });
  });

  it('answers 401 problem+json with WWW-Authenticate without a token, with alg none, expired or foreign tokens', async () => {
    const noToken = await t.fetch('/v1/enterprises');
    expect(noToken.status).toBe(401);
    expect(noToken.headers.get('content-type')).toBe('application/problem+json');
    expect(noToken.headers.get('www-authenticate')).toBe('Bearer');
    expect(await noToken.json()).toMatchObject({ type: '/problems/unauthorized', status: 401 });

    const claims = { sub: 'national-admin', role: 'national', territory: '', jti: 'x' };
    const unsigned = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${Buffer.from(
      JSON.stringify({ ...claims, iss: 'urn:benchmarking-platform:local', aud: 'benchmarking-api', iat: 1, exp: 9999999999 }),
    ).toString('base64url')}.`;
    const key = createPrivateKey(readFileSync(join(t.dataDir, 'signing-key.pem')));
    const sign = (iss: string, aud: string, exp: number) =>
      new SignJWT(claims).setProtectedHeader({ alg: 'ES256' }).setIssuer(iss).setAudience(aud).setIssuedAt(exp - 60).setExpirationTime(exp).sign(key);
    const now = Math.floor(Date.now() / 1000);
    const expired = await sign('urn:benchmarking-platform:local', 'benchmarking-api', now - 10);
    const wrongAudience = await sign('urn:benchmarking-platform:local', 'someone-else', now + 600);
    const wrongIssuer = await sign('https://evil.example', 'benchmarking-api', now + 600);
    const valid = await sign('urn:benchmarking-platform:local', 'benchmarking-api', now + 600);
    for (const token of [unsigned, expired, wrongAudience, wrongIssuer, 'garbage']) {
      const response = await t.fetch('/v1/enterprises', { headers: { Authorization: `Bearer ${token}` } });
      expect(response.status).toBe(401);
    }
    // The same key, issuer and audience: accepted, so the refusals above are for the stated reasons.
    const accepted = await t.fetch('/v1/enterprises', { headers: { Authorization: `Bearer ${valid}` } });
    expect(accepted.status).toBe(200);
  });
});

describe('enterprises and territory', () => {
  it('rejects a bad credit code with 422 naming creditCode, in Chinese by default and English on request', async () => {
    const body = { creditCode: '91310115MA1G4L1WXK', name: '某公司', divisionCode: '310115', industry: '纺织服装' };
    const zh = await t.admin.request<{ status: number; errors: { path: string; code: string; message: string }[]; title: string }>('POST', '/v1/enterprises', body);
    expect(zh.status).toBe(422);
    expect(zh.body.errors).toContainEqual(expect.objectContaining({ path: 'creditCode', code: 'invalid_credit_code' }));
    expect(zh.body.title).toMatch(/[\u4e00-\u9fff]/);

    const en = await t.fetch('/v1/enterprises', {
      method: 'POST',
      headers: { Authorization: `Bearer ${await t.admin.accessToken()}`, 'Content-Type': 'application/json', 'Accept-Language': 'en-US,en;q=0.9' },
      body: JSON.stringify(body),
    });
    expect(en.headers.get('content-type')).toBe('application/problem+json');
    const problem = (await en.json()) as { title: string; errors: { path: string; message: string }[] };
    expect(problem.title).toBe('Validation failed');
    expect(problem.errors.find((e) => e.path === 'creditCode')!.message).toMatch(/[A-Za-z]/);
  });

  it('answers 409 for a credit code registered anywhere, even outside the caller’s territory', async () => {
    const response = await zhejiang.request('POST', '/v1/enterprises', {
      creditCode: szEnterprise, name: '重复', divisionCode: '330106', industry: '纺织服装',
    });
    expect(response.status).toBe(409);
  });

  it('lets a province see its own enterprises and answers 404 for another province’s', async () => {
    expect((await zhejiang.request('GET', `/v1/enterprises/${hzEnterprise}`)).status).toBe(200);
    expect((await zhejiang.request('GET', `/v1/enterprises/${szEnterprise}`)).status).toBe(404);
    expect((await hangzhou.request('GET', `/v1/enterprises/${szEnterprise}`)).status).toBe(404);
    const list = await zhejiang.call<{ items: { creditCode: string }[] }>('GET', '/v1/enterprises?limit=100');
    expect(list.items.map((e) => e.creditCode)).toContain(hzEnterprise);
    expect(list.items.map((e) => e.creditCode)).not.toContain(szEnterprise);
    const outside = await zhejiang.call<{ items: unknown[] }>('GET', '/v1/enterprises?divisionCode=320000');
    expect(outside.items).toEqual([]);
    // National without a filter reads every province's shard, starting with the first page.
    const national = await t.admin.call<{ items: { creditCode: string }[] }>('GET', '/v1/enterprises?limit=100');
    expect(national.items.map((e) => e.creditCode)).toEqual(expect.arrayContaining([hzEnterprise, szEnterprise]));
  });

  it('refuses an enterprise outside the bureau’s territory', async () => {
    const response = await hangzhou.request<{ errors: { path: string; code: string }[] }>('POST', '/v1/enterprises', {
      creditCode: creditCode('330206', 9), name: '宁波企业', divisionCode: '330206', industry: '纺织服装',
    });
    expect(response.status).toBe(422);
    expect(response.body.errors[0]).toMatchObject({ path: 'divisionCode', code: 'not_in_territory' });
  });

  it('pages through enterprises with an opaque cursor and rejects a forged one', async () => {
    for (let i = 10; i < 13; i++) await createEnterprise(t.admin, creditCode('330108', i), '330108');
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: { creditCode: string }[]; nextCursor: string | null } = await t.admin.call(
        'GET',
        `/v1/enterprises?divisionCode=330000&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((e) => e.creditCode));
      cursor = page.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual(expect.arrayContaining([hzEnterprise, creditCode('330108', 10), creditCode('330108', 12)]));
    expect(seen).not.toContain(szEnterprise);

    const forged = Buffer.from(JSON.stringify({ s: 0, k: { pk: 'ENT#x', sk: 'ENT', gsi1pk: 'ENT#P#32', gsi1sk: 'x' } })).toString('base64url');
    const response = await zhejiang.request<{ errors: { path: string }[] }>('GET', `/v1/enterprises?cursor=${forged}`);
    expect(response.status).toBe(422);
    expect(response.body.errors[0]!.path).toBe('cursor');
    expect((await t.admin.request('GET', '/v1/enterprises?limit=0')).status).toBe(422);
    expect((await t.admin.request('GET', '/v1/enterprises?limit=101')).status).toBe(422);
  });
});

describe('declarations', () => {
  it('takes a declaration from the enterprise’s city, converting units, and lists it', async () => {
    const created = await hangzhou.request<{ id: string; status: string; revision: number; indicators: { code: string; value: unknown; unit?: string }[] }>(
      'POST',
      '/v1/declarations',
      {
        creditCode: hzEnterprise,
        schemeId: scheme.id,
        product: '婴儿连体衣',
        standardNumber: 'Q/HZSL 001—2024',
        indicators: [{ code: 'lead', value: 0.09, unit: 'g/kg' }, ...textileIndicators.slice(1)],
      },
    );
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'submitted', revision: 1 });
    const lead = created.body.indicators.find((i) => i.code === 'lead')!;
    expect(lead.value).toBeCloseTo(90, 9);
    expect(lead.unit).toBe('mg/kg');

    const list = await zhejiang.call<{ items: { id: string }[] }>('GET', `/v1/declarations?schemeId=${scheme.id}`);
    expect(list.items.map((d) => d.id)).toContain(created.body.id);
    const other = await jiangsu.call<{ items: { id: string }[] }>('GET', `/v1/declarations?schemeId=${scheme.id}`);
    expect(other.items.map((d) => d.id)).not.toContain(created.body.id);
    expect((await jiangsu.request('GET', `/v1/declarations/${created.body.id}`)).status).toBe(404);
  });

  it('names the offending indicator field', async () => {
    const response = await t.admin.request<{ errors: { path: string; code: string }[] }>('POST', '/v1/declarations', {
      creditCode: hzEnterprise,
      schemeId: scheme.id,
      product: '婴儿袜',
      standardNumber: 'GB 31701-2015',
      indicators: [
        { code: 'lead', value: 90, unit: 'kW' },
        { code: 'ph', value: [8, 4] },
      ],
    });
    expect(response.status).toBe(422);
    const paths = response.body.errors.map((e) => e.path);
    expect(paths).toContain('indicators.0.unit');
    expect(paths).toContain('indicators.1.value');
    expect(response.body.errors.some((e) => e.code === 'core_indicator_missing')).toBe(true);
  });

  it('refuses to declare for an enterprise outside the territory as if it did not exist', async () => {
    const response = await zhejiang.request<{ errors: { path: string; code: string }[] }>('POST', '/v1/declarations', {
      creditCode: szEnterprise, schemeId: scheme.id, product: 'x', standardNumber: 'GB 31701-2015', indicators: textileIndicators,
    });
    expect(response.status).toBe(422);
    expect(response.body.errors[0]).toMatchObject({ path: 'creditCode', code: 'unknown_enterprise' });
  });

  it('makes a revision of the same product the latest and keeps the history', async () => {
    const enterprise = await t.clientFor(hangzhou, 'enterprise', hzEnterprise);
    const declare = (cadmium: number, product: string) =>
      enterprise.call<{ id: string; revision: number; supersedes: string | null }>('POST', '/v1/declarations', {
        creditCode: hzEnterprise, schemeId: scheme.id, product, standardNumber: 'Q/HZSL 002-2024',
        indicators: textileIndicators.map((i) => (i.code === 'cadmium' ? { ...i, value: cadmium } : i)),
      });
    const first = await declare(100, '婴儿 睡袋');
    // Full-width space and extra spacing: the same product after NFKC and collapsing.
    const second = await declare(40, ' 婴儿\u3000 睡袋 ');
    expect(second.revision).toBe(first.revision + 1);
    expect(second.supersedes).toBe(first.id);
    const earlier = await enterprise.call<{ latest: boolean }>('GET', `/v1/declarations/${first.id}`);
    expect(earlier.latest).toBe(false);
    const latest = await enterprise.call<{ history: { id: string }[] }>('GET', `/v1/declarations/${second.id}`);
    expect(latest.history.map((h) => h.id)).toEqual([first.id, second.id]);

    // The enterprise sees only its own declarations.
    const own = await enterprise.call<{ items: { creditCode: string }[] }>('GET', '/v1/declarations');
    expect(own.items.length).toBeGreaterThan(0);
    expect(own.items.every((d) => d.creditCode === hzEnterprise)).toBe(true);
  });

  it('registers the enterprise a declaration brings along, once, and keeps a registered one as it is', async () => {
    const code = creditCode('330106', 41);
    const declare = (product: string, name: string) =>
      hangzhou.request<{ id: string; enterpriseName: string; divisionCode: string }>('POST', '/v1/declarations', {
        creditCode: code, schemeId: scheme.id, product, standardNumber: 'Q/HZXQ 001-2024', indicators: textileIndicators,
        enterprise: { name, divisionCode: '330106', industry: '纺织服装' },
      });
    const first = await declare('婴儿帽', '杭州新企纺织有限公司');
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ enterpriseName: '杭州新企纺织有限公司', divisionCode: '330106' });
    const registered = await zhejiang.call<{ name: string; industry: string }>('GET', `/v1/enterprises/${code}`);
    expect(registered).toMatchObject({ name: '杭州新企纺织有限公司', industry: '纺织服装' });

    // Registered now: another name in a later declaration changes nothing.
    const second = await declare('婴儿围嘴', '别的名字');
    expect(second.status).toBe(201);
    expect(second.body.enterpriseName).toBe('杭州新企纺织有限公司');
    expect((await zhejiang.call<{ name: string }>('GET', `/v1/enterprises/${code}`)).name).toBe('杭州新企纺织有限公司');
  });

  it('registers one enterprise when two declarations bring it at the same time', async () => {
    const code = creditCode('330106', 42);
    const declare = (product: string) =>
      hangzhou.request<{ enterpriseName: string }>('POST', '/v1/declarations', {
        creditCode: code, schemeId: scheme.id, product, standardNumber: 'Q/HZXQ 002-2024', indicators: textileIndicators,
        enterprise: { name: '杭州并发纺织有限公司', divisionCode: '330106', industry: '纺织服装' },
      });
    const [a, b] = await Promise.all([declare('婴儿袜'), declare('婴儿鞋')]);
    expect([a.status, b.status]).toEqual([201, 201]);
    const list = await zhejiang.call<{ items: { creditCode: string }[] }>('GET', '/v1/enterprises?divisionCode=330106&limit=100');
    expect(list.items.filter((e) => e.creditCode === code)).toHaveLength(1);
  });

  it('refuses to register an enterprise outside the territory, or for an enterprise client, and writes nothing', async () => {
    const code = creditCode('330212', 43);
    const body = {
      creditCode: code, schemeId: scheme.id, product: '婴儿被', standardNumber: 'Q/NBXQ 001-2024', indicators: textileIndicators,
      enterprise: { name: '宁波新企纺织有限公司', divisionCode: '330212', industry: '纺织服装' },
    };
    const outside = await hangzhou.request<{ errors: { path: string; code: string }[] }>('POST', '/v1/declarations', body);
    expect(outside.status).toBe(422);
    expect(outside.body.errors[0]).toMatchObject({ path: 'enterprise.divisionCode', code: 'not_in_territory' });

    const enterpriseClient = await t.clientFor(hangzhou, 'enterprise', hzEnterprise);
    const foreign = await enterpriseClient.request<{ errors: { path: string; code: string }[] }>('POST', '/v1/declarations', body);
    expect(foreign.status).toBe(422);
    expect(foreign.body.errors[0]).toMatchObject({ path: 'creditCode', code: 'unknown_enterprise' });

    // Nothing written: the province, which could see both, finds neither.
    expect((await zhejiang.request('GET', `/v1/enterprises/${code}`)).status).toBe(404);
    const declarations = await zhejiang.call<{ items: { creditCode: string }[] }>('GET', `/v1/declarations?schemeId=${scheme.id}&limit=100`);
    expect(declarations.items.some((d) => d.creditCode === code)).toBe(false);
  });

  it('honours Idempotency-Key: the same body replays, another body is 422', async () => {
    const token = await t.admin.accessToken();
    const body = { creditCode: creditCode('330106', 77), name: '幂等测试企业', divisionCode: '330106', industry: '纺织服装' };
    const send = (payload: unknown) =>
      t.fetch('/v1/enterprises', {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', 'Idempotency-Key': 'key-1' },
        body: JSON.stringify(payload),
      });
    const first = await send(body);
    expect(first.status).toBe(201);
    const replay = await send({ industry: body.industry, divisionCode: body.divisionCode, name: body.name, creditCode: body.creditCode });
    expect(replay.status).toBe(201);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(await replay.json()).toEqual(await first.json());
    const other = await send({ ...body, name: '另一个' });
    expect(other.status).toBe(422);
    expect(((await other.json()) as { type: string }).type).toBe('/problems/idempotency-key-reused');
  });
});

describe('schemes', () => {
  it('requires If-Match to make a new version and refuses a stale one', async () => {
    const current = await t.fetch(`/v1/schemes/${scheme.id}`, { headers: { Authorization: `Bearer ${await t.admin.accessToken()}` } });
    const etag = current.headers.get('etag')!;
    const body = (await current.json()) as Record<string, unknown> & { indicators: Record<string, unknown>[] };
    const { id: _id, version: _version, createdAt: _c, updatedAt: _u, ...definition } = body;
    const put = (headers: Record<string, string>) =>
      t.fetch(`/v1/schemes/${scheme.id}`, {
        method: 'PUT',
        headers: { Authorization: `Bearer ${headers.token}`, 'Content-Type': 'application/json', ...(headers.ifMatch ? { 'If-Match': headers.ifMatch } : {}) },
        body: JSON.stringify(definition),
      });
    const token = await t.admin.accessToken();
    expect((await put({ token })).status).toBe(428);
    expect((await put({ token, ifMatch: '"999"' })).status).toBe(412);
    const updated = await put({ token, ifMatch: etag });
    expect(updated.status).toBe(200);
    expect(((await updated.json()) as { version: number }).version).toBe(2);
    expect((await put({ token, ifMatch: etag })).status).toBe(412);
  });

  it('refuses a benchmark standard missing from the catalogue, naming it', async () => {
    const response = await t.admin.request<{ errors: { path: string; code: string }[] }>('POST', '/v1/schemes', {
      name: 'x', productCategory: 'x', industry: 'x', field: 'other',
      indicators: [{ code: 'a', name: 'a', requirement: 'min', benchmarks: [{ standard: 'ISO 9999:2020', value: 1 }] }],
    });
    expect(response.status).toBe(422);
    expect(response.body.errors[0]).toMatchObject({ path: 'indicators.0.benchmarks.0.standard', code: 'unknown_standard' });
  });

  it('lets only national write reference data', async () => {
    expect((await zhejiang.request('POST', '/v1/standards', { number: 'ISO 1:2020', title: 'x', org: 'ISO', kind: 'international' })).status).toBe(403);
  });
});

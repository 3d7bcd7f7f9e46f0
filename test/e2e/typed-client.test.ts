/**
 * The typed client (openapi-fetch over the generated types) and the example
 * program a province runs, against the local runtime: authenticate, push a
 * batch, poll, fetch results; one token request for the whole run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runProvinceSync } from '../../shared/client/example-province.ts';
import { createPlatformClient, TokenError } from '../../shared/client/platform-client.ts';
import { createEnterprise, createTextileScheme, creditCode } from '../support/fixtures.ts';
import { startTestPlatform, type TestPlatform } from '../support/platform.ts';

let t: TestPlatform;
let scheme: { id: string };
let province: { clientId: string; clientSecret: string };

beforeAll(async () => {
  t = await startTestPlatform();
  scheme = await createTextileScheme(t.admin);
  province = await t.admin.call('POST', '/v1/clients', { name: '浙江省市场监管局', role: 'province', territory: '330000' });
  const jiangsu = await t.clientFor(t.admin, 'province', '320000');
  await createEnterprise(jiangsu, creditCode('320505', 902), '320505');
}, 60_000);

afterAll(async () => {
  await t?.platform.stop();
});

/** Counts token requests and everything else a client sends. */
function countingFetch() {
  const counts = { token: 0, other: 0 };
  const wrapped: typeof fetch = (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    if (url.endsWith('/oauth2/token')) counts.token += 1;
    else counts.other += 1;
    return fetch(input, init);
  };
  return { counts, fetch: wrapped };
}

describe('the example program', () => {
  it('authenticates, pushes a batch, polls it and fetches each row’s comparison with one token', async () => {
    const { counts, fetch } = countingFetch();
    const api = createPlatformClient({ baseUrl: t.url, ...province, fetch });
    // The file follows the scheme's template, as a province would fill it.
    const template = await api.GET('/v1/schemes/{id}/template.csv', { params: { path: { id: scheme.id } }, parseAs: 'text' });
    const header = (template.data as string).replace(/^\uFEFF/, '').split(/\r?\n/)[0]!.split(',');
    expect(header).toEqual(['creditCode', 'enterpriseName', 'divisionCode', 'industry', 'product', 'standardNumber', 'lead', 'cadmium', 'phthalates', 'ph']);
    const row = (code: string, division: string, name: string, cadmium: number) =>
      [code, name, division, '纺织服装', '婴儿睡袋', 'Q/ZJ 001-2024', 90, cadmium, 0.1, '4.0~7.5'].join(',');
    const meets = creditCode('330106', 901);
    const below = creditCode('330206', 902);
    const outside = creditCode('320505', 902);
    const csv = [header.join(','), row(meets, '330106', '杭州示例纺织', 30), row(below, '330206', '宁波示例纺织', 100), row(outside, '320505', '苏州示例纺织', 30)].join('\r\n');

    const lines: string[] = [];
    const run = await runProvinceSync({
      baseUrl: t.url,
      ...province,
      fetch,
      schemeId: scheme.id,
      file: { name: '浙江省第一批.csv', content: Buffer.from(csv, 'utf8') },
      pollIntervalMs: 50,
      log: (line) => lines.push(line),
    });

    expect(run.batch).toMatchObject({ status: 'completed', total: 3, accepted: 2, rejected: 1 });
    expect(run.batch.errorsUrl).toEqual(expect.any(String));
    const byCode = Object.fromEntries(run.results.map((r) => [r.creditCode, r]));
    expect(byCode[meets]!.comparison).toMatchObject({ status: 'succeeded', meets: true, level: 'partially_superior', reportUrl: expect.any(String) });
    expect(byCode[below]!.comparison).toMatchObject({ status: 'succeeded', meets: false, level: 'below' });
    // Outside Zhejiang: rejected by the batch, and not visible to the province.
    expect(byCode[outside]).toMatchObject({ line: 4 });
    expect(byCode[outside]!.comparison).toBeUndefined();
    expect(lines[0]).toContain(province.clientId);
    // One token for the whole run (and the template request before it).
    expect(run.tokenRequests).toBe(1);
    expect(counts.token).toBe(2);
    expect(counts.other).toBeGreaterThan(5);
  }, 120_000);
});

describe('the typed client', () => {
  it('caches its token until shortly before expiry, with one request for concurrent callers', async () => {
    let now = Date.now();
    const { counts, fetch } = countingFetch();
    const api = createPlatformClient({ baseUrl: t.url, ...province, fetch, now: () => now, renewBeforeSeconds: 60 });
    await Promise.all(Array.from({ length: 5 }, () => api.GET('/v1/enterprises', { params: { query: { limit: 1 } } })));
    expect(counts.token).toBe(1);
    // Tokens last an hour: at 58 minutes the cached one is still used...
    now += 58 * 60_000;
    const page = await api.GET('/v1/enterprises', { params: { query: { limit: 1 } } });
    expect(page.response.status).toBe(200);
    expect(counts.token).toBe(1);
    // ...at 59.5 minutes (within the minute before expiry) a new one is fetched.
    now += 90_000;
    await api.GET('/v1/enterprises', { params: { query: { limit: 1 } } });
    expect(counts.token).toBe(2);
  });

  it('drops a token the API refuses, and reports a wrong secret as a TokenError', async () => {
    const created = await t.admin.call<{ clientId: string; clientSecret: string }>('POST', '/v1/clients', {
      name: 'rotating',
      role: 'province',
      territory: '340000',
    });
    const { counts, fetch } = countingFetch();
    const api = createPlatformClient({ baseUrl: t.url, ...created, fetch });
    expect((await api.GET('/v1/enterprises', {})).response.status).toBe(200);
    // Rotated elsewhere: the cached token is revoked with the old secret.
    await t.admin.call('POST', `/v1/clients/${created.clientId}/secret`);
    const refused = await api.GET('/v1/enterprises', {});
    expect(refused.response.status).toBe(401);
    expect(refused.error).toMatchObject({ type: '/problems/unauthorized' });
    await expect(api.GET('/v1/enterprises', {})).rejects.toThrow(TokenError);
    expect(counts.token).toBe(2);
  });

  it('types problem details and sends Idempotency-Key on creating POSTs', async () => {
    const api = createPlatformClient({ baseUrl: t.url, ...province, language: 'en' });
    const bad = await api.POST('/v1/enterprises', {
      body: { creditCode: '91310115MA1G4L1WXK', name: 'x', divisionCode: '330106', industry: 'x' },
    });
    expect(bad.response.status).toBe(422);
    expect(bad.error?.errors?.[0]).toMatchObject({ path: 'creditCode', code: 'invalid_credit_code', message: expect.stringMatching(/credit code/i) });

    const body = { creditCode: creditCode('330106', 903), name: '幂等示例', divisionCode: '330106', industry: '纺织服装' };
    const header = { 'Idempotency-Key': 'example-903' };
    const first = await api.POST('/v1/enterprises', { body, params: { header } });
    const retry = await api.POST('/v1/enterprises', { body, params: { header } });
    expect(first.response.status).toBe(201);
    expect(retry.response.status).toBe(201);
    expect(retry.response.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.data).toEqual(first.data);
  });
});

/**
 * From submission to a published forerunner list over HTTP: comparison, city
 * and province recommendation, national acceptance, the list under public
 * notice and then published, with the figures, KPIs, ranking and public pages
 * checked at every step, and every new endpoint checked against territory.
 */
import ExcelJS from 'exceljs';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ApiClient } from '../../infra/local/api-client.ts';
import { createEnterprise, createTextileScheme, creditCode, textileIndicators } from '../support/fixtures.ts';
import { startTestPlatform, type TestPlatform } from '../support/platform.ts';

interface Group {
  key: string;
  enterprises: number;
  declarations: number;
  compared: number;
  meeting: number;
  meetingRate: number | null;
  levels: Record<string, number>;
  meanConsistency: number | null;
  forerunners: number;
}

let t: TestPlatform;
let scheme: { id: string };
let zhejiang: ApiClient;
let hangzhou: ApiClient;
let jiangsu: ApiClient;
let suzhou: ApiClient;
let owner: ApiClient;
const enterprise = creditCode('330106', 61);

/** Cadmium 30 against the benchmark's 40: meets, partially superior, score 0.0625. */
const meeting = textileIndicators.map((i) => (i.code === 'cadmium' ? { ...i, value: 30 } : i));

async function settle(): Promise<void> {
  await t.platform.stepFunctions.idle();
  await t.platform.streams!.drain();
}

async function declare(client: ApiClient, product: string, indicators: unknown[], code = enterprise) {
  const declaration = await client.call<{ id: string; comparisonId: string }>('POST', '/v1/declarations', {
    creditCode: code,
    schemeId: scheme.id,
    product,
    standardNumber: 'Q/HZ 200-2024',
    indicators,
  });
  await settle();
  return declaration;
}

const stats = (client: ApiClient, query: string) => client.call<{ groups: Group[]; divisionCode: string | null }>('GET', `/v1/stats?${query}`);

const review = (client: ApiClient, id: string, decision: string, comment?: string) =>
  client.request<{ status: string; fromStatus: string; type?: string }>('POST', `/v1/declarations/${id}/reviews`, { decision, ...(comment ? { comment } : {}) });

beforeAll(async () => {
  t = await startTestPlatform();
  scheme = await createTextileScheme(t.admin);
  zhejiang = await t.clientFor(t.admin, 'province', '330000');
  hangzhou = await t.clientFor(zhejiang, 'city', '330100');
  jiangsu = await t.clientFor(t.admin, 'province', '320000');
  suzhou = await t.clientFor(jiangsu, 'city', '320500');
  await t.admin.call('POST', '/v1/cities', { divisionCode: '330100', name: '杭州市', round: 1 });
  await t.admin.call('POST', '/v1/cities', { divisionCode: '320500', name: '苏州市', round: 2 });
  await createEnterprise(hangzhou, enterprise, '330106');
  owner = await t.clientFor(hangzhou, 'enterprise', enterprise);
  // An equipment scheme over two IEC/ISO standards, one adopted in China (MOD), one not.
  await t.admin.call('POST', '/v1/standards', {
    number: 'ISO 16358-1:2013',
    title: '风冷空调器和热泵 季节性能系数的测试和计算方法',
    org: 'ISO',
    kind: 'international',
    adoption: { number: 'GB/T 40363.1-2021', degree: 'MOD' },
  });
  await t.admin.call('POST', '/v1/standards', { number: 'IEC 60335-2-40:2018', title: '热泵、空调器和除湿机的特殊要求', org: 'IEC', kind: 'international' });
  await t.admin.call('POST', '/v1/schemes', {
    name: '房间空气调节器对标技术方案',
    productCategory: '房间空气调节器',
    industry: '家用电器',
    field: 'equipment',
    indicators: [
      { code: 'apf', name: 'APF', requirement: 'min', core: true, benchmarks: [{ standard: 'ISO 16358-1:2013', value: 4.5 }] },
      { code: 'safe', name: '安全', requirement: 'boolean', benchmarks: [{ standard: 'IEC 60335-2-40:2018', value: true }] },
    ],
  });
}, 120_000);

afterAll(async () => {
  await t?.platform.stop();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('a declaration walks to a published forerunner list', () => {
  let id: string;

  it('is counted once compared: one enterprise, one meeting declaration, one forerunner', async () => {
    expect((await stats(zhejiang, 'groupBy=city')).groups).toEqual([]);
    id = (await declare(owner, '婴儿连体衣', meeting)).id;
    expect((await owner.call<{ status: string }>('GET', `/v1/declarations/${id}`)).status).toBe('compared');

    const { groups } = await stats(zhejiang, 'groupBy=city');
    expect(groups).toEqual([
      {
        key: '330100',
        enterprises: 1,
        declarations: 1,
        compared: 1,
        meeting: 1,
        meetingRate: 1,
        levels: { superior: 0, partially_superior: 1, equivalent: 0, below: 0 },
        meanConsistency: 1,
        forerunners: 1,
      },
    ]);
    for (const groupBy of ['province', 'industry', 'scheme', 'round']) {
      const keys = (await stats(t.admin, `groupBy=${groupBy}`)).groups.map((g) => [g.key, g.declarations, g.forerunners]);
      expect(keys).toEqual([[{ province: '330000', industry: '纺织服装', scheme: scheme.id, round: '1' }[groupBy], 1, 1]]);
    }
    const kpis = await t.admin.call<{ indicatorConsistency: { value: number; agreeing: number; compared: number } }>('GET', '/v1/kpis');
    expect(kpis.indicatorConsistency).toMatchObject({ value: 1, agreeing: 4, compared: 4 });
    // The textile scheme is a consumer one; nothing is compared in equipment.
    const equipment = await t.admin.call<{ indicatorConsistency: { compared: number }; adoptionRate: Record<string, unknown> }>('GET', '/v1/kpis?field=equipment');
    expect(equipment.indicatorConsistency.compared).toBe(0);
    expect(equipment.adoptionRate).toEqual({ value: 0.5, adopted: 1, total: 2, target: 0.9 });

    const ranking = await hangzhou.call<{ ranked: number; forerunnerCount: number; items: unknown[] }>('GET', `/v1/schemes/${scheme.id}/ranking`);
    expect(ranking).toMatchObject({ ranked: 1, forerunnerCount: 1 });
    expect(ranking.items).toEqual([{ rank: 1, declarationId: id, creditCode: enterprise, score: 0.0625, stricterCount: 1, forerunner: true }]);
  });

  it('is recommended by the city, then the province, and accepted by national', async () => {
    expect((await review(zhejiang, id, 'recommend')).body.status).toBe('city_recommended');
    const cityStep = await review(hangzhou, id, 'recommend');
    expect(cityStep.status).toBe(409);
    expect((await review(zhejiang, id, 'recommend')).body).toMatchObject({ fromStatus: 'city_recommended', status: 'province_recommended' });
    expect((await review(t.admin, id, 'recommend')).status).toBe(409);
    expect((await review(t.admin, id, 'accept')).body).toMatchObject({ status: 'accepted' });
    expect((await review(t.admin, id, 'return', '晚了')).status).toBe(409);
    await settle();

    const decisions = await owner.call<{ items: { decision: string; reviewer: { role: string } }[] }>('GET', `/v1/declarations/${id}/reviews`);
    expect(decisions.items.map((d) => [d.decision, d.reviewer.role])).toEqual([
      ['recommend', 'province'],
      ['recommend', 'province'],
      ['accept', 'national'],
    ]);
    // Reviews do not move the figures, nor the KPIs; nothing is listed yet.
    expect((await stats(zhejiang, 'groupBy=city')).groups[0]).toMatchObject({ declarations: 1, meeting: 1, forerunners: 1 });
    const kpis = await zhejiang.call<{ indicatorConsistency: { value: number }; targets: { forerunners: Record<string, number>; cities: { current: number } } }>('GET', '/v1/kpis');
    expect(kpis.indicatorConsistency.value).toBe(1);
    expect(kpis.targets.forerunners).toEqual({ target: 1000, current: 0, underNotice: 0 });
    expect(kpis.targets.cities.current).toBe(2);

    const results = await t.fetch('/v1/public/results');
    expect(results.headers.get('cache-control')).toBe('public, max-age=60');
    const body = (await results.json()) as { items: Record<string, unknown>[] };
    expect(body.items).toEqual([
      {
        schemeId: scheme.id,
        schemeName: "婴幼儿纺织品(A类)对标技术方案",
        creditCode: enterprise,
        enterpriseName: expect.any(String),
        divisionCode: '330106',
        product: '婴儿连体衣',
        standardNumber: 'Q/HZ 200-2024',
        meets: true,
        level: 'partially_superior',
        consistency: 1,
        score: 0.0625,
        acceptedAt: expect.any(String),
      },
    ]);
  });

  it('is listed under public notice, then published, and counted toward the forerunner target', async () => {
    expect((await zhejiang.request('POST', `/v1/schemes/${scheme.id}/forerunner-lists`, { noticeDays: 7 })).status).toBe(403);
    const list = await t.admin.call<{ id: string; state: string; noticeEndsAt: string; entries: Record<string, unknown>[] }>(
      'POST',
      `/v1/schemes/${scheme.id}/forerunner-lists`,
      { noticeDays: 7 },
    );
    expect(list.state).toBe('public_notice');
    expect(list.entries).toEqual([
      expect.objectContaining({ rank: 1, creditCode: enterprise, product: '婴儿连体衣', score: 0.0625, level: 'partially_superior' }),
    ]);
    expect(list.entries[0]).not.toHaveProperty('declarationId');

    const underNotice = await t.fetch(`/v1/public/forerunners?schemeId=${scheme.id}`);
    const maxAge = Number(/max-age=(\d+)/.exec(underNotice.headers.get('cache-control') ?? '')![1]);
    expect(maxAge).toBeGreaterThan(0);
    expect(maxAge).toBeLessThanOrEqual(300);
    expect(((await underNotice.json()) as { items: { state: string }[] }).items.map((l) => l.state)).toEqual(['public_notice']);
    let kpis = await t.admin.call<{ targets: { forerunners: Record<string, number> } }>('GET', '/v1/kpis');
    expect(kpis.targets.forerunners).toEqual({ target: 1000, current: 0, underNotice: 1 });

    // Eight days later the notice period is over: the state follows from the time of reading.
    // Only a client made for the purpose calls in the future (its token is issued there).
    const later = await t.clientFor(t.admin, 'national', '');
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.parse(list.noticeEndsAt) + 86_400_000);
    const published = (await (await t.fetch('/v1/public/forerunners')).json()) as { items: { id: string; state: string }[] };
    expect(published.items).toEqual([expect.objectContaining({ id: list.id, state: 'published' })]);
    kpis = await later.call('GET', '/v1/kpis');
    expect(kpis.targets.forerunners).toEqual({ target: 1000, current: 1, underNotice: 0 });
  });

  it('shows the published list by its Location', async () => {
    const lists = (await (await t.fetch(`/v1/public/forerunners?schemeId=${scheme.id}`)).json()) as { items: { id: string }[] };
    const one = await hangzhou.call<{ id: string }>('GET', `/v1/schemes/${scheme.id}/forerunner-lists/${lists.items[0]!.id}`);
    expect(one.id).toBe(lists.items[0]!.id);
  });
});

describe('returns, revisions and the ranking', () => {
  it('needs a comment to return, and a returned declaration is final', async () => {
    const { id } = await declare(hangzhou, '婴儿帽', textileIndicators);
    const bare = await review(hangzhou, id, 'return');
    expect(bare.status).toBe(422);
    expect((bare.body as unknown as { errors: { path: string; code: string }[] }).errors).toEqual([
      expect.objectContaining({ path: 'comment', code: 'comment_required' }),
    ]);
    expect((await review(hangzhou, id, 'return', '镉含量超出基准，请修订企业标准')).body).toMatchObject({ status: 'returned' });
    expect((await review(hangzhou, id, 'recommend')).status).toBe(409);
    expect((await review(owner, id, 'recommend')).status).toBe(403);
  });

  it('replaces a revised declaration in the figures and ranks by score, then stricter verdicts', async () => {
    const second = creditCode('330106', 62);
    await createEnterprise(hangzhou, second, '330106');
    const before = (await stats(hangzhou, 'groupBy=city')).groups[0] ?? { enterprises: 0, declarations: 0, meeting: 0 };
    const first = await declare(hangzhou, '婴儿睡袋', textileIndicators, second);
    let now = (await stats(hangzhou, 'groupBy=city')).groups[0]!;
    expect(now).toMatchObject({ enterprises: before.enterprises + 1, declarations: before.declarations + 1, meeting: before.meeting });
    // The revision closes the cadmium gap: it replaces the first, and leads the ranking (cadmium 20: score 0.125).
    const revised = await declare(hangzhou, ' 婴儿睡袋 ', textileIndicators.map((i) => (i.code === 'cadmium' ? { ...i, value: 20 } : i)), second);
    now = (await stats(hangzhou, 'groupBy=city')).groups[0]!;
    expect(now).toMatchObject({ enterprises: before.enterprises + 1, declarations: before.declarations + 1, meeting: before.meeting + 1 });
    const ranking = await t.admin.call<{ ranked: number; forerunnerCount: number; items: { declarationId: string; rank: number; forerunner: boolean }[] }>(
      'GET',
      `/v1/schemes/${scheme.id}/ranking?limit=1`,
    );
    expect(ranking.items).toEqual([expect.objectContaining({ declarationId: revised.id, rank: 1, forerunner: true })]);
    expect(ranking.items.map((i) => i.declarationId)).not.toContain(first.id);
    expect((await review(hangzhou, first.id, 'recommend')).status).toBe(409);
  });
});

describe('territory', () => {
  it('shows another province nothing of Zhejiang', async () => {
    for (const client of [jiangsu, suzhou]) {
      for (const groupBy of ['province', 'city', 'industry', 'scheme', 'round']) {
        expect((await stats(client, `groupBy=${groupBy}`)).groups).toEqual([]);
        expect((await stats(client, `groupBy=${groupBy}&divisionCode=330000`)).groups).toEqual([]);
        expect((await stats(client, `groupBy=${groupBy}&divisionCode=330100&schemeId=${scheme.id}`)).groups).toEqual([]);
      }
      const kpis = await client.call<{ indicatorConsistency: { compared: number } }>('GET', '/v1/kpis');
      expect(kpis.indicatorConsistency.compared).toBe(0);
      const ranking = await client.call<{ items: unknown[]; ranked: number }>('GET', `/v1/schemes/${scheme.id}/ranking`);
      expect(ranking.items).toEqual([]);
      const csv = await (await fetchAs(client, '/v1/stats/export.csv?groupBy=city&divisionCode=330000')).text();
      expect(csv.split('\r\n').filter(Boolean)).toHaveLength(1);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(await (await fetchAs(client, '/v1/stats/export.xlsx?divisionCode=330000')).arrayBuffer());
      for (const sheet of workbook.worksheets.slice(1)) expect(sheet.rowCount, sheet.name).toBe(1);
    }
    const declarations = await zhejiang.call<{ items: { id: string }[] }>('GET', '/v1/declarations');
    const id = declarations.items[0]!.id;
    expect((await jiangsu.request('GET', `/v1/declarations/${id}/reviews`)).status).toBe(404);
    expect((await suzhou.request('POST', `/v1/declarations/${id}/reviews`, { decision: 'return', comment: '越权' })).status).toBe(404);
  });

  it('narrows a city to itself and refuses enterprises and county filters', async () => {
    expect((await stats(hangzhou, 'groupBy=province&divisionCode=330000')).divisionCode).toBe('330100');
    expect((await owner.request('GET', '/v1/stats?groupBy=city')).status).toBe(403);
    expect((await owner.request('GET', '/v1/kpis')).status).toBe(403);
    const county = await zhejiang.request<{ errors: { path: string; code: string }[] }>('GET', '/v1/stats?groupBy=city&divisionCode=330106');
    expect(county.status).toBe(422);
    expect(county.body.errors[0]).toMatchObject({ path: 'divisionCode', code: 'division_not_province_or_city' });
    expect((await zhejiang.request('GET', '/v1/stats?groupBy=county')).status).toBe(422);
    // An enterprise sees its own entries of the ranking only.
    const own = await owner.call<{ items: { creditCode: string }[] }>('GET', `/v1/schemes/${scheme.id}/ranking`);
    expect(own.items.every((i) => i.creditCode === enterprise)).toBe(true);
  });

  it('serves public pages without a token, and nothing unaccepted', async () => {
    const results = (await (await t.fetch(`/v1/public/results?schemeId=${scheme.id}`)).json()) as { items: { product: string }[] };
    expect(results.items.map((r) => r.product)).toEqual(['婴儿连体衣']);
    expect(JSON.stringify(results)).not.toMatch(/declarationId|"id"|status|createdBy|version/);
    expect((await t.fetch('/v1/public/results?limit=0')).status).toBe(422);
  });
});

describe('exports for a stage summary', () => {
  it('writes CSV with a BOM and Chinese headers, and a workbook with a sheet per grouping', async () => {
    const csv = await fetchAs(zhejiang, '/v1/stats/export.csv?groupBy=city');
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.headers.get('content-disposition')).toMatch(/^attachment; filename="stats-city-/);
    const bytes = Buffer.from(await csv.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.subarray(3).toString('utf8').trim().split('\r\n');
    expect(lines[0]).toBe('地市,名称,企业数,申报数,已比对,达标数,达标率,全部优于,部分优于,等同,低于,平均指标一致性程度,领跑者');
    const json = (await stats(zhejiang, 'groupBy=city')).groups[0]!;
    expect(lines[1]).toBe(
      ['330100', '杭州市', json.enterprises, json.declarations, json.compared, json.meeting, json.meetingRate, json.levels.superior, json.levels.partially_superior, json.levels.equivalent, json.levels.below, json.meanConsistency, json.forerunners].join(','),
    );

    const xlsx = await fetchAs(zhejiang, '/v1/stats/export.xlsx', 'en');
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await xlsx.arrayBuffer());
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['Stage summary', 'Province', 'City', 'Industry', 'Scheme', 'Round']);
    const summary = workbook.getWorksheet('Stage summary')!;
    const declarationsRow = summary.getSheetValues().find((row) => Array.isArray(row) && row[1] === 'Declarations') as unknown[];
    expect(declarationsRow[2]).toBe(json.declarations);
    expect(workbook.getWorksheet('City')!.getRow(2).getCell(1).value).toBe('330100');
  });
});

async function fetchAs(client: ApiClient, path: string, language?: string): Promise<Response> {
  return t.fetch(path, { headers: { Authorization: `Bearer ${await client.accessToken()}`, ...(language ? { 'Accept-Language': language } : {}) } });
}

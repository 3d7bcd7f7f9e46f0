/**
 * The counters kept by the stream aggregator against a recount from the items.
 * A seeded random sequence of submissions, revisions, comparison re-runs,
 * reviews and leaderShare changes runs through the API while a second
 * consumer delivers every stream batch to the aggregator again (in halves,
 * then whole, concurrently with the platform's own consumer). Afterwards every
 * grouping of GET /v1/stats, the ranking, the KPIs and the public results must
 * equal what a straightforward recount of the declarations and their
 * comparisons gives.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../infra/local/api-client.ts';
import { startStreamPoller, type StreamPoller } from '../../infra/local/stream-poller.ts';
import { lambdaContext } from '../../infra/local/invoke.ts';
import { handler as aggregate } from '../../functions/stats/aggregate-stream.ts';
import type { ComparisonResult } from '../../shared/domain/comparison.ts';
import { getComparison } from '../../shared/store/comparisons.ts';
import { type DeclarationRecord, declarationItem, getDeclaration, listDeclarations } from '../../shared/store/declarations.ts';
import { recordDecision } from '../../shared/store/reviews.ts';
import { createTextileScheme, creditCode } from '../support/fixtures.ts';
import { startTestPlatform, type TestPlatform } from '../support/platform.ts';
import { deliveries } from './fixtures/aggregate-twice.ts';

const SEED = Number(process.env.REPLAY_SEED ?? 20240601);
const OPERATIONS = Number(process.env.REPLAY_OPERATIONS ?? 50);

/** mulberry32: a small seeded generator, so a failing sequence can be replayed with REPLAY_SEED. */
function generator(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
  return { next, pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]! };
}

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
let duplicate: StreamPoller;
const schemes: { id: string; leaderShare: number }[] = [];
const bureaus = new Map<string, ApiClient>();
const enterprises = [
  { code: creditCode('330106', 81), division: '330106', industry: '纺织服装' },
  { code: creditCode('330108', 82), division: '330108', industry: '纺织服装' },
  { code: creditCode('330203', 83), division: '330203', industry: '家用电器' },
  { code: creditCode('320505', 84), division: '320505', industry: '纺织服装' },
  { code: creditCode('320506', 85), division: '320506', industry: '家用电器' },
  { code: creditCode('440305', 86), division: '440305', industry: '纺织服装' },
];
const rounds = new Map([
  ['330100', '1'],
  ['320500', '2'],
]);

async function settle(): Promise<void> {
  await t.platform.stepFunctions.idle();
  await Promise.all([t.platform.streams!.drain(), duplicate.drain()]);
  await t.platform.streams!.drain();
}

beforeAll(async () => {
  t = await startTestPlatform();
  duplicate = await startStreamPoller({
    endpoint: t.platform.endpoints.dynamodb,
    tableName: t.platform.tableNames.Main!,
    consumers: [{ id: 'duplicate', handler: 'aggregate-twice', batchSize: 7, kinds: ['declaration', 'scheme'] }],
    functionsDir: resolve(import.meta.dirname, 'fixtures'),
    dataDir: mkdtempSync(join(tmpdir(), 'duplicate-stream-')),
    intervalMs: 20,
  });
  const first = await createTextileScheme(t.admin);
  const second = await createTextileScheme(t.admin);
  // A second scheme with a larger leader share, so several forerunners are at stake.
  const current = await t.admin.call<Record<string, unknown>>('GET', `/v1/schemes/${second.id}`);
  const { id: _id, version, createdAt: _c, updatedAt: _u, ...definition } = current;
  await put(second.id, version as number, { ...definition, leaderShare: 0.4 });
  schemes.push({ id: first.id, leaderShare: 0.1 }, { id: second.id, leaderShare: 0.4 });
  for (const [division, round] of rounds) {
    await t.admin.call('POST', '/v1/cities', { divisionCode: division, name: division, round: Number(round) });
  }
  for (const province of ['330000', '320000', '440000']) {
    const client = await t.clientFor(t.admin, 'province', province);
    bureaus.set(province, client);
  }
  for (const city of ['330100', '330200', '320500', '440300']) {
    bureaus.set(city, await t.clientFor(bureaus.get(`${city.slice(0, 2)}0000`)!, 'city', city));
  }
  for (const e of enterprises) {
    await t.admin.call('POST', '/v1/enterprises', { creditCode: e.code, name: `企业${e.code.slice(-4)}`, divisionCode: e.division, industry: e.industry });
  }
}, 120_000);

afterAll(async () => {
  await duplicate?.stop();
  await t?.platform.stop();
});

async function put(schemeId: string, version: number, definition: Record<string, unknown>): Promise<void> {
  const response = await fetch(`${t.url}/v1/schemes/${schemeId}`, {
    method: 'PUT',
    headers: { Authorization: `Bearer ${await t.admin.accessToken()}`, 'Content-Type': 'application/json', 'If-Match': `"${version}"` },
    body: JSON.stringify(definition),
  });
  if (response.status !== 200) throw new Error(`PUT scheme: ${response.status} ${await response.text()}`);
}

function indicators(random: ReturnType<typeof generator>) {
  return [
    { code: 'lead', value: random.pick([80, 90, 90, 95]) },
    { code: 'cadmium', value: random.pick([20, 25, 30, 40, 50, 100]) },
    ...(random.next() < 0.8 ? [{ code: 'phthalates', value: random.pick([0.05, 0.1, 0.2]) }] : []),
    { code: 'ph', value: random.pick([[4.0, 7.5], [4.5, 7.0], [4.5, 7.0], [3.5, 8.0]]) },
  ];
}

/** Every declaration ever made, read from the items. */
async function allDeclarations(): Promise<DeclarationRecord[]> {
  const all: DeclarationRecord[] = [];
  let cursor: string | undefined;
  do {
    const page = await listDeclarations({ division: null, limit: 100, cursor });
    all.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return all;
}

async function runSequence(): Promise<void> {
  const random = generator(SEED);
  const products = ['连体衣', '睡袋', '帽子'];
  for (let step = 0; step < OPERATIONS; step++) {
    const roll = random.next();
    const known = (await allDeclarations()).filter((d) => d.latest);
    if (roll < 0.45 || known.length === 0) {
      const e = random.pick(enterprises);
      const bureau = random.next() < 0.5 ? bureaus.get(`${e.division.slice(0, 4)}00`)! : t.admin;
      await bureau.call('POST', '/v1/declarations', {
        creditCode: e.code,
        schemeId: random.pick(schemes).id,
        product: random.pick(products),
        standardNumber: 'Q/RP 1-2024',
        indicators: indicators(random),
      });
    } else if (roll < 0.55) {
      await t.admin.call('POST', `/v1/declarations/${random.pick(known).id}/comparisons`);
    } else if (roll < 0.95) {
      // The list index may lag a moment behind: decide on the item itself.
      const d = (await getDeclaration(random.pick(known).id, true))!;
      const province = bureaus.get(`${d.divisionCode.slice(0, 2)}0000`)!;
      const city = bureaus.get(`${d.divisionCode.slice(0, 4)}00`)!;
      const reviewer = { compared: random.next() < 0.5 ? city : province, city_recommended: province, province_recommended: t.admin }[
        d.status as 'compared'
      ];
      if (!reviewer || !d.latest) continue;
      const forward = d.status === 'province_recommended' ? 'accept' : 'recommend';
      const decision = random.next() < 0.8 ? forward : 'return';
      const outcome = await reviewer.request('POST', `/v1/declarations/${d.id}/reviews`, {
        decision,
        ...(decision === 'return' ? { comment: '请修订' } : {}),
      });
      expect(outcome.status).toBe(201);
    } else {
      const scheme = random.pick(schemes);
      const current = await t.admin.call<Record<string, unknown>>('GET', `/v1/schemes/${scheme.id}`);
      const { id: _id, version, createdAt: _c, updatedAt: _u, ...definition } = current;
      scheme.leaderShare = random.pick([0.1, 0.25, 0.5]);
      await put(scheme.id, version as number, { ...definition, leaderShare: scheme.leaderShare });
    }
    // Comparisons run in the background; let some finish between steps, not all.
    if (random.next() < 0.3) await t.platform.stepFunctions.idle();
  }
  await settle();
}

// ---- the recount ----

interface Counted {
  declaration: DeclarationRecord;
  result: ComparisonResult | null;
}

async function recountInputs(): Promise<Counted[]> {
  const latest = (await allDeclarations()).filter((d) => d.latest);
  return Promise.all(
    latest.map(async (declaration) => ({
      declaration,
      result: declaration.lastComparisonId ? ((await getComparison(declaration.lastComparisonId, true))!.result ?? null) : null,
    })),
  );
}

const round4 = (x: number) => Math.round(x * 1e4) / 1e4;

function forerunnerIds(counted: Counted[]): { ids: Set<string>; rankings: Map<string, string[]> } {
  const ids = new Set<string>();
  const rankings = new Map<string, string[]>();
  for (const scheme of schemes) {
    const ranked = counted
      .filter((c) => c.declaration.schemeId === scheme.id && c.result?.meets)
      .map((c) => ({
        id: c.declaration.id,
        score: c.result!.score,
        stricter: c.result!.indicators.filter((i) => i.verdict === 'stricter').length,
        createdAt: c.declaration.createdAt,
      }))
      .sort((a, b) => b.score - a.score || b.stricter - a.stricter || a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
    const k = ranked.length === 0 ? 0 : Math.max(1, Math.ceil(scheme.leaderShare * ranked.length - 1e-9));
    ranked.slice(0, k).forEach((r) => ids.add(r.id));
    rankings.set(scheme.id, ranked.map((r) => r.id));
  }
  return { ids, rankings };
}

function recount(counted: Counted[], keyOf: (d: DeclarationRecord) => string, forerunners: Set<string>): Group[] {
  const groups = new Map<string, Counted[]>();
  for (const c of counted) groups.set(keyOf(c.declaration), [...(groups.get(keyOf(c.declaration)) ?? []), c]);
  return [...groups.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([key, members]) => {
      const compared = members.filter((m) => m.result);
      const meeting = compared.filter((m) => m.result!.meets).length;
      const consistencies = compared.map((m) => m.result!.consistency).filter((c): c is number => c !== null);
      const level = (name: string) => compared.filter((m) => m.result!.level === name).length;
      return {
        key,
        enterprises: new Set(members.map((m) => m.declaration.creditCode)).size,
        declarations: members.length,
        compared: compared.length,
        meeting,
        meetingRate: compared.length ? round4(meeting / compared.length) : null,
        levels: { superior: level('superior'), partially_superior: level('partially_superior'), equivalent: level('equivalent'), below: level('below') },
        meanConsistency: consistencies.length ? round4(consistencies.reduce((s, c) => s + c, 0) / consistencies.length) : null,
        forerunners: members.filter((m) => forerunners.has(m.declaration.id)).length,
      };
    });
}

const keys: Record<string, (d: DeclarationRecord) => string> = {
  province: (d) => `${d.divisionCode.slice(0, 2)}0000`,
  city: (d) => `${d.divisionCode.slice(0, 4)}00`,
  industry: (d) => d.industry,
  scheme: (d) => d.schemeId,
  round: (d) => rounds.get(`${d.divisionCode.slice(0, 4)}00`) ?? 'none',
};

const stats = (client: ApiClient, query: string) => client.call<{ groups: Group[] }>('GET', `/v1/stats?${query}`);

describe('counters against a recount', () => {
  let counted: Counted[];
  let forerunners: ReturnType<typeof forerunnerIds>;

  beforeAll(async () => {
    await runSequence();
    counted = await recountInputs();
    forerunners = forerunnerIds(counted);
  }, 900_000);

  it('ran a sequence that exercises every kind of change', async () => {
    const all = await allDeclarations();
    expect(all.some((d) => !d.latest)).toBe(true);
    expect(new Set(counted.map((c) => c.declaration.status)).size).toBeGreaterThanOrEqual(4);
    expect(counted.some((c) => c.result?.meets)).toBe(true);
    expect(counted.some((c) => c.result && !c.result.meets)).toBe(true);
    expect(forerunners.ids.size).toBeGreaterThan(1);
    expect(deliveries.batches).toBeGreaterThan(0);
  });

  it('agrees on every grouping, nationally, per province and per scheme', async () => {
    for (const [groupBy, keyOf] of Object.entries(keys)) {
      expect((await stats(t.admin, `groupBy=${groupBy}`)).groups, `national by ${groupBy}`).toEqual(recount(counted, keyOf, forerunners.ids));
      const zhejiang = counted.filter((c) => c.declaration.divisionCode.startsWith('33'));
      expect((await stats(bureaus.get('330000')!, `groupBy=${groupBy}`)).groups, `Zhejiang by ${groupBy}`).toEqual(recount(zhejiang, keyOf, forerunners.ids));
      const ningbo = counted.filter((c) => c.declaration.divisionCode.startsWith('3302'));
      expect((await stats(bureaus.get('330200')!, `groupBy=${groupBy}`)).groups, `Ningbo by ${groupBy}`).toEqual(recount(ningbo, keyOf, forerunners.ids));
      for (const scheme of schemes) {
        const inScheme = counted.filter((c) => c.declaration.schemeId === scheme.id);
        expect((await stats(t.admin, `groupBy=${groupBy}&schemeId=${scheme.id}`)).groups, `scheme by ${groupBy}`).toEqual(
          recount(inScheme, keyOf, forerunners.ids),
        );
      }
    }
  });

  it('ranks every meeting declaration as a recount of §3 does', async () => {
    for (const scheme of schemes) {
      const ids: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { items: { declarationId: string; rank: number }[]; nextCursor: string | null } = await t.admin.call(
          'GET',
          `/v1/schemes/${scheme.id}/ranking?limit=3${cursor ? `&cursor=${cursor}` : ''}`,
        );
        ids.push(...page.items.map((i) => i.declarationId));
        cursor = page.nextCursor;
      } while (cursor);
      expect(ids).toEqual(forerunners.rankings.get(scheme.id));
    }
  });

  it('computes indicator consistency and public results from the same declarations', async () => {
    const verdicts = counted.flatMap((c) => c.result?.indicators ?? []).filter((i) => i.verdict !== 'incomparable');
    const agreeing = verdicts.filter((i) => i.verdict === 'stricter' || i.verdict === 'equal').length;
    const kpis = await t.admin.call<{ indicatorConsistency: { agreeing: number; compared: number } }>('GET', '/v1/kpis');
    expect(kpis.indicatorConsistency).toMatchObject({ agreeing, compared: verdicts.length });

    const accepted = counted.filter((c) => c.declaration.status === 'accepted' && c.result).map((c) => `${c.declaration.creditCode}|${c.declaration.product}|${c.declaration.schemeId}`);
    const shown = ((await (await t.fetch('/v1/public/results?limit=100')).json()) as { items: { creditCode: string; product: string; schemeId: string }[] }).items;
    expect(shown.map((r) => `${r.creditCode}|${r.product}|${r.schemeId}`).sort()).toEqual(accepted.sort());
  });

  it('changes nothing when the latest and older images are delivered again', async () => {
    const before = await Promise.all(Object.keys(keys).map((groupBy) => stats(t.admin, `groupBy=${groupBy}`)));
    const all = await allDeclarations();
    const record = (item: Record<string, unknown>): DynamoDBRecord => ({
      eventName: 'MODIFY',
      dynamodb: { NewImage: marshall(item, { removeUndefinedValues: true }) as never },
    });
    // Current images, and each one as it was a version earlier (still latest, not compared).
    const records = all.flatMap((d) => [
      record(declarationItem({ ...d, version: d.version - 1, latest: true, lastComparisonId: null, status: 'submitted' })),
      record(declarationItem(d)),
    ]);
    await aggregate({ Records: records }, lambdaContext('replay'));
    await aggregate({ Records: records.reverse() }, lambdaContext('replay'));
    const after = await Promise.all(Object.keys(keys).map((groupBy) => stats(t.admin, `groupBy=${groupBy}`)));
    expect(after).toEqual(before);
  });
});

describe('the conditional review step', () => {
  it('lets exactly one of two decisions made on the same read commit', async () => {
    const e = enterprises[0]!;
    const city = bureaus.get('330100')!;
    const { id } = await city.call<{ id: string }>('POST', '/v1/declarations', {
      creditCode: e.code,
      schemeId: schemes[0]!.id,
      product: '条件写入样品',
      standardNumber: 'Q/RP 1-2024',
      indicators: indicators(generator(1)),
    });
    await t.platform.stepFunctions.idle();
    const seen = (await getDeclaration(id, true))!;
    expect(seen.status).toBe('compared');
    const review = (n: number, to: 'city_recommended' | 'returned') => ({
      id: `REVIEW${n}`,
      declarationId: id,
      creditCode: e.code,
      divisionCode: e.division,
      decision: to === 'returned' ? ('return' as const) : ('recommend' as const),
      from: 'compared' as const,
      to,
      comment: null,
      reviewer: { clientId: `c${n}`, role: 'city' as const, territory: '330100' },
      decidedAt: new Date().toISOString(),
    });
    const outcomes = await Promise.all([recordDecision(review(1, 'city_recommended'), seen.version), recordDecision(review(2, 'returned'), seen.version)]);
    expect(outcomes.sort()).toEqual(['done', 'stale']);
    const reviews = await city.call<{ items: unknown[] }>('GET', `/v1/declarations/${id}/reviews`);
    expect(reviews.items).toHaveLength(1);
  });
});


describe('records of different items out of order', () => {
  const record = (item: Record<string, unknown>): DynamoDBRecord => ({
    eventName: 'MODIFY',
    dynamodb: { NewImage: marshall(item, { removeUndefinedValues: true }) as never },
  });
  const deliver = (...items: DeclarationRecord[]) => aggregate({ Records: items.map((d) => record(declarationItem(d))) }, lambdaContext('order'));
  const beijing = () => stats(t.admin, 'groupBy=city&divisionCode=110000');

  it('takes an enterprise out when its only declaration is replaced first, and back in with the revision', async () => {
    // Shards deliver independently on AWS: the earlier declaration's "no longer latest" may come first.
    const now = new Date().toISOString();
    const first: DeclarationRecord = {
      id: 'ORDER-1',
      creditCode: creditCode('110105', 91),
      enterpriseName: '北京顺序企业',
      divisionCode: '110105',
      industry: '仪器仪表',
      schemeId: 'ORDER-SCHEME',
      schemeVersion: 1,
      product: '样品',
      standardNumber: 'Q/BJ 1-2024',
      indicators: [],
      status: 'submitted',
      comparisonId: null,
      lastComparisonId: null,
      revision: 1,
      supersedes: null,
      latest: true,
      version: 1,
      createdAt: now,
      updatedAt: now,
      createdBy: 'test',
    };
    await deliver(first);
    expect((await beijing()).groups).toEqual([expect.objectContaining({ key: '110100', enterprises: 1, declarations: 1 })]);
    await deliver({ ...first, latest: false, version: 2 });
    expect((await beijing()).groups).toEqual([]);
    await deliver({ ...first, id: 'ORDER-2', revision: 2, supersedes: first.id });
    expect((await beijing()).groups).toEqual([expect.objectContaining({ key: '110100', enterprises: 1, declarations: 1 })]);
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  allCellsOf,
  cellId,
  compareRank,
  contributionOf,
  type DeclarationImage,
  forerunnerCount,
  forerunnerStep,
  foldGroups,
  planChanges,
  rank,
  rankKey,
  refCountsOf,
  refCountId,
  emptyMetrics,
  addMetrics,
  metricsOf,
} from '../../shared/domain/aggregates.ts';
import type { ComparisonResult, IndicatorResult } from '../../shared/domain/comparison.ts';

const indicator = (code: string, verdict: IndicatorResult['verdict']): IndicatorResult => ({
  code,
  verdict,
  declared: 1,
  unit: null,
  benchmark: { standard: 'ISO 1:2020', value: 1 },
  gap: null,
  perBenchmark: [],
  core: true,
});

const result = (meets: boolean, score: number, verdicts: IndicatorResult['verdict'][]): ComparisonResult => ({
  meets,
  level: meets ? 'partially_superior' : 'below',
  consistency: 0.75,
  score,
  indicators: verdicts.map((v, i) => indicator(`i${i}`, v)),
});

const image = (overrides: Partial<DeclarationImage> = {}): DeclarationImage => ({
  id: 'D1',
  creditCode: 'E1',
  enterpriseName: '企业',
  divisionCode: '330106',
  industry: '纺织服装',
  schemeId: 'S1',
  product: '连体衣',
  standardNumber: 'Q/A 1-2024',
  status: 'compared',
  latest: true,
  lastComparisonId: 'C1',
  version: 2,
  createdAt: '2024-01-01T00:00:00.000Z',
  ...overrides,
});

describe('contributions', () => {
  it('count verdicts, stricter ones and consistency in 1e-4 units', () => {
    const c = contributionOf(image(), result(true, 0.25, ['stricter', 'equal', 'looser', 'incomparable']))!;
    expect(c).toMatchObject({ city: '330100', compared: true, meets: true, stricter: 1, agreeing: 2, verdicts: 3, consistencyE4: 7500 });
    expect(metricsOf(c)).toEqual({
      declarations: 1,
      compared: 1,
      meeting: 1,
      partiallySuperior: 1,
      consistencySumE4: 7500,
      consistencyCount: 1,
      verdictsAgreeing: 2,
      verdictsCompared: 3,
    });
  });

  it('are nothing for a superseded declaration and uncompared before the first comparison', () => {
    expect(contributionOf(image({ latest: false }), undefined)).toBeNull();
    expect(contributionOf(image({ lastComparisonId: null }), undefined)).toMatchObject({ compared: false, meets: false, level: null });
  });
});

describe('planning changes', () => {
  const before = contributionOf(image(), result(false, -0.25, ['equal', 'looser']))!;
  const after = contributionOf(image({ version: 3 }), result(true, 0.5, ['stricter', 'equal']))!;

  it('moves a declaration between levels in its eleven cells without moving its enterprise', () => {
    const refs = new Map(refCountsOf(before).map((r) => [refCountId(r), 1]));
    const plan = planChanges([{ declarationId: 'D1', version: 3, beforeVersion: 2, before, after }], refs);
    expect(plan.cells.size).toBe(11);
    for (const { delta } of plan.cells.values()) {
      expect(delta).toEqual({ meeting: 1, below: -1, partiallySuperior: 1, verdictsAgreeing: 1 });
    }
    expect(plan.refCounts.size).toBe(0);
    expect(plan.entryPuts).toHaveLength(1);
    expect(plan.entryDeletes).toHaveLength(0);
    expect(plan.rankings.get('S1')).toBe(1);
  });

  it('counts an enterprise once per cell however many declarations it has', () => {
    const first = contributionOf(image({ id: 'D1' }), undefined)!;
    const second = contributionOf(image({ id: 'D2', product: '睡袋' }), undefined)!;
    const plan = planChanges(
      [
        { declarationId: 'D1', version: 1, beforeVersion: null, before: null, after: first },
        { declarationId: 'D2', version: 1, beforeVersion: null, before: null, after: second },
      ],
      new Map(),
    );
    for (const { delta } of plan.cells.values()) expect(delta).toEqual({ declarations: 2, enterprises: 1 });
    expect([...plan.refCounts.values()].map((r) => [r.from, r.to])).toEqual([
      [0, 2],
      [0, 2],
    ]);
  });

  it('takes the enterprise out when its last declaration is superseded elsewhere... and not before', () => {
    const refs = new Map(refCountsOf(after).map((r) => [refCountId(r), 2]));
    const plan = planChanges([{ declarationId: 'D1', version: 4, beforeVersion: 3, before: after, after: null }], refs);
    for (const { delta } of plan.cells.values()) expect(delta.enterprises).toBeUndefined();
    expect(plan.entryDeletes).toHaveLength(1);
    expect(plan.rankings.get('S1')).toBe(-1);
    const last = planChanges([{ declarationId: 'D1', version: 4, beforeVersion: 3, before: after, after: null }], new Map(refCountsOf(after).map((r) => [refCountId(r), 1])));
    for (const { delta } of last.cells.values()) expect(delta.enterprises).toBe(-1);
  });

  it('rewrites a ranking entry only when it changes', () => {
    const same = planChanges([{ declarationId: 'D1', version: 4, beforeVersion: 3, before: after, after: { ...after } }], new Map());
    expect(same.entryPuts).toHaveLength(0);
    expect(same.rankings.size).toBe(0);
    const accepted = planChanges([{ declarationId: 'D1', version: 4, beforeVersion: 3, before: after, after: { ...after, status: 'accepted' } }], new Map());
    expect(accepted.entryPuts).toHaveLength(1);
    expect(accepted.entryDeletes).toHaveLength(0);
    expect(accepted.rankings.get('S1')).toBe(0);
  });
});

describe('ranking (domain.md §3)', () => {
  it('keeps 0.07 × 100 at 7 forerunners, at least one, none of none', () => {
    expect(forerunnerCount(100, 0.07)).toBe(7);
    expect(forerunnerCount(3, 0.1)).toBe(1);
    expect(forerunnerCount(11, 0.1)).toBe(2);
    expect(forerunnerCount(0, 0.1)).toBe(0);
  });

  it('orders by score, then stricter verdicts, then earlier submission', () => {
    const ranked = rank(
      [
        { declarationId: 'a', score: 0.5, stricter: 1, createdAt: '2024-01-02' },
        { declarationId: 'b', score: 0.5, stricter: 2, createdAt: '2024-01-03' },
        { declarationId: 'c', score: 0.9, stricter: 0, createdAt: '2024-01-04' },
        { declarationId: 'd', score: 0.5, stricter: 1, createdAt: '2024-01-01' },
      ],
      0.5,
    );
    expect(ranked.map((r) => [r.declarationId, r.rank, r.forerunner])).toEqual([
      ['c', 1, true],
      ['b', 2, true],
      ['d', 3, false],
      ['a', 4, false],
    ]);
  });

  it('has sort keys that order exactly like the ranking', () => {
    const candidate = fc.record({
      declarationId: fc.stringMatching(/^[0-9A-Z]{26}$/),
      score: fc.integer({ min: -10_000, max: 10_000 }).map((n) => n / 1e4),
      stricter: fc.integer({ min: 0, max: 300 }),
      createdAt: fc.integer({ min: 1.5e12, max: 1.9e12 }).map((ms) => new Date(ms).toISOString()),
    });
    fc.assert(
      fc.property(fc.array(candidate, { minLength: 2, maxLength: 30 }), (candidates) => {
        const byRank = [...candidates].sort(compareRank).map((c) => c.declarationId);
        const byKey = [...candidates].sort((a, b) => (rankKey(a) < rankKey(b) ? -1 : rankKey(a) > rankKey(b) ? 1 : 0)).map((c) => c.declarationId);
        expect(byKey).toEqual(byRank);
      }),
    );
  });
});

describe('forerunner steps', () => {
  const place = (city: string) => ({ city, industry: '纺织服装' });

  it('moves the counted set to the desired one with ±1 per cell', () => {
    const step = forerunnerStep('S1', new Map([['a', place('330100')]]), new Map([['b', place('320500')]]), 99);
    expect(step.complete).toBe(true);
    expect([...step.next.keys()]).toEqual(['b']);
    const deltas = new Map(step.cells.map((c) => [cellId(c.cell), c.delta]));
    // The two cities' own cells move; the nation's cells stay (one leaves, one enters).
    expect(deltas.get(cellId({ scope: 'ALL', dimension: 'CITY', area: '', key: '330100' }))).toBe(-1);
    expect(deltas.get(cellId({ scope: 'ALL', dimension: 'CITY', area: '', key: '320500' }))).toBe(1);
    expect(deltas.has(cellId({ scope: 'ALL', dimension: 'IND', area: 'CN', key: '纺织服装' }))).toBe(false);
  });

  it('splits a change that touches more cells than one transaction holds', () => {
    const desired = new Map(['330100', '320500', '440300', '350100', '370200', '510100', '420100', '110100', '120100', '130100'].map((city, i) => [`d${i}`, place(city)]));
    const first = forerunnerStep('S1', new Map(), desired, 30);
    expect(first.complete).toBe(false);
    expect(first.cells.length).toBeLessThanOrEqual(30);
    let current = first.next;
    for (let i = 0; i < 20 && current.size < desired.size; i++) current = forerunnerStep('S1', current, desired, 30).next;
    expect([...current.keys()].sort()).toEqual([...desired.keys()].sort());
  });
});

describe('groups', () => {
  it('fold cells, compute rates and leave out empty groups', () => {
    const c = contributionOf(image(), result(true, 0.25, ['stricter', 'equal', 'looser']))!;
    const m = addMetrics(emptyMetrics(), metricsOf(c)) as ReturnType<typeof emptyMetrics>;
    const cells = [
      { key: '330100', metrics: { ...m, enterprises: 1 } },
      { key: '330200', metrics: { ...m, enterprises: 1, meeting: 0, partiallySuperior: 0, below: 1 } },
      { key: '320500', metrics: emptyMetrics() },
    ];
    const groups = foldGroups(cells, (x) => x.metrics, (x) => `${x.key.slice(0, 2)}0000`);
    expect(groups).toEqual([
      {
        key: '330000',
        enterprises: 2,
        declarations: 2,
        compared: 2,
        meeting: 1,
        meetingRate: 0.5,
        levels: { superior: 0, partially_superior: 1, equivalent: 0, below: 1 },
        meanConsistency: 0.75,
        forerunners: 0,
      },
    ]);
  });

  it('put a declaration into eleven distinct cells', () => {
    expect(new Set(allCellsOf('S1', '330100', '纺织服装').map(cellId)).size).toBe(11);
  });
});


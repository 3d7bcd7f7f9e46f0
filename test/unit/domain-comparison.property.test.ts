import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  compareDeclaration,
  indicatorVerdict,
  referenceBenchmark,
  type Verdict,
} from '../../shared/domain/comparison.ts';
import type { DeclaredIndicator } from '../../shared/domain/declaration.ts';
import type { BenchmarkValue, Requirement, SchemeIndicator } from '../../shared/domain/scheme.ts';

const RANK: Record<Verdict, number> = { incomparable: -1, looser: 0, equal: 1, stricter: 2 };
const LEVELS = ['A', 'B', 'C', 'D'];

const num = fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true });
const band = fc.tuple(num, num).map(([a, b]): [number, number] => (a <= b ? [a, b] : [b, a]));

function valueFor(requirement: Requirement): fc.Arbitrary<BenchmarkValue> {
  switch (requirement) {
    case 'min':
    case 'max':
      return num;
    case 'range':
      return band;
    case 'levels':
      return fc.constantFrom(...LEVELS);
    case 'boolean':
      return fc.boolean();
  }
}

const requirement = fc.constantFrom<Requirement>('min', 'max', 'range', 'levels', 'boolean');

const indicator = (code: string): fc.Arbitrary<SchemeIndicator> =>
  requirement.chain((req) =>
    fc.record({
      code: fc.constant(code),
      name: fc.constant(code),
      requirement: fc.constant(req),
      core: fc.boolean(),
      weight: fc.double({ min: 0.1, max: 10, noNaN: true }),
      levels: fc.constant(req === 'levels' ? LEVELS : undefined),
      benchmarks: fc
        .array(valueFor(req), { minLength: 1, maxLength: 3 })
        .map((values) => values.map((value, i) => ({ standard: `GB ${i + 1}-2020`, value }))),
    }).map((i) => {
      if (i.levels === undefined) delete i.levels;
      return i as SchemeIndicator;
    }),
  );

const scheme = fc
  .integer({ min: 1, max: 6 })
  .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => indicator(`i${i}`))));

/** A scheme and a declaration that may omit indicators or give grades outside the list. */
const schemeAndDeclaration = scheme.chain((indicators) =>
  fc
    .tuple(
      ...indicators.map((ind) =>
        fc.option(
          ind.requirement === 'levels' ? fc.constantFrom(...LEVELS, 'Z') : valueFor(ind.requirement),
          { nil: undefined },
        ),
      ),
    )
    .map((values) => ({
      indicators,
      declared: values.flatMap((value, i): DeclaredIndicator[] =>
        value === undefined ? [] : [{ code: (indicators[i] as SchemeIndicator).code, value }],
      ),
    })),
);

describe('comparison properties', () => {
  it('making a min declared value larger never worsens its verdict', () => {
    fc.assert(
      fc.property(fc.array(num, { minLength: 1, maxLength: 3 }), num, num, (benchmarks, a, b) => {
        const ind: SchemeIndicator = {
          code: 'x',
          name: 'x',
          requirement: 'min',
          core: true,
          weight: 1,
          benchmarks: benchmarks.map((value, i) => ({ standard: `GB ${i + 1}-2020`, value })),
        };
        const [low, high] = a <= b ? [a, b] : [b, a];
        expect(RANK[indicatorVerdict(ind, high)]).toBeGreaterThanOrEqual(RANK[indicatorVerdict(ind, low)]);
      }),
    );
  });

  it('making a max declared value smaller never worsens its verdict', () => {
    fc.assert(
      fc.property(num, num, num, (benchmark, a, b) => {
        const ind: SchemeIndicator = {
          code: 'x',
          name: 'x',
          requirement: 'max',
          core: true,
          weight: 1,
          benchmarks: [{ standard: 'GB 1-2020', value: benchmark }],
        };
        const [low, high] = a <= b ? [a, b] : [b, a];
        expect(RANK[indicatorVerdict(ind, low)]).toBeGreaterThanOrEqual(RANK[indicatorVerdict(ind, high)]);
      }),
    );
  });

  it('the reference benchmark is at least as strict as every benchmark', () => {
    fc.assert(
      fc.property(indicator('x'), (ind) => {
        const ref = referenceBenchmark(ind).value;
        for (const b of ind.benchmarks) {
          if (ind.requirement === 'range') {
            const [rl, rh] = ref as [number, number];
            const [bl, bh] = b.value as [number, number];
            expect(rh - rl).toBeLessThanOrEqual(bh - bl + 1e-9 * Math.max(Math.abs(rh - rl), Math.abs(bh - bl)));
          } else {
            // Declaring the reference value is never looser than any benchmark.
            expect(indicatorVerdict({ ...ind, benchmarks: [b] }, ref)).not.toBe('looser');
          }
        }
      }),
    );
  });

  it('consistency lies in [0, 1] (or is null) and score in [-1, 1]', () => {
    fc.assert(
      fc.property(schemeAndDeclaration, ({ indicators, declared }) => {
        const r = compareDeclaration({ indicators }, declared);
        expect(r.indicators).toHaveLength(indicators.length);
        if (r.consistency !== null) {
          expect(r.consistency).toBeGreaterThanOrEqual(0);
          expect(r.consistency).toBeLessThanOrEqual(1);
        } else {
          expect(r.indicators.every((i) => i.verdict === 'incomparable')).toBe(true);
        }
        expect(r.score).toBeGreaterThanOrEqual(-1);
        expect(r.score).toBeLessThanOrEqual(1);
        expect(Math.round(r.score * 1e4) / 1e4).toBe(r.score);
      }),
    );
  });

  it('level and meets agree with the verdicts', () => {
    fc.assert(
      fc.property(schemeAndDeclaration, ({ indicators, declared }) => {
        const r = compareDeclaration({ indicators }, declared);
        const ok = (v: Verdict): boolean => v === 'stricter' || v === 'equal';
        const core = r.indicators.filter((i) => i.core);
        const meets = core.length > 0 ? core.every((i) => ok(i.verdict)) : r.indicators.every((i) => ok(i.verdict));
        expect(r.meets).toBe(meets);
        const stricter = r.indicators.filter((i) => i.verdict === 'stricter').length;
        if (!meets) expect(r.level).toBe('below');
        else if (stricter === r.indicators.length) expect(r.level).toBe('superior');
        else if (stricter > 0) expect(r.level).toBe('partially_superior');
        else expect(r.level).toBe('equivalent');
      }),
    );
  });

  it('a declaration equal to the reference everywhere is equivalent and meets', () => {
    fc.assert(
      fc.property(scheme, (indicators) => {
        const declared = indicators.map((ind) => ({ code: ind.code, value: referenceBenchmark(ind).value }));
        const r = compareDeclaration({ indicators }, declared);
        expect(r.indicators.every((i) => i.verdict === 'equal')).toBe(true);
        expect(r).toMatchObject({ meets: true, level: 'equivalent', consistency: 1, score: 0 });
      }),
    );
  });
});

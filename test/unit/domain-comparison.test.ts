import { describe, expect, it } from 'vitest';
import {
  compareDeclaration,
  compareIndicator,
  compareValues,
  indicatorVerdict,
  numbersEqual,
  referenceBenchmark,
} from '../../shared/domain/comparison.ts';
import { validateDeclaredIndicators, type DeclaredIndicatorInput } from '../../shared/domain/declaration.ts';
import type { Benchmark, Requirement, SchemeIndicator } from '../../shared/domain/scheme.ts';
import { infantTextiles, ledDownlight } from './domain-fixtures.ts';

function ind(requirement: Requirement, values: Benchmark['value'][], extra: Partial<SchemeIndicator> = {}): SchemeIndicator {
  return {
    code: extra.code ?? requirement,
    name: requirement,
    requirement,
    core: false,
    weight: 1,
    benchmarks: values.map((value, i) => ({ standard: `GB ${i + 1}-2020`, value })),
    ...extra,
  };
}

function declare(indicators: SchemeIndicator[], input: DeclaredIndicatorInput[]) {
  const r = validateDeclaredIndicators(indicators, input);
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.indicators;
}

describe('infant textiles class A (domain.md §5)', () => {
  const scheme = { indicators: infantTextiles() };
  const result = compareDeclaration(
    scheme,
    declare(scheme.indicators, [
      { code: 'lead', value: 90, unit: 'mg/kg' },
      { code: 'cadmium', value: 100, unit: 'mg/kg' },
      { code: 'phthalates', value: 0.1, unit: 'w-%' },
      { code: 'ph', value: [4.0, 7.5] },
    ]),
  );
  const byCode = Object.fromEntries(result.indicators.map((r) => [r.code, r]));

  it('lead 90 vs 90 mg/kg max is equal', () => {
    expect(byCode.lead).toMatchObject({ verdict: 'equal', gap: 0, declared: 90, unit: 'mg/kg', core: true });
  });

  it('cadmium 100 vs 40 mg/kg max is looser', () => {
    expect(byCode.cadmium).toMatchObject({ verdict: 'looser', declared: 100, benchmark: { standard: 'OEKO-TEX STANDARD 100', value: 40 } });
    expect(byCode.cadmium?.gap).toBeCloseTo(-1.5, 12);
  });

  it('phthalates 0.1 vs 0.1 w-% is equal', () => {
    expect(byCode.phthalates).toMatchObject({ verdict: 'equal', gap: 0, unit: 'w-%' });
  });

  it('pH 4.0-7.5 vs 4.0-7.5 is equal with no gap', () => {
    expect(byCode.ph).toMatchObject({ verdict: 'equal', gap: null, unit: null });
  });

  it('does not meet: a core indicator is looser', () => {
    expect(result.meets).toBe(false);
    expect(result.level).toBe('below');
    expect(result.consistency).toBe(0.75);
    // (0 + clamp(-1.5) + 0 + 0) / 4
    expect(result.score).toBe(-0.25);
  });

  it('keeps scheme order with one entry per indicator', () => {
    expect(result.indicators.map((r) => r.code)).toEqual(['lead', 'cadmium', 'phthalates', 'ph']);
    expect(byCode.lead?.perBenchmark).toEqual([{ standard: 'OEKO-TEX STANDARD 100', value: 90, verdict: 'equal' }]);
  });

  it('compares values declared in other units after conversion', () => {
    const r = compareDeclaration(
      scheme,
      declare(scheme.indicators, [
        { code: 'lead', value: 0.009, unit: '%' },
        { code: 'cadmium', value: 40000, unit: 'ug/kg' },
        { code: 'phthalates', value: 0.1, unit: 'w-%' },
        { code: 'ph', value: [4.0, 7.5] },
      ]),
    );
    expect(r.indicators.map((i) => i.verdict)).toEqual(['equal', 'equal', 'equal', 'equal']);
    expect(r.indicators[0]?.declared).toBe(90);
    expect(r).toMatchObject({ meets: true, level: 'equivalent', consistency: 1, score: 0 });
  });

  it('a cadmium limit of 0.003 % (30 mg/kg) is stricter than 40 mg/kg', () => {
    const r = compareDeclaration(
      scheme,
      declare(scheme.indicators, [
        { code: 'lead', value: 90 },
        { code: 'cadmium', value: 0.003, unit: '%' },
      ]),
    );
    expect(r.indicators[1]).toMatchObject({ verdict: 'stricter', declared: 30 });
    expect(r.indicators[1]?.gap).toBeCloseTo(0.25, 12);
    // Core indicators hold; the undeclared non-core ones are incomparable.
    expect(r).toMatchObject({ meets: true, level: 'partially_superior', consistency: 1 });
    expect(r.score).toBe(Math.round(((0 + 0.25 - 1 - 1) / 4) * 1e4) / 1e4);
  });
});

describe('range verdicts', () => {
  const band = ind('range', [[4.0, 7.5]]);
  it.each([
    [[4.0, 7.5], 'equal'],
    [[4.0 * (1 + 1e-12), 7.5], 'equal'],
    [[3.5, 7.0], 'looser'],
    [[4.5, 8.0], 'looser'],
    [[3.0, 9.0], 'looser'],
    [[8.0, 9.0], 'looser'],
    [[4.5, 7.0], 'stricter'],
    [[4.0, 7.0], 'stricter'],
    [[4.5, 7.5], 'stricter'],
    [[5.0, 5.0], 'stricter'],
  ] as const)('%j vs [4.0, 7.5] is %s', (declared, verdict) => {
    expect(indicatorVerdict(band, [declared[0], declared[1]])).toBe(verdict);
    expect(compareIndicator(band, [declared[0], declared[1]]).gap).toBeNull();
  });
});

describe('min, max, levels and boolean verdicts', () => {
  it('min: higher is stricter', () => {
    const i = ind('min', [95]);
    expect(indicatorVerdict(i, 100)).toBe('stricter');
    expect(indicatorVerdict(i, 95)).toBe('equal');
    expect(indicatorVerdict(i, 94.9)).toBe('looser');
  });

  it('max: lower is stricter', () => {
    const i = ind('max', [40]);
    expect(indicatorVerdict(i, 30)).toBe('stricter');
    expect(indicatorVerdict(i, 40)).toBe('equal');
    expect(indicatorVerdict(i, 41)).toBe('looser');
  });

  it('levels: a better (earlier) grade is stricter', () => {
    const i = ind('levels', ['2'], { levels: ['1', '2', '3'] });
    expect(indicatorVerdict(i, '1')).toBe('stricter');
    expect(indicatorVerdict(i, '2')).toBe('equal');
    expect(indicatorVerdict(i, '3')).toBe('looser');
    expect(compareIndicator(i, '1').gap).toBeNull();
  });

  it('levels: a grade no longer in the list is incomparable', () => {
    const i = ind('levels', ['2'], { levels: ['1', '2', '3'] });
    expect(indicatorVerdict(i, '4')).toBe('incomparable');
    expect(compareIndicator(i, 'A')).toMatchObject({ verdict: 'incomparable', gap: null, declared: 'A' });
  });

  it('boolean: true over false', () => {
    const required = ind('boolean', [true]);
    const optional = ind('boolean', [false]);
    expect(indicatorVerdict(required, true)).toBe('equal');
    expect(indicatorVerdict(required, false)).toBe('looser');
    expect(indicatorVerdict(optional, true)).toBe('stricter');
    expect(indicatorVerdict(optional, false)).toBe('equal');
  });

  it('a value of the wrong shape or no value is incomparable', () => {
    expect(indicatorVerdict(ind('min', [1]), 'x')).toBe('incomparable');
    expect(indicatorVerdict(ind('range', [[1, 2]]), 1)).toBe('incomparable');
    expect(indicatorVerdict(ind('boolean', [true]), 1)).toBe('incomparable');
    expect(indicatorVerdict(ind('min', [1]), null)).toBe('incomparable');
    expect(indicatorVerdict(ind('min', [1]), undefined)).toBe('incomparable');
  });

  it('compareValues compares against a single benchmark value', () => {
    expect(compareValues('max', 30, 40)).toBe('stricter');
    expect(compareValues('levels', 'A', 'B', ['A', 'B'])).toBe('stricter');
    expect(compareValues('levels', 'A', 'B')).toBe('incomparable');
    expect(compareValues('min', null, 1)).toBe('incomparable');
  });
});

describe('numeric equality tolerance', () => {
  it('uses |a - b| <= 1e-9 × max(|a|, |b|)', () => {
    expect(numbersEqual(90, 90 * (1 + 5e-10))).toBe(true);
    expect(numbersEqual(90, 90 * (1 + 2e-9))).toBe(false);
    expect(numbersEqual(0, 0)).toBe(true);
    expect(numbersEqual(0, 1e-300)).toBe(false);
    expect(numbersEqual(-5, -5 * (1 + 5e-10))).toBe(true);
    expect(indicatorVerdict(ind('min', [0.1 + 0.2]), 0.3)).toBe('equal');
  });
});

describe('reference benchmark', () => {
  it('min: the largest value, first listed on a tie', () => {
    expect(referenceBenchmark(ind('min', [80, 95, 60]))).toEqual({ standard: 'GB 2-2020', value: 95 });
    expect(referenceBenchmark(ind('min', [95, 80, 95]))).toEqual({ standard: 'GB 1-2020', value: 95 });
    expect(referenceBenchmark(ind('min', [95, 95 * (1 + 1e-12)]))).toEqual({ standard: 'GB 1-2020', value: 95 });
  });

  it('max: the smallest value', () => {
    expect(referenceBenchmark(ind('max', [90, 40, 75]))).toEqual({ standard: 'GB 2-2020', value: 40 });
    expect(referenceBenchmark(ind('max', [40, 40]))).toEqual({ standard: 'GB 1-2020', value: 40 });
  });

  it('range: the narrowest band', () => {
    expect(referenceBenchmark(ind('range', [[4, 9], [4, 7.5], [5, 9]])).value).toEqual([4, 7.5]);
    expect(referenceBenchmark(ind('range', [[4, 6], [5, 7]]))).toEqual({ standard: 'GB 1-2020', value: [4, 6] });
  });

  it('levels: the best grade; boolean: true', () => {
    expect(referenceBenchmark(ind('levels', ['3', '1', '2'], { levels: ['1', '2', '3'] })).value).toBe('1');
    expect(referenceBenchmark(ind('boolean', [false, true, true]))).toEqual({ standard: 'GB 2-2020', value: true });
    expect(referenceBenchmark(ind('boolean', [false, false]))).toEqual({ standard: 'GB 1-2020', value: false });
  });

  it('names the reference and gives the verdict against every benchmark', () => {
    const scheme = { indicators: ledDownlight() };
    const r = compareDeclaration(scheme, [{ code: 'efficacy', value: 90, unit: 'lm/W' }]);
    expect(r.indicators[0]).toMatchObject({
      verdict: 'looser',
      benchmark: { standard: 'T/TEST 1-2020', value: 95 },
      perBenchmark: [
        { standard: 'GB 30255-2019', value: 80, verdict: 'stricter' },
        { standard: 'T/TEST 1-2020', value: 95, verdict: 'looser' },
      ],
    });
    expect(r.indicators[0]?.gap).toBeCloseTo(-5 / 95, 12);
  });
});

describe('gap', () => {
  it('min and max are relative to |benchmark|', () => {
    expect(compareIndicator(ind('min', [80]), 100).gap).toBeCloseTo(0.25, 12);
    expect(compareIndicator(ind('min', [-10]), -5).gap).toBeCloseTo(0.5, 12);
    expect(compareIndicator(ind('max', [40]), 30).gap).toBeCloseTo(0.25, 12);
    expect(compareIndicator(ind('max', [40]), 50).gap).toBeCloseTo(-0.25, 12);
  });

  it('drops the division where the benchmark is 0', () => {
    expect(compareIndicator(ind('max', [0]), 0)).toMatchObject({ verdict: 'equal', gap: 0 });
    expect(compareIndicator(ind('max', [0]), 0.5)).toMatchObject({ verdict: 'looser', gap: -0.5 });
    expect(compareIndicator(ind('max', [0]), -2)).toMatchObject({ verdict: 'stricter', gap: 2 });
    expect(compareIndicator(ind('min', [0]), 3)).toMatchObject({ verdict: 'stricter', gap: 3 });
    expect(compareIndicator(ind('min', [0]), -0.25)).toMatchObject({ verdict: 'looser', gap: -0.25 });
  });

  it('is null for range, levels, boolean and undeclared indicators', () => {
    expect(compareIndicator(ind('boolean', [true]), true).gap).toBeNull();
    expect(compareIndicator(ind('min', [1]), null)).toMatchObject({ verdict: 'incomparable', gap: null, declared: null });
  });

  it('is 0 when equal within tolerance', () => {
    expect(compareIndicator(ind('max', [1000]), 1000.0000000000001).gap).toBe(0);
  });
});

describe('overall result', () => {
  it('a missing non-core indicator is incomparable and scores -1', () => {
    const indicators = [ind('max', [40], { code: 'a', core: true }), ind('max', [10], { code: 'b' })];
    const r = compareDeclaration({ indicators }, [{ code: 'a', value: 40 }]);
    expect(r.indicators.map((i) => i.verdict)).toEqual(['equal', 'incomparable']);
    expect(r).toMatchObject({ meets: true, level: 'equivalent', consistency: 1, score: -0.5 });
    expect(r.indicators[1]).toMatchObject({ declared: null, gap: null, perBenchmark: [{ verdict: 'incomparable' }] });
  });

  it('a non-core looser indicator does not stop meets', () => {
    const indicators = [ind('max', [40], { code: 'a', core: true }), ind('max', [10], { code: 'b' })];
    const r = compareDeclaration({ indicators }, [{ code: 'a', value: 30 }, { code: 'b', value: 20 }]);
    expect(r).toMatchObject({ meets: true, level: 'partially_superior', consistency: 0.5, score: -0.375 });
  });

  it('a scheme with no core indicator meets only without looser or incomparable', () => {
    const indicators = [ind('max', [40], { code: 'a' }), ind('min', [10], { code: 'b' })];
    expect(compareDeclaration({ indicators }, [{ code: 'a', value: 40 }, { code: 'b', value: 10 }])).toMatchObject({
      meets: true,
      level: 'equivalent',
    });
    expect(compareDeclaration({ indicators }, [{ code: 'a', value: 40 }, { code: 'b', value: 9 }])).toMatchObject({
      meets: false,
      level: 'below',
    });
    expect(compareDeclaration({ indicators }, [{ code: 'a', value: 30 }])).toMatchObject({
      meets: false,
      level: 'below',
      consistency: 1,
    });
  });

  it('superior when every indicator is stricter', () => {
    const scheme = { indicators: ledDownlight() };
    const r = compareDeclaration(scheme, [
      { code: 'efficacy', value: 100 },
      { code: 'pstlm', value: 0.5 },
      { code: 'svm', value: 0.2 },
      { code: 'grade', value: '1' },
      { code: 'dimmable', value: true },
    ]);
    expect(r.indicators.map((i) => i.verdict)).toEqual(['stricter', 'stricter', 'stricter', 'equal', 'equal']);
    expect(r.level).toBe('partially_superior');
    const all = compareDeclaration({ indicators: [ind('min', [1]), ind('boolean', [false])] }, [
      { code: 'min', value: 2 },
      { code: 'boolean', value: true },
    ]);
    expect(all).toMatchObject({ meets: true, level: 'superior', consistency: 1, score: 1 });
  });

  it('weights the score, clamps gaps and rounds to 4 places', () => {
    const indicators = [
      ind('min', [3], { code: 'a', weight: 2 }),
      ind('max', [3], { code: 'b', weight: 1 }),
      ind('boolean', [true], { code: 'c', weight: 3 }),
    ];
    const r = compareDeclaration({ indicators }, [
      { code: 'a', value: 4 }, // gap 1/3
      { code: 'b', value: 30 }, // gap -9, clamped to -1
      { code: 'c', value: false }, // looser, -1
    ]);
    expect(r.score).toBe(Math.round(((2 / 3 - 1 - 3) / 6) * 1e4) / 1e4);
    expect(r.consistency).toBe(0.3333);
  });

  it('consistency is null when nothing is comparable', () => {
    const r = compareDeclaration({ indicators: [ind('min', [1])] }, []);
    expect(r).toMatchObject({ meets: false, level: 'below', consistency: null, score: -1 });
  });

  it('ignores declared codes the scheme does not have', () => {
    const r = compareDeclaration({ indicators: [ind('min', [1])] }, [
      { code: 'gone', value: 5 },
      { code: 'min', value: 1 },
    ]);
    expect(r.indicators).toHaveLength(1);
    expect(r).toMatchObject({ meets: true, level: 'equivalent', score: 0 });
  });

  it('a grade removed in a newer scheme version is incomparable', () => {
    const v2 = ind('levels', ['2'], { code: 'g', core: true, levels: ['1', '2'] });
    const r = compareDeclaration({ indicators: [v2] }, [{ code: 'g', value: '3' }]);
    expect(r).toMatchObject({ meets: false, level: 'below', consistency: null, score: -1 });
    expect(r.indicators[0]?.verdict).toBe('incomparable');
  });
});

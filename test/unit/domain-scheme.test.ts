import { describe, expect, it } from 'vitest';
import { schemeIndicatorIssues, type SchemeIndicator } from '../../shared/domain/scheme.ts';
import { infantTextiles, ledDownlight } from './domain-fixtures.ts';

function indicator(overrides: Partial<SchemeIndicator>): SchemeIndicator {
  return {
    code: 'x',
    name: 'X',
    requirement: 'max',
    core: false,
    weight: 1,
    benchmarks: [{ standard: 'ISO 1234:2020', value: 1 }],
    ...overrides,
  };
}

describe('schemeIndicatorIssues', () => {
  it('accepts the sample schemes', () => {
    expect(schemeIndicatorIssues(infantTextiles())).toEqual([]);
    expect(schemeIndicatorIssues(ledDownlight())).toEqual([]);
  });

  it('requires at least one indicator', () => {
    expect(schemeIndicatorIssues([])).toEqual([{ path: ['indicators'], code: 'indicators_required' }]);
  });

  it('reports a repeated indicator code at the repeat', () => {
    const issues = schemeIndicatorIssues([indicator({ code: 'a' }), indicator({ code: 'b' }), indicator({ code: 'a' })]);
    expect(issues).toEqual([{ path: ['indicators', 2, 'code'], code: 'duplicate_indicator_code', params: { code: 'a' } }]);
  });

  it('requires a non-empty levels list exactly for levels indicators', () => {
    expect(schemeIndicatorIssues([indicator({ requirement: 'levels', benchmarks: [{ standard: 'GB 1-2020', value: '1' }] })])).toEqual([
      { path: ['indicators', 0, 'levels'], code: 'levels_required' },
    ]);
    expect(
      schemeIndicatorIssues([indicator({ requirement: 'levels', levels: [], benchmarks: [{ standard: 'GB 1-2020', value: '1' }] })]),
    ).toEqual([{ path: ['indicators', 0, 'levels'], code: 'levels_required' }]);
    expect(schemeIndicatorIssues([indicator({ levels: ['1', '2'] })])).toEqual([
      { path: ['indicators', 0, 'levels'], code: 'levels_not_allowed', params: { requirement: 'max' } },
    ]);
  });

  it('rejects repeated grades', () => {
    expect(
      schemeIndicatorIssues([
        indicator({ requirement: 'levels', levels: ['1', '2', '1'], benchmarks: [{ standard: 'GB 1-2020', value: '1' }] }),
      ]),
    ).toEqual([{ path: ['indicators', 0, 'levels', 2], code: 'duplicate_level', params: { level: '1' } }]);
  });

  it.each([
    ['min', 'high'],
    ['min', [1, 2]],
    ['max', true],
    ['max', Number.NaN],
    ['max', Number.POSITIVE_INFINITY],
    ['range', 3],
    ['range', [5, 4]],
    ['range', [1]],
    ['range', [1, 'x']],
    ['boolean', 'true'],
    ['boolean', 1],
  ] as const)('flags a %s benchmark value %j', (requirement, value) => {
    const issues = schemeIndicatorIssues([
      indicator({ requirement, benchmarks: [{ standard: 'GB 1-2020', value: value as never }] }),
    ]);
    expect(issues).toEqual([
      { path: ['indicators', 0, 'benchmarks', 0, 'value'], code: 'benchmark_value_mismatch', params: { requirement } },
    ]);
  });

  it('requires a levels benchmark to be a grade of the list', () => {
    const issues = schemeIndicatorIssues([
      indicator({
        requirement: 'levels',
        levels: ['1', '2', '3'],
        benchmarks: [
          { standard: 'GB 1-2020', value: '2' },
          { standard: 'ISO 1:2020', value: '4' },
          { standard: 'EN 1:2020', value: 1 },
        ],
      }),
    ]);
    expect(issues).toEqual([
      { path: ['indicators', 0, 'benchmarks', 1, 'value'], code: 'benchmark_value_mismatch', params: { requirement: 'levels' } },
      { path: ['indicators', 0, 'benchmarks', 2, 'value'], code: 'benchmark_value_mismatch', params: { requirement: 'levels' } },
    ]);
  });

  it('accepts a degenerate range band', () => {
    expect(schemeIndicatorIssues([indicator({ requirement: 'range', benchmarks: [{ standard: 'GB 1-2020', value: [5, 5] }] })])).toEqual([]);
  });

  it('rejects a unit on levels and boolean indicators', () => {
    expect(
      schemeIndicatorIssues([
        indicator({ requirement: 'boolean', unit: 'W', benchmarks: [{ standard: 'GB 1-2020', value: true }] }),
        indicator({ code: 'y', requirement: 'levels', unit: 'W', levels: ['A'], benchmarks: [{ standard: 'GB 1-2020', value: 'A' }] }),
      ]),
    ).toEqual([
      { path: ['indicators', 0, 'unit'], code: 'unit_not_allowed', params: { unit: 'W' } },
      { path: ['indicators', 1, 'unit'], code: 'unit_not_allowed', params: { unit: 'W' } },
    ]);
  });

  it('requires at least one benchmark', () => {
    expect(schemeIndicatorIssues([indicator({ benchmarks: [] })])).toEqual([
      { path: ['indicators', 0, 'benchmarks'], code: 'benchmarks_required' },
    ]);
  });

  it('rejects the same standard twice for one indicator, in any spelling', () => {
    const issues = schemeIndicatorIssues([
      indicator({
        benchmarks: [
          { standard: 'GB/T 1.2-2020', value: 1 },
          { standard: 'ISO 1:2020', value: 2 },
          { standard: 'ＧＢ／Ｔ1.2—2020', value: 3 },
        ],
      }),
      indicator({ code: 'y', benchmarks: [{ standard: 'GB/T 1.2-2020', value: 1 }] }),
    ]);
    expect(issues).toEqual([
      { path: ['indicators', 0, 'benchmarks', 2, 'standard'], code: 'duplicate_benchmark', params: { standard: 'GB/T 1.2-2020' } },
    ]);
  });

  it('rejects an invalid standard number', () => {
    expect(schemeIndicatorIssues([indicator({ benchmarks: [{ standard: 'GB/T abc', value: 1 }] })])).toEqual([
      { path: ['indicators', 0, 'benchmarks', 0, 'standard'], code: 'invalid_standard_number', params: { number: 'GB/T abc' } },
    ]);
  });

  it('rejects a weight that is not positive', () => {
    expect(schemeIndicatorIssues([indicator({ weight: 0 })])).toEqual([
      { path: ['indicators', 0, 'weight'], code: 'weight_not_positive' },
    ]);
  });

  it('collects every issue', () => {
    const issues = schemeIndicatorIssues([
      indicator({ code: 'a', requirement: 'boolean', unit: '%', benchmarks: [] }),
      indicator({ code: 'a', levels: ['1'], benchmarks: [{ standard: 'ISO 1:2020', value: 'x' }] }),
    ]);
    expect(issues.map((i) => i.code).sort()).toEqual(
      ['benchmark_value_mismatch', 'benchmarks_required', 'duplicate_indicator_code', 'levels_not_allowed', 'unit_not_allowed'].sort(),
    );
  });
});

import { describe, expect, it } from 'vitest';
import { validateDeclaredIndicators } from '../../shared/domain/declaration.ts';
import { infantTextiles, ledDownlight } from './domain-fixtures.ts';

describe('validateDeclaredIndicators', () => {
  it('accepts a complete declaration in the scheme units', () => {
    const r = validateDeclaredIndicators(infantTextiles(), [
      { code: 'lead', value: 90, unit: 'mg/kg' },
      { code: 'cadmium', value: 100 },
      { code: 'phthalates', value: 0.1, unit: 'w-%' },
      { code: 'ph', value: [4.0, 7.5] },
    ]);
    expect(r).toEqual({
      ok: true,
      indicators: [
        { code: 'lead', value: 90, unit: 'mg/kg' },
        { code: 'cadmium', value: 100, unit: 'mg/kg' },
        { code: 'phthalates', value: 0.1, unit: 'w-%' },
        { code: 'ph', value: [4.0, 7.5] },
      ],
    });
  });

  it('converts values in another unit and keeps the original', () => {
    const r = validateDeclaredIndicators(infantTextiles(), [
      { code: 'lead', value: 0.009, unit: '%' },
      { code: 'cadmium', value: 0.04, unit: 'g/kg' },
    ]);
    expect(r).toEqual({
      ok: true,
      indicators: [
        { code: 'lead', value: 90, unit: 'mg/kg', original: { value: 0.009, unit: '%' } },
        { code: 'cadmium', value: 40, unit: 'mg/kg', original: { value: 0.04, unit: 'g/kg' } },
      ],
    });
  });

  it('converts both ends of a range', () => {
    const r = validateDeclaredIndicators(
      [{ code: 't', name: 'T', unit: 'mm', requirement: 'range', core: true, weight: 1, benchmarks: [{ standard: 'ISO 1:2020', value: [1, 2] }] }],
      [{ code: 't', value: [0.0011, 0.0019], unit: 'm' }],
    );
    expect(r).toEqual({
      ok: true,
      indicators: [{ code: 't', value: [1.1, 1.9], unit: 'mm', original: { value: [0.0011, 0.0019], unit: 'm' } }],
    });
  });

  it('gives no original for the same unit spelled differently', () => {
    const r = validateDeclaredIndicators(infantTextiles(), [
      { code: 'lead', value: 90, unit: ' ｍｇ／ｋｇ' },
      { code: 'cadmium', value: 40 },
    ]);
    expect(r.ok && r.indicators[0]).toEqual({ code: 'lead', value: 90, unit: 'mg/kg' });
  });

  it('accepts the grade and boolean indicators, matching a full-width grade', () => {
    const r = validateDeclaredIndicators(ledDownlight(), [
      { code: 'efficacy', value: 100 },
      { code: 'grade', value: '１' },
      { code: 'dimmable', value: false },
    ]);
    expect(r).toEqual({
      ok: true,
      indicators: [
        { code: 'efficacy', value: 100, unit: 'lm/W' },
        { code: 'grade', value: '1' },
        { code: 'dimmable', value: false },
      ],
    });
  });

  it('reports unknown and repeated codes', () => {
    const r = validateDeclaredIndicators(infantTextiles(), [
      { code: 'lead', value: 90 },
      { code: 'mercury', value: 1 },
      { code: 'cadmium', value: 40 },
      { code: 'lead', value: 80 },
    ]);
    expect(r).toEqual({
      ok: false,
      issues: [
        { path: ['indicators', 1, 'code'], code: 'unknown_indicator', params: { code: 'mercury' } },
        { path: ['indicators', 3, 'code'], code: 'duplicate_indicator', params: { code: 'lead' } },
      ],
    });
  });

  it.each([
    ['lead', 'max', '90'],
    ['lead', 'max', null],
    ['lead', 'max', Number.NaN],
    ['lead', 'max', [1, 2]],
    ['ph', 'range', 5],
    ['ph', 'range', [4]],
    ['ph', 'range', [4, 5, 6]],
    ['ph', 'range', [4, '7']],
  ])('reports a %s value that does not fit %s: %j', (code, requirement, value) => {
    const r = validateDeclaredIndicators(infantTextiles(), [
      { code: 'lead', value: code === 'lead' ? value : 1 },
      { code: 'cadmium', value: 1 },
      ...(code === 'ph' ? [{ code, value }] : []),
    ]);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.issues).toHaveLength(1);
      expect(r.issues[0]).toMatchObject({ code: 'value_mismatch', params: { requirement } });
      expect(r.issues[0]?.path[2]).toBe('value');
    }
  });

  it('reports an inverted range', () => {
    const r = validateDeclaredIndicators(infantTextiles(), [
      { code: 'lead', value: 1 },
      { code: 'cadmium', value: 1 },
      { code: 'ph', value: [7.5, 4] },
    ]);
    expect(r).toEqual({ ok: false, issues: [{ path: ['indicators', 2, 'value'], code: 'range_inverted', params: { low: 7.5, high: 4 } }] });
  });

  it('reports a grade not in the list and wrong types for levels and boolean', () => {
    const r = validateDeclaredIndicators(ledDownlight(), [
      { code: 'efficacy', value: 90 },
      { code: 'grade', value: '4' },
      { code: 'dimmable', value: 'yes' },
    ]);
    expect(r).toEqual({
      ok: false,
      issues: [
        { path: ['indicators', 1, 'value'], code: 'level_not_in_list', params: { level: '4', levels: '1, 2, 3' } },
        { path: ['indicators', 2, 'value'], code: 'value_mismatch', params: { requirement: 'boolean' } },
      ],
    });
    const n = validateDeclaredIndicators(ledDownlight(), [{ code: 'efficacy', value: 90 }, { code: 'grade', value: 1 }]);
    expect(!n.ok && n.issues).toEqual([{ path: ['indicators', 1, 'value'], code: 'value_mismatch', params: { requirement: 'levels' } }]);
  });

  it('reports unit problems at the unit field', () => {
    const r = validateDeclaredIndicators([...infantTextiles(), ...ledDownlight()], [
      { code: 'lead', value: 1, unit: 'W' },
      { code: 'cadmium', value: 1, unit: 'bananas' },
      { code: 'phthalates', value: 0.1, unit: '%' },
      { code: 'ph', value: [4, 7], unit: 'pH' },
      { code: 'efficacy', value: 100, unit: 'lm/kW' },
      { code: 'grade', value: '1', unit: 'W' },
    ]);
    expect(r).toEqual({
      ok: false,
      issues: [
        { path: ['indicators', 0, 'unit'], code: 'unit_incompatible', params: { unit: 'W', expected: 'mg/kg' } },
        { path: ['indicators', 1, 'unit'], code: 'unit_unknown', params: { unit: 'bananas', expected: 'mg/kg' } },
        { path: ['indicators', 2, 'unit'], code: 'unit_incompatible', params: { unit: '%', expected: 'w-%' } },
        { path: ['indicators', 3, 'unit'], code: 'unit_not_allowed', params: { unit: 'pH', expected: '' } },
        { path: ['indicators', 5, 'unit'], code: 'unit_not_allowed', params: { unit: 'W', expected: '' } },
      ],
    });
  });

  it('reports a unit that is not a string as unknown', () => {
    const r = validateDeclaredIndicators(infantTextiles(), [
      { code: 'lead', value: 1, unit: 5 as unknown as string },
      { code: 'cadmium', value: 1 },
    ]);
    expect(r).toEqual({
      ok: false,
      issues: [{ path: ['indicators', 0, 'unit'], code: 'unit_unknown', params: { unit: '5', expected: 'mg/kg' } }],
    });
  });

  it('requires every core indicator and allows omitting the others', () => {
    expect(validateDeclaredIndicators(infantTextiles(), [{ code: 'lead', value: 1 }, { code: 'cadmium', value: 1 }]).ok).toBe(true);
    expect(validateDeclaredIndicators(infantTextiles(), [{ code: 'ph', value: [4, 7] }])).toEqual({
      ok: false,
      issues: [
        { path: ['indicators'], code: 'core_indicator_missing', params: { code: 'lead' } },
        { path: ['indicators'], code: 'core_indicator_missing', params: { code: 'cadmium' } },
      ],
    });
  });

  it('collects every issue of a declaration', () => {
    const r = validateDeclaredIndicators(infantTextiles(), [
      { code: 'lead', value: 'ninety', unit: 'kW' },
      { code: 'nope', value: 1 },
      { code: 'ph', value: [8, 4] },
    ]);
    expect(!r.ok && r.issues.map((i) => i.code)).toEqual([
      'value_mismatch',
      'unit_incompatible',
      'unknown_indicator',
      'range_inverted',
      'core_indicator_missing',
    ]);
  });
});

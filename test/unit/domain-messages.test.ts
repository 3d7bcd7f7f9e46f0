import { describe, expect, it } from 'vitest';
import { hasMessage, translate } from '../../shared/i18n/messages.ts';
import type { DomainIssue } from '../../shared/domain/issues.ts';
import { schemeIndicatorIssues, type SchemeIndicator } from '../../shared/domain/scheme.ts';
import { validateDeclaredIndicators } from '../../shared/domain/declaration.ts';
import { infantTextiles, ledDownlight } from './domain-fixtures.ts';

const DOMAIN_CODES = [
  'invalid_credit_code',
  'invalid_division_code',
  'invalid_standard_number',
  'unit_not_allowed',
  'unit_unknown',
  'unit_incompatible',
  'value_mismatch',
  'range_inverted',
  'level_not_in_list',
  'unknown_indicator',
  'duplicate_indicator',
  'core_indicator_missing',
  'duplicate_indicator_code',
  'indicators_required',
  'levels_required',
  'levels_not_allowed',
  'duplicate_level',
  'benchmark_value_mismatch',
  'benchmarks_required',
  'duplicate_benchmark',
  'weight_not_positive',
];

function badSchemeIssues(): DomainIssue[] {
  const base: SchemeIndicator = {
    code: 'a',
    name: 'A',
    requirement: 'levels',
    core: false,
    weight: 0,
    unit: 'W',
    levels: ['1', '1'],
    benchmarks: [
      { standard: 'GB/T abc', value: '9' },
      { standard: 'ISO 1:2020', value: '1' },
      { standard: 'ISO 1:2020', value: '1' },
    ],
  };
  return [
    ...schemeIndicatorIssues([]),
    ...schemeIndicatorIssues([base, { ...base, levels: [] }, { ...base, requirement: 'max', benchmarks: [] }]),
  ];
}

function badDeclarationIssues(): DomainIssue[] {
  const r = validateDeclaredIndicators([...infantTextiles(), ...ledDownlight()], [
    { code: 'lead', value: 'x', unit: 'W' },
    { code: 'lead', value: 1 },
    { code: 'nope', value: 1 },
    { code: 'cadmium', value: 1, unit: 'bananas' },
    { code: 'ph', value: [9, 1], unit: 'pH' },
    { code: 'grade', value: '9' },
  ]);
  return r.ok ? [] : r.issues;
}

describe('domain issue messages', () => {
  it('has a zh and en text for every domain code', () => {
    for (const code of DOMAIN_CODES) expect(hasMessage(code), code).toBe(true);
  });

  it('fills every placeholder from the params the domain core emits', () => {
    const issues = [...badSchemeIssues(), ...badDeclarationIssues()];
    const emitted = new Set(issues.map((i) => i.code));
    // The fixtures above reach every code the core emits itself.
    for (const code of DOMAIN_CODES.filter((c) => !['invalid_credit_code', 'invalid_division_code'].includes(c))) {
      expect(emitted.has(code), code).toBe(true);
    }
    for (const issue of issues) {
      expect(hasMessage(issue.code), issue.code).toBe(true);
      for (const language of ['zh', 'en'] as const) {
        expect(translate(issue.code, language, issue.params), `${issue.code} ${language}`).not.toMatch(/\{\w+\}/);
      }
    }
  });

  it('gives the identifier codes texts that need no params', () => {
    for (const code of ['invalid_credit_code', 'invalid_division_code', 'invalid_standard_number', 'unit_not_allowed']) {
      expect(translate(code, 'zh')).not.toMatch(/\{\w+\}/);
      expect(translate(code, 'en')).not.toMatch(/\{\w+\}/);
    }
  });
});

/** Technical schemes (对标技术方案): indicators with benchmark values, and their cross-field checks. */
import type { DomainIssue } from './issues.ts';
import { normalizeStandardNumber } from './standard-number.ts';

export type Requirement = 'min' | 'max' | 'range' | 'levels' | 'boolean';

export type BenchmarkValue = number | [number, number] | string | boolean;

export interface Benchmark {
  standard: string;
  value: BenchmarkValue;
}

export interface SchemeIndicator {
  code: string;
  name: string;
  unit?: string;
  requirement: Requirement;
  core: boolean;
  weight: number;
  /** Ordered grades, best first; only for requirement 'levels'. */
  levels?: string[];
  benchmarks: Benchmark[];
}

export interface SchemeDefinition {
  name: string;
  productCategory: string;
  industry: string;
  field: 'consumer' | 'equipment' | 'service' | 'other';
  leaderShare: number;
  indicators: SchemeIndicator[];
}

export function isFiniteNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

/** A `[low, high]` pair of finite numbers (order not checked). */
export function isNumberPair(v: unknown): v is [number, number] {
  return Array.isArray(v) && v.length === 2 && isFiniteNumber(v[0]) && isFiniteNumber(v[1]);
}

/** Whether a benchmark value has the shape its requirement needs. */
export function benchmarkValueFits(
  requirement: Requirement,
  value: unknown,
  levels: readonly string[] | undefined,
): boolean {
  switch (requirement) {
    case 'min':
    case 'max':
      return isFiniteNumber(value);
    case 'range':
      return isNumberPair(value) && value[0] <= value[1];
    case 'levels':
      return typeof value === 'string' && (levels === undefined || levels.includes(value));
    case 'boolean':
      return typeof value === 'boolean';
    default:
      return false;
  }
}

/**
 * Checks a JSON schema cannot express: unique codes, levels exactly for 'levels',
 * benchmark values fitting the requirement, no unit where none applies, at least one
 * benchmark, no standard twice, valid standard numbers, positive weights.
 */
export function schemeIndicatorIssues(indicators: SchemeIndicator[]): DomainIssue[] {
  const issues: DomainIssue[] = [];
  if (indicators.length === 0) issues.push({ path: ['indicators'], code: 'indicators_required' });
  const codes = new Set<string>();

  indicators.forEach((indicator, i) => {
    const at = (...rest: (string | number)[]): (string | number)[] => ['indicators', i, ...rest];
    const { requirement, levels } = indicator;

    if (codes.has(indicator.code)) {
      issues.push({ path: at('code'), code: 'duplicate_indicator_code', params: { code: indicator.code } });
    }
    codes.add(indicator.code);

    if (!isFiniteNumber(indicator.weight) || indicator.weight <= 0) {
      issues.push({ path: at('weight'), code: 'weight_not_positive' });
    }

    let levelList: readonly string[] | undefined;
    if (requirement === 'levels') {
      if (!Array.isArray(levels) || levels.length === 0) {
        issues.push({ path: at('levels'), code: 'levels_required' });
      } else {
        levelList = levels;
        const seen = new Set<string>();
        levels.forEach((level, k) => {
          if (seen.has(level)) issues.push({ path: at('levels', k), code: 'duplicate_level', params: { level } });
          seen.add(level);
        });
      }
    } else if (levels !== undefined && levels.length > 0) {
      issues.push({ path: at('levels'), code: 'levels_not_allowed', params: { requirement } });
    }

    if ((requirement === 'levels' || requirement === 'boolean') && indicator.unit !== undefined) {
      issues.push({ path: at('unit'), code: 'unit_not_allowed', params: { unit: indicator.unit } });
    }

    if (indicator.benchmarks.length === 0) {
      issues.push({ path: at('benchmarks'), code: 'benchmarks_required' });
    }
    const standards = new Set<string>();
    indicator.benchmarks.forEach((benchmark, j) => {
      const standard = normalizeStandardNumber(benchmark.standard);
      if (!standard.ok) {
        issues.push({
          path: at('benchmarks', j, 'standard'),
          code: 'invalid_standard_number',
          params: { number: benchmark.standard },
        });
      } else {
        // Compared in normal form: two spellings of one standard are the same benchmark.
        if (standards.has(standard.number)) {
          issues.push({
            path: at('benchmarks', j, 'standard'),
            code: 'duplicate_benchmark',
            params: { standard: standard.number },
          });
        }
        standards.add(standard.number);
      }
      // With a missing levels list, only the value's type can be checked.
      if (!benchmarkValueFits(requirement, benchmark.value, levelList)) {
        issues.push({
          path: at('benchmarks', j, 'value'),
          code: 'benchmark_value_mismatch',
          params: { requirement },
        });
      }
    });
  });
  return issues;
}

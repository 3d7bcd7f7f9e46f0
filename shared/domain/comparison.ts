/**
 * The comparison engine (对标比对), domain.md §3: reference benchmark, verdicts, gap,
 * meets, level, consistency and score. Values are expected in the scheme's units
 * (see declaration.ts). Per-indicator preparation (reference benchmark, grade index)
 * is cached per scheme object, so schemes are treated as immutable once compared.
 */
import type { Benchmark, BenchmarkValue, Requirement, SchemeIndicator } from './scheme.ts';
import { alignToScheme, type DeclaredIndicator } from './declaration.ts';

export type Verdict = 'stricter' | 'equal' | 'looser' | 'incomparable';
export type Level = 'superior' | 'partially_superior' | 'equivalent' | 'below';

export interface IndicatorResult {
  code: string;
  verdict: Verdict;
  declared: BenchmarkValue | null;
  unit: string | null;
  /** The reference (strictest) benchmark. */
  benchmark: { standard: string; value: BenchmarkValue };
  gap: number | null;
  perBenchmark: { standard: string; value: BenchmarkValue; verdict: Verdict }[];
  core: boolean;
}

export interface ComparisonResult {
  meets: boolean;
  level: Level;
  consistency: number | null;
  score: number;
  indicators: IndicatorResult[];
}

const RELATIVE_TOLERANCE = 1e-9;

/** `|a - b| <= 1e-9 × max(|a|, |b|)`. */
export function numbersEqual(a: number, b: number): boolean {
  if (a === b) return true;
  const diff = a - b;
  const tolerance = RELATIVE_TOLERANCE * Math.max(Math.abs(a), Math.abs(b));
  return diff <= tolerance && diff >= -tolerance;
}

function numberVerdict(declared: number, benchmark: number, higherIsStricter: boolean): Verdict {
  if (numbersEqual(declared, benchmark)) return 'equal';
  return declared > benchmark === higherIsStricter ? 'stricter' : 'looser';
}

function isPair(v: unknown): v is readonly [number, number] {
  return Array.isArray(v) && v.length === 2 && typeof v[0] === 'number' && typeof v[1] === 'number';
}

function rangeVerdict(d: readonly [number, number], b: readonly [number, number]): Verdict {
  const lowEqual = numbersEqual(d[0], b[0]);
  const highEqual = numbersEqual(d[1], b[1]);
  if (lowEqual && highEqual) return 'equal';
  // Any part of the declared band outside the benchmark band is looser.
  if ((!lowEqual && d[0] < b[0]) || (!highEqual && d[1] > b[1])) return 'looser';
  return 'stricter';
}

/** Grade positions, best first; built once per indicator. */
type LevelIndex = ReadonlyMap<string, number>;

/**
 * The verdict of a declared value against one benchmark value. Values of the wrong
 * shape (a scheme changed since the declaration) and grades not in the list are
 * incomparable.
 */
function verdictOf(
  requirement: Requirement,
  declared: unknown,
  benchmark: unknown,
  levels: LevelIndex | null,
): Verdict {
  switch (requirement) {
    case 'min':
    case 'max':
      if (typeof declared !== 'number' || typeof benchmark !== 'number') return 'incomparable';
      return numberVerdict(declared, benchmark, requirement === 'min');
    case 'range':
      if (!isPair(declared) || !isPair(benchmark)) return 'incomparable';
      return rangeVerdict(declared, benchmark);
    case 'levels': {
      if (levels === null || typeof declared !== 'string' || typeof benchmark !== 'string') {
        return 'incomparable';
      }
      const d = levels.get(declared);
      const b = levels.get(benchmark);
      if (d === undefined || b === undefined) return 'incomparable';
      return d < b ? 'stricter' : d === b ? 'equal' : 'looser';
    }
    case 'boolean':
      if (typeof declared !== 'boolean' || typeof benchmark !== 'boolean') return 'incomparable';
      return declared === benchmark ? 'equal' : declared ? 'stricter' : 'looser';
    default:
      return 'incomparable';
  }
}

/** The verdict of a declared value against a benchmark value (levels best first). */
export function compareValues(
  requirement: Requirement,
  declared: BenchmarkValue | null | undefined,
  benchmark: BenchmarkValue,
  levels?: readonly string[],
): Verdict {
  if (declared === null || declared === undefined) return 'incomparable';
  return verdictOf(requirement, declared, benchmark, levels ? indexLevels(levels) : null);
}

function indexLevels(levels: readonly string[]): LevelIndex {
  const index = new Map<string, number>();
  levels.forEach((level, i) => {
    if (!index.has(level)) index.set(level, i);
  });
  return index;
}

function valueUsable(requirement: Requirement, value: unknown, levels: LevelIndex | null): boolean {
  switch (requirement) {
    case 'min':
    case 'max':
      return typeof value === 'number' && Number.isFinite(value);
    case 'range':
      return isPair(value) && value[0] <= value[1];
    case 'levels':
      return typeof value === 'string' && levels !== null && levels.has(value);
    case 'boolean':
      return typeof value === 'boolean';
    default:
      return false;
  }
}

/** Whether `candidate` is a stricter reference than `current` (ties keep the first listed). */
function isStricterReference(
  requirement: Requirement,
  candidate: BenchmarkValue,
  current: BenchmarkValue,
  levels: LevelIndex | null,
): boolean {
  if (requirement === 'range') {
    // The narrowest band, not the band inside the other.
    const a = candidate as [number, number];
    const b = current as [number, number];
    const wa = a[1] - a[0];
    const wb = b[1] - b[0];
    return wa < wb && !numbersEqual(wa, wb);
  }
  return verdictOf(requirement, candidate, current, levels) === 'stricter';
}

interface PreparedIndicator {
  indicator: SchemeIndicator;
  requirement: Requirement;
  levels: LevelIndex | null;
  reference: Benchmark;
  referenceIndex: number;
  unit: string | null;
}

interface PreparedScheme {
  indicators: PreparedIndicator[];
  indexByCode: Map<string, number>;
  totalWeight: number;
  coreCount: number;
}

const preparedIndicators = new WeakMap<SchemeIndicator, PreparedIndicator>();
const preparedSchemes = new WeakMap<readonly SchemeIndicator[], PreparedScheme>();

function prepareIndicator(indicator: SchemeIndicator): PreparedIndicator {
  const cached = preparedIndicators.get(indicator);
  if (cached !== undefined) return cached;
  const { requirement, benchmarks } = indicator;
  if (benchmarks.length === 0) {
    throw new Error(`Scheme indicator ${indicator.code} has no benchmark`);
  }
  const levels = requirement === 'levels' && indicator.levels ? indexLevels(indicator.levels) : null;
  let best = -1;
  for (let j = 0; j < benchmarks.length; j++) {
    const value = (benchmarks[j] as Benchmark).value;
    if (!valueUsable(requirement, value, levels)) continue;
    if (best < 0 || isStricterReference(requirement, value, (benchmarks[best] as Benchmark).value, levels)) {
      best = j;
    }
  }
  // No usable value (an invalid scheme): the first is named, every verdict is incomparable.
  const referenceIndex = best < 0 ? 0 : best;
  const prepared: PreparedIndicator = {
    indicator,
    requirement,
    levels,
    reference: benchmarks[referenceIndex] as Benchmark,
    referenceIndex,
    unit: indicator.unit ?? null,
  };
  preparedIndicators.set(indicator, prepared);
  return prepared;
}

function prepareScheme(indicators: readonly SchemeIndicator[]): PreparedScheme {
  const cached = preparedSchemes.get(indicators);
  if (cached !== undefined) return cached;
  const prepared: PreparedScheme = {
    indicators: indicators.map(prepareIndicator),
    indexByCode: new Map(),
    totalWeight: 0,
    coreCount: 0,
  };
  indicators.forEach((indicator, i) => {
    if (!prepared.indexByCode.has(indicator.code)) prepared.indexByCode.set(indicator.code, i);
    prepared.totalWeight += indicator.weight;
    if (indicator.core) prepared.coreCount++;
  });
  preparedSchemes.set(indicators, prepared);
  return prepared;
}

/** The strictest benchmark of an indicator; on a tie, the first listed. */
export function referenceBenchmark(indicator: SchemeIndicator): Benchmark {
  return prepareIndicator(indicator).reference;
}

/** Hot path: the verdict against the reference benchmark only, without building a result. */
export function indicatorVerdict(
  indicator: SchemeIndicator,
  declared: BenchmarkValue | null | undefined,
): Verdict {
  if (declared === null || declared === undefined) return 'incomparable';
  const p = prepareIndicator(indicator);
  return verdictOf(p.requirement, declared, p.reference.value, p.levels);
}

function gapOf(requirement: Requirement, declared: unknown, benchmark: unknown, verdict: Verdict): number | null {
  if (verdict === 'incomparable' || (requirement !== 'min' && requirement !== 'max')) return null;
  // Equal within tolerance: no float residue such as 1e-16.
  if (verdict === 'equal') return 0;
  const d = declared as number;
  const b = benchmark as number;
  const diff = requirement === 'min' ? d - b : b - d;
  return b === 0 ? diff : diff / Math.abs(b);
}

function compareMany(p: PreparedIndicator, declared: BenchmarkValue | null): IndicatorResult {
  const { requirement, levels, indicator } = p;
  const benchmarks = indicator.benchmarks;
  const perBenchmark = new Array<IndicatorResult['perBenchmark'][number]>(benchmarks.length);
  for (let j = 0; j < benchmarks.length; j++) {
    const b = benchmarks[j] as Benchmark;
    perBenchmark[j] = {
      standard: b.standard,
      value: b.value,
      verdict: declared === null ? 'incomparable' : verdictOf(requirement, declared, b.value, levels),
    };
  }
  const verdict = (perBenchmark[p.referenceIndex] as IndicatorResult['perBenchmark'][number]).verdict;
  return {
    code: indicator.code,
    verdict,
    declared,
    unit: p.unit,
    benchmark: { standard: p.reference.standard, value: p.reference.value },
    gap: gapOf(requirement, declared, p.reference.value, verdict),
    perBenchmark,
    core: indicator.core,
  };
}

/** One indicator's full result (reference verdict, gap, verdict per benchmark). */
export function compareIndicator(
  indicator: SchemeIndicator,
  declared: BenchmarkValue | null | undefined,
): IndicatorResult {
  return compareMany(prepareIndicator(indicator), declared ?? null);
}

function round4(x: number): number {
  // `+ 0` turns -0 into 0.
  return Math.round(x * 1e4) / 1e4 + 0;
}

function indicatorScore(verdict: Verdict, gap: number | null): number {
  if (verdict === 'incomparable') return -1;
  if (gap !== null) return gap > 1 ? 1 : gap < -1 ? -1 : gap;
  return verdict === 'stricter' ? 1 : verdict === 'equal' ? 0 : -1;
}

/**
 * Compares a declaration with a scheme: one result per scheme indicator, in scheme
 * order. Declared codes the scheme no longer has are ignored; scheme indicators not
 * declared are incomparable.
 */
export function compareDeclaration(
  scheme: { indicators: SchemeIndicator[] },
  declared: DeclaredIndicator[],
): ComparisonResult {
  const p = prepareScheme(scheme.indicators);
  const n = p.indicators.length;
  const values = new Array<BenchmarkValue | null>(n).fill(null);
  for (const d of declared) {
    const i = p.indexByCode.get(d.code);
    // First declaration of a code wins, as validation rejects repeats.
    if (i !== undefined && values[i] === null) values[i] = d.value ?? null;
  }

  const results = new Array<IndicatorResult>(n);
  let stricter = 0;
  let equal = 0;
  let looser = 0;
  let incomparable = 0;
  let coreFailing = 0;
  let weighted = 0;
  for (let i = 0; i < n; i++) {
    const prepared = p.indicators[i] as PreparedIndicator;
    const result = compareMany(prepared, values[i] as BenchmarkValue | null);
    results[i] = result;
    const { verdict } = result;
    if (verdict === 'stricter') stricter++;
    else if (verdict === 'equal') equal++;
    else {
      if (verdict === 'looser') looser++;
      else incomparable++;
      if (result.core) coreFailing++;
    }
    weighted += prepared.indicator.weight * indicatorScore(verdict, result.gap);
  }

  const meets = p.coreCount > 0 ? coreFailing === 0 : looser === 0 && incomparable === 0;
  let level: Level;
  if (!meets) level = 'below';
  else if (stricter === 0) level = 'equivalent';
  else if (stricter === n) level = 'superior';
  else level = 'partially_superior';

  const compared = n - incomparable;
  return {
    meets,
    level,
    consistency: compared === 0 ? null : round4((stricter + equal) / compared),
    score: p.totalWeight > 0 ? round4(weighted / p.totalWeight) : 0,
    indicators: results,
  };
}

/**
 * A stored declaration against a scheme version: its values re-expressed in
 * that version's units (a newer version may have changed a unit), then
 * compared. The one entry point of the workflow's Compare step and of batch rows.
 */
export function compareWithScheme(scheme: { indicators: SchemeIndicator[] }, declared: DeclaredIndicator[]): ComparisonResult {
  return compareDeclaration(scheme, alignToScheme(scheme.indicators, declared));
}

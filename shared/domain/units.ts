/**
 * Unit conversion for declared indicator values (domain.md §3 "Units"), through
 * js-quantities. Resolution is cached per (scheme unit, declared unit) pair: it runs
 * once per indicator in batches of thousands of rows, and parsing is the costly part.
 */
import Qty from 'js-quantities';

export type UnitIssueCode = 'unit_not_allowed' | 'unit_unknown' | 'unit_incompatible';

export type UnitConversion =
  | { ok: true; convert: (v: number) => number }
  | { ok: false; code: UnitIssueCode };

interface ParsedUnit {
  /** Library spelling, for swiftConverter. */
  lib: string;
  /** Base units with equal powers cancelled, e.g. '' for mg/kg, ppm and %. */
  dimension: string;
}

const identity = (v: number): number => v;
const IDENTITY: UnitConversion = Object.freeze({ ok: true, convert: identity });
const NOT_ALLOWED: UnitConversion = Object.freeze({ ok: false, code: 'unit_not_allowed' });
const UNKNOWN: UnitConversion = Object.freeze({ ok: false, code: 'unit_unknown' });
const INCOMPATIBLE: UnitConversion = Object.freeze({ ok: false, code: 'unit_incompatible' });

// Labels the library would misread as units: 'pH' parses as picohenry.
const LABELS = new Set(['pH', 'PH', 'ph']);
// Spellings common in Chinese standards that the library does not know.
const ALIASES = new Map([
  ['lx', 'lux'],
  ['r/min', 'rpm'],
]);

// Declared units are user input: bound the caches so odd spellings cannot grow them forever.
const CACHE_LIMIT = 2048;
const conversions = new Map<string, UnitConversion>();
const parsed = new Map<string, ParsedUnit | null>();

function remember<K, V>(map: Map<K, V>, key: K, value: V): V {
  if (map.size >= CACHE_LIMIT) map.clear();
  map.set(key, value);
  return value;
}

/** NFKC (m² -> m2, µ -> μ), trimmed, whitespace collapsed: the form labels are compared in. */
export function normalizeUnit(unit: string): string {
  return unit.normalize('NFKC').replace(/\s+/gu, ' ').trim();
}

function dimensionOf(q: Qty): string {
  const base = q.toBase();
  const powers = new Map<string, number>();
  for (const u of base.numerator) if (u !== '<1>') powers.set(u, (powers.get(u) ?? 0) + 1);
  for (const u of base.denominator) if (u !== '<1>') powers.set(u, (powers.get(u) ?? 0) - 1);
  return [...powers]
    .filter(([, p]) => p !== 0)
    .map(([u, p]) => `${u}^${p}`)
    .sort()
    .join('*');
}

function parseUnit(normalized: string): ParsedUnit | null {
  const hit = parsed.get(normalized);
  if (hit !== undefined) return hit;
  let result: ParsedUnit | null = null;
  if (normalized !== '' && !LABELS.has(normalized)) {
    const lib = ALIASES.get(normalized) ?? normalized.replace(/[·⋅•]/g, '*');
    try {
      const q = Qty.parse(lib);
      // A number ('5 kg') or a bare number ('1') is not a unit.
      if (q && q.scalar === 1 && !q.isUnitless()) result = { lib, dimension: dimensionOf(q) };
    } catch {
      result = null;
    }
  }
  return remember(parsed, normalized, result);
}

/** Whether the units library knows `unit` (labels such as pH and w-% are not units). */
export function isKnownUnit(unit: string): boolean {
  return parseUnit(normalizeUnit(unit)) !== null;
}

// Drops float noise such as 1000.0000000000001 (g/kg -> mg/kg) but keeps factors
// like 1/60 exact: only a factor that is round at 12 digits is rounded.
function tidyFactor(f: number): number {
  const round = Number(f.toPrecision(12));
  return round === Number(f.toPrecision(15)) ? round : f;
}

function resolve(schemeUnit: string | undefined, declaredUnit: string | undefined): UnitConversion {
  const declared = declaredUnit === undefined ? '' : normalizeUnit(declaredUnit);
  if (declared === '') return IDENTITY;
  const scheme = schemeUnit === undefined ? '' : normalizeUnit(schemeUnit);
  if (scheme === '') return NOT_ALLOWED;
  if (scheme === declared) return IDENTITY;
  const target = parseUnit(scheme);
  // A label unit accepts only itself.
  if (target === null) return INCOMPATIBLE;
  const source = parseUnit(declared);
  if (source === null) return UNKNOWN;
  if (source.dimension !== target.dimension) return INCOMPATIBLE;
  let converter: (v: number) => number;
  try {
    converter = Qty.swiftConverter(source.lib, target.lib);
  } catch {
    return INCOMPATIBLE;
  }
  const zero = converter(0);
  const one = converter(1);
  if (!Number.isFinite(zero) || !Number.isFinite(one) || one === zero) return INCOMPATIBLE;
  if (zero !== 0) {
    // Offset conversions (tempF -> tempC) keep the library's converter.
    return { ok: true, convert: (v: number) => converter(v) };
  }
  const factor = tidyFactor(one);
  if (factor === 1) return IDENTITY;
  return { ok: true, convert: (v: number) => v * factor };
}

/**
 * How to convert a value declared in `declaredUnit` to the scheme's unit:
 * no scheme unit -> any declared unit is not allowed; no declared unit -> identity;
 * a scheme unit the library does not know is a label, matched only by itself;
 * an unknown declared unit or another dimension is an error.
 */
export function resolveUnitConversion(
  schemeUnit: string | undefined,
  declaredUnit: string | undefined,
): UnitConversion {
  const scheme = schemeUnit ?? '';
  // Length-prefixed so that no two pairs share a key.
  const key = `${scheme.length}:${scheme}${declaredUnit ?? ''}`;
  const hit = conversions.get(key);
  if (hit !== undefined) return hit;
  return remember(conversions, key, resolve(schemeUnit, declaredUnit));
}

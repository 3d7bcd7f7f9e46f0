import { describe, expect, it } from 'vitest';
import { isKnownUnit, normalizeUnit, resolveUnitConversion } from '../../shared/domain/units.ts';

function factor(scheme: string | undefined, declared: string | undefined): number {
  const r = resolveUnitConversion(scheme, declared);
  if (!r.ok) throw new Error(`${declared} -> ${scheme}: ${r.code}`);
  return r.convert(1);
}

function code(scheme: string | undefined, declared: string | undefined): string {
  const r = resolveUnitConversion(scheme, declared);
  return r.ok ? 'ok' : r.code;
}

describe('resolveUnitConversion', () => {
  it.each([
    ['mg/kg', 'ppm', 1],
    ['mg/kg', '%', 10000],
    ['mg/kg', 'g/kg', 1000],
    ['%', 'mg/kg', 0.0001],
    ['ppm', '%', 10000],
    ['kW', 'W', 0.001],
    ['W', 'kW', 1000],
    ['m', 'mm', 0.001],
    ['mm', 'm', 1000],
    ['kPa', 'Pa', 0.001],
    ['MPa', 'kPa', 0.001],
    ['Pa', 'MPa', 1e6],
    ['s', 'min', 60],
    ['s', 'h', 3600],
    ['min', 'h', 60],
    ['lm/W', 'lm/kW', 0.001],
    ['W', 'J/s', 1],
    ['m2', 'm²', 1],
    ['mg/m3', 'μg/m³', 0.001],
    ['kW*h', 'kW·h', 1],
    ['lux', 'lx', 1],
    ['rpm', 'r/min', 1],
  ])('%s <- %s: x%d', (scheme, declared, expected) => {
    expect(factor(scheme, declared)).toBeCloseTo(expected, 12);
  });

  it('gives exact factors for decimal prefixes (no float residue)', () => {
    expect(factor('mg/kg', 'g/kg')).toBe(1000);
    expect(factor('L', 'mL')).toBe(0.001);
    expect(factor('h', 'min') * 60).toBeCloseTo(1, 14);
  });

  it('converts values', () => {
    const r = resolveUnitConversion('mg/kg', '%');
    expect(r.ok && r.convert(0.1)).toBeCloseTo(1000, 9);
    const w = resolveUnitConversion('W', 'kW');
    expect(w.ok && w.convert(4.5)).toBe(4500);
  });

  it('keeps offset conversions (temperatures) correct', () => {
    const r = resolveUnitConversion('tempC', 'tempF');
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.convert(212)).toBeCloseTo(100, 9);
      expect(r.convert(32)).toBeCloseTo(0, 9);
    }
  });

  it('is identity when no unit is declared', () => {
    for (const scheme of ['mg/kg', 'pH', undefined, '']) {
      const r = resolveUnitConversion(scheme, undefined);
      expect(r.ok && r.convert(42)).toBe(42);
    }
    expect(code('mg/kg', '  ')).toBe('ok');
  });

  it('is identity for the same unit, after NFKC and trimming', () => {
    expect(factor('mg/kg', 'mg/kg')).toBe(1);
    expect(factor('mg/kg', ' ｍｇ／ｋｇ ')).toBe(1);
  });

  it('rejects any declared unit where the scheme has none', () => {
    expect(code(undefined, 'mg/kg')).toBe('unit_not_allowed');
    expect(code('', '%')).toBe('unit_not_allowed');
    expect(code(undefined, 'pH')).toBe('unit_not_allowed');
  });

  it('treats a unit the library does not know as a label matched only by itself', () => {
    expect(factor('w-%', 'w-%')).toBe(1);
    expect(factor('w-%', ' w-% ')).toBe(1);
    expect(code('w-%', '%')).toBe('unit_incompatible');
    expect(code('w-%', 'mg/kg')).toBe('unit_incompatible');
    expect(factor('pH', 'pH')).toBe(1);
    expect(code('pH', 'H')).toBe('unit_incompatible');
    expect(code('pH', 'nH')).toBe('unit_incompatible');
    expect(factor('℃', '°C')).toBe(1);
  });

  it('rejects unknown declared units', () => {
    expect(code('mg/kg', 'furlongs of joy')).toBe('unit_unknown');
    expect(code('mg/kg', 'w-%')).toBe('unit_unknown');
    expect(code('kg', '5 kg')).toBe('unit_unknown');
    expect(code('%', '1')).toBe('unit_unknown');
    // pH is a label, not picohenry.
    expect(code('mH', 'pH')).toBe('unit_unknown');
  });

  it('rejects units of another dimension', () => {
    expect(code('mg/kg', 'W')).toBe('unit_incompatible');
    expect(code('W', 'mm')).toBe('unit_incompatible');
    expect(code('lm/W', 'lm')).toBe('unit_incompatible');
    // Both dimensionless for the library, but decibels are not a mass fraction.
    expect(code('mg/kg', 'dB')).toBe('unit_incompatible');
    expect(code('%', 'each')).toBe('unit_incompatible');
    // A temperature difference is not a temperature.
    expect(code('tempC', 'degF')).toBe('unit_incompatible');
  });

  it('keeps pairs apart in the cache', () => {
    expect(code('kg\u0000', 'g')).toBe('unit_incompatible');
    expect(code('kg', '\u0000g')).toBe('unit_unknown');
    expect(code('m', 'm')).toBe('ok');
    expect(code('', 'mm')).toBe('unit_not_allowed');
    expect(code('mm', '')).toBe('ok');
  });

  it('returns the cached resolution for a repeated pair', () => {
    expect(resolveUnitConversion('kW', 'W')).toBe(resolveUnitConversion('kW', 'W'));
    expect(resolveUnitConversion('kW', 'mm')).toBe(resolveUnitConversion('kW', 'mm'));
  });
});

describe('isKnownUnit', () => {
  it('knows library units and not labels', () => {
    for (const u of ['mg/kg', 'ppm', '%', 'W', 'kW', 'mm', 'MPa', 'h', 'lm/W', 'm²']) expect(isKnownUnit(u)).toBe(true);
    for (const u of ['pH', 'w-%', '℃', '', 'foo', '5 kg', '1']) expect(isKnownUnit(u)).toBe(false);
  });

  it('normalizes unit spellings', () => {
    expect(normalizeUnit(' ｍｇ／ｋｇ ')).toBe('mg/kg');
    expect(normalizeUnit('m²')).toBe('m2');
  });
});

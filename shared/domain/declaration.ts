/** Declared indicator values: validation against the scheme and conversion to its units (domain.md §3). */
import type { DomainIssue } from './issues.ts';
import type { BenchmarkValue, SchemeIndicator } from './scheme.ts';
import { isFiniteNumber, isNumberPair } from './scheme.ts';
import { normalizeText } from './text.ts';
import { normalizeUnit, resolveUnitConversion } from './units.ts';

export interface DeclaredIndicatorInput {
  code: string;
  value: unknown;
  unit?: string;
}

export interface DeclaredIndicator {
  code: string;
  /** In the scheme's unit. */
  value: BenchmarkValue;
  /** The scheme's unit, when it has one. */
  unit?: string;
  /** As declared, when the declaration used another unit. */
  original?: { value: BenchmarkValue; unit: string };
}

export type DeclarationValidation =
  | { ok: true; indicators: DeclaredIndicator[] }
  | { ok: false; issues: DomainIssue[] };

// Converted values lose float noise (0.07 % -> 700.0000000000001 mg/kg) for the record.
function tidy(v: number): number {
  return Number(v.toPrecision(15));
}

function findLevel(levels: readonly string[], value: string): string | undefined {
  if (levels.includes(value)) return value;
  // Full-width or padded spellings of a grade name the same grade.
  const wanted = normalizeText(value);
  return levels.find((level) => normalizeText(level) === wanted);
}

/**
 * Validates every declared indicator and collects all issues: unknown or repeated
 * codes, values not fitting the requirement, units that do not convert, and core
 * indicators not declared. On success, values are in the scheme's units.
 */
export function validateDeclaredIndicators(
  indicators: SchemeIndicator[],
  input: DeclaredIndicatorInput[],
): DeclarationValidation {
  const byCode = new Map<string, SchemeIndicator>();
  for (const indicator of indicators) if (!byCode.has(indicator.code)) byCode.set(indicator.code, indicator);

  const issues: DomainIssue[] = [];
  const declared = new Set<string>();
  const out: DeclaredIndicator[] = [];

  input.forEach((item, i) => {
    const at = (field: string): (string | number)[] => ['indicators', i, field];
    const code = item.code;
    const indicator = typeof code === 'string' ? byCode.get(code) : undefined;
    if (indicator === undefined) {
      issues.push({ path: at('code'), code: 'unknown_indicator', params: { code: String(code) } });
      return;
    }
    if (declared.has(code)) {
      issues.push({ path: at('code'), code: 'duplicate_indicator', params: { code } });
      return;
    }
    declared.add(code);

    const { requirement } = indicator;
    const raw = item.value;
    let value: BenchmarkValue | undefined;
    // Set when the value already has a more precise issue than value_mismatch.
    let reported = false;
    switch (requirement) {
      case 'min':
      case 'max':
        if (isFiniteNumber(raw)) value = raw;
        break;
      case 'range':
        if (isNumberPair(raw)) {
          if (raw[0] > raw[1]) {
            issues.push({ path: at('value'), code: 'range_inverted', params: { low: raw[0], high: raw[1] } });
            reported = true;
          } else {
            value = [raw[0], raw[1]];
          }
        }
        break;
      case 'levels':
        if (typeof raw === 'string') {
          const level = findLevel(indicator.levels ?? [], raw);
          if (level === undefined) {
            issues.push({
              path: at('value'),
              code: 'level_not_in_list',
              params: { level: raw, levels: (indicator.levels ?? []).join(', ') },
            });
            reported = true;
          }
          value = level;
        }
        break;
      case 'boolean':
        if (typeof raw === 'boolean') value = raw;
        break;
    }
    if (value === undefined && !reported) {
      issues.push({ path: at('value'), code: 'value_mismatch', params: { requirement } });
    }

    // Input comes from JSON: a unit that is not a string is not a unit.
    const conversion =
      item.unit === undefined || typeof item.unit === 'string'
        ? resolveUnitConversion(indicator.unit, item.unit)
        : ({ ok: false, code: 'unit_unknown' } as const);
    if (!conversion.ok) {
      issues.push({
        path: at('unit'),
        code: conversion.code,
        params: { unit: String(item.unit ?? ''), expected: indicator.unit ?? '' },
      });
      return;
    }
    if (value === undefined) return;

    const result: DeclaredIndicator = { code, value };
    if (indicator.unit) result.unit = indicator.unit;
    const declaredUnit = typeof item.unit === 'string' ? normalizeUnit(item.unit) : '';
    if (declaredUnit !== '' && declaredUnit !== normalizeUnit(indicator.unit ?? '')) {
      // Only numbers carry units: levels and boolean indicators reject any unit above.
      const { convert } = conversion;
      if (typeof value === 'number') result.value = tidy(convert(value));
      else if (Array.isArray(value)) result.value = [tidy(convert(value[0])), tidy(convert(value[1]))];
      result.original = { value, unit: declaredUnit };
    }
    out.push(result);
  });

  for (const indicator of indicators) {
    if (indicator.core && !declared.has(indicator.code)) {
      issues.push({ path: ['indicators'], code: 'core_indicator_missing', params: { code: indicator.code } });
    }
  }

  return issues.length > 0 ? { ok: false, issues } : { ok: true, indicators: out };
}

/**
 * Declared values re-expressed in the units of another scheme version. An
 * indicator the version no longer has, or whose unit no longer converts, is
 * left out and so becomes incomparable.
 */
export function alignToScheme(indicators: SchemeIndicator[], declared: DeclaredIndicator[]): DeclaredIndicator[] {
  const byCode = new Map(indicators.map((indicator) => [indicator.code, indicator]));
  const aligned: DeclaredIndicator[] = [];
  for (const item of declared) {
    const indicator = byCode.get(item.code);
    if (!indicator) continue;
    if ((item.unit ?? '') === (indicator.unit ?? '')) {
      aligned.push(item);
      continue;
    }
    const conversion = resolveUnitConversion(indicator.unit, item.unit);
    if (!conversion.ok) continue;
    const { value } = item;
    if (isFiniteNumber(value)) {
      aligned.push({ ...item, value: tidy(conversion.convert(value)), unit: indicator.unit });
    } else if (isNumberPair(value)) {
      aligned.push({
        ...item,
        value: [tidy(conversion.convert(value[0])), tidy(conversion.convert(value[1]))],
        unit: indicator.unit,
      });
    }
  }
  return aligned;
}

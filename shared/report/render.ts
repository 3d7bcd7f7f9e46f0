/**
 * The comparison report (对标结果 / 对标分析报告) as JSON and as one printable HTML page.
 * Pure: no I/O, no clock, no randomness, so the same input always gives the same bytes.
 * Every text comes from labels.ts; every input string is escaped before it reaches HTML.
 */
import type { ComparisonResult, IndicatorResult, Level, Verdict } from '../domain/comparison.ts';
import type { BenchmarkValue, Requirement, SchemeIndicator } from '../domain/scheme.ts';
import { reportLabels, type Change, type ReportLabels, type ReportLanguage } from './labels.ts';

export type { Change, ReportLanguage } from './labels.ts';

export interface ReportInput {
  language: ReportLanguage;
  comparison: { id: string; schemeVersion: number; completedAt: string };
  declaration: {
    id: string;
    creditCode: string;
    enterpriseName: string;
    product: string;
    standardNumber: string;
    revision: number;
    createdAt: string;
  };
  /** The scheme version the comparison ran against. */
  scheme: { id: string; name: string; productCategory: string; indicators: SchemeIndicator[] };
  result: ComparisonResult;
  /** The previous revision's comparison of the same enterprise, scheme and product, when there is one. */
  previous?: { declarationId: string; revision: number; result: ComparisonResult };
}

/** A benchmark value with its display text (unit included). */
export interface ReportBenchmark {
  standard: string;
  value: BenchmarkValue;
  valueText: string;
}

export interface ReportPerBenchmark extends ReportBenchmark {
  verdict: Verdict;
  verdictLabel: string;
  /** Whether this is the reference (strictest) benchmark. */
  reference: boolean;
}

export interface ReportIndicator {
  code: string;
  /** The scheme's name; the code when the scheme no longer has the indicator. */
  name: string;
  unit: string | null;
  /** Null when the scheme no longer has the indicator. */
  requirement: Requirement | null;
  requirementLabel: string;
  core: boolean;
  /** In the scheme's unit; null when not declared. */
  declared: BenchmarkValue | null;
  declaredText: string;
  /** The reference (strictest) benchmark. */
  benchmark: ReportBenchmark;
  verdict: Verdict;
  verdictLabel: string;
  /** Positive = stricter than the reference; null for range, levels, boolean and incomparable. */
  gap: number | null;
  /** `relative` (a ratio, shown as a percentage) or `absolute` (benchmark value 0, in the unit). */
  gapKind: 'relative' | 'absolute' | null;
  /** Signed percentage (`+25%`, `−150%`), signed value and unit when absolute, `—` when null. */
  gapText: string;
  /** Every benchmark of the indicator, in scheme order. */
  perBenchmark: ReportPerBenchmark[];
  // Present only when the input has `previous`:
  /** Null when the previous result had no such indicator. */
  previousVerdict?: Verdict | null;
  previousVerdictLabel?: string | null;
  previousGap?: number | null;
  previousGapText?: string;
  change?: Change;
  changeLabel?: string;
}

/** An indicator that is looser than its reference benchmark or incomparable. */
export interface ReportGapToClose {
  code: string;
  name: string;
  unit: string | null;
  core: boolean;
  verdict: Verdict;
  verdictLabel: string;
  declaredText: string;
  benchmark: ReportBenchmark;
  /** What the declared requirement must reach, e.g. `≤ 40 mg/kg`. */
  targetText: string;
  gap: number | null;
  gapText: string;
}

export interface ReportSummary {
  meets: boolean;
  meetsLabel: string;
  level: Level;
  levelLabel: string;
  /** 0 to 1; null when no indicator is comparable. */
  consistency: number | null;
  /** A percentage, `—` when null. */
  consistencyText: string;
  score: number;
  scoreText: string;
  counts: Record<Verdict, number>;
}

/**
 * The report's JSON (version 1). Fields are only ever added; `*Label` and `*Text` fields
 * are display texts in `language`, the others are the stable API values of domain.md §3.
 */
export interface ReportJson {
  reportVersion: 1;
  language: ReportLanguage;
  title: string;
  comparison: { id: string; schemeVersion: number; completedAt: string };
  declaration: {
    id: string;
    creditCode: string;
    enterpriseName: string;
    product: string;
    standardNumber: string;
    revision: number;
    createdAt: string;
  };
  scheme: { id: string; name: string; productCategory: string };
  summary: ReportSummary;
  /** One per indicator of the result, in scheme order. */
  indicators: ReportIndicator[];
  /** Looser or incomparable indicators, core ones first, then in scheme order. */
  gapsToClose: ReportGapToClose[];
  /** The previous revision's overall result; null when there is none. */
  previous: (ReportSummary & { declarationId: string; revision: number }) | null;
}

// ---------------------------------------------------------------------------------------
// Formatting

// en-US digits with no grouping: the same in both languages, and copyable into a spreadsheet.
const significant6 = new Intl.NumberFormat('en-US', { maximumSignificantDigits: 6, useGrouping: false });
const fraction1 = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1, useGrouping: false });
const fraction2 = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2, useGrouping: false });
const fraction4 = new Intl.NumberFormat('en-US', { maximumFractionDigits: 4, useGrouping: false });
const significant2 = new Intl.NumberFormat('en-US', { maximumSignificantDigits: 2, useGrouping: false });

const MINUS = '\u2212';

/** Typographic minus sign for display. */
function withMinus(text: string): string {
  return text.startsWith('-') ? MINUS + text.slice(1) : text;
}

/** Up to 6 significant digits, no float noise (0.1000000000001 -> 0.1), no exponent. */
export function formatNumber(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  // `+ 0` turns -0 into 0, which Intl would print as "-0".
  return withMinus(significant6.format(x + 0));
}

function decimalsOf(text: string): number {
  const dot = text.indexOf('.');
  return dot < 0 ? 0 : text.length - dot - 1;
}

/** Both ends with the same decimals, en dash between: `4.0–7.5`. */
export function formatRange(low: number, high: number): string {
  const a = formatNumber(low);
  const b = formatNumber(high);
  const d = Math.max(decimalsOf(a), decimalsOf(b));
  const pad = (s: string): string => {
    const have = decimalsOf(s);
    if (have >= d || !Number.isFinite(Number(s.replace(MINUS, '-')))) return s;
    return (have === 0 ? `${s}.` : s) + '0'.repeat(d - have);
  };
  return `${pad(a)}–${pad(b)}`;
}

function withUnit(text: string, unit: string | null): string {
  return unit ? `${text} ${unit}` : text;
}

/** A declared or benchmark value with its unit; booleans as 是/否 or yes/no. */
export function formatValue(value: BenchmarkValue | null, unit: string | null, labels: ReportLabels): string {
  if (value === null) return labels.notDeclared;
  if (typeof value === 'boolean') return value ? labels.yes : labels.no;
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return withUnit(formatRange(value[0], value[1]), unit);
  return withUnit(formatNumber(value), unit);
}

function signed(text: string, x: number): string {
  return x > 0 ? `+${text}` : text;
}

/** A ratio as a signed percentage: 0.25 -> `+25%`, -1.5 -> `−150%`. */
export function formatPercentSigned(ratio: number): string {
  const pct = ratio * 100 + 0;
  const text = Math.abs(pct) >= 1 || pct === 0 ? fraction1.format(pct) : significant2.format(pct);
  return signed(withMinus(text), pct) + '%';
}

function formatGap(gap: number | null, kind: ReportIndicator['gapKind'], unit: string | null, labels: ReportLabels): string {
  if (gap === null) return labels.none;
  if (kind === 'absolute') return withUnit(signed(formatNumber(gap), gap), unit);
  return formatPercentSigned(gap);
}

function formatConsistency(c: number | null, labels: ReportLabels): string {
  return c === null ? labels.none : `${fraction2.format(c * 100)}%`;
}

function formatScore(score: number): string {
  return signed(withMinus(fraction4.format(score + 0)), score);
}

// China has one time zone and no daylight saving: UTC+8 is exact.
const BEIJING_OFFSET_MS = 8 * 3600 * 1000;

function formatDate(iso: string, withTime: boolean): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  const s = new Date(t + BEIJING_OFFSET_MS).toISOString();
  return withTime ? `${s.slice(0, 10)} ${s.slice(11, 16)}` : s.slice(0, 10);
}

// ---------------------------------------------------------------------------------------
// JSON

const VERDICT_RANK: Record<Verdict, number> = { incomparable: 0, looser: 1, equal: 2, stricter: 3 };
const VERDICTS: Verdict[] = ['stricter', 'equal', 'looser', 'incomparable'];

function sameNumber(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
}

function compareNumbers(current: number, previous: number, higherIsBetter: boolean): Change {
  if (sameNumber(current, previous)) return 'unchanged';
  return current > previous === higherIsBetter ? 'improved' : 'worsened';
}

/** How far a declared band reaches outside the benchmark band (0 when inside). */
function rangeExcess(declared: BenchmarkValue | null, benchmark: BenchmarkValue): number | null {
  if (!Array.isArray(declared) || !Array.isArray(benchmark)) return null;
  return Math.max(0, benchmark[0] - declared[0]) + Math.max(0, declared[1] - benchmark[1]);
}

/**
 * `new` when the previous revision did not have or did not declare the indicator;
 * otherwise the numeric gap decides, then the verdict, then (same verdict, no gap) the
 * grade or how far a band reaches outside the benchmark band.
 */
function changeOf(current: IndicatorResult, previous: IndicatorResult | undefined, indicator: SchemeIndicator | undefined): Change {
  if (previous === undefined) return 'new';
  if (previous.declared === null) return current.declared === null ? 'unchanged' : 'new';
  if (current.gap !== null && previous.gap !== null) return compareNumbers(current.gap, previous.gap, true);
  const rank = VERDICT_RANK[current.verdict] - VERDICT_RANK[previous.verdict];
  if (rank !== 0) return rank > 0 ? 'improved' : 'worsened';
  if (indicator?.requirement === 'levels' && indicator.levels) {
    const c = indicator.levels.indexOf(String(current.declared));
    const p = indicator.levels.indexOf(String(previous.declared));
    if (c >= 0 && p >= 0) return compareNumbers(c, p, false);
  }
  if (indicator?.requirement === 'range' && current.verdict === 'looser') {
    const c = rangeExcess(current.declared, current.benchmark.value);
    const p = rangeExcess(previous.declared, current.benchmark.value);
    if (c !== null && p !== null) return compareNumbers(c, p, false);
  }
  return 'unchanged';
}

function gapKindOf(result: IndicatorResult): ReportIndicator['gapKind'] {
  if (result.gap === null) return null;
  return result.benchmark.value === 0 ? 'absolute' : 'relative';
}

function summaryOf(result: ComparisonResult, labels: ReportLabels): ReportSummary {
  const counts: Record<Verdict, number> = { stricter: 0, equal: 0, looser: 0, incomparable: 0 };
  for (const i of result.indicators) counts[i.verdict]++;
  return {
    meets: result.meets,
    meetsLabel: result.meets ? labels.yes : labels.no,
    level: result.level,
    levelLabel: labels.level[result.level],
    consistency: result.consistency,
    consistencyText: formatConsistency(result.consistency, labels),
    score: result.score,
    scoreText: formatScore(result.score),
    counts,
  };
}

export function renderReportJson(input: ReportInput): ReportJson {
  const labels = reportLabels[input.language];
  const schemeByCode = new Map(input.scheme.indicators.map((i) => [i.code, i]));
  const previousByCode = input.previous
    ? new Map(input.previous.result.indicators.map((i) => [i.code, i]))
    : null;

  const indicators = input.result.indicators.map((r): ReportIndicator => {
    const def = schemeByCode.get(r.code);
    const unit = r.unit ?? def?.unit ?? null;
    const gapKind = gapKindOf(r);
    const item: ReportIndicator = {
      code: r.code,
      name: def?.name ?? r.code,
      unit,
      requirement: def?.requirement ?? null,
      requirementLabel: def ? labels.requirement[def.requirement] : labels.none,
      core: r.core,
      declared: r.declared,
      declaredText: formatValue(r.declared, unit, labels),
      benchmark: {
        standard: r.benchmark.standard,
        value: r.benchmark.value,
        valueText: formatValue(r.benchmark.value, unit, labels),
      },
      verdict: r.verdict,
      verdictLabel: labels.verdict[r.verdict],
      gap: r.gap,
      gapKind,
      gapText: formatGap(r.gap, gapKind, unit, labels),
      perBenchmark: r.perBenchmark.map((b) => ({
        standard: b.standard,
        value: b.value,
        valueText: formatValue(b.value, unit, labels),
        verdict: b.verdict,
        verdictLabel: labels.verdict[b.verdict],
        reference: b.standard === r.benchmark.standard,
      })),
    };
    if (previousByCode) {
      const p = previousByCode.get(r.code);
      const change = changeOf(r, p, def);
      item.previousVerdict = p?.verdict ?? null;
      item.previousVerdictLabel = p ? labels.verdict[p.verdict] : null;
      item.previousGap = p?.gap ?? null;
      item.previousGapText = p ? formatGap(p.gap, gapKindOf(p), unit, labels) : labels.none;
      item.change = change;
      item.changeLabel = labels.change[change];
    }
    return item;
  });

  const gapsToClose = indicators
    .filter((i) => i.verdict === 'looser' || i.verdict === 'incomparable')
    // Array.prototype.sort is stable: scheme order within core and non-core.
    .sort((a, b) => Number(b.core) - Number(a.core))
    .map(
      (i): ReportGapToClose => ({
        code: i.code,
        name: i.name,
        unit: i.unit,
        core: i.core,
        verdict: i.verdict,
        verdictLabel: i.verdictLabel,
        declaredText: i.declaredText,
        benchmark: i.benchmark,
        targetText: i.requirement ? labels.target[i.requirement](i.benchmark.valueText) : i.benchmark.valueText,
        gap: i.gap,
        gapText: i.gapText,
      }),
    );

  const { comparison, declaration, scheme } = input;
  return {
    reportVersion: 1,
    language: input.language,
    title: labels.title,
    comparison: { id: comparison.id, schemeVersion: comparison.schemeVersion, completedAt: comparison.completedAt },
    declaration: {
      id: declaration.id,
      creditCode: declaration.creditCode,
      enterpriseName: declaration.enterpriseName,
      product: declaration.product,
      standardNumber: declaration.standardNumber,
      revision: declaration.revision,
      createdAt: declaration.createdAt,
    },
    scheme: { id: scheme.id, name: scheme.name, productCategory: scheme.productCategory },
    summary: summaryOf(input.result, labels),
    indicators,
    gapsToClose,
    previous: input.previous
      ? {
          declarationId: input.previous.declarationId,
          revision: input.previous.revision,
          ...summaryOf(input.previous.result, labels),
        }
      : null,
  };
}

// ---------------------------------------------------------------------------------------
// HTML

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] as string);
}

const e = escapeHtml;

function verdictBadge(verdict: Verdict, labels: ReportLabels): string {
  return (
    `<span class="verdict v-${verdict}"><span class="sym" aria-hidden="true">${e(labels.verdictSymbol[verdict])}</span>` +
    `${e(labels.verdict[verdict])}</span>`
  );
}

function changeBadge(change: Change, labels: ReportLabels): string {
  return (
    `<span class="change c-${change}"><span class="sym" aria-hidden="true">${e(labels.changeSymbol[change])}</span>` +
    `${e(labels.change[change])}</span>`
  );
}

function coreBadge(labels: ReportLabels): string {
  return `<span class="core">★ ${e(labels.core)}</span>`;
}

function gapCell(i: ReportIndicator, labels: ReportLabels): string {
  if (i.gap === null) return `<span class="muted">${e(i.gapText)}</span>`;
  const cls = i.gap > 0 ? 'pos' : i.gap < 0 ? 'neg' : 'zero';
  const hint = i.gapKind === 'absolute' ? ` title="${e(labels.table.gapAbsoluteHint)}"` : '';
  const mark = i.gapKind === 'absolute' ? '<sup aria-hidden="true">*</sup>' : '';
  return `<span class="gap ${cls}"${hint}>${e(i.gapText)}${mark}</span>`;
}

/** `previous → current`: gaps where there are any, verdicts otherwise (range, levels, boolean). */
function changeDetail(i: ReportIndicator, labels: ReportLabels): string {
  if (i.gap !== null || (i.previousGap ?? null) !== null) return `${i.previousGapText ?? labels.none} → ${i.gapText}`;
  return `${i.previousVerdictLabel ?? labels.none} → ${i.verdictLabel}`;
}

function headerHtml(json: ReportJson, labels: ReportLabels): string {
  const h = labels.header;
  const { declaration: d, comparison: c, scheme: s } = json;
  // Three columns, read by row: who and what, then the declaration, then the comparison.
  const rows: [string, string, string?][] = [
    [h.enterprise, d.enterpriseName, 'wide'],
    [h.creditCode, d.creditCode],
    [h.product, d.product],
    [h.standard, d.standardNumber],
    [h.revision, labels.revisionOf(d.revision)],
    [h.declaredAt, formatDate(d.createdAt, false)],
    [h.declarationId, d.id],
    [h.productCategory, s.productCategory],
    [h.schemeVersion, String(c.schemeVersion)],
    [h.completedAt, formatDate(c.completedAt, true) + labels.paren(labels.timeZone)],
  ];
  const items = rows
    .map(([k, v, cls]) => `<div class="meta-item${cls ? ` ${cls}` : ''}"><dt>${e(k)}</dt><dd>${e(v)}</dd></div>`)
    .join('');
  return (
    `<header class="report-header">` +
    `<p class="kicker">${e(labels.subtitle)}</p>` +
    `<h1>${e(labels.title)}</h1>` +
    `<p class="scheme-name"><span class="caption">${e(h.scheme)}</span> ${e(s.name)}</p>` +
    `<dl class="meta">${items}</dl>` +
    `</header>`
  );
}

function summaryHtml(json: ReportJson, labels: ReportLabels): string {
  const s = json.summary;
  const L = labels.summary;
  const counts = VERDICTS.map(
    (v) => `<li>${verdictBadge(v, labels)}<span class="count">${s.counts[v]}</span></li>`,
  ).join('');
  return (
    `<section class="summary" aria-labelledby="summary-h">` +
    `<h2 id="summary-h">${e(L.heading)}</h2>` +
    `<div class="summary-grid">` +
    `<div class="level-box l-${s.level}"><div class="caption">${e(L.level)}</div>` +
    `<div class="level">${e(s.levelLabel)}</div></div>` +
    `<div class="figure"><div class="caption">${e(L.meets)}</div>` +
    `<div class="big ${s.meets ? 'yes' : 'no'}"><span aria-hidden="true">${s.meets ? '✓' : '✗'}</span> ${e(s.meetsLabel)}</div></div>` +
    `<div class="figure"><div class="caption">${e(L.consistency)}</div>` +
    `<div class="big">${e(s.consistencyText)}</div><div class="hint">${e(L.consistencyHint)}</div></div>` +
    `<div class="figure"><div class="caption">${e(L.score)}</div>` +
    `<div class="big">${e(s.scoreText)}</div><div class="hint">${e(L.scoreHint)}</div></div>` +
    `</div>` +
    `<div class="counts"><span class="caption">${e(L.counts)}</span><ul>${counts}</ul></div>` +
    `</section>`
  );
}

function tableHtml(json: ReportJson, labels: ReportLabels): string {
  const T = labels.table;
  const previous = json.previous;
  const head =
    `<tr><th scope="col">${e(T.indicator)}</th><th scope="col">${e(T.declared)}</th>` +
    `<th scope="col">${e(T.reference)}</th><th scope="col">${e(T.verdict)}</th>` +
    `<th scope="col" class="num">${e(T.gap)}</th><th scope="col">${e(T.others)}</th>` +
    (previous ? `<th scope="col">${e(labels.changeSince(previous.revision))}</th>` : '') +
    `</tr>`;
  let anyAbsolute = false;
  const rows = json.indicators
    .map((i) => {
      if (i.gapKind === 'absolute') anyAbsolute = true;
      const details = [i.code, i.unit, i.requirementLabel].filter((x): x is string => !!x).map(e).join(' · ');
      const others = i.perBenchmark.filter((b) => !b.reference);
      const othersHtml =
        others.length === 0
          ? `<span class="muted">${e(labels.none)}</span>`
          : `<ul class="others">${others
              .map(
                (b) =>
                  `<li><span class="std">${e(b.standard)}</span> <span class="val">${e(b.valueText)}</span> ${verdictBadge(b.verdict, labels)}</li>`,
              )
              .join('')}</ul>`;
      const change =
        previous && i.change
          ? `<td>${changeBadge(i.change, labels)}<div class="small">${e(changeDetail(i, labels))}</div></td>`
          : '';
      return (
        `<tr class="row-${i.verdict}">` +
        `<th scope="row"><div class="name">${e(i.name)}${i.core ? ` ${coreBadge(labels)}` : ''}</div>` +
        `<div class="small">${details}</div></th>` +
        `<td class="${i.declared === null ? 'muted' : 'val'}">${e(i.declaredText)}</td>` +
        `<td><div class="val">${e(i.benchmark.valueText)}</div><div class="small">${e(i.benchmark.standard)}</div></td>` +
        `<td>${verdictBadge(i.verdict, labels)}</td>` +
        `<td class="num">${gapCell(i, labels)}</td>` +
        `<td>${othersHtml}</td>` +
        change +
        `</tr>`
      );
    })
    .join('');
  const note = anyAbsolute ? `<p class="note"><sup>*</sup> ${e(T.gapAbsoluteHint)}</p>` : '';
  return (
    `<section aria-labelledby="table-h"><h2 id="table-h">${e(T.heading)}</h2>` +
    `<table class="indicators"><thead>${head}</thead><tbody>${rows}</tbody></table>${note}</section>`
  );
}

// Rough glyph widths for truncating SVG labels, which cannot wrap.
function textWidth(text: string, fontSize: number): number {
  let w = 0;
  for (const ch of text) w += (ch.codePointAt(0) ?? 0) >= 0x2e80 ? fontSize : fontSize * 0.56;
  return w;
}

function fitText(text: string, fontSize: number, maxWidth: number): string {
  if (textWidth(text, fontSize) <= maxWidth) return text;
  let out = '';
  for (const ch of text) {
    if (textWidth(`${out}${ch}…`, fontSize) > maxWidth) break;
    out += ch;
  }
  return `${out}…`;
}

const VERDICT_COLOURS: Record<Verdict, string> = {
  stricter: '#1b7f3b',
  equal: '#1f5fa8',
  looser: '#b3261e',
  incomparable: '#6b6f75',
};

function chartHtml(json: ReportJson, labels: ReportLabels): string {
  const C = labels.chart;
  const plotted = json.indicators.filter((i) => i.verdict !== 'incomparable');
  const missing = json.indicators.filter((i) => i.verdict === 'incomparable');

  const width = 1000;
  const labelWidth = 260;
  // Room for a clamped bar's arrowhead before the labels.
  const left = labelWidth + 36;
  const right = width - 30;
  const zero = (left + right) / 2;
  const half = (right - left) / 2;
  const top = 34;
  const rowH = 30;
  const fontSize = 13;
  const height = top + Math.max(plotted.length, 1) * rowH + 30;
  const bottom = top + Math.max(plotted.length, 1) * rowH;
  const x = (v: number): number => zero + v * half;
  const n = (v: number): string => String(Math.round(v * 10) / 10);

  const parts: string[] = [];
  parts.push(
    `<svg class="chart" role="img" aria-labelledby="chart-t" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">`,
    `<title id="chart-t">${e(C.heading)}</title>`,
  );
  plotted.forEach((_, r) => {
    if (r % 2 === 0) {
      parts.push(`<rect x="0" y="${top + r * rowH}" width="${width}" height="${rowH}" fill="#f5f6f8"/>`);
    }
  });
  // Grid and ticks at -100 %, -50 %, 0, +50 %, +100 %.
  for (const t of [-1, -0.5, 0, 0.5, 1]) {
    const stroke = t === 0 ? 'stroke="#222" stroke-width="1.5"' : 'stroke="#c4c8ce" stroke-dasharray="3 3"';
    parts.push(`<line x1="${n(x(t))}" y1="${top - 4}" x2="${n(x(t))}" y2="${bottom}" ${stroke}/>`);
    parts.push(
      `<text x="${n(x(t))}" y="${bottom + 18}" text-anchor="middle" class="tick">${e(t === 0 ? '0' : formatPercentSigned(t))}</text>`,
    );
  }
  parts.push(
    `<text x="${n(zero - 8)}" y="${top - 12}" text-anchor="end" class="side looser">${e(C.looserSide)}</text>`,
    `<text x="${n(zero + 8)}" y="${top - 12}" text-anchor="start" class="side stricter">${e(C.stricterSide)}</text>`,
  );

  plotted.forEach((i, r) => {
    const cy = top + r * rowH + rowH / 2;
    const colour = VERDICT_COLOURS[i.verdict];
    const name = fitText(i.name, fontSize, labelWidth - 8);
    parts.push(
      `<text x="${labelWidth}" y="${n(cy + 4.5)}" text-anchor="end" class="label"><title>${e(i.name)}</title>${e(name)}</text>`,
    );
    // The value text sits on the other side of the zero line, so it never hits the labels.
    let value: string;
    let textSide: 1 | -1;
    if (i.gap !== null && i.gapKind === 'relative') {
      const g = Math.max(-1, Math.min(1, i.gap));
      const w = Math.abs(g) * half;
      if (w < 2) {
        parts.push(`<rect x="${n(zero - 1.5)}" y="${n(cy - 9)}" width="3" height="18" fill="${colour}"/>`);
      } else {
        parts.push(`<rect x="${n(g < 0 ? zero - w : zero)}" y="${n(cy - 9)}" width="${n(w)}" height="18" fill="${colour}"/>`);
      }
      if (g !== i.gap) {
        // Clamped: an arrowhead past the bar's end says the real gap goes further.
        const tip = x(g) + (g > 0 ? 9 : -9);
        parts.push(
          `<path d="M${n(x(g))} ${n(cy - 9)} L${n(tip)} ${n(cy)} L${n(x(g))} ${n(cy + 9)} Z" fill="${colour}"><title>${e(C.clamped)}</title></path>`,
        );
      }
      value = i.gapText;
      textSide = g > 0 ? -1 : 1;
    } else {
      // Non-numeric (or benchmark 0): a diamond at +1 / 0 / -1 by verdict.
      const s = i.verdict === 'stricter' ? 1 : i.verdict === 'looser' ? -1 : 0;
      const mx = x(s);
      parts.push(
        `<path d="M${n(mx)} ${n(cy - 8)} L${n(mx + 8)} ${n(cy)} L${n(mx)} ${n(cy + 8)} L${n(mx - 8)} ${n(cy)} Z" fill="${colour}" stroke="#fff" stroke-width="1"/>`,
      );
      value = i.gap !== null ? i.verdictLabel + labels.paren(i.gapText) : i.verdictLabel;
      textSide = s < 0 ? 1 : s > 0 ? -1 : 1;
    }
    const tx = textSide > 0 ? zero + 8 + (i.gap === null && i.verdict === 'equal' ? 6 : 0) : zero - 8;
    parts.push(
      `<text x="${n(tx)}" y="${n(cy + 4.5)}" text-anchor="${textSide > 0 ? 'start' : 'end'}" class="value" fill="${colour}">${e(value)}</text>`,
    );
  });
  parts.push('</svg>');

  const missingHtml =
    missing.length === 0
      ? ''
      : `<p class="missing"><strong>${e(C.notComparable)}${e(labels.colon)}</strong>${missing
          .map((i) => e(i.name))
          .join(e(labels.listSeparator))}</p>`;
  return (
    `<section aria-labelledby="chart-h"><h2 id="chart-h">${e(C.heading)}</h2>` +
    `<figure class="chart-box">${parts.join('')}<figcaption>${e(C.caption)}</figcaption></figure>` +
    `${missingHtml}</section>`
  );
}

function gapsHtml(json: ReportJson, labels: ReportLabels): string {
  const G = labels.gaps;
  const body =
    json.gapsToClose.length === 0
      ? `<p class="ok">${e(G.empty)}</p>`
      : `<ol class="gaps">${json.gapsToClose
          .map((g) => {
            const facts = [
              `${e(G.declared)}${e(labels.colon)}${e(g.declaredText)}`,
              `${e(G.target)}${e(labels.colon)}${e(g.targetText)}${e(labels.paren(g.benchmark.standard))}`,
              ...(g.gap !== null ? [`${e(G.gap)}${e(labels.colon)}${e(g.gapText)}`] : []),
            ];
            return (
              `<li>${verdictBadge(g.verdict, labels)} <strong>${e(g.name)}</strong>` +
              `${g.core ? ` ${coreBadge(labels)}` : ''}` +
              `<div class="small">${facts.join(e(labels.listSeparator))}</div></li>`
            );
          })
          .join('')}</ol>`;
  return `<section aria-labelledby="gaps-h"><h2 id="gaps-h">${e(G.heading)}</h2>${body}</section>`;
}

function previousHtml(json: ReportJson, labels: ReportLabels): string {
  const p = json.previous;
  if (p === null) return '';
  const s = json.summary;
  const before = labels.revisionOf(p.revision);
  const now = labels.revisionOf(json.declaration.revision);
  const overall = [
    [labels.summary.level, p.levelLabel, s.levelLabel],
    [labels.summary.meets, p.meetsLabel, s.meetsLabel],
    [labels.summary.consistency, p.consistencyText, s.consistencyText],
    [labels.summary.score, p.scoreText, s.scoreText],
  ]
    .map(([k, a, b]) => `<tr><th scope="row">${e(k as string)}</th><td>${e(a as string)}</td><td>${e(b as string)}</td></tr>`)
    .join('');
  const rows = json.indicators
    .map(
      (i) =>
        `<tr><th scope="row">${e(i.name)}${i.core ? ` ${coreBadge(labels)}` : ''}</th>` +
        `<td>${i.previousVerdict ? verdictBadge(i.previousVerdict, labels) : `<span class="muted">${e(labels.none)}</span>`}` +
        ` <span class="gap">${e(i.previousGapText ?? labels.none)}</span></td>` +
        `<td>${verdictBadge(i.verdict, labels)} <span class="gap">${e(i.gapText)}</span></td>` +
        `<td>${i.change ? changeBadge(i.change, labels) : ''}</td></tr>`,
    )
    .join('');
  return (
    `<section aria-labelledby="prev-h"><h2 id="prev-h">${e(labels.changeSince(p.revision))}</h2>` +
    `<table class="compact"><thead><tr><th scope="col">${e(labels.summary.heading)}</th><th scope="col">${e(before)}</th>` +
    `<th scope="col">${e(now)}</th></tr></thead><tbody>${overall}</tbody></table>` +
    `<table class="compact"><thead><tr><th scope="col">${e(labels.table.indicator)}</th><th scope="col">${e(before)}</th>` +
    `<th scope="col">${e(now)}</th><th scope="col">${e(labels.table.change)}</th></tr></thead><tbody>${rows}</tbody></table>` +
    `</section>`
  );
}

const CSS = `
*{box-sizing:border-box}
html{-webkit-print-color-adjust:exact;print-color-adjust:exact}
body{margin:0;background:#fff;color:#1d2329;font:14px/1.5 "Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei","Noto Sans",Arial,sans-serif}
.page{max-width:1100px;margin:0 auto;padding:28px 32px 40px}
h1{font-size:28px;margin:2px 0 4px;letter-spacing:.02em}
h2{font-size:18px;margin:28px 0 10px;padding-bottom:4px;border-bottom:2px solid #1d2329}
.kicker{margin:0;color:#5b636b;font-size:13px}
.scheme-name{margin:0 0 14px;font-size:17px;font-weight:600}
.meta{display:grid;grid-template-columns:repeat(3,1fr);gap:6px 18px;margin:0;padding:12px 14px;border:1px solid #d5d9de;border-radius:6px;background:#fafbfc}
.meta-item{min-width:0}.meta-item.wide{grid-column:1/-1}
.meta dt{font-size:12px;color:#5b636b}.meta dd{margin:0;font-weight:600;overflow-wrap:anywhere}
.meta-item.wide dd{font-size:17px}
.summary-grid{display:grid;grid-template-columns:1.7fr 1fr 1fr 1fr;gap:14px;align-items:stretch}
.level-box,.figure{border:1px solid #d5d9de;border-radius:6px;padding:10px 14px}
.level-box{border-width:2px}
.caption{font-size:12px;color:#5b636b}
.level{font-size:34px;font-weight:700;line-height:1.2}
.l-superior{border-color:#1b7f3b;color:#1b7f3b;background:#eef8f1}
.l-partially_superior{border-color:#2e7d6b;color:#2e7d6b;background:#eef7f5}
.l-equivalent{border-color:#1f5fa8;color:#1f5fa8;background:#eef4fb}
.l-below{border-color:#b3261e;color:#b3261e;background:#fcefee}
.l-superior .caption,.l-partially_superior .caption,.l-equivalent .caption,.l-below .caption{color:inherit}
.big{font-size:26px;font-weight:700;line-height:1.3}
.big.yes{color:#1b7f3b}.big.no{color:#b3261e}
.hint{font-size:11.5px;color:#6b727a}
.counts{display:flex;align-items:center;gap:12px;margin-top:10px}
.counts ul{display:flex;gap:14px;margin:0;padding:0;list-style:none}
.count{font-weight:700;margin-left:4px}
.verdict,.change,.core{display:inline-block;white-space:nowrap;border-radius:4px;padding:0 6px;font-size:12.5px;font-weight:600;border:1px solid}
.sym{margin-right:3px}
.v-stricter{color:#1b7f3b;background:#e6f4ea;border-color:#9fd3ae}
.v-equal{color:#1f5fa8;background:#e7eff9;border-color:#a9c4e6}
.v-looser{color:#b3261e;background:#fbe9e7;border-color:#eeaaa4}
.v-incomparable{color:#4f5459;background:#eeeff1;border-color:#c4c8ce}
.c-improved{color:#1b7f3b;background:#e6f4ea;border-color:#9fd3ae}
.c-worsened{color:#b3261e;background:#fbe9e7;border-color:#eeaaa4}
.c-unchanged{color:#4f5459;background:#f3f4f5;border-color:#c4c8ce}
.c-new{color:#6a3fa0;background:#f1ebf8;border-color:#c9b4e3}
.core{color:#8a5a00;background:#fff4d6;border-color:#e8c76f;font-size:11.5px;vertical-align:1px}
table{width:100%;border-collapse:collapse;font-size:13px}
thead{display:table-header-group}
th,td{text-align:left;vertical-align:top;padding:7px 8px;border-bottom:1px solid #e1e4e8}
thead th{background:#eef0f3;font-size:12.5px;border-bottom:1px solid #c4c8ce}
tbody th{font-weight:400}
tr{break-inside:avoid}
.row-looser{background:#fffafa}
.name{font-weight:600}
.small{font-size:11.5px;color:#5b636b;margin-top:2px}
.val{font-variant-numeric:tabular-nums;white-space:nowrap}
.num{text-align:right;white-space:nowrap}
.gap{font-weight:700;font-variant-numeric:tabular-nums}
.gap.pos{color:#1b7f3b}.gap.neg{color:#b3261e}.gap.zero{color:#1f5fa8}
.muted{color:#8a9096}
.others{margin:0;padding:0;list-style:none}.others li{margin:0 0 3px}
.std{font-size:12px}
.note{font-size:12px;color:#5b636b;margin:6px 0 0}
.chart-box{margin:0}
.chart{display:block;max-width:100%;height:auto}
.chart text{font-family:inherit}
.chart .label{font-size:13px;fill:#1d2329}
.chart .tick{font-size:11px;fill:#5b636b}
.chart .side{font-size:12px;font-weight:600}
.chart .side.looser{fill:#b3261e}.chart .side.stricter{fill:#1b7f3b}
.chart .value{font-size:12.5px;font-weight:700}
figcaption{font-size:12px;color:#5b636b;margin-top:4px}
.missing{font-size:13px;margin:8px 0 0}
.gaps{margin:0;padding-left:22px}.gaps li{margin:0 0 8px}
.ok{color:#1b7f3b;font-weight:600}
.compact{margin-bottom:12px}
.compact th:first-child{width:34%}
footer{margin-top:30px;padding-top:8px;border-top:1px solid #d5d9de;font-size:11.5px;color:#6b727a}
@page{size:A4;margin:12mm}
@media print{.page{padding:0;max-width:none}h2{break-after:avoid}section{break-inside:auto}.summary,.chart-box{break-inside:avoid}}
`;

export function renderReportHtml(input: ReportInput): string {
  const json = renderReportJson(input);
  const labels = reportLabels[input.language];
  const title = `${labels.title} · ${json.declaration.enterpriseName} · ${json.declaration.product}`;
  return (
    `<!DOCTYPE html>\n<html lang="${input.language === 'zh' ? 'zh-CN' : 'en'}">\n<head>\n<meta charset="utf-8">\n` +
    `<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>${e(title)}</title>\n` +
    `<style>${CSS}</style>\n</head>\n<body>\n<main class="page">\n` +
    headerHtml(json, labels) +
    summaryHtml(json, labels) +
    tableHtml(json, labels) +
    chartHtml(json, labels) +
    gapsHtml(json, labels) +
    previousHtml(json, labels) +
    `<footer>${e(labels.footer)}<br>${e(labels.header.comparisonId)}${e(labels.colon)}${e(json.comparison.id)}` +
    `${e(labels.listSeparator)}${e(labels.header.declarationId)}${e(labels.colon)}${e(json.declaration.id)}</footer>\n` +
    `</main>\n</body>\n</html>\n`
  );
}

/**
 * Figures as files for a bureau's stage summary (阶段总结): one grouping as
 * CSV (UTF-8 with a BOM, so spreadsheet programs read the Chinese right), or
 * a workbook with a summary sheet and one sheet per grouping.
 */
import { loadExcelJS } from './exceljs.ts';
import { addMetrics, ALL_SCHEMES, emptyMetrics, indicatorConsistency, type StatsGroup } from '../domain/aggregates.ts';
import { divisionPrefix } from '../domain/division-code.ts';
import type { Principal } from '../domain/territory.ts';
import { CAMPAIGN_TARGETS } from '../domain/targets.ts';
import { type Language, translate } from '../i18n/messages.ts';
import { readCells } from '../store/aggregates.ts';
import { getScheme } from '../store/schemes.ts';
import { citiesWithin, computeStats, type GroupBy, statsDivision } from './stats.ts';

const GROUPINGS: GroupBy[] = ['province', 'city', 'industry', 'scheme', 'round'];

const METRIC_COLUMNS = [
  'enterprises',
  'declarations',
  'compared',
  'meeting',
  'meetingRate',
  'superior',
  'partially_superior',
  'equivalent',
  'below',
  'meanConsistency',
  'forerunners',
] as const;

type Cell = string | number | null;

function metricValues(group: StatsGroup): Cell[] {
  return [
    group.enterprises,
    group.declarations,
    group.compared,
    group.meeting,
    group.meetingRate,
    group.levels.superior,
    group.levels.partially_superior,
    group.levels.equivalent,
    group.levels.below,
    group.meanConsistency,
    group.forerunners,
  ];
}

/** Readable names of group keys where the platform knows them (cities, schemes, rounds). */
async function namesOf(groupBy: GroupBy, groups: StatsGroup[], language: Language): Promise<Map<string, string>> {
  switch (groupBy) {
    case 'city':
      return new Map((await citiesWithin(null)).map((c) => [c.divisionCode, c.name]));
    case 'scheme': {
      const names = new Map<string, string>();
      await Promise.all(groups.map(async (g) => names.set(g.key, (await getScheme(g.key))?.name ?? '')));
      return names;
    }
    case 'round':
      return new Map(
        groups.map((g) => [g.key, g.key === 'none' ? translate('stats_round.none', language) : translate('stats_round.number', language, { round: g.key })]),
      );
    default:
      return new Map();
  }
}

function header(groupBy: GroupBy, language: Language): string[] {
  return [
    translate(`stats_group.${groupBy}`, language),
    translate('stats_column.name', language),
    ...METRIC_COLUMNS.map((c) => translate(`stats_column.${c}`, language)),
  ];
}

async function table(principal: Principal, groupBy: GroupBy, filter: { schemeId?: string; divisionCode?: string }, language: Language) {
  const stats = await computeStats(principal, { groupBy, ...filter });
  const names = await namesOf(groupBy, stats.groups, language);
  return {
    stats,
    rows: stats.groups.map((g): Cell[] => [g.key, names.get(g.key) ?? '', ...metricValues(g)]),
    header: header(groupBy, language),
  };
}

/** RFC 4180 field: quoted when it holds a comma, quote or line break. */
function csvField(value: Cell): string {
  const text = value === null ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export async function statsCsv(
  principal: Principal,
  request: { groupBy: GroupBy; schemeId?: string; divisionCode?: string },
  language: Language,
): Promise<string> {
  const { rows, header: head } = await table(principal, request.groupBy, request, language);
  const lines = [head, ...rows].map((row) => row.map(csvField).join(','));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

export async function statsWorkbook(
  principal: Principal,
  filter: { schemeId?: string; divisionCode?: string },
  language: Language,
  now: Date,
): Promise<Buffer> {
  const division = statsDivision(principal, filter.divisionCode);
  const workbook = new (await loadExcelJS()).Workbook();
  workbook.created = now;
  const summary = workbook.addWorksheet(translate('stats_sheet.summary', language));
  const tables = [];
  for (const groupBy of GROUPINGS) tables.push({ groupBy, ...(await table(principal, groupBy, filter, language)) });

  // Totals over the whole area, from the same per-city cells the groupings fold.
  const totals = emptyMetrics();
  if (division !== undefined) {
    const prefix = division === null ? undefined : divisionPrefix(division);
    for (const cell of await readCells(filter.schemeId ?? ALL_SCHEMES, 'CITY', '', prefix)) addMetrics(totals, cell.metrics);
  }
  const scheme = filter.schemeId ? await getScheme(filter.schemeId) : undefined;
  const area = division === null ? translate('stats_summary.nation', language) : (division ?? filter.divisionCode ?? '');
  const levelTotals: Record<string, number> = {
    superior: totals.superior,
    partially_superior: totals.partiallySuperior,
    equivalent: totals.equivalent,
    below: totals.below,
  };
  summary.addRows([
    [translate('stats_sheet.summary', language)],
    [translate('stats_summary.area', language), area],
    [translate('stats_summary.scheme', language), scheme ? `${scheme.name} (${scheme.id})` : (filter.schemeId ?? translate('stats_summary.all_schemes', language))],
    [translate('stats_summary.generated_at', language), now.toISOString()],
    [translate('stats_summary.basis', language)],
    [],
    ...(['enterprises', 'declarations', 'compared', 'meeting'] as const).map((c) => [translate(`stats_column.${c}`, language), totals[c]]),
    [translate('stats_column.meetingRate', language), totals.compared > 0 ? Math.round((totals.meeting / totals.compared) * 1e4) / 1e4 : null],
    ...Object.entries(levelTotals).map(([level, count]) => [translate(`stats_column.${level}`, language), count]),
    [translate('stats_column.forerunners', language), totals.forerunners],
    [
      translate('stats_summary.indicator_consistency', language),
      indicatorConsistency(totals),
      translate('stats_summary.target', language),
      CAMPAIGN_TARGETS.indicatorConsistency,
    ],
  ]);
  summary.getRow(1).font = { bold: true, size: 14 };
  summary.getColumn(1).width = 28;
  summary.getColumn(2).width = 40;

  for (const t of tables) {
    const sheet = workbook.addWorksheet(translate(`stats_group.${t.groupBy}`, language));
    sheet.addRow(t.header).font = { bold: true };
    sheet.addRows(t.rows);
    sheet.views = [{ state: 'frozen', ySplit: 1 }];
    sheet.columns.forEach((column, i) => {
      column.width = i === 1 ? 32 : 14;
    });
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

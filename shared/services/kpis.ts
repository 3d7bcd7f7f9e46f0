/**
 * KPIs (domain.md §4) and campaign targets: indicator consistency from the
 * counters within the caller's territory, the adoption rate from the schemes
 * and the standards catalogue, and progress toward the campaign's targets.
 */
import { addMetrics, ALL_SCHEMES, emptyMetrics, forerunnerListState, indicatorConsistency, NATION } from '../domain/aggregates.ts';
import type { Principal } from '../domain/territory.ts';
import { adoptionRate, CAMPAIGN_TARGETS, isIsoIec, MIN_COMPARED, reachesConsistencyBar } from '../domain/targets.ts';
import { readCells } from '../store/aggregates.ts';
import { forerunnerListSummaries } from '../store/forerunner-lists.ts';
import { getStandardsByNumbers } from '../store/standards.ts';
import { allSchemes, areaOf, citiesWithin, statsDivision } from './stats.ts';

export const INNOVATIVE_CITY_CRITERIA = `participating city with at least ${MIN_COMPARED} compared declarations and indicator consistency of at least ${CAMPAIGN_TARGETS.indicatorConsistency}`;
export const LEADING_INDUSTRY_CRITERIA = `industry with at least ${MIN_COMPARED} compared declarations nationwide and indicator consistency of at least ${CAMPAIGN_TARGETS.indicatorConsistency}`;

async function consistencyWithin(division: string | null, schemeIds: Set<string> | null) {
  const totals = emptyMetrics();
  if (schemeIds === null) {
    // Every scheme: the nation's or area's per-city cells.
    const cells = await readCells(ALL_SCHEMES, 'CITY', '', division === null ? undefined : areaOf(division));
    for (const cell of cells) addMetrics(totals, cell.metrics);
  } else {
    for (const cell of await readCells(ALL_SCHEMES, 'SCH', areaOf(division))) {
      if (schemeIds.has(cell.key)) addMetrics(totals, cell.metrics);
    }
  }
  return {
    value: indicatorConsistency(totals),
    agreeing: totals.verdictsAgreeing,
    compared: totals.verdictsCompared,
    target: CAMPAIGN_TARGETS.indicatorConsistency,
  };
}

async function adoptionOf(schemes: Awaited<ReturnType<typeof allSchemes>>) {
  const numbers = new Set<string>();
  for (const scheme of schemes) {
    for (const indicator of scheme.indicators) for (const b of indicator.benchmarks) if (isIsoIec(b.standard)) numbers.add(b.standard);
  }
  const standards = numbers.size > 0 ? await getStandardsByNumbers([...numbers]) : [];
  const degrees = new Map(standards.map((s) => [s.number, s.adoption?.degree]));
  return adoptionRate([...numbers].map((number) => ({ number, degree: degrees.get(number) })));
}

async function targets(now: Date) {
  const [cities, cityCells, industryCells, lists] = await Promise.all([
    citiesWithin(null),
    readCells(ALL_SCHEMES, 'CITY', ''),
    readCells(ALL_SCHEMES, 'IND', NATION),
    forerunnerListSummaries(),
  ]);
  const participating = new Set(cities.map((c) => c.divisionCode));
  const byRound = ([1, 2, 3] as const).map((round) => ({
    round,
    target: CAMPAIGN_TARGETS.citiesPerRound[round],
    current: cities.filter((c) => c.round === round).length,
  }));
  // Only each scheme's newest list counts; its state decides published or under notice.
  const newest = new Map<string, (typeof lists)[number]>();
  for (const list of lists) {
    const known = newest.get(list.schemeId);
    if (!known || known.id < list.id) newest.set(list.schemeId, list);
  }
  let published = 0;
  let underNotice = 0;
  for (const list of newest.values()) {
    if (forerunnerListState(list, now) === 'published') published += list.entryCount;
    else underNotice += list.entryCount;
  }
  return {
    cities: {
      target: byRound.reduce((sum, r) => sum + r.target, 0),
      current: cities.length,
      byRound,
    },
    innovativeCities: {
      target: CAMPAIGN_TARGETS.innovativeCities,
      current: cityCells.filter((c) => participating.has(c.key) && reachesConsistencyBar(c.metrics)).length,
      criteria: INNOVATIVE_CITY_CRITERIA,
    },
    leadingIndustries: {
      target: CAMPAIGN_TARGETS.leadingIndustries,
      current: industryCells.filter((c) => reachesConsistencyBar(c.metrics)).length,
      criteria: LEADING_INDUSTRY_CRITERIA,
    },
    forerunners: { target: CAMPAIGN_TARGETS.forerunners, current: published, underNotice },
  };
}

export async function computeKpis(principal: Principal, field: string | undefined, now: Date) {
  const division = statsDivision(principal, undefined);
  const schemes = await allSchemes(field);
  const schemeIds = field ? new Set(schemes.map((s) => s.id)) : null;
  const [consistency, adoption, progress] = await Promise.all([
    // A bureau's territory is never outside itself, so division is defined here.
    consistencyWithin(division ?? null, schemeIds),
    adoptionOf(schemes),
    targets(now),
  ]);
  return {
    field: field ?? null,
    divisionCode: division ?? null,
    indicatorConsistency: consistency,
    adoptionRate: adoption,
    targets: progress,
  };
}

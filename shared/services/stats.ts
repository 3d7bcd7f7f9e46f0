/**
 * Figures (domain.md §4) read from the counter cells the stream aggregator
 * keeps: one or a few Queries, never a Scan, never a count at read time.
 * Province, city and round groups fold the per-city cells; industry and
 * scheme groups read cells kept per area (nation, province, city).
 */
import {
  ALL_SCHEMES,
  foldGroups,
  NATION,
  type StatsGroup,
} from '../domain/aggregates.ts';
import { divisionLevel, divisionPrefix } from '../domain/division-code.ts';
import { confineDivision, type Principal } from '../domain/territory.ts';
import { invalidField } from '../http/errors.ts';
import { readCells, type CellRow } from '../store/aggregates.ts';
import { type CityRecord, listCities } from '../store/cities.ts';
import { listSchemes, type SchemeRecord } from '../store/schemes.ts';

export type GroupBy = 'province' | 'city' | 'industry' | 'scheme' | 'round';

/**
 * The division figures are counted over: the filter within the territory,
 * null for the nation, undefined when the filter lies outside the territory.
 * Counters are kept down to cities, so a county filter is refused.
 */
export function statsDivision(principal: Principal, requested: string | undefined): string | null | undefined {
  if (requested && divisionLevel(requested) === 'county') throw invalidField(['divisionCode'], 'division_not_province_or_city');
  return confineDivision(principal, requested);
}

/** Area of the per-area cells: 'CN', a province ('33') or a city prefix ('3301'). */
export const areaOf = (division: string | null) => (division === null ? NATION : divisionPrefix(division));

const cityPrefixOf = (division: string | null) => (division === null ? undefined : divisionPrefix(division));

/** Every participating city within a division (a few hundred at most). */
export async function citiesWithin(division: string | null): Promise<CityRecord[]> {
  const cities: CityRecord[] = [];
  let cursor: string | undefined;
  do {
    const page = await listCities({ division, limit: 100, cursor });
    cities.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return cities;
}

/** Every scheme head (of a field). */
export async function allSchemes(field?: string): Promise<SchemeRecord[]> {
  const schemes: SchemeRecord[] = [];
  let cursor: string | undefined;
  do {
    const page = await listSchemes({ field, limit: 100, cursor });
    schemes.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return schemes;
}

export interface StatsRequest {
  groupBy: GroupBy;
  schemeId?: string;
  divisionCode?: string;
}

export interface StatsResult {
  groupBy: GroupBy;
  schemeId: string | null;
  divisionCode: string | null;
  groups: StatsGroup[];
}

/** Groups of figures within a division (null: the nation). */
export async function groupsWithin(division: string | null, groupBy: GroupBy, schemeId?: string): Promise<StatsGroup[]> {
  const scope = schemeId ?? ALL_SCHEMES;
  let cells: CellRow[];
  let keyOf: (cell: CellRow) => string;
  switch (groupBy) {
    case 'province':
      cells = await readCells(scope, 'CITY', '', cityPrefixOf(division));
      keyOf = (cell) => `${cell.key.slice(0, 2)}0000`;
      break;
    case 'city':
      cells = await readCells(scope, 'CITY', '', cityPrefixOf(division));
      keyOf = (cell) => cell.key;
      break;
    case 'round': {
      const [rows, cities] = await Promise.all([readCells(scope, 'CITY', '', cityPrefixOf(division)), citiesWithin(division)]);
      const rounds = new Map(cities.map((c) => [c.divisionCode, String(c.round)]));
      cells = rows;
      keyOf = (cell) => rounds.get(cell.key) ?? 'none';
      break;
    }
    case 'industry':
      cells = await readCells(scope, 'IND', areaOf(division));
      keyOf = (cell) => cell.key;
      break;
    case 'scheme':
      if (schemeId) {
        cells = await readCells(scope, 'CITY', '', cityPrefixOf(division));
        keyOf = () => schemeId;
      } else {
        cells = await readCells(ALL_SCHEMES, 'SCH', areaOf(division));
        keyOf = (cell) => cell.key;
      }
      break;
  }
  return foldGroups(cells, (cell) => cell.metrics, keyOf);
}

export async function computeStats(principal: Principal, request: StatsRequest): Promise<StatsResult> {
  const division = statsDivision(principal, request.divisionCode);
  const base = { groupBy: request.groupBy, schemeId: request.schemeId ?? null };
  // A filter outside the territory shows nothing, as lists do.
  if (division === undefined) return { ...base, divisionCode: request.divisionCode ?? null, groups: [] };
  return { ...base, divisionCode: division, groups: await groupsWithin(division, request.groupBy, request.schemeId) };
}

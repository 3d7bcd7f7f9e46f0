/**
 * Aggregates (domain.md §4) and forerunner ranking (§3), pure. Figures count,
 * for each enterprise, scheme and product, the latest declaration and its
 * latest successful comparison: its "contribution". Counters are kept in cells
 * (a scope, a dimension and a key); a contribution adds its metrics to eleven
 * cells, and distinct enterprises are counted through reference counts so that
 * sums over cells stay exact.
 */
import type { ComparisonResult, Level } from './comparison.ts';
import { provinceOf } from './division-code.ts';

/** What the aggregator reads of a declaration (its stream image). */
export interface DeclarationImage {
  id: string;
  creditCode: string;
  enterpriseName: string;
  divisionCode: string;
  industry: string;
  schemeId: string;
  product: string;
  standardNumber: string;
  status: string;
  latest: boolean;
  lastComparisonId: string | null;
  version: number;
  createdAt: string;
  acceptedAt?: string | null;
}

/** What one latest declaration adds to the figures. */
export interface Contribution {
  declarationId: string;
  schemeId: string;
  creditCode: string;
  enterpriseName: string;
  divisionCode: string;
  /** Six-digit city code of the enterprise's division (330106 → 330100). */
  city: string;
  industry: string;
  product: string;
  standardNumber: string;
  status: string;
  createdAt: string;
  acceptedAt: string | null;
  /** The comparison counted: the declaration's latest successful one. */
  comparisonId: string | null;
  compared: boolean;
  meets: boolean;
  level: Level | null;
  /** Consistency in units of 1e-4 (it is rounded to 4 places), so sums stay exact. */
  consistencyE4: number | null;
  score: number | null;
  stricter: number;
  /** Verdicts stricter or equal, and verdicts other than incomparable. */
  agreeing: number;
  verdicts: number;
}

export const cityOf = (divisionCode: string) => `${divisionCode.slice(0, 4)}00`;

/** null when the declaration counts for nothing (a revision replaced it). */
export function contributionOf(image: DeclarationImage, result: ComparisonResult | undefined): Contribution | null {
  if (!image.latest) return null;
  const compared = image.lastComparisonId !== null && result !== undefined;
  let stricter = 0;
  let agreeing = 0;
  let verdicts = 0;
  if (compared) {
    for (const indicator of result.indicators) {
      if (indicator.verdict === 'incomparable') continue;
      verdicts++;
      if (indicator.verdict === 'stricter') stricter++;
      if (indicator.verdict === 'stricter' || indicator.verdict === 'equal') agreeing++;
    }
  }
  return {
    declarationId: image.id,
    schemeId: image.schemeId,
    creditCode: image.creditCode,
    enterpriseName: image.enterpriseName,
    divisionCode: image.divisionCode,
    city: cityOf(image.divisionCode),
    industry: image.industry,
    product: image.product,
    standardNumber: image.standardNumber,
    status: image.status,
    createdAt: image.createdAt,
    acceptedAt: image.acceptedAt ?? null,
    comparisonId: compared ? image.lastComparisonId : null,
    compared,
    meets: compared && result.meets,
    level: compared ? result.level : null,
    consistencyE4: compared && result.consistency !== null ? Math.round(result.consistency * 1e4) : null,
    score: compared ? result.score : null,
    stricter,
    agreeing,
    verdicts,
  };
}

/** Ranked (§3): compared and meeting. */
export const isRanked = (c: Contribution | null): c is Contribution & { score: number } =>
  c !== null && c.compared && c.meets && c.score !== null;

/** Publicly shown (api.md /v1/public/results): accepted, with a result. */
export const isPublic = (c: Contribution | null): c is Contribution => c !== null && c.compared && c.status === 'accepted';

// ---- metrics and cells ----

export const METRICS = [
  'enterprises',
  'declarations',
  'compared',
  'meeting',
  'superior',
  'partiallySuperior',
  'equivalent',
  'below',
  'consistencySumE4',
  'consistencyCount',
  'verdictsAgreeing',
  'verdictsCompared',
  'forerunners',
] as const;

export type Metric = (typeof METRICS)[number];
export type Metrics = Record<Metric, number>;

export const emptyMetrics = (): Metrics => Object.fromEntries(METRICS.map((m) => [m, 0])) as Metrics;

const LEVEL_METRIC: Record<Level, Metric> = {
  superior: 'superior',
  partially_superior: 'partiallySuperior',
  equivalent: 'equivalent',
  below: 'below',
};

/** The metrics one contribution adds (enterprises and forerunners are counted apart). */
export function metricsOf(c: Contribution): Partial<Metrics> {
  const m: Partial<Metrics> = { declarations: 1 };
  if (!c.compared) return m;
  m.compared = 1;
  if (c.meets) m.meeting = 1;
  if (c.level) m[LEVEL_METRIC[c.level]] = 1;
  if (c.consistencyE4 !== null) {
    m.consistencySumE4 = c.consistencyE4;
    m.consistencyCount = 1;
  }
  m.verdictsAgreeing = c.agreeing;
  m.verdictsCompared = c.verdicts;
  return m;
}

/** Adds `delta × sign` into `into`. */
export function addMetrics(into: Partial<Metrics>, delta: Partial<Metrics>, sign = 1): Partial<Metrics> {
  for (const [metric, value] of Object.entries(delta) as [Metric, number][]) {
    if (value) into[metric] = (into[metric] ?? 0) + sign * value;
  }
  return into;
}

/** 'ALL' for every scheme, else a scheme id. */
export type Scope = string;
export const ALL_SCHEMES: Scope = 'ALL';

/** Counter cells: by city (key: city code), by industry or by scheme within an area. */
export type Dimension = 'CITY' | 'IND' | 'SCH';

export interface Cell {
  scope: Scope;
  dimension: Dimension;
  /** '' for CITY cells; 'CN', a province ('33') or a city prefix ('3301') otherwise. */
  area: string;
  key: string;
}

export const NATION = 'CN';

/** The areas a city lies in, widest first: the nation, its province, itself. */
export const areasOf = (city: string) => [NATION, provinceOf(city), city.slice(0, 4)];

export const cellId = (cell: Cell) => `${cell.scope}|${cell.dimension}|${cell.area}|${cell.key}`;

/**
 * The cells of a declaration, split by the reference count that decides its
 * enterprise's presence: `all` cells count enterprises over every scheme,
 * `scheme` cells within the declaration's scheme.
 */
export function cellsOf(schemeId: string, city: string, industry: string): { all: Cell[]; scheme: Cell[] } {
  const areas = areasOf(city);
  return {
    all: [
      { scope: ALL_SCHEMES, dimension: 'CITY', area: '', key: city },
      ...areas.map((area) => ({ scope: ALL_SCHEMES, dimension: 'IND' as const, area, key: industry })),
    ],
    scheme: [
      ...areas.map((area) => ({ scope: ALL_SCHEMES, dimension: 'SCH' as const, area, key: schemeId })),
      { scope: schemeId, dimension: 'CITY', area: '', key: city },
      ...areas.map((area) => ({ scope: schemeId, dimension: 'IND' as const, area, key: industry })),
    ],
  };
}

export const allCellsOf = (schemeId: string, city: string, industry: string): Cell[] => {
  const { all, scheme } = cellsOf(schemeId, city, industry);
  return [...all, ...scheme];
};

/**
 * Reference counts of an enterprise's latest declarations: over every scheme
 * (per city and industry) and per scheme. A count leaving or reaching zero moves
 * the enterprise counter of the cells it governs.
 */
export interface RefCount {
  creditCode: string;
  /** `ALL#<city>#<industry>` or `S#<schemeId>#<city>#<industry>`. */
  key: string;
  cells: Cell[];
}

export function refCountsOf(c: Pick<Contribution, 'creditCode' | 'schemeId' | 'city' | 'industry'>): RefCount[] {
  const cells = cellsOf(c.schemeId, c.city, c.industry);
  return [
    { creditCode: c.creditCode, key: `ALL#${c.city}#${c.industry}`, cells: cells.all },
    { creditCode: c.creditCode, key: `S#${c.schemeId}#${c.city}#${c.industry}`, cells: cells.scheme },
  ];
}

// ---- reading ----

export interface StatsGroup {
  key: string;
  enterprises: number;
  declarations: number;
  compared: number;
  meeting: number;
  meetingRate: number | null;
  levels: { superior: number; partially_superior: number; equivalent: number; below: number };
  meanConsistency: number | null;
  forerunners: number;
}

const round4 = (x: number) => Math.round(x * 1e4) / 1e4 + 0;

export function toGroup(key: string, m: Metrics): StatsGroup {
  return {
    key,
    enterprises: m.enterprises,
    declarations: m.declarations,
    compared: m.compared,
    meeting: m.meeting,
    meetingRate: m.compared > 0 ? round4(m.meeting / m.compared) : null,
    levels: {
      superior: m.superior,
      partially_superior: m.partiallySuperior,
      equivalent: m.equivalent,
      below: m.below,
    },
    meanConsistency: m.consistencyCount > 0 ? round4(m.consistencySumE4 / 1e4 / m.consistencyCount) : null,
    forerunners: m.forerunners,
  };
}

/** Folds cells into groups by `keyOf`; groups with nothing in them are left out. */
export function foldGroups<T>(cells: T[], metricsOf: (cell: T) => Metrics, keyOf: (cell: T) => string): StatsGroup[] {
  const groups = new Map<string, Metrics>();
  for (const cell of cells) {
    const key = keyOf(cell);
    const into = groups.get(key) ?? emptyMetrics();
    addMetrics(into, metricsOf(cell));
    groups.set(key, into);
  }
  return [...groups.entries()]
    .filter(([, m]) => m.declarations > 0 || m.forerunners > 0)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, m]) => toGroup(key, m));
}

/** Indicator consistency of a field (§4): (stricter + equal) ÷ compared verdicts. */
export const indicatorConsistency = (m: Pick<Metrics, 'verdictsAgreeing' | 'verdictsCompared'>) =>
  m.verdictsCompared > 0 ? round4(m.verdictsAgreeing / m.verdictsCompared) : null;

// ---- ranking (§3) ----

export interface RankCandidate {
  declarationId: string;
  score: number;
  stricter: number;
  createdAt: string;
}

/** Score desc, stricter verdicts desc, earlier submission; the id settles the rest. */
export function compareRank(a: RankCandidate, b: RankCandidate): number {
  if (a.score !== b.score) return b.score - a.score;
  if (a.stricter !== b.stricter) return b.stricter - a.stricter;
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? -1 : 1;
  return a.declarationId < b.declarationId ? -1 : a.declarationId > b.declarationId ? 1 : 0;
}

/** How many of n ranked are forerunners: max(1, ceil(share × n − 1e-9)), none of none. */
export function forerunnerCount(n: number, share: number): number {
  if (n <= 0) return 0;
  return Math.min(n, Math.max(1, Math.ceil(share * n - 1e-9)));
}

/**
 * A sort key that orders like compareRank: scores have 4 decimals in [-1, 1]
 * and stricter counts are below 10,000, so fixed-width complements sort
 * descending as strings.
 */
export function rankKey(c: RankCandidate): string {
  const score = Math.round(c.score * 1e4);
  if (!Number.isInteger(score) || score < -10_000 || score > 10_000) throw new RangeError(`score ${c.score} out of range`);
  if (!Number.isInteger(c.stricter) || c.stricter < 0 || c.stricter > 9_999) {
    throw new RangeError(`stricter count ${c.stricter} out of range`);
  }
  const scorePart = String(10_000 - score).padStart(5, '0');
  const stricterPart = String(9_999 - c.stricter).padStart(4, '0');
  return `${scorePart}#${stricterPart}#${c.createdAt}#${c.declarationId}`;
}

/** Ranks candidates and marks the forerunners among them. */
export function rank<T extends RankCandidate>(
  candidates: T[],
  share: number,
): (T & { rank: number; forerunner: boolean })[] {
  const sorted = [...candidates].sort(compareRank);
  const k = forerunnerCount(sorted.length, share);
  return sorted.map((c, i) => ({ ...c, rank: i + 1, forerunner: i < k }));
}

// ---- planning a set of contribution changes ----

/** A declaration whose contribution moves from `before` to `after`. */
export interface ContributionChange {
  declarationId: string;
  /** The declaration version `after` reflects. */
  version: number;
  /** The version recorded with `before`; null when nothing was recorded yet. */
  beforeVersion: number | null;
  before: Contribution | null;
  after: Contribution | null;
}

export interface RankEntry {
  declarationId: string;
  schemeId: string;
  creditCode: string;
  city: string;
  industry: string;
  score: number;
  stricter: number;
  createdAt: string;
  status: string;
}

export const rankEntryOf = (c: Contribution & { score: number }): RankEntry => ({
  declarationId: c.declarationId,
  schemeId: c.schemeId,
  creditCode: c.creditCode,
  city: c.city,
  industry: c.industry,
  score: c.score,
  stricter: c.stricter,
  createdAt: c.createdAt,
  status: c.status,
});

export interface ChangePlan {
  changes: ContributionChange[];
  /** Metric deltas by cell id; cells whose deltas cancel out are left out. */
  cells: Map<string, { cell: Cell; delta: Partial<Metrics> }>;
  /** Reference counts by `<creditCode>|<key>`: from the current value to the new one. */
  refCounts: Map<string, { creditCode: string; key: string; from: number; to: number }>;
  entryPuts: RankEntry[];
  entryDeletes: { schemeId: string; rankKey: string }[];
  /** Schemes whose ranking entries change, with the change in their number of entries. */
  rankings: Map<string, number>;
}

const refId = (r: Pick<RefCount, 'creditCode' | 'key'>) => `${r.creditCode}|${r.key}`;

const sameEntry = (a: RankEntry, b: RankEntry) =>
  a.score === b.score && a.stricter === b.stricter && a.status === b.status && a.createdAt === b.createdAt;

/**
 * What a set of changes does to the counters, given the current reference
 * counts (missing = 0). Pure: the store turns the plan into one transaction.
 */
export function planChanges(changes: ContributionChange[], currentRefCounts: ReadonlyMap<string, number>): ChangePlan {
  const cells = new Map<string, { cell: Cell; delta: Partial<Metrics> }>();
  const refDeltas = new Map<string, { ref: RefCount; delta: number }>();
  const entryPuts: RankEntry[] = [];
  const entryDeletes: { schemeId: string; rankKey: string }[] = [];
  const rankings = new Map<string, number>();

  const addToCells = (list: Cell[], delta: Partial<Metrics>, sign: number) => {
    for (const cell of list) {
      const id = cellId(cell);
      const current = cells.get(id) ?? { cell, delta: {} };
      addMetrics(current.delta, delta, sign);
      cells.set(id, current);
    }
  };
  const apply = (c: Contribution, sign: number) => {
    addToCells(allCellsOf(c.schemeId, c.city, c.industry), metricsOf(c), sign);
    for (const ref of refCountsOf(c)) {
      const current = refDeltas.get(refId(ref)) ?? { ref, delta: 0 };
      current.delta += sign;
      refDeltas.set(refId(ref), current);
    }
  };

  for (const change of changes) {
    if (change.before) apply(change.before, -1);
    if (change.after) apply(change.after, 1);
    const before = isRanked(change.before) ? rankEntryOf(change.before) : null;
    const after = isRanked(change.after) ? rankEntryOf(change.after) : null;
    const beforeKey = before && rankKey(before);
    const afterKey = after && rankKey(after);
    const deleted = before !== null && beforeKey !== afterKey;
    const put = after !== null && !(before && beforeKey === afterKey && sameEntry(before, after));
    if (deleted) entryDeletes.push({ schemeId: before.schemeId, rankKey: beforeKey! });
    if (put) entryPuts.push(after);
    if (deleted || put) {
      const schemeId = (after ?? before)!.schemeId;
      rankings.set(schemeId, (rankings.get(schemeId) ?? 0) + (after ? 1 : 0) - (before ? 1 : 0));
    }
  }

  // An enterprise appears in a cell when its count leaves zero, and goes when it returns to zero.
  const refCounts = new Map<string, { creditCode: string; key: string; from: number; to: number }>();
  for (const [id, { ref, delta }] of refDeltas) {
    if (delta === 0) continue;
    const from = currentRefCounts.get(id) ?? 0;
    const to = from + delta;
    if (to < 0) throw new Error(`reference count ${id} would fall below zero`);
    refCounts.set(id, { creditCode: ref.creditCode, key: ref.key, from, to });
    if (from === 0 && to > 0) addToCells(ref.cells, { enterprises: 1 }, 1);
    if (from > 0 && to === 0) addToCells(ref.cells, { enterprises: 1 }, -1);
  }

  // What cancels out is not written.
  for (const [id, entry] of cells) {
    for (const [metric, value] of Object.entries(entry.delta)) if (!value) delete entry.delta[metric as Metric];
    if (Object.keys(entry.delta).length === 0) cells.delete(id);
  }
  return { changes, cells, refCounts, entryPuts, entryDeletes, rankings };
}

export const refCountId = refId;

// ---- forerunner reconciliation ----

export interface ForerunnerPlace {
  city: string;
  industry: string;
}

export interface ForerunnerStep {
  /** The forerunner set after this step. */
  next: Map<string, ForerunnerPlace>;
  /** Forerunner deltas per cell. */
  cells: { cell: Cell; delta: number }[];
  /** False when more steps are needed (the change touched too many cells for one transaction). */
  complete: boolean;
  changed: boolean;
}

/**
 * Moves the counted forerunner set toward the desired one (the top k of the
 * ranking), touching at most `maxCells` counter cells: leavers first, then
 * newcomers, so a partial step never counts more forerunners than either set.
 */
export function forerunnerStep(
  schemeId: string,
  current: ReadonlyMap<string, ForerunnerPlace>,
  desired: ReadonlyMap<string, ForerunnerPlace>,
  maxCells: number,
): ForerunnerStep {
  const flips: [string, ForerunnerPlace, number][] = [
    ...[...current].filter(([id]) => !desired.has(id)).map(([id, place]): [string, ForerunnerPlace, number] => [id, place, -1]),
    ...[...desired].filter(([id]) => !current.has(id)).map(([id, place]): [string, ForerunnerPlace, number] => [id, place, 1]),
  ];
  const next = new Map(current);
  const cells = new Map<string, { cell: Cell; delta: number }>();
  let complete = true;
  for (const [id, place, delta] of flips) {
    const touched = allCellsOf(schemeId, place.city, place.industry);
    const added = touched.filter((cell) => !cells.has(cellId(cell))).length;
    if (cells.size + added > maxCells) {
      complete = false;
      break;
    }
    for (const cell of touched) {
      const current = cells.get(cellId(cell)) ?? { cell, delta: 0 };
      current.delta += delta;
      cells.set(cellId(cell), current);
    }
    if (delta > 0) next.set(id, place);
    else next.delete(id);
  }
  return { next, cells: [...cells.values()].filter((c) => c.delta !== 0), complete, changed: flips.length > 0 };
}

// ---- forerunner lists ----

export type ForerunnerListState = 'public_notice' | 'published';

/** 公示中 until the notice ends, then 已发布: derived at read time, no timer. */
export const forerunnerListState = (list: { noticeEndsAt: string }, now: Date): ForerunnerListState =>
  now.getTime() < Date.parse(list.noticeEndsAt) ? 'public_notice' : 'published';

export const noticeEndsAt = (createdAt: string, noticeDays: number) =>
  new Date(Date.parse(createdAt) + noticeDays * 86_400_000).toISOString();

/**
 * Forerunners (领跑者, domain.md §3): the live ranking kept by the stream
 * aggregator, national snapshots of the accepted ones as forerunner lists, and
 * what the public sees of both.
 */
import { ulid } from 'ulid';
import {
  type Contribution,
  contributionOf,
  forerunnerCount,
  forerunnerListState,
  isRanked,
  noticeEndsAt,
  rank,
  type RankEntry,
} from '../domain/aggregates.ts';
import { canSeeDivision, type Principal } from '../domain/territory.ts';
import { conflict, invalidField, notFound } from '../http/errors.ts';
import { getRankState, loadComparisonResults, publicResultsPage, rankEntriesPage } from '../store/aggregates.ts';
import { type DeclarationRecord, listDeclarations } from '../store/declarations.ts';
import { type ForerunnerListRecord, listForerunnerLists, putForerunnerList } from '../store/forerunner-lists.ts';
import { rankPartition } from '../store/keys.ts';
import { getScheme } from '../store/schemes.ts';
import { nowIso } from '../store/table.ts';

// ---- the live ranking ----

interface RankCursor {
  /** Sort key of the last entry passed. */
  s: string;
  /** Its rank. */
  r: number;
}

function decodeRankCursor(cursor: string | undefined): RankCursor | undefined {
  if (!cursor) return undefined;
  try {
    const state = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as RankCursor;
    if (typeof state.s === 'string' && state.s.startsWith('E#') && Number.isInteger(state.r) && state.r >= 0) return state;
  } catch {
    // fall through to the 422
  }
  throw invalidField(['cursor'], 'invalid_cursor');
}

const encodeRankCursor = (state: RankCursor) => Buffer.from(JSON.stringify(state)).toString('base64url');

function visibleTo(principal: Principal): (entry: RankEntry) => boolean {
  if (principal.role === 'national') return () => true;
  if (principal.role === 'enterprise') return (entry) => entry.creditCode === principal.territory;
  return (entry) => canSeeDivision(principal, entry.city);
}

/** Entries read per request at most, so a bureau with few entries gets short pages, not slow ones. */
const MAX_SCANNED_PER_REQUEST = 1000;
const READ_PAGE = 200;

export async function rankingPage(principal: Principal, schemeId: string, limit: number, cursor?: string) {
  const position = decodeRankCursor(cursor);
  const scheme = await getScheme(schemeId);
  if (!scheme) throw notFound('scheme');
  const state = await getRankState(schemeId);
  const k = forerunnerCount(state.n, scheme.leaderShare);
  const visible = visibleTo(principal);

  const items: { rank: number; declarationId: string; creditCode: string; score: number; stricterCount: number; forerunner: boolean }[] = [];
  let passed = position?.r ?? 0;
  let lastKey = position?.s;
  let start: Record<string, unknown> | undefined = position ? { pk: rankPartition(schemeId), sk: position.s } : undefined;
  let atEnd = false;
  let scanned = 0;
  while (items.length < limit && scanned < MAX_SCANNED_PER_REQUEST) {
    const page = await rankEntriesPage(schemeId, READ_PAGE, start);
    let consumed = 0;
    for (const entry of page.entries) {
      consumed++;
      passed++;
      lastKey = (entry as RankEntry & { sk: string }).sk;
      if (visible(entry)) {
        items.push({
          rank: passed,
          declarationId: entry.declarationId,
          creditCode: entry.creditCode,
          score: entry.score,
          stricterCount: entry.stricter,
          forerunner: passed <= k,
        });
        if (items.length === limit) break;
      }
    }
    scanned += consumed;
    if (consumed === page.entries.length && !page.next) {
      atEnd = true;
      break;
    }
    start = { pk: rankPartition(schemeId), sk: lastKey };
  }
  return {
    schemeId,
    leaderShare: scheme.leaderShare,
    ranked: state.n,
    forerunnerCount: k,
    items,
    nextCursor: atEnd || lastKey === undefined ? null : encodeRankCursor({ s: lastKey, r: passed }),
  };
}

// ---- forerunner lists ----

/** Every latest accepted declaration of a scheme (Query on the scheme's index, status filtered). */
async function acceptedDeclarations(schemeId: string): Promise<DeclarationRecord[]> {
  const found: DeclarationRecord[] = [];
  let cursor: string | undefined;
  do {
    const page = await listDeclarations({ division: null, schemeId, status: 'accepted', limit: 100, cursor });
    found.push(...page.items.filter((d) => d.latest));
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return found;
}

/**
 * A snapshot of the forerunners when only accepted declarations are ranked
 * (n = the accepted ones that meet), from the declarations themselves rather
 * than the live ranking, so an acceptance just made is in it.
 */
export async function createForerunnerList(principal: Principal, schemeId: string, noticeDays: number): Promise<ForerunnerListRecord> {
  const scheme = await getScheme(schemeId);
  if (!scheme) throw notFound('scheme');
  const accepted = await acceptedDeclarations(schemeId);
  const ids = accepted.map((d) => d.lastComparisonId).filter((id): id is string => id !== null);
  const results = ids.length > 0 ? await loadComparisonResults(ids) : new Map();
  const candidates = accepted
    .map((d) => contributionOf(d, d.lastComparisonId ? results.get(d.lastComparisonId) : undefined))
    .filter(isRanked)
    .map((c) => ({ ...c, score: c.score }));
  if (candidates.length === 0) throw conflict('detail.no_accepted_forerunners');
  const ranked = rank(candidates, scheme.leaderShare);
  const createdAt = nowIso();
  const list: ForerunnerListRecord = {
    id: ulid(),
    schemeId,
    schemeName: scheme.name,
    schemeVersion: scheme.version,
    leaderShare: scheme.leaderShare,
    noticeDays,
    createdAt,
    noticeEndsAt: noticeEndsAt(createdAt, noticeDays),
    ranked: ranked.length,
    entries: ranked
      .filter((r) => r.forerunner)
      .map((r) => ({
        rank: r.rank,
        declarationId: r.declarationId,
        creditCode: r.creditCode,
        enterpriseName: r.enterpriseName,
        divisionCode: r.divisionCode,
        product: r.product,
        standardNumber: r.standardNumber,
        score: r.score,
        stricterCount: r.stricter,
        level: r.level!,
      })),
    createdBy: principal.clientId,
  };
  await putForerunnerList(list);
  return list;
}

/** What anyone may see of a list: no declaration ids, the state as of `now`. */
export function presentForerunnerList(list: ForerunnerListRecord, now: Date) {
  return {
    id: list.id,
    schemeId: list.schemeId,
    schemeName: list.schemeName,
    state: forerunnerListState(list, now),
    noticeDays: list.noticeDays,
    createdAt: list.createdAt,
    noticeEndsAt: list.noticeEndsAt,
    ranked: list.ranked,
    leaderShare: list.leaderShare,
    entries: list.entries.map(({ declarationId: _id, ...entry }) => entry),
  };
}

/** Seconds a public page may be cached: until the next list changes state, at most `max`. */
export function cacheSeconds(lists: { noticeEndsAt: string }[], now: Date, max: number): number {
  let seconds = max;
  for (const list of lists) {
    const left = Math.floor((Date.parse(list.noticeEndsAt) - now.getTime()) / 1000);
    if (left >= 0) seconds = Math.min(seconds, left);
  }
  return seconds;
}

export async function publicForerunnerLists(schemeId: string | undefined, limit: number, cursor: string | undefined, now: Date) {
  const page = await listForerunnerLists({ schemeId, limit, cursor });
  return { page, items: page.items.map((list) => presentForerunnerList(list, now)) };
}

// ---- public results ----

export async function publicResults(schemeId: string | undefined, limit: number, cursor: string | undefined) {
  const page = await publicResultsPage(schemeId, limit, cursor);
  const contributions = page.items;
  const names = new Map<string, string | null>();
  await Promise.all(
    [...new Set(contributions.map((c) => c.schemeId))].map(async (id) => names.set(id, (await getScheme(id))?.name ?? null)),
  );
  return { items: contributions.map((c) => presentPublicResult(c, names.get(c.schemeId) ?? null)), nextCursor: page.nextCursor };
}

/** An accepted result as the public sees it (also on an enterprise's showcase). */
export function presentPublicResult(c: Contribution, schemeName: string | null) {
  return {
    schemeId: c.schemeId,
    schemeName,
    creditCode: c.creditCode,
    enterpriseName: c.enterpriseName,
    divisionCode: c.divisionCode,
    product: c.product,
    standardNumber: c.standardNumber,
    meets: c.meets,
    level: c.level,
    consistency: c.consistencyE4 === null ? null : c.consistencyE4 / 1e4,
    score: c.score,
    acceptedAt: c.acceptedAt ?? c.createdAt,
  };
}

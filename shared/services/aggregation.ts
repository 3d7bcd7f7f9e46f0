/**
 * The stream aggregator: folds a batch of the Main table's stream into the
 * counters (domain.md §4) and the forerunner rankings (§3). Declarations'
 * new images say what each declaration contributes now; the contribution items
 * say what is counted; the difference, folded over the batch, is written in as
 * few transactions as DynamoDB's 100-item limit allows (one write per touched
 * counter per transaction). Scheme changes (leaderShare) re-rank their scheme.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import {
  allCellsOf,
  cellId,
  type Contribution,
  type ContributionChange,
  contributionOf,
  type DeclarationImage,
  forerunnerCount,
  forerunnerStep,
  isRanked,
  planChanges,
  rankKey,
  refCountId,
  refCountsOf,
} from '../domain/aggregates.ts';
import type { ComparisonResult } from '../domain/comparison.ts';
import { logger } from '../observability.ts';
import {
  commitForerunners,
  getLeaderShare,
  getRankState,
  loadComparisonResults,
  loadContributions,
  loadRefCounts,
  MAX_TRANSACTION_ITEMS,
  planItems,
  type StoredContribution,
  topRankEntries,
  writeTransaction,
} from '../store/aggregates.ts';

/** The scheme default (api.md) when a scheme head cannot be read. */
const DEFAULT_LEADER_SHARE = 0.1;
const MAX_ATTEMPTS = 8;

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));
/** Jittered backoff: concurrent batches touching the same counters spread out. */
const backoff = (attempt: number) => sleep(Math.random() * Math.min(1000, 25 * 2 ** attempt));

interface Pending {
  image: DeclarationImage;
  result: ComparisonResult | undefined;
}

function imageOf(item: Record<string, unknown>): DeclarationImage {
  return {
    id: item.id as string,
    creditCode: item.creditCode as string,
    enterpriseName: item.enterpriseName as string,
    divisionCode: item.divisionCode as string,
    industry: item.industry as string,
    schemeId: item.schemeId as string,
    product: item.product as string,
    standardNumber: item.standardNumber as string,
    status: item.status as string,
    latest: item.latest === true,
    lastComparisonId: (item.lastComparisonId as string | null | undefined) ?? null,
    version: item.version as number,
    createdAt: item.createdAt as string,
    acceptedAt: (item.acceptedAt as string | undefined) ?? null,
  };
}

export async function aggregateRecords(records: DynamoDBRecord[]): Promise<void> {
  const images = new Map<string, DeclarationImage>();
  const schemes = new Set<string>();
  for (const record of records) {
    const raw = record.dynamodb?.NewImage;
    if (!raw) continue;
    const item = unmarshall(raw as Record<string, AttributeValue>);
    if (item.kind === 'declaration') {
      const image = imageOf(item);
      const known = images.get(image.id);
      // Records of one item arrive in order; the newest image is what counts.
      if (!known || known.version <= image.version) images.set(image.id, image);
      schemes.add(image.schemeId);
    } else if (item.kind === 'scheme') {
      schemes.add(item.id as string);
    }
  }
  if (images.size > 0) await applyImages([...images.values()]);
  // Also after a redelivery that changed nothing: a reconciliation may be what failed.
  for (const schemeId of schemes) await reconcileForerunners(schemeId);
}

/** What the batch knows of the stored state; kept current as its transactions commit. */
interface KnownState {
  stored: Map<string, StoredContribution>;
  refs: Map<string, number>;
}

async function applyImages(images: DeclarationImage[]): Promise<void> {
  const stored = await loadContributions(images.map((i) => i.id));
  const fresh = images.filter((image) => (stored.get(image.id)?.version ?? 0) < image.version);
  const comparisonIds = fresh.filter((i) => i.latest && i.lastComparisonId).map((i) => i.lastComparisonId!);
  const results = comparisonIds.length > 0 ? await loadComparisonResults(comparisonIds) : new Map();
  const pending: Pending[] = fresh.map((image) => {
    const result = image.lastComparisonId ? results.get(image.lastComparisonId) : undefined;
    // Written before or with the declaration and read consistently, so missing means
    // inconsistent data: counted as not compared (a re-run corrects it), not a stuck stream.
    if (image.latest && image.lastComparisonId && !result) {
      logger.error('latest successful comparison not found', { declarationId: image.id, comparisonId: image.lastComparisonId });
    }
    return { image, result };
  });
  const state: KnownState = {
    stored,
    refs: await loadRefCounts(pending.flatMap((p) => refsOf(p, stored.get(p.image.id)?.contribution ?? null))),
  };

  // Greedy chunks whose items (counted generously: every cell, entry and count a
  // change may touch) fit one transaction. Declarations of one scheme, industry
  // and city share their cells, so taking them together writes each cell fewer times.
  const sortKey = (p: Pending) => `${p.image.schemeId}|${p.image.industry}|${p.image.divisionCode}`;
  pending.sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : sortKey(a) > sortKey(b) ? 1 : 0));
  let chunk: Pending[] = [];
  let keys = new Set<string>();
  for (const next of pending) {
    const touched = itemsTouched(next, state.stored.get(next.image.id)?.contribution ?? null);
    const union = new Set([...keys, ...touched]);
    if (chunk.length > 0 && union.size > MAX_TRANSACTION_ITEMS) {
      await applyChunk(chunk, state);
      chunk = [next];
      keys = new Set(touched);
    } else {
      chunk.push(next);
      keys = union;
    }
  }
  if (chunk.length > 0) await applyChunk(chunk, state);
}

function refsOf(p: Pending, before: Contribution | null) {
  const after = contributionOf(p.image, p.result);
  return [...(before ? refCountsOf(before) : []), ...(after ? refCountsOf(after) : [])];
}

/** Ids of every item a change may write: its contribution, ranking entries and state, counts and cells. */
function itemsTouched(p: Pending, before: Contribution | null): string[] {
  const after = contributionOf(p.image, p.result);
  const ids = [`D|${p.image.id}`];
  for (const c of [before, after]) {
    if (!c) continue;
    if (isRanked(c)) ids.push(`E|${rankKey(c)}`, `R|${c.schemeId}`);
    for (const ref of refCountsOf(c)) ids.push(`N|${ref.creditCode}|${ref.key}`);
    for (const cell of allCellsOf(c.schemeId, c.city, c.industry)) ids.push(`C|${cellId(cell)}`);
  }
  return ids;
}

function changesOf(pending: Pending[], stored: Map<string, StoredContribution>): ContributionChange[] {
  const changes: ContributionChange[] = [];
  for (const { image, result } of pending) {
    const current = stored.get(image.id);
    // Applied already (a redelivery, or a concurrent consumer got there first).
    if (current && current.version >= image.version) continue;
    changes.push({
      declarationId: image.id,
      version: image.version,
      beforeVersion: current?.version ?? null,
      before: current?.contribution ?? null,
      after: contributionOf(image, result),
    });
  }
  return changes;
}

/**
 * One transaction for the chunk, planned from the known state; after a
 * conflict, from freshly read state. The known state follows each commit.
 */
async function applyChunk(chunk: Pending[], state: KnownState): Promise<void> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    if (attempt > 0) {
      await backoff(attempt);
      for (const [id, current] of await loadContributions(chunk.map((p) => p.image.id))) state.stored.set(id, current);
      const refs = chunk.flatMap((p) => refsOf(p, state.stored.get(p.image.id)?.contribution ?? null));
      const fresh = await loadRefCounts(refs);
      for (const ref of refs) state.refs.set(refCountId(ref), fresh.get(refCountId(ref)) ?? 0);
    }
    const changes = changesOf(chunk, state.stored);
    if (changes.length === 0) return;
    const plan = planChanges(changes, state.refs);
    const items = planItems(plan);
    if (items.length > MAX_TRANSACTION_ITEMS && chunk.length > 1) {
      const half = Math.ceil(chunk.length / 2);
      await applyChunk(chunk.slice(0, half), state);
      await applyChunk(chunk.slice(half), state);
      return;
    }
    if ((await writeTransaction(items)) === 'done') {
      for (const change of changes) state.stored.set(change.declarationId, { version: change.version, contribution: change.after });
      for (const [id, ref] of plan.refCounts) state.refs.set(id, ref.to);
      return;
    }
  }
  throw new Error(`aggregating ${chunk.length} declaration(s) kept conflicting; the batch will be retried`);
}

/**
 * Brings a scheme's counted forerunners to the top k of its ranking. Commits
 * only against the ranking version it read, so the last commit always saw
 * every entry written before it.
 */
export async function reconcileForerunners(schemeId: string): Promise<void> {
  const share = (await getLeaderShare(schemeId)) ?? DEFAULT_LEADER_SHARE;
  for (let attempt = 0; attempt < MAX_ATTEMPTS * 4; attempt++) {
    const state = await getRankState(schemeId, true);
    if (!state.exists && state.forerunners.size === 0) return; // never ranked anything
    const top = await topRankEntries(schemeId, forerunnerCount(state.n, share));
    const desired = new Map(top.map((e) => [e.declarationId, { city: e.city, industry: e.industry }]));
    // One item is the ranking state itself.
    const step = forerunnerStep(schemeId, state.forerunners, desired, MAX_TRANSACTION_ITEMS - 1);
    if (!step.changed && state.share === share) return;
    const outcome = await commitForerunners(schemeId, state, share, step.next, step.cells);
    if (outcome === 'done' && step.complete) return;
    if (outcome === 'stale') await backoff(Math.min(attempt, 6));
  }
  logger.warn('forerunner reconciliation did not settle', { schemeId });
  throw new Error(`forerunners of scheme ${schemeId} did not settle; the batch will be retried`);
}

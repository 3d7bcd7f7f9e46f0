/**
 * Search over standards, schemes, experts and institutions, and keeping its
 * index current from the table's stream. See shared/domain/search.ts for the
 * tokens and the ranking, shared/store/search-index.ts for the postings.
 */
import { indexWrites, pairsToVerify, queryTerms, rank, type RankedResult, type SearchType } from '../domain/search.ts';
import { lookupPostings, readPostingLists, writePostings } from '../store/search-index.ts';

/** Postings read per query term: the bound on a common term's list. */
export const POSTINGS_PER_TERM = 100;

export async function search(query: string, type: SearchType | undefined, limit: number): Promise<RankedResult[]> {
  const terms = queryTerms(query);
  if (terms.length === 0) return [];
  const lists = await readPostingLists(
    terms.map((t) => t.token),
    type,
    POSTINGS_PER_TERM,
  );
  const pairs = pairsToVerify(terms, lists).filter((pair) => !type || pair.type === type);
  if (pairs.length > 0) {
    const byToken = new Map(lists.map((list) => [list.token, list]));
    for (const posting of await lookupPostings(pairs)) byToken.get(posting.token)?.postings.push(posting);
  }
  return rank(terms, lists, limit);
}

/** Applies a batch of stream records (old and new images, in stream order) to the index. */
export async function indexChanges(changes: { before?: Record<string, unknown>; after?: Record<string, unknown> }[]): Promise<void> {
  const { puts, removals } = indexWrites(changes);
  await writePostings(puts, removals);
}

/**
 * Search over standards, schemes, experts and institutions, and keeping its
 * index current from the table's stream. See shared/domain/search.ts for the
 * tokens and the ranking, shared/store/search-index.ts for the postings.
 */
import {
  indexChanges,
  pairsToVerify,
  queryTerms,
  rank,
  type RankedResult,
  searchDocumentOf,
  type SearchType,
} from '../domain/search.ts';
import { deletePostings, lookupPostings, putDocumentPostings, readPostingLists } from '../store/search-index.ts';

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

/** Applies one stream record (its old and new images) to the index. */
export async function indexChange(before: Record<string, unknown> | undefined, after: Record<string, unknown> | undefined): Promise<void> {
  const { put, remove } = indexChanges(
    before ? searchDocumentOf(before) : undefined,
    after ? searchDocumentOf(after) : undefined,
  );
  if (remove) await deletePostings(remove.type, remove.id, remove.tokens);
  if (put) await putDocumentPostings(put);
}

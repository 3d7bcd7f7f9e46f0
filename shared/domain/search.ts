/**
 * Search without a search engine: every indexed document (standard, scheme,
 * expert, institution) becomes postings keyed by token, and a query is read
 * back token by token. Tokens are made the same way on both sides:
 *
 * - Chinese: character bigrams (`空调`, `调器`), and single characters in
 *   documents so that a one-character query finds something;
 * - other scripts: lower-cased words, a light plural stem (`pumps` -> `pump`)
 *   and, in documents, the word's prefixes from three letters (type-ahead);
 * - numbers: digit runs (`16358`), dotted or dashed chains (`16358-1`,
 *   `40363.1`), letters joined to the number that follows them (`iso16358`,
 *   `gbt40363`), and the whole normalised standard number (`=iso 16358-1:2013`);
 * - a whole field folded to letters and digits (`~空调`, `~heatpumps`), so that
 *   typing an alias or a name exactly ranks its document first.
 *
 * Pure: no I/O. shared/store/search-index.ts keeps the postings.
 */
import { normalizeStandardNumber } from './standard-number.ts';

export const searchTypes = ['standard', 'scheme', 'expert', 'institution'] as const;
export type SearchType = (typeof searchTypes)[number];

export interface SearchDocument {
  type: SearchType;
  id: string;
  /** What a result shows. */
  title: string;
  /** token -> weight (term frequency times field and token-kind weights). */
  postings: Map<string, number>;
}

/** Tokens longer than this are not indexed (DynamoDB keys stay small). */
const MAX_TOKEN_LENGTH = 120;
/** Term frequency saturates: a word repeated in every field does not swamp the rest. */
const MAX_WEIGHT = 20;

const STOP_WORDS = new Set(
  'a an and are as at be by for from in into is of on or the to with part parts'.split(' '),
);

/** NFKC (full-width to ASCII), lower case. */
export function fold(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}

/** A field folded to its letters and digits only: the key of a whole-field match. */
export function compact(text: string): string {
  return fold(text).replace(/[^\p{L}\p{N}]/gu, '');
}

/** `pumps` -> `pump`, `conditioners` -> `conditioner`; `class`, `gas` and short words stay. */
export function stem(word: string): string {
  if (word.length > 3 && word.endsWith('s') && !word.endsWith('ss')) return word.slice(0, -1);
  return word;
}

interface Segment {
  kind: 'han' | 'letters' | 'digits' | 'other';
  text: string;
}

const SEGMENT = /(\p{Script=Han}+)|((?:(?!\p{Script=Han})[\p{L}\p{M}])+)|(\p{Nd}+)|([^\p{L}\p{M}\p{Nd}]+)/gu;

function segments(folded: string): Segment[] {
  const out: Segment[] = [];
  for (const m of folded.matchAll(SEGMENT)) {
    if (m[1]) out.push({ kind: 'han', text: m[1] });
    else if (m[2]) out.push({ kind: 'letters', text: m[2] });
    else if (m[3]) out.push({ kind: 'digits', text: m[3] });
    else out.push({ kind: 'other', text: m[4] ?? m[0] });
  }
  return out;
}

/** Kinds of tokens, which weigh differently. */
export type TokenKind = 'exact' | 'whole' | 'compound' | 'chain' | 'number' | 'word' | 'prefix' | 'bigram' | 'char';

export interface Token {
  token: string;
  kind: TokenKind;
}

const chainSeparator = (s: Segment | undefined) => s?.kind === 'other' && (s.text === '.' || s.text === '-');

/** Digit runs joined by '.' or '-' ('16358-1', '40363.1', '60335-2-15'), every leading chain. */
function chains(list: Segment[]): Token[] {
  const out: Token[] = [];
  for (let i = 0; i < list.length; i++) {
    if (list[i]!.kind !== 'digits') continue;
    // Inside a chain that started earlier.
    if (chainSeparator(list[i - 1]) && list[i - 2]?.kind === 'digits') continue;
    let text = list[i]!.text;
    for (let j = i + 1; j + 1 < list.length && chainSeparator(list[j]) && list[j + 1]!.kind === 'digits'; j += 2) {
      text += list[j]!.text + list[j + 1]!.text;
      out.push({ token: text, kind: 'chain' });
    }
  }
  return out;
}

/**
 * Letters joined to the number after them, across at most one '/' or space:
 * 'ISO 16358' -> iso16358; 'GB/T 40363' -> t40363, gbt40363, gb40363;
 * 'ISO/IEC 17025' -> iec17025, isoiec17025, iso17025.
 */
function compounds(list: Segment[]): Token[] {
  const out: Token[] = [];
  const separator = (s: Segment | undefined) => s?.kind === 'other' && /^[ /]$/.test(s.text);
  for (let i = 0; i < list.length; i++) {
    if (list[i]!.kind !== 'digits') continue;
    const digits = list[i]!.text;
    let j = i - 1;
    if (separator(list[j])) j--;
    const near = list[j];
    if (near?.kind !== 'letters') continue;
    out.push({ token: near.text + digits, kind: 'compound' });
    let k = j - 1;
    if (separator(list[k])) k--;
    const far = list[k];
    if (far?.kind === 'letters') {
      out.push({ token: far.text + near.text + digits, kind: 'compound' });
      out.push({ token: far.text + digits, kind: 'compound' });
    }
  }
  return out;
}

/**
 * The tokens of free text. `document` adds what only documents carry: single
 * Chinese characters beside the bigrams, and word prefixes.
 */
export function textTokens(text: string, document: boolean): Token[] {
  const list = segments(fold(text));
  const out: Token[] = [];
  for (const segment of list) {
    if (segment.kind === 'han') {
      const chars = [...segment.text];
      if (chars.length === 1 || document) for (const char of chars) out.push({ token: char, kind: 'char' });
      for (let i = 0; i + 1 < chars.length; i++) out.push({ token: chars[i]! + chars[i + 1]!, kind: 'bigram' });
    } else if (segment.kind === 'letters') {
      // Single letters ('T' of GB/T, 'C' of JIS C) say nothing alone; compounds keep them.
      if (STOP_WORDS.has(segment.text) || segment.text.length < 2) continue;
      const word = stem(segment.text);
      out.push({ token: word, kind: 'word' });
      if (document) {
        for (let n = 3; n < word.length; n++) out.push({ token: word.slice(0, n), kind: 'prefix' });
      }
    } else if (segment.kind === 'digits' && segment.text.length >= 2) {
      out.push({ token: segment.text, kind: 'number' });
    }
  }
  out.push(...chains(list));
  return out;
}

/** The tokens of a standard number: the exact number, compounds and chains, then its text. */
export function numberTokens(raw: string): Token[] {
  const parsed = normalizeStandardNumber(raw);
  const number = parsed.ok ? parsed.number : raw;
  return [
    { token: `=${fold(number)}`, kind: 'exact' },
    ...compounds(segments(fold(number))),
    ...textTokens(number, false),
  ];
}

const wholeToken = (text: string): Token | undefined => {
  const folded = compact(text);
  return folded ? { token: `~${folded}`, kind: 'whole' } : undefined;
};

// ---------------------------------------------------------------------------
// Documents

/** How much a field counts, per kind of token found in it. */
interface FieldWeights {
  text: number;
  whole?: number;
}

const KIND_FACTOR: Record<TokenKind, number> = {
  exact: 1,
  whole: 1,
  compound: 1,
  chain: 1,
  number: 1,
  word: 1,
  prefix: 0.4,
  bigram: 1,
  char: 0.3,
};

class DocumentBuilder {
  readonly postings = new Map<string, number>();

  private add(token: string, weight: number): void {
    if (token.length === 0 || token.length > MAX_TOKEN_LENGTH) return;
    this.postings.set(token, Math.min(MAX_WEIGHT, (this.postings.get(token) ?? 0) + weight));
  }

  text(value: string | undefined, weights: FieldWeights): this {
    if (!value) return this;
    for (const t of textTokens(value, true)) this.add(t.token, weights.text * KIND_FACTOR[t.kind]);
    const whole = weights.whole ? wholeToken(value) : undefined;
    if (whole) this.add(whole.token, weights.whole!);
    return this;
  }

  /**
   * A standard number: the exact number 3x `weight`, compounds 1.5x, the main
   * number and its chains 1x; its words and later digit runs (the year) little.
   */
  number(value: string | undefined, weight: number): this {
    if (!value) return this;
    let main: string | undefined;
    for (const t of numberTokens(value)) {
      let factor = 1;
      if (t.kind === 'exact') factor = 3;
      else if (t.kind === 'compound') factor = 1.5;
      else if (t.kind === 'word') factor = 0.25;
      else if (t.kind === 'number') factor = (main ??= t.token) === t.token ? 1 : 0.25;
      this.add(t.token, weight * factor);
    }
    return this;
  }

  build(type: SearchType, id: string, title: string): SearchDocument {
    const postings = new Map<string, number>();
    for (const [token, weight] of this.postings) postings.set(token, Math.round(weight * 100) / 100);
    return { type, id, title, postings };
  }
}

const str = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
const strs = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);

/**
 * The search document of a stored item (as the table holds it, so the stream
 * consumer can index old and new images alike), or undefined for items that
 * are not searched.
 */
export function searchDocumentOf(item: Record<string, unknown>): SearchDocument | undefined {
  const id = str(item.id);
  if (!id) return undefined;
  switch (item.kind) {
    case 'standard': {
      const number = str(item.number) ?? '';
      const adoption = item.adoption as { number?: unknown } | undefined;
      const builder = new DocumentBuilder()
        .number(number, 4)
        .number(str(adoption?.number), 1.5)
        .text(str(item.title), { text: 1.5, whole: 6 })
        .text(str(item.titleEn), { text: 1.2, whole: 6 })
        .text(str(item.org), { text: 0.5 });
      for (const alias of strs(item.aliases)) builder.text(alias, { text: 2, whole: 8 });
      return builder.build('standard', id, `${number} ${str(item.title) ?? ''}`.trim());
    }
    case 'scheme': {
      const builder = new DocumentBuilder()
        .text(str(item.name), { text: 2, whole: 8 })
        .text(str(item.productCategory), { text: 1.5, whole: 6 })
        .text(str(item.industry), { text: 1, whole: 3 })
        .text(str(item.field), { text: 0.5 });
      const indicators = Array.isArray(item.indicators) ? (item.indicators as Record<string, unknown>[]) : [];
      const numbers = new Set<string>();
      for (const indicator of indicators) {
        builder.text(str(indicator.name), { text: 0.5 });
        const benchmarks = Array.isArray(indicator.benchmarks) ? (indicator.benchmarks as Record<string, unknown>[]) : [];
        for (const benchmark of benchmarks) {
          const standard = str(benchmark.standard);
          if (standard) numbers.add(standard);
        }
      }
      // Each benchmark standard once, however many indicators name it.
      for (const number of numbers) builder.number(number, 1);
      return builder.build('scheme', id, str(item.name) ?? id);
    }
    case 'expert':
    case 'institution': {
      const builder = new DocumentBuilder().text(str(item.name), { text: 2, whole: 8 });
      for (const field of strs(item.fields)) builder.text(field, { text: 1, whole: 3 });
      return builder.build(item.kind, id, str(item.name) ?? id);
    }
    default:
      return undefined;
  }
}

/** Whether two documents index the same way (a stream MODIFY that changed nothing searched). */
export function sameDocument(a: SearchDocument | undefined, b: SearchDocument | undefined): boolean {
  if (!a || !b) return a === b;
  if (a.type !== b.type || a.id !== b.id || a.title !== b.title || a.postings.size !== b.postings.size) return false;
  for (const [token, weight] of a.postings) if (b.postings.get(token) !== weight) return false;
  return true;
}

export const docKey = (type: string, id: string) => `${type}#${id}`;

export interface IndexWrites {
  puts: SearchDocument[];
  removals: { type: SearchType; id: string; tokens: string[] }[];
}

/**
 * What a batch of stream records (old and new images, in stream order) changes
 * in the index. Records of one document collapse into their net effect: the
 * postings of its last image, and deletes of every token an earlier image held
 * that the last does not. So each posting key is written at most once and the
 * writes of a batch are independent of each other. A document whose last image
 * indexes like its first writes nothing.
 */
export function indexWrites(changes: { before?: Record<string, unknown>; after?: Record<string, unknown> }[]): IndexWrites {
  const byDocument = new Map<string, { first: SearchDocument | undefined; last: SearchDocument | undefined; seen: Set<string>; type: SearchType; id: string }>();
  for (const change of changes) {
    const before = change.before ? searchDocumentOf(change.before) : undefined;
    const after = change.after ? searchDocumentOf(change.after) : undefined;
    const identity = before ?? after;
    if (!identity) continue;
    const key = docKey(identity.type, identity.id);
    let entry = byDocument.get(key);
    if (!entry) {
      entry = { first: before, last: before, seen: new Set(), type: identity.type, id: identity.id };
      byDocument.set(key, entry);
    }
    for (const doc of [before, after]) for (const token of doc?.postings.keys() ?? []) entry.seen.add(token);
    entry.last = after;
  }
  const writes: IndexWrites = { puts: [], removals: [] };
  for (const entry of byDocument.values()) {
    if (sameDocument(entry.first, entry.last)) continue;
    if (entry.last) writes.puts.push(entry.last);
    const stale = [...entry.seen].filter((token) => !entry.last?.postings.has(token));
    if (stale.length > 0) writes.removals.push({ type: entry.type, id: entry.id, tokens: stale });
  }
  return writes;
}

// ---------------------------------------------------------------------------
// Queries

export interface QueryTerm {
  token: string;
  /**
   * Content terms (words, bigrams, numbers) count towards coverage: a result
   * should hold most of them. Bonus terms (the exact number, a whole alias, a
   * compound, a chain) only lift results that hold them.
   */
  bonus: boolean;
}

/** At most this many terms are read per query: each is one Query. */
export const MAX_CONTENT_TERMS = 16;
export const MAX_BONUS_TERMS = 8;

export function queryTerms(query: string): QueryTerm[] {
  const content: string[] = [];
  const bonus: string[] = [];
  const parsed = normalizeStandardNumber(query);
  if (parsed.ok && /\d/.test(parsed.number)) bonus.push(`=${fold(parsed.number)}`);
  // A standard number is not also a title or an alias.
  const whole = parsed.ok && parsed.family !== 'other' ? undefined : wholeToken(query);
  if (whole) bonus.push(whole.token);
  const list = segments(fold(query));
  for (const t of compounds(list)) bonus.push(t.token);
  for (const t of textTokens(query, false)) (t.kind === 'chain' ? bonus : content).push(t.token);
  // A query of stop words only still searches for them.
  if (content.length === 0) {
    for (const s of list) if (s.kind === 'letters' && STOP_WORDS.has(s.text)) content.push(s.text);
  }
  const unique = (tokens: string[], max: number) =>
    [...new Set(tokens)].filter((t) => t.length <= MAX_TOKEN_LENGTH).slice(0, max);
  const contentTerms = unique(content, MAX_CONTENT_TERMS);
  const bonusTerms = unique(bonus, MAX_BONUS_TERMS).filter((t) => !contentTerms.includes(t));
  return [
    ...contentTerms.map((token) => ({ token, bonus: false })),
    ...bonusTerms.map((token) => ({ token, bonus: true })),
  ];
}

export interface Posting {
  token: string;
  type: SearchType;
  id: string;
  title: string;
  weight: number;
}

/** One token's posting list as read: the first page, and whether more exist. */
export interface PostingList {
  token: string;
  postings: Posting[];
  truncated: boolean;
}

/**
 * Posting lists are read one page per term. Where a list was cut short (a
 * common term such as `iso`), a candidate found through the other terms may
 * still hold it: these are the (term, document) pairs to look up directly.
 * Candidates come from the complete lists when there are any (the rare terms
 * every good result holds), else from what was read; the best `maxCandidates`
 * by their score so far.
 */
export function pairsToVerify(terms: QueryTerm[], lists: PostingList[], maxCandidates = 40): { token: string; type: SearchType; id: string }[] {
  const truncated = lists.filter((l) => l.truncated);
  if (truncated.length === 0) return [];
  const complete = lists.filter((l) => !l.truncated && l.postings.length > 0);
  const sources = complete.length > 0 ? complete : lists;
  const partial = rank(terms, sources, Number.MAX_SAFE_INTEGER, { minCoverage: 0 });
  const pairs: { token: string; type: SearchType; id: string }[] = [];
  for (const candidate of partial.slice(0, maxCandidates)) {
    for (const list of truncated) {
      if (!list.postings.some((p) => p.type === candidate.type && p.id === candidate.id)) {
        pairs.push({ token: list.token, type: candidate.type, id: candidate.id });
      }
    }
  }
  return pairs;
}

export interface RankedResult {
  type: SearchType;
  id: string;
  title: string;
  score: number;
}

/**
 * A term found in many documents says little: weights are divided by
 * 1 + log10(document frequency), a truncated list counting as twice its page.
 */
function inverseFrequency(list: PostingList): number {
  const df = Math.max(1, list.truncated ? list.postings.length * 2 : list.postings.length);
  return 1 / (1 + Math.log10(df));
}

/**
 * Scores documents: coverage (the share of content terms a document holds)
 * squared, times the sum of its content weights, plus its bonus weights, each
 * weighed by the term's inverse frequency. Documents holding less than half the
 * content terms and no bonus term are dropped.
 */
export function rank(
  terms: QueryTerm[],
  lists: PostingList[],
  limit: number,
  options: { minCoverage?: number } = {},
): RankedResult[] {
  const minCoverage = options.minCoverage ?? 0.5;
  const bonusTerms = new Set(terms.filter((t) => t.bonus).map((t) => t.token));
  const contentCount = terms.length - bonusTerms.size;
  const docs = new Map<string, { type: SearchType; id: string; title: string; content: number; matched: Set<string>; bonus: number }>();
  for (const list of lists) {
    const idf = inverseFrequency(list);
    const isBonus = bonusTerms.has(list.token);
    for (const posting of list.postings) {
      const key = docKey(posting.type, posting.id);
      let doc = docs.get(key);
      if (!doc) {
        doc = { type: posting.type, id: posting.id, title: posting.title, content: 0, matched: new Set(), bonus: 0 };
        docs.set(key, doc);
      }
      if (isBonus) {
        doc.bonus += posting.weight * idf;
      } else if (!doc.matched.has(list.token)) {
        doc.matched.add(list.token);
        doc.content += posting.weight * idf;
      }
    }
  }
  const results: RankedResult[] = [];
  for (const doc of docs.values()) {
    const coverage = contentCount === 0 ? 1 : doc.matched.size / contentCount;
    if (coverage < minCoverage && doc.bonus === 0) continue;
    const score = coverage * coverage * doc.content + doc.bonus;
    results.push({ type: doc.type, id: doc.id, title: doc.title, score: Math.round(score * 1000) / 1000 });
  }
  results.sort((a, b) => b.score - a.score || a.title.localeCompare(b.title) || a.id.localeCompare(b.id));
  return results.slice(0, limit);
}

/**
 * Key layout of the single table (see README.md beside this file). Every item
 * kind has one place that builds its keys.
 */
import { createHash } from 'node:crypto';
import { provinceOf } from '../domain/division-code.ts';
import type { MaterialOwner } from '../domain/materials.ts';
import { normalizeText } from '../domain/text.ts';

export const clientKey = (clientId: string) => ({ pk: `CLIENT#${clientId}`, sk: 'CLIENT' });
/** Failed token requests of one client id in one fixed window (epoch seconds of its start). */
export const tokenFailureKey = (clientId: string, windowStart: number) => ({
  pk: `TOKENFAIL#${clientId}`,
  sk: `W#${windowStart}`,
});

/** A webhook and its deliveries share one partition; a delivery's attempts live in its item. */
export const webhookKey = (id: string) => ({ pk: `WEBHOOK#${id}`, sk: 'WEBHOOK' });
export const webhookDeliveryKey = (webhookId: string, deliveryId: string) => ({
  pk: `WEBHOOK#${webhookId}`,
  sk: `DLV#${deliveryId}`,
});

export const standardKey = (id: string) => ({ pk: `STD#${id}`, sk: 'STD' });
export const standardNumberKey = (number: string) => ({ pk: `STDNUM#${number}`, sk: 'STDNUM' });

export const schemeHeadKey = (id: string) => ({ pk: `SCHEME#${id}`, sk: 'HEAD' });
export const schemeVersionKey = (id: string, version: number) => ({
  pk: `SCHEME#${id}`,
  sk: `V#${String(version).padStart(6, '0')}`,
});

export const cityKey = (divisionCode: string) => ({ pk: `CITY#${divisionCode}`, sk: 'CITY' });

export const enterpriseKey = (creditCode: string) => ({ pk: `ENT#${creditCode}`, sk: 'ENT' });

export const declarationKey = (id: string) => ({ pk: `DECL#${id}`, sk: 'DECL' });

/**
 * Revisions are declarations for the same enterprise, scheme and product,
 * compared after NFKC, trimming and collapsing spaces; the hash keeps keys short
 * and free of separators.
 */
export const productKey = (product: string) =>
  createHash('sha256').update(normalizeText(product)).digest('hex').slice(0, 20);

/** The pointer to the latest declaration of one enterprise, scheme and product. */
export const latestDeclarationKey = (creditCode: string, schemeId: string, product: string) => ({
  pk: `DKEY#${creditCode}#${schemeId}#${productKey(product)}`,
  sk: 'LATEST',
});

/** Partitions sharded by province keep peak writes off one hot partition. */
export const byProvince = (prefix: string, divisionCode: string) => `${prefix}#P#${provinceOf(divisionCode)}`;

export const comparisonKey = (id: string) => ({ pk: `CMP#${id}`, sk: 'CMP' });

/** Review decisions live in their declaration's partition, in decision order. */
export const reviewKey = (declarationId: string, reviewId: string) => ({ pk: `DECL#${declarationId}`, sk: `REVIEW#${reviewId}` });

/** Aggregates (written only by the stream aggregator): what a declaration contributes. */
export const contributionKey = (declarationId: string) => ({ pk: `AGG#D#${declarationId}`, sk: 'AGG' });
/** A counter cell: `AGG#ALL#CITY` / `330100`, `AGG#S#<schemeId>#IND#33` / `<industry>`. */
export const aggregatePartition = (scope: string, dimension: string, area: string) =>
  `AGG#${scope === 'ALL' ? 'ALL' : `S#${scope}`}#${dimension}${area ? `#${area}` : ''}`;
export const cellKey = (cell: { scope: string; dimension: string; area: string; key: string }) => ({
  pk: aggregatePartition(cell.scope, cell.dimension, cell.area),
  sk: cell.key,
});
/**
 * An enterprise's counts of latest declarations (all schemes per city and
 * industry, and per scheme): one item per enterprise, one attribute per count.
 */
export const refCountsKey = (creditCode: string) => ({ pk: `AGG#E#${creditCode}`, sk: 'REFS' });
/** A scheme's ranking: its state (n, forerunners) and one entry per ranked declaration in rank order. */
export const rankPartition = (schemeId: string) => `AGG#RANK#${schemeId}`;
export const rankStateKey = (schemeId: string) => ({ pk: rankPartition(schemeId), sk: 'STATE' });
export const rankEntryKey = (schemeId: string, rankKey: string) => ({ pk: rankPartition(schemeId), sk: `E#${rankKey}` });

/** Forerunner lists: snapshots under their scheme, newest last. */
export const forerunnerListKey = (schemeId: string, listId: string) => ({ pk: `SCHEME#${schemeId}`, sk: `FLIST#${listId}` });

/**
 * Materials of an owner and the counter of its live ones share one partition:
 * `MATERIALS#<declarationId>` for a declaration, `MATERIALS#NOTICE#<noticeId>`
 * for a notice (ids are ULIDs: no declaration id holds a '#').
 */
export const materialPartition = (owner: MaterialOwner) =>
  owner.kind === 'notice' ? `MATERIALS#NOTICE#${owner.id}` : `MATERIALS#${owner.id}`;
export const materialKey = (owner: MaterialOwner, materialId: string) => ({
  pk: materialPartition(owner),
  sk: `MAT#${materialId}`,
});
export const materialSlotsKey = (owner: MaterialOwner) => ({ pk: materialPartition(owner), sk: 'SLOTS' });

// Information services: notices, directory, threads, the search index.
export const noticeKey = (id: string) => ({ pk: `NOTICE#${id}`, sk: 'NOTICE' });
export const expertKey = (id: string) => ({ pk: `EXPERT#${id}`, sk: 'EXPERT' });
export const institutionKey = (id: string) => ({ pk: `INST#${id}`, sk: 'INST' });
/** Who is assigned to a scheme: one item per expert or institution. */
export const assignmentKey = (schemeId: string, member: 'EXPERT' | 'INST', memberId: string) => ({
  pk: `ASSIGN#${schemeId}`,
  sk: `${member}#${memberId}`,
});
export const threadKey = (id: string) => ({ pk: `THREAD#${id}`, sk: 'THREAD' });
export const answerKey = (threadId: string, answerId: string) => ({ pk: `THREAD#${threadId}`, sk: `ANSWER#${answerId}` });
/** Present while a thread is public; lists public threads. */
export const publicThreadKey = (threadId: string) => ({ pk: `THREAD#${threadId}`, sk: 'PUBLIC' });
/** A search posting: documents holding `token`, by type and id. */
export const postingPartition = (token: string) => `IDX#${token}`;
export const postingKey = (token: string, type: string, id: string) => ({ pk: postingPartition(token), sk: `${type}#${id}` });

/** A batch upload and the outcome of each of its chunks share one partition. */
export const batchKey = (id: string) => ({ pk: `BATCH#${id}`, sk: 'BATCH' });
export const batchChunkKey = (id: string, index: number) => ({
  pk: `BATCH#${id}`,
  sk: `CHUNK#${String(index).padStart(5, '0')}`,
});

/**
 * One chunk of a batch (a few hundred rows): every row checked like a single
 * declaration, missing enterprises created, declarations written and compared,
 * rejected rows written to the chunk's part of the errors file, and the chunk's
 * outcome recorded once.
 *
 * Exactly once. A row's declaration and comparison ids derive from the batch,
 * the line and the chunk's first start (shared/domain/batch.ts), so every
 * attempt at a chunk computes the same ids:
 * - the declaration, its pointer and the previous revision's `latest` flag are
 *   written in one transaction, conditionally (the same items as a single
 *   declaration), so a row is declared at most once, even against a concurrent
 *   upload of the same file or a concurrent single submission;
 * - a row whose pointer already names its own declaration was written by an
 *   earlier attempt: it counts as accepted again, not as unchanged;
 * - a row identical to the latest declaration of its enterprise and product is
 *   unchanged and writes nothing;
 * - enterprises are created with conditional puts (one per credit code stays a
 *   guarantee), batched in transactions;
 * - comparison records are written before their declarations with plain batch
 *   writes: nobody else writes those ids, and a comparison whose declaration
 *   is finally not written is deleted again.
 * The counts follow from the rows, so they are the same on every attempt, and
 * the chunk record takes them once (shared/store/batches.ts).
 */
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { s3Client } from '../aws/clients.ts';
import { config } from '../config/env.ts';
import { batchRowIds, type Cell, errorPartKey, readHeader, sameDeclaration, supersededKey } from '../domain/batch.ts';
import { type ComparisonResult, compareWithScheme } from '../domain/comparison.ts';
import type { DeclaredIndicator } from '../domain/declaration.ts';
import { canActForEnterprise, canSeeDivision, type Principal } from '../domain/territory.ts';
import { errorsLine, type RejectedRow } from '../report/batch-errors.ts';
import { type BatchRowFields, checkRow, type RowIssue } from '../schemas/batch-rows.ts';
import { type BatchCounts, completeChunk, getBatch, startChunk, zeroCounts } from '../store/batches.ts';
import { type AtomicGroup, getMany, itemOf, type Key, writeGroups, writeMany } from '../store/bulk.ts';
import { comparisonItem, type ComparisonRecord } from '../store/comparisons.ts';
import { type DeclarationRecord, declarationWrites, type LatestPointer } from '../store/declarations.ts';
import { type EnterpriseRecord, newEnterprisePut } from '../store/enterprises.ts';
import { comparisonKey, declarationKey, enterpriseKey, latestDeclarationKey } from '../store/keys.ts';
import { getScheme, type SchemeRecord } from '../store/schemes.ts';
import { type Item, withoutKeys } from '../store/table.ts';
import { enterpriseRecord } from './enterprises.ts';
import { io, StepFailure, TransientError } from './workflow-errors.ts';

/** A chunk file's reference, as the split hands it to the Map. */
export interface ChunkRef {
  index: number;
  key: string;
  rows: number;
  /** Rows of this chunk replaced by a later row of the file. */
  superseded: number;
}

export interface ChunkJob {
  batchId: string;
  chunk: ChunkRef;
}

/** DynamoDB requests one chunk keeps in flight; the Map runs several chunks at once. */
const REQUESTS_IN_FLIGHT = 2;
/** Rounds of re-reading rows whose pointer moved while they were written. */
const MAX_ROUNDS = 4;

/** Scheme versions never change: one read per version and warm container. */
const schemes = new Map<string, Promise<SchemeRecord | undefined>>();
function schemeVersion(id: string, version: number): Promise<SchemeRecord | undefined> {
  const key = `${id}#${version}`;
  let scheme = schemes.get(key);
  if (!scheme) {
    scheme = io(() => getScheme(id, version));
    schemes.set(key, scheme);
    scheme.catch(() => schemes.delete(key));
  }
  return scheme;
}

interface Row {
  line: number;
  fields: BatchRowFields;
  indicators: DeclaredIndicator[];
  ids: { declarationId: string; comparisonId: string };
  pointer: Key;
  /** The cells the errors file repeats, as uploaded. */
  raw: { creditCode: Cell; product: Cell };
  enterprise?: EnterpriseRecord;
  /** Computed once, when the row is first to be written. */
  result?: ComparisonResult | { error: string };
}

interface Context {
  batchId: string;
  uploader: Principal;
  scheme: SchemeRecord;
  now: string;
}

class Outcome {
  readonly counts: BatchCounts = zeroCounts();
  readonly rejected: RejectedRow[] = [];

  reject(line: number, cells: { creditCode: Cell; product: Cell }, issues: RowIssue[]): void {
    this.counts.rejected++;
    this.rejected.push({
      line,
      creditCode: String(cells.creditCode ?? ''),
      product: String(cells.product ?? ''),
      issues,
    });
  }

  accept(compared: boolean): void {
    this.counts.accepted++;
    if (compared) this.counts.compared++;
  }
}

export async function processChunk(job: ChunkJob): Promise<{ index: number; status: 'done' | 'skipped' }> {
  const { batchId, chunk: ref } = job;
  const batch = await io(() => getBatch(batchId, true));
  if (!batch) throw new StepFailure('batch_not_found', `Batch ${batchId} does not exist`);
  // A batch that failed meanwhile (or was never split) takes no more rows.
  if (batch.status !== 'processing' || batch.schemeVersion === null) return { index: ref.index, status: 'skipped' };
  const scheme = await schemeVersion(batch.schemeId, batch.schemeVersion);
  if (!scheme) throw new StepFailure('scheme_not_found', `Scheme ${batch.schemeId} v${batch.schemeVersion} does not exist`);

  const { chunk, resumed } = await io(() => startChunk(batchId, ref.index, Date.now()));
  if (chunk.status === 'done') return { index: ref.index, status: 'done' };
  const { header, rows } = await readChunk(ref.key);
  const superseded = ref.superseded > 0 ? await readSuperseded(batchId) : {};
  const mapped = readHeader(header, scheme.indicators);
  if (!mapped.ok) throw new StepFailure('internal_error', `Chunk ${ref.key} has a header the split refused`);
  const columns = mapped.columns;

  const context: Context = { batchId, uploader: batch.uploader, scheme, now: new Date().toISOString() };
  const outcome = new Outcome();
  const candidates: Row[] = [];
  const cellsOf = (cells: Cell[]) => ({
    creditCode: cells[columns.base.creditCode] ?? null,
    product: cells[columns.base.product] ?? null,
  });
  for (const [line, cells] of rows) {
    const checked = checkRow(scheme.indicators, columns, cells);
    const later = superseded[line];
    const issues: RowIssue[] = [
      ...(later ? [{ column: 'product', code: 'superseded_by_later_row', params: { line: later } }] : []),
      ...(checked.ok ? [] : checked.issues),
    ];
    if (issues.length > 0 || !checked.ok) {
      outcome.reject(line, cellsOf(cells), issues);
      continue;
    }
    candidates.push({
      line,
      fields: checked.fields,
      indicators: checked.indicators,
      ids: batchRowIds(batchId, line, chunk.startedAtMs),
      pointer: latestDeclarationKey(checked.fields.creditCode, scheme.id, checked.fields.product),
      raw: cellsOf(cells),
    });
  }

  const writable = await resolveEnterprises(context, candidates, outcome);
  await declare(context, writable, outcome, resumed);

  let errorPart: { key: string; bytes: number } | undefined;
  if (outcome.rejected.length > 0) {
    const text = outcome.rejected
      .sort((a, b) => a.line - b.line)
      .map(errorsLine)
      .join('');
    errorPart = { key: errorPartKey(batchId, ref.index), bytes: Buffer.byteLength(text) };
    await io(() =>
      s3Client().send(
        new PutObjectCommand({ Bucket: config().batchesBucket, Key: errorPart!.key, Body: text, ContentType: 'text/csv; charset=utf-8' }),
      ),
    );
  }
  await io(() => completeChunk(batchId, ref.index, outcome.counts, errorPart, new Date().toISOString()));
  return { index: ref.index, status: 'done' };
}

async function readChunk(key: string): Promise<{ header: Cell[]; rows: [number, Cell[]][] }> {
  const object = await io(() => s3Client().send(new GetObjectCommand({ Bucket: config().batchesBucket, Key: key })));
  const lines = (await object.Body!.transformToString('utf-8')).split('\n').filter((line) => line !== '');
  const [first, ...rest] = lines;
  return {
    header: (JSON.parse(first!) as { header: Cell[] }).header,
    rows: rest.map((line) => JSON.parse(line) as [number, Cell[]]),
  };
}

async function readSuperseded(batchId: string): Promise<Record<number, number>> {
  const object = await io(() =>
    s3Client().send(new GetObjectCommand({ Bucket: config().batchesBucket, Key: supersededKey(batchId) })),
  );
  return JSON.parse(await object.Body!.transformToString('utf-8')) as Record<number, number>;
}

/**
 * Each row's enterprise: the registered one when the uploader may act for it,
 * else a new one inside the uploader's territory. Rows outside the territory
 * are rejected with the reason. New enterprises are conditional puts, so one
 * registered meanwhile (by a single call or another chunk) is kept and used.
 */
async function resolveEnterprises(
  context: Context,
  candidates: Row[],
  outcome: Outcome,
): Promise<Row[]> {
  const codes = [...new Set(candidates.map((row) => row.fields.creditCode))];
  const registered = await io(() => getMany(codes.map(enterpriseKey), REQUESTS_IN_FLIGHT));
  const known = new Map<string, EnterpriseRecord>();
  for (const code of codes) {
    const item = itemOf(registered, enterpriseKey(code));
    if (item) known.set(code, withoutKeys<EnterpriseRecord>(item));
  }

  const created = new Map<string, EnterpriseRecord>();
  for (const row of candidates) {
    const code = row.fields.creditCode;
    if (known.has(code) || created.has(code)) continue;
    if (!canSeeDivision(context.uploader, row.fields.divisionCode)) continue;
    // The first row of an enterprise in the chunk names it.
    created.set(
      code,
      enterpriseRecord(
        context.uploader,
        { creditCode: code, name: row.fields.enterpriseName, divisionCode: row.fields.divisionCode, industry: row.fields.industry },
        context.now,
      ),
    );
  }
  const groups: AtomicGroup<string>[] = [...created.values()].map((enterprise) => ({
    id: enterprise.creditCode,
    items: [{ Put: newEnterprisePut(enterprise) }],
  }));
  const refused = await io(() => writeGroups(groups, REQUESTS_IN_FLIGHT));
  for (const [code, enterprise] of created) if (!refused.has(code)) known.set(code, enterprise);
  if (refused.size > 0) {
    const meanwhile = await io(() => getMany([...refused].map(enterpriseKey), REQUESTS_IN_FLIGHT));
    for (const code of refused) {
      const item = itemOf(meanwhile, enterpriseKey(code));
      if (item) known.set(code, withoutKeys<EnterpriseRecord>(item));
    }
  }

  const writable: Row[] = [];
  for (const row of candidates) {
    const enterprise = known.get(row.fields.creditCode);
    if (enterprise && canActForEnterprise(context.uploader, enterprise)) {
      writable.push({ ...row, enterprise });
    } else if (enterprise) {
      outcome.reject(row.line, row.raw, [
        { column: 'creditCode', code: 'enterprise_not_in_territory', params: { creditCode: row.fields.creditCode } },
      ]);
    } else {
      outcome.reject(row.line, row.raw, [{ column: 'divisionCode', code: 'not_in_territory' }]);
    }
  }
  return writable;
}

function comparisonOf(context: Context, row: Row): ComparisonRecord {
  if (!row.result) {
    try {
      row.result = compareWithScheme(context.scheme, row.indicators);
    } catch (error) {
      row.result = { error: (error as Error).message };
    }
  }
  const enterprise = row.enterprise!;
  const base = {
    id: row.ids.comparisonId,
    declarationId: row.ids.declarationId,
    creditCode: enterprise.creditCode,
    divisionCode: enterprise.divisionCode,
    schemeId: context.scheme.id,
    schemeVersion: context.scheme.version,
    createdAt: context.now,
    completedAt: context.now,
    createdBy: context.uploader.clientId,
  };
  return 'error' in row.result
    ? { ...base, status: 'failed', error: { code: 'internal_error', message: 'internal_error' } }
    : { ...base, status: 'succeeded', result: row.result };
}

function declarationOf(context: Context, row: Row, previous: LatestPointer | undefined, compared: boolean): DeclarationRecord {
  const enterprise = row.enterprise!;
  return {
    id: row.ids.declarationId,
    creditCode: enterprise.creditCode,
    enterpriseName: enterprise.name,
    divisionCode: enterprise.divisionCode,
    industry: enterprise.industry,
    schemeId: context.scheme.id,
    schemeVersion: context.scheme.version,
    product: row.fields.product,
    standardNumber: row.fields.standardNumber,
    indicators: row.indicators,
    // Compared in the same step: the declaration is born compared, as a single one becomes after its workflow.
    status: compared ? 'compared' : 'submitted',
    comparisonId: row.ids.comparisonId,
    lastComparisonId: compared ? row.ids.comparisonId : null,
    revision: (previous?.revision ?? 0) + 1,
    supersedes: previous?.declarationId ?? null,
    latest: true,
    version: 1,
    createdAt: context.now,
    updatedAt: context.now,
    createdBy: context.uploader.clientId,
  };
}

/**
 * Declares each row once. A row whose write is refused (its pointer moved: a
 * concurrent revision or upload) is read again and settled in the next round.
 */
async function declare(context: Context, rows: Row[], outcome: Outcome, resumed: boolean): Promise<void> {
  const comparisonsWritten = new Set<Row>();
  const declared = new Set<Row>();
  let pending = rows;
  for (let round = 0; pending.length > 0; round++) {
    if (round >= MAX_ROUNDS) throw new TransientError(`${pending.length} rows kept meeting concurrent revisions`);
    const pointers = await io(() => getMany(pending.map((row) => row.pointer), REQUESTS_IN_FLIGHT));
    const pointerOf = (row: Row): LatestPointer | undefined => {
      const item = itemOf(pointers, row.pointer);
      return item ? { declarationId: item.declarationId as string, revision: item.revision as number } : undefined;
    };
    // The latest declarations (to tell unchanged rows), and on a later attempt
    // or round the rows' own ids (written by an earlier attempt, maybe superseded since).
    const wanted = pending.flatMap((row) => {
      const latest = pointerOf(row)?.declarationId;
      return [
        ...(latest ? [declarationKey(latest)] : []),
        ...(resumed || round > 0 ? [declarationKey(row.ids.declarationId)] : []),
      ];
    });
    const declarations = wanted.length > 0 ? await io(() => getMany(wanted, REQUESTS_IN_FLIGHT)) : new Map<string, Item>();

    const toWrite: { row: Row; previous: LatestPointer | undefined }[] = [];
    for (const row of pending) {
      const own = itemOf(declarations, declarationKey(row.ids.declarationId));
      if (own) {
        outcome.accept(Boolean(own.lastComparisonId));
        declared.add(row);
        continue;
      }
      const previous = pointerOf(row);
      const latest = previous ? itemOf(declarations, declarationKey(previous.declarationId)) : undefined;
      if (latest && sameDeclaration(latest as unknown as DeclarationRecord, { standardNumber: row.fields.standardNumber, indicators: row.indicators })) {
        outcome.counts.unchanged++;
        continue;
      }
      toWrite.push({ row, previous });
    }

    const fresh = toWrite.filter(({ row }) => !comparisonsWritten.has(row));
    await io(() => writeMany(fresh.map(({ row }) => ({ put: comparisonItem(comparisonOf(context, row)) })), REQUESTS_IN_FLIGHT));
    for (const { row } of fresh) comparisonsWritten.add(row);

    const groups: AtomicGroup<Row>[] = toWrite.map(({ row, previous }) => {
      const compared = !('error' in row.result!);
      return {
        id: row,
        items: declarationWrites(declarationOf(context, row, previous, compared), previous, [], {
          batch: { id: context.batchId, line: row.line },
        }),
      };
    });
    const refused = await io(() => writeGroups(groups, REQUESTS_IN_FLIGHT));
    pending = [];
    for (const { row } of toWrite) {
      if (refused.has(row)) {
        pending.push(row);
      } else {
        outcome.accept(!('error' in row.result!));
        declared.add(row);
      }
    }
  }
  // Comparisons of rows that turned out unchanged in a later round belong to nothing.
  const orphans = [...comparisonsWritten].filter((row) => !declared.has(row));
  if (orphans.length > 0) {
    await io(() => writeMany(orphans.map((row) => ({ delete: comparisonKey(row.ids.comparisonId) })), REQUESTS_IN_FLIGHT));
  }
}

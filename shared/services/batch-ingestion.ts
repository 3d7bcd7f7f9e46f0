/**
 * The batch workflow's steps around the chunks (infra/workflows/batch.asl.json):
 * the split (stream the upload once, check its header, write chunk files,
 * find rows replaced by a later row), the end (the totals from the chunk
 * records, the errors file, completed) and the failure path.
 */
import { Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  type GetObjectCommandOutput,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { clientOptions, s3Client } from '../aws/clients.ts';
import { config } from '../config/env.ts';
import {
  type Cell,
  CHUNK_ROWS,
  chunkKey,
  errorsKey,
  type FileProblemCode,
  isBlankRow,
  MAX_BATCH_BYTES,
  MAX_ROWS,
  readHeader,
  rowKey,
  supersededKey,
  uploadKey,
} from '../domain/batch.ts';
import { errorsHeader } from '../report/batch-errors.ts';
import {
  type BatchCounts,
  completeBatch,
  failBatch,
  fixSchemeVersion,
  getBatch,
  listChunks,
  markProcessing,
  recordSplit,
  zeroCounts,
} from '../store/batches.ts';
import { inParallel } from '../store/bulk.ts';
import { getScheme } from '../store/schemes.ts';
import { nowIso } from '../store/table.ts';
import { logger } from '../observability.ts';
import { readSheetRows, UnreadableFileError } from './batch-files.ts';
import type { ChunkRef } from './batch-chunks.ts';
import { type CaughtFailure, failureCode, io, StepFailure } from './workflow-errors.ts';

export interface BatchInput {
  batchId: string;
}

/**
 * The split's output: the chunks to process and how many at once (the Map's
 * MaxConcurrencyPath: configuration, since DynamoDB Local on a laptop and a
 * table on AWS want different numbers), or `stopped` when the batch ended here.
 */
export type SplitResult =
  | { batchId: string; chunks: ChunkRef[]; maxConcurrency: number }
  | { batchId: string; stopped: 'failed' | 'finished' };

class FileProblem extends Error {
  constructor(
    readonly code: FileProblemCode,
    readonly params: Record<string, string | number> = {},
  ) {
    super(code);
  }
}

const bucket = () => config().batchesBucket;
const UPLOADS_IN_FLIGHT = 4;

export async function splitBatch({ batchId }: BatchInput): Promise<SplitResult> {
  const batch = await io(() => getBatch(batchId, true));
  if (!batch) throw new StepFailure('batch_not_found', `Batch ${batchId} does not exist`);
  if (batch.status === 'completed' || batch.status === 'failed') return { batchId, stopped: 'finished' };
  if (batch.status === 'waiting_upload') await io(() => markProcessing(batchId, nowIso()));

  const head = await io(() => getScheme(batch.schemeId));
  if (!head) throw new StepFailure('scheme_not_found', `Scheme ${batch.schemeId} does not exist`);
  const version = await io(() => fixSchemeVersion(batchId, head.version, nowIso()));
  if (version === undefined) return { batchId, stopped: 'finished' };
  const scheme = version === head.version ? head : await io(() => getScheme(batch.schemeId, version));
  if (!scheme) throw new StepFailure('scheme_not_found', `Scheme ${batch.schemeId} v${version} does not exist`);

  try {
    const object = await openUpload(batchId, Math.min(batch.size, MAX_BATCH_BYTES));
    const chunks = await writeChunks(batchId, object.Body as Readable, scheme.indicators);
    await io(() => recordSplit(batchId, { rows: chunks.reduce((sum, chunk) => sum + chunk.rows, 0), chunks: chunks.length }, nowIso()));
    return { batchId, chunks, maxConcurrency: config().batchMapConcurrency };
  } catch (error) {
    const problem =
      error instanceof FileProblem ? error : error instanceof UnreadableFileError ? new FileProblem('unreadable_file') : undefined;
    if (!problem) throw error;
    logger.info('batch file refused', { batchId, code: problem.code, reason: (error as Error).message });
    await io(() => failBatch(batchId, { code: problem.code, params: problem.params }, nowIso()));
    return { batchId, stopped: 'failed' };
  }
}

async function openUpload(batchId: string, maxBytes: number): Promise<GetObjectCommandOutput> {
  let object: GetObjectCommandOutput;
  try {
    object = await io(() => s3Client().send(new GetObjectCommand({ Bucket: bucket(), Key: uploadKey(batchId) })));
  } catch (error) {
    if ((error as Error).name === 'NoSuchKey') throw new FileProblem('file_missing');
    throw error;
  }
  // The presigned POST bounds the size on AWS; checked here as well (and locally, where nothing else does).
  if ((object.ContentLength ?? 0) > maxBytes) {
    (object.Body as Readable).destroy();
    throw new FileProblem('file_too_large', { max: maxBytes });
  }
  return object;
}

/**
 * Streams the rows into chunk files (NDJSON: the header, then `[line, cells]`
 * per row), a few uploads in flight. Keeps only each row's identity, to name
 * the rows a later row of the same enterprise and product replaces.
 */
async function writeChunks(batchId: string, body: Readable, indicators: Parameters<typeof readHeader>[1]): Promise<ChunkRef[]> {
  const chunks: (ChunkRef & { firstLine: number; lastLine: number })[] = [];
  const uploads = new Set<Promise<void>>();
  let failure: unknown;
  let header: Cell[] | undefined;
  let columns: Extract<ReturnType<typeof readHeader>, { ok: true }>['columns'] | undefined;
  let buffer: string[] = [];
  let firstLine = 0;
  let rows = 0;
  const lastLineOf = new Map<string, number>();
  const replaced: [line: number, key: string][] = [];

  const flush = async (lastLine: number) => {
    if (buffer.length === 0) return;
    const index = chunks.length;
    const ref = { index, key: chunkKey(batchId, index), rows: buffer.length, superseded: 0, firstLine, lastLine };
    chunks.push(ref);
    const body = `${JSON.stringify({ header })}\n${buffer.join('')}`;
    buffer = [];
    // Failures are kept, not left unhandled, and thrown at the next wait.
    const upload: Promise<void> = io(() =>
      s3Client().send(new PutObjectCommand({ Bucket: bucket(), Key: ref.key, Body: body, ContentType: 'application/x-ndjson' })),
    )
      .then(
        () => undefined,
        (error: unknown) => {
          failure ??= error;
        },
      )
      .finally(() => uploads.delete(upload));
    uploads.add(upload);
    if (uploads.size >= UPLOADS_IN_FLIGHT) await Promise.race(uploads);
    if (failure) throw failure;
  };

  let lastLine = 0;
  for await (const { line, cells } of readSheetRows(body)) {
    if (!header) {
      const check = readHeader(cells, indicators);
      if (!check.ok) throw new FileProblem(check.code, { columns: check.columns.join(', ') });
      header = cells;
      columns = check.columns;
      continue;
    }
    if (isBlankRow(cells)) continue;
    rows += 1;
    if (rows > MAX_ROWS) throw new FileProblem('too_many_rows', { max: MAX_ROWS });
    if (buffer.length === 0) firstLine = line;
    // Trailing empty cells carry nothing.
    let end = cells.length;
    while (end > 0 && (cells[end - 1] === null || cells[end - 1] === '')) end--;
    buffer.push(`${JSON.stringify([line, cells.slice(0, end)])}\n`);
    const key = rowKey(textOf(cells[columns!.base.creditCode]), textOf(cells[columns!.base.product]));
    if (key) {
      const earlier = lastLineOf.get(key);
      if (earlier !== undefined) replaced.push([earlier, key]);
      lastLineOf.set(key, line);
    }
    lastLine = line;
    if (buffer.length >= CHUNK_ROWS) await flush(line);
  }
  if (!header) throw new FileProblem('no_rows');
  await flush(lastLine);
  await Promise.all(uploads);
  if (failure) throw failure;
  if (rows === 0) throw new FileProblem('no_rows');

  if (replaced.length > 0) {
    // Every earlier row names the row that finally wins.
    const superseded: Record<number, number> = {};
    for (const [line, key] of replaced) {
      superseded[line] = lastLineOf.get(key)!;
      chunks.find((chunk) => line >= chunk.firstLine && line <= chunk.lastLine)!.superseded += 1;
    }
    await io(() =>
      s3Client().send(
        new PutObjectCommand({
          Bucket: bucket(),
          Key: supersededKey(batchId),
          Body: JSON.stringify(superseded),
          ContentType: 'application/json',
        }),
      ),
    );
  }
  return chunks.map(({ index, key, rows: count, superseded }) => ({ index, key, rows: count, superseded }));
}

const textOf = (cell: Cell | undefined) => (cell === null || cell === undefined ? undefined : String(cell));

/** The totals from the chunk records, the errors file, and completed. */
export async function finishBatch({ batchId }: BatchInput): Promise<{ batchId: string; status: string }> {
  const batch = await io(() => getBatch(batchId, true));
  if (!batch) throw new StepFailure('batch_not_found', `Batch ${batchId} does not exist`);
  if (batch.status !== 'processing') return { batchId, status: batch.status };
  const chunks = (await io(() => listChunks(batchId))).filter((chunk) => chunk.status === 'done');
  if (chunks.length !== batch.chunks) {
    throw new StepFailure('internal_error', `Batch ${batchId}: ${chunks.length} of ${batch.chunks} chunks recorded`);
  }
  const totals: BatchCounts = zeroCounts();
  for (const chunk of chunks) {
    for (const name of Object.keys(totals) as (keyof BatchCounts)[]) totals[name] += chunk[name];
  }
  const parts = chunks
    .filter((chunk) => chunk.errorPart)
    .sort((a, b) => a.index - b.index)
    .map((chunk) => chunk.errorPart!);
  let errors: string | null = null;
  if (parts.length > 0) {
    errors = errorsKey(batchId);
    await writeErrorsFile(errors, parts);
  }
  await io(() => completeBatch(batchId, totals, errors, nowIso()));
  await removeWorkFiles(batchId, chunks.length, parts.map((part) => part.key));
  return { batchId, status: 'completed' };
}

/**
 * For the one streamed upload: without a checksum trailer the body goes as it
 * is, with its known length (the default trailer makes it aws-chunked, which
 * S3 understands and the local emulator stores verbatim).
 */
let streamingClient: S3Client | undefined;
const streamingS3 = () =>
  (streamingClient ??= new S3Client({ ...clientOptions(config().s3Endpoint), requestChecksumCalculation: 'WHEN_REQUIRED' }));

/** The header, then each chunk's part in line order, streamed into one object. */
async function writeErrorsFile(key: string, parts: { key: string; bytes: number }[]): Promise<void> {
  const header = Buffer.from(errorsHeader(), 'utf8');
  const length = header.length + parts.reduce((sum, part) => sum + part.bytes, 0);
  async function* body() {
    yield header;
    for (const part of parts) {
      const object = await io(() => s3Client().send(new GetObjectCommand({ Bucket: bucket(), Key: part.key })));
      for await (const chunk of object.Body as Readable) yield chunk as Buffer;
    }
  }
  await io(() =>
    streamingS3().send(
      new PutObjectCommand({
        Bucket: bucket(),
        Key: key,
        Body: Readable.from(body()),
        ContentLength: length,
        ContentType: 'text/csv; charset=utf-8',
      }),
    ),
  );
}

/** Chunk files and error parts are scaffolding; a failure to remove them is only logged. */
async function removeWorkFiles(batchId: string, chunkCount: number, partKeys: string[]): Promise<void> {
  const keys = [...Array.from({ length: chunkCount }, (_, index) => chunkKey(batchId, index)), ...partKeys, supersededKey(batchId)];
  let failed = 0;
  await inParallel(keys, UPLOADS_IN_FLIGHT, async (key) => {
    await s3Client()
      .send(new DeleteObjectCommand({ Bucket: bucket(), Key: key }))
      .catch(() => (failed += 1));
  });
  if (failed > 0) logger.warn('batch work files left behind', { batchId, failed });
}

/** The Catch path: the batch fails with a readable code; rows already declared stay declared. */
export async function recordFailure(input: BatchInput & { failure?: CaughtFailure }): Promise<{ batchId: string; code: string }> {
  const code = failureCode(input.failure);
  logger.error('batch failed', { batchId: input.batchId, failure: input.failure });
  await failBatch(input.batchId, { code }, nowIso());
  return { batchId: input.batchId, code };
}

/**
 * Batch submission (api.md, Batches): the template's columns, the grammar of
 * its cells, the identity of a row, and the object keys of a batch. Pure: the
 * streaming, the store and the workflow live in shared/services/batches*.ts.
 */
import { createHash } from 'node:crypto';
import { encodeTime } from 'ulid';
import type { DeclaredIndicator, DeclaredIndicatorInput } from './declaration.ts';
import type { SchemeIndicator } from './scheme.ts';
import { normalizeText } from './text.ts';

/** api.md: at most 50 MiB. */
export const MAX_BATCH_BYTES = 50 * 1024 * 1024;
/**
 * Rows per chunk of the fan-out. Small enough that one chunk's writes finish in
 * seconds, large enough that transactions and batch writes stay full.
 */
export const CHUNK_ROWS = 250;
/**
 * Rows per file. 200,000 rows keep the chunk references (~80 bytes each) far
 * below Step Functions' 256 KB state payload.
 */
export const MAX_ROWS = 200_000;
/** Presigned upload forms and error-file links. */
export const UPLOAD_URL_SECONDS = 15 * 60;
export const ERRORS_URL_SECONDS = 5 * 60;
/** The batch workflow's own TimeoutSeconds (infra/workflows/batch.asl.json). */
export const WORKFLOW_TIMEOUT_SECONDS = 2 * 3600;

/**
 * A batch's status as clients see it. Two states cannot end by themselves: an
 * upload that never came (its form expired an hour ago) and a workflow that
 * died without reaching its Catch (timed out, or interrupted for good): they
 * show as failed with the reason, so nothing stays waiting or processing forever.
 */
export function visibleStatus(
  batch: { status: 'waiting_upload' | 'processing' | 'completed' | 'failed'; createdAt: string; updatedAt: string },
  nowMs: number,
): { status: 'waiting_upload' | 'processing' | 'completed' | 'failed'; error?: { code: 'upload_expired' | 'timeout' } } {
  const hour = 3600 * 1000;
  if (batch.status === 'waiting_upload' && nowMs > Date.parse(batch.createdAt) + UPLOAD_URL_SECONDS * 1000 + hour) {
    return { status: 'failed', error: { code: 'upload_expired' } };
  }
  // Every chunk's outcome moves updatedAt: this long without one, the workflow is gone.
  if (batch.status === 'processing' && nowMs > Date.parse(batch.updatedAt) + WORKFLOW_TIMEOUT_SECONDS * 1000 + hour / 4) {
    return { status: 'failed', error: { code: 'timeout' } };
  }
  return { status: batch.status };
}

export type BatchFormat = 'csv' | 'xlsx';

export const CONTENT_TYPES: Record<BatchFormat, string> = {
  csv: 'text/csv',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** Object keys in the Batches bucket. Clients write only uploads/. */
export const UPLOAD_PREFIX = 'uploads/';
export const uploadKey = (batchId: string) => `${UPLOAD_PREFIX}${batchId}`;
export const WORK_PREFIX = 'work/';
export const chunkKey = (batchId: string, index: number) => `${WORK_PREFIX}${batchId}/chunks/${pad(index)}.ndjson`;
export const errorPartKey = (batchId: string, index: number) => `${WORK_PREFIX}${batchId}/errors/${pad(index)}.csv`;
export const supersededKey = (batchId: string) => `${WORK_PREFIX}${batchId}/superseded.json`;
export const ERRORS_PREFIX = 'errors/';
export const errorsKey = (batchId: string) => `${ERRORS_PREFIX}${batchId}.csv`;

/** The batch id of an upload key, or undefined for any other key. */
export function batchIdOfUploadKey(key: string): string | undefined {
  const match = /^uploads\/([0-9A-HJKMNP-TV-Z]{26})$/.exec(key);
  return match?.[1];
}

const pad = (index: number) => String(index).padStart(5, '0');

// --- the template -------------------------------------------------------------

/** Columns before the indicators, in template order. */
export const BASE_COLUMNS = ['creditCode', 'enterpriseName', 'divisionCode', 'industry', 'product', 'standardNumber'] as const;
export type BaseColumn = (typeof BASE_COLUMNS)[number];

/** A cell as read from CSV (text) or XLSX (text, number, boolean). */
export type Cell = string | number | boolean | null;

export const templateColumns = (indicators: readonly SchemeIndicator[]) => [
  ...BASE_COLUMNS,
  ...indicators.map((indicator) => indicator.code),
];

export interface ColumnMap {
  base: Record<BaseColumn, number>;
  /** Indicator columns present in the file, in scheme order. */
  indicators: { indicator: SchemeIndicator; index: number }[];
}

export type FileProblemCode =
  | 'missing_columns'
  | 'unknown_columns'
  | 'duplicate_columns'
  | 'no_rows'
  | 'too_many_rows'
  | 'unreadable_file'
  | 'file_too_large'
  | 'file_missing';

export type HeaderCheck =
  | { ok: true; columns: ColumnMap }
  | { ok: false; code: Extract<FileProblemCode, 'missing_columns' | 'unknown_columns' | 'duplicate_columns'>; columns: string[] };

const cellText = (cell: Cell): string => (cell === null ? '' : normalizeText(String(cell)));

/**
 * Maps the header row to columns by name, in any order. The base columns and
 * the core indicators' columns are required (without them every row would be
 * rejected); other indicator columns may be left out. A name the template does
 * not have is refused rather than ignored: it is most likely a misspelt
 * indicator whose values would otherwise be lost silently.
 */
export function readHeader(cells: readonly Cell[], indicators: readonly SchemeIndicator[]): HeaderCheck {
  const positions = new Map<string, number>();
  const duplicates = new Set<string>();
  cells.forEach((cell, index) => {
    const name = cellText(cell).replace(/^\uFEFF/, '');
    if (name === '') return;
    if (positions.has(name)) duplicates.add(name);
    else positions.set(name, index);
  });
  if (duplicates.size > 0) return { ok: false, code: 'duplicate_columns', columns: [...duplicates] };
  const known = new Set<string>(templateColumns(indicators));
  const unknown = [...positions.keys()].filter((name) => !known.has(name));
  if (unknown.length > 0) return { ok: false, code: 'unknown_columns', columns: unknown };
  const required = [...BASE_COLUMNS, ...indicators.filter((i) => i.core).map((i) => i.code)];
  const missing = required.filter((name) => !positions.has(name));
  if (missing.length > 0) return { ok: false, code: 'missing_columns', columns: missing };
  return {
    ok: true,
    columns: {
      base: Object.fromEntries(BASE_COLUMNS.map((name) => [name, positions.get(name)!])) as Record<BaseColumn, number>,
      indicators: indicators.flatMap((indicator) =>
        positions.has(indicator.code) ? [{ indicator, index: positions.get(indicator.code)! }] : [],
      ),
    },
  };
}

/** A row whose cells are all empty: spreadsheets leave them; they are not rows. */
export const isBlankRow = (cells: readonly Cell[]) => cells.every((cell) => cellText(cell) === '');

/** A base column's text, or undefined when empty (a missing required value). */
export function baseCell(cells: readonly Cell[], columns: ColumnMap, name: BaseColumn): string | undefined {
  const cell = cells[columns.base[name]] ?? null;
  if (cell === null) return undefined;
  const text = String(cell);
  return text.trim() === '' ? undefined : text;
}

const NUMBER = String.raw`[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?`;
const NUMBER_WITH_UNIT = new RegExp(`^(${NUMBER})\\s*(\\S.*)?$`);
/** `low~high`; full-width ～ becomes ~ under NFKC, the wave dash 〜 is accepted too. */
const RANGE_WITH_UNIT = new RegExp(`^(${NUMBER})\\s*[~〜]\\s*(${NUMBER})\\s*(\\S.*)?$`);
const TRUE_WORDS = new Set(['true', '是']);
const FALSE_WORDS = new Set(['false', '否']);

/**
 * One indicator cell as the declared input a single declaration would carry
 * (`{ code, value, unit? }`), or undefined for an empty cell (not declared).
 * Numbers may carry a unit after them (`0.009 %`, `90 mg/kg`), converted like
 * a declaration's `unit`; a value that does not fit the grammar is passed on
 * as text, so validateDeclaredIndicators reports it exactly as it would for a
 * single declaration.
 */
export function readIndicatorCell(indicator: SchemeIndicator, cell: Cell): DeclaredIndicatorInput | undefined {
  const code = indicator.code;
  if (cell === null) return undefined;
  if (typeof cell === 'number') {
    // A spreadsheet stores grade 1 as the number 1.
    return { code, value: indicator.requirement === 'levels' ? String(cell) : cell };
  }
  if (typeof cell === 'boolean') return { code, value: cell };
  const text = cellText(cell);
  if (text === '') return undefined;
  switch (indicator.requirement) {
    case 'min':
    case 'max': {
      const match = NUMBER_WITH_UNIT.exec(text);
      if (!match) return { code, value: text };
      return { code, value: Number(match[1]), ...(match[2] ? { unit: match[2] } : {}) };
    }
    case 'range': {
      const match = RANGE_WITH_UNIT.exec(text);
      if (!match) return { code, value: text };
      return { code, value: [Number(match[1]), Number(match[2])], ...(match[3] ? { unit: match[3] } : {}) };
    }
    case 'boolean': {
      const word = text.toLowerCase();
      if (TRUE_WORDS.has(word)) return { code, value: true };
      if (FALSE_WORDS.has(word)) return { code, value: false };
      return { code, value: text };
    }
    case 'levels':
      return { code, value: text };
  }
}

/** A cell as the template writes it (ranges as low~high, booleans as 是/否). */
export function formatCellValue(value: DeclaredIndicator['value']): string {
  if (Array.isArray(value)) return `${value[0]}~${value[1]}`;
  if (typeof value === 'boolean') return value ? '是' : '否';
  return String(value);
}

// --- identity ----------------------------------------------------------------

/**
 * The enterprise and product a row declares for, spelled the way the schemas
 * normalise them (credit codes trimmed and upper-cased, products NFKC and
 * collapsed), or undefined when either is missing. Two rows with one key in a
 * file: the later wins.
 */
export function rowKey(creditCode: string | undefined, product: string | undefined): string | undefined {
  const code = creditCode?.trim().toUpperCase();
  const name = product === undefined ? '' : normalizeText(product);
  if (!code || !name) return undefined;
  return `${code}#${createHash('sha256').update(name).digest('base64url').slice(0, 22)}`;
}

/** Canonical content of a declaration: what makes a re-uploaded row `unchanged`. */
function canonical(declaration: { standardNumber: string; indicators: readonly DeclaredIndicator[] }): string {
  const indicators = [...declaration.indicators]
    .map(({ code, value, unit }) => [code, value, unit ?? null] as const)
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return JSON.stringify([declaration.standardNumber, indicators]);
}

/** Same standard and the same values (in the scheme's units) for the same indicators. */
export const sameDeclaration = (
  a: { standardNumber: string; indicators: readonly DeclaredIndicator[] },
  b: { standardNumber: string; indicators: readonly DeclaredIndicator[] },
) => canonical(a) === canonical(b);

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** 80 bits of a hash as the 16 random characters of a ULID. */
function hashPart(seed: string): string {
  const bytes = createHash('sha256').update(seed).digest();
  let bits = 0n;
  for (let i = 0; i < 10; i++) bits = (bits << 8n) | BigInt(bytes[i]!);
  let out = '';
  for (let i = 0; i < 16; i++) {
    out = CROCKFORD[Number(bits & 31n)] + out;
    bits >>= 5n;
  }
  return out;
}

/**
 * The ids a row's declaration and comparison get: ULIDs whose time is when its
 * chunk was first processed and whose randomness is a hash of the batch and
 * the line. Every attempt at a chunk computes the same ids, so a retried or
 * resumed chunk finds what an earlier attempt wrote instead of writing again.
 */
export function batchRowIds(batchId: string, line: number, chunkStartedAtMs: number) {
  const time = encodeTime(chunkStartedAtMs, 10);
  return {
    declarationId: time + hashPart(`${batchId}#${line}#declaration`),
    comparisonId: time + hashPart(`${batchId}#${line}#comparison`),
  };
}

/**
 * Reads an uploaded spreadsheet row by row from a stream, never holding the
 * file: XLSX (recognised by its zip signature, whatever the declared format)
 * through exceljs' streaming reader, anything else as CSV through csv-parse,
 * decoded as UTF-8 (with or without BOM) or, when the first bytes are not
 * valid UTF-8, as GB18030 (what Chinese Excel writes) through iconv-lite.
 *
 * Line numbers are what a spreadsheet shows: the header is line 1, and blank
 * lines count (CSV records; XLSX row numbers).
 */
import { PassThrough, type Readable } from 'node:stream';
import { parse } from 'csv-parse';
import type ExcelJS from 'exceljs';
import { loadExcelJS } from './exceljs.ts';
import iconv from 'iconv-lite';
import type { Cell } from '../domain/batch.ts';

export interface SheetRow {
  line: number;
  cells: Cell[];
}

/** A file that cannot be read as CSV or XLSX (bad zip, unterminated quote, UTF-16...). */
export class UnreadableFileError extends Error {
  override name = 'UnreadableFileError';
}

/** Enough text to tell UTF-8 from GB18030: Chinese names appear within the first rows. */
const SNIFF_BYTES = 256 * 1024;
const ZIP = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const UTF16_BOMS = [Buffer.from([0xff, 0xfe]), Buffer.from([0xfe, 0xff])];

export type Encoding = 'utf-8' | 'gb18030';

/** UTF-8 unless the sample holds a byte sequence UTF-8 forbids (a sample may end mid-character). */
export function detectEncoding(sample: Buffer): Encoding {
  if (sample.subarray(0, 3).equals(UTF8_BOM)) return 'utf-8';
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(sample, { stream: true });
    return 'utf-8';
  } catch {
    return 'gb18030';
  }
}

/** Reads the stream's first bytes, and a stream that replays them followed by the rest. */
async function peek(source: Readable, bytes: number): Promise<{ head: Buffer; stream: Readable }> {
  const chunks: Buffer[] = [];
  let length = 0;
  const iterator = source[Symbol.asyncIterator]();
  let done = false;
  while (length < bytes) {
    const next = await iterator.next();
    if (next.done) {
      done = true;
      break;
    }
    const chunk = Buffer.isBuffer(next.value) ? next.value : Buffer.from(next.value as Uint8Array);
    chunks.push(chunk);
    length += chunk.length;
  }
  const head = Buffer.concat(chunks);
  const stream = new PassThrough();
  void (async () => {
    try {
      stream.write(head);
      if (!done) {
        for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
          if (!stream.write(next.value)) await new Promise((resolve) => stream.once('drain', resolve));
        }
      }
      stream.end();
    } catch (error) {
      stream.destroy(error as Error);
    }
  })();
  return { head, stream };
}

export async function* readSheetRows(source: Readable): AsyncGenerator<SheetRow> {
  const { head, stream } = await peek(source, SNIFF_BYTES);
  if (head.subarray(0, 4).equals(ZIP)) {
    yield* readXlsx(stream);
    return;
  }
  if (UTF16_BOMS.some((bom) => head.subarray(0, 2).equals(bom))) {
    stream.destroy();
    throw new UnreadableFileError('UTF-16 text is not supported; save as CSV (UTF-8) or XLSX');
  }
  yield* readCsv(stream, detectEncoding(head));
}

async function* readCsv(stream: Readable, encoding: Encoding): AsyncGenerator<SheetRow> {
  const parser = parse({ bom: true, relax_column_count: true, relax_quotes: true, skip_empty_lines: false });
  // pipe() forwards data, not errors: a broken download must end the parse, not stall it.
  stream.on('error', (error: Error) => parser.destroy(error));
  const decoded = encoding === 'gb18030' ? stream.pipe(iconv.decodeStream('gb18030')) : stream;
  if (decoded !== stream) decoded.on('error', (error: Error) => parser.destroy(error));
  decoded.pipe(parser);
  let line = 0;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      line += 1;
      yield { line, cells: record };
    }
  } catch (error) {
    throw new UnreadableFileError(`CSV: ${(error as Error).message}`);
  } finally {
    stream.destroy();
  }
}

type ExcelValue = ExcelJS.CellValue | undefined;

/** An exceljs cell value as text, number or boolean: formulas by their result, rich text joined. */
function cellOf(value: ExcelValue): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((part) => part.text).join('');
    if ('result' in value) return cellOf(value.result as ExcelValue);
    if ('text' in value) return cellOf(value.text as ExcelValue);
    if ('error' in value) return String(value.error);
  }
  return String(value);
}

/** Items of `iterable`, failing as soon as `stream` fails (exceljs pipes it without listening for errors). */
async function* failingWith<T>(iterable: AsyncIterable<T>, stream: Readable): AsyncGenerator<T> {
  const failed = new Promise<never>((_, reject) => stream.once('error', reject));
  failed.catch(() => undefined);
  const iterator = iterable[Symbol.asyncIterator]();
  try {
    for (;;) {
      const next = await Promise.race([iterator.next(), failed]);
      if (next.done) return;
      yield next.value;
    }
  } finally {
    // Not awaited: after a failure the iterator may wait forever on the dead stream.
    void Promise.resolve(iterator.return?.()).catch(() => undefined);
  }
}

/**
 * exceljs streams the rows; it keeps the shared strings in memory and, when a
 * worksheet comes before them in the zip (as Excel writes it), the sheet's XML
 * in a temporary file (Lambda: ephemeral storage, sized in the batch stack).
 */
async function* readXlsx(stream: Readable): AsyncGenerator<SheetRow> {
  const workbook = new (await loadExcelJS()).stream.xlsx.WorkbookReader(stream, {
    sharedStrings: 'cache',
    worksheets: 'emit',
    hyperlinks: 'ignore',
    styles: 'ignore',
    entries: 'ignore',
  });
  try {
    // The first worksheet holds the rows; the template's second one only explains.
    for await (const worksheet of failingWith(workbook, stream)) {
      for await (const row of failingWith(worksheet as AsyncIterable<ExcelJS.Row>, stream)) {
        const values = row.values as ExcelValue[];
        // values is 1-based and sparse: holes are empty cells.
        yield { line: row.number, cells: Array.from(values.slice(1), cellOf) };
      }
      return;
    }
  } catch (error) {
    throw new UnreadableFileError(`XLSX: ${(error as Error).message}`);
  } finally {
    stream.destroy();
  }
}

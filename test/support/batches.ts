/**
 * Batch files and uploads for the e2e tests and the benchmark: rows of the
 * infant textiles scheme (fixtures.ts), CSV in UTF-8 or GB18030, XLSX by
 * exceljs, the upload through the presigned POST the API returns, and polling
 * until the batch ends.
 */
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import type { ApiClient } from '../../infra/local/api-client.ts';
import { creditCode } from './fixtures.ts';
import { postPresigned } from './uploads.ts';

export const TEXTILE_COLUMNS = [
  'creditCode',
  'enterpriseName',
  'divisionCode',
  'industry',
  'product',
  'standardNumber',
  'lead',
  'cadmium',
  'phthalates',
  'ph',
];

export type SheetValue = string | number | boolean;

/** `count` valid rows, one new enterprise each, in `division`; cadmium varies so verdicts differ. */
export function textileRows(count: number, division: string, firstSerial: number, product = '婴儿连体衣'): SheetValue[][] {
  return Array.from({ length: count }, (_, i) => [
    creditCode(division, firstSerial + i),
    `批量企业${firstSerial + i}号纺织有限公司`,
    division,
    '纺织服装',
    product,
    'Q/PL 001-2024',
    90,
    i % 2 === 0 ? 30 : 100,
    0.1,
    '4.0~7.5',
  ]);
}

const csvField = (value: SheetValue) => {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

export function csvText(rows: SheetValue[][], columns = TEXTILE_COLUMNS): string {
  return [columns, ...rows].map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}

export const utf8Csv = (rows: SheetValue[][], options: { bom?: boolean; columns?: string[] } = {}) =>
  Buffer.from(`${options.bom ? '\uFEFF' : ''}${csvText(rows, options.columns)}`, 'utf8');

/** What Chinese Excel writes for "CSV (逗号分隔)". */
export const gb18030Csv = (rows: SheetValue[][]) => iconv.encode(csvText(rows), 'gb18030');

export async function xlsxFile(rows: SheetValue[][], columns = TEXTILE_COLUMNS): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('申报数据');
  sheet.addRow(columns);
  for (const row of rows) sheet.addRow(row);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

export interface BatchView {
  id: string;
  status: 'waiting_upload' | 'processing' | 'completed' | 'failed';
  rows: number | null;
  total: number;
  accepted: number;
  unchanged: number;
  rejected: number;
  compared: number;
  errorsUrl: string | null;
  error?: { code: string; message: string };
  completedAt?: string;
}

/** POST /v1/batches, then the file through the returned presigned POST, as a browser would. */
export async function uploadBatch(
  client: ApiClient,
  schemeId: string,
  file: Buffer,
  format: 'csv' | 'xlsx',
  fileName = `batch.${format}`,
): Promise<string> {
  const created = await client.call<{ batchId: string; upload: { url: string; fields: Record<string, string> } }>(
    'POST',
    '/v1/batches',
    { schemeId, fileName, format, size: file.length },
  );
  const status = await postPresigned(created.upload, file, fileName);
  if (status >= 300) throw new Error(`upload failed with ${status}`);
  return created.batchId;
}

export async function waitForBatch(client: ApiClient, id: string, timeoutMs = 60_000): Promise<BatchView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await client.request<BatchView>('GET', `/v1/batches/${id}`);
    // A client's usage plan may throttle polling: wait and ask again.
    if (response.status !== 429) {
      if (response.status !== 200) throw new Error(`GET /v1/batches/${id}: ${response.status} ${JSON.stringify(response.body)}`);
      const batch = response.body;
      if (batch.status === 'completed' || batch.status === 'failed') return batch;
      if (Date.now() > deadline) throw new Error(`batch ${id} still ${batch.status}: ${JSON.stringify(batch)}`);
    }
    await new Promise((done) => setTimeout(done, 100));
  }
}

/** The errors file as its lines (BOM checked and stripped), each split into its five fields. */
export async function errorsFile(url: string): Promise<{ bom: boolean; header: string[]; lines: string[][] }> {
  const bytes = Buffer.from(await (await fetch(url)).arrayBuffer());
  const bom = bytes.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]));
  const text = bytes.subarray(bom ? 3 : 0).toString('utf8');
  const rows = parseCsv(text);
  return { bom, header: rows[0]!, lines: rows.slice(1) };
}

/** A small RFC 4180 reader for the tests' own checks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      row.push(field);
      field = '';
    } else if (char === '\n') {
      row.push(field.replace(/\r$/, ''));
      rows.push(row);
      row = [];
      field = '';
    } else field += char;
  }
  if (field !== '' || row.length > 0) rows.push([...row, field]);
  return rows;
}

/** The pure parts of batch submission: header, cell grammar, row checks, identity, encodings, the errors file. */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { PassThrough, Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import {
  batchIdOfUploadKey,
  batchRowIds,
  readHeader,
  readIndicatorCell,
  rowKey,
  sameDeclaration,
  templateColumns,
  visibleStatus,
  WORKFLOW_TIMEOUT_SECONDS,
} from '../../shared/domain/batch.ts';
import { definitionPath } from '../../infra/workflows/definitions.ts';
import { batchWorkflow } from '../../infra/workflows/index.ts';
import type { SchemeIndicator } from '../../shared/domain/scheme.ts';
import { csvField, errorsHeader, errorsLine } from '../../shared/report/batch-errors.ts';
import { checkRow } from '../../shared/schemas/batch-rows.ts';
import { detectEncoding, readSheetRows, type SheetRow } from '../../shared/services/batch-files.ts';

const indicator = (code: string, requirement: SchemeIndicator['requirement'], extra: Partial<SchemeIndicator> = {}): SchemeIndicator => ({
  code,
  name: code,
  requirement,
  core: false,
  weight: 1,
  benchmarks: [],
  ...extra,
});

const indicators: SchemeIndicator[] = [
  indicator('lead', 'max', { unit: 'mg/kg', core: true }),
  indicator('ph', 'range', { unit: 'pH' }),
  indicator('grade', 'levels', { levels: ['1', '2', '3'] }),
  indicator('flickerFree', 'boolean'),
];
const columns = templateColumns(indicators);

describe('the header', () => {
  it('maps columns by name in any order, optional non-core indicators left out', () => {
    const header = readHeader(['\uFEFFproduct', ...columns.filter((c) => c !== 'product' && c !== 'grade')], indicators);
    expect(header.ok).toBe(true);
    if (!header.ok) return;
    expect(header.columns.base.product).toBe(0);
    expect(header.columns.indicators.map((i) => i.indicator.code)).toEqual(['lead', 'ph', 'flickerFree']);
  });

  it('refuses unknown, duplicate and missing required columns, naming them', () => {
    expect(readHeader([...columns, 'leed'], indicators)).toEqual({ ok: false, code: 'unknown_columns', columns: ['leed'] });
    expect(readHeader([...columns, 'lead'], indicators)).toEqual({ ok: false, code: 'duplicate_columns', columns: ['lead'] });
    expect(readHeader(columns.filter((c) => c !== 'lead' && c !== 'industry'), indicators)).toEqual({
      ok: false,
      code: 'missing_columns',
      columns: ['industry', 'lead'],
    });
  });
});

describe('indicator cells', () => {
  const [lead, ph, grade, flicker] = indicators as [SchemeIndicator, SchemeIndicator, SchemeIndicator, SchemeIndicator];

  it('reads numbers with an optional unit, ranges as low~high, grades and booleans', () => {
    expect(readIndicatorCell(lead, ' 90 ')).toEqual({ code: 'lead', value: 90 });
    expect(readIndicatorCell(lead, '０．００９ %')).toEqual({ code: 'lead', value: 0.009, unit: '%' });
    expect(readIndicatorCell(lead, 1e-3)).toEqual({ code: 'lead', value: 0.001 });
    expect(readIndicatorCell(ph, '4.0～7.5')).toEqual({ code: 'ph', value: [4, 7.5] });
    expect(readIndicatorCell(ph, '4 〜 7.5 pH')).toEqual({ code: 'ph', value: [4, 7.5], unit: 'pH' });
    expect(readIndicatorCell(grade, 1)).toEqual({ code: 'grade', value: '1' });
    expect(readIndicatorCell(flicker, '是')).toEqual({ code: 'flickerFree', value: true });
    expect(readIndicatorCell(flicker, 'FALSE')).toEqual({ code: 'flickerFree', value: false });
    expect(readIndicatorCell(flicker, true)).toEqual({ code: 'flickerFree', value: true });
  });

  it('treats an empty cell as not declared and passes anything else on as text', () => {
    expect(readIndicatorCell(lead, '  ')).toBeUndefined();
    expect(readIndicatorCell(lead, null)).toBeUndefined();
    expect(readIndicatorCell(lead, '≤40')).toEqual({ code: 'lead', value: '≤40' });
    expect(readIndicatorCell(flicker, '有')).toEqual({ code: 'flickerFree', value: '有' });
  });
});

describe('a row', () => {
  const header = readHeader(columns, indicators);
  if (!header.ok) throw new Error('header');
  const row = (patch: Record<string, string>) =>
    columns.map((name) => patch[name] ?? ({ creditCode: '91350100M000100Y43', enterpriseName: '企业', divisionCode: '350102', industry: '照明', product: '筒灯', standardNumber: 'Q/XX 1-2024', lead: '40' } as Record<string, string>)[name] ?? '');

  it('passes with the values in the scheme’s units', () => {
    const checked = checkRow(indicators, header.columns, row({ lead: '0.004 %', ph: '5~7' }));
    expect(checked).toMatchObject({ ok: true, fields: { creditCode: '91350100M000100Y43', product: '筒灯' } });
    if (checked.ok) expect(checked.indicators.find((i) => i.code === 'lead')).toMatchObject({ value: 40, unit: 'mg/kg' });
  });

  it('names every problem by its column with the single declaration’s codes', () => {
    const checked = checkRow(indicators, header.columns, row({ creditCode: '91310115MA1G4L1WXK', divisionCode: '990000', lead: '', ph: '8~5', grade: '4', flickerFree: 'maybe' }));
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    expect(checked.issues.map((i) => `${i.column}:${i.code}`)).toEqual([
      'creditCode:invalid_credit_code',
      'divisionCode:invalid_division_code',
      'ph:range_inverted',
      'grade:level_not_in_list',
      'flickerFree:value_mismatch',
      'lead:core_indicator_missing',
    ]);
  });
});

describe('identity', () => {
  it('keys a row by the normalised credit code and product', () => {
    expect(rowKey(' 91350100m000100y43 ', '筒灯  （5W）')).toBe(rowKey('91350100M000100Y43', '筒灯 (5W)'));
    expect(rowKey('91350100M000100Y43', '筒灯')).not.toBe(rowKey('91350100M000100Y43', '射灯'));
    expect(rowKey(undefined, '筒灯')).toBeUndefined();
  });

  it('derives the same ULIDs for the same batch, line and chunk start, and others for any other', () => {
    const ids = batchRowIds('01JBATCH0000000000000000AA', 7, 1_700_000_000_000);
    expect(ids).toEqual(batchRowIds('01JBATCH0000000000000000AA', 7, 1_700_000_000_000));
    expect(ids.declarationId).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(ids.declarationId).not.toBe(ids.comparisonId);
    expect(batchRowIds('01JBATCH0000000000000000AA', 8, 1_700_000_000_000).declarationId).not.toBe(ids.declarationId);
    // Later chunks sort after earlier declarations.
    expect(batchRowIds('01JBATCH0000000000000000AA', 7, 1_700_000_000_001).declarationId > ids.declarationId).toBe(true);
  });

  it('calls a row unchanged only with the same standard and the same values', () => {
    const a = { standardNumber: 'Q/X 1-2024', indicators: [{ code: 'lead', value: 40, unit: 'mg/kg' }, { code: 'ph', value: [5, 7] as [number, number] }] };
    const reordered = { ...a, indicators: [...a.indicators].reverse() };
    expect(sameDeclaration(a, reordered)).toBe(true);
    expect(sameDeclaration(a, { ...a, standardNumber: 'Q/X 2-2024' })).toBe(false);
    expect(sameDeclaration(a, { ...a, indicators: [a.indicators[0]!] })).toBe(false);
  });

  it('takes batch ids only from upload keys', () => {
    expect(batchIdOfUploadKey('uploads/01JBATCH0000000000000000AA')).toBe('01JBATCH0000000000000000AA');
    expect(batchIdOfUploadKey('uploads/01JBATCH0000000000000000AA/x')).toBeUndefined();
    expect(batchIdOfUploadKey('work/01JBATCH0000000000000000AA')).toBeUndefined();
  });
});

describe('encodings', () => {
  it('tells GB18030 from UTF-8 by the bytes, with or without BOM', () => {
    const text = 'creditCode,enterpriseName\r\n91350100M000100Y43,杭州丝绸之路纺织有限公司\r\n';
    expect(detectEncoding(Buffer.from(text, 'utf8'))).toBe('utf-8');
    expect(detectEncoding(Buffer.from(`\uFEFF${text}`, 'utf8'))).toBe('utf-8');
    expect(detectEncoding(iconv.encode(text, 'gb18030'))).toBe('gb18030');
    // A sample cut in the middle of a character is still UTF-8.
    expect(detectEncoding(Buffer.from(text, 'utf8').subarray(0, 60))).toBe('utf-8');
  });
});

describe('the errors file', () => {
  it('starts with a BOM and a Chinese header, and quotes and defuses cells', () => {
    expect(errorsHeader()).toBe('\uFEFF行号,统一社会信用代码,产品,错误代码,错误原因\r\n');
    expect(csvField('a,"b"')).toBe('"a,""b"""');
    expect(csvField('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
    expect(csvField(12)).toBe('12');
    const line = errorsLine({
      line: 5,
      creditCode: '91310115MA1G4L1WXK',
      product: '筒灯',
      issues: [
        { column: 'creditCode', code: 'invalid_credit_code' },
        { column: 'lead', code: 'unit_unknown', params: { unit: 'jin2', expected: 'mg/kg' } },
      ],
    });
    expect(line).toBe(
      '5,91310115MA1G4L1WXK,筒灯,invalid_credit_code;unit_unknown,creditCode：统一社会信用代码不正确（应为 18 位，校验位须正确）；lead：无法识别的计量单位：jin2\r\n',
    );
  });
});

describe('reading a file as a stream', () => {
  const rowsOf = async (stream: Readable) => {
    const rows: SheetRow[] = [];
    for await (const row of readSheetRows(stream)) rows.push(row);
    return rows;
  };
  /** The bytes in small pieces, as S3 delivers them. */
  const pieces = (bytes: Buffer, size = 7) => Readable.from(Array.from({ length: Math.ceil(bytes.length / size) }, (_, i) => bytes.subarray(i * size, (i + 1) * size)));

  it('reads GB18030 and UTF-8 CSV split mid-character, numbering lines as a spreadsheet does (blank lines count)', async () => {
    const text = 'creditCode,enterpriseName\r\n91350100M000100Y43,"杭州,丝绸"\r\n\r\n91110000600037341L,湖州蚕丝被厂\r\n';
    for (const bytes of [iconv.encode(text, 'gb18030'), Buffer.from(`\uFEFF${text}`, 'utf8')]) {
      const rows = await rowsOf(pieces(bytes));
      expect(rows.map((row) => [row.line, ...row.cells])).toEqual([
        [1, 'creditCode', 'enterpriseName'],
        [2, '91350100M000100Y43', '杭州,丝绸'],
        [3, ''],
        [4, '91110000600037341L', '湖州蚕丝被厂'],
      ]);
    }
  });

  it('reads the first worksheet of a workbook with the row numbers it shows, cells typed', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('申报数据');
    sheet.addRow(['creditCode', 'lead']);
    sheet.getRow(3).values = ['91350100M000100Y43', 90];
    workbook.addWorksheet('填写说明').addRow(['not', 'rows']);
    const rows = await rowsOf(pieces(Buffer.from(await workbook.xlsx.writeBuffer()), 1024));
    expect(rows).toEqual([
      { line: 1, cells: ['creditCode', 'lead'] },
      { line: 3, cells: ['91350100M000100Y43', 90] },
    ]);
  });

  it('fails, rather than waiting forever, when the download breaks after the first bytes', async () => {
    // Past the 256 KiB the encoding sniffer reads, so the parsers themselves see the break.
    const csv = Buffer.from(`creditCode,lead\r\n${'91350100M000100Y43,90\r\n'.repeat(20_000)}`);
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('申报数据');
    for (let i = 0; i < 20_000; i++) sheet.addRow([randomBytes(12).toString('hex'), i]);
    const xlsx = Buffer.from(await workbook.xlsx.writeBuffer());
    for (const bytes of [csv, xlsx]) {
      expect(bytes.length).toBeGreaterThan(400 * 1024);
      const stream = new PassThrough();
      stream.write(bytes.subarray(0, 400 * 1024));
      setTimeout(() => stream.destroy(new Error('connection reset')), 100);
      await expect(rowsOf(stream)).rejects.toThrow();
    }
  }, 20_000);
});

describe('the status clients see', () => {
  const at = (iso: string) => Date.parse(iso);
  const created = '2026-01-01T00:00:00.000Z';

  it('fails an upload that never came an hour after its form expired, and a workflow silent past its timeout', () => {
    const waiting = { status: 'waiting_upload' as const, createdAt: created, updatedAt: created };
    expect(visibleStatus(waiting, at('2026-01-01T01:14:00.000Z'))).toEqual({ status: 'waiting_upload' });
    expect(visibleStatus(waiting, at('2026-01-01T01:16:00.000Z'))).toEqual({ status: 'failed', error: { code: 'upload_expired' } });
    const processing = { status: 'processing' as const, createdAt: created, updatedAt: '2026-01-01T01:00:00.000Z' };
    expect(visibleStatus(processing, at('2026-01-01T03:14:00.000Z'))).toEqual({ status: 'processing' });
    expect(visibleStatus(processing, at('2026-01-01T03:16:00.000Z'))).toEqual({ status: 'failed', error: { code: 'timeout' } });
    // The rule follows the workflow's own timeout.
    const asl = JSON.parse(readFileSync(definitionPath(batchWorkflow.file), 'utf8')) as { TimeoutSeconds: number };
    expect(asl.TimeoutSeconds).toBe(WORKFLOW_TIMEOUT_SECONDS);
    const completed = { status: 'completed' as const, createdAt: created, updatedAt: created };
    expect(visibleStatus(completed, at('2027-01-01T00:00:00.000Z'))).toEqual({ status: 'completed' });
  });
});


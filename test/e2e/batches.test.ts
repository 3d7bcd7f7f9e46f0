/**
 * Batch submission end to end: templates, presigned uploads to the S3
 * emulator, the batch workflow on the local Step Functions interpreter, the
 * errors file, exactly-once declarations and territory.
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../infra/local/api-client.ts';
import {
  type BatchView,
  csvText,
  errorsFile,
  gb18030Csv,
  textileRows,
  TEXTILE_COLUMNS,
  uploadBatch,
  utf8Csv,
  waitForBatch,
} from '../support/batches.ts';
import { createEnterprise, createTextileScheme, creditCode } from '../support/fixtures.ts';
import { startTestPlatform, type TestPlatform } from '../support/platform.ts';

let t: TestPlatform;
let scheme: { id: string; version: number };
let zhejiang: ApiClient;
let hangzhou: ApiClient;
let jiangsu: ApiClient;

interface DeclarationView {
  id: string;
  creditCode: string;
  enterpriseName: string;
  product: string;
  status: string;
  comparisonId: string;
  revision: number;
  supersedes: string | null;
  latest: boolean;
  indicators: { code: string; value: unknown }[];
}

const declarationsOf = async (client: ApiClient, code: string) =>
  (await client.call<{ items: DeclarationView[] }>('GET', `/v1/declarations?creditCode=${code}&schemeId=${scheme.id}&limit=100`)).items;

async function ingest(client: ApiClient, file: Buffer, format: 'csv' | 'xlsx' = 'csv', schemeId = scheme.id): Promise<BatchView> {
  return waitForBatch(client, await uploadBatch(client, schemeId, file, format));
}

beforeAll(async () => {
  t = await startTestPlatform();
  scheme = await createTextileScheme(t.admin);
  zhejiang = await t.clientFor(t.admin, 'province', '330000');
  hangzhou = await t.clientFor(zhejiang, 'city', '330100');
  jiangsu = await t.clientFor(t.admin, 'province', '320000');
}, 60_000);

afterAll(async () => {
  await t?.platform.stop();
});

describe('templates', () => {
  it('serves the CSV template: UTF-8 with BOM, the base columns then the indicator codes', async () => {
    const response = await fetch(`${t.url}/v1/schemes/${scheme.id}/template.csv`, {
      headers: { Authorization: `Bearer ${await hangzhou.accessToken()}` },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename=.*filename\*=UTF-8''/);
    const bytes = Buffer.from(await response.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.subarray(3).toString('utf8')).toBe(`${TEXTILE_COLUMNS.join(',')}\r\n`);
  });

  it('serves the XLSX template with a second sheet explaining each indicator, in the request’s language', async () => {
    const fetchWorkbook = async (language: string) => {
      const response = await fetch(`${t.url}/v1/schemes/${scheme.id}/template.xlsx`, {
        headers: { Authorization: `Bearer ${await hangzhou.accessToken()}`, 'Accept-Language': language },
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(await response.arrayBuffer());
      return workbook;
    };
    const zh = await fetchWorkbook('zh');
    const [data, guide] = zh.worksheets;
    expect((data!.getRow(1).values as unknown[]).slice(1)).toEqual(TEXTILE_COLUMNS);
    const guideRows = Array.from(guide!.getSheetValues(), (row) => (Array.isArray(row) ? row.slice(1) : []));
    const cadmium = guideRows.find((row) => row[0] === 'cadmium')!;
    expect(cadmium).toEqual(['cadmium', '镉', 'mg/kg', expect.any(String), '是', '', expect.stringContaining('数值')]);
    const ph = guideRows.find((row) => row[0] === 'ph')!;
    expect(ph[6]).toContain('下限~上限');
    const en = await fetchWorkbook('en');
    expect(en.worksheets.map((sheet) => sheet.name)).toEqual(['Declarations', 'Guide']);
  });

  it('is 404 for an unknown scheme', async () => {
    expect((await hangzhou.request('GET', '/v1/schemes/NOPE/template.csv')).status).toBe(404);
  });
});

describe('a 2,000-row CSV', () => {
  let batch: BatchView;
  const rows = textileRows(2000, '330106', 10_000);

  beforeAll(async () => {
    batch = await ingest(zhejiang, utf8Csv(rows), 'csv');
  }, 60_000);

  it('completes with every row accepted and compared, and no errors file', () => {
    expect(batch).toMatchObject({ status: 'completed', rows: 2000, total: 2000, accepted: 2000, unchanged: 0, rejected: 0, compared: 2000, errorsUrl: null });
  });

  it('registers the enterprises and declares every row once, compared', async () => {
    const page = await zhejiang.call<{ items: DeclarationView[]; nextCursor: string | null }>(
      'GET',
      `/v1/declarations?schemeId=${scheme.id}&divisionCode=330106&limit=100`,
    );
    expect(page.items.every((d) => d.status === 'compared')).toBe(true);
    let count = page.items.length;
    for (let cursor = page.nextCursor; cursor; ) {
      const next = await zhejiang.call<{ items: DeclarationView[]; nextCursor: string | null }>(
        'GET',
        `/v1/declarations?schemeId=${scheme.id}&divisionCode=330106&limit=100&cursor=${encodeURIComponent(cursor)}`,
      );
      expect(next.items.every((d) => d.status === 'compared')).toBe(true);
      count += next.items.length;
      cursor = next.nextCursor;
    }
    expect(count).toBe(2000);
    const enterprise = await zhejiang.call<{ name: string; divisionCode: string }>('GET', `/v1/enterprises/${String(rows[7]![0])}`);
    expect(enterprise).toMatchObject({ name: '批量企业10007号纺织有限公司', divisionCode: '330106' });
  });

  it('shows a row’s comparison like a single declaration’s, report links included', async () => {
    const [meeting] = await declarationsOf(zhejiang, String(rows[0]![0]));
    const [below] = await declarationsOf(zhejiang, String(rows[1]![0]));
    const first = await zhejiang.call<{ status: string; result: { meets: boolean; level: string }; report: { html: string; json: string; language: string } }>(
      'GET',
      `/v1/comparisons/${meeting!.comparisonId}`,
    );
    expect(first).toMatchObject({ status: 'succeeded', result: { meets: true, level: 'partially_superior' }, report: { language: 'zh' } });
    expect(await (await fetch(first.report.html)).text()).toContain('<svg');
    const second = await zhejiang.call<{ result: { meets: boolean; level: string } }>('GET', `/v1/comparisons/${below!.comparisonId}`);
    expect(second.result).toMatchObject({ meets: false, level: 'below' });
    const english = await fetch(`${t.url}/v1/comparisons/${meeting!.comparisonId}`, {
      headers: { Authorization: `Bearer ${await zhejiang.accessToken()}`, 'Accept-Language': 'en' },
    });
    const report = ((await english.json()) as { report: { json: string; language: string } }).report;
    expect(report.language).toBe('en');
    expect(((await (await fetch(report.json)).json()) as { language: string }).language).toBe('en');
  });
});

describe('the same file twice', () => {
  const rows = textileRows(40, '330106', 20_000, '婴儿睡袋');
  let first: BatchView;
  let second: BatchView;

  beforeAll(async () => {
    first = await ingest(zhejiang, utf8Csv(rows));
    second = await ingest(zhejiang, utf8Csv(rows));
  }, 60_000);

  it('declares each row once: the second upload is all unchanged', async () => {
    expect(first).toMatchObject({ status: 'completed', accepted: 40, unchanged: 0, compared: 40 });
    expect(second).toMatchObject({ status: 'completed', total: 40, accepted: 0, unchanged: 40, rejected: 0, compared: 0 });
    for (const row of [rows[0]!, rows[39]!]) expect(await declarationsOf(zhejiang, String(row[0]))).toHaveLength(1);
  });

  it('makes a changed row the next revision, the rest unchanged', async () => {
    const changed = rows.map((row, i) => (i === 5 ? row.map((cell, c) => (c === 7 ? 20 : cell)) : row));
    const third = await ingest(zhejiang, utf8Csv(changed));
    expect(third).toMatchObject({ accepted: 1, unchanged: 39, compared: 1 });
    const revisions = await declarationsOf(zhejiang, String(rows[5]![0]));
    expect(revisions.map((d) => [d.revision, d.latest]).sort()).toEqual([
      [1, false],
      [2, true],
    ]);
    const latest = revisions.find((d) => d.latest)!;
    expect(latest.supersedes).toBe(revisions.find((d) => !d.latest)!.id);
    expect(latest.indicators.find((i) => i.code === 'cadmium')!.value).toBe(20);
  });

  it('declares each row once when the same file arrives twice at the same time', async () => {
    const file = utf8Csv(textileRows(30, '330106', 21_000, '婴儿帽'));
    const [a, b] = await Promise.all([uploadBatch(zhejiang, scheme.id, file, 'csv'), uploadBatch(zhejiang, scheme.id, file, 'csv')]);
    const [x, y] = await Promise.all([waitForBatch(zhejiang, a), waitForBatch(zhejiang, b)]);
    expect(x.accepted + y.accepted).toBe(30);
    expect(x.unchanged + y.unchanged).toBe(30);
    expect(await declarationsOf(zhejiang, creditCode('330106', 21_000))).toHaveLength(1);
  });
});

describe('encodings and formats', () => {
  it('reads GB18030 (what Chinese Excel writes), Chinese names intact', async () => {
    const rows = textileRows(3, '330106', 30_000, '婴儿肚兜（纯棉）').map((row, i) => {
      row[1] = ['杭州丝绸之路纺织有限公司', '浙江织里童装股份有限公司', '湖州蚕丝被厂'][i]!;
      return row;
    });
    const batch = await ingest(zhejiang, gb18030Csv(rows));
    expect(batch).toMatchObject({ status: 'completed', accepted: 3, rejected: 0 });
    const enterprise = await zhejiang.call<{ name: string }>('GET', `/v1/enterprises/${String(rows[1]![0])}`);
    expect(enterprise.name).toBe('浙江织里童装股份有限公司');
    expect((await declarationsOf(zhejiang, String(rows[2]![0])))[0]!.product).toBe('婴儿肚兜(纯棉)');
  });

  it('reads UTF-8 with a BOM', async () => {
    const batch = await ingest(zhejiang, utf8Csv(textileRows(2, '330106', 31_000), { bom: true }));
    expect(batch).toMatchObject({ status: 'completed', accepted: 2 });
  });

  it('reads the downloaded XLSX template filled in: numbers, ranges and units as a spreadsheet holds them', async () => {
    const response = await fetch(`${t.url}/v1/schemes/${scheme.id}/template.xlsx`, {
      headers: { Authorization: `Bearer ${await zhejiang.accessToken()}` },
    });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await response.arrayBuffer());
    const sheet = workbook.worksheets[0]!;
    const rows = textileRows(3, '330106', 32_000, '婴儿袜');
    rows[1]![7] = '0.004 %'; // 40 mg/kg in another unit
    for (const row of rows) sheet.addRow(row);
    const batch = await ingest(zhejiang, Buffer.from(await workbook.xlsx.writeBuffer()), 'xlsx');
    expect(batch, JSON.stringify(batch.error)).toMatchObject({ status: 'completed', accepted: 3, rejected: 0, compared: 3 });
    const [declaration] = await declarationsOf(zhejiang, String(rows[1]![0]));
    expect(declaration!.indicators.find((i) => i.code === 'cadmium')!.value).toBe(40);
    expect(declaration!.indicators.find((i) => i.code === 'ph')!.value).toEqual([4, 7.5]);
  });

  it('fails a file whose header lacks required columns, saying which', async () => {
    const columns = TEXTILE_COLUMNS.filter((c) => c !== 'cadmium' && c !== 'industry');
    const batch = await ingest(zhejiang, Buffer.from(csvText([], columns) + 'x\r\n'));
    expect(batch.status).toBe('failed');
    expect(batch.error).toEqual({ code: 'missing_columns', message: '缺少必需的列：industry, cadmium' });
  });

  it('fails a file that is not a spreadsheet', async () => {
    const batch = await ingest(zhejiang, Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.alloc(64, 1)]), 'xlsx');
    expect(batch).toMatchObject({ status: 'failed', error: { code: 'unreadable_file' } });
  });
});

describe('malformed rows', () => {
  let batch: BatchView;
  let file: Awaited<ReturnType<typeof errorsFile>>;
  const good = textileRows(3, '330106', 40_000, '婴儿围嘴');

  beforeAll(async () => {
    const bad = (patch: Record<number, string | number>, serial: number) =>
      good[0]!.map((cell, c) => (c in patch ? patch[c]! : c === 0 ? creditCode('330106', serial) : cell));
    const rows = [
      bad({ 0: '91310115MA1G4L1WXK' }, 0), // line 2: bad credit code
      bad({ 6: '90 jin2' }, 40_101), // line 3: unknown unit
      bad({ 7: '' }, 40_102), // line 4: empty core indicator
      bad({ 6: 'abc' }, 40_103), // line 5: value out of type
      good[0]!, // line 6: replaced by line 9
      good[1]!, // line 7
      [], // line 8: blank, still a line
      good[0]!.map((cell, c) => (c === 7 ? 35 : cell)), // line 9: wins
      bad({ 2: '320102' }, 40_104), // line 10: outside Zhejiang
    ];
    batch = await ingest(zhejiang, utf8Csv(rows as (string | number)[][]));
    file = await errorsFile(batch.errorsUrl!);
  }, 60_000);

  it('accepts the good rows and rejects the others', () => {
    expect(batch).toMatchObject({ status: 'completed', rows: 8, total: 8, accepted: 2, rejected: 6, compared: 2 });
    expect(batch.errorsUrl).toContain('X-Amz-Expires=300');
  });

  it('lists each rejected row with its spreadsheet line, codes and Chinese reasons, as UTF-8 with BOM', () => {
    expect(file.bom).toBe(true);
    expect(file.header).toEqual(['行号', '统一社会信用代码', '产品', '错误代码', '错误原因']);
    const byLine = Object.fromEntries(file.lines.map((line) => [line[0], line]));
    expect(Object.keys(byLine)).toEqual(['2', '3', '4', '5', '6', '10']);
    expect(byLine['2']![3]).toBe('invalid_credit_code');
    expect(byLine['2']![4]).toContain('creditCode：统一社会信用代码不正确');
    expect(byLine['3']![3]).toBe('unit_unknown');
    expect(byLine['3']![4]).toContain('lead：无法识别的计量单位：jin2');
    expect(byLine['4']![3]).toBe('core_indicator_missing');
    expect(byLine['4']![4]).toContain('cadmium：缺少关键技术指标 cadmium');
    expect(byLine['5']![3]).toBe('value_mismatch');
    expect(byLine['6']![3]).toBe('superseded_by_later_row');
    expect(byLine['6']![4]).toContain('第 9 行');
    expect(byLine['10']![3]).toBe('not_in_territory');
    expect(byLine['10']![4]).toContain('divisionCode：不在您的辖区内');
  });

  it('keeps the later of two rows for one enterprise and product', async () => {
    const [declaration] = await declarationsOf(zhejiang, String(good[0]![0]));
    expect(declaration!.indicators.find((i) => i.code === 'cadmium')!.value).toBe(35);
  });
});

describe('territory', () => {
  let ningboCode: string;
  let batchId: string;
  let batch: BatchView;

  beforeAll(async () => {
    ningboCode = creditCode('330203', 50_000);
    await createEnterprise(zhejiang, ningboCode, '330203');
    const inside = textileRows(1, '330106', 50_001)[0]!;
    const otherProvince = textileRows(1, '320102', 50_002)[0]!;
    const otherCity = textileRows(1, '330203', 50_003)[0]!;
    const registeredElsewhere = [ningboCode, ...textileRows(1, '330106', 0)[0]!.slice(1)]; // claims 330106
    batchId = await uploadBatch(hangzhou, scheme.id, utf8Csv([inside, otherProvince, otherCity, registeredElsewhere]), 'csv');
    batch = await waitForBatch(hangzhou, batchId);
  }, 60_000);

  it('rejects rows outside the uploader’s territory with the reason', async () => {
    expect(batch).toMatchObject({ accepted: 1, rejected: 3 });
    const { lines } = await errorsFile(batch.errorsUrl!);
    expect(lines.map((line) => [line[0], line[3]])).toEqual([
      ['3', 'not_in_territory'],
      ['4', 'not_in_territory'],
      ['5', 'enterprise_not_in_territory'],
    ]);
    expect((await jiangsu.request('GET', `/v1/enterprises/${creditCode('320102', 50_002)}`)).status).toBe(404);
    expect((await t.admin.request('GET', `/v1/enterprises/${creditCode('320102', 50_002)}`)).status).toBe(404);
    expect(await declarationsOf(t.admin, ningboCode)).toEqual([]);
  });

  it('shows the batch to its uploader and the bureaus above, 404 to others', async () => {
    expect((await zhejiang.request('GET', `/v1/batches/${batchId}`)).status).toBe(200);
    expect((await t.admin.request('GET', `/v1/batches/${batchId}`)).status).toBe(200);
    expect((await jiangsu.request('GET', `/v1/batches/${batchId}`)).status).toBe(404);
    const ningbo = await t.clientFor(zhejiang, 'city', '330200');
    expect((await ningbo.request('GET', `/v1/batches/${batchId}`)).status).toBe(404);
    expect((await hangzhou.request('GET', '/v1/batches/01ARZ3NDEKTSV4RRFFQ69G5FAV')).status).toBe(404);
  });

  it('lets no enterprise upload batches', async () => {
    const enterprise = await t.clientFor(hangzhou, 'enterprise', creditCode('330106', 50_001));
    const response = await enterprise.request('POST', '/v1/batches', { schemeId: scheme.id, fileName: 'a.csv', format: 'csv', size: 10 });
    expect(response.status).toBe(403);
  });
});

describe('upload requests', () => {
  it('refuses an unknown scheme, a wrong format and a file over 50 MiB, naming the field', async () => {
    const paths = async (body: unknown) =>
      ((await zhejiang.request<{ errors: { path: string; code: string }[] }>('POST', '/v1/batches', body)).body.errors ?? []).map(
        (e) => `${e.path}:${e.code}`,
      );
    expect(await paths({ schemeId: 'NOPE', fileName: 'a.csv', format: 'csv', size: 10 })).toEqual(['schemeId:unknown_scheme']);
    expect(await paths({ schemeId: scheme.id, fileName: 'a.xls', format: 'xls', size: 10 })).toEqual(['format:invalid_value']);
    expect(await paths({ schemeId: scheme.id, fileName: 'a.csv', format: 'csv', size: 50 * 1024 * 1024 + 1 })).toEqual(['size:too_big']);
  });

  it('starts waiting for the upload, with a presigned POST bound to the size and type', async () => {
    const created = await zhejiang.request<{ batchId: string; upload: { url: string; fields: Record<string, string> }; expiresAt: string }>(
      'POST',
      '/v1/batches',
      { schemeId: scheme.id, fileName: '第一批.csv', format: 'csv', size: 1000 },
    );
    expect(created.status).toBe(201);
    expect(created.body.upload.fields).toMatchObject({ key: `uploads/${created.body.batchId}`, 'Content-Type': 'text/csv' });
    const policy = JSON.parse(Buffer.from(created.body.upload.fields.Policy!, 'base64').toString('utf8')) as { conditions: unknown[] };
    expect(policy.conditions).toContainEqual(['content-length-range', 1, 1000]);
    const batch = await zhejiang.call<BatchView>('GET', `/v1/batches/${created.body.batchId}`);
    expect(batch).toMatchObject({ status: 'waiting_upload', total: 0, errorsUrl: null });
  });
});

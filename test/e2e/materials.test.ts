/**
 * Materials through the API and the S3 emulator: real multipart form POSTs to
 * the presigned POST, verification by the object-created trigger, downloads
 * through the presigned GET.
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../infra/local/api-client.ts';
import { emulatorClients } from '../support/emulators.ts';
import { docxBytes, jpegBytes, pdfBytes, pngBytes, sha256Hex, xlsxBytes } from '../support/files.ts';
import { createEnterprise, createTextileScheme, creditCode, textileIndicators } from '../support/fixtures.ts';
import { startTestPlatform, type TestPlatform } from '../support/platform.ts';
import { objectExists as objectExistsIn, postPresigned, type UploadForm } from '../support/uploads.ts';

const PDF = 'application/pdf';
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

interface MaterialView {
  materialId: string;
  fileName: string;
  contentType: string;
  size: number;
  status: 'waiting_upload' | 'verified' | 'rejected';
  reason?: { code: string; message: string };
  downloadUrl?: string;
}

let t: TestPlatform;
let scheme: { id: string };
let zhejiang: ApiClient;
let hangzhou: ApiClient;
let company: ApiClient;
let jiangsu: ApiClient;
let otherCompany: ApiClient;
const enterprise = creditCode('330106', 41);
const otherEnterprise = creditCode('330106', 42);
let declarationId: string;

const bucket = () => process.env.MATERIALS_BUCKET!;

async function raw(client: ApiClient, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  return fetch(`${t.url}${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${await client.accessToken()}`,
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

const declare = (client: ApiClient, product: string, code = enterprise) =>
  client.call<{ id: string }>('POST', '/v1/declarations', {
    creditCode: code,
    schemeId: scheme.id,
    product,
    standardNumber: 'Q/HZ 200-2024',
    indicators: textileIndicators,
  });

/** Asks for an upload of `bytes` (declared as they are unless overridden). */
async function requestUpload(
  client: ApiClient,
  declaration: string,
  bytes: Buffer,
  declared: Partial<{ fileName: string; contentType: string; size: number; sha256: string }> = {},
) {
  const response = await raw(client, 'POST', `/v1/declarations/${declaration}/materials`, {
    fileName: '检测报告.pdf',
    contentType: PDF,
    size: bytes.length,
    sha256: sha256Hex(bytes),
    ...declared,
  });
  return { status: response.status, location: response.headers.get('location'), body: (await response.json()) as UploadForm };
}

const postForm = (form: UploadForm, bytes: Buffer, fileName?: string) => postPresigned(form.upload, bytes, fileName);

async function listMaterials(client: ApiClient, declaration: string, language?: string): Promise<MaterialView[]> {
  const response = await raw(client, 'GET', `/v1/declarations/${declaration}/materials?limit=100`, undefined, language ? { 'Accept-Language': language } : {});
  expect(response.status).toBe(200);
  return ((await response.json()) as { items: MaterialView[] }).items;
}

/** Polls the list endpoint until the material is decided. */
async function waitForDecision(client: ApiClient, declaration: string, materialId: string, language?: string): Promise<MaterialView> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const material = (await listMaterials(client, declaration, language)).find((m) => m.materialId === materialId);
    if (material && material.status !== 'waiting_upload') return material;
    if (Date.now() > deadline) throw new Error(`material ${materialId} still ${material?.status}`);
    await new Promise((done) => setTimeout(done, 25));
  }
}

const objectExists = (key: string) => objectExistsIn(bucket(), key);

async function upload(client: ApiClient, declaration: string, bytes: Buffer, declared: Parameters<typeof requestUpload>[3] = {}) {
  const requested = await requestUpload(client, declaration, bytes, declared);
  expect(requested.status, JSON.stringify(requested.body)).toBe(201);
  expect(await postForm(requested.body, bytes)).toBe(204);
  return { form: requested.body, material: await waitForDecision(client, declaration, requested.body.materialId) };
}

/** Test-only: moves a material's upload window into the past, as if two hours had gone by. */
async function ageUploadWindow(declaration: string, materialId: string) {
  await emulatorClients().dynamodb.send(
    new UpdateItemCommand({
      TableName: t.platform.tableNames.Main,
      Key: { pk: { S: `MATERIALS#${declaration}` }, sk: { S: `MAT#${materialId}` } },
      UpdateExpression: 'SET uploadExpiresAt = :past',
      ExpressionAttributeValues: { ':past': { S: new Date(Date.now() - 2 * 3600_000).toISOString() } },
    }),
  );
}

beforeAll(async () => {
  t = await startTestPlatform();
  scheme = await createTextileScheme(t.admin);
  zhejiang = await t.clientFor(t.admin, 'province', '330000');
  hangzhou = await t.clientFor(zhejiang, 'city', '330100');
  jiangsu = await t.clientFor(t.admin, 'province', '320000');
  await createEnterprise(hangzhou, enterprise, '330106');
  await createEnterprise(hangzhou, otherEnterprise, '330106');
  company = await t.clientFor(hangzhou, 'enterprise', enterprise);
  otherCompany = await t.clientFor(hangzhou, 'enterprise', otherEnterprise);
  declarationId = (await declare(company, '婴儿连体衣')).id;
}, 60_000);

afterAll(async () => {
  await t?.platform.stop();
});

describe('a sound PDF', () => {
  const bytes = pdfBytes(256 * 1024);
  let form: UploadForm;
  let location: string | null;
  let material: MaterialView;

  beforeAll(async () => {
    const requested = await requestUpload(company, declarationId, bytes);
    expect(requested.status).toBe(201);
    form = requested.body;
    location = requested.location;
    expect(await postForm(form, bytes, '检测报告.pdf')).toBe(204);
    material = await waitForDecision(company, declarationId, form.materialId);
  });

  it('gets a presigned POST bound to its size and type, under the declaration’s prefix', () => {
    expect(location).toBe(`/v1/declarations/${declarationId}/materials/${form.materialId}`);
    expect(form.upload.fields.key).toBe(`uploads/${declarationId}/${form.materialId}`);
    expect(form.upload.fields['Content-Type']).toBe(PDF);
    const policy = JSON.parse(Buffer.from(form.upload.fields.Policy!, 'base64').toString('utf8')) as {
      expiration: string;
      conditions: unknown[];
    };
    expect(policy.conditions).toContainEqual(['content-length-range', bytes.length, bytes.length]);
    expect(policy.conditions).toContainEqual({ 'Content-Type': PDF });
    expect(policy.conditions).toContainEqual({ key: form.upload.fields.key });
    expect(Date.parse(policy.expiration)).toBeLessThanOrEqual(Date.parse(form.expiresAt) + 1000);
    expect(Date.parse(form.expiresAt) - Date.now()).toBeLessThanOrEqual(15 * 60_000);
  });

  it('becomes verified and downloadable with the same bytes and its Chinese name', async () => {
    expect(material).toMatchObject({ status: 'verified', fileName: '检测报告.pdf', contentType: PDF, size: bytes.length });
    expect(material.reason).toBeUndefined();
    expect(material.downloadUrl).toContain('X-Amz-Expires=300');
    const download = await fetch(material.downloadUrl!);
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer()).equals(bytes)).toBe(true);
    expect(download.headers.get('content-type')).toBe(PDF);
    const disposition = download.headers.get('content-disposition')!;
    expect(disposition).toMatch(/^attachment; /);
    expect(decodeURIComponent(/filename\*=UTF-8''([^;]+)/.exec(disposition)![1]!)).toBe('检测报告.pdf');
  });

  it('leaves only the verified copy: the upload is deleted', async () => {
    expect(await objectExists(form.upload.fields.key!)).toBe(false);
    expect(await objectExists(`verified/${declarationId}/${form.materialId}`)).toBe(true);
  });

  it('is the one material GET shows, for the enterprise, its city, its province and national', async () => {
    for (const reader of [company, hangzhou, zhejiang, t.admin]) {
      const one = await raw(reader, 'GET', location!);
      expect(one.status).toBe(200);
      expect(await one.json()).toMatchObject({ materialId: form.materialId, status: 'verified' });
    }
  });

  it('keeps the verified bytes when the form is posted again with other bytes', async () => {
    const other = pdfBytes(256 * 1024);
    expect(await postForm(form, other)).toBe(204);
    const deadline = Date.now() + 10_000;
    while (await objectExists(form.upload.fields.key!)) {
      if (Date.now() > deadline) throw new Error('second upload never removed');
      await new Promise((done) => setTimeout(done, 25));
    }
    const [again] = (await listMaterials(company, declarationId)).filter((m) => m.materialId === form.materialId);
    expect(again!.status).toBe('verified');
    expect(Buffer.from(await (await fetch(again!.downloadUrl!)).arrayBuffer()).equals(bytes)).toBe(true);
  });
});

describe('files that are not what was declared', () => {
  it('rejects an oversize file (the emulator enforces no POST policy) and removes it', async () => {
    const declared = pdfBytes(10_000);
    const actual = pdfBytes(30_000);
    const requested = await requestUpload(company, declarationId, declared);
    expect(await postForm(requested.body, actual)).toBe(204);
    const material = await waitForDecision(company, declarationId, requested.body.materialId);
    expect(material.status).toBe('rejected');
    expect(material.reason).toEqual({ code: 'size_mismatch', message: '文件大小 30000 字节与申报的 10000 字节不符' });
    expect(material.downloadUrl).toBeUndefined();
    expect(await objectExists(requested.body.upload.fields.key!)).toBe(false);
    expect(await objectExists(`verified/${declarationId}/${requested.body.materialId}`)).toBe(false);
  });

  it('rejects bytes that are another type than declared, or no allowed type at all', async () => {
    const png = await upload(company, declarationId, pngBytes());
    expect(png.material.status).toBe('rejected');
    expect(png.material.reason!.code).toBe('type_mismatch');
    expect(png.material.reason!.message).toContain('PNG');
    const text = await upload(company, declarationId, Buffer.from('MZ\x90\x00 not a pdf at all'.repeat(20)));
    expect(text.material.reason!.code).toBe('type_unrecognized');
    expect(await objectExists(text.form.upload.fields.key!)).toBe(false);
  });

  it('tells a DOCX from an XLSX by the archive’s entries', async () => {
    const docx = docxBytes();
    const asSheet = await upload(company, declarationId, docx, { fileName: '数据.xlsx', contentType: XLSX });
    expect(asSheet.material.reason?.code).toBe('type_mismatch');
    expect(asSheet.material.reason?.message).toContain('DOCX');
    expect((await upload(company, declarationId, docx, { fileName: '说明.docx', contentType: DOCX })).material.status).toBe('verified');
    const xlsx = await xlsxBytes();
    expect((await upload(company, declarationId, xlsx, { fileName: '数据.xlsx', contentType: XLSX })).material.status).toBe('verified');
    const jpeg = jpegBytes();
    expect((await upload(company, declarationId, jpeg, { fileName: '证书.jpg', contentType: 'image/jpeg' })).material.status).toBe('verified');
  });

  it('rejects a file whose SHA-256 is not the declared one, with the reason in English on request', async () => {
    const bytes = pdfBytes(5000);
    const requested = await requestUpload(company, declarationId, bytes, { sha256: sha256Hex(pdfBytes(5000)) });
    expect(await postForm(requested.body, bytes)).toBe(204);
    const material = await waitForDecision(company, declarationId, requested.body.materialId, 'en');
    expect(material.reason).toEqual({
      code: 'sha256_mismatch',
      message: 'The SHA-256 of the file differs from the declared one; it may be damaged or replaced',
    });
    expect(await objectExists(requested.body.upload.fields.key!)).toBe(false);
  });

  it('rejects an upload that arrives long after its window', async () => {
    const bytes = pdfBytes(2000);
    const requested = await requestUpload(company, declarationId, bytes);
    await ageUploadWindow(declarationId, requested.body.materialId);
    expect(await postForm(requested.body, bytes)).toBe(204);
    const material = await waitForDecision(company, declarationId, requested.body.materialId);
    expect(material.reason?.code).toBe('upload_expired');
  });
});

describe('requests', () => {
  it('refuses a path as a file name, naming the field, and creates nothing', async () => {
    const before = (await listMaterials(company, declarationId)).length;
    const response = await raw(company, 'POST', `/v1/declarations/${declarationId}/materials`, {
      fileName: '../../etc/passwd',
      contentType: PDF,
      size: 10,
      sha256: sha256Hex(Buffer.from('x')),
    });
    expect(response.status).toBe(422);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    const problem = (await response.json()) as { errors: { path: string; code: string }[] };
    expect(problem.errors).toEqual([expect.objectContaining({ path: 'fileName', code: 'invalid_file_name' })]);
    expect((await listMaterials(company, declarationId)).length).toBe(before);
  });

  it('refuses other types, sizes over 20 MiB and uppercase hashes', async () => {
    const response = await raw(company, 'POST', `/v1/declarations/${declarationId}/materials`, {
      fileName: 'setup.exe',
      contentType: 'application/x-msdownload',
      size: 20 * 1024 * 1024 + 1,
      sha256: 'A'.repeat(64),
    });
    expect(response.status).toBe(422);
    const paths = ((await response.json()) as { errors: { path: string }[] }).errors.map((e) => e.path).sort();
    expect(paths).toEqual(['contentType', 'sha256', 'size']);
  });

  it('replays an Idempotency-Key: the same material, not a second one', async () => {
    const bytes = pdfBytes(1000);
    const body = { fileName: '报告.pdf', contentType: PDF, size: bytes.length, sha256: sha256Hex(bytes) };
    const first = await raw(company, 'POST', `/v1/declarations/${declarationId}/materials`, body, { 'Idempotency-Key': 'mat-1' });
    const second = await raw(company, 'POST', `/v1/declarations/${declarationId}/materials`, body, { 'Idempotency-Key': 'mat-1' });
    expect(first.status).toBe(201);
    expect(((await second.json()) as UploadForm).materialId).toBe(((await first.json()) as UploadForm).materialId);
  });

  it('takes uploads from the bureaus over the enterprise', async () => {
    const { material } = await upload(hangzhou, declarationId, pdfBytes(3000), { fileName: '复核意见.pdf' });
    expect(material.status).toBe('verified');
  });

  it('takes no materials for a superseded revision', async () => {
    const first = await declare(company, '婴儿睡袋');
    await declare(company, '婴儿睡袋');
    const response = await raw(company, 'POST', `/v1/declarations/${first.id}/materials`, {
      fileName: 'a.pdf',
      contentType: PDF,
      size: 10,
      sha256: 'a'.repeat(64),
    });
    expect(response.status).toBe(409);
  });
});

describe('territory', () => {
  it('answers 404 to anyone outside it, for uploads, the list and one material', async () => {
    const [someMaterial] = await listMaterials(company, declarationId);
    const body = { fileName: 'x.pdf', contentType: PDF, size: 10, sha256: 'a'.repeat(64) };
    for (const outsider of [jiangsu, otherCompany]) {
      expect((await raw(outsider, 'POST', `/v1/declarations/${declarationId}/materials`, body)).status).toBe(404);
      expect((await raw(outsider, 'GET', `/v1/declarations/${declarationId}/materials`)).status).toBe(404);
      expect((await raw(outsider, 'GET', `/v1/declarations/${declarationId}/materials/${someMaterial!.materialId}`)).status).toBe(404);
    }
    // A declaration that does not exist looks the same.
    expect((await raw(company, 'GET', '/v1/declarations/01J0000000000000000000000/materials')).status).toBe(404);
  });

  it('keeps the declaration’s materials apart from another declaration’s ids', async () => {
    const other = await declare(otherCompany, '婴儿袜', otherEnterprise);
    const [someMaterial] = await listMaterials(company, declarationId);
    expect((await raw(otherCompany, 'GET', `/v1/declarations/${other.id}/materials/${someMaterial!.materialId}`)).status).toBe(404);
  });
});

describe('the cap of 20 live materials per declaration', () => {
  it('holds under concurrent requests; rejected and abandoned uploads free their slots', async () => {
    const declaration = (await declare(company, '婴儿围嘴')).id;
    const bytes = pdfBytes(1000);
    const attempts = await Promise.all(Array.from({ length: 24 }, () => requestUpload(company, declaration, bytes)));
    const statuses = attempts.map((a) => a.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(20);
    expect(statuses.filter((s) => s === 409)).toHaveLength(4);
    const refused = attempts.find((a) => a.status === 409)!;
    expect((refused.body as unknown as { detail: string }).detail).toBe('每份申报最多上传 20 个材料');

    // A rejected upload frees its slot.
    const created = attempts.filter((a) => a.status === 201).map((a) => a.body);
    expect(await postForm(created[0]!, pngBytes())).toBe(204);
    expect((await waitForDecision(company, declaration, created[0]!.materialId)).status).toBe('rejected');
    expect((await requestUpload(company, declaration, bytes)).status).toBe(201);
    expect((await requestUpload(company, declaration, bytes)).status).toBe(409);

    // An upload never made stops counting an hour after its window, and reads as expired.
    await ageUploadWindow(declaration, created[1]!.materialId);
    const [abandoned] = (await listMaterials(company, declaration)).filter((m) => m.materialId === created[1]!.materialId);
    expect(abandoned).toMatchObject({ status: 'rejected', reason: { code: 'upload_expired' } });
    expect((await requestUpload(company, declaration, bytes)).status).toBe(201);
  });
});

describe('curl -F with the returned fields', () => {
  it('uploads a file that becomes verified', async () => {
    const bytes = pdfBytes(64 * 1024);
    const file = join(t.dataDir, '检测报告 curl.pdf');
    writeFileSync(file, bytes);
    const requested = await requestUpload(company, declarationId, bytes, { fileName: '检测报告 curl.pdf' });
    const args = ['-sS', '-o', '/dev/null', '-w', '%{http_code}'];
    for (const [name, value] of Object.entries(requested.body.upload.fields)) args.push('-F', `${name}=${value}`);
    args.push('-F', `file=@${file}`, requested.body.upload.url);
    const { stdout } = await promisify(execFile)('curl', args);
    expect(stdout).toBe('204');
    const material = await waitForDecision(company, declarationId, requested.body.materialId);
    expect(material.status).toBe('verified');
    expect(Buffer.from(await (await fetch(material.downloadUrl!)).arrayBuffer()).equals(bytes)).toBe(true);
  });
});

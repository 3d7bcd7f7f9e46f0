/**
 * Attachments of notices over HTTP against the local runtime: the materials
 * mechanism (presigned POST to the S3 emulator, verification by the
 * object-created trigger, presigned downloads) with the notice's rules: a
 * draft takes attachments from the bureau that may change it, readers see
 * what is addressed to them, public notices' attachments download without a
 * token.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../infra/local/api-client.ts';
import { pdfBytes, sha256Hex } from '../support/files.ts';
import { startTestPlatform, type TestPlatform } from '../support/platform.ts';
import { objectExists as objectExistsIn, postPresigned, type UploadForm } from '../support/uploads.ts';

const PDF = 'application/pdf';

interface AttachmentView {
  materialId: string;
  noticeId: string;
  fileName: string;
  contentType: string;
  size: number;
  sha256: string;
  status: 'waiting_upload' | 'verified' | 'rejected';
  reason?: { code: string; message: string };
  downloadUrl?: string;
}

interface NoticeAttachment {
  id: string;
  fileName: string;
  contentType: string;
  size: number;
  sha256: string;
  downloadUrl?: string;
}

interface Notice {
  id: string;
  status: string;
  version: number;
  attachments: NoticeAttachment[];
}

interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

interface Problem {
  type: string;
  status: number;
  detail: string;
  errors?: { path: string; code: string }[];
}

let t: TestPlatform;
let zhejiang: ApiClient;
let hangzhou: ApiClient;
let jiangsu: ApiClient;
let nanjing: ApiClient;

const bucket = () => process.env.MATERIALS_BUCKET!;

async function raw(client: ApiClient | null, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  return fetch(`${t.url}${path}`, {
    method,
    headers: {
      ...(client ? { Authorization: `Bearer ${await client.accessToken()}` } : {}),
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

async function json<T>(response: Response, status: number): Promise<T> {
  const body = (await response.json()) as T;
  expect(response.status, JSON.stringify(body)).toBe(status);
  return body;
}

const draft = (author: ApiClient, title: string, extra: Record<string, unknown> = {}) =>
  author.call<Notice>('POST', '/v1/notices', { title, body: '正文', audience: {}, ...extra });

const requestAttachment = (
  client: ApiClient,
  noticeId: string,
  bytes: Buffer,
  declared: Partial<{ fileName: string; contentType: string; size: number; sha256: string }> = {},
  headers: Record<string, string> = {},
) =>
  raw(
    client,
    'POST',
    `/v1/notices/${noticeId}/attachments`,
    { fileName: '通知附件.pdf', contentType: PDF, size: bytes.length, sha256: sha256Hex(bytes), ...declared },
    headers,
  );

const postForm = (form: UploadForm, bytes: Buffer) => postPresigned(form.upload, bytes);

async function listAttachments(client: ApiClient, noticeId: string): Promise<AttachmentView[]> {
  return (await json<Page<AttachmentView>>(await raw(client, 'GET', `/v1/notices/${noticeId}/attachments?limit=100`), 200)).items;
}

/** Polls the author's list until the attachment is decided. */
async function waitForDecision(author: ApiClient, noticeId: string, materialId: string): Promise<AttachmentView> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const attachment = (await listAttachments(author, noticeId)).find((a) => a.materialId === materialId);
    if (attachment && attachment.status !== 'waiting_upload') return attachment;
    if (Date.now() > deadline) throw new Error(`attachment ${materialId} still ${attachment?.status}`);
    await new Promise((done) => setTimeout(done, 25));
  }
}

/** Requests, uploads and waits for the decision; `actual` are the bytes sent, `bytes` those declared. */
async function attach(author: ApiClient, noticeId: string, bytes: Buffer, actual = bytes) {
  const response = await requestAttachment(author, noticeId, bytes);
  const location = response.headers.get('location');
  const form = await json<UploadForm>(response, 201);
  expect(await postForm(form, actual)).toBe(204);
  return { form, location, attachment: await waitForDecision(author, noticeId, form.materialId) };
}

const objectExists = (key: string) => objectExistsIn(bucket(), key);

async function download(url: string) {
  const response = await fetch(url);
  expect(response.status).toBe(200);
  return { bytes: Buffer.from(await response.arrayBuffer()), headers: response.headers };
}

beforeAll(async () => {
  t = await startTestPlatform();
  zhejiang = await t.clientFor(t.admin, 'province', '330000');
  jiangsu = await t.clientFor(t.admin, 'province', '320000');
  hangzhou = await t.clientFor(zhejiang, 'city', '330100');
  nanjing = await t.clientFor(jiangsu, 'city', '320100');
}, 120_000);

afterAll(async () => {
  await t?.platform.stop();
});

describe('a province’s notice with a PDF attachment', () => {
  const bytes = pdfBytes(64 * 1024);
  let notice: Notice;
  let form: UploadForm;
  let location: string | null;
  let verified: AttachmentView;

  beforeAll(async () => {
    notice = await draft(zhejiang, '关于开展对标达标工作的通知');
    ({ form, location, attachment: verified } = await attach(zhejiang, notice.id, bytes));
  });

  it('uploads through a presigned POST under the notice’s own prefix and is verified', async () => {
    expect(location).toBe(`/v1/notices/${notice.id}/attachments/${form.materialId}`);
    expect(form.upload.fields.key).toBe(`uploads/notices/${notice.id}/${form.materialId}`);
    const policy = JSON.parse(Buffer.from(form.upload.fields.Policy!, 'base64').toString('utf8')) as { conditions: unknown[] };
    expect(policy.conditions).toContainEqual(['content-length-range', bytes.length, bytes.length]);
    expect(policy.conditions).toContainEqual({ 'Content-Type': PDF });
    expect(verified).toMatchObject({
      materialId: form.materialId,
      noticeId: notice.id,
      fileName: '通知附件.pdf',
      contentType: PDF,
      size: bytes.length,
      sha256: sha256Hex(bytes),
      status: 'verified',
    });
    expect(verified.downloadUrl).toContain('X-Amz-Expires=300');
    // Only the verified copy stays.
    expect(await objectExists(form.upload.fields.key!)).toBe(false);
    expect(await objectExists(`verified/notices/${notice.id}/${form.materialId}`)).toBe(true);
  });

  it('shows on the draft for its author, with a new version (ETag)', async () => {
    const response = await raw(zhejiang, 'GET', `/v1/notices/${notice.id}`);
    const seen = await json<Notice>(response, 200);
    expect(seen.version).toBe(notice.version + 1);
    expect(response.headers.get('etag')).toBe(`"${seen.version}"`);
    expect(seen.attachments).toEqual([
      {
        id: form.materialId,
        fileName: '通知附件.pdf',
        contentType: PDF,
        size: bytes.length,
        sha256: sha256Hex(bytes),
        downloadUrl: expect.stringContaining('X-Amz-Expires=300'),
      },
    ]);
    expect((await json<AttachmentView>(await raw(zhejiang, 'GET', location!), 200)).status).toBe('verified');
  });

  it('stays hidden from the audience while a draft', async () => {
    expect((await raw(hangzhou, 'GET', `/v1/notices/${notice.id}`)).status).toBe(404);
    expect((await raw(hangzhou, 'GET', `/v1/notices/${notice.id}/attachments`)).status).toBe(404);
    expect((await raw(hangzhou, 'GET', location!)).status).toBe(404);
  });

  it('once published, reaches a city of the province, which lists, reads and downloads it', async () => {
    const published = await zhejiang.call<Notice>('POST', `/v1/notices/${notice.id}/publish`);
    expect(published.status).toBe('published');
    expect(published.attachments.map((a) => a.id)).toEqual([form.materialId]);

    // The inbox: the summary, without links (lists sign nothing).
    const inbox = await hangzhou.call<Page<Notice>>('GET', '/v1/notices?limit=100');
    const listed = inbox.items.find((n) => n.id === notice.id)!;
    expect(listed.attachments).toEqual([
      { id: form.materialId, fileName: '通知附件.pdf', contentType: PDF, size: bytes.length, sha256: sha256Hex(bytes) },
    ]);

    // The notice itself: a link, downloadable as is, with its Chinese name.
    const one = await json<Notice>(await raw(hangzhou, 'GET', `/v1/notices/${notice.id}`), 200);
    const file = await download(one.attachments[0]!.downloadUrl!);
    expect(file.bytes.equals(bytes)).toBe(true);
    expect(file.headers.get('content-type')).toBe(PDF);
    expect(decodeURIComponent(/filename\*=UTF-8''([^;]+)/.exec(file.headers.get('content-disposition')!)![1]!)).toBe('通知附件.pdf');

    // The attachments list and one attachment, as for declaration materials.
    const [item] = await listAttachments(hangzhou, notice.id);
    expect(item).toMatchObject({ materialId: form.materialId, status: 'verified' });
    expect((await download(item!.downloadUrl!)).bytes.equals(bytes)).toBe(true);
    expect((await json<AttachmentView>(await raw(hangzhou, 'GET', location!), 200)).materialId).toBe(form.materialId);
  });

  it('answers 404 to another province and its cities, for the notice and its attachments', async () => {
    for (const outsider of [jiangsu, nanjing]) {
      expect((await raw(outsider, 'GET', `/v1/notices/${notice.id}`)).status).toBe(404);
      expect((await raw(outsider, 'GET', `/v1/notices/${notice.id}/attachments`)).status).toBe(404);
      expect((await raw(outsider, 'GET', location!)).status).toBe(404);
      const inbox = await outsider.call<Page<Notice>>('GET', '/v1/notices?limit=100');
      expect(inbox.items.map((n) => n.id)).not.toContain(notice.id);
    }
    // Another province may not attach either: the notice does not exist for it.
    expect((await requestAttachment(jiangsu, notice.id, pdfBytes(100))).status).toBe(404);
    // A city never attaches.
    expect((await requestAttachment(hangzhou, notice.id, pdfBytes(100))).status).toBe(403);
  });

  it('takes no attachment once published: 409 problem, in Chinese and English', async () => {
    const small = pdfBytes(1000);
    const zh = await requestAttachment(zhejiang, notice.id, small);
    expect(zh.headers.get('content-type')).toContain('application/problem+json');
    const problem = await json<Problem>(zh, 409);
    expect(problem).toMatchObject({ type: '/problems/conflict', status: 409 });
    expect(problem.detail).toBe('只有草稿状态的通知可以添加附件，已发布或已归档的通知不能再添加');
    const en = await json<Problem>(await requestAttachment(zhejiang, notice.id, small, {}, { 'Accept-Language': 'en' }), 409);
    expect(en.detail).toBe('Only a draft notice takes attachments; a published or archived one takes no more');
    // National, who may change any notice, is refused the same way.
    expect((await requestAttachment(t.admin, notice.id, small)).status).toBe(409);
    expect((await listAttachments(zhejiang, notice.id)).map((a) => a.materialId)).toEqual([form.materialId]);
  });
});

describe('a tampered file', () => {
  it('is rejected and deleted, never joins the notice, and only its author sees the rejection', async () => {
    const notice = await draft(zhejiang, '附件被篡改的通知');
    const declared = pdfBytes(8000);
    const tampered = Buffer.from(declared);
    // One byte flipped after the form was signed: same size, same type, another SHA-256.
    tampered.writeUInt8(tampered.readUInt8(tampered.length - 10) ^ 0xff, tampered.length - 10);
    const { form, attachment } = await attach(zhejiang, notice.id, declared, tampered);
    expect(attachment.status).toBe('rejected');
    expect(attachment.reason).toEqual({ code: 'sha256_mismatch', message: '文件的 SHA-256 与申报的不符，文件可能已损坏或被替换' });
    expect(attachment.downloadUrl).toBeUndefined();
    expect(await objectExists(form.upload.fields.key!)).toBe(false);
    expect(await objectExists(`verified/notices/${notice.id}/${form.materialId}`)).toBe(false);

    const { attachment: sound } = await attach(zhejiang, notice.id, pdfBytes(3000));
    expect(sound.status).toBe('verified');
    const published = await zhejiang.call<Notice>('POST', `/v1/notices/${notice.id}/publish`);
    expect(published.attachments.map((a) => a.id)).toEqual([sound.materialId]);
    // The author's list holds both; the audience sees the verified one only.
    expect((await listAttachments(zhejiang, notice.id)).map((a) => a.status).sort()).toEqual(['rejected', 'verified']);
    expect((await listAttachments(hangzhou, notice.id)).map((a) => a.materialId)).toEqual([sound.materialId]);
    expect((await raw(hangzhou, 'GET', `/v1/notices/${notice.id}/attachments/${form.materialId}`)).status).toBe(404);
  });
});

describe('a public notice', () => {
  it('lists its attachments at /v1/public/notices and links them without a token', async () => {
    const bytes = pdfBytes(20_000);
    const open = await draft(zhejiang, '公开通知（含附件）', { public: true });
    const { attachment } = await attach(zhejiang, open.id, bytes);
    expect(attachment.status).toBe('verified');
    await zhejiang.call('POST', `/v1/notices/${open.id}/publish`);

    const list = await json<Page<Notice>>(await t.fetch('/v1/public/notices?limit=100'), 200);
    const listed = list.items.find((n) => n.id === open.id)!;
    expect(listed.attachments).toEqual([
      { id: attachment.materialId, fileName: '通知附件.pdf', contentType: PDF, size: bytes.length, sha256: sha256Hex(bytes) },
    ]);

    const response = await t.fetch(`/v1/public/notices/${open.id}`);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const one = await json<Notice>(response, 200);
    const file = await download(one.attachments[0]!.downloadUrl!);
    expect(file.bytes.equals(bytes)).toBe(true);

    // The attachments list itself still needs a token.
    expect((await raw(null, 'GET', `/v1/notices/${open.id}/attachments`)).status).toBe(401);
  });
});

describe('requests', () => {
  it('refuses bad input with a problem naming the field, creating nothing', async () => {
    const notice = await draft(zhejiang, '参数校验');
    const bad = await requestAttachment(zhejiang, notice.id, pdfBytes(100), { fileName: '../../etc/passwd' });
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
    expect((await json<Problem>(bad, 422)).errors).toEqual([expect.objectContaining({ path: 'fileName', code: 'invalid_file_name' })]);
    const wrong = await json<Problem>(
      await requestAttachment(zhejiang, notice.id, pdfBytes(100), { contentType: 'text/html', size: 20 * 1024 * 1024 + 1 }),
      422,
    );
    expect(wrong.errors!.map((e) => e.path).sort()).toEqual(['contentType', 'size']);
    const mismatch = await json<Problem>(await requestAttachment(zhejiang, notice.id, pdfBytes(100), { fileName: '附件.docx' }), 422);
    expect(mismatch.errors).toEqual([expect.objectContaining({ path: 'fileName', code: 'file_extension_mismatch' })]);
    expect(await listAttachments(zhejiang, notice.id)).toEqual([]);
    expect((await requestAttachment(zhejiang, '01J0000000000000000000000', pdfBytes(100))).status).toBe(404);
  });

  it('holds at most 20 attachments per notice under concurrent requests', async () => {
    const notice = await draft(zhejiang, '附件上限');
    const bytes = pdfBytes(1000);
    const responses = await Promise.all(Array.from({ length: 22 }, () => requestAttachment(zhejiang, notice.id, bytes)));
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(20);
    expect(statuses.filter((s) => s === 409)).toHaveLength(2);
    const refused = responses.find((r) => r.status === 409)!;
    expect(((await refused.json()) as Problem).detail).toBe('每份通知最多上传 20 个附件');
  });

  it('replays an Idempotency-Key: the same attachment, not a second one', async () => {
    const notice = await draft(zhejiang, '幂等');
    const bytes = pdfBytes(1000);
    const first = await json<UploadForm>(await requestAttachment(zhejiang, notice.id, bytes, {}, { 'Idempotency-Key': 'att-1' }), 201);
    const second = await json<UploadForm>(await requestAttachment(zhejiang, notice.id, bytes, {}, { 'Idempotency-Key': 'att-1' }), 201);
    expect(second.materialId).toBe(first.materialId);
    expect(await listAttachments(zhejiang, notice.id)).toHaveLength(1);
  });
});

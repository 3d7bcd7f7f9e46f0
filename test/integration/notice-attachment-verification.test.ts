/**
 * The verification of notice attachments on its own, against DynamoDB Local
 * and the S3 emulator: the summary on the notice is appended exactly once
 * however often the event comes, a save of the notice read before the
 * verification cannot drop it, and stray objects under the notices' prefix
 * are removed.
 */
import { HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../infra/local/api-client.ts';
import { emulatorClients } from '../support/emulators.ts';
import { pdfBytes, sha256Hex } from '../support/files.ts';
import { startTestPlatform, type TestPlatform } from '../support/platform.ts';

let t: TestPlatform;
let zhejiang: ApiClient;
const bucket = () => process.env.MATERIALS_BUCKET!;

interface Form {
  materialId: string;
  upload: { url: string; fields: Record<string, string> };
}

const services = () => import('../../shared/services/materials.ts');
const materialStore = () => import('../../shared/store/materials.ts');
const noticeStore = () => import('../../shared/store/notices.ts');

async function exists(key: string): Promise<boolean> {
  try {
    await emulatorClients().s3.send(new HeadObjectCommand({ Bucket: bucket(), Key: key }));
    return true;
  } catch {
    return false;
  }
}

const newDraft = () => zhejiang.call<{ id: string; version: number }>('POST', '/v1/notices', { title: '附件', body: '正文', audience: {} });

const requestAttachment = (noticeId: string, bytes: Buffer) =>
  zhejiang.call<Form>('POST', `/v1/notices/${noticeId}/attachments`, {
    fileName: '附件.pdf',
    contentType: 'application/pdf',
    size: bytes.length,
    sha256: sha256Hex(bytes),
  });

beforeAll(async () => {
  t = await startTestPlatform();
  zhejiang = await t.clientFor(t.admin, 'province', '330000');
}, 60_000);

afterAll(async () => {
  await t?.platform.stop();
});

describe('verification of notice attachments', () => {
  it('appends the summary once and bumps the version once, however often the event comes', async () => {
    const { verifyUpload } = await services();
    const { getMaterial, liveMaterialCount } = await materialStore();
    const { getNotice } = await noticeStore();
    const notice = await newDraft();
    const bytes = pdfBytes(3000);
    const form = await requestAttachment(notice.id, bytes);
    const key = form.upload.fields.key!;
    expect(key).toBe(`uploads/notices/${notice.id}/${form.materialId}`);
    await emulatorClients().s3.send(new PutObjectCommand({ Bucket: bucket(), Key: key, Body: bytes }));
    // The platform's own trigger may be at it too; either way one decision.
    await Promise.all([
      verifyUpload({ bucket: bucket(), key, size: bytes.length }),
      verifyUpload({ bucket: bucket(), key, size: bytes.length }),
    ]);
    expect(await verifyUpload({ bucket: bucket(), key, size: bytes.length })).toMatch(/^(missing|already_decided)$/);

    const owner = { kind: 'notice' as const, id: notice.id };
    expect(await getMaterial(owner, form.materialId, true)).toMatchObject({
      status: 'verified',
      noticeId: notice.id,
      objectKey: `verified/notices/${notice.id}/${form.materialId}`,
    });
    expect(await liveMaterialCount(owner)).toBe(1);
    const stored = (await getNotice(notice.id, true))!;
    expect(stored.version).toBe(notice.version + 1);
    expect(stored.attachments).toEqual([
      { id: form.materialId, fileName: '附件.pdf', contentType: 'application/pdf', size: bytes.length, sha256: sha256Hex(bytes) },
    ]);
    expect(await exists(`verified/notices/${notice.id}/${form.materialId}`)).toBe(true);
    expect(await exists(key)).toBe(false);
  });

  it('keeps the summary from a save of the notice as read before the verification', async () => {
    const { verifyUpload } = await services();
    const { getNotice, saveNotice } = await noticeStore();
    const notice = await newDraft();
    const before = (await getNotice(notice.id, true))!;
    const bytes = pdfBytes(2000);
    const form = await requestAttachment(notice.id, bytes);
    await emulatorClients().s3.send(new PutObjectCommand({ Bucket: bucket(), Key: form.upload.fields.key!, Body: bytes }));
    await verifyUpload({ bucket: bucket(), key: form.upload.fields.key!, size: bytes.length });
    // An edit that read the notice before: its version is stale, so it cannot overwrite the summary.
    expect(await saveNotice({ ...before, title: '改后', version: before.version + 1 }, before.version)).toBe('stale');
    const after = (await getNotice(notice.id, true))!;
    expect(after.title).toBe('附件');
    expect(after.attachments?.map((a) => a.id)).toEqual([form.materialId]);
    // A save from the current read keeps it.
    expect(await saveNotice({ ...after, title: '改后', version: after.version + 1 }, after.version)).toBe('saved');
    expect((await getNotice(notice.id, true))!.attachments?.map((a) => a.id)).toEqual([form.materialId]);
  });

  it('leaves the notice untouched by a rejection, freeing the slot', async () => {
    const { verifyUpload } = await services();
    const { liveMaterialCount } = await materialStore();
    const { getNotice } = await noticeStore();
    const notice = await newDraft();
    const form = await requestAttachment(notice.id, pdfBytes(2000));
    const owner = { kind: 'notice' as const, id: notice.id };
    expect(await liveMaterialCount(owner)).toBe(1);
    const other = pdfBytes(2000);
    await emulatorClients().s3.send(new PutObjectCommand({ Bucket: bucket(), Key: form.upload.fields.key!, Body: other }));
    // The platform's own trigger may decide first.
    expect(await verifyUpload({ bucket: bucket(), key: form.upload.fields.key!, size: other.length })).toMatch(/^(rejected|already_decided|missing)$/);
    expect((await (await materialStore()).getMaterial(owner, form.materialId, true))!.reason).toEqual({ code: 'sha256_mismatch' });
    expect(await liveMaterialCount(owner)).toBe(0);
    const stored = (await getNotice(notice.id, true))!;
    expect(stored.version).toBe(notice.version);
    expect(stored.attachments).toBeUndefined();
  });

  it('deletes an object under the notices’ prefix that belongs to no attachment', async () => {
    const { verifyUpload } = await services();
    const notice = await newDraft();
    for (const key of [`uploads/notices/${notice.id}/01J00000000000000000000000`, `uploads/notices/${notice.id}`]) {
      await emulatorClients().s3.send(new PutObjectCommand({ Bucket: bucket(), Key: key, Body: 'x' }));
      expect(await verifyUpload({ bucket: bucket(), key, size: 1 })).toBe('unknown');
      expect(await exists(key)).toBe(false);
    }
  });
});

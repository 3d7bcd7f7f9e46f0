/**
 * The verification step on its own, against DynamoDB Local and the S3
 * emulator: repeated and stray events, missing objects, the slot counter.
 * S3 behaviour the emulator cannot produce (versioned buckets, an object
 * replaced between hashing and copying, a failing GetObject) comes from
 * aws-sdk-client-mock.
 */
import { Readable } from 'node:stream';
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { type AwsClientStub, mockClient } from 'aws-sdk-client-mock';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../infra/local/api-client.ts';
import { lambdaContext } from '../../infra/local/invoke.ts';
import { emulatorClients } from '../support/emulators.ts';
import { pdfBytes, sha256Hex } from '../support/files.ts';
import { createEnterprise, createTextileScheme, creditCode, textileIndicators } from '../support/fixtures.ts';
import { startTestPlatform, type TestPlatform } from '../support/platform.ts';

let t: TestPlatform;
let city: ApiClient;
let declarationId: string;
const enterprise = creditCode('330106', 43);
const bucket = () => process.env.MATERIALS_BUCKET!;

interface Form {
  materialId: string;
  upload: { url: string; fields: Record<string, string> };
}

async function requestMaterial(bytes: Buffer): Promise<Form> {
  return city.call<Form>('POST', `/v1/declarations/${declarationId}/materials`, {
    fileName: '证书.pdf',
    contentType: 'application/pdf',
    size: bytes.length,
    sha256: sha256Hex(bytes),
  });
}

const services = () => import('../../shared/services/materials.ts');
const store = () => import('../../shared/store/materials.ts');

async function exists(key: string): Promise<boolean> {
  try {
    await emulatorClients().s3.send(new HeadObjectCommand({ Bucket: bucket(), Key: key }));
    return true;
  } catch {
    return false;
  }
}

beforeAll(async () => {
  t = await startTestPlatform();
  const scheme = await createTextileScheme(t.admin);
  city = await t.clientFor(t.admin, 'city', '330100');
  await createEnterprise(city, enterprise, '330106');
  declarationId = (
    await city.call<{ id: string }>('POST', '/v1/declarations', {
      creditCode: enterprise,
      schemeId: scheme.id,
      product: '婴儿帽',
      standardNumber: 'Q/T 3-2024',
      indicators: textileIndicators,
    })
  ).id;
}, 60_000);

afterAll(async () => {
  await t?.platform.stop();
});

describe('verification against the emulators', () => {
  it('decides once: a repeated event changes nothing and keeps the verified copy', async () => {
    const { verifyUpload } = await services();
    const { getMaterial, liveMaterialCount } = await store();
    const bytes = pdfBytes(3000);
    const form = await requestMaterial(bytes);
    const key = form.upload.fields.key!;
    await emulatorClients().s3.send(new PutObjectCommand({ Bucket: bucket(), Key: key, Body: bytes }));
    // The platform's own trigger may already be at it; either way exactly one decision.
    const outcomes = await Promise.all([
      verifyUpload({ bucket: bucket(), key, size: bytes.length }),
      verifyUpload({ bucket: bucket(), key, size: bytes.length }),
    ]);
    expect(outcomes.filter((o) => o === 'verified').length).toBeLessThanOrEqual(1);
    const material = await getMaterial(declarationId, form.materialId, true);
    expect(material).toMatchObject({ status: 'verified', objectKey: `verified/${declarationId}/${form.materialId}` });
    const live = await liveMaterialCount(declarationId);
    expect(await verifyUpload({ bucket: bucket(), key, size: bytes.length })).toMatch(/^(missing|already_decided)$/);
    expect(await liveMaterialCount(declarationId)).toBe(live);
    expect(await exists(material!.objectKey!)).toBe(true);
    expect(await exists(key)).toBe(false);
  });

  it('frees exactly one slot per rejection, however often the event comes', async () => {
    const { verifyUpload } = await services();
    const { getMaterial, liveMaterialCount } = await store();
    const declared = pdfBytes(3000);
    const before = await liveMaterialCount(declarationId);
    const form = await requestMaterial(declared);
    expect(await liveMaterialCount(declarationId)).toBe(before + 1);
    const key = form.upload.fields.key!;
    const wrong = pdfBytes(3000);
    await emulatorClients().s3.send(new PutObjectCommand({ Bucket: bucket(), Key: key, Body: wrong }));
    await verifyUpload({ bucket: bucket(), key, size: wrong.length });
    await verifyUpload({ bucket: bucket(), key, size: wrong.length });
    expect(await getMaterial(declarationId, form.materialId, true)).toMatchObject({
      status: 'rejected',
      reason: { code: 'sha256_mismatch' },
    });
    expect(await liveMaterialCount(declarationId)).toBe(before);
  });

  it('deletes an object under uploads/ that belongs to no material', async () => {
    const { verifyUpload } = await services();
    for (const key of [`uploads/${declarationId}/01J00000000000000000000000`, 'uploads/not-a-material.pdf']) {
      await emulatorClients().s3.send(new PutObjectCommand({ Bucket: bucket(), Key: key, Body: 'x' }));
      expect(await verifyUpload({ bucket: bucket(), key, size: 1 })).toBe('unknown');
      expect(await exists(key)).toBe(false);
    }
  });

  it('leaves a material waiting when its object is not there (yet)', async () => {
    const { verifyUpload } = await services();
    const { getMaterial } = await store();
    const form = await requestMaterial(pdfBytes(100));
    expect(await verifyUpload({ bucket: bucket(), key: form.upload.fields.key!, size: 100 })).toBe('missing');
    expect((await getMaterial(declarationId, form.materialId, true))!.status).toBe('waiting_upload');
  });
});

describe('S3 behaviour the emulator cannot produce', () => {
  // Stubs every S3Client while this block runs (the emulator tests above use the real one).
  let s3: AwsClientStub<S3Client>;
  beforeAll(() => {
    s3 = mockClient(S3Client);
  });
  afterEach(() => s3.reset());
  afterAll(() => s3.restore());

  const stored = (bytes: Buffer) => ({
    Body: Readable.from([bytes.subarray(0, 1000), bytes.subarray(1000)]) as never,
    ContentLength: bytes.length,
    ETag: '"etag-1"',
    VersionId: 'v-1',
    LastModified: new Date(),
  });

  it('checks, copies and deletes exactly the version an EventBridge event names', async () => {
    const { handler } = await import('../../functions/materials/verify-material.ts');
    const { getMaterial } = await store();
    const bytes = pdfBytes(5000);
    const form = await requestMaterial(bytes);
    const key = form.upload.fields.key!;
    s3.on(GetObjectCommand).resolves(stored(bytes));
    s3.on(CopyObjectCommand).resolves({});
    s3.on(DeleteObjectCommand).resolves({});
    await handler(
      {
        source: 'aws.s3',
        'detail-type': 'Object Created',
        detail: { bucket: { name: bucket() }, object: { key, size: bytes.length, 'version-id': 'v-1' }, reason: 'PostObject' },
      },
      lambdaContext('verify-material'),
    );
    expect(s3.commandCalls(GetObjectCommand)[0]!.args[0].input).toMatchObject({ Key: key, VersionId: 'v-1' });
    const copy = s3.commandCalls(CopyObjectCommand)[0]!.args[0].input;
    expect(copy).toMatchObject({
      Key: `verified/${declarationId}/${form.materialId}`,
      CopySource: `${bucket()}/${key}?versionId=v-1`,
      CopySourceIfMatch: '"etag-1"',
      MetadataDirective: 'REPLACE',
      ContentType: 'application/pdf',
    });
    expect(copy.ContentDisposition).toContain("filename*=UTF-8''%E8%AF%81%E4%B9%A6.pdf");
    expect(s3.commandCalls(DeleteObjectCommand).map((c) => c.args[0].input)).toEqual([
      { Bucket: bucket(), Key: key, VersionId: 'v-1' },
    ]);
    expect((await getMaterial(declarationId, form.materialId, true))!.status).toBe('verified');
  });

  it('does not verify bytes that were replaced between the check and the copy', async () => {
    const { verifyUpload } = await services();
    const { getMaterial } = await store();
    const bytes = pdfBytes(5000);
    const form = await requestMaterial(bytes);
    s3.on(GetObjectCommand).resolves(stored(bytes));
    s3.on(CopyObjectCommand).rejects(
      new S3ServiceException({ name: 'PreconditionFailed', $fault: 'client', $metadata: { httpStatusCode: 412 }, message: 'At least one of the pre-conditions you specified did not hold' }),
    );
    expect(await verifyUpload({ bucket: bucket(), key: form.upload.fields.key!, size: bytes.length, versionId: 'v-1' })).toBe('replaced');
    // The newer upload's own event decides; nothing was deleted or decided here.
    expect(s3.commandCalls(DeleteObjectCommand)).toHaveLength(0);
    expect((await getMaterial(declarationId, form.materialId, true))!.status).toBe('waiting_upload');
  });

  it('fails (for the platform to retry) when S3 fails, deciding nothing', async () => {
    const { verifyUpload } = await services();
    const { getMaterial } = await store();
    const bytes = pdfBytes(5000);
    const form = await requestMaterial(bytes);
    s3.on(GetObjectCommand).rejects(
      new S3ServiceException({ name: 'InternalError', $fault: 'server', $metadata: { httpStatusCode: 500 }, message: 'We encountered an internal error' }),
    );
    await expect(verifyUpload({ bucket: bucket(), key: form.upload.fields.key!, size: bytes.length })).rejects.toThrow();
    expect((await getMaterial(declarationId, form.materialId, true))!.status).toBe('waiting_upload');
  });

  it('rejects an oversize object from its length alone, without reading it', async () => {
    const { verifyUpload } = await services();
    const { getMaterial } = await store();
    const bytes = pdfBytes(5000);
    const form = await requestMaterial(bytes);
    let read = false;
    const body = new Readable({
      read() {
        read = true;
        this.push(null);
      },
    });
    s3.on(GetObjectCommand).resolves({ Body: body as never, ContentLength: 25 * 1024 * 1024, ETag: '"e"', LastModified: new Date() });
    s3.on(DeleteObjectCommand).resolves({});
    expect(await verifyUpload({ bucket: bucket(), key: form.upload.fields.key!, size: 25 * 1024 * 1024 })).toBe('rejected');
    expect(read).toBe(false);
    expect((await getMaterial(declarationId, form.materialId, true))!.reason).toEqual({
      code: 'size_mismatch',
      params: { declared: bytes.length, actual: 25 * 1024 * 1024 },
    });
  });
});

describe('DynamoDB behaviour the emulator cannot produce', () => {
  // DynamoDB Local serialises transactions; on AWS a burst on one counter cancels some with TransactionConflict.
  const conflict = () =>
    new TransactionCanceledException({
      message: 'Transaction cancelled',
      $metadata: { httpStatusCode: 400 },
      CancellationReasons: [{ Code: 'None' }, { Code: 'TransactionConflict' }, { Code: 'None' }],
    });
  let dynamo: AwsClientStub<DynamoDBDocumentClient>;
  beforeAll(() => {
    dynamo = mockClient(DynamoDBDocumentClient);
  });
  afterEach(() => dynamo.reset());
  afterAll(() => dynamo.restore());

  const material = (id: string) => ({
    id,
    declarationId: 'D1',
    creditCode: enterprise,
    divisionCode: '330106',
    fileName: 'a.pdf',
    contentType: 'application/pdf',
    size: 1,
    sha256: 'a'.repeat(64),
    status: 'waiting_upload' as const,
    uploadKey: `uploads/D1/${id}`,
    uploadExpiresAt: new Date().toISOString(),
    createdAt: new Date().toISOString(),
    createdBy: 'test',
  });

  it('retries a transaction that conflicted, then takes the slot', async () => {
    const { insertMaterial } = await store();
    dynamo.on(TransactWriteCommand).rejectsOnce(conflict()).rejectsOnce(conflict()).resolves({});
    expect(await insertMaterial(material('M1'), 20)).toBe('created');
    expect(dynamo.commandCalls(TransactWriteCommand)).toHaveLength(3);
  });

  it('gives up after a few conflicts (the client gets a 500 and may retry with its Idempotency-Key)', async () => {
    const { insertMaterial, recordRejected } = await store();
    dynamo.on(TransactWriteCommand).rejects(conflict());
    await expect(insertMaterial(material('M2'), 20)).rejects.toThrow(TransactionCanceledException);
    expect(dynamo.commandCalls(TransactWriteCommand)).toHaveLength(6);
    dynamo.resetHistory();
    await expect(recordRejected({ declarationId: 'D1', id: 'M2' }, { code: 'sha256_mismatch' }, new Date().toISOString())).rejects.toThrow();
    expect(dynamo.commandCalls(TransactWriteCommand)).toHaveLength(6);
  });
});

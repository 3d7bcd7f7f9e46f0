/**
 * Material verification throughput: the verification's read path (one
 * GetObject streamed through SHA-256 and the type sniffer) beside a raw
 * GetObject that only drains the body, of the same 20 MiB object on the same
 * S3 emulator, interleaved in the same run. Then upload → verified through the
 * whole local platform (presigned POST, object-created event, verification,
 * copy) beside the upload itself.
 */
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import type { ApiClient } from '../../infra/local/api-client.ts';
import { s3Client } from '../../shared/aws/clients.ts';
import { config } from '../../shared/config/env.ts';
import { acceptsMaterials, MAX_MATERIAL_BYTES } from '../../shared/domain/materials.ts';
import { inspectObject } from '../../shared/services/materials.ts';
import { pdfBytes, sha256Hex } from '../support/files.ts';
import { ms, percentile, type Row } from './stats.ts';

const MB = 1024 * 1024;
const mbps = (bytes: number, milliseconds: number) => bytes / MB / (milliseconds / 1000);
const rate = (value: number) => `${value.toFixed(1)} MB/s`;

async function rawRead(bucket: string, key: string): Promise<number> {
  const object = await s3Client().send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  let bytes = 0;
  for await (const chunk of object.Body as AsyncIterable<Uint8Array>) bytes += chunk.length;
  return bytes;
}

async function timed(run: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await run();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

export async function benchMaterials(admin: ApiClient, rounds = 10): Promise<Row[]> {
  const bucket = config().materialsBucket;
  const bytes = pdfBytes(MAX_MATERIAL_BYTES);
  const key = 'bench/verification-20MiB.pdf'; // outside uploads/: no trigger fires
  await s3Client().send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: bytes, ContentType: 'application/pdf' }));

  // Warm both paths, then interleave so drift on the machine affects both alike.
  const inspection = await inspectObject(bucket, key);
  if (inspection.type !== 'pdf' || inspection.sha256 !== sha256Hex(bytes)) throw new Error('verification read is wrong');
  await rawRead(bucket, key);
  const verify: number[] = [];
  const raw: number[] = [];
  for (let i = 0; i < rounds; i++) {
    verify.push(await timed(() => inspectObject(bucket, key)));
    raw.push(await timed(() => rawRead(bucket, key)));
  }
  verify.sort((a, b) => a - b);
  raw.sort((a, b) => a - b);
  const verifyRate = mbps(bytes.length, percentile(verify, 50));
  const rawRate = mbps(bytes.length, percentile(raw, 50));

  // Upload → verified through the platform, 20 MiB each.
  const declarations = await admin.call<{ items: { id: string; status: string; latest: boolean }[] }>('GET', '/v1/declarations?limit=100');
  const declaration = declarations.items.find((d) => acceptsMaterials(d));
  if (!declaration) throw new Error('no declaration takes materials');
  const uploadTimes: number[] = [];
  const untilVerified: number[] = [];
  for (let i = 0; i < 5; i++) {
    const file = pdfBytes(MAX_MATERIAL_BYTES);
    const form = await admin.call<{ materialId: string; upload: { url: string; fields: Record<string, string> } }>(
      'POST',
      `/v1/declarations/${declaration.id}/materials`,
      { fileName: `基准测试 ${i}.pdf`, contentType: 'application/pdf', size: file.length, sha256: sha256Hex(file) },
    );
    const data = new FormData();
    for (const [name, value] of Object.entries(form.upload.fields)) data.append(name, value);
    data.append('file', new Blob([new Uint8Array(file)]), 'bench.pdf');
    const start = Date.now();
    const response = await fetch(form.upload.url, { method: 'POST', body: data });
    await response.arrayBuffer();
    if (response.status !== 204) throw new Error(`upload failed: ${response.status}`);
    const uploaded = Date.now();
    uploadTimes.push(uploaded - start);
    for (;;) {
      const material = await admin.call<{ status: string }>('GET', `/v1/declarations/${declaration.id}/materials/${form.materialId}`);
      if (material.status === 'verified') break;
      if (material.status !== 'waiting_upload') throw new Error(`bench upload ${material.status}`);
      await new Promise((done) => setTimeout(done, 5));
    }
    untilVerified.push(Date.now() - uploaded);
  }
  uploadTimes.sort((a, b) => a - b);
  untilVerified.sort((a, b) => a - b);

  return [
    {
      name: 'verification read of 20 MiB (GetObject + SHA-256 + type) p50',
      value: rate(verifyRate),
      baselineName: 'raw GetObject read, same object p50',
      baseline: rate(rawRate),
      ratio: `${(verifyRate / rawRate).toFixed(2)}x`,
      target: '>= 0.5x',
    },
    {
      name: '20 MiB upload done → verified p50 (5)',
      value: ms(percentile(untilVerified, 50)),
      baselineName: 'presigned POST upload p50',
      baseline: ms(percentile(uploadTimes, 50)),
      ratio: `${(percentile(untilVerified, 50) / percentile(uploadTimes, 50)).toFixed(2)}x`,
    },
  ];
}

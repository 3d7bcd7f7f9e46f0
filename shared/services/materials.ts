/**
 * Materials: upload requests (a presigned POST bound to the declared size and
 * type), verification of what arrived (triggered by the bucket's
 * object-created events), and short-lived download links for verified files.
 *
 * Objects: clients write only `uploads/<declarationId>/<materialId>`. The
 * verification streams the upload once through SHA-256 and the type sniffer;
 * a sound file is copied to `verified/...` (the only prefix download links
 * are signed for) and the upload is deleted either way, so a rejected file is
 * unreachable at once and nothing under uploads/ outlives the lifecycle rule.
 */
import { createHash } from 'node:crypto';
import { CopyObjectCommand, DeleteObjectCommand, GetObjectCommand } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { ulid } from 'ulid';
import { s3Client } from '../aws/clients.ts';
import type { CreatedObject } from '../aws/s3-events.ts';
import { config } from '../config/env.ts';
import { TypeSniffer } from '../domain/file-types.ts';
import {
  ABANDONED_AFTER_SECONDS,
  acceptsMaterials,
  DOWNLOAD_URL_SECONDS,
  type Inspection,
  judgeUpload,
  MAX_MATERIALS_PER_DECLARATION,
  parseUploadKey,
  type Rejection,
  UPLOAD_URL_SECONDS,
  uploadAbandoned,
  uploadKey,
  verifiedKey,
} from '../domain/materials.ts';
import type { Principal } from '../domain/territory.ts';
import { attachmentDisposition } from '../http/content-disposition.ts';
import { conflict } from '../http/errors.ts';
import { type Language, translate } from '../i18n/messages.ts';
import type { DeclarationRecord } from '../store/declarations.ts';
import {
  getMaterial,
  insertMaterial,
  type MaterialRecord,
  recordRejected,
  recordVerified,
  waitingSince,
} from '../store/materials.ts';
import { nowIso } from '../store/table.ts';
import { logger } from '../observability.ts';

const bucket = () => {
  const name = config().materialsBucket;
  if (!name) throw new Error('MATERIALS_BUCKET is not configured');
  return name;
};

export interface UploadRequest {
  fileName: string;
  contentType: string;
  size: number;
  sha256: string;
}

export interface PresignedUpload {
  material: MaterialRecord;
  upload: { url: string; fields: Record<string, string> };
  expiresAt: string;
}

/**
 * Frees the slots of materials whose upload never came (waiting an hour past
 * their window): they become rejected with upload_expired. Returns how many.
 */
async function releaseAbandoned(declarationId: string, now: Date): Promise<number> {
  const cutoff = new Date(now.getTime() - ABANDONED_AFTER_SECONDS * 1000).toISOString();
  let released = 0;
  for (const material of await waitingSince(declarationId, cutoff)) {
    if ((await recordRejected(material, { code: 'upload_expired' }, now.toISOString())) === 'done') released++;
  }
  return released;
}

/** A waiting material and the form that uploads exactly the declared file. */
export async function requestUpload(
  principal: Principal,
  declaration: DeclarationRecord,
  request: UploadRequest,
): Promise<PresignedUpload> {
  if (!acceptsMaterials(declaration)) throw conflict('detail.declaration_closed');
  const now = new Date();
  const id = ulid();
  const material: MaterialRecord = {
    id,
    declarationId: declaration.id,
    creditCode: declaration.creditCode,
    divisionCode: declaration.divisionCode,
    fileName: request.fileName,
    contentType: request.contentType,
    size: request.size,
    sha256: request.sha256,
    status: 'waiting_upload',
    uploadKey: uploadKey(declaration.id, id),
    uploadExpiresAt: new Date(now.getTime() + UPLOAD_URL_SECONDS * 1000).toISOString(),
    createdAt: now.toISOString(),
    createdBy: principal.clientId,
  };
  let outcome = await insertMaterial(material, MAX_MATERIALS_PER_DECLARATION);
  if (outcome === 'full' && (await releaseAbandoned(declaration.id, now)) > 0) {
    outcome = await insertMaterial(material, MAX_MATERIALS_PER_DECLARATION);
  }
  if (outcome === 'declaration_closed') throw conflict('detail.declaration_closed');
  if (outcome === 'full') throw conflict('detail.material_limit', { limit: MAX_MATERIALS_PER_DECLARATION });

  // S3 refuses another size or type (content-length-range, Content-Type) and
  // any other key; the verification checks again, since the local emulator
  // enforces no POST policy.
  const { url, fields } = await createPresignedPost(s3Client(), {
    Bucket: bucket(),
    Key: material.uploadKey,
    Conditions: [['content-length-range', request.size, request.size]],
    Fields: { 'Content-Type': request.contentType },
    Expires: UPLOAD_URL_SECONDS,
  });
  return { material, upload: { url, fields }, expiresAt: material.uploadExpiresAt };
}

/** One pass over the bytes: size, SHA-256 and type; stops reading past `limit` bytes. */
export async function inspectStream(body: AsyncIterable<Uint8Array>, limit: number): Promise<Inspection> {
  const hash = createHash('sha256');
  const sniffer = new TypeSniffer();
  for await (const chunk of body) {
    hash.update(chunk);
    sniffer.push(chunk);
    if (sniffer.size > limit) break; // leaving the loop destroys the stream
  }
  return { size: sniffer.size, sha256: hash.digest('hex'), type: sniffer.detect() };
}

/** Reads an object once and inspects it (the verification's read path; also benchmarked). */
export async function inspectObject(bucketName: string, key: string, limit = Number.MAX_SAFE_INTEGER): Promise<Inspection> {
  const object = await s3Client().send(new GetObjectCommand({ Bucket: bucketName, Key: key }));
  return inspectStream(object.Body as AsyncIterable<Uint8Array>, limit);
}

export type VerifyOutcome =
  /** Sound: copied under verified/ and downloadable. */
  | 'verified'
  | 'rejected'
  /** Not an upload key, or no such material: deleted. */
  | 'unknown'
  /** The material was decided before (a repeated event, or a second upload): the upload is deleted. */
  | 'already_decided'
  /** The object is gone (deleted after an earlier attempt of this event). */
  | 'missing'
  /** Replaced while being checked; the newer upload's own event decides. */
  | 'replaced';

const isS3Error = (error: unknown, ...names: string[]) => names.includes((error as { name?: string })?.name ?? '');

async function deleteObject(key: string, versionId?: string): Promise<void> {
  // With a version id the upload is removed for good, not hidden behind a delete marker.
  await s3Client().send(new DeleteObjectCommand({ Bucket: bucket(), Key: key, ...(versionId ? { VersionId: versionId } : {}) }));
}

async function reject(material: MaterialRecord, rejection: Rejection, object: CreatedObject): Promise<VerifyOutcome> {
  const outcome = await recordRejected(material, rejection, nowIso());
  await deleteObject(object.key, object.versionId);
  logger.info('material rejected', { materialId: material.id, declarationId: material.declarationId, reason: rejection.code, outcome });
  return outcome === 'done' ? 'rejected' : 'already_decided';
}

/**
 * Checks one uploaded object against its material: size, upload time, type
 * (magic bytes) and SHA-256. Safe to repeat: every decision is a conditional
 * write from waiting_upload, and the upload is deleted whatever the decision.
 */
export async function verifyUpload(object: CreatedObject): Promise<VerifyOutcome> {
  const ids = parseUploadKey(object.key);
  const material = ids ? await getMaterial(ids.declarationId, ids.materialId, true) : undefined;
  if (!material) {
    // Only presigned POSTs for existing materials can write here; anything else is removed.
    logger.warn('upload without a material', { key: object.key });
    await deleteObject(object.key, object.versionId);
    return 'unknown';
  }
  if (material.status !== 'waiting_upload') {
    await deleteObject(object.key, object.versionId);
    return 'already_decided';
  }

  let response;
  try {
    response = await s3Client().send(
      new GetObjectCommand({ Bucket: bucket(), Key: object.key, ...(object.versionId ? { VersionId: object.versionId } : {}) }),
    );
  } catch (error) {
    if (isS3Error(error, 'NoSuchKey', 'NoSuchVersion')) return 'missing';
    throw error;
  }
  const body = response.Body as AsyncIterable<Uint8Array> & { destroy?: () => void };
  const storedSize = response.ContentLength ?? object.size;
  // Checked before reading a byte: an oversize file is never downloaded.
  if (storedSize !== material.size) {
    body.destroy?.();
    return reject(material, { code: 'size_mismatch', params: { declared: material.size, actual: storedSize } }, object);
  }
  if (response.LastModified && uploadAbandoned(material.uploadExpiresAt, response.LastModified)) {
    body.destroy?.();
    return reject(material, { code: 'upload_expired' }, object);
  }
  const rejection = judgeUpload(material, await inspectStream(body, material.size));
  if (rejection) return reject(material, rejection, object);

  const target = verifiedKey(material.declarationId, material.id);
  try {
    await s3Client().send(
      new CopyObjectCommand({
        Bucket: bucket(),
        Key: target,
        CopySource: `${bucket()}/${object.key}${object.versionId ? `?versionId=${object.versionId}` : ''}`,
        // Exactly the bytes just hashed, even if the form was posted again meanwhile.
        CopySourceIfMatch: response.ETag,
        MetadataDirective: 'REPLACE',
        ContentType: material.contentType,
        ContentDisposition: attachmentDisposition(material.fileName),
        Metadata: { 'material-id': material.id, 'declaration-id': material.declarationId, sha256: material.sha256 },
      }),
    );
  } catch (error) {
    if (isS3Error(error, 'PreconditionFailed')) return 'replaced';
    // A concurrent delivery of the same event verified and removed it first.
    if (isS3Error(error, 'NoSuchKey', 'NoSuchVersion')) return 'missing';
    throw error;
  }
  const outcome = await recordVerified(material, target, nowIso());
  if (outcome === 'already_decided') {
    // Decided meanwhile by another event: keep the copy only if that decision was "verified".
    const current = await getMaterial(material.declarationId, material.id, true);
    if (current?.status !== 'verified') await deleteObject(target);
  }
  await deleteObject(object.key, object.versionId);
  logger.info('material verified', { materialId: material.id, declarationId: material.declarationId, size: material.size, outcome });
  return outcome === 'done' ? 'verified' : 'already_decided';
}

/** The API view of a material, with a short-lived download link when verified. */
export async function materialView(material: MaterialRecord, language: Language) {
  let { status, reason } = material;
  // Abandoned uploads read as what they become once their slot is reclaimed.
  if (status === 'waiting_upload' && uploadAbandoned(material.uploadExpiresAt, new Date())) {
    status = 'rejected';
    reason = { code: 'upload_expired' };
  }
  const downloadUrl =
    status === 'verified' && material.objectKey
      ? await getSignedUrl(
          s3Client(),
          new GetObjectCommand({
            Bucket: bucket(),
            Key: material.objectKey,
            // RFC 6266 with filename*: 检测报告.pdf arrives as such; served as the verified type.
            ResponseContentDisposition: attachmentDisposition(material.fileName),
            ResponseContentType: material.contentType,
          }),
          { expiresIn: DOWNLOAD_URL_SECONDS },
        )
      : undefined;
  return {
    materialId: material.id,
    declarationId: material.declarationId,
    fileName: material.fileName,
    contentType: material.contentType,
    size: material.size,
    sha256: material.sha256,
    status,
    ...(status === 'rejected' && reason
      ? { reason: { code: reason.code, message: translate(`material_reason.${reason.code}`, language, reason.params) } }
      : {}),
    ...(downloadUrl ? { downloadUrl } : {}),
    createdAt: material.createdAt,
    ...(material.decidedAt ? { decidedAt: material.decidedAt } : {}),
  };
}

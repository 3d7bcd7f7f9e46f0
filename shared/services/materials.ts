/**
 * Materials: upload requests (a presigned POST bound to the declared size and
 * type), verification of what arrived (triggered by the bucket's
 * object-created events), and short-lived download links for verified files.
 * A material's owner is a declaration or a notice; both kinds share the form,
 * the limits, the verification and the listing, and differ only in who may
 * add them (the owner's rule, checked again in the inserting transaction)
 * and in the notice's summary of its verified attachments.
 *
 * Objects: clients write only `uploads/<declarationId>/<materialId>` or
 * `uploads/notices/<noticeId>/<materialId>`. The verification streams the
 * upload once through SHA-256 and the type sniffer; a sound file is copied to
 * `verified/...` (the only prefix download links are signed for) and the
 * upload is deleted either way, so a rejected file is unreachable at once and
 * nothing under uploads/ outlives the lifecycle rule.
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
  declarationOwner,
  DOWNLOAD_URL_SECONDS,
  type Inspection,
  judgeUpload,
  MAX_MATERIALS_PER_OWNER,
  materialUploadKey,
  materialVerifiedKey,
  type MaterialOwner,
  noticeOwner,
  parseMaterialUploadKey,
  type Rejection,
  UPLOAD_URL_SECONDS,
  uploadAbandoned,
} from '../domain/materials.ts';
import { acceptsAttachments, type NoticeAttachment } from '../domain/notices.ts';
import type { Principal } from '../domain/territory.ts';
import { attachmentDisposition } from '../http/content-disposition.ts';
import { conflict } from '../http/errors.ts';
import { type Language, translate } from '../i18n/messages.ts';
import type { DeclarationRecord } from '../store/declarations.ts';
import {
  getMaterial,
  insertMaterial,
  type MaterialRecord,
  ownerOf,
  recordRejected,
  recordVerified,
  waitingSince,
} from '../store/materials.ts';
import type { NoticeRecord } from '../store/notices.ts';
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
async function releaseAbandoned(owner: MaterialOwner, now: Date): Promise<number> {
  const cutoff = new Date(now.getTime() - ABANDONED_AFTER_SECONDS * 1000).toISOString();
  let released = 0;
  for (const material of await waitingSince(owner, cutoff)) {
    if ((await recordRejected(material, { code: 'upload_expired' }, now.toISOString())) === 'done') released++;
  }
  return released;
}

/** The fields every new material has, whatever its owner. */
function waitingMaterial(principal: Principal, owner: MaterialOwner, id: string, request: UploadRequest, now: Date) {
  return {
    id,
    fileName: request.fileName,
    contentType: request.contentType,
    size: request.size,
    sha256: request.sha256,
    status: 'waiting_upload' as const,
    uploadKey: materialUploadKey(owner, id),
    uploadExpiresAt: new Date(now.getTime() + UPLOAD_URL_SECONDS * 1000).toISOString(),
    createdAt: now.toISOString(),
    createdBy: principal.clientId,
  };
}

/**
 * Takes a slot for the material (under the owner's cap, if the owner still
 * takes materials) and signs the form that uploads exactly the declared file.
 */
async function presignedUpload(
  material: MaterialRecord,
  problems: { closed: string; limit: string },
  now: Date,
): Promise<PresignedUpload> {
  const owner = ownerOf(material);
  let outcome = await insertMaterial(material, MAX_MATERIALS_PER_OWNER);
  if (outcome === 'full' && (await releaseAbandoned(owner, now)) > 0) {
    outcome = await insertMaterial(material, MAX_MATERIALS_PER_OWNER);
  }
  if (outcome === 'owner_closed') throw conflict(problems.closed);
  if (outcome === 'full') throw conflict(problems.limit, { limit: MAX_MATERIALS_PER_OWNER });

  // S3 refuses another size or type (content-length-range, Content-Type) and
  // any other key; the verification checks again, since the local emulator
  // enforces no POST policy.
  const { url, fields } = await createPresignedPost(s3Client(), {
    Bucket: bucket(),
    Key: material.uploadKey,
    Conditions: [['content-length-range', material.size, material.size]],
    Fields: { 'Content-Type': material.contentType },
    Expires: UPLOAD_URL_SECONDS,
  });
  return { material, upload: { url, fields }, expiresAt: material.uploadExpiresAt };
}

/** A waiting material of a declaration and the form that uploads exactly the declared file. */
export async function requestUpload(
  principal: Principal,
  declaration: DeclarationRecord,
  request: UploadRequest,
): Promise<PresignedUpload> {
  if (!acceptsMaterials(declaration)) throw conflict('detail.declaration_closed');
  const now = new Date();
  const material: MaterialRecord = {
    ...waitingMaterial(principal, declarationOwner(declaration.id), ulid(), request, now),
    declarationId: declaration.id,
    creditCode: declaration.creditCode,
    divisionCode: declaration.divisionCode,
  };
  return presignedUpload(material, { closed: 'detail.declaration_closed', limit: 'detail.material_limit' }, now);
}

/**
 * A waiting attachment of a notice (a draft; the caller checked that the
 * principal manages it) and the form that uploads exactly the declared file.
 */
export async function requestAttachmentUpload(
  principal: Principal,
  notice: NoticeRecord,
  request: UploadRequest,
): Promise<PresignedUpload> {
  const problems = { closed: 'detail.notice_attachments_closed', limit: 'detail.notice_attachment_limit' };
  if (!acceptsAttachments(notice.status)) throw conflict(problems.closed);
  const now = new Date();
  const material: MaterialRecord = {
    ...waitingMaterial(principal, noticeOwner(notice.id), ulid(), request, now),
    noticeId: notice.id,
  };
  return presignedUpload(material, problems, now);
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
  const owner = ownerOf(material);
  logger.info('material rejected', { materialId: material.id, ownerKind: owner.kind, ownerId: owner.id, reason: rejection.code, outcome });
  return outcome === 'done' ? 'rejected' : 'already_decided';
}

/**
 * Checks one uploaded object against its material: size, upload time, type
 * (magic bytes) and SHA-256. Safe to repeat: every decision is a conditional
 * write from waiting_upload, and the upload is deleted whatever the decision.
 */
export async function verifyUpload(object: CreatedObject): Promise<VerifyOutcome> {
  // Either kind of owner: uploads/<declarationId>/… or uploads/notices/<noticeId>/….
  const ids = parseMaterialUploadKey(object.key);
  const material = ids ? await getMaterial(ids.owner, ids.materialId, true) : undefined;
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

  const owner = ownerOf(material);
  const target = materialVerifiedKey(owner, material.id);
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
        Metadata: { 'material-id': material.id, [`${owner.kind}-id`]: owner.id, sha256: material.sha256 },
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
    const current = await getMaterial(owner, material.id, true);
    if (current?.status !== 'verified') await deleteObject(target);
  }
  await deleteObject(object.key, object.versionId);
  logger.info('material verified', { materialId: material.id, ownerKind: owner.kind, ownerId: owner.id, size: material.size, outcome });
  return outcome === 'done' ? 'verified' : 'already_decided';
}

/** A short-lived link to a verified copy, served with its name (RFC 6266 filename*) and type. */
function downloadUrlFor(objectKey: string, file: { fileName: string; contentType: string }): Promise<string> {
  return getSignedUrl(
    s3Client(),
    new GetObjectCommand({
      Bucket: bucket(),
      Key: objectKey,
      // 检测报告.pdf arrives as such; served as the verified type.
      ResponseContentDisposition: attachmentDisposition(file.fileName),
      ResponseContentType: file.contentType,
    }),
    { expiresIn: DOWNLOAD_URL_SECONDS },
  );
}

/** The API view of a material, with a short-lived download link when verified. */
export async function materialView(material: MaterialRecord, language: Language) {
  let { status, reason } = material;
  // Abandoned uploads read as what they become once their slot is reclaimed.
  if (status === 'waiting_upload' && uploadAbandoned(material.uploadExpiresAt, new Date())) {
    status = 'rejected';
    reason = { code: 'upload_expired' };
  }
  const downloadUrl = status === 'verified' && material.objectKey ? await downloadUrlFor(material.objectKey, material) : undefined;
  return {
    materialId: material.id,
    ...(material.noticeId !== undefined ? { noticeId: material.noticeId } : { declarationId: material.declarationId }),
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

/**
 * A notice's verified attachments with a short-lived download link each
 * (single-notice views): signed from the summary on the notice item, no read.
 */
export async function attachmentsWithLinks(notice: NoticeRecord): Promise<(NoticeAttachment & { downloadUrl: string })[]> {
  const owner = noticeOwner(notice.id);
  return Promise.all(
    (notice.attachments ?? []).map(async (attachment) => ({
      ...attachment,
      downloadUrl: await downloadUrlFor(materialVerifiedKey(owner, attachment.id), attachment),
    })),
  );
}

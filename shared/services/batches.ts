/**
 * Batch uploads through the API: the upload request (a presigned POST), the
 * view of a batch with its short-lived errors link, and the start of the
 * ingestion workflow when the upload arrives (the bucket's object-created
 * event).
 *
 * Who sees a batch: the client that uploaded it, and the bureaus whose
 * territory contains the uploader's (a province sees its cities' batches),
 * national every one; anyone else gets 404.
 */
import { ExecutionAlreadyExists, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { ulid } from 'ulid';
import { s3Client, stepFunctions } from '../aws/clients.ts';
import type { CreatedObject } from '../aws/s3-events.ts';
import { config } from '../config/env.ts';
import {
  batchIdOfUploadKey,
  type BatchFormat,
  CONTENT_TYPES,
  ERRORS_URL_SECONDS,
  UPLOAD_URL_SECONDS,
  uploadKey,
  visibleStatus,
} from '../domain/batch.ts';
import { canSeeDivision, type Principal } from '../domain/territory.ts';
import { attachmentDisposition } from '../http/content-disposition.ts';
import { invalidField } from '../http/errors.ts';
import { type Language, translate } from '../i18n/messages.ts';
import { type BatchError, type BatchRecord, getBatch, insertBatch, markProcessing } from '../store/batches.ts';
import { getScheme } from '../store/schemes.ts';
import { nowIso } from '../store/table.ts';
import { logger } from '../observability.ts';

export interface BatchRequest {
  schemeId: string;
  fileName: string;
  format: BatchFormat;
  size: number;
}

export async function createBatch(principal: Principal, request: BatchRequest) {
  const scheme = await getScheme(request.schemeId);
  if (!scheme) throw invalidField(['schemeId'], 'unknown_scheme');
  const id = ulid();
  const now = new Date();
  const batch: BatchRecord = {
    id,
    schemeId: scheme.id,
    schemeVersion: null,
    fileName: request.fileName,
    format: request.format,
    size: request.size,
    status: 'waiting_upload',
    uploader: { clientId: principal.clientId, role: principal.role, territory: principal.territory },
    divisionCode: principal.role === 'national' ? '' : principal.territory,
    rows: null,
    chunks: null,
    errorsKey: null,
    accepted: 0,
    unchanged: 0,
    rejected: 0,
    compared: 0,
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
  };
  const contentType = CONTENT_TYPES[request.format];
  const { url, fields } = await createPresignedPost(s3Client(), {
    Bucket: config().batchesBucket,
    Key: uploadKey(id),
    Conditions: [
      ['content-length-range', 1, request.size],
      ['eq', '$Content-Type', contentType],
    ],
    Fields: { 'Content-Type': contentType },
    Expires: UPLOAD_URL_SECONDS,
  });
  await insertBatch(batch);
  return { batch, upload: { url, fields }, expiresAt: new Date(now.getTime() + UPLOAD_URL_SECONDS * 1000).toISOString() };
}

function visible(principal: Principal, batch: BatchRecord): boolean {
  if (principal.role === 'national') return true;
  if (batch.uploader.clientId === principal.clientId) return true;
  return (principal.role === 'province' || principal.role === 'city') && batch.divisionCode !== '' && canSeeDivision(principal, batch.divisionCode);
}

/** The batch as GET /v1/batches/{id} shows it, or undefined when it is not the caller's to see. */
export async function viewBatch(principal: Principal, id: string, language: Language) {
  const batch = await getBatch(id);
  if (!batch || !visible(principal, batch)) return undefined;
  const shown = visibleStatus(batch, Date.now());
  const status = shown.status;
  const error: BatchError | undefined = shown.error ?? batch.error;
  const errorsUrl =
    status === 'completed' && batch.errorsKey
      ? await getSignedUrl(
          s3Client(),
          new GetObjectCommand({
            Bucket: config().batchesBucket,
            Key: batch.errorsKey,
            ResponseContentDisposition: attachmentDisposition(`${batch.fileName.replace(/\.[^.]*$/, '')}-errors.csv`),
            ResponseContentType: 'text/csv; charset=utf-8',
          }),
          { expiresIn: ERRORS_URL_SECONDS },
        )
      : null;
  return {
    id: batch.id,
    schemeId: batch.schemeId,
    schemeVersion: batch.schemeVersion,
    fileName: batch.fileName,
    format: batch.format,
    status,
    rows: batch.rows,
    total: batch.accepted + batch.unchanged + batch.rejected,
    accepted: batch.accepted,
    unchanged: batch.unchanged,
    rejected: batch.rejected,
    compared: batch.compared,
    errorsUrl,
    ...(error ? { error: { code: error.code, message: translate(`batch_error.${error.code}`, language, error.params) } } : {}),
    createdAt: batch.createdAt,
    updatedAt: batch.updatedAt,
    ...(batch.completedAt ? { completedAt: batch.completedAt } : {}),
  };
}

/**
 * An upload arrived: the batch starts processing and its workflow starts,
 * named after the batch, so a repeated event (S3 and EventBridge deliver at
 * least once) starts nothing more. A batch already finished ignores it.
 */
export async function startIngestion(object: CreatedObject): Promise<'started' | 'ignored'> {
  const batchId = batchIdOfUploadKey(object.key);
  if (!batchId || object.bucket !== config().batchesBucket) return 'ignored';
  const batch = await getBatch(batchId, true);
  if (!batch) {
    logger.warn('upload without a batch', { key: object.key });
    return 'ignored';
  }
  if (batch.status === 'waiting_upload') await markProcessing(batchId, nowIso());
  else if (batch.status !== 'processing') {
    logger.info('upload to a finished batch ignored', { batchId, status: batch.status });
    return 'ignored';
  }
  try {
    await stepFunctions().send(
      new StartExecutionCommand({
        stateMachineArn: config().batchStateMachineArn,
        name: batchId,
        input: JSON.stringify({ batchId }),
      }),
    );
  } catch (error) {
    if (!(error instanceof ExecutionAlreadyExists)) throw error;
  }
  return 'started';
}

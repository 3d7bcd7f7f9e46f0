/** Presigned uploads as a browser makes them, and S3 object checks, for the tests. */
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { emulatorClients } from './emulators.ts';

export interface PresignedPost {
  url: string;
  fields: Record<string, string>;
}

/** What POST /v1/declarations/{id}/materials and POST /v1/notices/{id}/attachments answer. */
export interface UploadForm {
  materialId: string;
  upload: PresignedPost;
  expiresAt: string;
}

/** The browser's multipart form: every field as returned, the file last. Returns the status. */
export async function postPresigned(upload: PresignedPost, bytes: Buffer, fileName = 'upload.bin'): Promise<number> {
  const data = new FormData();
  for (const [name, value] of Object.entries(upload.fields)) data.append(name, value);
  data.append('file', new Blob([new Uint8Array(bytes)]), fileName);
  const response = await fetch(upload.url, { method: 'POST', body: data });
  await response.arrayBuffer();
  return response.status;
}

export async function objectExists(bucket: string, key: string): Promise<boolean> {
  try {
    await emulatorClients().s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return true;
  } catch (error) {
    if ((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return false;
    throw error;
  }
}

/**
 * Object-created events under uploads/ of the Materials bucket: verifies each
 * upload (size, type, SHA-256). An error is thrown for the platform to retry
 * (Lambda's async retries, then the dead-letter queue); rejections are not errors.
 */
import { createdObjects } from '../../shared/aws/s3-events.ts';
import { verifyUpload } from '../../shared/services/materials.ts';

export const handler = async (event: unknown): Promise<void> => {
  for (const object of createdObjects(event)) await verifyUpload(object);
};

/**
 * Object-created events under uploads/ of the Batches bucket: starts the batch
 * workflow. An error is thrown for the platform to retry (Lambda's async
 * retries, then the dead-letter queue); a repeated event starts nothing more.
 */
import { createdObjects } from '../../shared/aws/s3-events.ts';
import { eventHandler } from '../../shared/event-handler.ts';
import { startIngestion } from '../../shared/services/batches.ts';

export const handler = eventHandler(async (event: unknown): Promise<void> => {
  for (const object of createdObjects(event)) await startIngestion(object);
});

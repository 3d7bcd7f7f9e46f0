/**
 * Object-created events under uploads/ of the Materials bucket: verifies each
 * upload (size, type, SHA-256). An error is thrown for the platform to retry
 * (Lambda's async retries, then the dead-letter queue); rejections are not errors.
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { createdObjects } from '../../shared/aws/s3-events.ts';
import { eventHandler } from '../../shared/event-handler.ts';
import { metrics } from '../../shared/observability.ts';
import { verifyUpload } from '../../shared/services/materials.ts';

export const handler = eventHandler(async (event: unknown): Promise<void> => {
  for (const object of createdObjects(event)) {
    const outcome = await verifyUpload(object);
    if (outcome === 'verified' || outcome === 'rejected') {
      metrics.addMetric(outcome === 'verified' ? 'MaterialsVerified' : 'MaterialsRejected', MetricUnit.Count, 1);
    }
  }
});

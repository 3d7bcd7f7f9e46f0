/**
 * Consumer of the webhook delivery queue: one attempt per message. A failed
 * attempt hides its message until the next retry time and reports it as a
 * batch item failure, so the queue hands it out again then (the event source
 * mapping reports batch item failures).
 */
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { eventHandler } from '../../shared/event-handler.ts';
import { logger } from '../../shared/observability.ts';
import { attemptDelivery, type DeliveryMessage, postpone } from '../../shared/services/webhook-delivery.ts';

export const handler = eventHandler(async (event: SQSEvent): Promise<SQSBatchResponse> => {
  const failures: SQSBatchResponse['batchItemFailures'] = [];
  await Promise.all(
    event.Records.map(async (record) => {
      try {
        const retryInSeconds = await attemptDelivery(JSON.parse(record.body) as DeliveryMessage);
        if (retryInSeconds === undefined) return;
        await postpone(record.receiptHandle, retryInSeconds);
        failures.push({ itemIdentifier: record.messageId });
      } catch (error) {
        // Unexpected (the table, the queue): the message comes back after its visibility timeout.
        logger.error('webhook delivery failed', { messageId: record.messageId, error: error as Error });
        failures.push({ itemIdentifier: record.messageId });
      }
    }),
  );
  return { batchItemFailures: failures };
});

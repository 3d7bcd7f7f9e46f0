/**
 * Consumer of the Main table's stream: comparisons, batches and reviews that
 * finished become webhook deliveries, queued for the delivery function.
 * Deliveries have deterministic ids, so a batch retried after a failure queues
 * nothing twice.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { eventHandler } from '../../shared/event-handler.ts';
import { publishChanges, type TableChange } from '../../shared/services/webhook-delivery.ts';

const image = (value: unknown) => (value ? unmarshall(value as Record<string, AttributeValue>) : undefined);

export const handler = eventHandler(async (event: DynamoDBStreamEvent): Promise<void> => {
  const changes: TableChange[] = event.Records.map((record) => ({
    eventId: record.eventID ?? `${record.dynamodb?.SequenceNumber}`,
    at: new Date((record.dynamodb?.ApproximateCreationDateTime ?? Date.now() / 1000) * 1000).toISOString(),
    change: {
      eventName: record.eventName ?? 'MODIFY',
      oldImage: image(record.dynamodb?.OldImage),
      newImage: image(record.dynamodb?.NewImage),
    },
  }));
  await publishChanges(changes);
});

/**
 * Consumer of the Main table's stream (infra/definitions/events.ts): folds
 * declaration changes into the counters and rankings. A failed batch is
 * retried (on AWS bisected); applying a batch twice changes nothing.
 */
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { eventHandler } from '../../shared/event-handler.ts';
import { aggregateRecords } from '../../shared/services/aggregation.ts';

export const handler = eventHandler(async (event: DynamoDBStreamEvent) => {
  await aggregateRecords(event.Records);
});

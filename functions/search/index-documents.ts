/**
 * Consumer of the Main table's stream: keeps the search index in step with
 * standards, scheme heads, experts and institutions as they are written, so
 * that their own write paths stay as they are. Postings are idempotent puts
 * and deletes, so a batch retried after a failure converges.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { eventHandler } from '../../shared/event-handler.ts';
import { indexChanges } from '../../shared/services/search.ts';

const image = (value: unknown) => (value ? unmarshall(value as Record<string, AttributeValue>) : undefined);

export const handler = eventHandler(async (event: DynamoDBStreamEvent): Promise<void> => {
  // In stream order: several changes of one document collapse into the last.
  await indexChanges(
    event.Records.map((record) => ({ before: image(record.dynamodb?.OldImage), after: image(record.dynamodb?.NewImage) })),
  );
});

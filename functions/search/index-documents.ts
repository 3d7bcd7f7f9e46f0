/**
 * Consumer of the Main table's stream: keeps the search index in step with
 * standards, scheme heads, experts and institutions as they are written, so
 * that their own write paths stay as they are. Postings are idempotent puts
 * and deletes, so a batch retried after a failure converges.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { indexChange } from '../../shared/services/search.ts';

const image = (value: unknown) => (value ? unmarshall(value as Record<string, AttributeValue>) : undefined);

export const handler = async (event: DynamoDBStreamEvent): Promise<void> => {
  // In order: two changes of one item within a batch must land in sequence.
  for (const record of event.Records) {
    await indexChange(image(record.dynamodb?.OldImage), image(record.dynamodb?.NewImage));
  }
};

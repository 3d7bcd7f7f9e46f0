/**
 * Failed token requests per client id, counted in fixed windows: one item per
 * client id and window, expired by the table's TTL. The same on DynamoDB and
 * DynamoDB Local, so the limit behaves alike on AWS and locally.
 */
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../aws/clients.ts';
import { tokenFailureKey } from './keys.ts';
import { mainTableName } from './table.ts';

export async function failuresInWindow(clientId: string, windowStart: number): Promise<number> {
  const { Item: item } = await dynamo().send(
    new GetCommand({ TableName: mainTableName(), Key: tokenFailureKey(clientId, windowStart), ConsistentRead: true }),
  );
  return typeof item?.failures === 'number' ? item.failures : 0;
}

/** Adds one failure to the window; the item expires with the window. */
export async function addFailure(clientId: string, windowStart: number, expiresAt: number): Promise<number> {
  const { Attributes: updated } = await dynamo().send(
    new UpdateCommand({
      TableName: mainTableName(),
      Key: tokenFailureKey(clientId, windowStart),
      UpdateExpression: 'ADD failures :one SET expiresAt = :expiresAt, kind = :kind',
      ExpressionAttributeValues: { ':one': 1, ':expiresAt': expiresAt, ':kind': 'token_failures' },
      ReturnValues: 'UPDATED_NEW',
    }),
  );
  return Number(updated?.failures ?? 1);
}

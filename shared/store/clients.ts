import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { dynamo } from '../aws/clients.ts';
import type { Role } from '../domain/territory.ts';
import { clientKey } from './keys.ts';
import { mainTableName, withoutKeys } from './table.ts';

export interface ClientRecord {
  clientId: string;
  name: string;
  role: Role;
  territory: string;
  /** Division the client belongs to, for bureaus' lists ('' for national). */
  divisionCode: string;
  /** scrypt$N$r$p$salt$hash; the secret itself is never stored. */
  secretHash: string;
  createdBy: string;
  createdAt: string;
}

export async function putClient(client: ClientRecord): Promise<'created' | 'exists'> {
  try {
    await dynamo().send(
      new PutCommand({
        TableName: mainTableName(),
        Item: {
          ...clientKey(client.clientId),
          gsi1pk: 'CLIENT',
          gsi1sk: `${client.divisionCode || '-'}#${client.clientId}`,
          kind: 'client',
          ...client,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return 'created';
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return 'exists';
    throw error;
  }
}

export async function getClient(clientId: string): Promise<ClientRecord | undefined> {
  const { Item: item } = await dynamo().send(
    new GetCommand({ TableName: mainTableName(), Key: clientKey(clientId), ConsistentRead: true }),
  );
  return item ? withoutKeys<ClientRecord>(item) : undefined;
}

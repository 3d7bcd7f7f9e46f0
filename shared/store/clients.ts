import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { dynamo } from '../aws/clients.ts';
import { divisionPrefix } from '../domain/division-code.ts';
import type { Role } from '../domain/territory.ts';
import { clientKey } from './keys.ts';
import { mainTableName, type Page, queryPage, withoutKeys } from './table.ts';

export interface ClientRecord {
  clientId: string;
  name: string;
  role: Role;
  territory: string;
  /** Division the client belongs to, for bureaus' lists ('' for national). */
  divisionCode: string;
  /** scrypt$N$r$p$salt$hash; the secret itself is never stored. */
  secretHash: string;
  /**
   * Starts at 1 (absent on older records) and grows with each secret rotation;
   * tokens carry it, so a rotation revokes the tokens issued before it.
   */
  credentialVersion?: number;
  /** The client's API Gateway API key (per-client usage plan throttling). */
  apiKeyId?: string;
  /** Its value: the authorizer's usage identifier key. Never shown to clients. */
  apiKeyValue?: string;
  createdBy: string;
  createdAt: string;
  rotatedAt?: string;
}

export interface ApiKeyRef {
  apiKeyId: string;
  apiKeyValue: string;
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

/** Clients within a division (`null`: every client), in division then id order. */
export async function listClients(options: { division: string | null; limit: number; cursor?: string }): Promise<Page<ClientRecord>> {
  const page = await queryPage({
    index: 'gsi1',
    partitions: ['CLIENT'],
    sortKeyPrefix: options.division ? divisionPrefix(options.division) : undefined,
    limit: options.limit,
    cursor: options.cursor,
  });
  return { items: page.items.map((item) => withoutKeys<ClientRecord>(item)), nextCursor: page.nextCursor };
}

/** The deleted record, or undefined when it was already gone. */
export async function deleteClient(clientId: string): Promise<ClientRecord | undefined> {
  try {
    const { Attributes: old } = await dynamo().send(
      new DeleteCommand({
        TableName: mainTableName(),
        Key: clientKey(clientId),
        ConditionExpression: 'attribute_exists(pk)',
        ReturnValues: 'ALL_OLD',
      }),
    );
    return old ? withoutKeys<ClientRecord>(old) : undefined;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return undefined;
    throw error;
  }
}

/**
 * A new secret hash and the next credential version, in one conditional write:
 * the previous secret and the tokens issued with it stop working together.
 */
export async function replaceSecret(
  clientId: string,
  secretHash: string,
  rotatedAt: string,
  apiKey?: ApiKeyRef,
): Promise<ClientRecord | undefined> {
  try {
    const { Attributes: updated } = await dynamo().send(
      new UpdateCommand({
        TableName: mainTableName(),
        Key: clientKey(clientId),
        UpdateExpression: `SET secretHash = :hash, credentialVersion = if_not_exists(credentialVersion, :one) + :one, rotatedAt = :now${
          apiKey ? ', apiKeyId = :keyId, apiKeyValue = :keyValue' : ''
        }`,
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: {
          ':hash': secretHash,
          ':one': 1,
          ':now': rotatedAt,
          ...(apiKey ? { ':keyId': apiKey.apiKeyId, ':keyValue': apiKey.apiKeyValue } : {}),
        },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return updated ? withoutKeys<ClientRecord>(updated) : undefined;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return undefined;
    throw error;
  }
}

/** Gives a client that has none an API key; 'exists' when it got one meanwhile. */
export async function setApiKey(clientId: string, apiKey: ApiKeyRef): Promise<'set' | 'exists'> {
  try {
    await dynamo().send(
      new UpdateCommand({
        TableName: mainTableName(),
        Key: clientKey(clientId),
        UpdateExpression: 'SET apiKeyId = :keyId, apiKeyValue = :keyValue',
        ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(apiKeyId)',
        ExpressionAttributeValues: { ':keyId': apiKey.apiKeyId, ':keyValue': apiKey.apiKeyValue },
      }),
    );
    return 'set';
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return 'exists';
    throw error;
  }
}

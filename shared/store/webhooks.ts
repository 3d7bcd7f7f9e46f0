/**
 * Webhooks and their deliveries. An enabled webhook is in the sparse gsi2
 * partition of its subscription scope, so publishing an event reads only the
 * enabled subscribers of the scopes it concerns; disabling takes it out.
 * Deliveries live in the webhook's partition, one item each with its attempts,
 * and expire after 30 days.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { dynamo } from '../aws/clients.ts';
import type { WebhookEventType } from '../domain/webhooks.ts';
import { webhookDeliveryKey, webhookKey } from './keys.ts';
import { type Item, mainTableName, type Page, queryPage, withoutKeys } from './table.ts';

export type WebhookStatus = 'enabled' | 'disabled';

export interface WebhookRecord {
  id: string;
  /** The client that registered it and receives its events. */
  clientId: string;
  /** Subscription scope (shared/domain/webhooks.ts subscriberScope). */
  scope: string;
  url: string;
  events: WebhookEventType[];
  /** `whsec_…`: needed to sign every delivery, so kept (the table is encrypted at rest). */
  secret: string;
  status: WebhookStatus;
  disabledReason?: string;
  createdAt: string;
  updatedAt: string;
}

export interface DeliveryAttempt {
  attempt: number;
  at: string;
  durationMs: number;
  /** The receiver's HTTP status, when it answered. */
  statusCode?: number;
  /** Why the attempt failed without an answer (timeout, connection refused...). */
  error?: string;
}

export type DeliveryStatus = 'pending' | 'succeeded' | 'failed';

export interface DeliveryRecord {
  /** The webhook-id header: the same for every attempt. */
  id: string;
  webhookId: string;
  eventType: WebhookEventType;
  /** The exact body every attempt sends. */
  payload: string;
  status: DeliveryStatus;
  attemptCount: number;
  attempts: DeliveryAttempt[];
  /** Epoch milliseconds of the next attempt while pending. */
  nextAttemptAt: number;
  failureReason?: string;
  createdAt: string;
  completedAt?: string;
}

const DELIVERY_RETENTION_SECONDS = 30 * 24 * 3600;

const subscriberIndex = (webhook: Pick<WebhookRecord, 'scope' | 'id'>) => ({
  gsi2pk: `WEBHOOK#S#${webhook.scope}`,
  gsi2sk: webhook.id,
});

export async function putWebhook(webhook: WebhookRecord): Promise<void> {
  await dynamo().send(
    new PutCommand({
      TableName: mainTableName(),
      Item: {
        ...webhookKey(webhook.id),
        gsi1pk: `WEBHOOK#C#${webhook.clientId}`,
        gsi1sk: webhook.id,
        ...(webhook.status === 'enabled' ? subscriberIndex(webhook) : {}),
        kind: 'webhook',
        ...webhook,
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
  );
}

export async function getWebhook(id: string): Promise<WebhookRecord | undefined> {
  const { Item: item } = await dynamo().send(new GetCommand({ TableName: mainTableName(), Key: webhookKey(id) }));
  return item ? withoutKeys<WebhookRecord>(item) : undefined;
}

export async function listWebhooksOf(clientId: string, limit: number, cursor?: string): Promise<Page<WebhookRecord>> {
  const page = await queryPage({ index: 'gsi1', partitions: [`WEBHOOK#C#${clientId}`], limit, cursor });
  return { items: page.items.map((item) => withoutKeys<WebhookRecord>(item)), nextCursor: page.nextCursor };
}

export async function countWebhooksOf(clientId: string): Promise<number> {
  const { Count: count } = await dynamo().send(
    new QueryCommand({
      TableName: mainTableName(),
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': `WEBHOOK#C#${clientId}` },
      Select: 'COUNT',
    }),
  );
  return count ?? 0;
}

/** Enabled webhooks subscribed in one scope. */
export async function enabledWebhooksIn(scope: string): Promise<WebhookRecord[]> {
  const webhooks: WebhookRecord[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await dynamo().send(
      new QueryCommand({
        TableName: mainTableName(),
        IndexName: 'gsi2',
        KeyConditionExpression: 'gsi2pk = :pk',
        ExpressionAttributeValues: { ':pk': `WEBHOOK#S#${scope}` },
        ExclusiveStartKey: start,
      }),
    );
    webhooks.push(...(page.Items ?? []).map((item) => withoutKeys<WebhookRecord>(item)));
    start = page.LastEvaluatedKey;
  } while (start);
  return webhooks;
}

export async function deleteWebhook(id: string): Promise<boolean> {
  try {
    await dynamo().send(
      new DeleteCommand({ TableName: mainTableName(), Key: webhookKey(id), ConditionExpression: 'attribute_exists(pk)' }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

/** Every webhook of a client (when the client is deleted). Their deliveries expire on their own. */
export async function deleteWebhooksOf(clientId: string): Promise<void> {
  for (;;) {
    const { Items: items = [] } = await dynamo().send(
      new QueryCommand({
        TableName: mainTableName(),
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': `WEBHOOK#C#${clientId}` },
        ProjectionExpression: 'pk, sk',
        Limit: 25,
      }),
    );
    if (items.length === 0) return;
    await dynamo().send(
      new BatchWriteCommand({
        RequestItems: { [mainTableName()]: items.map((item) => ({ DeleteRequest: { Key: { pk: item.pk, sk: item.sk } } })) },
      }),
    );
  }
}

/** enabled → disabled (out of the subscriber index); false when it was not enabled. */
export async function disableWebhook(id: string, reason: string, at: string): Promise<boolean> {
  try {
    await dynamo().send(
      new UpdateCommand({
        TableName: mainTableName(),
        Key: webhookKey(id),
        UpdateExpression: 'SET #status = :disabled, disabledReason = :reason, updatedAt = :now REMOVE gsi2pk, gsi2sk',
        ConditionExpression: '#status = :enabled',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':disabled': 'disabled', ':enabled': 'enabled', ':reason': reason, ':now': at },
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

/** Back to enabled (and into the subscriber index); undefined when it does not exist. */
export async function enableWebhook(webhook: WebhookRecord, at: string): Promise<WebhookRecord | undefined> {
  const index = subscriberIndex(webhook);
  try {
    const { Attributes: updated } = await dynamo().send(
      new UpdateCommand({
        TableName: mainTableName(),
        Key: webhookKey(webhook.id),
        UpdateExpression: 'SET #status = :enabled, updatedAt = :now, gsi2pk = :gsi2pk, gsi2sk = :gsi2sk REMOVE disabledReason',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':enabled': 'enabled', ':now': at, ':gsi2pk': index.gsi2pk, ':gsi2sk': index.gsi2sk },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return updated ? withoutKeys<WebhookRecord>(updated) : undefined;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return undefined;
    throw error;
  }
}

function deliveryItem(delivery: DeliveryRecord): Item {
  return {
    ...webhookDeliveryKey(delivery.webhookId, delivery.id),
    kind: 'webhook_delivery',
    expiresAt: Math.floor(Date.parse(delivery.createdAt) / 1000) + DELIVERY_RETENTION_SECONDS,
    ...delivery,
  };
}

/** Writes a new delivery; the existing one when the same event reached this webhook before. */
export async function putDelivery(delivery: DeliveryRecord): Promise<{ created: true } | { created: false; existing: DeliveryRecord }> {
  try {
    await dynamo().send(
      new PutCommand({
        TableName: mainTableName(),
        Item: deliveryItem(delivery),
        ConditionExpression: 'attribute_not_exists(pk)',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    return { created: true };
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    const old = error.Item ? unmarshall(error.Item as Parameters<typeof unmarshall>[0]) : undefined;
    return { created: false, existing: old ? withoutKeys<DeliveryRecord>(old) : delivery };
  }
}

export async function getDelivery(webhookId: string, deliveryId: string): Promise<DeliveryRecord | undefined> {
  const { Item: item } = await dynamo().send(
    new GetCommand({ TableName: mainTableName(), Key: webhookDeliveryKey(webhookId, deliveryId), ConsistentRead: true }),
  );
  return item ? withoutKeys<DeliveryRecord>(item) : undefined;
}

/** Newest first. */
export async function listDeliveries(webhookId: string, limit: number, cursor?: string): Promise<Page<DeliveryRecord>> {
  const page = await queryPage({
    partitions: [`WEBHOOK#${webhookId}`],
    sortKeyPrefix: 'DLV#',
    limit,
    cursor,
    descending: true,
  });
  return { items: page.items.map((item) => withoutKeys<DeliveryRecord>(item)), nextCursor: page.nextCursor };
}

/**
 * Claims the next attempt: only one of several copies of a queue message (or a
 * message arriving twice) performs it. False when another claimed it first or
 * the delivery is no longer pending.
 */
export async function claimAttempt(delivery: Pick<DeliveryRecord, 'webhookId' | 'id' | 'attemptCount'>): Promise<boolean> {
  try {
    await dynamo().send(
      new UpdateCommand({
        TableName: mainTableName(),
        Key: webhookDeliveryKey(delivery.webhookId, delivery.id),
        UpdateExpression: 'SET attemptCount = :next',
        ConditionExpression: '#status = :pending AND attemptCount = :seen',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':pending': 'pending', ':seen': delivery.attemptCount, ':next': delivery.attemptCount + 1 },
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

/** Appends an attempt and sets the outcome: still pending (with the next time), succeeded or failed. */
export async function recordAttempt(
  delivery: Pick<DeliveryRecord, 'webhookId' | 'id'>,
  attempt: DeliveryAttempt,
  outcome: { status: 'pending'; nextAttemptAt: number } | { status: 'succeeded' | 'failed'; completedAt: string; failureReason?: string },
): Promise<void> {
  const sets = ['attempts = list_append(if_not_exists(attempts, :empty), :attempt)', '#status = :status'];
  const values: Record<string, unknown> = { ':attempt': [attempt], ':empty': [], ':status': outcome.status };
  if (outcome.status === 'pending') {
    sets.push('nextAttemptAt = :next');
    values[':next'] = outcome.nextAttemptAt;
  } else {
    sets.push('completedAt = :completedAt');
    values[':completedAt'] = outcome.completedAt;
    if (outcome.failureReason) {
      sets.push('failureReason = :reason');
      values[':reason'] = outcome.failureReason;
    }
  }
  await dynamo().send(
    new UpdateCommand({
      TableName: mainTableName(),
      Key: webhookDeliveryKey(delivery.webhookId, delivery.id),
      UpdateExpression: `SET ${sets.join(', ')}`,
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: values,
    }),
  );
}

/** Ends a pending delivery without an attempt (its webhook was deleted or disabled). */
export async function abandonDelivery(delivery: Pick<DeliveryRecord, 'webhookId' | 'id'>, reason: string, at: string): Promise<void> {
  try {
    await dynamo().send(
      new UpdateCommand({
        TableName: mainTableName(),
        Key: webhookDeliveryKey(delivery.webhookId, delivery.id),
        UpdateExpression: 'SET #status = :failed, failureReason = :reason, completedAt = :now',
        ConditionExpression: '#status = :pending',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':failed': 'failed', ':pending': 'pending', ':reason': reason, ':now': at },
      }),
    );
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
}

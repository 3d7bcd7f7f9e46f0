/**
 * Queues and their consumers, shared by the CDK stacks and the local runtime:
 * on AWS an SQS queue (with a dead-letter queue) and a Lambda event source
 * mapping; locally infra/local/sqs.ts serving the same SDK calls and calling
 * the same handler.
 */
export interface QueueConsumer {
  /** Construct id; the queue is named `<prefix>-<kebab id>`. */
  id: string;
  /** Environment variable through which functions learn the queue URL. */
  envVar: string;
  /** `functions/<handler>.ts`, exporting `handler(event: SQSEvent): SQSBatchResponse`. */
  handler: string;
  /** Messages per invocation. */
  batchSize: number;
  /** Seconds a received message stays hidden unless the handler changes it (at least 6x the function timeout). */
  visibilityTimeoutSeconds: number;
  /** Receives before a message moves to the dead-letter queue. */
  maxReceiveCount: number;
  /** Seconds a message is kept: longer than the consumer's retries. */
  retentionSeconds: number;
}

/** Webhook deliveries: one message per delivery, hidden between attempts (shared/services/webhook-delivery.ts). */
export const webhookDeliveryQueue: QueueConsumer = {
  id: 'WebhookDeliveries',
  envVar: 'WEBHOOK_QUEUE_URL',
  handler: 'webhooks/deliver-webhook',
  batchSize: 10,
  visibilityTimeoutSeconds: 180,
  // About ten attempts in 24 h, plus redeliveries after unexpected errors.
  maxReceiveCount: 30,
  // Retries last 24 h; two more days leave room for an outage of the consumer.
  retentionSeconds: 3 * 24 * 3600,
};

export const queueConsumers: QueueConsumer[] = [webhookDeliveryQueue];

/**
 * Queues and their consumers (infra/definitions/queues.ts; locally
 * infra/local/sqs.ts serves the same SDK calls and calls the same handlers):
 * an SQS queue named by the stage prefix (functions learn its URL by name, see
 * config/function-environment.ts), a dead-letter queue, and one function behind
 * an event source mapping that reports batch item failures, so a message the
 * handler hides for a retry (ChangeMessageVisibility) comes back when due.
 */
import { Duration } from 'aws-cdk-lib';
import { deadLetterAlarm, functionAlarms } from '../constructs/alarms.ts';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { queueName } from '../config/names.ts';
import type { StageConfig } from '../config/stages.ts';
import { NodeFunction } from '../constructs/node-function.ts';
import type { QueueConsumer } from '../definitions/queues.ts';

export interface QueueConsumerData {
  /** The Main table's ARN (by name). */
  mainTableArn: string;
  queue: Queue;
}

export interface QueueConsumerSettings {
  memoryMb: number;
  timeoutSeconds: number;
  /** Exactly what the handler touches besides receiving and deleting (the mapping grants that). */
  grant: (fn: NodeFunction, data: QueueConsumerData) => void;
}

/**
 * Every queue consumer with its memory, timeout and grants. A consumer missing
 * here fails the synth: new handlers get no permissions by default.
 */
export const QUEUE_CONSUMER_SETTINGS: Record<string, QueueConsumerSettings> = {
  // Reads a delivery and its webhook, claims and records attempts, disables the webhook
  // after 24 h of failures; hides the message until the next attempt.
  'webhooks/deliver-webhook': {
    memoryMb: 512,
    // Ten parallel POSTs of at most 10 s each, and the table writes around them.
    timeoutSeconds: 30,
    grant: (fn, { mainTableArn, queue }) => {
      fn.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['dynamodb:GetItem', 'dynamodb:UpdateItem'], resources: [mainTableArn] }));
      fn.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['sqs:ChangeMessageVisibility'], resources: [queue.queueArn] }));
    },
  },
};

export class QueueConsumerFunction extends Construct {
  readonly queue: Queue;
  readonly deadLetters: Queue;
  readonly function: NodeFunction;

  constructor(
    scope: Construct,
    id: string,
    props: { config: StageConfig; consumer: QueueConsumer; mainTableArn: string; environment: Record<string, string> },
  ) {
    super(scope, id);
    const { config, consumer } = props;
    const settings = QUEUE_CONSUMER_SETTINGS[consumer.handler];
    if (!settings) throw new Error(`No QUEUE_CONSUMER_SETTINGS for functions/${consumer.handler}.ts (queue ${consumer.id})`);
    // AWS's advice for Lambda consumers: a message must not reappear while a batch still runs.
    if (consumer.visibilityTimeoutSeconds < 6 * settings.timeoutSeconds) {
      throw new Error(`Queue ${consumer.id}: visibility timeout ${consumer.visibilityTimeoutSeconds} s is less than 6x the function timeout`);
    }

    this.deadLetters = new Queue(this, 'DeadLetterQueue', {
      queueName: `${queueName(config, consumer.id)}-dead-letters`,
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.queue = new Queue(this, 'Queue', {
      // By name: functions get its URL by name, with no cross-stack reference.
      queueName: queueName(config, consumer.id),
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(consumer.visibilityTimeoutSeconds),
      retentionPeriod: Duration.seconds(consumer.retentionSeconds),
      deadLetterQueue: { queue: this.deadLetters, maxReceiveCount: consumer.maxReceiveCount },
    });

    this.function = new NodeFunction(this, 'Function', {
      handler: consumer.handler,
      config,
      environment: props.environment,
      memoryMb: settings.memoryMb,
      timeoutSeconds: settings.timeoutSeconds,
      description: `Queue consumer ${consumer.id}: functions/${consumer.handler}.ts`,
    });
    this.function.fn.addEventSource(
      new SqsEventSource(this.queue, { batchSize: consumer.batchSize, reportBatchItemFailures: true }),
    );
    settings.grant(this.function, { mainTableArn: props.mainTableArn, queue: this.queue });

    deadLetterAlarm(this, 'DeadLettersAlarm', config, this.deadLetters, `messages of ${consumer.id} that functions/${consumer.handler}.ts could not handle`);
    functionAlarms(this.function, config, { scope: this });
  }
}

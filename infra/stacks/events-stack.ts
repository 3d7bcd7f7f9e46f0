/**
 * Stateless: the functions that S3 object-created events trigger
 * (infra/definitions/events.ts s3Triggers; locally the S3 emulator's events
 * call the same handlers).
 *
 * Why EventBridge and not a bucket notification to Lambda: the buckets live in
 * the stateful stack and the functions here. A bucket notification names the
 * function's ARN, so the stateful stack would depend on this one while this
 * one depends on it (the signing key export): a cycle, or a custom resource
 * writing the bucket's notification configuration from here. Instead the
 * bucket sends its events to EventBridge (a bucket property, nothing
 * referenced) and a rule here, matching the bucket's name and the key prefix,
 * invokes the function. Dependencies stay one way: stateful ← events.
 *
 * Delivery: EventBridge retries a failed invocation and then sends the event
 * to the dead-letter queue; the function's own asynchronous retries end there
 * too (on-failure destination). An alarm fires on the first dead letter.
 */
import { Annotations, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import { deadLetterAlarm, functionAlarms } from '../constructs/alarms.ts';
import { Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { Table } from 'aws-cdk-lib/aws-dynamodb';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import type { Bucket, CfnBucket } from 'aws-cdk-lib/aws-s3';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { bucketName, tableName } from '../config/names.ts';
import { functionEnvironment } from '../config/function-environment.ts';
import type { StageConfig } from '../config/stages.ts';
import { mainTable } from '../definitions/tables.ts';
import { NodeFunction } from '../constructs/node-function.ts';
import { type S3Trigger, type StreamConsumer, s3Triggers as allTriggers, streamConsumers as allConsumers } from '../definitions/events.ts';
import { acknowledge } from '../nag.ts';
import { grantVerifyMaterial } from './materials.ts';
import { grantStartIngestion } from './batches.ts';
import { STREAM_CONSUMER_SETTINGS, StreamConsumerFunction } from './stream-consumers.ts';
import { type QueueConsumer, queueConsumers as allQueueConsumers } from '../definitions/queues.ts';
import { QueueConsumerFunction } from './queue-consumers.ts';

export interface S3TriggerSettings {
  memoryMb: number;
  timeoutSeconds: number;
  /** Exactly what the handler touches. */
  grant: (fn: NodeFunction, config: StageConfig) => void;
}

/**
 * Every S3 trigger handler with its memory, timeout and grants. A trigger
 * missing here fails the synth: new handlers get no permissions by default.
 */
export const S3_TRIGGER_SETTINGS: Record<string, S3TriggerSettings> = {
  // Streams up to 20 MiB through SHA-256: 1 GB buys the CPU share to keep pace with S3.
  'materials/verify-material': { memoryMb: 1024, timeoutSeconds: 60, grant: grantVerifyMaterial },
  // Reads the batch and starts its workflow: milliseconds.
  'batches/start-ingestion': { memoryMb: 512, timeoutSeconds: 30, grant: grantStartIngestion },
};

/** EventBridge retries an invocation that fails to start (throttling) this long. */
const MAX_EVENT_AGE = Duration.hours(6);

/**
 * Sends the bucket's events to EventBridge. Set on the L1 resource: the L2
 * `eventBridgeEnabled` prop goes through a notifications custom resource (a
 * Lambda with s3:PutBucketNotification on every bucket).
 */
export function enableEventBridgeNotifications(bucket: Bucket): void {
  (bucket.node.defaultChild as CfnBucket).notificationConfiguration = {
    eventBridgeConfiguration: { eventBridgeEnabled: true },
  };
}

export interface EventsStackProps extends StackProps {
  config: StageConfig;
  /** Its ARN reaches functions as SIGNING_KEY_ID (required configuration); nothing here may use it. */
  signingKey: IKey;
  s3Triggers?: S3Trigger[];
  /** The Main table's stream (an export of the stateful stack): its consumers live here. */
  mainTableStreamArn?: string;
  streamConsumers?: StreamConsumer[];
  queueConsumers?: QueueConsumer[];
}

export class EventsStack extends Stack {
  /** Trigger functions by handler path (`materials/verify-material`). */
  readonly triggerFunctions: Record<string, NodeFunction> = {};
  readonly deadLetterQueues: Record<string, Queue> = {};
  /** Stream consumers by handler path (`search/index-documents`). */
  readonly streamConsumers: Record<string, StreamConsumerFunction> = {};
  /** Queue consumers by handler path (`webhooks/deliver-webhook`), with their queues. */
  readonly queueConsumers: Record<string, QueueConsumerFunction> = {};

  constructor(scope: Construct, id: string, props: EventsStackProps) {
    super(scope, id, props);
    const { config, signingKey } = props;
    const environment = functionEnvironment(config, signingKey);
    for (const trigger of props.s3Triggers ?? allTriggers) this.addS3Trigger(config, trigger, environment);
    if (props.mainTableStreamArn) {
      const main = Table.fromTableAttributes(this, 'MainTable', {
        tableName: tableName(config, mainTable.id),
        tableStreamArn: props.mainTableStreamArn,
      });
      for (const consumer of props.streamConsumers ?? allConsumers) {
        if (!STREAM_CONSUMER_SETTINGS[consumer.handler]) {
          Annotations.of(this).addInfo(
            `Stream consumer ${consumer.id} (functions/${consumer.handler}.ts) is not deployed: it has no STREAM_CONSUMER_SETTINGS (infra/stacks/stream-consumers.ts)`,
          );
          continue;
        }
        this.streamConsumers[consumer.handler] = new StreamConsumerFunction(this, `${consumer.id}StreamConsumer`, {
          config,
          consumer,
          main,
          environment,
        });
      }
    }
    // Queues and their consumers (webhook deliveries); the Main table by name.
    const mainTableArn = this.formatArn({ service: 'dynamodb', resource: 'table', resourceName: tableName(config, mainTable.id) });
    for (const consumer of props.queueConsumers ?? allQueueConsumers) {
      this.queueConsumers[consumer.handler] = new QueueConsumerFunction(this, `${consumer.id}QueueConsumer`, {
        config,
        consumer,
        mainTableArn,
        environment,
      });
    }
  }

  private addS3Trigger(config: StageConfig, trigger: S3Trigger, environment: Record<string, string>): void {
    const settings = S3_TRIGGER_SETTINGS[trigger.handler];
    if (!settings) throw new Error(`No S3_TRIGGER_SETTINGS for functions/${trigger.handler}.ts (trigger ${trigger.id})`);

    const fn = new NodeFunction(this, `${trigger.id}Function`, {
      handler: trigger.handler,
      config,
      environment,
      memoryMb: settings.memoryMb,
      timeoutSeconds: settings.timeoutSeconds,
      description: `S3 trigger ${trigger.bucket}/${trigger.prefix}*: functions/${trigger.handler}.ts`,
    });
    settings.grant(fn, config);
    this.triggerFunctions[trigger.handler] = fn;

    const deadLetters = new Queue(this, `${trigger.id}DeadLetterQueue`, {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    acknowledge(
      deadLetters,
      'AwsSolutions-SQS3',
      'This queue is itself the dead-letter queue of the trigger (EventBridge target DLQ and the function’s on-failure destination); nothing consumes it automatically.',
    );
    this.deadLetterQueues[trigger.handler] = deadLetters;

    // Errors thrown by the handler: two more attempts, then the dead letters.
    fn.fn.configureAsyncInvoke({ retryAttempts: 2, maxEventAge: MAX_EVENT_AGE, onFailure: new SqsDestination(deadLetters) });

    new Rule(this, `${trigger.id}Rule`, {
      description: `Object created under ${trigger.prefix} in the ${trigger.bucket} bucket → functions/${trigger.handler}.ts`,
      eventPattern: {
        source: ['aws.s3'],
        detailType: ['Object Created'],
        detail: {
          bucket: { name: [bucketName(config, trigger.bucket)] },
          object: { key: [{ prefix: trigger.prefix }] },
        },
      },
      targets: [new LambdaFunction(fn.fn, { deadLetterQueue: deadLetters, retryAttempts: 8, maxEventAge: MAX_EVENT_AGE })],
    });

    deadLetterAlarm(deadLetters, 'DeadLettersAlarm', config, deadLetters, `${trigger.bucket} events that functions/${trigger.handler}.ts could not handle`);
    functionAlarms(fn, config);
  }
}

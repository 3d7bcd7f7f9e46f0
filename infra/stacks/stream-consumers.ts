/**
 * Consumers of the Main table's stream (infra/definitions/events.ts
 * streamConsumers; locally infra/local/stream-poller.ts calls the same
 * handlers): one function each behind an event source mapping that filters on
 * the item kind, retries a failing batch by halves, and sends what still fails
 * after a day or ten attempts to a dead-letter queue, so one poisoned record
 * never holds the shard back for good.
 */
import { Duration } from 'aws-cdk-lib';
import { ALARM_PERIOD, countAlarm, deadLetterAlarm, functionAlarms } from '../constructs/alarms.ts';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { FilterCriteria, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { StageConfig } from '../config/stages.ts';
import { NodeFunction } from '../constructs/node-function.ts';
import type { StreamConsumer } from '../definitions/events.ts';
import { webhookDeliveryQueue } from '../definitions/queues.ts';
import { queueArn } from '../config/names.ts';
import { acknowledge } from '../nag.ts';
import { grantSearchIndexWriter } from './search.ts';

export interface StreamConsumerSettings {
  memoryMb: number;
  timeoutSeconds: number;
  /** Exactly what the handler touches besides the stream (the mapping grants that). */
  grant: (fn: NodeFunction, main: ITable, config: StageConfig) => void;
  /** Concurrent batches per shard (records of one item stay in order); 1 when absent. */
  parallelizationFactor?: number;
}

/**
 * Every stream consumer handler with its memory, timeout and grants: new
 * handlers get no permissions by default. A consumer missing here is not
 * deployed (the events stack notes it at synth) until its grants are written.
 */
export const STREAM_CONSUMER_SETTINGS: Record<string, StreamConsumerSettings> = {
  // Folds declarations into counters and rankings: GetItem, BatchGetItem, Query and
  // transactions of Put, Update, Delete and ConditionCheck on the table, no index.
  'stats/aggregate-stream': {
    memoryMb: 1024,
    timeoutSeconds: 120,
    grant: (fn, main) =>
      fn.role.addToPrincipalPolicy(
        new PolicyStatement({
          actions: [
            'dynamodb:GetItem',
            'dynamodb:BatchGetItem',
            'dynamodb:Query',
            'dynamodb:PutItem',
            'dynamodb:UpdateItem',
            'dynamodb:DeleteItem',
            'dynamodb:ConditionCheckItem',
          ],
          resources: [main.tableArn],
        }),
      ),
    // Each declaration's records stay in order; different declarations fold
    // independently (conditional on their own versions), so two batches per shard may run.
    parallelizationFactor: 2,
  },
  // Finds the enabled webhooks of an event's scopes (gsi2), places a review by its
  // declaration (GetItem), writes deliveries (conditional PutItem) and queues them.
  'webhooks/publish-webhook-events': {
    memoryMb: 512,
    timeoutSeconds: 60,
    grant: (fn, main, config) => {
      fn.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['dynamodb:GetItem', 'dynamodb:PutItem'], resources: [main.tableArn] }));
      fn.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['dynamodb:Query'], resources: [`${main.tableArn}/index/gsi2`] }));
      fn.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [queueArn(config, webhookDeliveryQueue.id)] }));
    },
  },
  // Puts and deletes postings with BatchWriteItem in the Search table; reads nothing.
  'search/index-documents': {
    memoryMb: 512,
    timeoutSeconds: 60,
    grant: (fn, _main, config) => grantSearchIndexWriter(fn, config),
  },
};

/** A stream record older than this goes to the dead letters instead of being retried. */
const MAX_RECORD_AGE = Duration.days(1);

export class StreamConsumerFunction extends Construct {
  readonly function: NodeFunction;
  readonly deadLetters: Queue;

  constructor(
    scope: Construct,
    id: string,
    props: { config: StageConfig; consumer: StreamConsumer; main: ITable; environment: Record<string, string> },
  ) {
    super(scope, id);
    const { config, consumer, main } = props;
    const settings = STREAM_CONSUMER_SETTINGS[consumer.handler];
    if (!settings) throw new Error(`No STREAM_CONSUMER_SETTINGS for functions/${consumer.handler}.ts (consumer ${consumer.id})`);

    this.function = new NodeFunction(this, 'Function', {
      handler: consumer.handler,
      config,
      environment: props.environment,
      memoryMb: settings.memoryMb,
      timeoutSeconds: settings.timeoutSeconds,
      description: `Stream consumer ${consumer.id}: functions/${consumer.handler}.ts`,
    });
    settings.grant(this.function, main, config);

    this.deadLetters = new Queue(this, 'DeadLetterQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    acknowledge(
      this.deadLetters,
      'AwsSolutions-SQS3',
      'This queue is itself the on-failure destination of the stream mapping: it keeps the position of batches that failed for good, for an operator to replay.',
    );

    const kinds = consumer.kinds;
    this.function.fn.addEventSource(
      new DynamoEventSource(main, {
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: consumer.batchSize,
        maxBatchingWindow: consumer.batchingWindowSeconds ? Duration.seconds(consumer.batchingWindowSeconds) : undefined,
        parallelizationFactor: settings.parallelizationFactor,
        bisectBatchOnError: true,
        retryAttempts: 10,
        maxRecordAge: MAX_RECORD_AGE,
        onFailure: new SqsDlq(this.deadLetters),
        // The same filter as the local poller: the kind of the old or the new image.
        filters: kinds
          ? [
              FilterCriteria.filter({ dynamodb: { NewImage: { kind: { S: kinds } } } }),
              FilterCriteria.filter({ dynamodb: { OldImage: { kind: { S: kinds } } } }),
            ]
          : undefined,
      }),
    );
    acknowledge(
      this.function.role,
      'AwsSolutions-IAM5[Resource::*]',
      'dynamodb:ListStreams, which the stream mapping needs, supports no resource-level permissions; the stream reads themselves are granted on the Main table stream ARN only.',
    );

    deadLetterAlarm(this, 'DeadLettersAlarm', config, this.deadLetters, `stream batches functions/${consumer.handler}.ts could not handle`);
    functionAlarms(this.function, config, { scope: this });
    // Falling behind: the oldest record handled is more than five minutes old.
    countAlarm(
      this,
      'IteratorAgeAlarm',
      config,
      `functions/${consumer.handler}.ts is falling behind the table stream`,
      this.function.fn.metric('IteratorAge', { period: ALARM_PERIOD, statistic: 'Maximum' }),
      5 * 60 * 1000,
    );
  }
}

/**
 * Stateful resources: tables, buckets and the token-signing key. Kept apart
 * from the API so that functions and routes can be redeployed (or the API
 * stack destroyed) without touching data.
 */
import { Aws, CfnOutput, Duration, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { MathExpression, Metric } from 'aws-cdk-lib/aws-cloudwatch';
import { ALARM_PERIOD, countAlarm } from '../constructs/alarms.ts';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import {
  AttributeType,
  BillingMode,
  ProjectionType,
  StreamViewType,
  Table,
  TableEncryption,
} from 'aws-cdk-lib/aws-dynamodb';
import { Key, KeySpec, KeyUsage } from 'aws-cdk-lib/aws-kms';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  HttpMethods,
  ObjectOwnership,
} from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { buckets, type KeyDefinition, tables } from '../definitions/tables.ts';
import { s3Triggers } from '../definitions/events.ts';
import { enableEventBridgeNotifications } from './events-stack.ts';
import { configureMaterialsBucket } from './materials.ts';
import { configureBatchesBucket } from './batches.ts';
import { alarmTopicName, bucketName, signingKeyAlias, tableName } from '../config/names.ts';
import type { StageConfig } from '../config/stages.ts';

export interface StatefulStackProps extends StackProps {
  config: StageConfig;
}

const attribute = (key: KeyDefinition) => ({
  name: key.name,
  type: key.type === 'N' ? AttributeType.NUMBER : AttributeType.STRING,
});

export class StatefulStack extends Stack {
  readonly tables: Record<string, Table> = {};
  readonly buckets: Record<string, Bucket> = {};
  readonly accessLogsBucket: Bucket;
  readonly signingKey: Key;
  readonly alarmTopic: Topic;

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
    super(scope, id, props);
    const { config } = props;
    this.alarmTopic = this.createAlarmTopic(config);

    for (const definition of tables) {
      const table = new Table(this, `${definition.id}Table`, {
        tableName: tableName(config, definition.id),
        partitionKey: attribute(definition.partitionKey),
        sortKey: definition.sortKey ? attribute(definition.sortKey) : undefined,
        billingMode: BillingMode.PAY_PER_REQUEST,
        encryption: TableEncryption.AWS_MANAGED,
        pointInTimeRecoverySpecification: {
          pointInTimeRecoveryEnabled: config.data.pointInTimeRecovery,
        },
        deletionProtection: config.data.deletionProtection,
        removalPolicy: config.removalPolicy,
        timeToLiveAttribute: definition.timeToLiveAttribute,
        stream: definition.stream ? StreamViewType[definition.stream] : undefined,
      });
      for (const index of definition.globalSecondaryIndexes) {
        table.addGlobalSecondaryIndex({
          indexName: index.indexName,
          partitionKey: attribute(index.partitionKey),
          sortKey: attribute(index.sortKey),
          projectionType: ProjectionType.ALL,
        });
      }
      if (!config.data.pointInTimeRecovery) {
        Validations.of(table).acknowledge({
          id: 'AwsSolutions-DDB3',
          reason: `Stage ${config.stage} holds disposable test data; point-in-time recovery is on in prod.`,
        });
      }
      this.tables[definition.id] = table;
      this.addThrottleAlarm(config, definition.id, table, definition.globalSecondaryIndexes.map((index) => index.indexName));
      new CfnOutput(this, `${definition.id}TableName`, { value: table.tableName });
    }

    // Server access logs of the data buckets. SSE-S3 because log delivery
    // cannot write to SSE-KMS buckets. It logs nowhere itself (it would log its
    // own deliveries); AwsSolutions-S1 accepts a bucket that is a log target.
    this.accessLogsBucket = new Bucket(this, 'AccessLogsBucket', {
      bucketName: bucketName(config, 'AccessLogs'),
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      removalPolicy: config.removalPolicy,
      lifecycleRules: [{ expiration: Duration.days(config.data.accessLogRetentionDays) }],
    });
    for (const definition of buckets) {
      this.buckets[definition.id] = new Bucket(this, `${definition.id}Bucket`, {
        bucketName: bucketName(config, definition.id),
        blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
        objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
        encryption: BucketEncryption.S3_MANAGED,
        enforceSSL: true,
        minimumTLSVersion: 1.2,
        versioned: true,
        serverAccessLogsBucket: this.accessLogsBucket,
        serverAccessLogsPrefix: `${definition.id.toLowerCase()}/`,
        removalPolicy: config.removalPolicy,
        // Browsers upload with presigned POST and download with presigned GET.
        cors:
          config.cors.allowedOrigins.length > 0
            ? [
                {
                  allowedOrigins: config.cors.allowedOrigins,
                  allowedMethods: [HttpMethods.GET, HttpMethods.POST, HttpMethods.HEAD],
                  allowedHeaders: ['*'],
                  exposedHeaders: ['ETag', 'Location'],
                  maxAge: 3600,
                },
              ]
            : undefined,
        lifecycleRules: [
          {
            noncurrentVersionExpiration: Duration.days(config.data.noncurrentVersionDays),
            abortIncompleteMultipartUploadAfter: Duration.days(1),
            expiredObjectDeleteMarker: true,
          },
        ],
      });
    }

    // Buckets with S3 triggers send their events to EventBridge; the events stack's
    // rules route them (no reference from here to any function: see events-stack.ts).
    for (const id of new Set(s3Triggers.map((trigger) => trigger.bucket))) {
      enableEventBridgeNotifications(this.buckets[id]!);
    }
    configureMaterialsBucket(this.buckets.Materials!);
    configureBatchesBucket(this.buckets.Batches!);

    // ES256 token signing; the private key never leaves KMS.
    this.signingKey = new Key(this, 'TokenSigningKey', {
      description: `Signs ${config.stage} access tokens (ES256)`,
      keySpec: KeySpec.ECC_NIST_P256,
      keyUsage: KeyUsage.SIGN_VERIFY,
      alias: signingKeyAlias(config),
      removalPolicy: config.removalPolicy,
      pendingWindow: config.removalPolicy === RemovalPolicy.RETAIN ? Duration.days(30) : Duration.days(7),
    });
    // Asymmetric keys cannot rotate automatically (AwsSolutions-KMS5 only checks symmetric
    // keys, so nothing to acknowledge): rotate by adding a key and publishing both in the JWKS.
  }

  /**
   * The topic every alarm of the stage notifies. Here because every other
   * stack is deployed after this one, so they can address it by name.
   * Encrypted with a key of its own: CloudWatch cannot publish to a topic
   * encrypted with the AWS-managed SNS key.
   */
  private createAlarmTopic(config: StageConfig): Topic {
    const key = new Key(this, 'AlarmTopicKey', {
      description: `Encrypts the ${config.stage} alarm notifications`,
      enableKeyRotation: true,
      removalPolicy: config.removalPolicy,
      pendingWindow: Duration.days(7),
    });
    // Only this account's alarms may use the key and publish: the topic policy that
    // enforceSSL creates replaces SNS's default one, so CloudWatch needs its own Allow.
    const fromOwnAlarms = {
      StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
      ArnLike: { 'aws:SourceArn': `arn:${Aws.PARTITION}:cloudwatch:${Aws.REGION}:${Aws.ACCOUNT_ID}:alarm:*` },
    };
    key.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'], // in a key policy, "*" is this key
        conditions: fromOwnAlarms,
      }),
    );
    const topic = new Topic(this, 'AlarmTopic', {
      topicName: alarmTopicName(config),
      displayName: `Benchmarking platform ${config.stage} alarms`,
      masterKey: key,
      enforceSSL: true,
    });
    topic.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [topic.topicArn],
        conditions: fromOwnAlarms,
      }),
    );
    const emails = [...config.alarms.emails];
    const fromContext = this.node.tryGetContext('alarmEmail') as string | undefined;
    if (fromContext) emails.push(...fromContext.split(',').map((email) => email.trim()).filter(Boolean));
    for (const email of new Set(emails)) topic.addSubscription(new EmailSubscription(email));
    new CfnOutput(this, 'AlarmTopicArn', {
      value: topic.topicArn,
      description: 'Subscribe on-call addresses, chat or paging to this topic: every alarm of the stage notifies it',
    });
    return topic;
  }

  /** Throttled reads or writes on a table or its indexes (on-demand tables throttle too: at partition limits and while scaling). */
  private addThrottleAlarm(config: StageConfig, id: string, table: Table, indexNames: string[]): void {
    // The table's own throttle events, and each index's (they carry the index's name as a dimension).
    const usingMetrics: Record<string, Metric> = {};
    for (const [n, indexName] of [undefined, ...indexNames].entries()) {
      const dimensionsMap: Record<string, string> = { TableName: table.tableName };
      if (indexName) dimensionsMap.GlobalSecondaryIndexName = indexName;
      for (const metricName of ['ReadThrottleEvents', 'WriteThrottleEvents']) {
        usingMetrics[`${metricName.startsWith('Read') ? 'r' : 'w'}${n}`] = new Metric({ namespace: 'AWS/DynamoDB', metricName, dimensionsMap, period: ALARM_PERIOD, statistic: 'Sum' });
      }
    }
    const alarm = countAlarm(
      table,
      'ThrottlesAlarm',
      config,
      `throttled requests on the ${id} table or its indexes`,
      new MathExpression({
        label: `${id} throttle events`,
        expression: Object.keys(usingMetrics).map((name) => `FILL(${name}, 0)`).join(' + '),
        usingMetrics,
        period: ALARM_PERIOD,
      }),
      config.alarms.tableThrottles,
    );
    // Its action names the topic by ARN (infra/constructs/alarm-notifications.ts): create the topic first.
    alarm.node.addDependency(this.alarmTopic);
  }
}

/**
 * Physical names of stateful resources, derived from the stage prefix.
 * The API stack addresses tables and buckets by these names rather than by
 * cross-stack exports, so its IAM resources are readable, stable strings
 * (and the stacks stay independently deployable).
 */
import { Arn, ArnFormat, Aws } from 'aws-cdk-lib';
import type { StageConfig } from './stages.ts';

const kebab = (id: string) => id.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();

export const statefulStackName = (config: StageConfig) => `${config.prefix}-stateful`;
export const apiStackName = (config: StageConfig) => `${config.prefix}-api`;
export const workflowStackName = (config: StageConfig) => `${config.prefix}-workflows`;
export const eventsStackName = (config: StageConfig) => `${config.prefix}-events`;
export const batchStackName = (config: StageConfig) => `${config.prefix}-batches`;

/** `benchmarking-dev-main` for the table definition `Main`. */
export const tableName = (config: StageConfig, id: string) => `${config.prefix}-${kebab(id)}`;

/** Bucket names are global: account and region make them unique. */
export const bucketName = (config: StageConfig, id: string) =>
  `${config.prefix}-${kebab(id)}-${Aws.ACCOUNT_ID}-${Aws.REGION}`;

export const signingKeyAlias = (config: StageConfig) => `alias/${config.prefix}-token-signing`;

/** The usage plan that throttles every client; functions find its id by this name. */
export const usagePlanName = (config: StageConfig) => `${config.prefix}-default`;

/** `benchmarking-dev-webhook-deliveries` for the queue `WebhookDeliveries`. */
export const queueName = (config: StageConfig, id: string) => `${config.prefix}-${kebab(id)}`;

/** By name, like the state machine ARN: producers need no export of the consumer's stack. */
export const queueArn = (config: StageConfig, id: string) =>
  Arn.format({ partition: Aws.PARTITION, service: 'sqs', region: Aws.REGION, account: Aws.ACCOUNT_ID, resource: queueName(config, id) });

export const queueUrl = (config: StageConfig, id: string) =>
  `https://sqs.${Aws.REGION}.${Aws.URL_SUFFIX}/${Aws.ACCOUNT_ID}/${queueName(config, id)}`;

/** `benchmarking-dev-comparison` for the workflow `comparison`. */
export const stateMachineName = (config: StageConfig, workflow: string) => `${config.prefix}-${kebab(workflow)}`;

/**
 * Built from the name, so the API stack needs no export of the workflow stack
 * and its StartExecution grant is on a readable, exact ARN.
 */
export const stateMachineArn = (config: StageConfig, workflow: string) =>
  Arn.format({
    partition: Aws.PARTITION,
    service: 'states',
    region: Aws.REGION,
    account: Aws.ACCOUNT_ID,
    resource: 'stateMachine',
    resourceName: stateMachineName(config, workflow),
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });

export const monitoringStackName = (config: StageConfig) => `${config.prefix}-monitoring`;

/** Every alarm of the stage notifies this topic (infra/constructs/alarm-notifications.ts). */
export const alarmTopicName = (config: StageConfig) => `${config.prefix}-alarms`;

/** By name: alarms in every stack notify the stateful stack's topic without an export. */
export const alarmTopicArn = (config: StageConfig) =>
  Arn.format({ partition: Aws.PARTITION, service: 'sns', region: Aws.REGION, account: Aws.ACCOUNT_ID, resource: alarmTopicName(config) });

export const dashboardName = (config: StageConfig) => `${config.prefix}-overview`;

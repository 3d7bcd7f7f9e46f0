/**
 * Builds the CDK app for one stage. infra/app.ts (the entry cdk.json names)
 * and the infra tests both use it, so tests check exactly what deploys.
 */
import { App, type AppProps, Aspects, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import {
  alarmTopicArn,
  apiStackName,
  batchStackName,
  eventsStackName,
  monitoringStackName,
  statefulStackName,
  workflowStackName,
} from './config/names.ts';
import { type StageConfig, stageConfig } from './config/stages.ts';
import { ApiStack } from './stacks/api-stack.ts';
import { BatchStack } from './stacks/batch-stack.ts';
import { NotifyAlarmTopic } from './constructs/alarm-notifications.ts';
import { EventsStack } from './stacks/events-stack.ts';
import { MonitoringStack } from './stacks/monitoring-stack.ts';
import { StatefulStack } from './stacks/stateful-stack.ts';
import { WorkflowStack } from './stacks/workflow-stack.ts';
import { comparisonWorkflow } from './workflows/index.ts';

/**
 * Feature flags this app relies on, as defaults under whatever cdk.json sets
 * (CLI context wins over these).
 */
export const FEATURE_FLAGS = {
  // Server access log delivery through a bucket policy: ACLs are disabled on our buckets.
  '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy': true,
  // Authorizer changes must redeploy the stage.
  '@aws-cdk/aws-apigateway:authorizerChangeDeploymentLogicalId': true,
  '@aws-cdk/aws-apigateway:requestValidatorUniqueId': true,
  '@aws-cdk/aws-apigateway:usagePlanKeyOrderInsensitiveId': true,
  '@aws-cdk/aws-apigateway:logGroupDestinationArnWithoutWildcard': true,
  '@aws-cdk/aws-kms:aliasNameRef': true,
  // The API imports the signing key ARN: keep the export protected while it is used.
  '@aws-cdk/core:defaultCrossStackReferences': 'strong',
} as const;

export interface PlatformApp {
  app: App;
  config: StageConfig;
  stateful: StatefulStack;
  workflows: WorkflowStack;
  api: ApiStack;
  events: EventsStack;
  batches: BatchStack;
  monitoring: MonitoringStack;
}

export function createApp(props: AppProps & { stage?: string } = {}): PlatformApp {
  const app = new App({ ...props, context: { ...FEATURE_FLAGS, ...props.context } });
  const config = stageConfig(props.stage ?? app.node.tryGetContext('stage') ?? 'dev');

  // Env-agnostic stacks: synth needs no credentials and no lookups.
  const stateful = new StatefulStack(app, statefulStackName(config), {
    stackName: statefulStackName(config),
    description: `Benchmarking platform ${config.stage}: tables, buckets, token-signing key`,
    config,
    terminationProtection: config.stage === 'prod',
  });
  const workflows = new WorkflowStack(app, workflowStackName(config), {
    stackName: workflowStackName(config),
    description: `Benchmarking platform ${config.stage}: Step Functions workflows and their task functions`,
    config,
    signingKey: stateful.signingKey,
    workflows: [comparisonWorkflow],
  });
  workflows.addStackDependency(stateful, 'tables and buckets are addressed by name');
  // The batch workflow (Standard, a Distributed Map) has a stack of its own.
  const batches = new BatchStack(app, batchStackName(config), {
    stackName: batchStackName(config),
    description: `Benchmarking platform ${config.stage}: batch ingestion workflow and its task functions`,
    config,
    signingKey: stateful.signingKey,
  });
  batches.addStackDependency(stateful, 'tables and buckets are addressed by name');
  const api = new ApiStack(app, apiStackName(config), {
    stackName: apiStackName(config),
    description: `Benchmarking platform ${config.stage}: REST API and functions`,
    config,
    signingKey: stateful.signingKey,
  });
  // Tables and buckets are addressed by name, so make the order explicit.
  api.addStackDependency(stateful, 'tables and buckets are addressed by name');
  // The API starts executions by the state machine's name-derived ARN.
  api.addStackDependency(workflows, 'the comparison state machine is addressed by name');

  const events = new EventsStack(app, eventsStackName(config), {
    stackName: eventsStackName(config),
    description: `Benchmarking platform ${config.stage}: functions triggered by bucket events (material verification) and by the table stream (search index)`,
    config,
    signingKey: stateful.signingKey,
    mainTableStreamArn: stateful.tables.Main!.tableStreamArn,
  });
  // Rules match the buckets by name; the buckets must send their events first.
  events.addStackDependency(stateful, 'buckets are matched by name and send their events to EventBridge');
  // The upload trigger starts the batch state machine by its name-derived ARN.
  events.addStackDependency(batches, 'the batch state machine is addressed by name');

  const monitoring = new MonitoringStack(app, monitoringStackName(config), {
    stackName: monitoringStackName(config),
    description: `Benchmarking platform ${config.stage}: CloudWatch dashboard`,
    config,
  });
  for (const stack of [workflows, batches, api, events]) {
    monitoring.addStackDependency(stack, 'the dashboard shows their metrics by name');
  }
  // Every alarm, in every stack, notifies the stateful stack's topic.
  Aspects.of(app).add(new NotifyAlarmTopic(alarmTopicArn(config)));

  Tags.of(app).add('project', 'benchmarking-platform');
  Tags.of(app).add('stage', config.stage);
  Tags.of(app).add('managed-by', 'cdk');

  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, config, stateful, workflows, api, events, batches, monitoring };
}

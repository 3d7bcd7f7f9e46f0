/**
 * Observability as a deployer sees it: every alarm of every stack notifies one
 * encrypted topic, tables and workflows have alarms of their own, and one
 * dashboard shows the stage.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stages, type Stage } from '../../infra/config/stages.ts';
import { createApp } from '../../infra/create-app.ts';
import { tables } from '../../infra/definitions/tables.ts';
import { workflows } from '../../infra/workflows/index.ts';
import { Template } from 'aws-cdk-lib/assertions';
import { resourcesOf, SYNTH_TIMEOUT_MS, type Synthesized, synthStage } from './synth.ts';

describe.each<Stage>(['dev', 'prod'])('monitoring (%s)', (stage) => {
  const config = stages[stage];
  let synth: Synthesized;

  beforeAll(() => {
    synth = synthStage(stage);
  }, SYNTH_TIMEOUT_MS);
  afterAll(() => synth?.cleanup());

  const alarms = () =>
    synth.stacks.flatMap(({ stack, json }) => resourcesOf(json, 'AWS::CloudWatch::Alarm').map(([id, alarm]) => ({ stack: stack.node.path, id, alarm })));
  const text = (value: unknown) => JSON.stringify(value);

  it('sends every alarm of every stack, nested ones included, to the alarm topic when it fires and when it recovers', () => {
    const all = alarms();
    expect(all.length).toBeGreaterThan(100);
    for (const { stack, id, alarm } of all) {
      for (const actions of [alarm.Properties.AlarmActions, alarm.Properties.OKActions]) {
        expect(actions, `${stack}/${id}`).toHaveLength(1);
        expect(text(actions), `${stack}/${id}`).toContain(`:${config.prefix}-alarms`);
      }
    }
  });

  it('has one alarm topic, encrypted with a rotating key CloudWatch may use, TLS only', () => {
    const stateful = synth.json.stateful;
    const topics = resourcesOf(stateful, 'AWS::SNS::Topic');
    expect(topics).toHaveLength(1);
    const [, topic] = topics[0]!;
    expect(topic.Properties.TopicName).toBe(`${config.prefix}-alarms`);
    const keyId = topic.Properties.KmsMasterKeyId['Fn::GetAtt'][0];
    const key = stateful.Resources[keyId]!;
    expect(key.Properties.EnableKeyRotation).toBe(true);
    const cloudwatch = key.Properties.KeyPolicy.Statement.find(
      (statement: any) => statement.Principal?.Service === 'cloudwatch.amazonaws.com',
    );
    expect(cloudwatch.Action).toEqual(expect.arrayContaining(['kms:Decrypt', 'kms:GenerateDataKey*']));
    expect(text(cloudwatch.Condition)).toContain('aws:SourceAccount');
    const [, policy] = resourcesOf(stateful, 'AWS::SNS::TopicPolicy')[0]!;
    const statements = policy.Properties.PolicyDocument.Statement;
    expect(statements).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    );
    // The policy replaces SNS's default: without this Allow no alarm could publish.
    const publish = statements.find((statement: any) => statement.Effect === 'Allow' && statement.Principal?.Service === 'cloudwatch.amazonaws.com');
    expect(publish.Action).toBe('sns:Publish');
    expect(text(publish.Condition)).toContain(':alarm:*');
    expect(publish.Condition.StringEquals).toEqual({ 'aws:SourceAccount': { Ref: 'AWS::AccountId' } });
    expect(Object.keys(synth.json.stateful.Outputs ?? {})).toContain('AlarmTopicArn');
  });

  it('alarms on throttling of each table and its indexes', () => {
    const throttles = resourcesOf(synth.json.stateful, 'AWS::CloudWatch::Alarm').map(([, alarm]) => text(alarm.Properties.Metrics));
    for (const definition of tables) {
      const [tableId] = resourcesOf(synth.json.stateful, 'AWS::DynamoDB::Table').find(
        ([, table]) => table.Properties.TableName === `${config.prefix}-${definition.id.toLowerCase()}`,
      )!;
      const alarm = throttles.find((metrics) => metrics.includes('ReadThrottleEvents') && metrics.includes('WriteThrottleEvents') && metrics.includes(`{"Ref":"${tableId}"}`));
      expect(alarm, definition.id).toBeDefined();
      for (const index of definition.globalSecondaryIndexes) expect(alarm, index.indexName).toContain(`"Value":"${index.indexName}"`);
    }
  });

  it('alarms on failed executions of each workflow', () => {
    const failed = alarms().filter(({ alarm }) => alarm.Properties.MetricName === 'ExecutionsFailed');
    expect(failed.map(({ stack }) => stack).sort()).toEqual([`${config.prefix}-batches`, `${config.prefix}-workflows`]);
  });

  it('alarms on errors or throttles of every function the platform owns, and on every dead-letter queue', () => {
    const functionAlarms = alarms()
      .filter(({ alarm }) => alarm.Properties.Namespace === 'AWS/Lambda' && ['Errors', 'Throttles'].includes(alarm.Properties.MetricName))
      .map(({ alarm }) => text(alarm.Properties.Dimensions));
    for (const { stack, json } of synth.stacks) {
      for (const [id, fn] of resourcesOf(json, 'AWS::Lambda::Function')) {
        // CDK's own provider functions (log retention, bucket notifications) have no description of ours.
        if (!String(fn.Properties.Description ?? '').includes('functions/')) continue;
        expect(functionAlarms.some((dimensions) => dimensions.includes(`"${id}"`)), `${stack.node.path}/${id}`).toBe(true);
      }
    }
    const queueAlarms = alarms()
      .filter(({ alarm }) => alarm.Properties.Namespace === 'AWS/SQS')
      .map(({ alarm }) => text(alarm.Properties.Dimensions));
    for (const { stack, json } of synth.stacks) {
      for (const [id] of resourcesOf(json, 'AWS::SQS::Queue').filter(([id]) => id.includes('DeadLetter'))) {
        expect(queueAlarms.some((dimensions) => dimensions.includes(`"${id}"`)), `${stack.node.path}/${id}`).toBe(true);
      }
    }
  });

  it('has one dashboard showing the API, functions, workflows, queues and every table of the stage', () => {
    const dashboards = resourcesOf(synth.json.monitoring, 'AWS::CloudWatch::Dashboard');
    expect(dashboards).toHaveLength(1);
    const [, dashboard] = dashboards[0]!;
    expect(dashboard.Properties.DashboardName).toBe(`${config.prefix}-overview`);
    const body = text(dashboard.Properties.DashboardBody);
    expect(body).toContain(`${config.prefix}-api`);
    expect(body).toContain('5XXError');
    expect(body).toContain(`SEARCH('{AWS/Lambda,FunctionName} MetricName=\\\\\\"Errors\\\\\\" \\\\\\"${config.prefix}\\\\\\"`);
    for (const workflow of workflows) expect(body).toContain(`stateMachine:${config.prefix}-${workflow.name}`);
    for (const definition of tables) expect(body).toContain(`${config.prefix}-${definition.id.toLowerCase()}`);
    // By name only: the dashboard never holds another stack's export.
    expect(body).not.toContain('Fn::ImportValue');
  });
});

describe('alarm subscriptions', () => {
  it('subscribes the addresses given with -c alarmEmail', () => {
    const { app, stateful } = createApp({
      stage: 'dev',
      context: { 'aws:cdk:bundling-stacks': [], alarmEmail: 'ops@example.com, duty@example.com' },
    });
    app.synth();
    const template = Template.fromStack(stateful);
    template.resourceCountIs('AWS::SNS::Subscription', 2);
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'duty@example.com' });
  }, SYNTH_TIMEOUT_MS);
});

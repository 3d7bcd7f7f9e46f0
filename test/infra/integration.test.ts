/**
 * Province integration on AWS: per-client throttling (usage plan keys required,
 * a key per client managed by the client handlers), the authorizer cache flush,
 * and the webhook pipeline (the stream consumer, the delivery queue and its
 * consumer), each with exactly the permissions it needs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stages, type Stage } from '../../infra/config/stages.ts';
import { queueConsumers, webhookDeliveryQueue } from '../../infra/definitions/queues.ts';
import { streamConsumers } from '../../infra/definitions/events.ts';
import { LOCAL_CLIENT_THROTTLE } from '../../infra/local/runtime.ts';
import { CLIENT_KEY_HANDLERS } from '../../infra/stacks/client-keys.ts';
import { routes } from '../../shared/http/routes.ts';
import { type CfnTemplate, methodPath, resourcesOf, SYNTH_TIMEOUT_MS, type Synthesized, synthStage } from './synth.ts';

const asArray = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

/** Allow statements of every policy attached to a function's role. */
function statementsOf(template: CfnTemplate, fn: { Properties: any }) {
  const roleId = fn.Properties.Role['Fn::GetAtt'][0];
  return resourcesOf(template, 'AWS::IAM::Policy')
    .filter(([, policy]) => asArray(policy.Properties.Roles).some((role: any) => role.Ref === roleId))
    .flatMap(([, policy]) => asArray<any>(policy.Properties.PolicyDocument.Statement));
}

function functionOf(template: CfnTemplate, description: string) {
  const found = resourcesOf(template, 'AWS::Lambda::Function').find(([, fn]) => fn.Properties.Description === description);
  expect(found, description).toBeDefined();
  return found![1];
}

const text = (value: unknown) => JSON.stringify(value);
const actionsOn = (statements: any[], prefix: string) => statements.flatMap((s) => asArray<string>(s.Action)).filter((a) => a.startsWith(prefix));

describe.each<Stage>(['dev', 'prod'])('province integration on AWS (%s)', (stage) => {
  const config = stages[stage];
  let synth: Synthesized;
  let api: CfnTemplate;
  let events: CfnTemplate;

  beforeAll(() => {
    synth = synthStage(stage);
    api = synth.json.api;
    events = synth.json.events;
  }, SYNTH_TIMEOUT_MS);
  afterAll(() => synth?.cleanup());

  it('requires the authorizer’s API key on every bearer method, none on public ones', () => {
    expect(config.api.usagePlanKeyRequired).toBe(true);
    synth.templates.api.hasResourceProperties('AWS::ApiGateway::RestApi', { ApiKeySourceType: 'AUTHORIZER' });
    const methods = resourcesOf(api, 'AWS::ApiGateway::Method').filter(([, m]) => m.Properties.HttpMethod !== 'OPTIONS');
    expect(methods.length).toBe(routes.length);
    for (const [, method] of methods) {
      const label = `${method.Properties.HttpMethod} ${methodPath(api, method)}`;
      expect(method.Properties.ApiKeyRequired ?? false, label).toBe(method.Properties.AuthorizationType === 'CUSTOM');
    }
  });

  it('throttles each client by the usage plan named for the stage, as the local runtime does for dev', () => {
    synth.templates.api.hasResourceProperties('AWS::ApiGateway::UsagePlan', {
      UsagePlanName: `${config.prefix}-default`,
      Throttle: { RateLimit: config.api.clientThrottle.rateLimit, BurstLimit: config.api.clientThrottle.burstLimit },
    });
    expect(api.Outputs?.UsagePlanName?.Value).toBe(`${config.prefix}-default`);
    if (stage === 'dev') expect(LOCAL_CLIENT_THROTTLE).toEqual(config.api.clientThrottle);
  });

  it('lets only the client handlers manage API keys and flush the authorizer cache, on exact resources', () => {
    const [usagePlanId] = resourcesOf(api, 'AWS::ApiGateway::UsagePlan')[0]!;
    const [restApiId] = resourcesOf(api, 'AWS::ApiGateway::RestApi')[0]!;
    for (const route of routes) {
      const fn = functionOf(api, `${route.method} ${route.path}`);
      const statements = statementsOf(api, fn);
      const capabilities = CLIENT_KEY_HANDLERS[route.handler];
      const apigateway = statements.filter((s) => actionsOn([s], 'apigateway:').length > 0);
      if (!capabilities) {
        expect(apigateway, route.handler).toEqual([]);
        expect(fn.Properties.Environment.Variables.REST_API_ID, route.handler).toBeUndefined();
        continue;
      }
      const byAction = (action: string) => apigateway.filter((s) => asArray(s.Action).includes(action)).flatMap((s) => asArray(s.Resource)).map(text);
      const deletes = byAction('apigateway:DELETE').join(' ');
      expect(deletes, route.handler).toContain('::/apikeys/*');
      if (capabilities.includes('provision')) {
        expect(byAction('apigateway:GET').join(' '), route.handler).toContain('::/usageplans"');
        const posts = byAction('apigateway:POST').join(' ');
        expect(posts).toContain('::/apikeys"');
        expect(posts).toContain(`{"Ref":"${usagePlanId}"},"/keys"`);
      } else {
        expect(byAction('apigateway:POST'), route.handler).toEqual([]);
      }
      if (capabilities.includes('flush')) {
        expect(deletes, route.handler).toContain(`{"Ref":"${restApiId}"},"/stages/${stage}/cache/authorizers"`);
        expect(fn.Properties.Environment.Variables.REST_API_ID).toEqual({ Ref: restApiId });
      } else {
        expect(deletes, route.handler).not.toContain('cache/authorizers');
      }
      for (const statement of apigateway) expect(asArray(statement.Action).every((a: string) => /^apigateway:(GET|POST|DELETE)$/.test(a))).toBe(true);
    }
    expect(Object.keys(CLIENT_KEY_HANDLERS).every((handler) => routes.some((route) => route.handler === handler))).toBe(true);
  });

  it('gives functions the usage plan name, the stage and the delivery queue’s URL by name', () => {
    for (const template of [api, events]) {
      for (const [, fn] of resourcesOf(template, 'AWS::Lambda::Function')) {
        const variables = fn.Properties.Environment?.Variables ?? {};
        if (!variables.STAGE) continue; // CDK's own helper functions
        expect(variables).toMatchObject({ USAGE_PLAN_NAME: `${config.prefix}-default`, API_STAGE: stage });
        expect(text(variables.WEBHOOK_QUEUE_URL)).toContain(`/${config.prefix}-webhook-deliveries`);
      }
    }
  });

  it('queues deliveries on an encrypted, TLS-only queue with a dead-letter queue, longer-lived than the retries', () => {
    const queues = resourcesOf(events, 'AWS::SQS::Queue');
    const [, queue] = queues.find(([, q]) => q.Properties.QueueName === `${config.prefix}-webhook-deliveries`)!;
    expect(queue.Properties).toMatchObject({
      SqsManagedSseEnabled: true,
      VisibilityTimeout: webhookDeliveryQueue.visibilityTimeoutSeconds,
      MessageRetentionPeriod: webhookDeliveryQueue.retentionSeconds,
      RedrivePolicy: { maxReceiveCount: webhookDeliveryQueue.maxReceiveCount },
    });
    expect(webhookDeliveryQueue.retentionSeconds).toBeGreaterThan(24 * 3600);
    const [deadLetterId] = queues.find(([, q]) => q.Properties.QueueName === `${config.prefix}-webhook-deliveries-dead-letters`)!;
    expect(queue.Properties.RedrivePolicy.deadLetterTargetArn).toEqual({ 'Fn::GetAtt': [deadLetterId, 'Arn'] });
    const policies = resourcesOf(events, 'AWS::SQS::QueuePolicy').map(([, p]) => text(p.Properties));
    expect(policies.some((p) => p.includes('aws:SecureTransport') && p.includes('"Deny"'))).toBe(true);
  });

  it('runs the delivery function from the queue with batch item failures, with only the access it needs', () => {
    expect(queueConsumers.map((q) => q.handler)).toEqual(['webhooks/deliver-webhook']);
    const fn = functionOf(events, 'Queue consumer WebhookDeliveries: functions/webhooks/deliver-webhook.ts');
    const [fnId] = resourcesOf(events, 'AWS::Lambda::Function').find(([, f]) => f === fn)!;
    const [queueId] = resourcesOf(events, 'AWS::SQS::Queue').find(([, q]) => q.Properties.QueueName === `${config.prefix}-webhook-deliveries`)!;
    const mapping = resourcesOf(events, 'AWS::Lambda::EventSourceMapping').find(([, m]) => m.Properties.FunctionName?.Ref === fnId)!;
    expect(mapping[1].Properties).toMatchObject({
      EventSourceArn: { 'Fn::GetAtt': [queueId, 'Arn'] },
      BatchSize: webhookDeliveryQueue.batchSize,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    expect(webhookDeliveryQueue.visibilityTimeoutSeconds).toBeGreaterThanOrEqual(6 * fn.Properties.Timeout);
    const statements = statementsOf(events, fn);
    expect(actionsOn(statements, 'dynamodb:').sort()).toEqual(['dynamodb:GetItem', 'dynamodb:UpdateItem']);
    const dynamo = statements.filter((s) => actionsOn([s], 'dynamodb:').length > 0).flatMap((s) => asArray(s.Resource)).map(text).join(' ');
    expect(dynamo).toContain(`table/${config.prefix}-main`);
    expect(dynamo).not.toContain('index');
    const visibility = statements.find((s) => asArray(s.Action).includes('sqs:ChangeMessageVisibility'));
    expect(visibility.Resource).toEqual({ 'Fn::GetAtt': [queueId, 'Arn'] });
    expect(actionsOn(statements, 'sqs:SendMessage')).toEqual([]);
  });

  it('publishes webhook events from the table stream, filtered to comparisons, batches and reviews', () => {
    const consumer = streamConsumers.find((c) => c.handler === 'webhooks/publish-webhook-events')!;
    expect(consumer.kinds?.sort()).toEqual(['batch', 'comparison', 'review']);
    const fn = functionOf(events, `Stream consumer ${consumer.id}: functions/${consumer.handler}.ts`);
    const [fnId] = resourcesOf(events, 'AWS::Lambda::Function').find(([, f]) => f === fn)!;
    const [, mapping] = resourcesOf(events, 'AWS::Lambda::EventSourceMapping').find(([, m]) => m.Properties.FunctionName?.Ref === fnId)!;
    expect(text(mapping.Properties.EventSourceArn)).toContain('Stream');
    expect(text(mapping.Properties.FilterCriteria)).toContain('comparison');
    const statements = statementsOf(events, fn);
    const send = statements.find((s) => asArray(s.Action).includes('sqs:SendMessage'));
    expect(text(send.Resource)).toContain(`:${config.prefix}-webhook-deliveries"`);
    const query = statements.find((s) => asArray(s.Action).includes('dynamodb:Query'));
    expect(text(query.Resource)).toContain(`table/${config.prefix}-main/index/gsi2`);
    expect(text(query.Resource)).not.toContain('*');
    expect(actionsOn(statements, 'dynamodb:').filter((a) => !['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query'].includes(a) && !a.includes('Stream') && !a.includes('Shard') && a !== 'dynamodb:GetRecords')).toEqual([]);
  });
});

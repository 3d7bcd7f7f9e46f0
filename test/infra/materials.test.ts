/**
 * Materials on AWS: the bucket (public access blocked, encryption, TLS only,
 * versioning, CORS, lifecycle, events to EventBridge), the verification
 * trigger (rule, retries, dead letters) and grants limited to prefixes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stages, type Stage } from '../../infra/config/stages.ts';
import { s3Triggers } from '../../infra/definitions/events.ts';
import { S3_TRIGGER_SETTINGS } from '../../infra/stacks/events-stack.ts';
import { routes } from '../../shared/http/routes.ts';
import { type CfnTemplate, resourcesOf, SYNTH_TIMEOUT_MS, type Synthesized, synthStage } from './synth.ts';

const asArray = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

/** Allow statements of the policies attached to a function's role. */
function statementsOf(template: CfnTemplate, fnLogicalId: string): any[] {
  const roleId = template.Resources[fnLogicalId]!.Properties.Role['Fn::GetAtt'][0];
  return resourcesOf(template, 'AWS::IAM::Policy')
    .filter(([, policy]) => asArray<any>(policy.Properties.Roles).some((role) => role.Ref === roleId))
    .flatMap(([, policy]) => policy.Properties.PolicyDocument.Statement as any[]);
}

/** `materials/uploads/*` for a statement on the Materials bucket, undefined for anything else. */
function materialsResource(statement: any): string | undefined {
  const text = JSON.stringify(statement.Resource);
  const match = /:s3:::benchmarking-\w+-materials-.*?\/([\w/]*\*)/.exec(text);
  return match ? match[1] : undefined;
}

function s3Grants(template: CfnTemplate, fnLogicalId: string): Record<string, string[]> {
  const grants: Record<string, string[]> = {};
  for (const statement of statementsOf(template, fnLogicalId)) {
    const actions = asArray<string>(statement.Action).filter((a) => a.startsWith('s3:'));
    if (actions.length === 0) continue;
    const prefix = materialsResource(statement) ?? `other: ${JSON.stringify(statement.Resource)}`;
    grants[prefix] = [...(grants[prefix] ?? []), ...actions].sort();
  }
  return grants;
}

const functionByDescription = (template: CfnTemplate, description: string) => {
  const found = resourcesOf(template, 'AWS::Lambda::Function').find(([, fn]) => fn.Properties.Description === description);
  expect(found, description).toBeDefined();
  return found![0];
};

describe.each<Stage>(['dev', 'prod'])('materials on AWS (%s)', (stage) => {
  const config = stages[stage];
  let synth: Synthesized;
  let materialsBucket: any;

  beforeAll(() => {
    synth = synthStage(stage);
    const [, bucket] = resourcesOf(synth.json.stateful, 'AWS::S3::Bucket').find(([id]) => id.startsWith('MaterialsBucket'))!;
    materialsBucket = bucket.Properties;
  }, SYNTH_TIMEOUT_MS);
  afterAll(() => synth?.cleanup());

  it('keeps the bucket private, encrypted, versioned and TLS-only', () => {
    expect(materialsBucket.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(materialsBucket.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.SSEAlgorithm).toBe('AES256');
    expect(materialsBucket.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    const [, policy] = resourcesOf(synth.json.stateful, 'AWS::S3::BucketPolicy').find(([id]) => id.startsWith('MaterialsBucket'))!;
    expect(policy.Properties.PolicyDocument.Statement).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    );
  });

  it('allows browser uploads (POST) and downloads from the configured origins only', () => {
    if (config.cors.allowedOrigins.length === 0) {
      expect(materialsBucket.CorsConfiguration).toBeUndefined();
      return;
    }
    expect(materialsBucket.CorsConfiguration.CorsRules).toEqual([
      expect.objectContaining({ AllowedOrigins: config.cors.allowedOrigins, AllowedMethods: ['GET', 'POST', 'HEAD'] }),
    ]);
  });

  it('expires unverified uploads after a day, their old versions too', () => {
    expect(materialsBucket.LifecycleConfiguration.Rules).toContainEqual({
      Id: 'ExpireUnverifiedUploads',
      Prefix: 'uploads/',
      ExpirationInDays: 1,
      NoncurrentVersionExpiration: { NoncurrentDays: 1 },
      Status: 'Enabled',
    });
    // Verified copies never expire by a rule.
    for (const rule of materialsBucket.LifecycleConfiguration.Rules) {
      if (rule.ExpirationInDays !== undefined) expect(rule.Prefix).toBe('uploads/');
    }
  });

  it('sends bucket events to EventBridge natively: no notifications custom resource, no reference to a function', () => {
    expect(materialsBucket.NotificationConfiguration).toEqual({ EventBridgeConfiguration: { EventBridgeEnabled: true } });
    for (const template of [synth.json.stateful, synth.json.events, synth.json.api]) {
      expect(resourcesOf(template, 'Custom::S3BucketNotifications')).toEqual([]);
    }
    // One-way dependencies: the stateful stack knows nothing of the functions.
    expect(JSON.stringify(synth.json.stateful)).not.toContain('Fn::ImportValue');
    expect(synth.stateful.dependencies).toEqual([]);
    expect(synth.events.dependencies).toContain(synth.stateful);
  });

  it('routes each trigger’s prefix of its bucket to its function, with retries and a dead-letter queue', () => {
    const events = synth.json.events;
    const rules = resourcesOf(events, 'AWS::Events::Rule');
    expect(rules).toHaveLength(s3Triggers.length);
    for (const trigger of s3Triggers) {
      expect(S3_TRIGGER_SETTINGS[trigger.handler], trigger.handler).toBeDefined();
      const fnId = functionByDescription(events, `S3 trigger ${trigger.bucket}/${trigger.prefix}*: functions/${trigger.handler}.ts`);
      const [, rule] = rules.find(([, r]) => r.Properties.Targets[0].Arn['Fn::GetAtt'][0] === fnId)!;
      expect(rule.Properties.EventPattern).toEqual({
        source: ['aws.s3'],
        'detail-type': ['Object Created'],
        detail: {
          bucket: { name: [{ 'Fn::Join': ['', [`${config.prefix}-${trigger.bucket.toLowerCase()}-`, { Ref: 'AWS::AccountId' }, '-', { Ref: 'AWS::Region' }]] }] },
          object: { key: [{ prefix: trigger.prefix }] },
        },
      });
      const [target] = rule.Properties.Targets;
      const queueId = target.DeadLetterConfig.Arn['Fn::GetAtt'][0];
      expect(events.Resources[queueId]!.Type).toBe('AWS::SQS::Queue');
      expect(events.Resources[queueId]!.Properties.SqsManagedSseEnabled).toBe(true);
      expect(target.RetryPolicy.MaximumRetryAttempts).toBeGreaterThan(0);

      // The function's own failures: two retries, then the same queue.
      const [, invokeConfig] = resourcesOf(events, 'AWS::Lambda::EventInvokeConfig').find(
        ([, c]) => c.Properties.FunctionName.Ref === fnId,
      )!;
      expect(invokeConfig.Properties).toMatchObject({
        MaximumRetryAttempts: 2,
        DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [queueId, 'Arn'] } } },
      });
      // Only this rule may invoke the function and write to the queue.
      const [, permission] = resourcesOf(events, 'AWS::Lambda::Permission').find(([, p]) => p.Properties.FunctionName['Fn::GetAtt'][0] === fnId)!;
      expect(permission.Properties).toMatchObject({ Principal: 'events.amazonaws.com', SourceArn: { 'Fn::GetAtt': [rules.find(([, r]) => r === rule)![0], 'Arn'] } });
      // An alarm on the first dead letter.
      expect(
        resourcesOf(events, 'AWS::CloudWatch::Alarm').some(
          ([, alarm]) =>
            alarm.Properties.MetricName === 'ApproximateNumberOfMessagesVisible' &&
            JSON.stringify(alarm.Properties.Dimensions).includes(queueId),
        ),
      ).toBe(true);
    }
  });

  it('lets the verification read and delete uploads, write verified copies and touch material and notice items only', () => {
    const events = synth.json.events;
    const fnId = functionByDescription(events, 'S3 trigger Materials/uploads/*: functions/materials/verify-material.ts');
    expect(events.Resources[fnId]!.Properties.MemorySize).toBe(1024);
    expect(s3Grants(events, fnId)).toEqual({
      'uploads/*': ['s3:DeleteObject', 's3:DeleteObjectVersion', 's3:GetObject', 's3:GetObjectVersion'],
      'verified/*': ['s3:DeleteObject', 's3:PutObject'],
    });
    const dynamo = statementsOf(events, fnId).filter((s) => asArray<string>(s.Action).some((a) => a.startsWith('dynamodb:')));
    expect(dynamo).toHaveLength(1);
    expect(dynamo[0].Action).toEqual(['dynamodb:GetItem', 'dynamodb:UpdateItem']);
    // Notice items for the summary of a verified attachment (shared/store/materials.ts recordVerified).
    expect(dynamo[0].Condition).toEqual({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['MATERIALS#*', 'NOTICE#*'] } });
    expect(JSON.stringify(dynamo[0].Resource)).toContain(`:table/${config.prefix}-main"`);
    expect(JSON.stringify(dynamo[0].Resource)).not.toContain('index');
  });

  it('grants the API’s material and notice attachment routes one prefix each, and no other route the bucket', () => {
    const api = synth.json.api;
    for (const route of routes) {
      const fnId = functionByDescription(api, `${route.method} ${route.path}`);
      const grants = s3Grants(api, fnId);
      const materials = Object.fromEntries(Object.entries(grants).filter(([prefix]) => !prefix.startsWith('other')));
      if (route.handler === 'materials/create-material') expect(materials, route.path).toEqual({ 'uploads/*': ['s3:PutObject'] });
      else if (route.handler === 'materials/list-materials' || route.handler === 'materials/get-material') {
        expect(materials, route.path).toEqual({ 'verified/*': ['s3:GetObject'] });
      } else if (route.handler === 'notices/create-notice-attachment') {
        expect(materials, route.path).toEqual({ 'uploads/notices/*': ['s3:PutObject'] });
      } else if (
        ['notices/list-notice-attachments', 'notices/get-notice-attachment', 'notices/get-notice', 'notices/get-public-notice'].includes(route.handler)
      ) {
        // Notice routes (the public one too) sign links for notice attachments, never declaration materials.
        expect(materials, `${route.method} ${route.path}`).toEqual({ 'verified/notices/*': ['s3:GetObject'] });
      } else expect(materials, `${route.method} ${route.path}`).toEqual({});
    }
  });
});

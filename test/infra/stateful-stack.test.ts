import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buckets, tables } from '../../infra/definitions/tables.ts';
import { stages, type Stage } from '../../infra/config/stages.ts';
import { type CfnTemplate, resourcesOf, SYNTH_TIMEOUT_MS, type Synthesized, synthStage } from './synth.ts';

const attributeDefinitions = (keys: { name: string; type: string }[]) =>
  keys.map((key) => ({ AttributeName: key.name, AttributeType: key.type }));

describe.each<Stage>(['dev', 'prod'])('stateful stack (%s)', (stage) => {
  const config = stages[stage];
  let synth: Synthesized;
  let template: CfnTemplate;

  beforeAll(() => {
    synth = synthStage(stage);
    template = synth.json.stateful;
  }, SYNTH_TIMEOUT_MS);
  afterAll(() => synth?.cleanup());

  const tableNamed = (id: string) => {
    const found = resourcesOf(template, 'AWS::DynamoDB::Table').find(
      ([, table]) => table.Properties.TableName === `${config.prefix}-${id.toLowerCase()}`,
    );
    expect(found, id).toBeDefined();
    return found![1];
  };

  it('creates exactly the defined tables', () => {
    expect(resourcesOf(template, 'AWS::DynamoDB::Table')).toHaveLength(tables.length);
  });

  it.each(tables.map((definition) => [definition.id, definition] as const))(
    'table %s has the definition\'s keys, indexes, TTL and stream',
    (_, definition) => {
      const table = tableNamed(definition.id);
      const keySchema = [{ AttributeName: definition.partitionKey.name, KeyType: 'HASH' }];
      if (definition.sortKey) keySchema.push({ AttributeName: definition.sortKey.name, KeyType: 'RANGE' });
      expect(table.Properties.KeySchema).toEqual(keySchema);
      expect(table.Properties.BillingMode).toBe('PAY_PER_REQUEST');
      // AWS-managed KMS key (aws/dynamodb), not the AWS-owned default.
      expect(table.Properties.SSESpecification).toEqual({ SSEEnabled: true });

      const keys = [definition.partitionKey, ...(definition.sortKey ? [definition.sortKey] : [])];
      for (const index of definition.globalSecondaryIndexes) keys.push(index.partitionKey, index.sortKey);
      expect(table.Properties.AttributeDefinitions).toEqual(
        expect.arrayContaining(attributeDefinitions(keys)),
      );

      const indexes = table.Properties.GlobalSecondaryIndexes ?? [];
      expect(indexes).toHaveLength(definition.globalSecondaryIndexes.length);
      for (const index of definition.globalSecondaryIndexes) {
        expect(indexes).toContainEqual({
          IndexName: index.indexName,
          KeySchema: [
            { AttributeName: index.partitionKey.name, KeyType: 'HASH' },
            { AttributeName: index.sortKey.name, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        });
      }

      if (definition.timeToLiveAttribute) {
        expect(table.Properties.TimeToLiveSpecification).toEqual({
          AttributeName: definition.timeToLiveAttribute,
          Enabled: true,
        });
      } else {
        expect(table.Properties.TimeToLiveSpecification).toBeUndefined();
      }
      if (definition.stream) {
        expect(table.Properties.StreamSpecification).toEqual({ StreamViewType: definition.stream });
      } else {
        expect(table.Properties.StreamSpecification).toBeUndefined();
      }
    },
  );

  it('protects tables as the stage requires', () => {
    for (const [, table] of resourcesOf(template, 'AWS::DynamoDB::Table')) {
      expect(table.Properties.PointInTimeRecoverySpecification).toEqual({
        PointInTimeRecoveryEnabled: config.data.pointInTimeRecovery,
      });
      expect(table.Properties.DeletionProtectionEnabled).toBe(config.data.deletionProtection);
      const policy = stage === 'prod' ? 'Retain' : 'Delete';
      expect(table.DeletionPolicy).toBe(policy);
      expect(table.UpdateReplacePolicy).toBe(policy);
    }
    if (stage === 'prod') {
      expect(config.data.pointInTimeRecovery).toBe(true);
      expect(config.data.deletionProtection).toBe(true);
      expect(synth.stateful.terminationProtection).toBe(true);
    }
  });

  it('creates the defined buckets and an access-log bucket', () => {
    const all = resourcesOf(template, 'AWS::S3::Bucket');
    expect(all).toHaveLength(buckets.length + 1);
    const names = all.map(([, bucket]) => JSON.stringify(bucket.Properties.BucketName));
    for (const definition of buckets) {
      expect(names.some((name) => name.includes(`"${config.prefix}-${definition.id.toLowerCase()}-"`)), definition.id).toBe(true);
    }
  });

  it('blocks public access, encrypts, versions and logs every data bucket', () => {
    const logBucketId = synth.stateful.getLogicalId(synth.stateful.accessLogsBucket.node.defaultChild as any);
    for (const [logicalId, bucket] of resourcesOf(template, 'AWS::S3::Bucket')) {
      expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
      expect(bucket.Properties.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.SSEAlgorithm).toMatch(/AES256|aws:kms/);
      expect(bucket.DeletionPolicy).toBe(stage === 'prod' ? 'Retain' : 'Delete');
      if (logicalId === logBucketId) continue;
      expect(bucket.Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
      expect(bucket.Properties.LoggingConfiguration.DestinationBucketName).toEqual({ Ref: logBucketId });
      const rules = bucket.Properties.LifecycleConfiguration.Rules;
      expect(rules).toContainEqual(
        expect.objectContaining({
          NoncurrentVersionExpiration: { NoncurrentDays: config.data.noncurrentVersionDays },
          Status: 'Enabled',
        }),
      );
      if (config.cors.allowedOrigins.length > 0) {
        expect(bucket.Properties.CorsConfiguration.CorsRules[0].AllowedOrigins).toEqual(config.cors.allowedOrigins);
      } else {
        expect(bucket.Properties.CorsConfiguration).toBeUndefined();
      }
    }
  });

  it('keeps comparison reports but expires their replaced versions', () => {
    // Retried render steps overwrite the same keys; re-runs write new keys.
    const [, reports] = resourcesOf(template, 'AWS::S3::Bucket').find(([, bucket]) =>
      JSON.stringify(bucket.Properties.BucketName).includes(`"${config.prefix}-reports-"`),
    )!;
    const rules = reports.Properties.LifecycleConfiguration.Rules as any[];
    expect(rules).toContainEqual(
      expect.objectContaining({ NoncurrentVersionExpiration: { NoncurrentDays: config.data.noncurrentVersionDays }, Status: 'Enabled' }),
    );
    for (const rule of rules) {
      expect(rule.ExpirationInDays).toBeUndefined();
      expect(rule.ExpirationDate).toBeUndefined();
    }
  });

  it('enforces TLS on every bucket', () => {
    const policies = resourcesOf(template, 'AWS::S3::BucketPolicy');
    for (const [logicalId] of resourcesOf(template, 'AWS::S3::Bucket')) {
      const policy = policies.find(([, p]) => p.Properties.Bucket.Ref === logicalId);
      expect(policy, logicalId).toBeDefined();
      const statements = policy![1].Properties.PolicyDocument.Statement as any[];
      expect(statements).toContainEqual(
        expect.objectContaining({
          Effect: 'Deny',
          Action: 's3:*',
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        }),
      );
    }
  });

  it('outputs each table’s name, for the deployer’s commands (create-national-client)', () => {
    for (const definition of tables) {
      expect(template.Outputs?.[`${definition.id}TableName`]?.Value, definition.id).toEqual({ Ref: expect.stringMatching(new RegExp(`^${definition.id}Table`)) });
    }
  });

  it('has an ES256 signing key in KMS', () => {
    // The other key encrypts the alarm topic (monitoring.test.ts).
    const keys = resourcesOf(template, 'AWS::KMS::Key').filter(([, key]) => key.Properties.KeyUsage === 'SIGN_VERIFY');
    expect(keys).toHaveLength(1);
    const [, key] = keys[0]!;
    expect(key.Properties).toMatchObject({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' });
    expect(key.Properties.EnableKeyRotation).toBeUndefined(); // asymmetric keys cannot rotate
    expect(key.DeletionPolicy).toBe(stage === 'prod' ? 'Retain' : 'Delete');
    synth.templates.stateful.hasResourceProperties('AWS::KMS::Alias', { AliasName: `alias/${config.prefix}-token-signing` });
  });
});

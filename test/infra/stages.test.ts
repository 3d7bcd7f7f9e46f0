import { RemovalPolicy } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { STAGES, stageConfig, stages } from '../../infra/config/stages.ts';
import { createApp } from '../../infra/create-app.ts';

describe('stage configuration', () => {
  it('has dev and prod, told apart by their prefix and token issuer', () => {
    expect(STAGES).toEqual(['dev', 'prod']);
    expect(new Set(STAGES.map((s) => stages[s].prefix)).size).toBe(2);
    expect(new Set(STAGES.map((s) => stages[s].token.issuer)).size).toBe(2);
    for (const stage of STAGES) expect(stages[stage].stage).toBe(stage);
  });

  it('protects prod data', () => {
    expect(stages.prod.removalPolicy).toBe(RemovalPolicy.RETAIN);
    expect(stages.prod.data).toMatchObject({ pointInTimeRecovery: true, deletionProtection: true });
  });

  it('uses static token issuers (no API URL: that would be a dependency cycle)', () => {
    for (const stage of STAGES) expect(stages[stage].token.issuer).toMatch(/^urn:benchmarking-platform:/);
  });

  it('keeps the authorizer cache within API Gateway limits', () => {
    for (const stage of STAGES) {
      expect(stages[stage].api.authorizerCacheTtlSeconds).toBeGreaterThan(0);
      expect(stages[stage].api.authorizerCacheTtlSeconds).toBeLessThanOrEqual(3600);
    }
  });

  it('rejects an unknown stage with a clear message', () => {
    expect(() => stageConfig('qa')).toThrow(/Unknown stage "qa": use -c stage=dev or -c stage=prod/);
    expect(() => createApp({ context: { stage: 'staging' } })).toThrow(/Unknown stage "staging"/);
  });
});

/**
 * The comparison ASL on the local interpreter with the real step handlers,
 * against DynamoDB Local and the S3 emulator: the Catch path and idempotent
 * steps.
 */
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { DeleteItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../infra/local/api-client.ts';
import { lambdaContext } from '../../infra/local/invoke.ts';
import { createEnterprise, createTextileScheme, creditCode, textileIndicators } from '../support/fixtures.ts';
import { emulatorClients } from '../support/emulators.ts';
import { startTestPlatform, type TestPlatform } from '../support/platform.ts';

let t: TestPlatform;
let scheme: { id: string };
let city: ApiClient;
const enterprise = creditCode('330106', 41);

async function settled(id: string) {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const comparison = await t.admin.call<{ status: string; error?: { code: string; message: string }; result?: unknown }>('GET', `/v1/comparisons/${id}`);
    if (comparison.status !== 'running') return comparison;
    if (Date.now() > deadline) throw new Error('still running');
    await new Promise((done) => setTimeout(done, 25));
  }
}

beforeAll(async () => {
  t = await startTestPlatform({ retryIntervalScale: 0.01 });
  scheme = await createTextileScheme(t.admin);
  city = await t.clientFor(t.admin, 'city', '330100');
  await createEnterprise(city, enterprise, '330106');
}, 60_000);

afterAll(async () => {
  await t?.platform.stop();
});

const declare = (product: string) =>
  city.call<{ id: string; comparisonId: string }>('POST', '/v1/declarations', {
    creditCode: enterprise, schemeId: scheme.id, product, standardNumber: 'Q/T 1-2024', indicators: textileIndicators,
  });

describe('comparison workflow', () => {
  it('fails the comparison with a readable reason when a step fails for good, leaving the declaration as it was', async () => {
    const declaration = await declare('失败路径');
    await settled(declaration.comparisonId);
    // The scheme disappears (an operator's mistake): the re-run's LoadInput cannot succeed.
    await emulatorClients().dynamodb.send(
      new DeleteItemCommand({ TableName: t.platform.tableNames.Main, Key: { pk: { S: `SCHEME#${scheme.id}` }, sk: { S: 'HEAD' } } }),
    );
    const rerun = await t.admin.call<{ comparisonId: string }>('POST', `/v1/declarations/${declaration.id}/comparisons`);
    const failed = await settled(rerun.comparisonId);
    expect(failed.status).toBe('failed');
    expect(failed.error?.code).toBe('scheme_not_found');
    expect(failed.error?.message).toBe('对标方案不存在');
    expect(failed.result).toBeUndefined();
    const after = await t.admin.call<{ status: string; comparisonId: string }>('GET', `/v1/declarations/${declaration.id}`);
    expect(after).toMatchObject({ status: 'compared', comparisonId: rerun.comparisonId });
  });

  it('persists exactly once when a step runs twice', async () => {
    // The previous test removed the scheme; declare against a new one.
    scheme = await createTextileScheme(t.admin);
    const declaration = await declare('重复执行');
    const first = await settled(declaration.comparisonId);
    expect(first.status).toBe('succeeded');
    const before = await t.admin.call<{ version: number; status: string }>('GET', `/v1/declarations/${declaration.id}`);

    // Step Functions may deliver a task twice: run the last steps again by hand.
    const { handler: load } = await import('../../functions/comparisons/load-comparison-input.ts');
    const { handler: compare } = await import('../../functions/comparisons/compare.ts');
    const { handler: render } = await import('../../functions/comparisons/render-report.ts');
    const { handler: persist } = await import('../../functions/comparisons/persist-comparison.ts');
    const job = await load({ comparisonId: declaration.comparisonId, declarationId: declaration.id }, lambdaContext('load'));
    job.result = await compare(job, lambdaContext('compare'));
    job.reports = await render(job, lambdaContext('render'));
    await expect(persist(job, lambdaContext('persist'))).resolves.toEqual({ comparisonId: declaration.comparisonId, status: 'succeeded' });

    const after = await t.admin.call<{ version: number; status: string }>('GET', `/v1/declarations/${declaration.id}`);
    expect(after).toEqual(before);
    const reports = await emulatorClients().s3.send(
      new ListObjectsV2Command({ Bucket: process.env.REPORTS_BUCKET, Prefix: `comparisons/${declaration.comparisonId}/` }),
    );
    // The same two objects, overwritten: the workflow renders Chinese, English waits for its first reader.
    expect(reports.Contents?.map((o) => o.Key).sort()).toEqual(
      ['zh.html', 'zh.json'].map((suffix) => `comparisons/${declaration.comparisonId}/report.${suffix}`),
    );
  });

  it('never turns a finished comparison into a failed one on a late Catch', async () => {
    const { handler: recordFailure } = await import('../../functions/comparisons/record-comparison-failure.ts');
    const declaration = await declare('迟到的失败');
    const done = await settled(declaration.comparisonId);
    expect(done.status).toBe('succeeded');
    // A finished comparison is never turned into a failed one by a late Catch.
    await recordFailure({ comparisonId: declaration.comparisonId, failure: { Error: 'StepFailure', Cause: '{"errorMessage":"internal_error: x"}' } } as never, lambdaContext('record'));
    expect((await settled(declaration.comparisonId)).status).toBe('succeeded');
  });
});

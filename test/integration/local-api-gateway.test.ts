/**
 * The local API Gateway control plane (infra/local/api-gateway.ts) answers the
 * real @aws-sdk/client-api-gateway as API Gateway does for the calls the client
 * functions make, and tells the HTTP adapter which throttle a key value has.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  APIGatewayClient,
  ConflictException,
  CreateApiKeyCommand,
  CreateUsagePlanKeyCommand,
  DeleteApiKeyCommand,
  FlushStageAuthorizersCacheCommand,
  GetUsagePlansCommand,
  NotFoundException,
} from '@aws-sdk/client-api-gateway';
import { afterEach, describe, expect, it } from 'vitest';
import { type LocalApiGateway, startLocalApiGateway } from '../../infra/local/api-gateway.ts';

const throttle = { rateLimit: 5, burstLimit: 10 };
let gateway: LocalApiGateway | undefined;
let flushes = 0;

afterEach(async () => {
  await gateway?.stop();
  gateway = undefined;
  flushes = 0;
});

async function start(dataDir = mkdtempSync(join(tmpdir(), 'apigw-'))) {
  gateway = await startLocalApiGateway({
    dataDir,
    restApiId: 'local',
    stage: 'local',
    usagePlans: [{ name: 'test-default', throttle }],
    onFlushAuthorizerCache: () => {
      flushes += 1;
    },
  });
  const client = new APIGatewayClient({ endpoint: gateway.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  return { gateway, client, dataDir };
}

describe('local API Gateway control plane', () => {
  it('creates a key, puts it in the plan found by name, throttles by it, and deletes it', async () => {
    const { gateway, client } = await start();
    const { items } = await client.send(new GetUsagePlansCommand({}));
    const plan = items!.find((p) => p.name === 'test-default')!;
    expect(plan.throttle).toEqual(throttle);
    const value = 'k'.repeat(40);
    const key = await client.send(new CreateApiKeyCommand({ name: 'client-1', enabled: true, value }));
    expect(key).toMatchObject({ name: 'client-1', enabled: true, value });
    // Not in a plan yet: API Gateway would refuse it.
    expect(gateway.throttleFor(value)).toBeUndefined();
    await client.send(new CreateUsagePlanKeyCommand({ usagePlanId: plan.id, keyId: key.id, keyType: 'API_KEY' }));
    expect(gateway.throttleFor(value)).toEqual(throttle);
    await expect(client.send(new CreateUsagePlanKeyCommand({ usagePlanId: plan.id, keyId: key.id, keyType: 'API_KEY' }))).rejects.toBeInstanceOf(
      ConflictException,
    );
    await client.send(new DeleteApiKeyCommand({ apiKey: key.id }));
    expect(gateway.throttleFor(value)).toBeUndefined();
    await expect(client.send(new DeleteApiKeyCommand({ apiKey: key.id }))).rejects.toBeInstanceOf(NotFoundException);
  });

  it('refuses short and duplicate key values, as API Gateway does', async () => {
    const { client } = await start();
    await expect(client.send(new CreateApiKeyCommand({ name: 'short', enabled: true, value: 'too-short' }))).rejects.toMatchObject({
      name: 'BadRequestException',
    });
    await client.send(new CreateApiKeyCommand({ name: 'a', enabled: true, value: 'v'.repeat(30) }));
    await expect(client.send(new CreateApiKeyCommand({ name: 'b', enabled: true, value: 'v'.repeat(30) }))).rejects.toBeInstanceOf(ConflictException);
  });

  it('flushes the authorizer cache of its own stage only', async () => {
    const { client } = await start();
    await client.send(new FlushStageAuthorizersCacheCommand({ restApiId: 'local', stageName: 'local' }));
    expect(flushes).toBe(1);
    await expect(client.send(new FlushStageAuthorizersCacheCommand({ restApiId: 'other', stageName: 'local' }))).rejects.toBeInstanceOf(
      NotFoundException,
    );
    expect(flushes).toBe(1);
  });

  it('keeps keys across a restart', async () => {
    const first = await start();
    const { items } = await first.client.send(new GetUsagePlansCommand({}));
    const key = await first.client.send(new CreateApiKeyCommand({ name: 'kept', enabled: true, value: 'p'.repeat(25) }));
    await first.client.send(new CreateUsagePlanKeyCommand({ usagePlanId: items![0]!.id, keyId: key.id, keyType: 'API_KEY' }));
    await first.gateway.stop();
    gateway = undefined;
    const second = await start(first.dataDir);
    expect(second.gateway.throttleFor('p'.repeat(25))).toEqual(throttle);
  });
});

/**
 * The API Gateway side of clients: a per-client API key in the usage plan
 * that throttles it (the authorizer returns the key's value as the usage
 * identifier key), and flushing cached authorizer results so that deleting a
 * client or rotating its secret takes effect at once. The same SDK calls reach
 * API Gateway on AWS and the local control plane (infra/local/api-gateway.ts).
 */
import { randomBytes } from 'node:crypto';
import {
  CreateApiKeyCommand,
  CreateUsagePlanKeyCommand,
  DeleteApiKeyCommand,
  FlushStageAuthorizersCacheCommand,
  GetUsagePlansCommand,
  NotFoundException,
} from '@aws-sdk/client-api-gateway';
import { apiGateway } from '../aws/clients.ts';
import { config } from '../config/env.ts';
import type { ApiKeyRef } from '../store/clients.ts';

function setting(value: string, variable: string): string {
  if (!value) throw new Error(`${variable} is not configured`);
  return value;
}

// The plan's id is not known when functions are defined (the plan depends on the
// stage, which depends on the functions): found once by its name.
let usagePlanId: Promise<string> | undefined;

function findUsagePlan(): Promise<string> {
  usagePlanId ??= (async () => {
    const name = setting(config().apiGateway.usagePlanName, 'USAGE_PLAN_NAME');
    let position: string | undefined;
    do {
      const page = await apiGateway().send(new GetUsagePlansCommand({ position, limit: 500 }));
      const plan = page.items?.find((candidate) => candidate.name === name);
      if (plan?.id) return plan.id;
      position = page.position;
    } while (position);
    throw new Error(`No usage plan named ${name}`);
  })().catch((error: unknown) => {
    usagePlanId = undefined;
    throw error;
  });
  return usagePlanId;
}

/** A new enabled API key for the client, in the usage plan. */
export async function provisionApiKey(clientId: string): Promise<ApiKeyRef> {
  const planId = await findUsagePlan();
  // At least 20 characters (API Gateway's minimum); clients never see it.
  const value = randomBytes(30).toString('base64url');
  const key = await apiGateway().send(
    new CreateApiKeyCommand({ name: clientId, description: `Usage identifier of API client ${clientId}`, enabled: true, value }),
  );
  try {
    await apiGateway().send(new CreateUsagePlanKeyCommand({ usagePlanId: planId, keyId: key.id, keyType: 'API_KEY' }));
  } catch (error) {
    await revokeApiKey(key.id!).catch(() => undefined);
    throw error;
  }
  return { apiKeyId: key.id!, apiKeyValue: value };
}

/** Deletes the key (and so its usage plan membership); a key already gone is fine. */
export async function revokeApiKey(apiKeyId: string): Promise<void> {
  try {
    await apiGateway().send(new DeleteApiKeyCommand({ apiKey: apiKeyId }));
  } catch (error) {
    if (!(error instanceof NotFoundException)) throw error;
  }
}

/** Forget every cached authorizer result of the stage. */
export async function flushAuthorizerCache(): Promise<void> {
  const { restApiId, stage } = config().apiGateway;
  await apiGateway().send(
    new FlushStageAuthorizersCacheCommand({
      restApiId: setting(restApiId, 'REST_API_ID'),
      stageName: setting(stage, 'API_STAGE'),
    }),
  );
}

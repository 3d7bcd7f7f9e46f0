/**
 * The environment every function of the app gets. shared/config/env.ts reads
 * it once and validates it, whichever function it runs in, so API and workflow
 * functions get the same variables (as the local runtime sets them).
 */
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { buckets, idempotencyTable, mainTable, searchTable } from '../definitions/tables.ts';
import { stateMachineArnEnv, workflows } from '../workflows/index.ts';
import { queueConsumers } from '../definitions/queues.ts';
import { bucketName, queueUrl, stateMachineArn, tableName, usagePlanName } from './names.ts';
import type { StageConfig } from './stages.ts';

export function functionEnvironment(config: StageConfig, signingKey: IKey): Record<string, string> {
  const environment: Record<string, string> = {
    STAGE: config.stage,
    TABLE_NAME: tableName(config, mainTable.id),
    IDEMPOTENCY_TABLE_NAME: tableName(config, idempotencyTable.id),
    SEARCH_TABLE_NAME: tableName(config, searchTable.id),
    TOKEN_ISSUER: config.token.issuer,
    TOKEN_AUDIENCE: config.token.audience,
    // Required by the configuration even where nothing signs; the ARN alone grants nothing.
    SIGNING_KEY_ID: signingKey.keyArn,
    CORS_ALLOWED_ORIGINS: config.cors.allowedOrigins.join(','),
    // Per-client API keys (shared/services/api-keys.ts): the plan by name, the stage to flush.
    USAGE_PLAN_NAME: usagePlanName(config),
    API_STAGE: config.stage,
  };
  // Queue URLs by name, like the state machine ARNs below.
  for (const queue of queueConsumers) environment[queue.envVar] = queueUrl(config, queue.id);
  for (const bucket of buckets) environment[bucket.envVar] = bucketName(config, bucket.id);
  // ARNs by name: no cross-stack export, and only the starting functions get StartExecution.
  for (const workflow of workflows) {
    const variable = stateMachineArnEnv[workflow.name];
    if (!variable) throw new Error(`No environment variable for the ${workflow.name} state machine ARN`);
    environment[variable] = stateMachineArn(config, workflow.name);
  }
  return environment;
}

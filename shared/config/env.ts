/**
 * Configuration, read once from the environment. Only configuration differs
 * between AWS and the local runtime: endpoints, names and the signing key.
 */
export interface Config {
  stage: string;
  region: string;
  tableName: string;
  /** The search index's table (postings); only search and its stream consumer use it. */
  searchTableName: string;
  idempotencyTableName: string;
  materialsBucket: string;
  reportsBucket: string;
  batchesBucket: string;
  tokenIssuer: string;
  tokenAudience: string;
  /** Lifetime of access tokens, at most one hour (api.md). */
  tokenTtlSeconds: number;
  /** KMS key that signs tokens on AWS. */
  signingKeyId?: string;
  /** PEM file with the local signing key, used when no KMS key is configured. */
  localSigningKeyFile?: string;
  /** Endpoints of the local emulators; absent on AWS. */
  dynamodbEndpoint?: string;
  s3Endpoint?: string;
  stepFunctionsEndpoint?: string;
  /** State machine that compares one declaration. */
  comparisonStateMachineArn: string;
  /** State machine that ingests one batch upload. */
  batchStateMachineArn: string;
  /** Chunks of one batch processed at once (the Map's MaxConcurrencyPath). */
  batchMapConcurrency: number;
  /** API Gateway control plane (per-client API keys, authorizer cache); endpoint only locally. */
  apiGateway: {
    endpoint?: string;
    restApiId: string;
    stage: string;
    /** The usage plan that throttles every client, found by name. */
    usagePlanName: string;
  };
  /** Failed token requests per client id allowed in one window, then 429. */
  tokenFailures: { limit: number; windowSeconds: number };
  webhooks: {
    /** SQS queue of pending deliveries. */
    queueUrl: string;
    sqsEndpoint?: string;
    /** Local runtime only: http callback URLs on loopback (api.md). */
    allowLoopbackHttp: boolean;
    /** Multiplies the retry delays (tests); 1 on AWS. */
    backoffScale: number;
  };
}

class ConfigError extends Error {}

function required(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (!value) throw new ConfigError(`Environment variable ${name} is required`);
  return value;
}

function positiveInteger(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const value = Number(env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 1) throw new ConfigError(`${name} must be a positive integer`);
  return value;
}

function backoffScale(raw: string | undefined): number {
  const value = Number(raw ?? 1);
  if (!Number.isFinite(value) || value <= 0 || value > 1) throw new ConfigError('WEBHOOK_BACKOFF_SCALE must be in (0, 1]');
  return value;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const ttl = Number(env.TOKEN_TTL_SECONDS ?? 3600);
  if (!Number.isInteger(ttl) || ttl < 60 || ttl > 3600) {
    throw new ConfigError('TOKEN_TTL_SECONDS must be an integer from 60 to 3600');
  }
  const signingKeyId = env.SIGNING_KEY_ID || undefined;
  const localSigningKeyFile = env.LOCAL_SIGNING_KEY_FILE || undefined;
  if (!signingKeyId && !localSigningKeyFile) {
    throw new ConfigError('Either SIGNING_KEY_ID or LOCAL_SIGNING_KEY_FILE must be set');
  }
  return {
    stage: env.STAGE ?? 'local',
    region: env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1',
    tableName: required(env, 'TABLE_NAME'),
    searchTableName: env.SEARCH_TABLE_NAME ?? '',
    idempotencyTableName: required(env, 'IDEMPOTENCY_TABLE_NAME'),
    materialsBucket: env.MATERIALS_BUCKET ?? '',
    reportsBucket: env.REPORTS_BUCKET ?? '',
    batchesBucket: env.BATCHES_BUCKET ?? '',
    tokenIssuer: required(env, 'TOKEN_ISSUER'),
    tokenAudience: required(env, 'TOKEN_AUDIENCE'),
    tokenTtlSeconds: ttl,
    signingKeyId,
    localSigningKeyFile,
    dynamodbEndpoint: env.DYNAMODB_ENDPOINT || undefined,
    s3Endpoint: env.S3_ENDPOINT || undefined,
    stepFunctionsEndpoint: env.SFN_ENDPOINT || undefined,
    comparisonStateMachineArn: env.COMPARISON_STATE_MACHINE_ARN ?? '',
    batchStateMachineArn: env.BATCH_STATE_MACHINE_ARN ?? '',
    // Locally 6 chunks (2 requests each) keep DynamoDB Local busy; CDK sets each stage's own.
    batchMapConcurrency: positiveInteger(env, 'BATCH_MAP_CONCURRENCY', 6),
    apiGateway: {
      endpoint: env.API_GATEWAY_ENDPOINT || undefined,
      restApiId: env.REST_API_ID ?? '',
      stage: env.API_STAGE ?? '',
      usagePlanName: env.USAGE_PLAN_NAME ?? '',
    },
    tokenFailures: {
      limit: positiveInteger(env, 'TOKEN_FAILURE_LIMIT', 10),
      windowSeconds: positiveInteger(env, 'TOKEN_FAILURE_WINDOW_SECONDS', 300),
    },
    webhooks: {
      queueUrl: env.WEBHOOK_QUEUE_URL ?? '',
      sqsEndpoint: env.SQS_ENDPOINT || undefined,
      allowLoopbackHttp: env.WEBHOOK_ALLOW_LOOPBACK_HTTP === 'true',
      backoffScale: backoffScale(env.WEBHOOK_BACKOFF_SCALE),
    },
  };
}

let cached: Config | undefined;

/** The process-wide configuration, validated on first use. */
export function config(): Config {
  cached ??= readConfig();
  return cached;
}

/** Forget the cached configuration (the local runtime and tests set env first). */
export function resetConfig(): void {
  cached = undefined;
}

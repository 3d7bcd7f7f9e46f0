/**
 * Configuration, read once from the environment. Only configuration differs
 * between AWS and the local runtime: endpoints, names and the signing key.
 */
export interface Config {
  stage: string;
  region: string;
  tableName: string;
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
}

class ConfigError extends Error {}

function required(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (!value) throw new ConfigError(`Environment variable ${name} is required`);
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

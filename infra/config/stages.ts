/**
 * Per-stage configuration: the only place where dev and prod differ.
 * Chosen with `cdk synth -c stage=prod` (default `dev`, from cdk.json).
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';

export type Stage = 'dev' | 'prod';

export const STAGES: readonly Stage[] = ['dev', 'prod'];

export interface Throttle {
  /** Steady-state requests per second. */
  rateLimit: number;
  /** Bucket size for bursts. */
  burstLimit: number;
}

export interface CustomDomain {
  domainName: string;
  /** ACM certificate in the API's region (regional endpoint). */
  certificateArn: string;
  /** When set, an alias record is created; no lookup, so synth stays offline. */
  hostedZone?: { hostedZoneId: string; zoneName: string };
}

export interface StageConfig {
  stage: Stage;
  /** Prefix of stack names and physical resource names: `<prefix>-stateful`. */
  prefix: string;
  serviceName: string;
  metricsNamespace: string;
  logLevel: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
  logRetention: RetentionDays;
  /**
   * Stack traces mapped to the TypeScript sources (`--enable-source-maps`).
   * Node then reads and parses a function's source map at every cold start,
   * about 9 ms (`npm run bench -- bundles`); without it, traces point into
   * the bundle and its index.mjs.map (in the deployment asset) maps them.
   */
  sourceMappedStackTraces: boolean;
  /** Applied to tables, buckets, the signing key and log groups. */
  removalPolicy: RemovalPolicy;
  data: {
    pointInTimeRecovery: boolean;
    deletionProtection: boolean;
    /** Days a replaced or deleted S3 object version is kept. */
    noncurrentVersionDays: number;
    /** Days server access logs are kept. */
    accessLogRetentionDays: number;
  };
  api: {
    /** Stage-wide method throttling (all clients together). */
    throttle: Throttle;
    /** Default usage plan: per client, keyed by the authorizer's usage identifier key. */
    clientThrottle: Throttle;
    /**
     * Require the authorizer's usage identifier key on bearer routes, so usage plans
     * throttle per client. Every client gets an API key in the default usage plan when
     * it is registered (the authorizer returns its value); a client without one is 403.
     */
    usagePlanKeyRequired: boolean;
    authorizerCacheTtlSeconds: number;
    /**
     * Set the account-wide API Gateway CloudWatch role (needed for execution logs).
     * It is one setting per account and region; the role is retained on stack deletion.
     */
    manageCloudWatchRole: boolean;
  };
  token: {
    /** Static per stage: the API URL would make a dependency cycle. */
    issuer: string;
    audience: string;
  };
  cors: { allowedOrigins: string[] };
  alarms: {
    /** API Gateway 5XXError count per 5 minutes. */
    api5xxErrors: number;
    /** API Gateway p99 latency in milliseconds, over 5 minutes. */
    apiLatencyP99Ms: number;
    /** Lambda Errors per function per 5 minutes. */
    functionErrors: number;
    /** Lambda Throttles per function per 5 minutes. */
    functionThrottles: number;
    /** DynamoDB read + write throttle events per table per 5 minutes. */
    tableThrottles: number;
    /**
     * Addresses subscribed to the alarm topic (each confirms by mail). Also
     * `-c alarmEmail=ops@example.com` at deploy time; other subscribers (chat,
     * paging) subscribe to the topic ARN the stateful stack outputs.
     */
    emails: string[];
  };
  customDomain?: CustomDomain;
}

const common = {
  serviceName: 'benchmarking-platform',
  metricsNamespace: 'BenchmarkingPlatform',
} as const;

export const stages: Record<Stage, StageConfig> = {
  dev: {
    ...common,
    stage: 'dev',
    prefix: 'benchmarking-dev',
    logLevel: 'DEBUG',
    logRetention: RetentionDays.ONE_WEEK,
    sourceMappedStackTraces: true,
    removalPolicy: RemovalPolicy.DESTROY,
    data: {
      pointInTimeRecovery: false,
      deletionProtection: false,
      noncurrentVersionDays: 7,
      accessLogRetentionDays: 30,
    },
    api: {
      throttle: { rateLimit: 50, burstLimit: 100 },
      clientThrottle: { rateLimit: 10, burstLimit: 20 },
      usagePlanKeyRequired: true,
      authorizerCacheTtlSeconds: 60,
      manageCloudWatchRole: true,
    },
    token: {
      issuer: 'urn:benchmarking-platform:dev',
      audience: 'urn:benchmarking-platform:dev:api',
    },
    cors: { allowedOrigins: ['http://localhost:5173'] },
    alarms: { api5xxErrors: 10, apiLatencyP99Ms: 3000, functionErrors: 5, functionThrottles: 5, tableThrottles: 50, emails: [] },
  },
  prod: {
    ...common,
    stage: 'prod',
    prefix: 'benchmarking-prod',
    logLevel: 'INFO',
    logRetention: RetentionDays.ONE_YEAR,
    sourceMappedStackTraces: false,
    removalPolicy: RemovalPolicy.RETAIN,
    data: {
      pointInTimeRecovery: true,
      deletionProtection: true,
      noncurrentVersionDays: 90,
      accessLogRetentionDays: 365,
    },
    api: {
      throttle: { rateLimit: 500, burstLimit: 1000 },
      clientThrottle: { rateLimit: 50, burstLimit: 100 },
      usagePlanKeyRequired: true,
      authorizerCacheTtlSeconds: 300,
      manageCloudWatchRole: true,
    },
    token: {
      issuer: 'urn:benchmarking-platform:prod',
      audience: 'urn:benchmarking-platform:prod:api',
    },
    // Add the portal's origin here; empty means no browser access (no preflight).
    cors: { allowedOrigins: [] },
    alarms: { api5xxErrors: 5, apiLatencyP99Ms: 2000, functionErrors: 1, functionThrottles: 1, tableThrottles: 10, emails: [] },
  },
};

/** NODE_OPTIONS of every function in a stage. */
export function functionNodeOptions(config: Pick<StageConfig, 'sourceMappedStackTraces'>): Record<string, string> {
  return config.sourceMappedStackTraces ? { NODE_OPTIONS: '--enable-source-maps' } : {};
}

export function isStage(value: unknown): value is Stage {
  return typeof value === 'string' && (STAGES as readonly string[]).includes(value);
}

export class UnknownStageError extends Error {
  override name = 'UnknownStageError';
}

/** The config for a `-c stage=...` value; anything else fails loudly before synth. */
export function stageConfig(value: unknown): StageConfig {
  if (!isStage(value)) {
    throw new UnknownStageError(
      `Unknown stage ${JSON.stringify(value)}: use -c stage=${STAGES.join(' or -c stage=')}`,
    );
  }
  return stages[value];
}

/**
 * The whole platform on one machine: DynamoDB Local, the S3 emulator, tables
 * and buckets from the CDK definitions, the local signing key, the bootstrap
 * client, and the HTTP adapter serving every route. Used by `npm start`, the
 * end-to-end tests and the benchmarks.
 */
import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { buckets, tables } from '../definitions/tables.ts';
import { ensureBuckets, ensureTables } from './bootstrap.ts';
import { startDynamoDbLocal } from './dynamodb-local.ts';
import { HttpAdapter } from './http-adapter.ts';
import { type ObjectCreatedRecord, startS3Emulator, subscribeObjectCreated } from './s3-emulator.ts';
import { s3Triggers, streamConsumers } from '../definitions/events.ts';
import { startStreamPoller, type StreamPoller } from './stream-poller.ts';
import { installMeter, invokeAsync, type LocalMeter } from './invoke.ts';
import { startStepFunctionsLocal, type StepFunctionsLocal } from './step-functions.ts';
import { stateMachineArnEnv, workflows } from '../workflows/index.ts';
import { queueConsumers } from '../definitions/queues.ts';
import { startLocalApiGateway } from './api-gateway.ts';
import { type LocalQueues, startLocalQueues } from './sqs.ts';
import type { Throttle } from './token-bucket.ts';
import type { ObservedClient } from '../../shared/aws/clients.ts';

/** Per-client throttling of `npm start`: the dev stage's usage plan (infra/config/stages.ts). */
export const LOCAL_CLIENT_THROTTLE: Throttle = { rateLimit: 10, burstLimit: 20 };

export const projectRoot = resolve(import.meta.dirname, '../..');

export interface PlatformOptions {
  /** Where DynamoDB Local, the S3 emulator and the signing key keep their files. */
  dataDir: string;
  port?: number;
  host?: string;
  /** Keep DynamoDB in memory (tests). */
  inMemory?: boolean;
  /** Reuse running emulators instead of starting new ones (tests share one). */
  dynamodbEndpoint?: string;
  s3Endpoint?: string;
  /** Prefix of table and bucket names, so several platforms can share emulators. */
  namePrefix?: string;
  bootstrapSecret?: string;
  authorizerCacheSeconds?: number;
  /** Shortens workflow retry waits (tests); 1 keeps the ASL's waits. */
  retryIntervalScale?: number;
  /** The usage plan's per-client rate and burst (default LOCAL_CLIENT_THROTTLE). */
  clientThrottle?: Throttle;
  /** Failed token requests allowed per client id and window (default 10 per 300 s). */
  tokenFailures?: { limit: number; windowSeconds: number };
  /** Shrinks webhook retry delays and their 24 h window (tests); default 1. */
  webhookBackoffScale?: number;
  /**
   * Measures what AWS would bill (npm run cost, infra/cost/meter.ts): told of every
   * invocation, execution and S3 request, and given every SDK client the handlers make.
   * Absent everywhere else, and then nothing is measured.
   */
  meter?: LocalMeter & { client?(observed: ObservedClient): void };
}

export interface Platform {
  url: string;
  adapter: HttpAdapter;
  bootstrap: { clientId: string; clientSecret: string; created: boolean };
  endpoints: { dynamodb: string; s3: string };
  tableNames: Record<string, string>;
  stepFunctions: StepFunctionsLocal;
  /** Stream consumers (aggregates, webhooks); absent while none is defined. */
  streams?: StreamPoller;
  /** Queues and their consumers (webhook deliveries). */
  queues: LocalQueues;
  stop(): Promise<void>;
}

export async function startPlatform(options: PlatformOptions): Promise<Platform> {
  const dataDir = resolve(options.dataDir);
  mkdirSync(dataDir, { recursive: true });
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const step of stops.reverse()) await step().catch(() => undefined);
  };
  try {
    if (options.meter) {
      installMeter(options.meter);
      stops.push(async () => installMeter(undefined));
    }
    let dynamodbEndpoint = options.dynamodbEndpoint;
    if (!dynamodbEndpoint) {
      const dynamodb = await startDynamoDbLocal(
        options.inMemory ? { inMemory: true } : { dbPath: join(dataDir, 'dynamodb') },
      );
      stops.push(() => dynamodb.stop());
      dynamodbEndpoint = dynamodb.endpoint;
    }
    let s3Endpoint: string | undefined = options.s3Endpoint;
    const prefix = options.namePrefix ?? 'local';
    const bucketNames = Object.fromEntries(buckets.map((b) => [b.id, `${prefix}-${b.id}`.toLowerCase()]));
    const functionsDir = join(projectRoot, 'functions');
    // S3 notifications: the emulator's object-created events call the same handlers.
    const onObjectCreated = (record: ObjectCreatedRecord) => {
      for (const trigger of s3Triggers) {
        if (bucketNames[trigger.bucket] !== record.bucket || !record.key.startsWith(trigger.prefix)) continue;
        void invokeAsync(functionsDir, trigger.handler, s3Event(record));
      }
    };
    if (!s3Endpoint) {
      const s3 = await startS3Emulator({
        directory: join(dataDir, 's3'),
        buckets: Object.values(bucketNames),
        onRequest: options.meter?.s3Request?.bind(options.meter),
      });
      stops.push(() => s3.stop());
      s3Endpoint = s3.endpoint;
      s3.onObjectCreated(onObjectCreated);
    } else if (s3Triggers.length > 0) {
      const subscription = await subscribeObjectCreated(s3Endpoint, onObjectCreated);
      stops.push(async () => subscription.close());
    }
    const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
    const tableNames = await ensureTables(
      new DynamoDBClient({ endpoint: dynamodbEndpoint, region: 'us-east-1', credentials }),
      [...tables],
      prefix,
    );
    await ensureBuckets(
      new S3Client({ endpoint: s3Endpoint, region: 'us-east-1', credentials, forcePathStyle: true }),
      Object.values(bucketNames),
    );

    const stepFunctions = await startStepFunctionsLocal({
      workflows,
      functionsDir,
      dataDir,
      retryIntervalScale: options.retryIntervalScale,
    });
    // Let running executions finish briefly; the rest restart from the journal next time.
    stops.push(async () => {
      await Promise.race([stepFunctions.idle(), new Promise((done) => setTimeout(done, 2000).unref())]);
      await stepFunctions.stop();
    });

    // The API Gateway control plane (per-client API keys, authorizer cache) and SQS.
    let adapter: HttpAdapter | undefined;
    const apiGateway = await startLocalApiGateway({
      dataDir,
      restApiId: 'local',
      stage: 'local',
      usagePlans: [{ name: 'local-default', throttle: options.clientThrottle ?? LOCAL_CLIENT_THROTTLE }],
      onFlushAuthorizerCache: () => adapter?.flushAuthorizerCache(),
    });
    stops.push(() => apiGateway.stop());
    const queueNames = Object.fromEntries(
      queueConsumers.map((q) => [q.id, `${prefix}-${q.id.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase()}`]),
    );
    const queues = await startLocalQueues({ queues: queueConsumers, names: queueNames, functionsDir, dataDir });
    stops.push(() => queues.stop());

    const signingKeyFile = join(dataDir, 'signing-key.pem');
    Object.assign(process.env, {
      STAGE: 'local',
      AWS_REGION: process.env.AWS_REGION ?? 'us-east-1',
      TABLE_NAME: tableNames.Main,
      IDEMPOTENCY_TABLE_NAME: tableNames.Idempotency,
      SEARCH_TABLE_NAME: tableNames.Search,
      ...Object.fromEntries(buckets.map((b) => [b.envVar, bucketNames[b.id]])),
      TOKEN_ISSUER: 'urn:benchmarking-platform:local',
      TOKEN_AUDIENCE: 'benchmarking-api',
      LOCAL_SIGNING_KEY_FILE: signingKeyFile,
      DYNAMODB_ENDPOINT: dynamodbEndpoint,
      S3_ENDPOINT: s3Endpoint,
      SFN_ENDPOINT: stepFunctions.endpoint,
      ...Object.fromEntries(workflows.map((w) => [stateMachineArnEnv[w.name], stepFunctions.stateMachineArn(w.name)])),
      POWERTOOLS_SERVICE_NAME: 'benchmarking-platform',
      POWERTOOLS_DEV: 'true',
      API_GATEWAY_ENDPOINT: apiGateway.endpoint,
      REST_API_ID: 'local',
      API_STAGE: 'local',
      USAGE_PLAN_NAME: 'local-default',
      SQS_ENDPOINT: queues.endpoint,
      ...Object.fromEntries(queueConsumers.map((q) => [q.envVar, queues.queueUrl(q.id)])),
      WEBHOOK_ALLOW_LOOPBACK_HTTP: 'true',
      WEBHOOK_BACKOFF_SCALE: String(options.webhookBackoffScale ?? 1),
      TOKEN_FAILURE_LIMIT: String(options.tokenFailures?.limit ?? 10),
      TOKEN_FAILURE_WINDOW_SECONDS: String(options.tokenFailures?.windowSeconds ?? 300),
    });
    // Imported after the environment is set: configuration is read once.
    const meter = options.meter;
    if (meter?.client) {
      const { setClientHook } = await import('../../shared/aws/clients.ts');
      setClientHook((observed) => meter.client!(observed));
      stops.push(async () => setClientHook(undefined));
    }
    const { ensureLocalSigningKey } = await import('../../shared/auth/signer.ts');
    const { ensureBootstrapClient, BOOTSTRAP_CLIENT_ID } = await import('../../shared/services/clients.ts');
    ensureLocalSigningKey(signingKeyFile);
    const clientSecret = options.bootstrapSecret ?? process.env.BOOTSTRAP_CLIENT_SECRET ?? 'local-secret';
    const created = (await ensureBootstrapClient(clientSecret)) === 'created';

    let streams: StreamPoller | undefined;
    if (streamConsumers.length > 0) {
      const poller = await startStreamPoller({
        endpoint: dynamodbEndpoint,
        tableName: tableNames.Main!,
        consumers: streamConsumers,
        functionsDir,
        dataDir,
      });
      stops.push(() => poller.stop());
      streams = poller;
    }

    adapter = new HttpAdapter({
      functionsDir,
      authorizerCacheSeconds: options.authorizerCacheSeconds ?? 300,
      usagePlans: apiGateway,
    });
    const server: Server = await adapter.listen(options.port ?? 3000, options.host ?? '127.0.0.1');
    stops.push(
      () =>
        new Promise<void>((done) => {
          server.close(() => done());
          server.closeAllConnections();
        }),
    );
    const { port } = server.address() as AddressInfo;
    return {
      url: `http://${options.host ?? '127.0.0.1'}:${port}`,
      adapter,
      bootstrap: { clientId: BOOTSTRAP_CLIENT_ID, clientSecret, created },
      endpoints: { dynamodb: dynamodbEndpoint, s3: s3Endpoint! },
      tableNames,
      stepFunctions,
      streams,
      queues,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The S3 notification event AWS would deliver for one object. */
function s3Event(record: ObjectCreatedRecord) {
  return {
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: 'us-east-1',
        eventTime: new Date().toISOString(),
        eventName: record.eventName,
        s3: {
          s3SchemaVersion: '1.0',
          bucket: { name: record.bucket, arn: `arn:aws:s3:::${record.bucket}` },
          // Keys in S3 events are URL-encoded, spaces as '+'.
          object: { key: encodeURIComponent(record.key).replace(/%20/g, '+'), size: record.size },
        },
      },
    ],
  };
}

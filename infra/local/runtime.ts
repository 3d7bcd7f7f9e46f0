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
import { invokeAsync } from './invoke.ts';
import { startStepFunctionsLocal, type StepFunctionsLocal } from './step-functions.ts';
import { stateMachineArnEnv, workflows } from '../workflows/index.ts';

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
      const s3 = await startS3Emulator({ directory: join(dataDir, 's3'), buckets: Object.values(bucketNames) });
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

    const signingKeyFile = join(dataDir, 'signing-key.pem');
    Object.assign(process.env, {
      STAGE: 'local',
      AWS_REGION: process.env.AWS_REGION ?? 'us-east-1',
      TABLE_NAME: tableNames.Main,
      IDEMPOTENCY_TABLE_NAME: tableNames.Idempotency,
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
    });
    // Imported after the environment is set: configuration is read once.
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

    const adapter = new HttpAdapter({
      functionsDir,
      authorizerCacheSeconds: options.authorizerCacheSeconds ?? 300,
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

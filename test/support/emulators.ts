/**
 * What integration and e2e tests use to reach the emulators started once by
 * global-setup.ts. Each test file gets tables and buckets of its own (unique
 * prefix), so files run in parallel on the shared emulators without seeing
 * each other's data.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { inject } from 'vitest';
import { ensureBuckets, ensureTables } from '../../infra/local/bootstrap.ts';
import {
  type ObjectCreatedListener,
  type ObjectCreatedSubscription,
  subscribeObjectCreated,
} from '../../infra/local/s3-emulator.ts';
import { buckets, tables } from '../../infra/definitions/tables.ts';

export interface EmulatorEndpoints {
  dynamodb: string;
  s3: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    emulators: EmulatorEndpoints;
  }
}

export function emulatorEndpoints(): EmulatorEndpoints {
  const endpoints = inject('emulators');
  if (!endpoints) {
    throw new Error(
      'no emulators: run this file in the integration or e2e project (vitest run --project integration)',
    );
  }
  return endpoints;
}

/** Emulators accept any credentials; the region only has to be valid. */
const clientConfig = { region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };

let dynamodb: DynamoDBClient | undefined;
let s3: S3Client | undefined;

/** Low-level clients for test setup and assertions (handlers build their own). */
export function emulatorClients(): { dynamodb: DynamoDBClient; s3: S3Client } {
  const endpoints = emulatorEndpoints();
  dynamodb ??= new DynamoDBClient({ ...clientConfig, endpoint: endpoints.dynamodb });
  s3 ??= new S3Client({ ...clientConfig, endpoint: endpoints.s3, forcePathStyle: true });
  return { dynamodb, s3 };
}

let counter = 0;

/** Unique per worker process and call: the label stays readable in errors. */
export function uniquePrefix(label = 'test'): string {
  counter += 1;
  return `${label}-${process.pid.toString(36)}${Date.now().toString(36)}${counter}`;
}

/**
 * Creates a fresh set of the platform's tables and returns definition id ->
 * physical name (e.g. `{ Main: 'test-…-Main', Idempotency: '…' }`). `prefix` is a
 * readable label; a unique suffix is always added.
 */
export async function createTestTables(prefix?: string): Promise<Record<string, string>> {
  return ensureTables(emulatorClients().dynamodb, [...tables], uniquePrefix(prefix));
}

/** Same for the buckets: definition id -> bucket name (lowercase, S3 rules). */
export async function createTestBuckets(prefix?: string): Promise<Record<string, string>> {
  const base = uniquePrefix(prefix).toLowerCase();
  const names = Object.fromEntries(buckets.map((bucket) => [bucket.id, `${base}-${bucket.id}`.toLowerCase()]));
  await ensureBuckets(emulatorClients().s3, Object.values(names));
  return names;
}

/**
 * Object-created records of the shared S3 emulator, which runs in vitest's main
 * process, streamed to this worker. Filter by bucket: other files upload too.
 */
export function onObjectCreated(listener: ObjectCreatedListener): Promise<ObjectCreatedSubscription> {
  return subscribeObjectCreated(emulatorEndpoints().s3, listener);
}

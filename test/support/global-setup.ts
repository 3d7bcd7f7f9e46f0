/**
 * Global setup of the `integration` and `e2e` projects: ONE DynamoDB Local
 * (in memory) and ONE S3 emulator (temporary directory) for the whole run.
 *
 * Endpoints reach the test workers through vitest's provide/inject: the setup
 * calls `project.provide('emulators', ...)` and tests call `inject('emulators')`
 * (see emulators.ts). Environment variables set here would not be reliable, as
 * worker processes may already exist, and every project gets provided values
 * before its workers run.
 *
 * Vitest 5 runs a global setup once per project that lists it, in the main
 * process; a process-wide reference count makes both projects share the same
 * emulators and stops them after the last project's teardown.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startDynamoDbLocal } from '../../infra/local/dynamodb-local.ts';
import { startS3Emulator } from '../../infra/local/s3-emulator.ts';
import type { EmulatorEndpoints } from './emulators.ts';

interface RunningEmulators {
  endpoints: EmulatorEndpoints;
  stop(): Promise<void>;
}

interface Shared {
  references: number;
  started: Promise<RunningEmulators>;
}

const SHARED = Symbol.for('benchmarking-platform.test-emulators');
const registry = globalThis as typeof globalThis & { [SHARED]?: Shared };

async function startEmulators(): Promise<RunningEmulators> {
  const directory = mkdtempSync(join(tmpdir(), 's3-emulator-'));
  const started = performance.now();
  const [dynamodb, s3] = await Promise.allSettled([
    startDynamoDbLocal({ inMemory: true }),
    startS3Emulator({ directory, buckets: [] }),
  ]);
  if (dynamodb.status === 'rejected' || s3.status === 'rejected') {
    if (dynamodb.status === 'fulfilled') await dynamodb.value.stop();
    if (s3.status === 'fulfilled') await s3.value.stop();
    rmSync(directory, { recursive: true, force: true });
    throw dynamodb.status === 'rejected' ? dynamodb.reason : (s3 as PromiseRejectedResult).reason;
  }
  if (process.env.EMULATOR_TIMINGS) {
    console.log(`emulators ready in ${Math.round(performance.now() - started)} ms`);
  }
  return {
    endpoints: { dynamodb: dynamodb.value.endpoint, s3: s3.value.endpoint },
    async stop() {
      const stopping = performance.now();
      await Promise.all([dynamodb.value.stop(), s3.value.stop()]);
      rmSync(directory, { recursive: true, force: true });
      if (process.env.EMULATOR_TIMINGS) {
        console.log(`emulators stopped in ${Math.round(performance.now() - stopping)} ms`);
      }
    },
  };
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  let shared = registry[SHARED];
  if (!shared) {
    shared = { references: 0, started: startEmulators() };
    registry[SHARED] = shared;
  }
  shared.references += 1;
  const running = await shared.started;
  project.provide('emulators', running.endpoints);

  return async () => {
    shared.references -= 1;
    if (shared.references > 0) return;
    delete registry[SHARED];
    await running.stop();
  };
}

import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

/** Starts one DynamoDB Local and one S3 emulator for the whole run (see the file). */
const emulators = './test/support/global-setup.ts';

// Emulator-bound files mostly wait on I/O: at least two at a time, even on two
// cores (measured: 10 s instead of 15 s for unit+workflows+integration+e2e).
// CDK synth is CPU-bound (esbuild): more than one per spare core only slows it
// down, so infra runs as a later group with its own limit.
const cores = availableParallelism();
const ioBound = { maxWorkers: Math.max(2, cores) };
const cpuBound = { maxWorkers: Math.max(1, cores - 1), sequence: { groupOrder: 1 } };

export default defineConfig({
  test: {
    // Projects inherit this config (extends: true). Projects in one sequence
    // group must share maxWorkers.
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['test/unit/**/*.test.ts'], ...ioBound },
      },
      {
        // The ASL definitions on the local Step Functions interpreter; no emulators.
        extends: true,
        test: { name: 'workflows', include: ['test/workflows/**/*.test.ts'], ...ioBound },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          globalSetup: [emulators],
          // Generous: these run real emulators, and a busy 2-core machine is slow.
          testTimeout: 90_000,
          hookTimeout: 180_000,
          ...ioBound,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          globalSetup: [emulators],
          testTimeout: 90_000,
          hookTimeout: 300_000,
          ...ioBound,
        },
      },
      {
        // CDK synth; only compliance.test.ts bundles functions (test/infra/synth.ts).
        // One module cache for all files: loading aws-cdk-lib and cdk-nag costs more
        // than a synthesis without bundling.
        extends: true,
        test: {
          name: 'infra',
          include: ['test/infra/**/*.test.ts'],
          isolate: false,
          testTimeout: 120_000,
          hookTimeout: 120_000,
          ...cpuBound,
        },
      },
    ],
  },
});

import { defineConfig } from 'vitest/config';

/** Starts one DynamoDB Local and one S3 emulator for the whole run (see the file). */
const emulators = './test/support/global-setup.ts';

export default defineConfig({
  test: {
    // Projects inherit this (extends: true). maxWorkers has to be the same in
    // every project sharing a sequence group, so it is set here only.
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['test/unit/**/*.test.ts'] },
      },
      {
        // The ASL definitions on the local Step Functions interpreter; no emulators.
        extends: true,
        test: { name: 'workflows', include: ['test/workflows/**/*.test.ts'] },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          globalSetup: [emulators],
          testTimeout: 20_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          globalSetup: [emulators],
          testTimeout: 30_000,
          hookTimeout: 120_000,
        },
      },
      {
        // CDK synth bundles every function with esbuild.
        extends: true,
        test: {
          name: 'infra',
          include: ['test/infra/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});

/**
 * How every function is bundled, in one place: CDK's NodejsFunction
 * (infra/constructs/node-function.ts) and the bundle benchmark
 * (test/bench/bundles.ts) both read it, so the benchmark measures what deploys.
 */
import { fileURLToPath } from 'node:url';

/**
 * ESM bundles have no `require`; some dependencies still call it for Node
 * built-ins, so give the bundle one.
 */
export const ESM_REQUIRE_BANNER =
  "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);";

const nodeHttpShim = fileURLToPath(new URL('./node-http.cjs', import.meta.url));
const lambdaCredentials = fileURLToPath(new URL('./lambda-credentials.ts', import.meta.url));

/** Imports replaced at bundling time (each replacement says why). */
export const BUNDLE_ALIASES: Record<string, string> = {
  http: nodeHttpShim,
  'node:http': nodeHttpShim,
  '@aws-sdk/credential-provider-node': lambdaCredentials,
};

/** Options shared by both bundlers, in esbuild's own terms. */
export const BUNDLE_OPTIONS = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  // ESM builds of dependencies tree-shake better.
  mainFields: ['module', 'main'],
  banner: { js: ESM_REQUIRE_BANNER },
  alias: BUNDLE_ALIASES,
  minify: true,
  treeShaking: true,
  sourcemap: true,
  sourcesContent: false,
} as const;

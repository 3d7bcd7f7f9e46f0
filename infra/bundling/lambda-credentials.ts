/**
 * The SDK's default credential provider as bundled functions get it: an alias
 * of `@aws-sdk/credential-provider-node` (see esbuild.ts).
 *
 * Lambda hands a function its role's credentials in the environment. The
 * default chain also carries SSO, shared config files, credential processes,
 * web identity and instance metadata, with the STS, SSO and sign-in clients
 * they call: about 130 KB that every cold start would parse and never run
 * (some 12 ms). Container credentials (AWS_CONTAINER_CREDENTIALS_FULL_URI,
 * as on Lambda Managed Instances) stay as the fallback. Local runs and tests
 * import the SDK unbundled and keep the whole chain.
 */
import { fromEnv } from '@aws-sdk/credential-provider-env';
import { fromHttp } from '@aws-sdk/credential-provider-http';
import { chain, memoize } from '@smithy/core/config';
import type { AwsCredentialIdentity } from '@smithy/types';

/** Refresh five minutes before expiry, as the default chain does. */
const REFRESH_MS = 5 * 60 * 1000;

export const defaultProvider = (init: Parameters<typeof fromEnv>[0] & Parameters<typeof fromHttp>[0] = {}) =>
  memoize(
    // fromHttp refuses at once without its variables: create it when the environment has no keys.
    chain(fromEnv(init), (options?: Parameters<ReturnType<typeof fromHttp>>[0]) => fromHttp(init)(options)),
    (credentials: AwsCredentialIdentity) =>
      credentials.expiration !== undefined && credentials.expiration.getTime() - Date.now() < REFRESH_MS,
    (credentials: AwsCredentialIdentity) => credentials.expiration !== undefined,
  );

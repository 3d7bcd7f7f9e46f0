/**
 * An in-process platform for end-to-end tests: the real HTTP adapter and
 * handlers on the shared emulators, with tables of its own.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiClient } from '../../infra/local/api-client.ts';
import { type Platform, type PlatformOptions, startPlatform } from '../../infra/local/runtime.ts';
import { emulatorEndpoints } from './emulators.ts';

export interface TestPlatform {
  platform: Platform;
  url: string;
  dataDir: string;
  admin: ApiClient;
  /** A raw request: no token unless given. */
  fetch(path: string, init?: RequestInit): Promise<Response>;
  /** An API client for a new client registered by `creator`. */
  clientFor(creator: ApiClient, role: string, territory: string): Promise<ApiClient>;
}

let counter = 0;

export async function startTestPlatform(
  options: Pick<PlatformOptions, 'authorizerCacheSeconds' | 'retryIntervalScale' | 'clientThrottle' | 'tokenFailures' | 'webhookBackoffScale'> = {},
): Promise<TestPlatform> {
  const dataDir = mkdtempSync(join(tmpdir(), 'platform-'));
  const { dynamodb, s3 } = emulatorEndpoints();
  const platform = await startPlatform({
    dataDir,
    port: 0,
    dynamodbEndpoint: dynamodb,
    s3Endpoint: s3,
    namePrefix: `e2e${process.pid}x${++counter}${Date.now().toString(36)}`,
    authorizerCacheSeconds: options.authorizerCacheSeconds ?? 0,
    // Workflow retries wait milliseconds, not seconds, in tests.
    retryIntervalScale: options.retryIntervalScale ?? 0.01,
    // Tests other than throttling's own must not be throttled.
    clientThrottle: options.clientThrottle ?? { rateLimit: 10_000, burstLimit: 10_000 },
    tokenFailures: options.tokenFailures,
    webhookBackoffScale: options.webhookBackoffScale,
  });
  const admin = new ApiClient(platform.url, platform.bootstrap.clientId, platform.bootstrap.clientSecret);
  return {
    platform,
    url: platform.url,
    dataDir,
    admin,
    fetch: (path, init) => fetch(`${platform.url}${path}`, init),
    async clientFor(creator, role, territory) {
      const created = await creator.call<{ clientId: string; clientSecret: string }>('POST', '/v1/clients', {
        name: `${role} ${territory}`,
        role,
        territory,
      });
      return new ApiClient(platform.url, created.clientId, created.clientSecret);
    },
  };
}

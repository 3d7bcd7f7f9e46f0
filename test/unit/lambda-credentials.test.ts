/**
 * The credential provider bundled functions use instead of the SDK's default
 * chain (infra/bundling/lambda-credentials.ts): the environment Lambda sets,
 * then container credentials.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultProvider } from '../../infra/bundling/lambda-credentials.ts';

const VARIABLES = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_CREDENTIAL_EXPIRATION',
  'AWS_CONTAINER_CREDENTIALS_FULL_URI',
  'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
  'AWS_CONTAINER_AUTHORIZATION_TOKEN',
] as const;

const saved = Object.fromEntries(VARIABLES.map((name) => [name, process.env[name]]));
let server: Server | undefined;

function clearEnvironment() {
  for (const name of VARIABLES) delete process.env[name];
}

afterEach(async () => {
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  await new Promise<void>((done) => (server ? server.close(() => done()) : done()));
  server = undefined;
});

/** A container credentials endpoint that counts its calls and hands out a new key each time. */
async function containerEndpoint(expiresInMs: number): Promise<{ url: string; calls: () => number }> {
  let calls = 0;
  server = createServer((request, response) => {
    calls += 1;
    expect(request.headers.authorization).toBe('container-token');
    response.setHeader('Content-Type', 'application/json');
    response.end(
      JSON.stringify({
        AccessKeyId: `container-key-${calls}`,
        SecretAccessKey: 'container-secret',
        Token: 'container-session',
        Expiration: new Date(Date.now() + expiresInMs).toISOString(),
      }),
    );
  });
  await new Promise<void>((done) => server!.listen(0, '127.0.0.1', done));
  return { url: `http://127.0.0.1:${(server!.address() as AddressInfo).port}/credentials`, calls: () => calls };
}

describe('credentials of a bundled function', () => {
  it("takes the role's credentials Lambda puts in the environment", async () => {
    clearEnvironment();
    process.env.AWS_ACCESS_KEY_ID = 'env-key';
    process.env.AWS_SECRET_ACCESS_KEY = 'env-secret';
    process.env.AWS_SESSION_TOKEN = 'env-session';

    const credentials = await defaultProvider()();

    expect(credentials).toMatchObject({ accessKeyId: 'env-key', secretAccessKey: 'env-secret', sessionToken: 'env-session' });
  });

  it('falls back to container credentials, reused until they near expiry', async () => {
    clearEnvironment();
    const endpoint = await containerEndpoint(60 * 60 * 1000);
    process.env.AWS_CONTAINER_CREDENTIALS_FULL_URI = endpoint.url;
    process.env.AWS_CONTAINER_AUTHORIZATION_TOKEN = 'container-token';
    const provider = defaultProvider();

    expect(await provider()).toMatchObject({ accessKeyId: 'container-key-1', sessionToken: 'container-session' });
    expect(await provider()).toMatchObject({ accessKeyId: 'container-key-1' });
    expect(endpoint.calls()).toBe(1);
  });

  it('fetches container credentials again when they expire within five minutes', async () => {
    clearEnvironment();
    const endpoint = await containerEndpoint(60 * 1000);
    process.env.AWS_CONTAINER_CREDENTIALS_FULL_URI = endpoint.url;
    process.env.AWS_CONTAINER_AUTHORIZATION_TOKEN = 'container-token';
    const provider = defaultProvider();

    const first = await provider();
    const callsBefore = endpoint.calls();
    const second = await provider();

    expect(endpoint.calls()).toBeGreaterThan(callsBefore);
    expect(second.accessKeyId).not.toBe(first.accessKeyId);
  });

  it('says so when there are no credentials at all', async () => {
    clearEnvironment();
    await expect(defaultProvider()()).rejects.toThrow(/credential/i);
  });
});

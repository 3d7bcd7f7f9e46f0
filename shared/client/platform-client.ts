/**
 * A small typed client of the platform for integrators: openapi-fetch over the
 * types generated from the OpenAPI document (api-types.ts), with
 *
 * - the access token cached until shortly before it expires (every token
 *   request costs the platform a KMS signature and a registry read), fetched
 *   once for concurrent callers, and dropped when the API answers 401 (the
 *   secret was rotated or the client deleted);
 * - polite retries: 429 (throttled) and 409 idempotency-in-progress wait for
 *   Retry-After and try again, a few times; nothing else is retried.
 *
 * Creating POSTs take an `Idempotency-Key` header (see `idempotencyKey()`), so
 * retrying after a lost answer creates nothing twice.
 */
import { randomUUID } from 'node:crypto';
import createClient, { type Client } from 'openapi-fetch';
import type { paths } from './api-types.ts';

export interface PlatformClientOptions {
  /** The API's base URL, e.g. https://api.example.cn/ or http://127.0.0.1:3000 */
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  /** Renew the token this many seconds before it expires (default 60). */
  renewBeforeSeconds?: number;
  /** Retries of a throttled request (default 4). */
  maxRetries?: number;
  /** Accept-Language of problem details and reports. */
  language?: 'zh' | 'en';
  fetch?: typeof globalThis.fetch;
  /** Milliseconds since the epoch; for tests. */
  now?: () => number;
}

export class TokenError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    description?: string,
  ) {
    super(`token request failed: ${status} ${error}${description ? ` (${description})` : ''}`);
    this.name = 'TokenError';
  }
}

/** Client credentials → access token, cached until shortly before expiry. */
export class TokenCache {
  private cached?: { token: string; renewAt: number };
  private pending?: Promise<string>;
  /** Token requests made so far. */
  requests = 0;

  constructor(private readonly options: PlatformClientOptions) {}

  private get now() {
    return this.options.now?.() ?? Date.now();
  }

  async get(): Promise<string> {
    if (this.cached && this.now < this.cached.renewAt) return this.cached.token;
    // One request for every caller waiting at the same moment.
    this.pending ??= this.request().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  /** Forget the token (the API refused it). */
  invalidate(token: string): void {
    if (this.cached?.token === token) this.cached = undefined;
  }

  private async request(): Promise<string> {
    this.requests += 1;
    const fetch = this.options.fetch ?? globalThis.fetch;
    const response = await fetch(new URL('oauth2/token', withSlash(this.options.baseUrl)), {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: this.options.clientId,
        client_secret: this.options.clientSecret,
      }),
    });
    const body = (await response.json().catch(() => ({}))) as {
      access_token?: string;
      expires_in?: number;
      error?: string;
      error_description?: string;
    };
    if (!response.ok || !body.access_token) {
      throw new TokenError(response.status, body.error ?? 'invalid_response', body.error_description);
    }
    const lifetime = (body.expires_in ?? 300) - (this.options.renewBeforeSeconds ?? 60);
    this.cached = { token: body.access_token, renewAt: this.now + Math.max(0, lifetime) * 1000 };
    return body.access_token;
  }
}

const withSlash = (url: string) => (url.endsWith('/') ? url : `${url}/`);

/** Retries throttled requests after Retry-After; the request is cloned first, so bodies survive. */
function politeFetch(options: PlatformClientOptions): typeof globalThis.fetch {
  const fetch = options.fetch ?? globalThis.fetch;
  const maxRetries = options.maxRetries ?? 4;
  return async (input, init) => {
    const request = new Request(input, init);
    for (let attempt = 0; ; attempt++) {
      const response = await fetch(request.clone());
      const retryable =
        response.status === 429 ||
        (response.status === 409 && response.headers.get('content-type')?.includes('problem') && (await isInProgress(response.clone())));
      if (!retryable || attempt >= maxRetries) return response;
      const seconds = Number(response.headers.get('retry-after') ?? 1);
      await response.body?.cancel();
      await new Promise((done) => setTimeout(done, (Number.isFinite(seconds) ? seconds : 1) * 1000));
    }
  };
}

async function isInProgress(response: Response): Promise<boolean> {
  const problem = (await response.json().catch(() => ({}))) as { type?: string };
  return problem.type === '/problems/idempotency-in-progress';
}

export type PlatformClient = Client<paths> & { tokens: TokenCache };

export function createPlatformClient(options: PlatformClientOptions): PlatformClient {
  const tokens = new TokenCache(options);
  const client = createClient<paths>({ baseUrl: options.baseUrl.replace(/\/$/, ''), fetch: politeFetch(options) });
  client.use({
    async onRequest({ request }) {
      request.headers.set('Authorization', `Bearer ${await tokens.get()}`);
      if (options.language) request.headers.set('Accept-Language', options.language);
      return request;
    },
    onResponse({ request, response }) {
      if (response.status === 401) tokens.invalidate(request.headers.get('Authorization')?.replace(/^Bearer /, '') ?? '');
      return response;
    },
  });
  return Object.assign(client, { tokens });
}

/** A fresh Idempotency-Key: keep it with the request and send the same one when retrying it. */
export const idempotencyKey = () => randomUUID();

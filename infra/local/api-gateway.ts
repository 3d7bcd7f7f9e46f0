/**
 * Local API Gateway control plane: a tiny REST-JSON endpoint serving the few
 * actions the handlers call with the real @aws-sdk/client-api-gateway
 * (CreateApiKey, DeleteApiKey, CreateUsagePlanKey, GetUsagePlans,
 * FlushStageAuthorizersCache), pointed at by `API_GATEWAY_ENDPOINT`.
 *
 * It holds the usage plans and per-client API keys the HTTP adapter throttles
 * with, as API Gateway does with `apiKeySource: AUTHORIZER` and required keys:
 * the authorizer's usage identifier key must be an enabled key in a plan.
 * Keys are kept in `<dataDir>/api-gateway/api-keys.json`, so they survive a
 * restart like the clients in DynamoDB Local do.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import type { Throttle } from './token-bucket.ts';
import { startLoopbackServer } from './loopback-server.ts';

export interface LocalUsagePlanDefinition {
  name: string;
  throttle: Throttle;
}

export interface LocalApiGatewayOptions {
  dataDir: string;
  restApiId: string;
  stage: string;
  usagePlans: LocalUsagePlanDefinition[];
  /** FlushStageAuthorizersCache of restApiId/stage. */
  onFlushAuthorizerCache: () => void;
  port?: number;
}

export interface LocalApiGateway {
  endpoint: string;
  /** The throttle of the plan holding this key value; undefined for an unknown, disabled or plan-less key. */
  throttleFor(keyValue: string): Throttle | undefined;
  stop(): Promise<void>;
}

interface StoredKey {
  id: string;
  value: string;
  name?: string;
  description?: string;
  enabled: boolean;
  createdDate: number;
  planIds: string[];
}

/** AWS's minimum length of an API key value. */
const MIN_KEY_LENGTH = 20;

class ServiceError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

/** Stable across restarts: derived from the plan's name. */
const planIdOf = (name: string) => createHash('sha256').update(name).digest('hex').slice(0, 10);

export async function startLocalApiGateway(options: LocalApiGatewayOptions): Promise<LocalApiGateway> {
  const plans = new Map(options.usagePlans.map((plan) => [planIdOf(plan.name), { id: planIdOf(plan.name), ...plan }]));
  const directory = join(options.dataDir, 'api-gateway');
  const file = join(directory, 'api-keys.json');
  mkdirSync(directory, { recursive: true });
  const keys = new Map<string, StoredKey>();
  try {
    for (const key of JSON.parse(readFileSync(file, 'utf8')) as StoredKey[]) keys.set(key.id, key);
  } catch {
    // No keys yet.
  }
  const byValue = () => new Map([...keys.values()].map((key) => [key.value, key]));
  let valueIndex = byValue();
  const save = () => {
    writeFileSync(`${file}.tmp`, JSON.stringify([...keys.values()]));
    renameSync(`${file}.tmp`, file);
    valueIndex = byValue();
  };

  const keyView = (key: StoredKey) => ({
    id: key.id,
    value: key.value,
    name: key.name,
    description: key.description,
    enabled: key.enabled,
    createdDate: key.createdDate,
    lastUpdatedDate: key.createdDate,
    stageKeys: [],
  });
  const planView = (plan: { id: string; name: string; throttle: Throttle }) => ({
    id: plan.id,
    name: plan.name,
    throttle: { rateLimit: plan.throttle.rateLimit, burstLimit: plan.throttle.burstLimit },
    apiStages: [{ apiId: options.restApiId, stage: options.stage }],
  });

  type Action = (match: RegExpExecArray, body: Record<string, unknown>, query: URLSearchParams) => [number, unknown];
  const actions: [string, RegExp, Action][] = [
    [
      'POST',
      /^\/apikeys$/,
      (_, body) => {
        const value = typeof body.value === 'string' ? body.value : randomBytes(30).toString('base64url');
        if (value.length < MIN_KEY_LENGTH) {
          throw new ServiceError(400, 'BadRequestException', `API Key value should be at least ${MIN_KEY_LENGTH} characters`);
        }
        if (valueIndex.has(value)) throw new ServiceError(409, 'ConflictException', 'API Key already exists');
        const key: StoredKey = {
          id: randomBytes(5).toString('hex'),
          value,
          name: typeof body.name === 'string' ? body.name : undefined,
          description: typeof body.description === 'string' ? body.description : undefined,
          enabled: body.enabled === true,
          createdDate: Math.floor(Date.now() / 1000),
          planIds: [],
        };
        keys.set(key.id, key);
        save();
        return [201, keyView(key)];
      },
    ],
    [
      'DELETE',
      /^\/apikeys\/([^/]+)$/,
      (match) => {
        if (!keys.delete(decodeURIComponent(match[1]!))) throw new ServiceError(404, 'NotFoundException', 'Invalid API Key identifier specified');
        save();
        return [202, undefined];
      },
    ],
    [
      'POST',
      /^\/usageplans\/([^/]+)\/keys$/,
      (match, body) => {
        const plan = plans.get(decodeURIComponent(match[1]!));
        if (!plan) throw new ServiceError(404, 'NotFoundException', 'Invalid Usage Plan ID specified');
        if (body.keyType !== 'API_KEY') throw new ServiceError(400, 'BadRequestException', 'Invalid key type specified');
        const key = typeof body.keyId === 'string' ? keys.get(body.keyId) : undefined;
        if (!key) throw new ServiceError(404, 'NotFoundException', 'Invalid API Key identifier specified');
        // API Gateway allows a key in one plan per API stage.
        if (key.planIds.length > 0) throw new ServiceError(409, 'ConflictException', 'Usage Plan Key already exists');
        key.planIds.push(plan.id);
        save();
        return [201, { id: key.id, type: 'API_KEY', value: key.value, name: key.name }];
      },
    ],
    [
      'GET',
      /^\/usageplans$/,
      (_, __, query) => {
        const keyId = query.get('keyId');
        const items = [...plans.values()]
          .filter((plan) => !keyId || keys.get(keyId)?.planIds.includes(plan.id))
          .map(planView);
        return [200, { item: items }];
      },
    ],
    [
      'DELETE',
      /^\/restapis\/([^/]+)\/stages\/([^/]+)\/cache\/authorizers$/,
      (match) => {
        if (decodeURIComponent(match[1]!) !== options.restApiId || decodeURIComponent(match[2]!) !== options.stage) {
          throw new ServiceError(404, 'NotFoundException', 'Invalid stage identifier specified');
        }
        options.onFlushAuthorizerCache();
        return [202, undefined];
      },
    ],
  ];

  const serve = (request: IncomingMessage, text: string, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    let status: number;
    let payload: unknown;
    const headers: Record<string, string> = { 'x-amzn-RequestId': randomUUID() };
    try {
      const found = actions
        .map(([method, pattern, action]) => ({ method, match: pattern.exec(url.pathname), action }))
        .find((candidate) => candidate.match && candidate.method === request.method);
      if (!found) throw new ServiceError(404, 'NotFoundException', `${request.method} ${url.pathname} is not served locally`);
      let body: Record<string, unknown> = {};
      try {
        body = text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
      } catch {
        throw new ServiceError(400, 'BadRequestException', 'Request body is not JSON');
      }
      [status, payload] = found.action(found.match!, body, url.searchParams);
    } catch (error) {
      const known = error instanceof ServiceError ? error : new ServiceError(500, 'InternalFailure', (error as Error).message);
      status = known.status;
      payload = { message: known.message };
      headers['x-amzn-ErrorType'] = known.type;
    }
    const out = payload === undefined ? '' : JSON.stringify(payload);
    response.writeHead(status, {
      ...headers,
      ...(out ? { 'Content-Type': 'application/json' } : {}),
      'Content-Length': Buffer.byteLength(out),
    });
    response.end(out);
  };

  const { server, endpoint } = await startLoopbackServer(serve, options.port);

  return {
    endpoint,
    throttleFor(keyValue) {
      const key = valueIndex.get(keyValue);
      if (!key?.enabled) return undefined;
      const plan = key.planIds.map((id) => plans.get(id)).find(Boolean);
      return plan?.throttle;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/**
 * The local stand-in for API Gateway: turns HTTP requests into the same REST
 * API (v1) proxy events, runs the same authorizer with the same result cache,
 * dispatches through the same route table, and writes the handlers' results
 * back. Handlers are imported in-process once and reused, like warm Lambdas.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { pathToFileURL } from 'node:url';
import type {
  APIGatewayAuthorizerResult,
  APIGatewayProxyEvent,
  APIGatewayProxyResult,
  APIGatewayTokenAuthorizerEvent,
  Context,
} from 'aws-lambda';
import { pickLanguage } from '../../shared/http/language.ts';
import { problemResponse } from '../../shared/http/problem.ts';
import { AppError, notFound, unauthorized } from '../../shared/http/errors.ts';
import { authorizerHandler, type Route, routes } from '../../shared/http/routes.ts';
import { type Throttle, TokenBuckets } from './token-bucket.ts';
import { timed } from './invoke.ts';

type ProxyHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;
type Authorizer = (event: APIGatewayTokenAuthorizerEvent) => Promise<APIGatewayAuthorizerResult>;

/** API Gateway's own payload limit. */
const MAX_BODY_BYTES = 10 * 1024 * 1024;

interface CompiledRoute {
  route: Route;
  pattern: RegExp;
  names: string[];
}

function compile(route: Route): CompiledRoute {
  const names: string[] = [];
  const source = route.path
    .split('/')
    .map((segment) => {
      const param = /^\{(\w+)\}$/.exec(segment);
      if (!param) return segment.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
      names.push(param[1]!);
      return '([^/]+)';
    })
    .join('/');
  return { route, pattern: new RegExp(`^${source}$`), names };
}

export interface HttpAdapterOptions {
  functionsDir: string;
  /** Seconds API Gateway would cache an authorizer result (0: no cache). */
  authorizerCacheSeconds: number;
  /**
   * Usage plans by API key value (infra/local/api-gateway.ts). Bearer routes then
   * require the authorizer's usage identifier key, as API Gateway does with
   * `apiKeySource: AUTHORIZER` and required keys: 403 without a key in a plan,
   * 429 with Retry-After beyond the plan's rate and burst.
   */
  usagePlans?: { throttleFor(keyValue: string): Throttle | undefined };
}

export class HttpAdapter {
  private readonly compiled = routes.map(compile);
  private readonly modules = new Map<string, Promise<unknown>>();
  private readonly authorizerCache = new Map<string, { result: APIGatewayAuthorizerResult; until: number }>();
  private readonly buckets = new TokenBuckets();

  constructor(private readonly options: HttpAdapterOptions) {}

  private load<T>(handler: string): Promise<T> {
    let loaded = this.modules.get(handler);
    if (!loaded) {
      const url = pathToFileURL(`${this.options.functionsDir}/${handler}.ts`).href;
      loaded = import(url).then((module: { handler: unknown }) => module.handler);
      this.modules.set(handler, loaded);
    }
    return loaded as Promise<T>;
  }

  /** Forget cached authorizer results (FlushStageAuthorizersCache). */
  flushAuthorizerCache(): void {
    this.authorizerCache.clear();
  }

  private async authorize(authorization: string | undefined, methodArn: string) {
    if (!authorization) throw unauthorized('detail.missing_token');
    const now = Date.now();
    const cached = this.authorizerCache.get(authorization);
    if (cached && cached.until > now) return cached.result;
    const authorize = await this.load<Authorizer>(authorizerHandler);
    let result: APIGatewayAuthorizerResult;
    try {
      result = await timed(authorizerHandler, () =>
        authorize({ type: 'TOKEN', authorizationToken: authorization, methodArn }),
      );
    } catch (error) {
      if ((error as Error).message === 'Unauthorized') throw unauthorized();
      throw error;
    }
    if (this.options.authorizerCacheSeconds > 0) {
      this.authorizerCache.set(authorization, { result, until: now + this.options.authorizerCacheSeconds * 1000 });
    }
    return result;
  }

  /** Per-client throttling by the usage plan of the authorizer's usage identifier key. */
  private throttle(keyValue: string | undefined): void {
    const plans = this.options.usagePlans;
    if (!plans) return;
    const throttle = keyValue ? plans.throttleFor(keyValue) : undefined;
    if (!keyValue || !throttle) throw new AppError(403, 'forbidden');
    const taken = this.buckets.take(keyValue, throttle);
    if (!taken.allowed) {
      throw new AppError(429, 'too-many-requests', undefined, {}, [], { 'Retry-After': String(taken.retryAfterSeconds) });
    }
  }

  private match(method: string, path: string) {
    let pathMatched = false;
    for (const candidate of this.compiled) {
      const found = candidate.pattern.exec(path);
      if (!found) continue;
      pathMatched = true;
      if (candidate.route.method !== method) continue;
      const params: Record<string, string> = {};
      candidate.names.forEach((name, i) => {
        params[name] = decodeURIComponent(found[i + 1]!);
      });
      return { route: candidate.route, params };
    }
    if (pathMatched) throw new AppError(405, 'method-not-allowed');
    throw notFound('route');
  }

  async handle(request: IncomingMessage, body: Buffer): Promise<APIGatewayProxyResult> {
    const requestId = randomUUID();
    const url = new URL(request.url ?? '/', 'http://localhost');
    const method = (request.method ?? 'GET').toUpperCase();
    const headers: Record<string, string> = {};
    const multiValueHeaders: Record<string, string[]> = {};
    for (const [name, value] of Object.entries(request.headers)) {
      if (value === undefined) continue;
      const values = Array.isArray(value) ? value : [value];
      headers[name] = values.join(',');
      multiValueHeaders[name] = values;
    }
    try {
      if (body.length > MAX_BODY_BYTES) throw new AppError(413, 'payload-too-large');
      const { route, params } = this.match(method, url.pathname.replace(/\/+$/, '') || '/');
      const methodArn = `arn:aws:execute-api:local:000000000000:local/local/${method}${url.pathname}`;
      const authorizer =
        route.auth === 'bearer' ? await this.authorize(headers.authorization, methodArn) : undefined;
      if (authorizer) this.throttle(authorizer.usageIdentifierKey ?? undefined);

      const query: Record<string, string> = {};
      const multiQuery: Record<string, string[]> = {};
      for (const [name, value] of url.searchParams) {
        query[name] = value;
        (multiQuery[name] ??= []).push(value);
      }
      const textual = body.length === 0 || isTextual(headers['content-type']);
      const event: APIGatewayProxyEvent = {
        resource: route.path,
        path: url.pathname,
        httpMethod: method,
        headers,
        multiValueHeaders,
        queryStringParameters: Object.keys(query).length ? query : null,
        multiValueQueryStringParameters: Object.keys(multiQuery).length ? multiQuery : null,
        pathParameters: Object.keys(params).length ? params : null,
        stageVariables: null,
        body: body.length === 0 ? null : textual ? body.toString('utf8') : body.toString('base64'),
        isBase64Encoded: !textual,
        requestContext: {
          accountId: '000000000000',
          apiId: 'local',
          authorizer: authorizer ? { principalId: authorizer.principalId, ...authorizer.context } : null,
          httpMethod: method,
          path: url.pathname,
          protocol: 'HTTP/1.1',
          requestId,
          requestTimeEpoch: Date.now(),
          resourceId: route.operationId,
          resourcePath: route.path,
          stage: 'local',
          identity: localIdentity(request.socket.remoteAddress ?? '127.0.0.1', headers['user-agent']),
        },
      };
      const handler = await this.load<ProxyHandler>(route.handler);
      return await timed(route.handler, () => handler(event, lambdaContext(route.handler, requestId)));
    } catch (error) {
      return problemResponse(error, pickLanguage(headers['accept-language']), requestId);
    }
  }

  listen(port: number, host = '127.0.0.1'): Promise<Server> {
    const server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        this.handle(request, Buffer.concat(chunks)).then(
          (result) => write(response, result),
          (error: unknown) => write(response, problemResponse(error, 'zh', 'local')),
        );
      });
    });
    server.keepAliveTimeout = 65_000;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve(server));
    });
  }
}

function isTextual(contentType: string | undefined): boolean {
  if (!contentType) return true;
  return /^(text\/|application\/(json|[\w.+-]+\+json|x-www-form-urlencoded|xml))/i.test(contentType);
}

function write(response: ServerResponse, result: APIGatewayProxyResult): void {
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(result.headers ?? {})) headers[name] = String(value);
  for (const [name, values] of Object.entries(result.multiValueHeaders ?? {})) headers[name] = values.map(String);
  const body = result.isBase64Encoded ? Buffer.from(result.body, 'base64') : Buffer.from(result.body ?? '', 'utf8');
  headers['Content-Length'] = String(body.length);
  response.writeHead(result.statusCode, headers);
  response.end(body);
}

function lambdaContext(functionName: string, requestId: string): Context {
  const deadline = Date.now() + 30_000;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: requestId,
    logGroupName: `/local/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

function localIdentity(sourceIp: string, userAgent: string | undefined): APIGatewayProxyEvent['requestContext']['identity'] {
  return {
    accessKey: null,
    accountId: null,
    apiKey: null,
    apiKeyId: null,
    caller: null,
    clientCert: null,
    cognitoAuthenticationProvider: null,
    cognitoAuthenticationType: null,
    cognitoIdentityId: null,
    cognitoIdentityPoolId: null,
    principalOrgId: null,
    sourceIp,
    user: null,
    userAgent: userAgent ?? null,
    userArn: null,
  };
}

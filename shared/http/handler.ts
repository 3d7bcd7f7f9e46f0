/**
 * The middleware stack of every API function: errors to problem details in the
 * caller's language, JSON bodies, the principal from the authorizer, zod
 * validation, Idempotency-Key. Handlers get typed input and return a result.
 */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import { flushMetrics, logger, tracer } from '../observability.ts';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import type { output } from 'zod/v4/core';
import type { Language } from '../i18n/messages.ts';
import type { Principal, Role } from '../domain/territory.ts';
import { AppError, badRequest, forbidden, unsupportedMediaType } from './errors.ts';
import { idempotency } from './idempotency.ts';
import { pickLanguage } from './language.ts';
import { problemResponse } from './problem.ts';
import { header, principalOf } from './request.ts';
import { parseOrThrow, type Schema } from './validation.ts';

export interface HandlerSpec<
  B extends Schema | undefined,
  Q extends Schema | undefined,
  P extends Schema | undefined,
> {
  body?: B;
  query?: Q;
  params?: P;
  /** Roles allowed to call; others get 403. Absent: public (no principal). */
  roles?: readonly Role[];
  /** Honour Idempotency-Key (creating POSTs). */
  idempotent?: boolean;
}

type Out<T> = T extends Schema ? output<T> : undefined;

export interface ApiRequest<B, Q, P> {
  body: B;
  query: Q;
  params: P;
  principal: Principal;
  language: Language;
  requestId: string;
  event: APIGatewayProxyEvent;
}

export interface HttpResult {
  status: number;
  /** Serialised as JSON. */
  body?: unknown;
  /** Sent as it is (HTML, prebuilt JSON); set Content-Type in headers. */
  text?: string;
  /** Bytes (spreadsheets), sent base64-encoded with isBase64Encoded; set Content-Type in headers. */
  binary?: Uint8Array;
  headers?: Record<string, string>;
}

export const ok = (body: unknown, headers?: Record<string, string>): HttpResult => ({
  status: 200,
  body,
  headers,
});

export const created = (location: string, body: unknown, headers?: Record<string, string>): HttpResult => ({
  status: 201,
  body,
  headers: { Location: location, ...headers },
});

export const etag = (version: number) => `"${version}"`;

const MAX_BODY_BYTES = 1024 * 1024;

/** Parsed JSON body, read once before idempotency and validation. */
export interface ParsedEvent extends APIGatewayProxyEvent {
  parsedBody?: unknown;
}

function parseJsonBody(event: ParsedEvent): void {
  if (event.body === null || event.body === undefined || event.body === '') {
    event.parsedBody = undefined;
    return;
  }
  const contentType = header(event, 'content-type') ?? '';
  if (!/^application\/([\w.+-]*\+)?json\b/i.test(contentType)) throw unsupportedMediaType();
  const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  if (Buffer.byteLength(text) > MAX_BODY_BYTES) throw new AppError(413, 'payload-too-large');
  try {
    event.parsedBody = JSON.parse(text);
  } catch {
    throw badRequest('detail.invalid_json');
  }
}

export function toProxyResult(result: HttpResult): APIGatewayProxyResult {
  if (result.binary !== undefined) {
    const body = Buffer.from(result.binary.buffer, result.binary.byteOffset, result.binary.byteLength).toString('base64');
    return { statusCode: result.status, headers: { ...result.headers }, body, isBase64Encoded: true };
  }
  if (result.text !== undefined) {
    return { statusCode: result.status, headers: { ...result.headers }, body: result.text };
  }
  const hasBody = result.body !== undefined;
  return {
    statusCode: result.status,
    headers: {
      ...(hasBody ? { 'Content-Type': 'application/json; charset=utf-8' } : {}),
      ...result.headers,
    },
    body: hasBody ? JSON.stringify(result.body) : '',
  };
}

const requestIdOf = (event: APIGatewayProxyEvent, context: Context | undefined) =>
  event.requestContext?.requestId ?? context?.awsRequestId ?? 'unknown';

/** Turns any error into problem+json; runs last on the way out. */
const problemDetails = (): middy.MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult> => ({
  onError: (request) => {
    if (!(request.error instanceof AppError)) logger.error('unhandled error', request.error as Error);
    request.response = problemResponse(
      request.error,
      pickLanguage(header(request.event, 'accept-language')),
      requestIdOf(request.event, request.context),
    );
  },
});

export function httpHandler<
  B extends Schema | undefined = undefined,
  Q extends Schema | undefined = undefined,
  P extends Schema | undefined = undefined,
>(
  spec: HandlerSpec<B, Q, P>,
  fn: (request: ApiRequest<Out<B>, Out<Q>, Out<P>>) => Promise<HttpResult> | HttpResult,
) {
  const prepare: middy.MiddlewareObj<ParsedEvent, APIGatewayProxyResult> = {
    before: (request) => {
      if (spec.roles) {
        const principal = principalOf(request.event);
        if (!spec.roles.includes(principal.role)) throw forbidden(principal.role);
      }
      if (spec.body) parseJsonBody(request.event);
    },
  };

  const core = async (event: ParsedEvent, context: Context): Promise<APIGatewayProxyResult> => {
    const language = pickLanguage(header(event, 'accept-language'));
    const request = {
      body: (spec.body ? parseOrThrow(spec.body, event.parsedBody ?? {}) : undefined) as Out<B>,
      query: (spec.query
        ? parseOrThrow(spec.query, event.queryStringParameters ?? {})
        : undefined) as Out<Q>,
      params: (spec.params ? parseOrThrow(spec.params, event.pathParameters ?? {}) : undefined) as Out<P>,
      language,
      requestId: requestIdOf(event, context),
      event,
      // Public routes have no principal; reading it there is a programming error.
      get principal(): Principal {
        return principalOf(event);
      },
    };
    return toProxyResult(await fn(request));
  };

  const chain = middy<ParsedEvent, APIGatewayProxyResult>()
    .use(captureLambdaHandler(tracer, { captureResponse: false }))
    .use(injectLambdaContext(logger))
    .use({ after: flushMetrics, onError: flushMetrics })
    .use(problemDetails())
    .use(prepare);
  if (spec.idempotent) chain.use(idempotency());
  return chain.handler(core);
}

/**
 * The OpenAPI 3.1 document, generated from the route table and the zod schemas
 * the handlers validate with.
 */
import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiPathsObject } from 'zod-openapi';
import { z } from 'zod';
import { translate } from '../i18n/messages.ts';
import { type Route, routes } from '../http/routes.ts';
import { Problem } from './common.ts';
import { OAuthError } from './clients.ts';

const problemSlugs: Record<number, string> = {
  400: 'bad-request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not-found',
  409: 'conflict',
  412: 'precondition-failed',
  413: 'payload-too-large',
  415: 'unsupported-media-type',
  422: 'validation-failed',
  428: 'precondition-required',
  429: 'too-many-requests',
  500: 'internal-error',
};

const IdempotencyKey = z.string().min(1).max(255).optional().meta({
  description:
    'Retries with the same key and body within 24 h return the first response; another body is 422; while the first runs, 409',
});

function operation(route: Route): ZodOpenApiOperationObject {
  const responses: ZodOpenApiOperationObject['responses'] = {};
  for (const [status, response] of Object.entries(route.responses)) {
    responses[status as `2${string}`] = {
      description: response.description,
      ...(response.schema
        ? { content: { [response.contentType ?? 'application/json']: { schema: response.schema } } }
        : response.contentType
          ? { content: { [response.contentType]: { schema: { type: 'string' } } } }
          : {}),
    };
  }
  for (const status of [...route.errors, 500]) {
    const slug = problemSlugs[status] ?? 'internal-error';
    const isTokenEndpoint = route.operationId === 'issueToken' && (status === 400 || status === 401);
    responses[String(status) as `4${string}`] = {
      description: `${translate(slug, 'en')} (type /problems/${slug})`,
      content: isTokenEndpoint
        ? { 'application/json': { schema: OAuthError } }
        : { 'application/problem+json': { schema: Problem } },
    };
  }
  const request = route.request ?? {};
  return {
    operationId: route.operationId,
    tags: [route.tag],
    summary: route.summary,
    ...(route.description ? { description: route.description } : {}),
    ...(route.auth === 'bearer' ? { security: [{ bearerAuth: [] }] } : { security: [] }),
    requestParams: {
      ...(request.params ? { path: request.params } : {}),
      ...(request.query ? { query: request.query } : {}),
      ...(route.idempotent ? { header: z.object({ 'Idempotency-Key': IdempotencyKey }) } : {}),
      ...(route.ifMatch ? { header: z.object({ 'If-Match': z.string().meta({ description: 'The ETag of the version you edit' }) }) } : {}),
    },
    ...(request.body
      ? {
          requestBody: {
            required: true,
            content: { [request.bodyContentType ?? 'application/json']: { schema: request.body } },
          },
        }
      : {}),
    responses,
  };
}

export function buildOpenApiDocument(serverUrl?: string) {
  const paths: ZodOpenApiPathsObject = {};
  for (const route of routes) {
    paths[route.path] ??= {};
    (paths[route.path] as Record<string, ZodOpenApiOperationObject>)[route.method.toLowerCase()] = operation(route);
  }
  return createDocument({
    openapi: '3.1.0',
    info: {
      title: '对标达标 Benchmarking Platform API',
      version: '1.0.0',
      description:
        'Declarations of the standards enterprises follow, compared with international and foreign advanced standards; reviews, aggregates and forerunner lists. Errors are RFC 9457 problem details (Chinese by default, English with Accept-Language: en).',
      license: { name: 'Proprietary' },
    },
    ...(serverUrl ? { servers: [{ url: serverUrl }] } : {}),
    tags: [...new Set(routes.map((r) => r.tag))].map((name) => ({ name })),
    security: [{ bearerAuth: [] }],
    components: {
      securitySchemes: {
        bearerAuth: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: 'ES256 access token from POST /oauth2/token (client credentials)',
        },
      },
    },
    paths,
  });
}

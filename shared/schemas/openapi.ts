/**
 * The OpenAPI 3.1 document, generated from the route table and the zod schemas
 * the handlers validate with.
 *
 * Schemas live in two kinds of module. shared/schemas/<capability>.ts: what
 * functions parse with, on zod/mini, so function bundles carry no classic zod
 * and build only the schemas they use. shared/schemas/<capability>.docs.ts:
 * what only this document describes (responses, problem details, the token
 * form, webhook payloads), on classic zod; only the route table and this module
 * import them. Both kinds share the global registry, so one document holds both.
 */
import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiPathsObject } from 'zod-openapi';
import * as z from 'zod';
import { translate } from '../i18n/messages.ts';
import { type Route, routes } from '../http/routes.ts';
import { Problem } from './common.docs.ts';
import { OAuthError } from './clients.docs.ts';
import { WEBHOOK_EVENT_TYPES } from '../domain/webhooks.ts';
import { WebhookPayload } from './webhooks.docs.ts';

/** What each tag groups, for readers of the document and the /docs page. */
const TAG_DESCRIPTIONS: Record<string, string> = {
  system: 'Health, this document and the reference page; no token needed.',
  auth: 'OAuth 2.0 client credentials: access tokens (ES256 JWTs, at most one hour) and the keys that verify them.',
  clients: 'API clients of bureaus, enterprises and experts: registration, lists, deletion and secret rotation.',
  standards: 'The catalogue of standards (national writes, every role reads).',
  schemes: 'Technical schemes: benchmark standards and key indicators, versioned.',
  cities: 'Cities taking part in the campaign, by round.',
  enterprises: 'Enterprises by unified social credit code, within the caller’s territory.',
  declarations: 'Declarations of the standard a product follows and its indicator values, with revisions.',
  comparisons: 'Comparisons of declarations with the benchmark standards, and their reports.',
  materials: 'Files attached to declarations, uploaded with presigned POSTs and verified.',
  batches: 'Bulk submission of declarations from CSV or XLSX files.',
  reviews: 'Review decisions (推荐上报): recommend, accept or return.',
  stats: 'Aggregates within the caller’s territory.',
  forerunners: 'Forerunner (领跑者) rankings and published lists.',
  notices: 'Notices to bureaus, enterprises and the public, with attachments uploaded and verified like declaration materials.',
  threads: 'Questions and answers between enterprises and experts.',
  directory: 'Experts and technical institutions.',
  search: 'Search over standards, schemes, experts and institutions.',
  public: 'Published results, forerunner lists and notices; no token needed.',
  webhooks: 'Callbacks when work finishes, signed per Standard Webhooks (https://www.standardwebhooks.com).',
};

const tagDescription = (tag: string) => TAG_DESCRIPTIONS[tag] ?? `Operations on ${tag}.`;

const RetryAfter = {
  description: 'Seconds to wait before retrying',
  schema: { type: 'integer', minimum: 1 },
} as const;

/** Standard Webhooks headers of every delivery (OpenAPI 3.1 `webhooks`). */
function webhookOperation(type: string): ZodOpenApiOperationObject {
  return {
    operationId: `on${type
      .split('.')
      .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
      .join('')}`,
    tags: ['webhooks'],
    summary: `The ${type} event, POSTed to registered callback URLs`,
    description:
      'Verify webhook-signature (v1,<base64 HMAC-SHA256 of "{webhook-id}.{webhook-timestamp}.{body}" keyed with the base64 key after whsec_) with a Standard Webhooks library, refuse timestamps more than 5 minutes away, and treat a repeated webhook-id as already handled. Answer 2xx within 10 s; anything else is retried with backoff for 24 h, then the webhook is disabled.',
    security: [],
    requestParams: {
      header: z.object({
        'webhook-id': z.string().meta({ description: 'The same for every attempt of one delivery' }),
        'webhook-timestamp': z.string().meta({ description: 'Unix seconds of this attempt' }),
        'webhook-signature': z.string().meta({ description: 'v1,<base64 HMAC-SHA256>' }),
      }),
    },
    requestBody: { required: true, content: { 'application/json': { schema: WebhookPayload } } },
    responses: {
      '200': { description: 'Received (any 2xx)' },
      '400': { description: 'Refused (signature, timestamp): retried like any failure' },
    },
  };
}

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
  // Every operation can be throttled: bearer routes by the client's usage plan, all by the stage.
  for (const status of [...new Set([...route.errors, 429, 500])].sort()) {
    const slug = problemSlugs[status] ?? 'internal-error';
    const isTokenEndpoint = route.operationId === 'issueToken' && [400, 401, 429].includes(status);
    responses[String(status) as `4${string}`] = {
      description: isTokenEndpoint
        ? `RFC 6749 §5.2 error${status === 429 ? ' slow_down: too many failed attempts for this client id' : ''}`
        : `${translate(slug, 'en')} (type /problems/${slug})`,
      ...(status === 429 ? { headers: { 'Retry-After': RetryAfter } } : {}),
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
      license: { name: 'Proprietary', identifier: 'LicenseRef-Proprietary' },
    },
    // Relative: the host (and stage) that serves this document.
    servers: [{ url: serverUrl ?? '/', description: 'This API' }],
    tags: [...new Set([...routes.map((r) => r.tag), 'webhooks'])].map((name) => ({ name, description: tagDescription(name) })),
    security: [{ bearerAuth: [] }],
    components: {
      securitySchemes: {
        bearerAuth: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description:
            'ES256 access token from POST /oauth2/token (OAuth 2.0 client credentials, form fields or HTTP Basic), valid at most one hour: cache it until shortly before expires_in',
        },
      },
    },
    paths,
    webhooks: Object.fromEntries(WEBHOOK_EVENT_TYPES.map((type) => [type, { post: webhookOperation(type) }])),
  });
}

/**
 * The route table: the single list of operations. CDK builds API Gateway
 * resources and one function per route from it, the local runtime dispatches
 * with it, and the OpenAPI document is generated from it.
 */
import type { z } from 'zod';
import { CreateCityBody, City, ListCitiesQuery } from '../schemas/cities.ts';
import { ClientWithSecret, CreateClientBody, OAuthError, TokenRequest, TokenResponse } from '../schemas/clients.ts';
import { page } from '../schemas/common.ts';
import {
  CreateDeclarationBody,
  Declaration,
  DeclarationParams,
  ListDeclarationsQuery,
} from '../schemas/declarations.ts';
import {
  CreateEnterpriseBody,
  Enterprise,
  EnterpriseParams,
  ListEnterprisesQuery,
} from '../schemas/enterprises.ts';
import { Comparison, ComparisonParams, ComparisonStarted } from '../schemas/comparisons.ts';
import { ListSchemesQuery, Scheme, SchemeBody, SchemeParams } from '../schemas/schemes.ts';
import { CreateStandardBody, ListStandardsQuery, Standard, StandardParams } from '../schemas/standards.ts';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface RouteResponse {
  description: string;
  schema?: z.ZodType;
  contentType?: string;
}

export interface Route {
  operationId: string;
  method: HttpMethod;
  /** API Gateway resource path, `{name}` for path parameters. */
  path: string;
  /** `functions/<handler>.ts`, exporting `handler`. */
  handler: string;
  /** `bearer`: the authorizer runs first; `none`: public. */
  auth: 'bearer' | 'none';
  tag: string;
  summary: string;
  description?: string;
  request?: {
    body?: z.ZodType;
    bodyContentType?: string;
    query?: z.ZodObject;
    params?: z.ZodObject;
  };
  /** Success responses by status. Error statuses are listed in `errors`. */
  responses: Record<number, RouteResponse>;
  errors: number[];
  /** Creating POSTs honour Idempotency-Key. */
  idempotent?: boolean;
  /** Mutations that need `If-Match`. */
  ifMatch?: boolean;
  memoryMb?: number;
}

const json = (description: string, schema?: z.ZodType): RouteResponse => ({ description, schema });

export const routes: Route[] = [
  {
    operationId: 'getHealth',
    method: 'GET',
    path: '/health',
    handler: 'system/get-health',
    auth: 'none',
    tag: 'system',
    summary: 'Liveness and dependency check',
    responses: { 200: json('Healthy') },
    errors: [],
  },
  {
    operationId: 'getOpenApi',
    method: 'GET',
    path: '/openapi.json',
    handler: 'system/get-openapi',
    auth: 'none',
    tag: 'system',
    summary: 'This OpenAPI 3.1 document',
    responses: { 200: json('The document') },
    errors: [],
  },
  {
    operationId: 'getDocs',
    method: 'GET',
    path: '/docs',
    handler: 'system/get-docs',
    auth: 'none',
    tag: 'system',
    summary: 'The API reference as a page',
    responses: { 200: { description: 'HTML', contentType: 'text/html' } },
    errors: [],
  },
  {
    operationId: 'issueToken',
    method: 'POST',
    path: '/oauth2/token',
    handler: 'auth/issue-token',
    auth: 'none',
    tag: 'auth',
    summary: 'OAuth 2.0 client credentials grant',
    description:
      'Form fields grant_type=client_credentials, client_id, client_secret, or HTTP Basic. Errors follow RFC 6749 §5.2.',
    request: { body: TokenRequest, bodyContentType: 'application/x-www-form-urlencoded' },
    responses: { 200: json('An access token (ES256 JWT)', TokenResponse) },
    errors: [400, 401, 429],
  },
  {
    operationId: 'getJwks',
    method: 'GET',
    path: '/.well-known/jwks.json',
    handler: 'auth/get-jwks',
    auth: 'none',
    tag: 'auth',
    summary: 'Public keys that verify access tokens',
    responses: { 200: json('JWK set') },
    errors: [],
  },
  {
    operationId: 'createClient',
    method: 'POST',
    path: '/v1/clients',
    handler: 'clients/create-client',
    auth: 'bearer',
    tag: 'clients',
    summary: 'Register an API client (the secret is shown once)',
    request: { body: CreateClientBody },
    responses: { 201: json('Created', ClientWithSecret) },
    errors: [400, 401, 403, 409, 415, 422],
    idempotent: true,
  },
  {
    operationId: 'createStandard',
    method: 'POST',
    path: '/v1/standards',
    handler: 'standards/create-standard',
    auth: 'bearer',
    tag: 'standards',
    summary: 'Add a standard to the catalogue (national)',
    request: { body: CreateStandardBody },
    responses: { 201: json('Created', Standard) },
    errors: [400, 401, 403, 409, 415, 422],
    idempotent: true,
  },
  {
    operationId: 'listStandards',
    method: 'GET',
    path: '/v1/standards',
    handler: 'standards/list-standards',
    auth: 'bearer',
    tag: 'standards',
    summary: 'List standards by org, kind or number prefix',
    request: { query: ListStandardsQuery },
    responses: { 200: json('A page of standards', page(Standard, 'StandardPage')) },
    errors: [401, 422],
  },
  {
    operationId: 'getStandard',
    method: 'GET',
    path: '/v1/standards/{id}',
    handler: 'standards/get-standard',
    auth: 'bearer',
    tag: 'standards',
    summary: 'One standard',
    request: { params: StandardParams },
    responses: { 200: json('The standard', Standard) },
    errors: [401, 404],
  },
  {
    operationId: 'createScheme',
    method: 'POST',
    path: '/v1/schemes',
    handler: 'schemes/create-scheme',
    auth: 'bearer',
    tag: 'schemes',
    summary: 'Publish a technical scheme (national)',
    request: { body: SchemeBody },
    responses: { 201: json('Created, version 1', Scheme) },
    errors: [400, 401, 403, 415, 422],
    idempotent: true,
  },
  {
    operationId: 'listSchemes',
    method: 'GET',
    path: '/v1/schemes',
    handler: 'schemes/list-schemes',
    auth: 'bearer',
    tag: 'schemes',
    summary: 'List schemes by field and industry',
    request: { query: ListSchemesQuery },
    responses: { 200: json('A page of schemes', page(Scheme, 'SchemePage')) },
    errors: [401, 422],
  },
  {
    operationId: 'getScheme',
    method: 'GET',
    path: '/v1/schemes/{id}',
    handler: 'schemes/get-scheme',
    auth: 'bearer',
    tag: 'schemes',
    summary: 'The latest version of a scheme (ETag carries the version)',
    request: { params: SchemeParams },
    responses: { 200: json('The scheme', Scheme) },
    errors: [401, 404],
  },
  {
    operationId: 'updateScheme',
    method: 'PUT',
    path: '/v1/schemes/{id}',
    handler: 'schemes/update-scheme',
    auth: 'bearer',
    tag: 'schemes',
    summary: 'Make a new version of a scheme (If-Match required)',
    request: { params: SchemeParams, body: SchemeBody },
    responses: { 200: json('The new version', Scheme) },
    errors: [400, 401, 403, 404, 412, 415, 422, 428],
    ifMatch: true,
  },
  {
    operationId: 'createCity',
    method: 'POST',
    path: '/v1/cities',
    handler: 'cities/create-city',
    auth: 'bearer',
    tag: 'cities',
    summary: 'Enrol a city in a campaign round (national, or a province for its cities)',
    request: { body: CreateCityBody },
    responses: { 201: json('Created', City) },
    errors: [400, 401, 403, 409, 415, 422],
    idempotent: true,
  },
  {
    operationId: 'listCities',
    method: 'GET',
    path: '/v1/cities',
    handler: 'cities/list-cities',
    auth: 'bearer',
    tag: 'cities',
    summary: 'Participating cities',
    request: { query: ListCitiesQuery },
    responses: { 200: json('A page of cities', page(City, 'CityPage')) },
    errors: [401, 422],
  },
  {
    operationId: 'createEnterprise',
    method: 'POST',
    path: '/v1/enterprises',
    handler: 'enterprises/create-enterprise',
    auth: 'bearer',
    tag: 'enterprises',
    summary: 'Register an enterprise (a credit code registered anywhere is 409)',
    request: { body: CreateEnterpriseBody },
    responses: { 201: json('Created', Enterprise) },
    errors: [400, 401, 403, 409, 415, 422],
    idempotent: true,
  },
  {
    operationId: 'listEnterprises',
    method: 'GET',
    path: '/v1/enterprises',
    handler: 'enterprises/list-enterprises',
    auth: 'bearer',
    tag: 'enterprises',
    summary: 'Enterprises within a division and industry, in the caller’s territory',
    request: { query: ListEnterprisesQuery },
    responses: { 200: json('A page of enterprises', page(Enterprise, 'EnterprisePage')) },
    errors: [401, 422],
  },
  {
    operationId: 'getEnterprise',
    method: 'GET',
    path: '/v1/enterprises/{creditCode}',
    handler: 'enterprises/get-enterprise',
    auth: 'bearer',
    tag: 'enterprises',
    summary: 'One enterprise',
    request: { params: EnterpriseParams },
    responses: { 200: json('The enterprise', Enterprise) },
    errors: [401, 404],
  },
  {
    operationId: 'createDeclaration',
    method: 'POST',
    path: '/v1/declarations',
    handler: 'declarations/create-declaration',
    auth: 'bearer',
    tag: 'declarations',
    summary: 'Declare a product’s standard and indicator values (a revision when the product was declared before)',
    request: { body: CreateDeclarationBody },
    responses: { 201: json('Created, status submitted', Declaration) },
    errors: [400, 401, 403, 409, 415, 422],
    idempotent: true,
  },
  {
    operationId: 'listDeclarations',
    method: 'GET',
    path: '/v1/declarations',
    handler: 'declarations/list-declarations',
    auth: 'bearer',
    tag: 'declarations',
    summary: 'Declarations by scheme, division, enterprise and status, in the caller’s territory',
    request: { query: ListDeclarationsQuery },
    responses: { 200: json('A page of declarations', page(Declaration, 'DeclarationPage')) },
    errors: [401, 422],
  },
  {
    operationId: 'getDeclaration',
    method: 'GET',
    path: '/v1/declarations/{id}',
    handler: 'declarations/get-declaration',
    auth: 'bearer',
    tag: 'declarations',
    summary: 'One declaration with its revision history',
    request: { params: DeclarationParams },
    responses: { 200: json('The declaration', Declaration) },
    errors: [401, 404],
  },
  {
    operationId: 'rerunComparison',
    method: 'POST',
    path: '/v1/declarations/{id}/comparisons',
    handler: 'declarations/rerun-comparison',
    auth: 'bearer',
    tag: 'comparisons',
    summary: 'Compare again against the scheme’s latest version (national, or a bureau over the declaration)',
    description: 'A re-run never changes the review status.',
    request: { params: DeclarationParams },
    responses: { 202: json('Started', ComparisonStarted) },
    errors: [401, 403, 404, 409, 422],
    idempotent: true,
  },
  {
    operationId: 'getComparison',
    method: 'GET',
    path: '/v1/comparisons/{id}',
    handler: 'comparisons/get-comparison',
    auth: 'bearer',
    tag: 'comparisons',
    summary: 'A comparison: status, result and short-lived report links in the request’s language',
    request: { params: ComparisonParams },
    responses: { 200: json('The comparison', Comparison) },
    errors: [401, 404],
  },
];

/** Functions that are not routes: the authorizer and event consumers. */
export const authorizerHandler = 'auth/authorize';

export { OAuthError };

/**
 * The middleware stack on failure paths the emulators cannot produce:
 * throttling and timeouts from DynamoDB become a 500 that shows only the
 * request id, never internals; client errors never become 5xx.
 */
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';

process.env.TABLE_NAME = 'unit-main';
process.env.IDEMPOTENCY_TABLE_NAME = 'unit-idempotency';
process.env.TOKEN_ISSUER = 'urn:test';
process.env.TOKEN_AUDIENCE = 'test';
process.env.SIGNING_KEY_ID = 'alias/test';

const documents = mockClient(DynamoDBDocumentClient);

type Handler = (event: APIGatewayProxyEvent, context: Context) => Promise<{ statusCode: number; headers?: Record<string, unknown>; body: string }>;
let getDeclaration: Handler;
let createEnterprise: Handler;

beforeAll(async () => {
  ({ handler: getDeclaration } = (await import('../../functions/declarations/get-declaration.ts')) as unknown as { handler: Handler });
  ({ handler: createEnterprise } = (await import('../../functions/enterprises/create-enterprise.ts')) as unknown as { handler: Handler });
});

beforeEach(() => {
  documents.reset();
  vi.spyOn(console, 'error').mockImplementation(() => undefined);
});

const context = { awsRequestId: 'req-123', getRemainingTimeInMillis: () => 10_000 } as unknown as Context;

function event(overrides: Partial<APIGatewayProxyEvent>): APIGatewayProxyEvent {
  return {
    resource: '/',
    path: '/',
    httpMethod: 'GET',
    headers: {},
    multiValueHeaders: {},
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: null,
    stageVariables: null,
    body: null,
    isBase64Encoded: false,
    requestContext: {
      requestId: 'req-123',
      authorizer: { clientId: 'national-admin', role: 'national', territory: '' },
    } as unknown as APIGatewayProxyEvent['requestContext'],
    ...overrides,
  };
}

describe('failure paths', () => {
  it('turns DynamoDB throttling into a 500 problem that carries only the request id', async () => {
    documents.on(GetCommand).rejects(
      new ProvisionedThroughputExceededException({ message: 'Rate exceeded for table unit-main', $metadata: {} }),
    );
    const response = await getDeclaration(
      event({ resource: '/v1/declarations/{id}', pathParameters: { id: '01J0000000000000000000000' } }),
      context,
    );
    expect(response.statusCode).toBe(500);
    expect(response.headers?.['Content-Type']).toBe('application/problem+json');
    const body = JSON.parse(response.body) as Record<string, unknown>;
    expect(body).toMatchObject({ type: '/problems/internal-error', status: 500, requestId: 'req-123' });
    expect(response.body).not.toMatch(/unit-main|Rate exceeded|Provisioned/);
  });

  it('turns a timeout into a 500 without internals', async () => {
    documents.on(GetCommand).rejects(Object.assign(new Error('socket hang up ETIMEDOUT 10.0.0.1'), { name: 'TimeoutError' }));
    const response = await getDeclaration(
      event({ resource: '/v1/declarations/{id}', pathParameters: { id: 'abc' } }),
      context,
    );
    expect(response.statusCode).toBe(500);
    expect(response.body).not.toContain('10.0.0.1');
  });

  it('answers 400 for unparsable JSON and 415 for another content type, without touching DynamoDB', async () => {
    const bad = await createEnterprise(
      event({ httpMethod: 'POST', resource: '/v1/enterprises', headers: { 'content-type': 'application/json' }, body: '{"creditCode":' }),
      context,
    );
    expect(bad.statusCode).toBe(400);
    expect(JSON.parse(bad.body)).toMatchObject({ type: '/problems/bad-request' });
    const wrongType = await createEnterprise(
      event({ httpMethod: 'POST', resource: '/v1/enterprises', headers: { 'Content-Type': 'text/plain' }, body: 'hello' }),
      context,
    );
    expect(wrongType.statusCode).toBe(415);
    expect(documents.calls()).toHaveLength(0);
  });

  it('answers 403 to a role that may not create enterprises', async () => {
    const response = await createEnterprise(
      event({
        httpMethod: 'POST',
        resource: '/v1/enterprises',
        headers: { 'content-type': 'application/json', 'accept-language': 'en' },
        body: '{}',
        requestContext: { requestId: 'r', authorizer: { clientId: 'e', role: 'enterprise', territory: '91350100M000100Y43' } } as never,
      }),
      context,
    );
    expect(response.statusCode).toBe(403);
    expect(JSON.parse(response.body).title).toBe('Not allowed');
  });

  it('lists every missing required field at once', async () => {
    const response = await createEnterprise(
      event({ httpMethod: 'POST', resource: '/v1/enterprises', headers: { 'content-type': 'application/json' }, body: '{"name":"x"}' }),
      context,
    );
    expect(response.statusCode).toBe(422);
    const errors = (JSON.parse(response.body) as { errors: { path: string; code: string }[] }).errors;
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: 'creditCode', code: 'required' }),
        expect.objectContaining({ path: 'divisionCode', code: 'required' }),
        expect.objectContaining({ path: 'industry', code: 'required' }),
      ]),
    );
  });
});

/**
 * POST /oauth2/token: the client credentials grant (RFC 6749 §4.4). Errors are
 * RFC 6749 §5.2 JSON, not problem details: OAuth client libraries expect them.
 * Failed attempts are limited per client id (429 slow_down with Retry-After).
 */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import { logger, tracer } from '../../shared/observability.ts';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { verifySecret } from '../../shared/auth/secrets.ts';
import { recordTokenFailure, tokenLockoutSeconds } from '../../shared/auth/token-failures.ts';
import { issueAccessToken } from '../../shared/auth/tokens.ts';
import { header } from '../../shared/http/request.ts';
import { getClient } from '../../shared/store/clients.ts';

type OAuthErrorCode = 'invalid_request' | 'invalid_client' | 'unsupported_grant_type';

const noStore = { 'Cache-Control': 'no-store', Pragma: 'no-cache' };

function oauthError(code: OAuthErrorCode, description: string, viaBasic = false): APIGatewayProxyResult {
  const status = code === 'invalid_client' && viaBasic ? 401 : 400;
  return {
    statusCode: status,
    headers: {
      'Content-Type': 'application/json; charset=utf-8',
      ...noStore,
      ...(status === 401 ? { 'WWW-Authenticate': 'Basic realm="token"' } : {}),
    },
    body: JSON.stringify({ error: code, error_description: description }),
  };
}

/** Too many failed requests for this client id: wait, even with the right secret. */
function slowDown(retryAfterSeconds: number): APIGatewayProxyResult {
  return {
    statusCode: 429,
    headers: { 'Content-Type': 'application/json; charset=utf-8', ...noStore, 'Retry-After': String(retryAfterSeconds) },
    body: JSON.stringify({ error: 'slow_down', error_description: `Too many failed attempts for this client; retry in ${retryAfterSeconds} s` }),
  };
}

/** HTTP Basic credentials, form-urlencoded per RFC 6749 §2.3.1. */
function basicCredentials(authorization: string | undefined): { id: string; secret: string } | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(authorization ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  try {
    return {
      id: decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, ' ')),
      secret: decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, ' ')),
    };
  } catch {
    return undefined;
  }
}

async function issueToken(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
  const contentType = header(event, 'content-type') ?? '';
  if (!/^application\/x-www-form-urlencoded\b/i.test(contentType)) {
    return oauthError('invalid_request', 'Content-Type must be application/x-www-form-urlencoded');
  }
  const raw = event.isBase64Encoded ? Buffer.from(event.body ?? '', 'base64').toString('utf8') : (event.body ?? '');
  const form = new URLSearchParams(raw);
  const grantType = form.get('grant_type');
  if (!grantType) return oauthError('invalid_request', 'grant_type is required');
  if (grantType !== 'client_credentials') {
    return oauthError('unsupported_grant_type', 'Only client_credentials is supported');
  }
  const basic = basicCredentials(header(event, 'authorization'));
  const formId = form.get('client_id');
  const formSecret = form.get('client_secret');
  if (basic && (formId || formSecret)) {
    return oauthError('invalid_request', 'Use either HTTP Basic or form credentials, not both');
  }
  const clientId = basic?.id ?? formId;
  const secret = basic?.secret ?? formSecret;
  if (!clientId || !secret) return oauthError('invalid_client', 'Client credentials are required', !!basic);
  // Client ids have at most 64 characters: a longer one names no client (and is not counted).
  if (clientId.length > 64) return oauthError('invalid_client', 'Unknown client or wrong secret', !!basic);

  const lockout = await tokenLockoutSeconds(clientId);
  if (lockout > 0) return slowDown(lockout);
  const client = await getClient(clientId);
  // Same answer for an unknown client and a wrong secret.
  if (!client || !(await verifySecret(secret, client.secretHash))) {
    await recordTokenFailure(clientId);
    return oauthError('invalid_client', 'Unknown client or wrong secret', !!basic);
  }
  const token = await issueAccessToken(client);
  return {
    statusCode: 200,
    headers: { 'Content-Type': 'application/json; charset=utf-8', ...noStore },
    body: JSON.stringify({ access_token: token.accessToken, token_type: 'Bearer', expires_in: token.expiresIn }),
  };
}

export const handler = middy<APIGatewayProxyEvent, APIGatewayProxyResult>()
  .use(captureLambdaHandler(tracer, { captureResponse: false }))
  .use(injectLambdaContext(logger))
  .use({
    onError: (request) => {
      logger.error('token endpoint failed', request.error as Error);
      request.response = {
        statusCode: 500,
        headers: { 'Content-Type': 'application/json; charset=utf-8', ...noStore },
        body: JSON.stringify({ error: 'server_error', requestId: request.event.requestContext?.requestId }),
      };
    },
  })
  .handler(issueToken);

/**
 * The API Gateway Lambda authorizer (TOKEN type). It verifies the access token
 * and that its client still exists with the same credentials (not deleted, no
 * secret rotation since), and hands role and territory to the handlers. API
 * Gateway caches the result per token (flushed when a client is deleted or
 * rotated); the policy therefore allows every method, and handlers check roles.
 */
import type { APIGatewayAuthorizerResult, APIGatewayTokenAuthorizerEvent } from 'aws-lambda';
import { InvalidTokenError, verifyAccessToken } from '../../shared/auth/tokens.ts';
import { getClient } from '../../shared/store/clients.ts';

/** What API Gateway turns into a 401. */
const unauthorized = () => new Error('Unauthorized');

function wildcardArn(methodArn: string): string {
  // arn:aws:execute-api:region:account:apiId/stage/METHOD/path → .../apiId/stage/*/*
  const [prefix, apiId, stage] = methodArn.split('/');
  return `${prefix}/${apiId}/${stage}/*/*`;
}

export async function handler(event: APIGatewayTokenAuthorizerEvent): Promise<APIGatewayAuthorizerResult> {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(event.authorizationToken ?? '');
  if (!match) throw unauthorized();
  let token;
  try {
    token = await verifyAccessToken(match[1]!);
  } catch (error) {
    if (error instanceof InvalidTokenError) throw unauthorized();
    throw error;
  }
  const client = await getClient(token.clientId);
  if (
    !client ||
    client.role !== token.role ||
    client.territory !== token.territory ||
    (client.credentialVersion ?? 1) !== token.credentialVersion
  ) {
    throw unauthorized();
  }
  return {
    principalId: token.clientId,
    policyDocument: {
      Version: '2012-10-17',
      Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: wildcardArn(event.methodArn) }],
    },
    context: { clientId: token.clientId, role: token.role, territory: token.territory },
    // The client's API key value: API Gateway throttles it by the key's usage plan
    // (apiKeySource AUTHORIZER). A client without a key is refused (403).
    ...(client.apiKeyValue ? { usageIdentifierKey: client.apiKeyValue } : {}),
  };
}

import type { APIGatewayProxyEvent } from 'aws-lambda';
import type { Principal, Role } from '../domain/territory.ts';
import { unauthorized } from './errors.ts';

const roles: ReadonlySet<string> = new Set<Role>(['national', 'province', 'city', 'enterprise', 'expert']);

/** Header lookup that ignores case (API Gateway keeps the client's spelling). */
export function header(event: Pick<APIGatewayProxyEvent, 'headers'>, name: string): string | undefined {
  const headers = event.headers ?? {};
  const direct = headers[name] ?? headers[name.toLowerCase()];
  if (direct !== undefined) return direct;
  const lower = name.toLowerCase();
  for (const key of Object.keys(headers)) {
    if (key.toLowerCase() === lower) return headers[key];
  }
  return undefined;
}

/** The caller as the authorizer described it in the request context. */
export function principalOf(event: APIGatewayProxyEvent): Principal {
  const context = event.requestContext?.authorizer ?? {};
  const { clientId, role, territory } = context as Record<string, unknown>;
  if (typeof clientId !== 'string' || typeof role !== 'string' || !roles.has(role)) {
    throw unauthorized();
  }
  return { clientId, role: role as Role, territory: typeof territory === 'string' ? territory : '' };
}

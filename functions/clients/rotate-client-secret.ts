import { httpHandler, ok } from '../../shared/http/handler.ts';
import { ClientParams } from '../../shared/schemas/clients.ts';
import { rotateClientSecret } from '../../shared/services/clients.ts';

export const handler = httpHandler(
  { params: ClientParams, roles: ['national', 'province', 'city', 'enterprise', 'expert'], idempotent: true },
  async ({ params, principal }) => {
    const { clientId, secret } = await rotateClientSecret(principal, params.id);
    return ok({ clientId, clientSecret: secret }, { 'Cache-Control': 'no-store' });
  },
);

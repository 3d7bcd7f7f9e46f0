import { created, httpHandler } from '../../shared/http/handler.ts';
import { presentClient } from '../../shared/http/presenters.ts';
import { CreateClientBody } from '../../shared/schemas/clients.ts';
import { registerClient } from '../../shared/services/clients.ts';

export const handler = httpHandler(
  { body: CreateClientBody, roles: ['national', 'province', 'city'], idempotent: true },
  async ({ body, principal }) => {
    const { client, secret } = await registerClient(principal, body);
    return created(`/v1/clients/${client.clientId}`, { ...presentClient(client), clientSecret: secret });
  },
);

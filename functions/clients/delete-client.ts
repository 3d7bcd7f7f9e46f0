import { httpHandler } from '../../shared/http/handler.ts';
import { ClientParams } from '../../shared/schemas/clients.ts';
import { removeClient } from '../../shared/services/clients.ts';

export const handler = httpHandler(
  { params: ClientParams, roles: ['national', 'province', 'city'] },
  async ({ params, principal }) => {
    await removeClient(principal, params.id);
    return { status: 204 };
  },
);

import { httpHandler, ok } from '../../shared/http/handler.ts';
import { presentClient } from '../../shared/http/presenters.ts';
import { ListClientsQuery } from '../../shared/schemas/clients.ts';
import { listVisibleClients } from '../../shared/services/clients.ts';

export const handler = httpHandler(
  { query: ListClientsQuery, roles: ['national', 'province', 'city'] },
  async ({ query, principal }) => {
    const page = await listVisibleClients(principal, query);
    return ok({ items: page.items.map(presentClient), nextCursor: page.nextCursor });
  },
);

import { httpHandler, ok } from '../../shared/http/handler.ts';
import { presentWebhook } from '../../shared/http/presenters.ts';
import { ListWebhooksQuery } from '../../shared/schemas/webhooks.ts';
import { listWebhooksOf } from '../../shared/store/webhooks.ts';

export const handler = httpHandler(
  { query: ListWebhooksQuery, roles: ['national', 'province', 'city', 'enterprise'] },
  async ({ query, principal }) => {
    const page = await listWebhooksOf(principal.clientId, query.limit, query.cursor);
    return ok({ items: page.items.map(presentWebhook), nextCursor: page.nextCursor });
  },
);

import { httpHandler, ok } from '../../shared/http/handler.ts';
import { presentDelivery } from '../../shared/http/presenters.ts';
import { ListWebhooksQuery, WebhookParams } from '../../shared/schemas/webhooks.ts';
import { deliveriesOf } from '../../shared/services/webhooks.ts';

export const handler = httpHandler(
  { params: WebhookParams, query: ListWebhooksQuery, roles: ['national', 'province', 'city', 'enterprise'] },
  async ({ params, query, principal }) => {
    const page = await deliveriesOf(principal, params.id, query);
    return ok({ items: page.items.map(presentDelivery), nextCursor: page.nextCursor });
  },
);

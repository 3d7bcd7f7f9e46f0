import { httpHandler } from '../../shared/http/handler.ts';
import { WebhookParams } from '../../shared/schemas/webhooks.ts';
import { removeWebhook } from '../../shared/services/webhooks.ts';

export const handler = httpHandler(
  { params: WebhookParams, roles: ['national', 'province', 'city', 'enterprise'] },
  async ({ params, principal }) => {
    await removeWebhook(principal, params.id);
    return { status: 204 };
  },
);

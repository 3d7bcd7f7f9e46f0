import { created, httpHandler } from '../../shared/http/handler.ts';
import { presentWebhook } from '../../shared/http/presenters.ts';
import { CreateWebhookBody } from '../../shared/schemas/webhooks.ts';
import { registerWebhook } from '../../shared/services/webhooks.ts';

export const handler = httpHandler(
  { body: CreateWebhookBody, roles: ['national', 'province', 'city', 'enterprise'], idempotent: true },
  async ({ body, principal }) => {
    const webhook = await registerWebhook(principal, body);
    return created(`/v1/webhooks/${webhook.id}`, { ...presentWebhook(webhook), secret: webhook.secret }, { 'Cache-Control': 'no-store' });
  },
);

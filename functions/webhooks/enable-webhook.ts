import { httpHandler, ok } from '../../shared/http/handler.ts';
import { presentWebhook } from '../../shared/http/presenters.ts';
import { WebhookParams } from '../../shared/schemas/webhooks.ts';
import { reenableWebhook } from '../../shared/services/webhooks.ts';

export const handler = httpHandler(
  { params: WebhookParams, roles: ['national', 'province', 'city', 'enterprise'] },
  async ({ params, principal }) => ok(presentWebhook(await reenableWebhook(principal, params.id))),
);

import * as z from 'zod/mini';
import { WEBHOOK_EVENT_TYPES } from '../domain/webhooks.ts';
import { Id, ListQuery } from './common.ts';

export const WebhookEventType = z.enum(WEBHOOK_EVENT_TYPES).register(z.globalRegistry, {
  description: 'comparison.completed (succeeded or failed), batch.completed (completed or failed), review.decided',
});

export const CreateWebhookBody = z
  .strictObject({
    url: z
      .string()
      .check(z.trim(), z.minLength(1), z.maxLength(2048))
      .register(z.globalRegistry, {
        description: 'Callback URL: https to a public host (the local runtime also accepts http on loopback)',
        example: 'https://province.example.cn/hooks/benchmarking',
      }),
    events: z
      .array(WebhookEventType)
      .check(
        z.minLength(1),
        z.maxLength(WEBHOOK_EVENT_TYPES.length),
        z.refine((events) => new Set(events).size === events.length, { params: { code: 'duplicate_event' } }),
      ),
  })
  .register(z.globalRegistry, { id: 'CreateWebhookRequest' });

export const WebhookParams = z.object({ id: Id.check(z.meta({ description: 'The webhook id' })) });

export const ListWebhooksQuery = ListQuery;

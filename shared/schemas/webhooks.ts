import * as z from 'zod';
import { WEBHOOK_EVENT_TYPES } from '../domain/webhooks.ts';
import { Id, ListQuery } from './common.ts';

export const WebhookEventType = z.enum(WEBHOOK_EVENT_TYPES).meta({
  description: 'comparison.completed (succeeded or failed), batch.completed (completed or failed), review.decided',
});

export const CreateWebhookBody = z
  .object({
    url: z.string().trim().min(1).max(2048).meta({
      description: 'Callback URL: https to a public host (the local runtime also accepts http on loopback)',
      example: 'https://province.example.cn/hooks/benchmarking',
    }),
    events: z
      .array(WebhookEventType)
      .min(1)
      .max(WEBHOOK_EVENT_TYPES.length)
      .refine((events) => new Set(events).size === events.length, { params: { code: 'duplicate_event' } }),
  })
  .strict()
  .meta({ id: 'CreateWebhookRequest' });

export const WebhookParams = z.object({ id: Id.meta({ description: 'The webhook id' }) });

export const ListWebhooksQuery = ListQuery;

import * as z from 'zod';
import { WEBHOOK_EVENT_TYPES } from '../domain/webhooks.ts';
import { Id, ListQuery, Timestamp } from './common.ts';

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

const status = z.enum(['enabled', 'disabled']).meta({
  description: 'disabled after deliveries failed for 24 h, until POST /v1/webhooks/{id}/enable',
});

export const Webhook = z
  .object({
    id: Id,
    url: z.string(),
    events: z.array(WebhookEventType),
    status,
    disabledReason: z.string().optional(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: 'Webhook' });

export const WebhookWithSecret = Webhook.extend({
  secret: z.string().meta({
    description: 'whsec_ + base64 key bytes: verifies the webhook-signature header (Standard Webhooks). Shown once.',
  }),
}).meta({ id: 'WebhookWithSecret' });

export const WebhookDelivery = z
  .object({
    id: z.string().meta({ description: 'The webhook-id header of every attempt' }),
    eventType: WebhookEventType,
    status: z.enum(['pending', 'succeeded', 'failed']),
    attempts: z.array(
      z.object({
        attempt: z.number().int(),
        at: Timestamp,
        durationMs: z.number().int(),
        statusCode: z.number().int().optional().meta({ description: 'The receiver’s answer' }),
        error: z.string().optional().meta({ description: 'Why no answer came (timeout, refused...)' }),
      }),
    ),
    nextAttemptAt: Timestamp.optional().meta({ description: 'While pending' }),
    failureReason: z.string().optional(),
    createdAt: Timestamp,
    completedAt: Timestamp.optional(),
  })
  .meta({ id: 'WebhookDelivery' });

/** The body POSTed to callback URLs (documented for receivers). */
export const WebhookPayload = z
  .object({
    type: WebhookEventType,
    timestamp: Timestamp,
    data: z.record(z.string(), z.unknown()).meta({
      description:
        'comparison.completed: comparisonId, declarationId, schemeId, schemeVersion, status (succeeded | failed), creditCode, divisionCode, completedAt, result { meets, level }. batch.completed: batchId, schemeId, status (completed | failed), divisionCode, total, accepted, unchanged, rejected, compared, completedAt. review.decided: reviewId, declarationId, decision, from, to, comment, creditCode, divisionCode, decidedAt.',
    }),
  })
  .meta({ id: 'WebhookPayload' });

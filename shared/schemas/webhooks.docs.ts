/** Only for the OpenAPI document (see openapi.ts): no function imports this module. */
import * as z from 'zod';
import { Id } from './common.ts';
import { Timestamp } from './common.docs.ts';
import { WebhookEventType } from './webhooks.ts';

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

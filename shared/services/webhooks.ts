/** Registering and managing webhooks: each client manages only its own. */
import { randomBytes } from 'node:crypto';
import { ulid } from 'ulid';
import { config } from '../config/env.ts';
import type { Principal } from '../domain/territory.ts';
import { subscriberScope, webhookUrlProblem, type WebhookEventType } from '../domain/webhooks.ts';
import { conflict, forbidden, invalidField, notFound } from '../http/errors.ts';
import { nowIso, type Page } from '../store/table.ts';
import {
  countWebhooksOf,
  deleteWebhook,
  type DeliveryRecord,
  enableWebhook,
  getWebhook,
  listDeliveries,
  putWebhook,
  type WebhookRecord,
} from '../store/webhooks.ts';

/** Bounds the fan-out of one event per client. */
export const MAX_WEBHOOKS_PER_CLIENT = 10;

export async function registerWebhook(
  principal: Principal,
  input: { url: string; events: WebhookEventType[] },
): Promise<WebhookRecord> {
  const scope = subscriberScope(principal);
  if (!scope) throw forbidden(principal.role);
  const problem = webhookUrlProblem(input.url, config().webhooks.allowLoopbackHttp);
  if (problem) throw invalidField(['url'], problem);
  if ((await countWebhooksOf(principal.clientId)) >= MAX_WEBHOOKS_PER_CLIENT) {
    throw conflict('detail.webhook_limit', { max: MAX_WEBHOOKS_PER_CLIENT });
  }
  const now = nowIso();
  const webhook: WebhookRecord = {
    id: ulid(),
    clientId: principal.clientId,
    scope,
    url: input.url,
    events: input.events,
    // Standard Webhooks: whsec_ and the base64 key bytes (24 bytes, as the spec suggests).
    secret: `whsec_${randomBytes(24).toString('base64')}`,
    status: 'enabled',
    createdAt: now,
    updatedAt: now,
  };
  await putWebhook(webhook);
  return webhook;
}

/** The caller's own webhook; anyone else's does not exist for it. */
export async function ownWebhook(principal: Principal, id: string): Promise<WebhookRecord> {
  const webhook = await getWebhook(id);
  if (!webhook || webhook.clientId !== principal.clientId) throw notFound('webhook');
  return webhook;
}

export async function removeWebhook(principal: Principal, id: string): Promise<void> {
  await ownWebhook(principal, id);
  if (!(await deleteWebhook(id))) throw notFound('webhook');
}

export async function reenableWebhook(principal: Principal, id: string): Promise<WebhookRecord> {
  const webhook = await ownWebhook(principal, id);
  const enabled = await enableWebhook(webhook, nowIso());
  if (!enabled) throw notFound('webhook');
  return enabled;
}

export async function deliveriesOf(
  principal: Principal,
  id: string,
  query: { limit: number; cursor?: string },
): Promise<Page<DeliveryRecord>> {
  await ownWebhook(principal, id);
  return listDeliveries(id, query.limit, query.cursor);
}

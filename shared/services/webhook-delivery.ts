/**
 * Webhook events and their delivery. Table changes become events (rules in
 * shared/domain/webhooks.ts); each event becomes one delivery per enabled
 * webhook whose scope covers its subject, recorded in the table and queued.
 * The queue consumer makes the attempts: signed per Standard Webhooks, the
 * same webhook-id each time, retried with backoff by hiding the message for the
 * delay (SQS visibility timeout); after 24 h of failures the delivery fails and
 * the webhook is disabled. The same code runs on AWS SQS and the local queue.
 */
import { createHash } from 'node:crypto';
import { lookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { ChangeMessageVisibilityCommand, SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { encodeTime } from 'ulid';
import { sqs } from '../aws/clients.ts';
import { config } from '../config/env.ts';
import {
  deriveEvents,
  type EventSubject,
  isPublicAddress,
  type ItemChange,
  retryDelaySeconds,
  scopesOfSubject,
  signWebhook,
  webhookUrlProblem,
} from '../domain/webhooks.ts';
import { getClient } from '../store/clients.ts';
import { getDeclaration } from '../store/declarations.ts';
import {
  abandonDelivery,
  claimAttempt,
  type DeliveryAttempt,
  type DeliveryRecord,
  disableWebhook,
  enabledWebhooksIn,
  getDelivery,
  getWebhook,
  putDelivery,
  recordAttempt,
  type WebhookRecord,
} from '../store/webhooks.ts';

export interface TableChange {
  /** The stream record's id: the same when the stream delivers it again. */
  eventId: string;
  /** ISO time of the change. */
  at: string;
  change: ItemChange;
}

export interface DeliveryMessage {
  webhookId: string;
  deliveryId: string;
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * ULID-shaped and deterministic: the event's time, then 80 bits of a hash of
 * the change, the event type and the webhook. A change seen twice (stream
 * retries) makes the same delivery, not a second one.
 */
function deliveryId(timeMs: number, ...parts: string[]): string {
  const digest = createHash('sha256').update(parts.join('\n')).digest();
  let random = '';
  for (let i = 0; i < 16; i++) random += CROCKFORD[digest[i]! % 32];
  return `msg_${encodeTime(timeMs, 10)}${random}`;
}

/** Places a subject known only by its declaration. */
async function resolveSubject(
  subject: EventSubject,
  declarations: Map<string, Promise<EventSubject>>,
): Promise<EventSubject> {
  if (subject.divisionCode || !subject.declarationId) return subject;
  let found = declarations.get(subject.declarationId);
  if (!found) {
    found = getDeclaration(subject.declarationId).then((declaration) =>
      declaration ? { divisionCode: declaration.divisionCode, creditCode: declaration.creditCode } : {},
    );
    declarations.set(subject.declarationId, found);
  }
  return { ...subject, ...(await found) };
}

async function enqueue(messages: DeliveryMessage[]): Promise<void> {
  const queueUrl = config().webhooks.queueUrl;
  for (let i = 0; i < messages.length; i += 10) {
    const chunk = messages.slice(i, i + 10);
    const { Failed: failed = [] } = await sqs().send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: chunk.map((message, n) => ({ Id: String(n), MessageBody: JSON.stringify(message) })),
      }),
    );
    // The stream batch is retried; deliveries already written are found again.
    if (failed.length > 0) throw new Error(`SendMessageBatch failed for ${failed.length} deliveries: ${failed[0]?.Code}`);
  }
}

/** Events from table changes, as deliveries queued for every subscriber. Returns the number queued. */
export async function publishChanges(changes: TableChange[]): Promise<number> {
  const subscribers = new Map<string, Promise<WebhookRecord[]>>();
  const declarations = new Map<string, Promise<EventSubject>>();
  const messages: DeliveryMessage[] = [];
  for (const { eventId, at, change } of changes) {
    for (const event of deriveEvents(change, at)) {
      const subject = await resolveSubject(event.subject, declarations);
      const data = {
        ...event.data,
        ...(subject.divisionCode && event.data.divisionCode === undefined ? { divisionCode: subject.divisionCode } : {}),
        ...(subject.creditCode && event.data.creditCode === undefined ? { creditCode: subject.creditCode } : {}),
      };
      const payload = JSON.stringify({ type: event.type, timestamp: event.timestamp, data });
      const time = Date.parse(event.timestamp) || Date.parse(at);
      for (const scope of scopesOfSubject(subject)) {
        if (!subscribers.has(scope)) subscribers.set(scope, enabledWebhooksIn(scope));
        for (const webhook of await subscribers.get(scope)!) {
          if (!webhook.events.includes(event.type)) continue;
          const delivery: DeliveryRecord = {
            id: deliveryId(time, eventId, event.type, webhook.id),
            webhookId: webhook.id,
            eventType: event.type,
            payload,
            status: 'pending',
            attemptCount: 0,
            attempts: [],
            nextAttemptAt: Date.now(),
            createdAt: new Date().toISOString(),
          };
          const written = await putDelivery(delivery);
          // Queued again only if the first time may not have reached the queue.
          if (written.created || (written.existing.status === 'pending' && written.existing.attemptCount === 0)) {
            messages.push({ webhookId: webhook.id, deliveryId: delivery.id });
          }
        }
      }
    }
  }
  await enqueue(messages);
  return messages.length;
}

const ATTEMPT_TIMEOUT_MS = 10_000;

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * dns.lookup, refusing names that resolve to a non-public address: the check
 * is made on the address the connection then uses, so a host that passed at
 * registration and was later pointed at an internal address (DNS rebinding)
 * gets nothing. `resolve` is dns.lookup but for tests.
 */
export function publicOnlyLookup(allowLoopback: boolean, resolve: typeof lookup = lookup) {
  return (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
    resolve(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '');
      const found = addresses as LookupAddress[];
      const refused = found.find((entry) => !isPublicAddress(entry.address, allowLoopback));
      if (refused || found.length === 0) {
        const denied: NodeJS.ErrnoException = new Error(`${hostname} resolves to ${refused?.address ?? 'nothing'}, not a public address`);
        denied.code = 'EADDRNOTPUBLIC';
        return callback(denied, '');
      }
      if (options.all) return callback(null, found);
      return callback(null, found[0]!.address, found[0]!.family);
    });
  };
}

/** One POST, redirects not followed: the registered URL is the one that gets the secret's signature. */
function send(url: URL, headers: Record<string, string>, body: string, allowLoopback: boolean): Promise<number> {
  const request = url.protocol === 'http:' ? httpRequest : httpsRequest;
  return new Promise((resolve, reject) => {
    const outgoing = request(
      url,
      {
        method: 'POST',
        headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)) },
        lookup: publicOnlyLookup(allowLoopback) as never,
        signal: AbortSignal.timeout(ATTEMPT_TIMEOUT_MS),
      },
      (response) => {
        response.resume(); // the body is not read
        response.on('end', () => resolve(response.statusCode ?? 0));
        response.on('error', reject);
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

async function post(webhook: WebhookRecord, delivery: DeliveryRecord, allowLoopback: boolean): Promise<Omit<DeliveryAttempt, 'attempt'>> {
  const started = Date.now();
  const timestamp = Math.floor(started / 1000);
  const at = new Date(started).toISOString();
  try {
    const statusCode = await send(
      new URL(webhook.url),
      {
        'Content-Type': 'application/json',
        'User-Agent': 'benchmarking-platform-webhooks/1',
        'webhook-id': delivery.id,
        'webhook-timestamp': String(timestamp),
        'webhook-signature': signWebhook(webhook.secret, delivery.id, timestamp, delivery.payload),
      },
      delivery.payload,
      allowLoopback,
    );
    return { at, durationMs: Date.now() - started, statusCode };
  } catch (error) {
    const { name, code, message } = error as NodeJS.ErrnoException;
    const reason = name === 'TimeoutError' || name === 'AbortError' ? 'timeout' : (code ?? message);
    return { at, durationMs: Date.now() - started, error: reason.slice(0, 200) };
  }
}

/**
 * One delivery attempt for a queue message. Returns the seconds until the next
 * attempt, or undefined when the message is done with (delivered, failed for
 * good, or another copy of it made the attempt).
 */
export async function attemptDelivery(message: DeliveryMessage): Promise<number | undefined> {
  const delivery = await getDelivery(message.webhookId, message.deliveryId);
  if (!delivery || delivery.status !== 'pending') return undefined;
  const early = delivery.nextAttemptAt - Date.now();
  if (early > 1000) return Math.ceil(early / 1000);
  if (!(await claimAttempt(delivery))) return undefined;
  const attempt = delivery.attemptCount + 1;

  const webhook = await getWebhook(delivery.webhookId);
  const { allowLoopbackHttp, backoffScale } = config().webhooks;
  // A deleted client's webhooks go with it; should that have failed half-way, they still send nothing.
  const reason = !webhook
    ? 'webhook_deleted'
    : webhook.status !== 'enabled'
      ? 'webhook_disabled'
      : !(await getClient(webhook.clientId))
        ? 'client_deleted'
        : webhookUrlProblem(webhook.url, allowLoopbackHttp);
  if (reason || !webhook) {
    await abandonDelivery(delivery, reason ?? 'webhook_deleted', new Date().toISOString());
    return undefined;
  }

  const result = { attempt, ...(await post(webhook, delivery, allowLoopbackHttp)) };
  const now = Date.now();
  if (result.statusCode !== undefined && result.statusCode >= 200 && result.statusCode < 300) {
    await recordAttempt(delivery, result, { status: 'succeeded', completedAt: new Date(now).toISOString() });
    return undefined;
  }
  const delay = retryDelaySeconds(attempt, (now - Date.parse(delivery.createdAt)) / 1000, backoffScale);
  if (delay === null) {
    const completedAt = new Date(now).toISOString();
    await recordAttempt(delivery, result, { status: 'failed', completedAt, failureReason: 'retries_exhausted' });
    await disableWebhook(webhook.id, 'deliveries_failed_24h', completedAt);
    return undefined;
  }
  await recordAttempt(delivery, result, { status: 'pending', nextAttemptAt: now + delay * 1000 });
  return delay;
}

/** Hides a received message for `seconds`: the queue hands it out again then. */
export async function postpone(receiptHandle: string, seconds: number): Promise<void> {
  await sqs().send(
    new ChangeMessageVisibilityCommand({
      QueueUrl: config().webhooks.queueUrl,
      ReceiptHandle: receiptHandle,
      VisibilityTimeout: seconds,
    }),
  );
}

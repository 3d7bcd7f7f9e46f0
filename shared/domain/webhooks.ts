/**
 * Webhook rules, pure: which table changes are which events (one small table),
 * whose territory an event lies in, which callback URLs are allowed, when a
 * failed delivery is tried again, and the Standard Webhooks signature.
 */
import { createHmac } from 'node:crypto';
import { BlockList, isIP } from 'node:net';
import { divisionLevel, isValidDivisionCode } from './division-code.ts';
import type { Principal } from './territory.ts';

export const WEBHOOK_EVENT_TYPES = ['comparison.completed', 'batch.completed', 'review.decided'] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

type Image = Record<string, unknown>;

/** One change of one item, as the table stream reports it (images unmarshalled). */
export interface ItemChange {
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE';
  oldImage?: Image;
  newImage?: Image;
}

/**
 * Where an event's subject lies: its division and, for an enterprise's records,
 * its credit code. Items without a division name the declaration they concern;
 * its division and credit code are then the subject's.
 */
export interface EventSubject {
  divisionCode?: string;
  creditCode?: string;
  declarationId?: string;
}

export interface WebhookEvent {
  type: WebhookEventType;
  /** ISO 8601: when the subject changed. */
  timestamp: string;
  subject: EventSubject;
  data: Record<string, unknown>;
}

interface EventRule {
  type: WebhookEventType;
  /** The item kind (`kind` attribute of the single table). */
  kind: string;
  /** Whether this change is the event. */
  when: (change: ItemChange) => boolean;
  /** The attributes the event carries, when present on the item. */
  fields: readonly string[];
  /** The attribute holding the item's id, published as `<idAs>`. */
  id: { from: string; as: string };
  /** Attribute with the event's time. */
  timeField: string;
  /** Data derived from the item, beside the copied fields. */
  extra?: (image: Image) => Record<string, unknown>;
}

const text = (value: unknown) => (typeof value === 'string' ? value : undefined);

/** The status changed into one of `statuses` (an insert in one counts too). */
const statusBecame =
  (...statuses: string[]) =>
  ({ oldImage, newImage }: ItemChange) => {
    const status = text(newImage?.status);
    return status !== undefined && statuses.includes(status) && text(oldImage?.status) !== status;
  };

const inserted = ({ eventName }: ItemChange) => eventName === 'INSERT';

/** Item kinds and changes that are events. Matched on kind and status only, defensively. */
export const EVENT_RULES: readonly EventRule[] = [
  {
    type: 'comparison.completed',
    kind: 'comparison',
    when: statusBecame('succeeded', 'failed'),
    id: { from: 'id', as: 'comparisonId' },
    fields: ['declarationId', 'schemeId', 'schemeVersion', 'status', 'creditCode', 'divisionCode', 'completedAt'],
    timeField: 'completedAt',
    // The outcome in brief; the whole result is one GET away.
    extra: (image) => {
      const result = image.result as Record<string, unknown> | undefined;
      return result ? { result: { meets: result.meets, level: result.level } } : {};
    },
  },
  {
    type: 'batch.completed',
    kind: 'batch',
    when: statusBecame('completed', 'failed'),
    id: { from: 'id', as: 'batchId' },
    fields: ['schemeId', 'status', 'divisionCode', 'accepted', 'unchanged', 'rejected', 'compared', 'completedAt'],
    timeField: 'completedAt',
    // api.md: total = accepted + unchanged + rejected.
    extra: (image) => {
      const counts = [image.accepted, image.unchanged, image.rejected];
      return counts.every((n) => typeof n === 'number') ? { total: (counts as number[]).reduce((a, b) => a + b, 0) } : {};
    },
  },
  {
    // A review item names its declaration, not the territory: the publisher
    // looks the declaration up (see EventSubject).
    type: 'review.decided',
    kind: 'review',
    when: inserted,
    id: { from: 'id', as: 'reviewId' },
    fields: ['declarationId', 'decision', 'from', 'to', 'comment', 'creditCode', 'divisionCode', 'decidedAt'],
    timeField: 'decidedAt',
  },
];

/** The events one item change is; `at` is the change's time when the item names none. */
export function deriveEvents(change: ItemChange, at: string): WebhookEvent[] {
  const image = change.newImage;
  if (!image) return [];
  const events: WebhookEvent[] = [];
  for (const rule of EVENT_RULES) {
    if (image.kind !== rule.kind || !rule.when(change)) continue;
    const data: Record<string, unknown> = {};
    if (image[rule.id.from] !== undefined) data[rule.id.as] = image[rule.id.from];
    for (const field of rule.fields) if (image[field] !== undefined) data[field] = image[field];
    Object.assign(data, rule.extra?.(image));
    events.push({
      type: rule.type,
      timestamp: text(image[rule.timeField]) ?? at,
      subject: {
        divisionCode: text(image.divisionCode),
        creditCode: text(image.creditCode),
        declarationId: text(image.declarationId),
      },
      data,
    });
  }
  return events;
}

/**
 * Subscription scopes: national `ALL`; a province or city its division code;
 * an enterprise `ENT#<credit code>`. Experts receive no events.
 */
export function subscriberScope(principal: Principal): string | undefined {
  switch (principal.role) {
    case 'national':
      return 'ALL';
    case 'province':
    case 'city':
      return principal.territory;
    case 'enterprise':
      return `ENT#${principal.territory}`;
    default:
      return undefined;
  }
}

/** The scopes whose subscribers may receive an event about `subject`. */
export function scopesOfSubject(subject: EventSubject): string[] {
  const scopes = new Set(['ALL']);
  const division = subject.divisionCode;
  if (division && isValidDivisionCode(division)) {
    scopes.add(`${division.slice(0, 2)}0000`);
    if (divisionLevel(division) !== 'province') scopes.add(`${division.slice(0, 4)}00`);
  }
  if (subject.creditCode) scopes.add(`ENT#${subject.creditCode}`);
  return [...scopes];
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

function isLoopback(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname) || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

/** IP literals that do not reach the public internet. */
function isPrivateAddress(hostname: string): boolean {
  if (isLoopback(hostname) || hostname === '0.0.0.0' || hostname.endsWith('.localhost')) return true;
  const v4 = /^(\d+)\.(\d+)\.\d+\.\d+$/.exec(hostname);
  if (v4) {
    const [a, b] = [Number(v4[1]), Number(v4[2])];
    return a === 10 || a === 0 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254) || (a === 100 && b >= 64 && b <= 127);
  }
  // IPv6 literals: unique local, link-local, mapped IPv4; public IPv6 callbacks are rare, refuse them all.
  return hostname.startsWith('[');
}

/** Address ranges that do not reach the public internet (RFC 6890 special-purpose blocks). */
const NON_PUBLIC = (() => {
  const list = new BlockList();
  for (const [network, prefix] of [
    ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
    ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24],
    ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4],
  ] as const) {
    list.addSubnet(network, prefix, 'ipv4');
  }
  for (const [network, prefix] of [
    ['::', 127], ['64:ff9b::', 96], ['100::', 64], ['2001:db8::', 32], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8],
  ] as const) {
    list.addSubnet(network, prefix, 'ipv6');
  }
  return list;
})();

/**
 * Whether a resolved address may receive webhooks: the check made on the
 * address actually connected to, so a name that resolves (or is rebound) to an
 * internal address after registration is refused too.
 */
export function isPublicAddress(address: string, allowLoopback = false): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  if (allowLoopback && (address === '::1' || /^127\./.test(address))) return true;
  // IPv4-mapped IPv6 (a BlockList rule for it would also match every IPv4 check): refused outright.
  if (family === 6 && /^::ffff:/i.test(address)) return false;
  return !NON_PUBLIC.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/**
 * Why a callback URL is refused (an errors[].code), or undefined. On AWS only
 * https to a public host; the local runtime also allows http on loopback.
 */
export function webhookUrlProblem(raw: string, allowLoopbackHttp: boolean): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'invalid_url';
  }
  if (url.username || url.password) return 'webhook_url_credentials';
  if (url.protocol === 'http:') {
    return allowLoopbackHttp && isLoopback(url.hostname) ? undefined : 'webhook_url_https_required';
  }
  if (url.protocol !== 'https:') return 'webhook_url_https_required';
  if (allowLoopbackHttp && isLoopback(url.hostname)) return undefined;
  return isPrivateAddress(url.hostname) ? 'webhook_url_not_public' : undefined;
}

/** How long retries go on after the first attempt (api.md: up to 24 h). */
export const RETRY_WINDOW_SECONDS = 24 * 3600;
const FIRST_DELAY_SECONDS = 5;
const MAX_DELAY_SECONDS = 6 * 3600;

/**
 * Seconds to wait after failed attempt `attempt` (1-based) before the next, or
 * null when the next would fall outside the retry window: 5 s, 20 s, 80 s,
 * 5 min, 21 min, 85 min, 5.7 h, then every 6 h, about ten attempts in 24 h.
 * `scale` shrinks delays and window alike (tests).
 */
export function retryDelaySeconds(attempt: number, elapsedSeconds: number, scale = 1): number | null {
  const delay = Math.min(FIRST_DELAY_SECONDS * 4 ** (attempt - 1), MAX_DELAY_SECONDS) * scale;
  if (elapsedSeconds + delay > RETRY_WINDOW_SECONDS * scale) return null;
  // Queues count whole seconds.
  return Math.max(1, Math.ceil(delay));
}

/** `whsec_` + base64 key bytes, as the Standard Webhooks libraries take it. */
export function webhookSecretBytes(secret: string): Buffer {
  return Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
}

/** Standard Webhooks: `v1,` + base64 HMAC-SHA256 of `{id}.{timestamp}.{body}`. */
export function signWebhook(secret: string, id: string, timestampSeconds: number, body: string): string {
  const mac = createHmac('sha256', webhookSecretBytes(secret)).update(`${id}.${timestampSeconds}.${body}`).digest('base64');
  return `v1,${mac}`;
}

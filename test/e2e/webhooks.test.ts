/**
 * Webhooks end to end on the local runtime: a comparison, a batch or a review
 * decision written to the table reaches the stream consumer, becomes deliveries queued
 * on the local SQS and is POSTed to receivers on 127.0.0.1, signed per
 * Standard Webhooks (verified with the `standardwebhooks` library), retried
 * after a failure with the same webhook-id, logged, and limited to the
 * subscriber's territory. Retry delays are scaled down (1/10,000: whole
 * seconds, a 24 h window of 8.6 s).
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../infra/local/api-client.ts';
import { textileRows, uploadBatch, utf8Csv } from '../support/batches.ts';
import { createEnterprise, createTextileScheme, creditCode, textileIndicators } from '../support/fixtures.ts';
import { startTestPlatform, type TestPlatform } from '../support/platform.ts';

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
}

interface Receiver {
  url: string;
  received: Received[];
  /** Status codes to answer in turn; 204 once they run out. */
  answers: number[];
  close(): Promise<void>;
}

async function startReceiver(answers: number[] = []): Promise<Receiver> {
  const received: Received[] = [];
  const receiver = { received, answers: [...answers] } as Omit<Receiver, 'url' | 'close'>;
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now() });
      response.writeHead(receiver.answers.shift() ?? 204).end();
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return {
    ...receiver,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
    close: () => new Promise((done) => server.close(() => done())),
  } as Receiver;
}

async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((done) => setTimeout(done, 50));
  }
}

interface WebhookView {
  id: string;
  secret: string;
  status: string;
  url: string;
  events: string[];
}

interface DeliveryView {
  id: string;
  eventType: string;
  status: string;
  attempts: { attempt: number; statusCode?: number; error?: string }[];
}

let t: TestPlatform;
let zhejiang: ApiClient;
let jiangsu: ApiClient;
let hangzhou: ApiClient;
let scheme: { id: string };
const enterprise = creditCode('330106', 71);
const receivers: Receiver[] = [];

beforeAll(async () => {
  t = await startTestPlatform({ webhookBackoffScale: 1e-4 });
  scheme = await createTextileScheme(t.admin);
  zhejiang = await t.clientFor(t.admin, 'province', '330000');
  jiangsu = await t.clientFor(t.admin, 'province', '320000');
  hangzhou = await t.clientFor(zhejiang, 'city', '330100');
  await createEnterprise(hangzhou, enterprise, '330106');
}, 60_000);

afterAll(async () => {
  await t?.platform.stop();
  for (const receiver of receivers) await receiver.close();
});

async function receiver(answers: number[] = []) {
  const started = await startReceiver(answers);
  receivers.push(started);
  return started;
}

const register = (client: ApiClient, url: string, events: string[]) =>
  client.call<WebhookView>('POST', '/v1/webhooks', { url, events });

const deliveries = async (client: ApiClient, webhookId: string) =>
  (await client.call<{ items: DeliveryView[] }>('GET', `/v1/webhooks/${webhookId}/deliveries`)).items;

/** Every change so far has reached the stream consumer and every queued delivery due now was tried. */
async function settle() {
  await t.platform.streams!.drain();
  await t.platform.queues.drain();
}

describe('registration', () => {
  it('returns a whsec_ secret once and lists the webhook without it', async () => {
    const target = await receiver();
    const response = await zhejiang.request<WebhookView>('POST', '/v1/webhooks', { url: target.url, events: ['review.decided'] });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ url: target.url, events: ['review.decided'], status: 'enabled' });
    expect(response.body.secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    const listed = await zhejiang.call<{ items: Record<string, unknown>[] }>('GET', '/v1/webhooks');
    const found = listed.items.find((w) => w.id === response.body.id)!;
    expect(found).toBeDefined();
    expect(found.secret).toBeUndefined();
    expect(await zhejiang.call('GET', `/v1/webhooks/${response.body.id}`)).not.toHaveProperty('secret');
  });

  it('refuses URLs that are not https to a public host (http on loopback is the local exception), naming url', async () => {
    for (const url of ['http://example.cn/hooks', 'https://10.0.0.8/hooks', 'https://169.254.169.254/latest', 'ftp://example.cn/x', 'https://u:p@example.cn/x']) {
      const response = await zhejiang.request<{ errors: { path: string; code: string }[] }>('POST', '/v1/webhooks', { url, events: ['comparison.completed'] });
      expect(response.status, url).toBe(422);
      expect(response.body.errors[0]!.path).toBe('url');
    }
    const events = await zhejiang.request<{ errors: { path: string }[] }>('POST', '/v1/webhooks', { url: 'https://example.cn/h', events: [] });
    expect(events.status).toBe(422);
    expect(events.body.errors[0]!.path).toBe('events');
    const unknown = await zhejiang.request<{ errors: { path: string }[] }>('POST', '/v1/webhooks', { url: 'https://example.cn/h', events: ['declaration.created'] });
    expect(unknown.body.errors[0]!.path).toBe('events.0');
  });

  it('keeps each client’s webhooks its own: another client gets 404', async () => {
    const target = await receiver();
    const own = await register(zhejiang, target.url, ['comparison.completed']);
    for (const [method, path] of [
      ['GET', `/v1/webhooks/${own.id}`],
      ['GET', `/v1/webhooks/${own.id}/deliveries`],
      ['POST', `/v1/webhooks/${own.id}/enable`],
      ['DELETE', `/v1/webhooks/${own.id}`],
    ] as const) {
      expect((await jiangsu.request(method, path)).status, `${method} ${path}`).toBe(404);
      expect((await hangzhou.request(method, path)).status, `${method} ${path}`).toBe(404);
    }
    expect((await jiangsu.call<{ items: { id: string }[] }>('GET', '/v1/webhooks')).items.map((w) => w.id)).not.toContain(own.id);
    expect((await zhejiang.request('DELETE', `/v1/webhooks/${own.id}`)).status).toBe(204);
    expect((await zhejiang.request('GET', `/v1/webhooks/${own.id}`)).status).toBe(404);
  });
});

describe('delivery of comparison.completed', () => {
  let province: Receiver;
  let city: Receiver;
  let elsewhere: Receiver;
  let provinceHook: WebhookView;
  let cityHook: WebhookView;
  let declaration: { id: string; comparisonId: string };

  beforeAll(async () => {
    // The province's receiver fails the first attempt.
    province = await receiver([500]);
    city = await receiver();
    elsewhere = await receiver();
    provinceHook = await register(zhejiang, province.url, ['comparison.completed', 'review.decided']);
    cityHook = await register(hangzhou, city.url, ['comparison.completed']);
    await register(jiangsu, elsewhere.url, ['comparison.completed', 'review.decided']);
    declaration = await hangzhou.call('POST', '/v1/declarations', {
      creditCode: enterprise,
      schemeId: scheme.id,
      product: '婴儿睡袋',
      standardNumber: 'Q/HZ 300-2024',
      indicators: textileIndicators,
    });
  });

  it('signs each POST as Standard Webhooks says, with the event about the caller’s territory', async () => {
    const [request] = await until('the city’s delivery', () => (city.received.length > 0 ? city.received : undefined));
    const verified = new Webhook(cityHook.secret).verify(request!.body, request!.headers as Record<string, string>) as {
      type: string;
      timestamp: string;
      data: Record<string, unknown>;
    };
    expect(verified.type).toBe('comparison.completed');
    expect(verified.data).toMatchObject({
      comparisonId: declaration.comparisonId,
      declarationId: declaration.id,
      status: 'succeeded',
      creditCode: enterprise,
      divisionCode: '330106',
      result: { meets: false, level: 'below' },
    });
    expect(Date.parse(verified.timestamp)).not.toBeNaN();
    expect(request!.headers['content-type']).toBe('application/json');
    expect(request!.headers['webhook-id']).toMatch(/^msg_/);
    expect(Number(request!.headers['webhook-timestamp'])).toBeCloseTo(Date.now() / 1000, -2);
    expect(request!.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    // Another webhook's secret does not verify it.
    expect(() => new Webhook(provinceHook.secret).verify(request!.body, request!.headers as Record<string, string>)).toThrow();
  });

  it('retries after the receiver first fails, with the same webhook-id and a fresh signature, and logs both attempts', async () => {
    const attempts = await until('the province’s second attempt', () => (province.received.length >= 2 ? province.received : undefined));
    const [first, second] = attempts;
    expect(second!.headers['webhook-id']).toBe(first!.headers['webhook-id']);
    expect(Number(second!.headers['webhook-timestamp'])).toBeGreaterThan(Number(first!.headers['webhook-timestamp']));
    expect(second!.headers['webhook-signature']).not.toBe(first!.headers['webhook-signature']);
    expect(second!.body).toBe(first!.body);
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(900);
    for (const attempt of [first!, second!]) {
      expect(new Webhook(provinceHook.secret).verify(attempt.body, attempt.headers as Record<string, string>)).toMatchObject({
        type: 'comparison.completed',
      });
    }
    const log = await until('the delivery log', async () => {
      const items = await deliveries(zhejiang, provinceHook.id);
      return items[0]?.status === 'succeeded' ? items : undefined;
    });
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ id: first!.headers['webhook-id'], eventType: 'comparison.completed', status: 'succeeded' });
    expect(log[0]!.attempts.map((a) => a.statusCode)).toEqual([500, 204]);
  });

  it('delivers nothing to another province', async () => {
    await until('the province’s delivery', () => (province.received.length >= 2 ? true : undefined));
    await settle();
    expect(elsewhere.received).toEqual([]);
  });

  it('delivers review.decided to the province when its city recommends', async () => {
    await until('the comparison to finish', async () => {
      const current = await hangzhou.call<{ status: string }>('GET', `/v1/declarations/${declaration.id}`);
      return current.status === 'compared' ? true : undefined;
    });
    const decided = await hangzhou.call<{ id: string }>('POST', `/v1/declarations/${declaration.id}/reviews`, { decision: 'recommend' });
    const request = await until('review.decided', () =>
      province.received.find((r) => (JSON.parse(r.body) as { type: string }).type === 'review.decided'),
    );
    const event = new Webhook(provinceHook.secret).verify(request.body, request.headers as Record<string, string>) as { data: Record<string, unknown> };
    expect(event.data).toMatchObject({
      reviewId: decided.id,
      declarationId: declaration.id,
      decision: 'recommend',
      to: 'city_recommended',
      divisionCode: '330106',
      creditCode: enterprise,
    });
    await settle();
    // The city did not subscribe to reviews; Jiangsu is outside.
    expect(city.received.map((r) => (JSON.parse(r.body) as { type: string }).type)).toEqual(['comparison.completed']);
    expect(elsewhere.received).toEqual([]);
  });
});

describe('delivery of batch.completed', () => {
  it('tells the uploader’s province and national when a batch ends, not another province', async () => {
    const provinceReceiver = await receiver();
    const nationalReceiver = await receiver();
    const elsewhere = await receiver();
    const provinceHook = await register(zhejiang, provinceReceiver.url, ['batch.completed']);
    await register(t.admin, nationalReceiver.url, ['batch.completed']);
    await register(jiangsu, elsewhere.url, ['batch.completed']);
    const batchId = await uploadBatch(zhejiang, scheme.id, utf8Csv(textileRows(2, '330106', 80)), 'csv');
    const request = await until('batch.completed', () => provinceReceiver.received[0]);
    const event = new Webhook(provinceHook.secret).verify(request.body, request.headers as Record<string, string>) as { type: string; data: Record<string, unknown> };
    expect(event).toMatchObject({
      type: 'batch.completed',
      data: { batchId, schemeId: scheme.id, status: 'completed', divisionCode: '330000', total: 2, accepted: 2, rejected: 0 },
    });
    await until('national’s copy', () => nationalReceiver.received[0]);
    await settle();
    expect(elsewhere.received).toEqual([]);
  });
});

describe('a deleted client', () => {
  it('takes its webhooks with it: events in its territory reach others, not it', async () => {
    const ningboReceiver = await receiver();
    const provinceReceiver = await receiver();
    const ningbo = await t.clientFor(zhejiang, 'city', '330200');
    await register(ningbo, ningboReceiver.url, ['comparison.completed']);
    const provinceHook = await register(zhejiang, provinceReceiver.url, ['comparison.completed']);
    expect((await zhejiang.request('DELETE', `/v1/clients/${ningbo.clientId}`)).status).toBe(204);

    const ningboEnterprise = creditCode('330206', 72);
    await createEnterprise(zhejiang, ningboEnterprise, '330206');
    const declaration = await zhejiang.call<{ comparisonId: string }>('POST', '/v1/declarations', {
      creditCode: ningboEnterprise,
      schemeId: scheme.id,
      product: '婴儿帽',
      standardNumber: 'Q/NB 001-2024',
      indicators: textileIndicators,
    });
    const request = await until('the province’s delivery', () => provinceReceiver.received[0]);
    expect(new Webhook(provinceHook.secret).verify(request.body, request.headers as Record<string, string>)).toMatchObject({
      data: { comparisonId: declaration.comparisonId, divisionCode: '330206' },
    });
    await settle();
    expect(ningboReceiver.received).toEqual([]);
  });
});

describe('a receiver that keeps failing', () => {
  it('is retried for the (scaled) 24 hours, then the webhook is disabled until enabled again', async () => {
    const failing = await receiver(Array(100).fill(503));
    const enterpriseClient = await t.clientFor(hangzhou, 'enterprise', enterprise);
    const hook = await register(enterpriseClient, failing.url, ['comparison.completed']);
    await hangzhou.call('POST', '/v1/declarations', {
      creditCode: enterprise,
      schemeId: scheme.id,
      product: '婴儿袜',
      standardNumber: 'Q/HZ 301-2024',
      indicators: textileIndicators,
    });
    const disabled = await until(
      'the webhook to be disabled',
      async () => {
        const current = await enterpriseClient.call<WebhookView & { disabledReason?: string }>('GET', `/v1/webhooks/${hook.id}`);
        return current.status === 'disabled' ? current : undefined;
      },
      30_000,
    );
    expect(disabled.disabledReason).toBe('deliveries_failed_24h');
    const [delivery] = await deliveries(enterpriseClient, hook.id);
    expect(delivery!.status).toBe('failed');
    expect(delivery!.attempts.length).toBeGreaterThanOrEqual(3);
    expect(delivery!.attempts.every((a) => a.statusCode === 503)).toBe(true);
    expect(failing.received.length).toBe(delivery!.attempts.length);
    expect(new Set(failing.received.map((r) => r.headers['webhook-id'])).size).toBe(1);

    const enabled = await enterpriseClient.call<WebhookView>('POST', `/v1/webhooks/${hook.id}/enable`);
    expect(enabled.status).toBe('enabled');
    expect(enabled).not.toHaveProperty('disabledReason');
  }, 45_000);
});

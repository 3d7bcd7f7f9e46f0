/** Webhook rules: events from table changes, territory scopes, callback URLs, retries, signatures. */
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import type { LookupAddress } from 'node:dns';
import { describe, expect, it } from 'vitest';
import { publicOnlyLookup } from '../../shared/services/webhook-delivery.ts';
import {
  deriveEvents,
  isPublicAddress,
  RETRY_WINDOW_SECONDS,
  retryDelaySeconds,
  scopesOfSubject,
  signWebhook,
  subscriberScope,
  webhookUrlProblem,
} from '../../shared/domain/webhooks.ts';

const at = '2026-01-01T00:00:00.000Z';

describe('events from table changes', () => {
  const running = { kind: 'comparison', id: 'C1', declarationId: 'D1', status: 'running', creditCode: 'X', divisionCode: '330106' };

  it('makes comparison.completed when a comparison becomes succeeded or failed, once', () => {
    const succeeded = { ...running, status: 'succeeded', completedAt: '2026-01-01T00:00:05.000Z', result: { meets: true, level: 'equivalent', indicators: [] } };
    const [event, ...rest] = deriveEvents({ eventName: 'MODIFY', oldImage: running, newImage: succeeded }, at);
    expect(rest).toEqual([]);
    expect(event).toEqual({
      type: 'comparison.completed',
      timestamp: '2026-01-01T00:00:05.000Z',
      subject: { divisionCode: '330106', creditCode: 'X', declarationId: 'D1' },
      data: {
        comparisonId: 'C1',
        declarationId: 'D1',
        status: 'succeeded',
        creditCode: 'X',
        divisionCode: '330106',
        completedAt: '2026-01-01T00:00:05.000Z',
        result: { meets: true, level: 'equivalent' },
      },
    });
    expect(deriveEvents({ eventName: 'MODIFY', oldImage: running, newImage: { ...running, status: 'failed' } }, at)[0]?.data.status).toBe('failed');
    // Already finished, or still running: nothing.
    expect(deriveEvents({ eventName: 'MODIFY', oldImage: succeeded, newImage: { ...succeeded, reports: {} } }, at)).toEqual([]);
    expect(deriveEvents({ eventName: 'INSERT', newImage: running }, at)).toEqual([]);
    expect(deriveEvents({ eventName: 'REMOVE', oldImage: succeeded }, at)).toEqual([]);
  });

  it('makes batch.completed with the total when a batch completes or fails', () => {
    const processing = { kind: 'batch', id: 'B1', status: 'processing', divisionCode: '330000', accepted: 2, unchanged: 1, rejected: 1, compared: 2 };
    const [event] = deriveEvents({ eventName: 'MODIFY', oldImage: processing, newImage: { ...processing, status: 'completed' } }, at);
    expect(event).toMatchObject({ type: 'batch.completed', timestamp: at, data: { batchId: 'B1', status: 'completed', total: 4 } });
    expect(deriveEvents({ eventName: 'MODIFY', oldImage: { ...processing, status: 'waiting_upload' }, newImage: processing }, at)).toEqual([]);
  });

  it('makes review.decided when a review is inserted, placed by its declaration', () => {
    const review = { kind: 'review', id: 'R1', declarationId: 'D1', decision: 'recommend', from: 'compared', to: 'city_recommended', decidedAt: at };
    const [event] = deriveEvents({ eventName: 'INSERT', newImage: review }, '2026-02-02T00:00:00.000Z');
    expect(event).toMatchObject({ type: 'review.decided', timestamp: at, subject: { declarationId: 'D1' }, data: { reviewId: 'R1', decision: 'recommend', to: 'city_recommended' } });
    expect(deriveEvents({ eventName: 'MODIFY', oldImage: review, newImage: review }, at)).toEqual([]);
  });

  it('ignores other kinds', () => {
    expect(deriveEvents({ eventName: 'MODIFY', oldImage: { kind: 'declaration', status: 'submitted' }, newImage: { kind: 'declaration', status: 'compared' } }, at)).toEqual([]);
  });
});

describe('territory scopes', () => {
  it('subscribes national to all, bureaus to their division, enterprises to their credit code, experts to nothing', () => {
    expect(subscriberScope({ clientId: 'n', role: 'national', territory: '' })).toBe('ALL');
    expect(subscriberScope({ clientId: 'p', role: 'province', territory: '330000' })).toBe('330000');
    expect(subscriberScope({ clientId: 'c', role: 'city', territory: '330100' })).toBe('330100');
    expect(subscriberScope({ clientId: 'e', role: 'enterprise', territory: '91350100M000100Y43' })).toBe('ENT#91350100M000100Y43');
    expect(subscriberScope({ clientId: 'x', role: 'expert', territory: 'x1' })).toBeUndefined();
  });

  it('reaches national, the province, the city and the enterprise of a subject, nobody else', () => {
    expect(scopesOfSubject({ divisionCode: '330106', creditCode: 'X' }).sort()).toEqual(['330000', '330100', 'ALL', 'ENT#X']);
    expect(scopesOfSubject({ divisionCode: '330000' }).sort()).toEqual(['330000', 'ALL']);
    expect(scopesOfSubject({ divisionCode: '' })).toEqual(['ALL']);
    expect(scopesOfSubject({})).toEqual(['ALL']);
  });
});

describe('callback URLs', () => {
  it('takes https to public hosts on AWS and nothing else', () => {
    expect(webhookUrlProblem('https://province.example.cn/hooks', false)).toBeUndefined();
    expect(webhookUrlProblem('http://province.example.cn/hooks', false)).toBe('webhook_url_https_required');
    expect(webhookUrlProblem('http://127.0.0.1:8080/hooks', false)).toBe('webhook_url_https_required');
    expect(webhookUrlProblem('ftp://example.cn/x', false)).toBe('webhook_url_https_required');
    for (const host of ['127.0.0.1', 'localhost', '10.1.2.3', '192.168.1.1', '172.20.0.1', '169.254.169.254', '[::1]', '0.0.0.0']) {
      expect(webhookUrlProblem(`https://${host}/x`, false), host).toBe('webhook_url_not_public');
    }
    expect(webhookUrlProblem('https://user:pw@example.cn/x', false)).toBe('webhook_url_credentials');
    expect(webhookUrlProblem('not a url', false)).toBe('invalid_url');
  });

  it('also takes http on loopback locally, and only on loopback', () => {
    expect(webhookUrlProblem('http://127.0.0.1:8080/hooks', true)).toBeUndefined();
    expect(webhookUrlProblem('http://localhost:8080/hooks', true)).toBeUndefined();
    expect(webhookUrlProblem('http://10.0.0.1/hooks', true)).toBe('webhook_url_https_required');
    expect(webhookUrlProblem('http://example.cn/hooks', true)).toBe('webhook_url_https_required');
  });
});

describe('addresses a delivery connects to (DNS rebinding)', () => {
  it('takes public IPv4 and IPv6 addresses and refuses internal, reserved and metadata ones', () => {
    for (const address of ['8.8.8.8', '203.119.25.1', '2400:3200::1', '2001:4860:4860::8888']) {
      expect(isPublicAddress(address), address).toBe(true);
    }
    for (const address of [
      '127.0.0.1', '10.0.0.5', '172.31.255.1', '192.168.0.1', '169.254.169.254', '100.64.1.1', '0.0.0.0',
      '::1', '::', 'fd00:ec2::254', 'fe80::1', '::ffff:10.0.0.1', '224.0.0.1', 'not-an-address',
    ]) {
      expect(isPublicAddress(address), address).toBe(false);
    }
    expect(isPublicAddress('127.0.0.1', true)).toBe(true);
    expect(isPublicAddress('10.0.0.5', true)).toBe(false);
  });

  const resolvingTo =
    (...addresses: string[]) =>
    (_host: string, _options: unknown, callback: (error: Error | null, addresses: LookupAddress[]) => void) =>
      callback(null, addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })));
  const lookupWith = (addresses: string[], options: { all?: boolean }) =>
    new Promise<{ error: NodeJS.ErrnoException | null; address: unknown }>((resolve) =>
      publicOnlyLookup(false, resolvingTo(...addresses) as never)('hooks.example.cn', options, (error, address) => resolve({ error, address })),
    );

  it('connects a name that resolves to public addresses, in the form the caller asked for', async () => {
    expect(await lookupWith(['203.119.25.1'], {})).toEqual({ error: null, address: '203.119.25.1' });
    expect(await lookupWith(['203.119.25.1', '2400:3200::1'], { all: true })).toEqual({
      error: null,
      address: [{ address: '203.119.25.1', family: 4 }, { address: '2400:3200::1', family: 6 }],
    });
  });

  it('refuses a name that resolves to an internal address, even beside a public one', async () => {
    for (const addresses of [['169.254.169.254'], ['203.119.25.1', '10.0.0.7'], []]) {
      const { error } = await lookupWith(addresses, { all: true });
      expect(error?.code, addresses.join()).toBe('EADDRNOTPUBLIC');
    }
  });
});

describe('retries', () => {
  it('backs off exponentially and stops within 24 hours of the first attempt', () => {
    let elapsed = 0;
    const delays: number[] = [];
    for (let attempt = 1; ; attempt++) {
      const delay = retryDelaySeconds(attempt, elapsed);
      if (delay === null) break;
      delays.push(delay);
      elapsed += delay;
    }
    expect(delays.slice(0, 4)).toEqual([5, 20, 80, 320]);
    for (let i = 1; i < delays.length; i++) expect(delays[i]).toBeGreaterThanOrEqual(delays[i - 1]!);
    expect(elapsed).toBeLessThanOrEqual(RETRY_WINDOW_SECONDS);
    // The next one would have passed 24 h.
    expect(elapsed + 6 * 3600).toBeGreaterThan(RETRY_WINDOW_SECONDS);
    expect(delays.length).toBeGreaterThanOrEqual(8);
  });

  it('scales delays and window together, in whole seconds', () => {
    expect(retryDelaySeconds(1, 0, 0.001)).toBe(1);
    expect(retryDelaySeconds(3, 90, 0.001)).toBeNull();
  });
});

describe('Standard Webhooks signatures', () => {
  const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

  it('verifies with the standardwebhooks library', () => {
    const body = JSON.stringify({ type: 'comparison.completed', timestamp: at, data: { comparisonId: 'C1' } });
    const timestamp = Math.floor(Date.now() / 1000);
    const headers = { 'webhook-id': 'msg_1', 'webhook-timestamp': String(timestamp), 'webhook-signature': signWebhook(secret, 'msg_1', timestamp, body) };
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
    // The library's own signature is ours.
    expect(new Webhook(secret).sign('msg_1', new Date(timestamp * 1000), body)).toBe(headers['webhook-signature']);
    // Tampering, another secret, and a replay of an old message are refused.
    expect(() => new Webhook(secret).verify(body.replace('C1', 'C2'), headers)).toThrow(WebhookVerificationError);
    expect(() => new Webhook('whsec_' + Buffer.from('other').toString('base64')).verify(body, headers)).toThrow(WebhookVerificationError);
    const old = timestamp - 3600;
    expect(() =>
      new Webhook(secret).verify(body, { ...headers, 'webhook-timestamp': String(old), 'webhook-signature': signWebhook(secret, 'msg_1', old, body) }),
    ).toThrow(WebhookVerificationError);
  });
});

/**
 * Reviewers deciding at the same time over HTTP: one step is made, the other
 * decision is 409, and only the step made is recorded.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../infra/local/api-client.ts';
import { createEnterprise, createTextileScheme, creditCode, textileIndicators } from '../support/fixtures.ts';
import { startTestPlatform, type TestPlatform } from '../support/platform.ts';

let t: TestPlatform;
let scheme: { id: string };
let zhejiang: ApiClient;
let hangzhou: ApiClient;
const enterprise = creditCode('330106', 71);

async function comparedDeclarations(count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const declaration = await hangzhou.call<{ id: string }>('POST', '/v1/declarations', {
      creditCode: enterprise,
      schemeId: scheme.id,
      product: `并发审核样品 ${i}`,
      standardNumber: 'Q/HZ 300-2024',
      indicators: textileIndicators,
    });
    ids.push(declaration.id);
  }
  await t.platform.stepFunctions.idle();
  for (const id of ids) expect((await hangzhou.call<{ status: string }>('GET', `/v1/declarations/${id}`)).status).toBe('compared');
  return ids;
}

const decide = (client: ApiClient, id: string, decision: string, extra: { comment?: string; fromStatus?: string } = {}) =>
  client.request<{ status?: string; type?: string }>('POST', `/v1/declarations/${id}/reviews`, { decision, ...extra });

beforeAll(async () => {
  t = await startTestPlatform();
  scheme = await createTextileScheme(t.admin);
  zhejiang = await t.clientFor(t.admin, 'province', '330000');
  hangzhou = await t.clientFor(zhejiang, 'city', '330100');
  await createEnterprise(hangzhou, enterprise, '330106');
}, 120_000);

afterAll(async () => {
  await t?.platform.stop();
});

describe('concurrent reviews', () => {
  it('make one step when the city and its province recommend at once, never two', async () => {
    const ids = await comparedDeclarations(6);
    // Warm both clients' tokens so the two requests leave together.
    await Promise.all([hangzhou.accessToken(), zhejiang.accessToken()]);
    for (const id of ids) {
      // Both decide on what they saw: compared. The province reviews the next step too, so
      // without fromStatus its recommendation could land there if the city's came first.
      const outcomes = await Promise.all([
        decide(hangzhou, id, 'recommend', { fromStatus: 'compared' }),
        decide(zhejiang, id, 'recommend', { fromStatus: 'compared' }),
      ]);
      expect(outcomes.map((o) => o.status).sort()).toEqual([201, 409]);
      expect(outcomes.find((o) => o.status === 409)!.body.type).toBe('/problems/conflict');
      const declaration = await hangzhou.call<{ status: string; version: number }>('GET', `/v1/declarations/${id}`);
      expect(declaration.status).toBe('city_recommended');
      const reviews = await hangzhou.call<{ items: { fromStatus: string; status: string }[] }>('GET', `/v1/declarations/${id}/reviews`);
      expect(reviews.items).toEqual([expect.objectContaining({ fromStatus: 'compared', status: 'city_recommended' })]);
    }
  });

  it('let one of a recommendation and a return by the same city win, without fromStatus', async () => {
    const [id] = await comparedDeclarations(1);
    const outcomes = await Promise.all([
      decide(hangzhou, id!, 'return', { comment: '请补充检测报告' }),
      decide(hangzhou, id!, 'recommend'),
    ]);
    expect(outcomes.map((o) => o.status).sort()).toEqual([201, 409]);
    const winner = outcomes.find((o) => o.status === 201)!.body.status;
    expect((await hangzhou.call<{ status: string }>('GET', `/v1/declarations/${id}`)).status).toBe(winner);
    const reviews = await hangzhou.call<{ items: unknown[] }>('GET', `/v1/declarations/${id}/reviews`);
    expect(reviews.items).toHaveLength(1);
  });

  it('refuse a decision meant for a step the declaration has left', async () => {
    const [id] = await comparedDeclarations(1);
    expect((await decide(hangzhou, id!, 'recommend')).status).toBe(201);
    const late = await decide(zhejiang, id!, 'recommend', { fromStatus: 'compared' });
    expect(late.status).toBe(409);
    // Meant for the province step, the same recommendation is the province's to make.
    expect((await decide(zhejiang, id!, 'recommend', { fromStatus: 'city_recommended' })).body.status).toBe('province_recommended');
  });

  it('replay a retried decision with the same Idempotency-Key instead of deciding twice', async () => {
    const [id] = await comparedDeclarations(1);
    const send = async () =>
      fetch(`${t.url}/v1/declarations/${id}/reviews`, {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${await zhejiang.accessToken()}`,
          'Content-Type': 'application/json',
          'Idempotency-Key': `review-${id}`,
        },
        body: JSON.stringify({ decision: 'recommend' }),
      });
    const first = await send();
    const second = await send();
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(await second.json()).toEqual(await first.json());
    expect((await hangzhou.call<{ status: string }>('GET', `/v1/declarations/${id}`)).status).toBe('city_recommended');
  });

  it('404s outside the territory and 403s the roles that never review', async () => {
    const [id] = await comparedDeclarations(1);
    const ningbo = await t.clientFor(zhejiang, 'city', '330200');
    const jiangsu = await t.clientFor(t.admin, 'province', '320000');
    expect((await decide(ningbo, id!, 'recommend')).status).toBe(404);
    expect((await decide(jiangsu, id!, 'recommend')).status).toBe(404);
    expect((await jiangsu.request('GET', `/v1/declarations/${id}/reviews`)).status).toBe(404);
    const owner = await t.clientFor(hangzhou, 'enterprise', enterprise);
    expect((await decide(owner, id!, 'recommend')).status).toBe(403);
    expect((await owner.request('GET', `/v1/declarations/${id}/reviews`)).status).toBe(200);
    await createEnterprise(hangzhou, creditCode('330106', 72), '330106');
    const stranger = await t.clientFor(hangzhou, 'enterprise', creditCode('330106', 72));
    expect((await stranger.request('GET', `/v1/declarations/${id}/reviews`)).status).toBe(404);
    const review = await decide(hangzhou, id!, 'recommend');
    const location = (review.body as { id?: string }).id;
    expect((await jiangsu.request('GET', `/v1/declarations/${id}/reviews/${location}`)).status).toBe(404);
    expect((await owner.request('GET', `/v1/declarations/${id}/reviews/${location}`)).status).toBe(200);
  });
});

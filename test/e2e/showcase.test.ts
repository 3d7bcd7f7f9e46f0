/**
 * The public showcase of an enterprise over HTTP: nothing until a result is
 * accepted, then the accepted result and, once national lists the
 * forerunners, the enterprise's place on the list; other enterprises' results
 * never appear on it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../infra/local/api-client.ts';
import { createEnterprise, createTextileScheme, creditCode, textileIndicators } from '../support/fixtures.ts';
import { startTestPlatform, type TestPlatform } from '../support/platform.ts';

let t: TestPlatform;
let scheme: { id: string };
let zhejiang: ApiClient;
let hangzhou: ApiClient;
const leader = creditCode('330106', 501);
const follower = creditCode('330106', 502);
const newcomer = creditCode('330106', 503);

/** Cadmium 30 against the benchmark's 40: meets, partially superior. */
const meeting = textileIndicators.map((i) => (i.code === 'cadmium' ? { ...i, value: 30 } : i));
const better = textileIndicators.map((i) => (i.code === 'cadmium' ? { ...i, value: 20 } : i));

async function settle(): Promise<void> {
  await t.platform.stepFunctions.idle();
  await t.platform.streams!.drain();
}

async function acceptedDeclaration(code: string, product: string, indicators: unknown[]): Promise<string> {
  const declaration = await hangzhou.call<{ id: string }>('POST', '/v1/declarations', {
    creditCode: code, schemeId: scheme.id, product, standardNumber: 'Q/HZ 300-2024', indicators,
  });
  await settle();
  await hangzhou.call('POST', `/v1/declarations/${declaration.id}/reviews`, { decision: 'recommend' });
  await zhejiang.call('POST', `/v1/declarations/${declaration.id}/reviews`, { decision: 'recommend' });
  await t.admin.call('POST', `/v1/declarations/${declaration.id}/reviews`, { decision: 'accept' });
  await settle();
  return declaration.id;
}

interface Showcase {
  creditCode: string;
  name: string;
  results: { product: string; schemeName: string | null; level: string; meets: boolean; creditCode: string }[];
  forerunnerTitles: { schemeId: string; schemeName: string; rank: number; product: string; state: string }[];
}

const showcase = (code: string) => t.fetch(`/v1/public/enterprises/${code}`);

beforeAll(async () => {
  t = await startTestPlatform();
  scheme = await createTextileScheme(t.admin);
  zhejiang = await t.clientFor(t.admin, 'province', '330000');
  hangzhou = await t.clientFor(zhejiang, 'city', '330100');
  await createEnterprise(hangzhou, leader, '330106', '杭州领跑纺织有限公司');
  await createEnterprise(hangzhou, follower, '330106', '杭州跟跑纺织有限公司');
  await createEnterprise(hangzhou, newcomer, '330106', '杭州新晋纺织有限公司');
}, 120_000);

afterAll(async () => {
  await t?.platform.stop();
});

describe('enterprise showcase', () => {
  it('shows nothing for an unknown enterprise, a bad credit code, or one with nothing accepted', async () => {
    expect((await showcase(creditCode('330106', 599))).status).toBe(404);
    const bad = await showcase('91310115MA1G4L1WXK');
    expect(bad.status).toBe(422);
    expect(((await bad.json()) as { errors: { path: string }[] }).errors[0]!.path).toBe('creditCode');
    await hangzhou.call('POST', '/v1/declarations', {
      creditCode: newcomer, schemeId: scheme.id, product: '未受理产品', standardNumber: 'Q/HZ 1-2024', indicators: meeting,
    });
    await settle();
    expect((await showcase(newcomer)).status).toBe(404);
  });

  it('shows accepted results, then forerunner titles, without a token', async () => {
    await acceptedDeclaration(leader, '婴儿连体衣', better);
    await acceptedDeclaration(follower, '婴儿睡袋', meeting);

    const before = await showcase(leader);
    expect(before.status).toBe(200);
    expect(before.headers.get('cache-control')).toBe('public, max-age=60');
    const first = (await before.json()) as Showcase;
    expect(first).toMatchObject({ creditCode: leader, name: '杭州领跑纺织有限公司', forerunnerTitles: [] });
    expect(first.results).toEqual([
      expect.objectContaining({ creditCode: leader, product: '婴儿连体衣', schemeName: '婴幼儿纺织品(A类)对标技术方案', meets: true }),
    ]);

    // Two accepted and meeting declarations, leader share 0.1: one forerunner, the better one.
    await t.admin.call('POST', `/v1/schemes/${scheme.id}/forerunner-lists`, { noticeDays: 7 });
    const after = (await (await showcase(leader)).json()) as Showcase;
    expect(after.forerunnerTitles).toEqual([
      expect.objectContaining({ schemeId: scheme.id, schemeName: '婴幼儿纺织品(A类)对标技术方案', rank: 1, product: '婴儿连体衣', state: 'public_notice' }),
    ]);
    const other = (await (await showcase(follower)).json()) as Showcase;
    expect(other.results.map((r) => r.creditCode)).toEqual([follower]);
    expect(other.forerunnerTitles).toEqual([]);
  });
});

/**
 * Search over HTTP against the local runtime, on the demo data of
 * infra/local/seed.ts, indexed from the table stream as on AWS.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoData, type SeedSummary } from '../../infra/local/seed.ts';
import { startTestPlatform, type TestPlatform } from '../support/platform.ts';

let t: TestPlatform;
let seeded: SeedSummary;
let iso16358: string;

interface Result {
  type: string;
  id: string;
  title: string;
  score: number;
}

const search = async (q: string, extra = '') =>
  (await t.admin.call<{ items: Result[] }>('GET', `/v1/search?q=${encodeURIComponent(q)}${extra}`)).items;

beforeAll(async () => {
  t = await startTestPlatform();
  seeded = await seedDemoData(t.admin);
  const standards = await t.admin.call<{ items: { id: string; number: string }[] }>('GET', '/v1/standards?number=ISO%2016358');
  iso16358 = standards.items[0]!.id;
  await t.platform.streams!.drain();
}, 120_000);

afterAll(async () => {
  await t?.platform.stop();
});

describe('search relevance', () => {
  it.each(['16358', 'ISO 16358', 'iso16358', 'ISO 16358-1:2013', 'ＩＳＯ　１６３５８', 'heat pumps', 'Heat Pump', '空气调节器', 'ISO 16358 空调', '风冷空调器和热泵'])(
    'finds ISO 16358-1:2013 first for %s',
    async (q) => {
      const [first] = await search(q);
      expect(first).toMatchObject({ type: 'standard', id: iso16358 });
      expect(first!.title).toMatch(/^ISO 16358-1:2013 风冷空调器和热泵/);
    },
  );

  it('finds every standard with the alias 空调, ISO 16358-1:2013 among them', async () => {
    const results = await search('空调');
    expect(results.map((r) => r.id)).toContain(iso16358);
    expect(results.map((r) => r.title)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^GB 21455-2019/), expect.stringMatching(/^JIS C 9612:2013/)]),
    );
    expect(results.map((r) => r.title)).not.toContainEqual(expect.stringMatching(/^GB 30255-2019/));
    const scores = results.map((r) => r.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  });

  it('finds Chinese standards by number and by words of their titles', async () => {
    expect((await search('GB 21455'))[0]!.title).toMatch(/^GB 21455-2019/);
    expect((await search('21455'))[0]!.title).toMatch(/^GB 21455-2019/);
    expect((await search('纺织产品安全'))[0]!.title).toMatch(/^GB 31701-2015/);
    // The standard and the scheme named after the same products.
    expect((await search('婴幼儿纺织')).map((r) => r.type)).toEqual(expect.arrayContaining(['standard', 'scheme']));
    expect((await search('能效等级')).map((r) => r.title)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^GB 21455-2019/), expect.stringMatching(/^GB 30255-2019/)]),
    );
    // Through its Chinese adoption's number.
    expect((await search('GB/T 40363.1')).map((r) => r.id)).toContain(iso16358);
  });

  it('finds schemes by their benchmark standards and names, and filters by type', async () => {
    const aircon = seeded.schemes.find((s) => s.name.startsWith('房间空气调节器'))!;
    const schemes = await search('16358', '&type=scheme');
    expect(schemes).toEqual([expect.objectContaining({ type: 'scheme', id: aircon.id, title: aircon.name })]);
    expect((await search('LED筒灯', '&type=scheme'))[0]!.title).toMatch(/^LED筒灯/);
    const mixed = await search('16358');
    expect(mixed.map((r) => r.type)).toEqual(['standard', 'scheme']);
  });

  it('finds the seeded directory by name and field', async () => {
    expect((await search('陈立新'))[0]).toMatchObject({ type: 'expert', title: '陈立新' });
    expect((await search('能效检测', '&type=institution'))[0]).toMatchObject({ type: 'institution', title: '国家家用电器质量检验检测中心' });
  });

  it('finds nothing for words no document holds', async () => {
    expect(await search('量子纠缠')).toEqual([]);
    expect(await search('quantum entanglement')).toEqual([]);
  });

  it('rejects a missing or oversized query and an unknown type, naming the field', async () => {
    for (const [query, path] of [
      ['', 'q'],
      [`q=${'a'.repeat(101)}`, 'q'],
      ['q=x&type=enterprise', 'type'],
      ['q=x&limit=0', 'limit'],
    ] as const) {
      const response = await t.admin.request<{ errors: { path: string }[] }>('GET', `/v1/search?${query}`);
      expect(response.status).toBe(422);
      expect(response.body.errors[0]!.path).toBe(path);
    }
    expect((await t.fetch('/v1/search?q=x')).status).toBe(401);
  });
});

describe('search index upkeep', () => {
  it('indexes new standards, experts and institutions, and follows renames', async () => {
    const standard = await t.admin.call<{ id: string }>('POST', '/v1/standards', {
      number: 'IEC 60335-2-40:2022',
      title: '家用和类似用途电器的安全 热泵、空调器和除湿机的特殊要求',
      titleEn: 'Household and similar electrical appliances — Safety — Particular requirements for electrical heat pumps, air-conditioners and dehumidifiers',
      aliases: ['除湿机'],
      org: 'IEC',
      kind: 'international',
    });
    const expert = await t.admin.call<{ id: string; version: number }>('POST', '/v1/experts', {
      name: '欧阳明', fields: ['净水设备'], divisionCode: '330100',
    });
    const institution = await t.admin.call<{ id: string }>('POST', '/v1/institutions', {
      name: '上海电器设备检测所', fields: ['电器设备'], divisionCode: '310000',
    });
    await t.platform.streams!.drain();
    expect((await search('60335-2-40'))[0]).toMatchObject({ type: 'standard', id: standard.id });
    expect((await search('除湿机'))[0]).toMatchObject({ id: standard.id });
    expect((await search('欧阳明'))[0]).toMatchObject({ type: 'expert', id: expert.id, title: '欧阳明' });
    expect((await search('净水', '&type=expert')).map((r) => r.id)).toEqual([expert.id]);
    expect((await search('设备检测', '&type=institution'))[0]).toMatchObject({ id: institution.id });

    const renamed = await fetch(`${t.url}/v1/experts/${expert.id}`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${await t.admin.accessToken()}`, 'If-Match': '"1"' },
      body: JSON.stringify({ name: '司马光', fields: ['照明电器'], divisionCode: '330100' }),
    });
    expect(renamed.status).toBe(200);
    await t.platform.streams!.drain();
    expect(await search('欧阳明', '&type=expert')).toEqual([]);
    expect(await search('净水', '&type=expert')).toEqual([]);
    expect((await search('司马光'))[0]).toMatchObject({ id: expert.id, title: '司马光' });
  });

  it('reindexes a scheme’s new version', async () => {
    const led = seeded.schemes.find((s) => s.name.startsWith('LED筒灯'))!;
    const current = await t.admin.call<Record<string, unknown> & { version: number }>('GET', `/v1/schemes/${led.id}`);
    const { id: _id, version, createdAt: _c, updatedAt: _u, ...definition } = current;
    const response = await fetch(`${t.url}/v1/schemes/${led.id}`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${await t.admin.accessToken()}`, 'If-Match': `"${version}"` },
      body: JSON.stringify({ ...definition, name: 'LED平板灯对标技术方案', productCategory: 'LED平板灯' }),
    });
    expect(response.status).toBe(200);
    await t.platform.streams!.drain();
    expect((await search('平板灯', '&type=scheme'))[0]).toMatchObject({ id: led.id, title: 'LED平板灯对标技术方案' });
    expect((await search('筒灯', '&type=scheme')).map((r) => r.id)).not.toContain(led.id);
  });
});

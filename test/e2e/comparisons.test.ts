/**
 * Comparisons through the API, run by the comparison workflow on the local
 * Step Functions interpreter against the emulators.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../infra/local/api-client.ts';
import { createEnterprise, createTextileScheme, creditCode, textileIndicators } from '../support/fixtures.ts';
import { startTestPlatform, type TestPlatform } from '../support/platform.ts';

interface ComparisonView {
  id: string;
  declarationId: string;
  status: 'running' | 'succeeded' | 'failed';
  schemeVersion: number | null;
  error?: { code: string; message: string };
  result?: {
    meets: boolean;
    level: string;
    consistency: number | null;
    score: number;
    indicators: { code: string; verdict: string; gap: number | null; declared: unknown; benchmark: { standard: string; value: unknown } }[];
  };
  report?: { html: string; json: string; language: string };
}

let t: TestPlatform;
let scheme: { id: string };
let hangzhou: ApiClient;
const enterprise = creditCode('330106', 31);

async function waitForComparison(client: ApiClient, id: string, language?: string): Promise<ComparisonView> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const response = await fetch(`${t.url}/v1/comparisons/${id}`, {
      headers: { Authorization: `Bearer ${await client.accessToken()}`, ...(language ? { 'Accept-Language': language } : {}) },
    });
    const comparison = (await response.json()) as ComparisonView;
    if (comparison.status !== 'running') return comparison;
    if (Date.now() > deadline) throw new Error(`comparison ${id} still running`);
    await new Promise((done) => setTimeout(done, 25));
  }
}

const declare = (client: ApiClient, product: string, indicators: unknown[]) =>
  client.call<{ id: string; comparisonId: string; status: string }>('POST', '/v1/declarations', {
    creditCode: enterprise,
    schemeId: scheme.id,
    product,
    standardNumber: 'Q/HZ 100-2024',
    indicators,
  });

beforeAll(async () => {
  t = await startTestPlatform();
  scheme = await createTextileScheme(t.admin);
  const zhejiang = await t.clientFor(t.admin, 'province', '330000');
  hangzhou = await t.clientFor(zhejiang, 'city', '330100');
  await createEnterprise(hangzhou, enterprise, '330106');
}, 60_000);

afterAll(async () => {
  await t?.platform.stop();
});

describe('comparison of the infant textiles sample (domain.md §5)', () => {
  let declarationId: string;
  let comparison: ComparisonView;

  beforeAll(async () => {
    const declaration = await declare(hangzhou, '婴儿连体衣', textileIndicators);
    expect(declaration.comparisonId).toEqual(expect.any(String));
    declarationId = declaration.id;
    comparison = await waitForComparison(hangzhou, declaration.comparisonId);
  });

  it('succeeds with lead equal, cadmium looser, phthalates equal, pH equal', () => {
    expect(comparison.status).toBe('succeeded');
    expect(comparison.schemeVersion).toBe(1);
    const verdicts = Object.fromEntries(comparison.result!.indicators.map((i) => [i.code, i.verdict]));
    expect(verdicts).toEqual({ lead: 'equal', cadmium: 'looser', phthalates: 'equal', ph: 'equal' });
    const cadmium = comparison.result!.indicators.find((i) => i.code === 'cadmium')!;
    expect(cadmium.gap).toBeCloseTo((40 - 100) / 40, 12);
    expect(cadmium.benchmark).toEqual({ standard: 'OEKO-TEX STANDARD 100', value: 40 });
  });

  it('does not meet (cadmium is core), so the level is below', () => {
    expect(comparison.result).toMatchObject({ meets: false, level: 'below', consistency: 0.75 });
    // (0 + clamp(-1.5) + 0 + 0) / 4
    expect(comparison.result!.score).toBe(-0.25);
  });

  it('moves the declaration from submitted to compared', async () => {
    const declaration = await hangzhou.call<{ status: string }>('GET', `/v1/declarations/${declarationId}`);
    expect(declaration.status).toBe('compared');
  });

  it('hands out short-lived report links in the language asked for', async () => {
    expect(comparison.report?.language).toBe('zh');
    const html = await (await fetch(comparison.report!.html)).text();
    expect(html).toContain('<svg');
    expect(html).toContain('低于');
    const english = await waitForComparison(hangzhou, comparison.id, 'en');
    expect(english.report?.language).toBe('en');
    const json = (await (await fetch(english.report!.json)).json()) as { language: string };
    expect(json.language).toBe('en');
    expect(english.report!.html).toContain('X-Amz-Expires=300');
  });

  it('is invisible outside the territory', async () => {
    const jiangsu = await t.clientFor(t.admin, 'province', '320000');
    expect((await jiangsu.request('GET', `/v1/comparisons/${comparison.id}`)).status).toBe(404);
  });
});

describe('revisions and re-runs', () => {
  it('shows the gap closing in a revision’s report', async () => {
    await waitForComparison(hangzhou, (await declare(hangzhou, '婴儿睡袋', textileIndicators)).comparisonId);
    const revised = await declare(
      hangzhou,
      '婴儿睡袋',
      textileIndicators.map((i) => (i.code === 'cadmium' ? { ...i, value: 30 } : i)),
    );
    const comparison = await waitForComparison(hangzhou, revised.comparisonId, 'en');
    expect(comparison.result).toMatchObject({ meets: true, level: 'partially_superior' });
    const report = (await (await fetch(comparison.report!.json)).json()) as {
      indicators: { code: string; change?: string }[];
    };
    expect(report.indicators.find((i) => i.code === 'cadmium')!.change).toBe('improved');
  });

  it('re-runs against the scheme’s latest version without changing the review status', async () => {
    const declaration = await declare(hangzhou, '婴儿袜', textileIndicators);
    await waitForComparison(hangzhou, declaration.comparisonId);

    // A new version tightens lead to 80: the same declared 90 becomes looser.
    const current = await t.admin.call<Record<string, unknown> & { indicators: { code: string; benchmarks: { value: unknown }[] }[] }>('GET', `/v1/schemes/${scheme.id}`);
    const { id: _id, version, createdAt: _c, updatedAt: _u, ...definition } = current;
    definition.indicators = current.indicators.map((indicator) =>
      indicator.code === 'lead' ? { ...indicator, benchmarks: [{ standard: 'OEKO-TEX STANDARD 100', value: 80 }] } : indicator,
    );
    const put = await fetch(`${t.url}/v1/schemes/${scheme.id}`, {
      method: 'PUT',
      headers: { Authorization: `Bearer ${await t.admin.accessToken()}`, 'Content-Type': 'application/json', 'If-Match': `"${version}"` },
      body: JSON.stringify(definition),
    });
    expect(put.status).toBe(200);

    expect((await t.clientFor(hangzhou, 'enterprise', enterprise).then((c) => c.request('POST', `/v1/declarations/${declaration.id}/comparisons`))).status).toBe(403);
    const rerun = await fetch(`${t.url}/v1/declarations/${declaration.id}/comparisons`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${await hangzhou.accessToken()}` },
    });
    expect(rerun.status).toBe(202);
    const { comparisonId } = (await rerun.json()) as { comparisonId: string };
    expect(rerun.headers.get('location')).toBe(`/v1/comparisons/${comparisonId}`);
    const comparison = await waitForComparison(hangzhou, comparisonId);
    expect(comparison.schemeVersion).toBe(Number(version) + 1);
    expect(comparison.result!.indicators.find((i) => i.code === 'lead')!.verdict).toBe('looser');
    const after = await hangzhou.call<{ status: string; comparisonId: string }>('GET', `/v1/declarations/${declaration.id}`);
    expect(after).toMatchObject({ status: 'compared', comparisonId });
  });

  it('renders a later English report against the same earlier comparison as the Chinese one, even after that revision was compared again', async () => {
    const setLead = async (value: number) => {
      const current = await t.admin.call<Record<string, unknown> & { indicators: { code: string }[] }>('GET', `/v1/schemes/${scheme.id}`);
      const { id: _id, version, createdAt: _c, updatedAt: _u, ...definition } = current;
      definition.indicators = current.indicators.map((indicator) =>
        indicator.code === 'lead' ? { ...indicator, benchmarks: [{ standard: 'OEKO-TEX STANDARD 100', value }] } : indicator,
      );
      const put = await fetch(`${t.url}/v1/schemes/${scheme.id}`, {
        method: 'PUT',
        headers: { Authorization: `Bearer ${await t.admin.accessToken()}`, 'Content-Type': 'application/json', 'If-Match': `"${version}"` },
        body: JSON.stringify(definition),
      });
      expect(put.status).toBe(200);
    };
    const withLead = (value: number) => textileIndicators.map((i) => (i.code === 'lead' ? { ...i, value } : i));
    type Report = { indicators: { code: string; previousVerdict?: string | null }[] };
    const leadBefore = async (link: string) => (((await (await fetch(link)).json()) as Report).indicators.find((i) => i.code === 'lead')!.previousVerdict);

    await setLead(80);
    const first = await declare(hangzhou, '婴儿帽', withLead(85)); // looser than 80
    await waitForComparison(hangzhou, first.comparisonId);
    const second = await declare(hangzhou, '婴儿帽', withLead(70));
    const chinese = await waitForComparison(hangzhou, second.comparisonId);
    expect(await leadBefore(chinese.report!.json)).toBe('looser');

    // The first revision compared again under a looser benchmark: now stricter.
    await setLead(90);
    const rerun = await hangzhou.call<{ comparisonId: string }>('POST', `/v1/declarations/${first.id}/comparisons`);
    const again = await waitForComparison(hangzhou, rerun.comparisonId);
    expect(again.result!.indicators.find((i) => i.code === 'lead')!.verdict).toBe('stricter');

    const english = await waitForComparison(hangzhou, second.comparisonId, 'en');
    expect(english.report!.language).toBe('en');
    expect(await leadBefore(english.report!.json)).toBe('looser');
  });
});

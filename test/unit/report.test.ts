import { describe, expect, it } from 'vitest';
import { compareDeclaration, type ComparisonResult } from '../../shared/domain/comparison.ts';
import { validateDeclaredIndicators, type DeclaredIndicatorInput } from '../../shared/domain/declaration.ts';
import type { SchemeIndicator } from '../../shared/domain/scheme.ts';
import {
  formatNumber,
  formatPercentSigned,
  formatRange,
  renderReportHtml,
  renderReportJson,
  type ReportInput,
} from '../../shared/report/render.ts';
import { infantTextiles, ledDownlight } from './domain-fixtures.ts';

type Language = ReportInput['language'];

// One indicator array per scheme: the engine caches its preparation per array.
const TEXTILES = infantTextiles();
const LED = ledDownlight();

function compare(indicators: SchemeIndicator[], input: DeclaredIndicatorInput[]): ComparisonResult {
  const r = validateDeclaredIndicators(indicators, input);
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return compareDeclaration({ indicators }, r.indicators);
}

/** domain.md §5: GB 31701 / GB 18401 class A against OEKO-TEX 100 class I. */
function textiles(cadmium: number): ComparisonResult {
  return compare(TEXTILES, [
    { code: 'lead', value: 90, unit: 'mg/kg' },
    { code: 'cadmium', value: cadmium, unit: 'mg/kg' },
    { code: 'phthalates', value: 0.1, unit: 'w-%' },
    { code: 'ph', value: [4.0, 7.5] },
  ]);
}

function textilesInput(
  language: Language,
  revision: 1 | 2,
  enterpriseName = '福建省示例婴童用品有限公司',
): ReportInput {
  return {
    language,
    comparison: { id: `cmp-0${revision}`, schemeVersion: 1, completedAt: '2026-03-02T07:30:00Z' },
    declaration: {
      id: `decl-0${revision}`,
      creditCode: '91350100M000100Y43',
      enterpriseName,
      product: '婴幼儿连体衣（A类）',
      standardNumber: 'Q/FJSL 001-2026',
      revision,
      createdAt: '2026-03-01T16:30:00Z',
    },
    scheme: {
      id: 'sch-infant-a',
      name: '婴幼儿纺织产品（A类）对标技术方案',
      productCategory: '婴幼儿及儿童纺织产品',
      indicators: TEXTILES,
    },
    result: textiles(revision === 1 ? 100 : 30),
    ...(revision === 2 ? { previous: { declarationId: 'decl-01', revision: 1, result: textiles(100) } } : {}),
  };
}

function byCode<T extends { code: string }>(items: T[], code: string): T {
  const found = items.find((i) => i.code === code);
  if (!found) throw new Error(`no ${code}`);
  return found;
}

describe('value formatting', () => {
  it('prints numbers without float noise, up to 6 significant digits', () => {
    expect(formatNumber(0.1 + 0.2)).toBe('0.3');
    expect(formatNumber(0.1000000000001)).toBe('0.1');
    expect(formatNumber(1 / 3)).toBe('0.333333');
    expect(formatNumber(1e-7)).toBe('0.0000001');
    expect(formatNumber(-0)).toBe('0');
    expect(formatNumber(-20)).toBe('−20');
  });

  it('prints ranges with matching decimals and an en dash', () => {
    expect(formatRange(4, 7.5)).toBe('4.0–7.5');
    expect(formatRange(4, 8)).toBe('4–8');
    expect(formatRange(0.25, 1)).toBe('0.25–1.00');
  });

  it('prints gaps as signed percentages', () => {
    expect(formatPercentSigned(0.25)).toBe('+25%');
    expect(formatPercentSigned(-1.5)).toBe('−150%');
    expect(formatPercentSigned(0)).toBe('0%');
    expect(formatPercentSigned(-0)).toBe('0%');
    expect(formatPercentSigned(1 / 3)).toBe('+33.3%');
    expect(formatPercentSigned(0.001)).toBe('+0.1%');
  });
});

describe('renderReportJson', () => {
  it('reports the infant-textiles sample in Chinese', () => {
    const json = renderReportJson(textilesInput('zh', 1));
    expect(json.reportVersion).toBe(1);
    expect(json.language).toBe('zh');
    expect(json.title).toBe('对标分析报告');
    expect(json.summary).toEqual({
      meets: false,
      meetsLabel: '否',
      level: 'below',
      levelLabel: '低于',
      consistency: 0.75,
      consistencyText: '75%',
      score: -0.25,
      scoreText: '−0.25',
      counts: { stricter: 0, equal: 3, looser: 1, incomparable: 0 },
    });

    const cadmium = byCode(json.indicators, 'cadmium');
    expect(cadmium).toMatchObject({
      name: '可萃取重金属 镉',
      unit: 'mg/kg',
      requirement: 'max',
      requirementLabel: '上限（≤）',
      core: true,
      declared: 100,
      declaredText: '100 mg/kg',
      benchmark: { standard: 'OEKO-TEX STANDARD 100', value: 40, valueText: '40 mg/kg' },
      verdict: 'looser',
      verdictLabel: '低于',
      gap: -1.5,
      gapKind: 'relative',
      gapText: '−150%',
    });
    expect(cadmium.perBenchmark).toEqual([
      {
        standard: 'OEKO-TEX STANDARD 100',
        value: 40,
        valueText: '40 mg/kg',
        verdict: 'looser',
        verdictLabel: '低于',
        reference: true,
      },
    ]);
    expect(byCode(json.indicators, 'lead')).toMatchObject({ verdict: 'equal', verdictLabel: '等同', gap: 0, gapText: '0%' });
    expect(byCode(json.indicators, 'phthalates')).toMatchObject({ verdictLabel: '等同', declaredText: '0.1 w-%' });
    expect(byCode(json.indicators, 'ph')).toMatchObject({
      requirementLabel: '范围',
      declaredText: '4.0–7.5',
      verdictLabel: '等同',
      gap: null,
      gapKind: null,
      gapText: '—',
    });

    expect(json.gapsToClose).toHaveLength(1);
    expect(json.gapsToClose[0]).toMatchObject({
      code: 'cadmium',
      core: true,
      verdictLabel: '低于',
      targetText: '≤ 40 mg/kg',
      gapText: '−150%',
    });
    expect(json.previous).toBeNull();
    expect('change' in cadmium).toBe(false);
  });

  it('uses English labels when asked', () => {
    const json = renderReportJson(textilesInput('en', 1));
    expect(json.language).toBe('en');
    expect(json.title).toBe('Benchmarking report');
    expect(json.summary).toMatchObject({ levelLabel: 'Below', meetsLabel: 'no' });
    expect(byCode(json.indicators, 'cadmium')).toMatchObject({ verdictLabel: 'Looser', requirementLabel: 'Maximum (≤)' });
    expect(byCode(json.indicators, 'lead').verdictLabel).toBe('Equal');
    expect(byCode(json.indicators, 'ph').declaredText).toBe('4.0–7.5');
  });

  it('shows the gap closing since the previous revision', () => {
    const json = renderReportJson(textilesInput('zh', 2));
    expect(json.summary).toMatchObject({
      meets: true,
      meetsLabel: '是',
      level: 'partially_superior',
      levelLabel: '部分优于',
      consistencyText: '100%',
      scoreText: '+0.0625',
    });
    expect(json.previous).toMatchObject({ declarationId: 'decl-01', revision: 1, level: 'below', levelLabel: '低于' });
    expect(byCode(json.indicators, 'cadmium')).toMatchObject({
      verdict: 'stricter',
      verdictLabel: '优于',
      gap: 0.25,
      gapText: '+25%',
      previousVerdict: 'looser',
      previousVerdictLabel: '低于',
      previousGap: -1.5,
      previousGapText: '−150%',
      change: 'improved',
      changeLabel: '改善',
    });
    for (const code of ['lead', 'phthalates', 'ph']) {
      expect(byCode(json.indicators, code)).toMatchObject({ change: 'unchanged', changeLabel: '不变' });
    }
    expect(json.gapsToClose).toEqual([]);

    const en = renderReportJson(textilesInput('en', 2));
    expect(byCode(en.indicators, 'cadmium')).toMatchObject({ change: 'improved', changeLabel: 'Improved' });
  });

  it('lists gaps to close core first; labels other benchmarks, booleans and grades', () => {
    const previous = compare(LED, [
      { code: 'efficacy', value: 85, unit: 'lm/W' },
      { code: 'svm', value: 0.3 },
      { code: 'grade', value: '3' },
      { code: 'dimmable', value: true },
    ]);
    const result = compare(LED, [
      { code: 'efficacy', value: 90, unit: 'lm/W' },
      { code: 'pstlm', value: 1.2 },
      { code: 'grade', value: '2' },
      { code: 'dimmable', value: false },
    ]);
    const input: ReportInput = {
      ...textilesInput('zh', 2),
      scheme: { id: 'sch-led', name: 'LED 筒灯', productCategory: '照明', indicators: LED },
      result,
      previous: { declarationId: 'decl-01', revision: 1, result: previous },
    };
    const json = renderReportJson(input);

    expect(json.gapsToClose.map((g) => g.code)).toEqual(['efficacy', 'pstlm', 'svm', 'grade', 'dimmable']);
    expect(json.gapsToClose.map((g) => g.targetText)).toEqual([
      '≥ 95 lm/W',
      '≤ 1',
      '≤ 0.4',
      '等级 1 或更优',
      '是',
    ]);
    expect(byCode(json.gapsToClose, 'svm')).toMatchObject({ verdictLabel: '不可比', declaredText: '未申报' });

    const efficacy = byCode(json.indicators, 'efficacy');
    expect(efficacy.benchmark.standard).toBe('T/TEST 1-2020');
    expect(efficacy.perBenchmark).toEqual([
      { standard: 'GB 30255-2019', value: 80, valueText: '80 lm/W', verdict: 'stricter', verdictLabel: '优于', reference: false },
      { standard: 'T/TEST 1-2020', value: 95, valueText: '95 lm/W', verdict: 'looser', verdictLabel: '低于', reference: true },
    ]);
    expect(byCode(json.indicators, 'dimmable')).toMatchObject({ declaredText: '否', benchmark: { valueText: '是' } });

    const changes = Object.fromEntries(json.indicators.map((i) => [i.code, i.change]));
    expect(changes).toEqual({
      efficacy: 'improved', // gap -10.5 % -> -5.3 %
      pstlm: 'new', // not declared before
      svm: 'worsened', // declared before, now missing
      grade: 'improved', // grade 3 -> 2, still looser
      dimmable: 'worsened',
    });

    // Without gaps, the change column shows the verdicts.
    expect(renderReportHtml(input)).toContain('等同 → 低于');

    const en = renderReportJson({ ...input, language: 'en' });
    expect(byCode(en.indicators, 'dimmable')).toMatchObject({ declaredText: 'no', benchmark: { valueText: 'yes' } });
    expect(byCode(en.gapsToClose, 'grade').targetText).toBe('grade 1 or better');
  });

  it('gives an absolute gap where the benchmark is 0', () => {
    const indicators: SchemeIndicator[] = [
      {
        code: 'azo',
        name: '可分解致癌芳香胺染料',
        unit: 'mg/kg',
        requirement: 'max',
        core: true,
        weight: 1,
        benchmarks: [{ standard: 'GB 18401-2010', value: 0 }],
      },
    ];
    const result = compareDeclaration({ indicators }, [{ code: 'azo', value: 0.5 }]);
    const json = renderReportJson({
      ...textilesInput('zh', 1),
      scheme: { id: 's', name: 'n', productCategory: 'c', indicators },
      result,
    });
    expect(json.indicators[0]).toMatchObject({ gap: -0.5, gapKind: 'absolute', gapText: '−0.5 mg/kg' });
  });
});

describe('renderReportHtml', () => {
  it('renders a Chinese page with labels, a chart and no outside resources', () => {
    const html = renderReportHtml(textilesInput('zh', 1));
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain('<html lang="zh-CN">');
    expect(html).toContain('<meta charset="utf-8">');
    for (const text of ['对标分析报告', '低于', '等同', '是否达标', '指标一致性程度', '75%', '−0.25', '待改进指标']) {
      expect(html).toContain(text);
    }
    expect(html).toContain('OEKO-TEX STANDARD 100');
    expect(html).toContain('4.0–7.5');
    expect(html).toContain('−150%');
    expect(html).toContain('<svg');
    expect(html).not.toContain('Looser');
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/https?:/i);
    expect(html).not.toMatch(/<link|<img|<iframe|@import|url\(|\ssrc=|\son\w+=/i);
  });

  it('renders an English page when asked', () => {
    const html = renderReportHtml(textilesInput('en', 1));
    expect(html).toContain('<html lang="en">');
    for (const text of ['Benchmarking report', 'Below', 'Looser', 'Equal', 'Gaps to close', '<svg']) {
      expect(html).toContain(text);
    }
    for (const text of ['低于', '等同', '对标分析报告']) expect(html).not.toContain(text);
  });

  it('shows the change since the previous revision', () => {
    const zh = renderReportHtml(textilesInput('zh', 2));
    expect(zh).toContain('自第 1 版以来的变化');
    expect(zh).toContain('改善');
    expect(zh).toContain('−150% → +25%');
    expect(zh).toContain('部分优于');
    const en = renderReportHtml(textilesInput('en', 2));
    expect(en).toContain('Change since revision 1');
    expect(en).toContain('Improved');
    expect(renderReportHtml(textilesInput('zh', 1))).not.toContain('以来的变化');
  });

  it('escapes user-provided text everywhere, the chart included', () => {
    const hostile = '<script>alert(1)</script> & "Co"';
    const input = textilesInput('zh', 2, hostile);
    input.declaration.product = "<img src=x onerror=alert('x')>";
    input.scheme = {
      ...input.scheme,
      name: '</style><script>x</script>',
      indicators: TEXTILES.map((i) => (i.code === 'cadmium' ? { ...i, name: '<b onclick="x">镉</b>' } : i)),
    };
    const html = renderReportHtml(input);
    expect(html).not.toMatch(/<script/i);
    // No tag from the input, no event-handler attribute inside any tag.
    expect(html).not.toMatch(/<img|<b /i);
    expect(html).not.toMatch(/<[^>]*\son\w+=/i);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Co&quot;');
    expect(html).toContain('&lt;b onclick=&quot;x&quot;&gt;镉&lt;/b&gt;');
    expect(html.match(/<\/style>/g)).toHaveLength(1);
    // JSON keeps the raw text: escaping is the HTML's business.
    expect(renderReportJson(input).declaration.enterpriseName).toBe(hostile);
  });

  it('is deterministic', () => {
    expect(renderReportHtml(textilesInput('zh', 2))).toBe(renderReportHtml(textilesInput('zh', 2)));
  });
});

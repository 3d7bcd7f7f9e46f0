/**
 * Every text of the comparison report (对标分析报告), one table per language. The
 * renderer takes no text from anywhere else, so a wording change happens here only.
 */
import type { Level, Verdict } from '../domain/comparison.ts';
import type { Requirement } from '../domain/scheme.ts';

export type ReportLanguage = 'zh' | 'en';

/** How an indicator's position against its reference benchmark moved since the previous revision. */
export type Change = 'improved' | 'unchanged' | 'worsened' | 'new';

export interface ReportLabels {
  title: string;
  subtitle: string;
  verdict: Record<Verdict, string>;
  /** A short symbol printed beside the verdict so it reads without colour too. */
  verdictSymbol: Record<Verdict, string>;
  level: Record<Level, string>;
  requirement: Record<Requirement, string>;
  /** The value a gap must reach, from the reference benchmark's formatted value. */
  target: Record<Requirement, (value: string) => string>;
  change: Record<Change, string>;
  changeSymbol: Record<Change, string>;
  yes: string;
  no: string;
  notDeclared: string;
  none: string;
  core: string;
  header: {
    scheme: string;
    schemeVersion: string;
    productCategory: string;
    enterprise: string;
    creditCode: string;
    product: string;
    standard: string;
    revision: string;
    declaredAt: string;
    completedAt: string;
    comparisonId: string;
    declarationId: string;
  };
  summary: {
    heading: string;
    level: string;
    meets: string;
    consistency: string;
    consistencyHint: string;
    score: string;
    scoreHint: string;
    counts: string;
  };
  table: {
    heading: string;
    indicator: string;
    requirement: string;
    core: string;
    declared: string;
    reference: string;
    verdict: string;
    gap: string;
    others: string;
    change: string;
    gapAbsoluteHint: string;
  };
  chart: {
    heading: string;
    looserSide: string;
    stricterSide: string;
    notComparable: string;
    clamped: string;
    caption: string;
  };
  gaps: {
    heading: string;
    empty: string;
    declared: string;
    target: string;
    gap: string;
  };
  footer: string;
  /** Separator between a label and its value, and between list items. */
  colon: string;
  listSeparator: string;
  /** Wraps an aside in the language's parentheses. */
  paren: (text: string) => string;
  revisionOf: (n: number) => string;
  changeSince: (n: number) => string;
  /** Wraps a unit-less time zone note after times. */
  timeZone: string;
}

const zh: ReportLabels = {
  title: '对标分析报告',
  subtitle: '对标结果',
  verdict: { stricter: '优于', equal: '等同', looser: '低于', incomparable: '不可比' },
  verdictSymbol: { stricter: '▲', equal: '=', looser: '▼', incomparable: '?' },
  level: {
    superior: '全部优于',
    partially_superior: '部分优于',
    equivalent: '等同',
    below: '低于',
  },
  requirement: {
    min: '下限（≥）',
    max: '上限（≤）',
    range: '范围',
    levels: '等级',
    boolean: '是否具备',
  },
  target: {
    min: (v) => `≥ ${v}`,
    max: (v) => `≤ ${v}`,
    range: (v) => `${v} 以内`,
    levels: (v) => `等级 ${v} 或更优`,
    boolean: (v) => v,
  },
  change: { improved: '改善', unchanged: '不变', worsened: '退步', new: '新增' },
  changeSymbol: { improved: '↑', unchanged: '→', worsened: '↓', new: '+' },
  yes: '是',
  no: '否',
  notDeclared: '未申报',
  none: '—',
  core: '核心',
  header: {
    scheme: '对标技术方案',
    schemeVersion: '方案版本',
    productCategory: '产品类别',
    enterprise: '企业名称',
    creditCode: '统一社会信用代码',
    product: '产品',
    standard: '执行标准',
    revision: '申报版本',
    declaredAt: '申报日期',
    completedAt: '比对完成时间',
    comparisonId: '比对编号',
    declarationId: '申报编号',
  },
  summary: {
    heading: '总体结果',
    level: '对标水平',
    meets: '是否达标',
    consistency: '指标一致性程度',
    consistencyHint: '可比指标中优于或等同的比例',
    score: '得分',
    scoreHint: '−1 至 +1，用于领跑者排名',
    counts: '指标判定',
  },
  table: {
    heading: '逐项指标比对',
    indicator: '指标',
    requirement: '要求类型',
    core: '核心',
    declared: '申报值',
    reference: '参考基准（最严）',
    verdict: '判定',
    gap: '差距',
    others: '其他基准',
    change: '变化',
    gapAbsoluteHint: '基准值为 0，差距为绝对差值',
  },
  chart: {
    heading: '与参考基准的差距',
    looserSide: '◀ 低于基准',
    stricterSide: '优于基准 ▶',
    notComparable: '不可比（未申报）',
    clamped: '已截断至 ±100%',
    caption: '条形为差距百分比（截断至 ±100%）；菱形为非数值指标（优于 +1、等同 0、低于 −1）。',
  },
  gaps: {
    heading: '待改进指标',
    empty: '无：所有指标均等同或优于参考基准。',
    declared: '申报',
    target: '目标',
    gap: '差距',
  },
  footer: '本报告依据对标技术方案自动生成；差距以参考基准（最严基准）计算，正值表示严于基准。',
  colon: '：',
  listSeparator: '；',
  paren: (t) => `（${t}）`,
  revisionOf: (n) => `第 ${n} 版`,
  changeSince: (n) => `自第 ${n} 版以来的变化`,
  timeZone: '北京时间',
};

const en: ReportLabels = {
  title: 'Benchmarking report',
  subtitle: 'Comparison result',
  verdict: { stricter: 'Stricter', equal: 'Equal', looser: 'Looser', incomparable: 'Incomparable' },
  verdictSymbol: { stricter: '▲', equal: '=', looser: '▼', incomparable: '?' },
  level: {
    superior: 'Superior',
    partially_superior: 'Partially superior',
    equivalent: 'Equivalent',
    below: 'Below',
  },
  requirement: {
    min: 'Minimum (≥)',
    max: 'Maximum (≤)',
    range: 'Range',
    levels: 'Grade',
    boolean: 'Required property',
  },
  target: {
    min: (v) => `≥ ${v}`,
    max: (v) => `≤ ${v}`,
    range: (v) => `within ${v}`,
    levels: (v) => `grade ${v} or better`,
    boolean: (v) => v,
  },
  change: { improved: 'Improved', unchanged: 'Unchanged', worsened: 'Worsened', new: 'New' },
  changeSymbol: { improved: '↑', unchanged: '→', worsened: '↓', new: '+' },
  yes: 'yes',
  no: 'no',
  notDeclared: 'not declared',
  none: '—',
  core: 'core',
  header: {
    scheme: 'Technical scheme',
    schemeVersion: 'Scheme version',
    productCategory: 'Product category',
    enterprise: 'Enterprise',
    creditCode: 'Unified social credit code',
    product: 'Product',
    standard: 'Declared standard',
    revision: 'Revision',
    declaredAt: 'Declared on',
    completedAt: 'Compared at',
    comparisonId: 'Comparison',
    declarationId: 'Declaration',
  },
  summary: {
    heading: 'Overall result',
    level: 'Level',
    meets: 'Meets the benchmarks',
    consistency: 'Indicator consistency',
    consistencyHint: 'share of comparable indicators that are stricter or equal',
    score: 'Score',
    scoreHint: '−1 to +1, used for forerunner ranking',
    counts: 'Verdicts',
  },
  table: {
    heading: 'Indicators',
    indicator: 'Indicator',
    requirement: 'Requirement',
    core: 'Core',
    declared: 'Declared',
    reference: 'Reference benchmark (strictest)',
    verdict: 'Verdict',
    gap: 'Gap',
    others: 'Other benchmarks',
    change: 'Change',
    gapAbsoluteHint: 'benchmark value is 0: absolute difference',
  },
  chart: {
    heading: 'Gap to the reference benchmark',
    looserSide: '◀ looser than benchmark',
    stricterSide: 'stricter than benchmark ▶',
    notComparable: 'Incomparable (not declared)',
    clamped: 'clamped to ±100%',
    caption:
      'Bars show the gap in percent (clamped to ±100%); diamonds mark non-numeric indicators (stricter +1, equal 0, looser −1).',
  },
  gaps: {
    heading: 'Gaps to close',
    empty: 'None: every indicator is equal to or stricter than its reference benchmark.',
    declared: 'declared',
    target: 'target',
    gap: 'gap',
  },
  footer:
    'Generated from the technical scheme. Gaps use the reference (strictest) benchmark; a positive gap is stricter than the benchmark.',
  colon: ': ',
  listSeparator: '; ',
  paren: (t) => ` (${t})`,
  revisionOf: (n) => `Revision ${n}`,
  changeSince: (n) => `Change since revision ${n}`,
  timeZone: 'Beijing time',
};

export const reportLabels: Record<ReportLanguage, ReportLabels> = { zh, en };

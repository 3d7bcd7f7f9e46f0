/** Messages of figures, KPIs, forerunner lists and their exports. */
import type { Message } from '../messages.ts';

export const statsMessages = {
  division_not_province_or_city: {
    zh: '统计按省或地市汇总，请填写省级或地市级行政区划代码',
    en: 'Figures are kept by province and city: give a province or city code',
  },
  'detail.no_accepted_forerunners': {
    zh: '该方案尚无已受理且达标的申报，无法生成领跑者名单',
    en: 'No accepted declaration of this scheme meets it yet: there is no forerunner to list',
  },

  // Spreadsheet and CSV columns (exports of GET /v1/stats).
  'stats_column.key': { zh: '分组', en: 'Group' },
  'stats_column.name': { zh: '名称', en: 'Name' },
  'stats_column.enterprises': { zh: '企业数', en: 'Enterprises' },
  'stats_column.declarations': { zh: '申报数', en: 'Declarations' },
  'stats_column.compared': { zh: '已比对', en: 'Compared' },
  'stats_column.meeting': { zh: '达标数', en: 'Meeting' },
  'stats_column.meetingRate': { zh: '达标率', en: 'Meeting rate' },
  'stats_column.superior': { zh: '全部优于', en: 'Superior' },
  'stats_column.partially_superior': { zh: '部分优于', en: 'Partially superior' },
  'stats_column.equivalent': { zh: '等同', en: 'Equivalent' },
  'stats_column.below': { zh: '低于', en: 'Below' },
  'stats_column.meanConsistency': { zh: '平均指标一致性程度', en: 'Mean consistency' },
  'stats_column.forerunners': { zh: '领跑者', en: 'Forerunners' },
  'stats_group.province': { zh: '省份', en: 'Province' },
  'stats_group.city': { zh: '地市', en: 'City' },
  'stats_group.industry': { zh: '业态', en: 'Industry' },
  'stats_group.scheme': { zh: '对标方案', en: 'Scheme' },
  'stats_group.round': { zh: '批次', en: 'Round' },
  'stats_round.none': { zh: '未参与', en: 'Not participating' },
  'stats_round.number': { zh: '第{round}批', en: 'Round {round}' },
  'stats_sheet.summary': { zh: '阶段总结', en: 'Stage summary' },
  'stats_summary.area': { zh: '统计范围', en: 'Area' },
  'stats_summary.nation': { zh: '全国', en: 'Nationwide' },
  'stats_summary.scheme': { zh: '对标方案', en: 'Scheme' },
  'stats_summary.all_schemes': { zh: '全部方案', en: 'All schemes' },
  'stats_summary.generated_at': { zh: '生成时间（UTC）', en: 'Generated at (UTC)' },
  'stats_summary.indicator_consistency': { zh: '指标一致性程度', en: 'Indicator consistency' },
  'stats_summary.target': { zh: '目标', en: 'Target' },
  'stats_summary.basis': {
    zh: '口径：每个企业、方案、产品取最新申报及其最近一次成功比对',
    en: 'Basis: the latest declaration per enterprise, scheme and product, with its latest successful comparison',
  },
} satisfies Record<string, Message>;

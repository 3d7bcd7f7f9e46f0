/** Messages of reviews (推荐上报). */
import type { Message } from '../messages.ts';

export const reviewMessages = {
  'detail.review_not_open': {
    zh: '该申报当前状态为 {status}，不在审核环节（待比对完成，或已退回/已受理）',
    en: 'The declaration is {status}: not under review (awaiting its comparison, or returned or accepted)',
  },
  'detail.review_superseded': {
    zh: '该申报已被新的修订版本替代，请审核最新版本',
    en: 'A revision replaced this declaration; review the latest one',
  },
  // One text per step: the step's name differs by language.
  'detail.review_not_your_step.city': {
    zh: '该申报处于市级审核环节，须由企业所在地市或其所在省审核',
    en: 'The declaration is at the city step: the bureau of the enterprise’s city, or its province, decides',
  },
  'detail.review_not_your_step.province': {
    zh: '该申报处于省级审核环节，须由企业所在省审核',
    en: 'The declaration is at the province step: the enterprise’s province decides',
  },
  'detail.review_not_your_step.national': {
    zh: '该申报处于国家级受理环节，须由国家级审核',
    en: 'The declaration is at the national step: the national level decides',
  },
  'detail.review_decision_not_allowed': {
    zh: '当前环节不能作出“{decision}”决定，可选：{allowed}',
    en: 'The decision {decision} is not open at this step; open: {allowed}',
  },
  'detail.review_conflict': {
    zh: '该申报已被其他审核方处理，请刷新后再试',
    en: 'Another reviewer decided on this declaration meanwhile; reload it',
  },
  comment_required: { zh: '退回时须填写原因', en: 'A return needs a comment saying why' },
} satisfies Record<string, Message>;

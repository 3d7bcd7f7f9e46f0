/** Messages of the comparison capability. */
import type { Message } from '../messages.ts';

export const comparisonMessages = {
  // Why a comparison failed (GET /v1/comparisons/{id} error.message).
  'comparison_error.declaration_not_found': { zh: '申报不存在', en: 'The declaration does not exist' },
  'comparison_error.scheme_not_found': { zh: '对标方案不存在', en: 'The scheme does not exist' },
  'comparison_error.not_started': {
    zh: '比对未能启动，请重新发起比对',
    en: 'The comparison could not be started; request a re-run',
  },
  'comparison_error.timeout': { zh: '比对超时，请重新发起比对', en: 'The comparison timed out; request a re-run' },
  'comparison_error.interrupted': { zh: '比对被中断，请重新发起比对', en: 'The comparison was interrupted; request a re-run' },
  'comparison_error.internal_error': {
    zh: '比对过程出错，请重新发起比对或联系运维',
    en: 'The comparison failed; request a re-run or contact the operators',
  },
} satisfies Record<string, Message>;

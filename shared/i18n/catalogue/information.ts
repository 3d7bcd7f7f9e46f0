/** Messages of the information services: notices, threads, the directory, search. */
import type { Message } from '../messages.ts';

export const informationMessages = {
  'detail.notice_not_draft': {
    zh: '只有草稿状态的通知可以修改或发布',
    en: 'Only a draft notice can be changed or published',
  },
  'detail.notice_not_published': {
    zh: '只有已发布的通知可以归档',
    en: 'Only a published notice can be archived',
  },
  'detail.answer_already_accepted': {
    zh: '该问题已采纳了另一条回答',
    en: 'Another answer of this question is already accepted',
  },
  'detail.concurrent_update': {
    zh: '该资源正被同时修改，请稍后重试',
    en: 'The resource is being changed concurrently; retry',
  },
  // Field issue codes (errors[].code).
  duplicate_scheme_id: { zh: '对标方案 {schemeId} 重复列出', en: 'Scheme {schemeId} is listed twice' },
  unknown_answer: { zh: '该问题下没有这条回答', en: 'This question has no such answer' },
  unknown_expert: { zh: '专家库中没有该专家', en: 'No such expert in the directory' },
} satisfies Record<string, Message>;

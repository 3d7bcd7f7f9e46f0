/** Messages of province integration: clients, webhooks. */
import type { Message } from '../messages.ts';

export const integrationMessages = {
  'detail.cannot_delete_self': {
    zh: '不能删除当前正在使用的客户端',
    en: 'A client cannot delete itself',
  },
  'detail.webhook_limit': {
    zh: '每个客户端最多登记 {max} 个回调地址',
    en: 'A client may register at most {max} webhooks',
  },
  invalid_url: { zh: '不是有效的 URL', en: 'Not a valid URL' },
  webhook_url_https_required: {
    zh: '回调地址须使用 https（本地运行时也允许回环地址上的 http）',
    en: 'The callback URL must use https (the local runtime also allows http on loopback)',
  },
  webhook_url_not_public: {
    zh: '回调地址须为公网主机，不能是内网、回环或链路本地地址',
    en: 'The callback URL must name a public host, not a private, loopback or link-local address',
  },
  webhook_url_credentials: {
    zh: '回调地址中不能包含用户名或密码，请通过签名验证请求',
    en: 'The callback URL must not contain credentials; verify the signature instead',
  },
  duplicate_event: { zh: '事件类型重复', en: 'An event type is listed twice' },
} satisfies Record<string, Message>;

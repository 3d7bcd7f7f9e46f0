/**
 * The one message catalogue. Codes are stable API values (errors[].code, problem
 * types); texts are Chinese by default and English on request.
 */
export type Language = 'zh' | 'en';

export interface Message {
  zh: string;
  en: string;
}

/** `{name}` placeholders are filled from the params. */
export const messages = {
  // Problem titles, keyed by problem type slug.
  'bad-request': { zh: '请求无法解析', en: 'The request could not be parsed' },
  unauthorized: { zh: '未认证或令牌无效', en: 'Missing or invalid access token' },
  forbidden: { zh: '无权执行此操作', en: 'Not allowed' },
  'not-found': { zh: '资源不存在', en: 'Not found' },
  conflict: { zh: '与当前状态冲突', en: 'Conflicts with the current state' },
  duplicate: { zh: '资源已存在', en: 'Already exists' },
  'precondition-failed': { zh: '版本不匹配', en: 'The version does not match If-Match' },
  'precondition-required': { zh: '缺少 If-Match 请求头', en: 'If-Match is required' },
  'payload-too-large': { zh: '请求体过大', en: 'The request body is too large' },
  'unsupported-media-type': { zh: '不支持的内容类型', en: 'Unsupported content type' },
  'validation-failed': { zh: '请求数据校验未通过', en: 'Validation failed' },
  'idempotency-key-reused': {
    zh: '幂等键已用于不同的请求体',
    en: 'The Idempotency-Key was used with another request body',
  },
  'idempotency-in-progress': {
    zh: '相同幂等键的请求仍在处理中',
    en: 'A request with this Idempotency-Key is still in progress',
  },
  'method-not-allowed': { zh: '该路径不支持此 HTTP 方法', en: 'Method not allowed on this path' },
  'too-many-requests': { zh: '请求过于频繁，请稍后再试', en: 'Too many requests, retry later' },
  'internal-error': { zh: '服务器内部错误', en: 'Internal server error' },

  // Problem details.
  'detail.invalid_json': { zh: '请求体不是有效的 JSON', en: 'The body is not valid JSON' },
  'detail.json_required': {
    zh: '请求体须为 application/json',
    en: 'The body must be application/json',
  },
  'detail.validation_failed': {
    zh: '共 {count} 处错误，详见 errors',
    en: '{count} problem(s), see errors',
  },
  'detail.not_found': { zh: '未找到 {resource}', en: '{resource} was not found' },
  'detail.role_not_allowed': {
    zh: '角色 {role} 不能执行此操作',
    en: 'Role {role} may not do this',
  },
  'detail.missing_token': {
    zh: '请在 Authorization 请求头中提供 Bearer 令牌',
    en: 'Send a Bearer token in the Authorization header',
  },
  'detail.invalid_token': { zh: '令牌无效或已过期', en: 'The token is invalid or expired' },
  'detail.duplicate_credit_code': {
    zh: '统一社会信用代码 {creditCode} 已登记',
    en: 'Credit code {creditCode} is already registered',
  },
  'detail.duplicate_standard': {
    zh: '标准 {number} 已存在',
    en: 'Standard {number} already exists',
  },
  'detail.duplicate_city': { zh: '城市 {divisionCode} 已登记', en: 'City {divisionCode} is already registered' },
  'detail.duplicate_client': { zh: '客户端 {clientId} 已存在', en: 'Client {clientId} already exists' },
  'detail.concurrent_revision': {
    zh: '该产品正被同时修订，请稍后重试',
    en: 'The product is being revised concurrently; retry',
  },
  'detail.internal': {
    zh: '请求处理失败，请凭请求编号 {requestId} 联系运维',
    en: 'The request failed; quote request id {requestId} to the operators',
  },

  // Field issue codes (errors[].code). Generic codes first.
  required: { zh: '必填', en: 'Required' },
  invalid_type: { zh: '类型应为 {expected}', en: 'Expected {expected}' },
  invalid_value: { zh: '取值不在允许范围内', en: 'Value is not one of the allowed values' },
  invalid_format: { zh: '格式不正确', en: 'Invalid format' },
  too_small: { zh: '过小或过短（最小 {minimum}）', en: 'Too small or too short (minimum {minimum})' },
  too_big: { zh: '过大或过长（最大 {maximum}）', en: 'Too big or too long (maximum {maximum})' },
  unrecognized_keys: { zh: '包含未定义的字段：{keys}', en: 'Unknown field(s): {keys}' },
  invalid_cursor: { zh: '分页游标无效', en: 'Invalid cursor' },
  not_in_territory: { zh: '不在您的辖区内', en: 'Outside your territory' },
  unknown_scheme: { zh: '对标方案不存在', en: 'No such scheme' },
  unknown_enterprise: { zh: '企业不存在', en: 'No such enterprise' },
  invalid_territory: { zh: '辖区与角色不符', en: 'The territory does not fit the role' },
  not_a_city: { zh: '须为地市级行政区划代码（末两位为 00）', en: 'Must be a city-level division code (ending in 00)' },
  unknown_standard: { zh: '标准库中没有 {number}，请先登记该标准', en: '{number} is not in the standards catalogue' },
  // --- domain validation codes (shared/domain) ---
} satisfies Record<string, Message>;

export type MessageKey = keyof typeof messages;

export function hasMessage(key: string): key is MessageKey {
  return Object.hasOwn(messages, key);
}

export function translate(
  key: string,
  language: Language,
  params: Record<string, unknown> = {},
): string {
  const template = hasMessage(key) ? messages[key][language] : key;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

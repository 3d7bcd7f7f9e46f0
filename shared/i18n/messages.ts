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
import { comparisonMessages } from './catalogue/comparisons.ts';
import { reviewMessages } from './catalogue/reviews.ts';
import { statsMessages } from './catalogue/stats.ts';
import { integrationMessages } from './catalogue/integration.ts';
import { informationMessages } from './catalogue/information.ts';
import { materialMessages } from './catalogue/materials.ts';
import { batchMessages } from './catalogue/batches.ts';

/** Core messages: problem titles and details, generic and domain field codes. */
const coreMessages = {
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
  'detail.not_found': { zh: '请求的资源不存在', en: 'The requested {resource} was not found' },
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
  invalid_credit_code: {
    zh: '统一社会信用代码不正确（应为 18 位，校验位须正确）',
    en: 'Invalid unified social credit code (18 characters with a valid check character)',
  },
  invalid_division_code: {
    zh: '行政区划代码不正确（应为 6 位数字，前两位为省级代码）',
    en: 'Invalid division code (six digits starting with a province code)',
  },
  invalid_standard_number: {
    zh: '标准编号格式不正确（如 GB/T 1.2-2020、ISO 16358-1:2013）',
    en: 'Invalid standard number (e.g. GB/T 1.2-2020, ISO 16358-1:2013)',
  },
  unit_not_allowed: { zh: '该指标不设计量单位，请勿填写单位', en: 'This indicator takes no unit' },
  unit_unknown: { zh: '无法识别的计量单位：{unit}', en: 'Unknown unit: {unit}' },
  unit_incompatible: {
    zh: '计量单位 {unit} 无法换算为方案规定的单位 {expected}',
    en: 'The unit {unit} does not convert to the scheme unit {expected}',
  },
  value_mismatch: {
    zh: '取值与指标类型（{requirement}）不符：下限/上限型填数值，区间型填 [下限, 上限]，等级型填等级，是否型填 true/false',
    en: 'The value does not fit the requirement {requirement}: a number for min/max, [low, high] for range, a grade for levels, true/false for boolean',
  },
  range_inverted: { zh: '区间下限 {low} 大于上限 {high}', en: 'The range low {low} is above its high {high}' },
  level_not_in_list: {
    zh: '等级 {level} 不在方案规定的等级中（{levels}）',
    en: 'Grade {level} is not one of the scheme grades ({levels})',
  },
  unknown_indicator: { zh: '对标方案中没有指标 {code}', en: 'The scheme has no indicator {code}' },
  duplicate_indicator: { zh: '指标 {code} 重复申报', en: 'Indicator {code} is declared twice' },
  core_indicator_missing: {
    zh: '缺少关键技术指标 {code}',
    en: 'Key indicator {code} is missing',
  },
  duplicate_indicator_code: { zh: '指标代码 {code} 重复', en: 'Indicator code {code} is used twice' },
  indicators_required: { zh: '方案至少应包含一项指标', en: 'A scheme needs at least one indicator' },
  levels_required: {
    zh: '等级型指标须列出等级（由优到劣，不能为空）',
    en: 'A levels indicator needs its grades, best first',
  },
  levels_not_allowed: { zh: '只有等级型指标可以列出等级', en: 'Only a levels indicator has grades' },
  duplicate_level: { zh: '等级 {level} 重复', en: 'Grade {level} is listed twice' },
  benchmark_value_mismatch: {
    zh: '对标值与指标类型（{requirement}）不符',
    en: 'The benchmark value does not fit the requirement {requirement}',
  },
  benchmarks_required: { zh: '每项指标至少应有一项对标标准', en: 'Each indicator needs at least one benchmark' },
  duplicate_benchmark: {
    zh: '对标标准 {standard} 在该指标下重复列出',
    en: 'Benchmark standard {standard} is listed twice for this indicator',
  },
  weight_not_positive: { zh: '权重须为正数', en: 'The weight must be positive' },
} satisfies Record<string, Message>;

/**
 * The catalogue: core messages and each capability's own file under
 * catalogue/, merged into one lookup.
 */
export const messages = {
  ...coreMessages,
  ...comparisonMessages,
  ...reviewMessages,
  ...statsMessages,
  ...integrationMessages,
  ...informationMessages,
  ...materialMessages,
  ...batchMessages,
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

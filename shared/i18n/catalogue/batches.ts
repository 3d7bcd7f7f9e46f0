/** Messages of batch submission: row and file problems, the templates, the errors file. */
import type { Message } from '../messages.ts';

export const batchMessages = {
  // A rejected row's reasons (errors file), beside the codes single declarations use.
  superseded_by_later_row: {
    zh: '同一企业的同一产品在第 {line} 行再次出现，以第 {line} 行为准',
    en: 'The same enterprise and product appear again on line {line}, which wins',
  },
  enterprise_not_in_territory: {
    zh: '该企业（统一社会信用代码 {creditCode}）不在您的辖区内',
    en: 'The enterprise {creditCode} is outside your territory',
  },

  // Why a whole file could not be processed (GET /v1/batches/{id} error.message).
  'batch_error.missing_columns': { zh: '缺少必需的列：{columns}', en: 'Required columns are missing: {columns}' },
  'batch_error.unknown_columns': {
    zh: '模板中没有这些列：{columns}（请使用该方案的模板）',
    en: 'Columns the template does not have: {columns} (use the scheme’s template)',
  },
  'batch_error.duplicate_columns': { zh: '列重复：{columns}', en: 'Columns appear twice: {columns}' },
  'batch_error.no_rows': { zh: '文件中没有数据行', en: 'The file has no data rows' },
  'batch_error.too_many_rows': {
    zh: '数据行超过 {max} 行，请拆分为多个文件',
    en: 'More than {max} data rows; split the file',
  },
  'batch_error.unreadable_file': {
    zh: '无法读取文件：须为 CSV（UTF-8 或 GB18030）或 XLSX',
    en: 'The file cannot be read: it must be CSV (UTF-8 or GB18030) or XLSX',
  },
  'batch_error.file_too_large': {
    zh: '文件大于申报的大小或 {max} 字节上限',
    en: 'The file is larger than declared or than the {max}-byte limit',
  },
  'batch_error.file_missing': { zh: '上传的文件不存在', en: 'The uploaded file is missing' },
  'batch_error.scheme_not_found': { zh: '对标方案不存在', en: 'The scheme does not exist' },
  'batch_error.upload_expired': {
    zh: '上传链接已过期而文件未上传，请重新创建批次',
    en: 'The upload link expired before a file arrived; create a new batch',
  },
  'batch_error.timeout': { zh: '处理超时，请重新上传', en: 'Processing timed out; upload again' },
  'batch_error.internal_error': {
    zh: '处理出错，请重新上传或联系运维',
    en: 'Processing failed; upload again or contact the operators',
  },

  // The errors file (UTF-8 with BOM, Chinese like the default API language).
  'batch_errors.line': { zh: '行号', en: 'Line' },
  'batch_errors.credit_code': { zh: '统一社会信用代码', en: 'Credit code' },
  'batch_errors.product': { zh: '产品', en: 'Product' },
  'batch_errors.codes': { zh: '错误代码', en: 'Codes' },
  'batch_errors.reasons': { zh: '错误原因', en: 'Reasons' },

  // The XLSX template.
  'batch_template.data_sheet': { zh: '申报数据', en: 'Declarations' },
  'batch_template.guide_sheet': { zh: '填写说明', en: 'Guide' },
  'batch_template.column': { zh: '列名', en: 'Column' },
  'batch_template.name': { zh: '名称', en: 'Name' },
  'batch_template.unit': { zh: '单位', en: 'Unit' },
  'batch_template.requirement': { zh: '要求', en: 'Requirement' },
  'batch_template.core': { zh: '关键指标', en: 'Key indicator' },
  'batch_template.levels': { zh: '允许的等级（由优到劣）', en: 'Allowed grades (best first)' },
  'batch_template.how': { zh: '填写方式', en: 'How to fill in' },
  'batch_template.yes': { zh: '是', en: 'yes' },
  'batch_template.no': { zh: '否', en: 'no' },
  'batch_template.required': { zh: '必填', en: 'required' },
  'batch_template.scheme': { zh: '对标方案：{name}（版本 {version}）', en: 'Scheme: {name} (version {version})' },
  'batch_template.rules': {
    zh: '第一行为列名，请勿修改；每行申报一个企业的一个产品；指标值使用方案规定的单位（也可在数值后注明可换算的单位）；空白单元格表示未申报该指标；文件不超过 50 MiB。',
    en: 'Keep the first row (column names); one row per enterprise and product; values in the scheme’s unit (or a convertible unit after the number); an empty cell means not declared; at most 50 MiB.',
  },
  'batch_template.col.creditCode': { zh: '统一社会信用代码（18 位）', en: 'Unified social credit code (18 characters)' },
  'batch_template.col.enterpriseName': { zh: '企业名称（新企业将被登记）', en: 'Enterprise name (new enterprises are registered)' },
  'batch_template.col.divisionCode': { zh: '企业所在地行政区划代码（6 位）', en: 'Division code where the enterprise is (six digits)' },
  'batch_template.col.industry': { zh: '业态', en: 'Industry' },
  'batch_template.col.product': { zh: '产品名称', en: 'Product' },
  'batch_template.col.standardNumber': {
    zh: '执行标准编号（如 Q/XXX 001-2024、T/CAS 115-2005）',
    en: 'Standard implemented (e.g. Q/XXX 001-2024, T/CAS 115-2005)',
  },
  'batch_template.how.min': { zh: '数值（越大越严）', en: 'A number (higher is stricter)' },
  'batch_template.how.max': { zh: '数值（越小越严）', en: 'A number (lower is stricter)' },
  'batch_template.how.range': { zh: '区间，下限~上限，如 4.0~7.5', en: 'A band, low~high, e.g. 4.0~7.5' },
  'batch_template.how.levels': { zh: '等级，须为允许的等级之一', en: 'One of the allowed grades' },
  'batch_template.how.boolean': { zh: '是 / 否（或 true / false）', en: 'yes/no as 是 / 否 or true / false' },
  'batch_template.how.text': { zh: '文本', en: 'Text' },
} satisfies Record<string, Message>;

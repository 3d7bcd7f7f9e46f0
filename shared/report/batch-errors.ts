/**
 * The errors file of a batch: one CSV line per rejected row with its line
 * number, the codes and the reasons in Chinese (the API's default language),
 * UTF-8 with a BOM so Excel opens it as UTF-8.
 */
import { translate } from '../i18n/messages.ts';
import type { RowIssue } from '../schemas/batch-rows.ts';

export interface RejectedRow {
  line: number;
  creditCode: string;
  product: string;
  issues: RowIssue[];
}

export const UTF8_BOM = '\uFEFF';

/**
 * A field as CSV: quoted when it holds a separator, quote or line break; text
 * a spreadsheet would run as a formula (= + - @ at the start) gets a leading
 * apostrophe, since these cells repeat what the uploader typed.
 */
export function csvField(value: string | number): string {
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const csvLine = (fields: (string | number)[]) => `${fields.map(csvField).join(',')}\r\n`;

export function errorsHeader(): string {
  return (
    UTF8_BOM +
    csvLine(['line', 'credit_code', 'product', 'codes', 'reasons'].map((key) => translate(`batch_errors.${key}`, 'zh')))
  );
}

/** `creditCode：统一社会信用代码不正确…；lead：缺少关键技术指标 lead`. */
export function errorsLine(row: RejectedRow): string {
  const reasons = row.issues.map((issue) => `${issue.column}：${translate(issue.code, 'zh', issue.params)}`);
  return csvLine([row.line, row.creditCode, row.product, [...new Set(row.issues.map((i) => i.code))].join(';'), reasons.join('；')]);
}

/**
 * Checks one spreadsheet row with the same schemas and domain rules as a
 * single enterprise (POST /v1/enterprises) and declaration (POST
 * /v1/declarations): the zod fields of those request bodies, then
 * validateDeclaredIndicators. Issues name the template column at fault.
 */
import * as z from 'zod/mini';
import {
  BASE_COLUMNS,
  type BaseColumn,
  baseCell,
  type Cell,
  type ColumnMap,
  readIndicatorCell,
} from '../domain/batch.ts';
import { type DeclaredIndicator, type DeclaredIndicatorInput, validateDeclaredIndicators } from '../domain/declaration.ts';
import type { SchemeIndicator } from '../domain/scheme.ts';
import { fieldIssues } from '../http/validation.ts';
import { CreateDeclarationBody } from './declarations.ts';
import { CreateEnterpriseBody } from './enterprises.ts';

export const BatchRowFields = z.object({
  creditCode: CreateDeclarationBody.shape.creditCode,
  enterpriseName: CreateEnterpriseBody.shape.name,
  divisionCode: CreateEnterpriseBody.shape.divisionCode,
  industry: CreateEnterpriseBody.shape.industry,
  product: CreateDeclarationBody.shape.product,
  standardNumber: CreateDeclarationBody.shape.standardNumber,
});
export type BatchRowFields = z.output<typeof BatchRowFields>;

/** What is wrong with a row: the column (a base column or an indicator code) and a catalogue code. */
export interface RowIssue {
  column: string;
  code: string;
  params?: Record<string, unknown>;
}

export type CheckedRow =
  | { ok: true; fields: BatchRowFields; indicators: DeclaredIndicator[] }
  | { ok: false; issues: RowIssue[] };

/** Every issue of the row at once, as a single declaration's 422 lists every field. */
export function checkRow(indicators: readonly SchemeIndicator[], columns: ColumnMap, cells: readonly Cell[]): CheckedRow {
  const input = Object.fromEntries(BASE_COLUMNS.map((name) => [name, baseCell(cells, columns, name)]));
  const issues: RowIssue[] = [];
  const parsed = BatchRowFields.safeParse(input);
  if (!parsed.success) {
    for (const issue of fieldIssues(parsed.error, input)) {
      issues.push({ column: String(issue.path[0] as BaseColumn), code: issue.code, params: issue.params });
    }
  }

  const declared: DeclaredIndicatorInput[] = [];
  for (const { indicator, index } of columns.indicators) {
    const item = readIndicatorCell(indicator, cells[index] ?? null);
    if (item) declared.push(item);
  }
  const checked = validateDeclaredIndicators([...indicators], declared);
  if (!checked.ok) {
    for (const issue of checked.issues) {
      // ['indicators', i, field] names the i-th declared cell; ['indicators'] a missing core indicator.
      const position = issue.path[1];
      const column = typeof position === 'number' ? declared[position]!.code : String(issue.params?.code ?? 'indicators');
      issues.push({ column, code: issue.code, ...(issue.params ? { params: issue.params } : {}) });
    }
  }
  if (issues.length > 0 || !parsed.success || !checked.ok) return { ok: false, issues };
  return { ok: true, fields: parsed.data, indicators: checked.indicators };
}

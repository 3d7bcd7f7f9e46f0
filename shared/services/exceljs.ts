/**
 * exceljs, loaded on the first spreadsheet a function reads or writes rather
 * than at every cold start: it is the largest dependency, and the functions
 * that may need it (templates, exports, batch steps) mostly serve CSV.
 */
import type ExcelJS from 'exceljs';

let loaded: Promise<typeof ExcelJS> | undefined;

export function loadExcelJS(): Promise<typeof ExcelJS> {
  loaded ??= import('exceljs').then((module) => module.default);
  return loaded;
}

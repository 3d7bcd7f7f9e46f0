/**
 * The batch templates of a scheme (GET /v1/schemes/{id}/template.csv and
 * .xlsx): the header row of shared/domain/batch.ts, and in the workbook a
 * second sheet explaining every column (name, unit, requirement, key
 * indicator, allowed grades, how to fill it in).
 */
import { loadExcelJS } from './exceljs.ts';
import { BASE_COLUMNS, templateColumns } from '../domain/batch.ts';
import type { SchemeIndicator } from '../domain/scheme.ts';
import { type Language, translate } from '../i18n/messages.ts';
import { csvField, UTF8_BOM } from '../report/batch-errors.ts';
import { reportLabels } from '../report/labels.ts';
import type { SchemeRecord } from '../store/schemes.ts';

/** UTF-8 with BOM, so Excel shows Chinese correctly when it opens the file. */
export function templateCsv(scheme: Pick<SchemeRecord, 'indicators'>): string {
  return `${UTF8_BOM}${templateColumns(scheme.indicators).map(csvField).join(',')}\r\n`;
}

export const templateFileName = (scheme: Pick<SchemeRecord, 'name' | 'version'>, extension: 'csv' | 'xlsx') =>
  `${scheme.name}-v${scheme.version}.${extension}`;

function howToFill(indicator: SchemeIndicator, language: Language): string {
  return translate(`batch_template.how.${indicator.requirement}`, language);
}

export async function templateXlsx(scheme: SchemeRecord, language: Language): Promise<Uint8Array> {
  const t = (key: string, params?: Record<string, unknown>) => translate(`batch_template.${key}`, language, params);
  const workbook = new (await loadExcelJS()).Workbook();
  workbook.creator = 'benchmarking-platform';

  const data = workbook.addWorksheet(t('data_sheet'), { views: [{ state: 'frozen', ySplit: 1 }] });
  const columns = templateColumns(scheme.indicators);
  data.columns = columns.map((name, index) => ({
    header: name,
    key: name,
    width: Math.max(14, name.length + 4),
    // Text columns stay text: Excel would turn 1-2 into a date or drop a grade's leading zero.
    style: index < BASE_COLUMNS.length ? { numFmt: '@' } : {},
  }));
  data.getRow(1).font = { bold: true };

  const guide = workbook.addWorksheet(t('guide_sheet'));
  guide.addRow([t('scheme', { name: scheme.name, version: scheme.version })]).font = { bold: true };
  guide.addRow([t('rules')]);
  guide.addRow([]);
  const heading = guide.addRow(['column', 'name', 'unit', 'requirement', 'core', 'levels', 'how'].map((key) => t(key)));
  heading.font = { bold: true };
  for (const name of BASE_COLUMNS) {
    guide.addRow([name, t(`col.${name}`), '', '', t('required'), '', translate('batch_template.how.text', language)]);
  }
  const requirementLabels = reportLabels[language].requirement;
  for (const indicator of scheme.indicators) {
    guide.addRow([
      indicator.code,
      indicator.name,
      indicator.unit ?? '',
      requirementLabels[indicator.requirement],
      indicator.core ? t('yes') : t('no'),
      (indicator.levels ?? []).join(' > '),
      howToFill(indicator, language),
    ]);
  }
  guide.columns.forEach((column, index) => {
    column.width = [18, 36, 10, 16, 10, 24, 40][index] ?? 16;
  });
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

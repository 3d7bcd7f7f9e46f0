/** GET /v1/stats/export.xlsx: the stage summary (阶段总结) workbook, one sheet per grouping. */
import { attachmentDisposition } from '../../shared/http/content-disposition.ts';
import { httpHandler } from '../../shared/http/handler.ts';
import { StatsWorkbookQuery } from '../../shared/schemas/stats.ts';
import { statsWorkbook } from '../../shared/services/stats-export.ts';

export const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export const handler = httpHandler(
  { query: StatsWorkbookQuery, roles: ['national', 'province', 'city'] },
  async ({ query, principal, language }) => {
    const now = new Date();
    return {
      status: 200,
      binary: await statsWorkbook(principal, query, language, now),
      headers: {
        'Content-Type': XLSX,
        'Content-Disposition': attachmentDisposition(`stage-summary-${now.toISOString().slice(0, 10)}.xlsx`),
        'Cache-Control': 'private, no-cache',
      },
    };
  },
);

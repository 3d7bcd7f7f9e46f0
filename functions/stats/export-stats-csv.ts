/** GET /v1/stats/export.csv: one grouping of the figures as CSV (UTF-8 with BOM). */
import { attachmentDisposition } from '../../shared/http/content-disposition.ts';
import { httpHandler } from '../../shared/http/handler.ts';
import { StatsExportQuery } from '../../shared/schemas/stats.ts';
import { statsCsv } from '../../shared/services/stats-export.ts';

export const handler = httpHandler(
  { query: StatsExportQuery, roles: ['national', 'province', 'city'] },
  async ({ query, principal, language }) => ({
    status: 200,
    text: await statsCsv(principal, query, language),
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': attachmentDisposition(`stats-${query.groupBy}-${new Date().toISOString().slice(0, 10)}.csv`),
      'Cache-Control': 'private, no-cache',
    },
  }),
);

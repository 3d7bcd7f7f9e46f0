/** Workflow step 3: the report as HTML and JSON, in Chinese and English, stored in S3. */
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { s3Client } from '../../shared/aws/clients.ts';
import { config } from '../../shared/config/env.ts';
import { renderReportHtml, renderReportJson, type ReportInput } from '../../shared/report/render.ts';
import { io } from '../../shared/services/workflow-errors.ts';
import type { ReportKeys } from '../../shared/store/comparisons.ts';
import { eventHandler } from '../../shared/event-handler.ts';
import type { ComparisonJob } from './job.ts';

const languages = ['zh', 'en'] as const;

export const handler = eventHandler(async (job: ComparisonJob): Promise<ReportKeys> => {
  const completedAt = new Date().toISOString();
  const keys = {} as ReportKeys;
  await Promise.all(
    languages.map(async (language) => {
      const input: ReportInput = {
        language,
        comparison: { id: job.comparisonId, schemeVersion: job.scheme.version, completedAt },
        declaration: job.declaration,
        scheme: job.scheme,
        result: job.result!,
        ...(job.previous ? { previous: job.previous } : {}),
      };
      const prefix = `comparisons/${job.comparisonId}/report.${language}`;
      keys[language] = { html: `${prefix}.html`, json: `${prefix}.json` };
      // The same keys on every attempt: a retried step overwrites, never duplicates.
      await Promise.all([
        put(keys[language].html, renderReportHtml(input), 'text/html; charset=utf-8'),
        put(keys[language].json, JSON.stringify(renderReportJson(input)), 'application/json; charset=utf-8'),
      ]);
    }),
  );
  return keys;
});

function put(key: string, body: string, contentType: string) {
  return io(() =>
    s3Client().send(
      new PutObjectCommand({ Bucket: config().reportsBucket, Key: key, Body: body, ContentType: contentType }),
    ),
  );
}

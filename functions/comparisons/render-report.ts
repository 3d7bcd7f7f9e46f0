/** Workflow step 3: the report as HTML and JSON, stored in S3 (Chinese now, English on first request). */
import type { ReportKeys } from '../../shared/store/comparisons.ts';
import { EAGER_REPORT_LANGUAGES, storeReports } from '../../shared/services/reports.ts';
import { eventHandler } from '../../shared/event-handler.ts';
import type { ComparisonJob } from './job.ts';

export const handler = eventHandler(async (job: ComparisonJob): Promise<Partial<ReportKeys>> =>
  storeReports({
    comparison: { id: job.comparisonId, schemeVersion: job.scheme.version, completedAt: new Date().toISOString() },
    declaration: job.declaration,
    scheme: job.scheme,
    result: job.result!,
    ...(job.previous ? { previous: job.previous } : {}),
  }, EAGER_REPORT_LANGUAGES),
);

/** Workflow step 3: the report as HTML and JSON, in Chinese and English, stored in S3. */
import type { ReportKeys } from '../../shared/store/comparisons.ts';
import { storeReports } from '../../shared/services/reports.ts';
import { eventHandler } from '../../shared/event-handler.ts';
import type { ComparisonJob } from './job.ts';

export const handler = eventHandler(async (job: ComparisonJob): Promise<ReportKeys> =>
  storeReports({
    comparison: { id: job.comparisonId, schemeVersion: job.scheme.version, completedAt: new Date().toISOString() },
    declaration: job.declaration,
    scheme: job.scheme,
    result: job.result!,
    ...(job.previous ? { previous: job.previous } : {}),
  }),
);

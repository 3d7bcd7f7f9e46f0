/** Catch step: the comparison becomes failed with a readable code; the declaration stays as it was. */
import { recordComparisonFailure } from '../../shared/store/comparisons.ts';
import { eventHandler } from '../../shared/event-handler.ts';
import { logger } from '../../shared/observability.ts';
import { failureCode } from '../../shared/services/workflow-errors.ts';
import type { ComparisonJob } from './job.ts';

export const handler = eventHandler(async (job: ComparisonJob): Promise<{ comparisonId: string; status: 'failed'; code: string }> => {
  const code = failureCode(job.failure);
  logger.error('comparison failed', { comparisonId: job.comparisonId, failure: job.failure });
  await recordComparisonFailure(job.comparisonId, { code, message: code }, new Date().toISOString());
  return { comparisonId: job.comparisonId, status: 'failed', code };
});

/** Catch step: the comparison becomes failed with a readable code; the declaration stays as it was. */
import { recordComparisonFailure } from '../../shared/store/comparisons.ts';
import { eventHandler } from '../../shared/event-handler.ts';
import { logger } from '../../shared/observability.ts';
import type { ComparisonJob } from './job.ts';

/** A StepFailure's cause starts with its code; anything else is an internal failure. */
function failureCode(failure: ComparisonJob['failure']): string {
  if (!failure) return 'internal_error';
  if (failure.Error === 'StepFailure') {
    const message = (() => {
      try {
        return String((JSON.parse(failure.Cause) as { errorMessage?: string }).errorMessage ?? failure.Cause);
      } catch {
        return failure.Cause;
      }
    })();
    const code = /^([a-z_]+):/.exec(message)?.[1];
    if (code) return code;
  }
  return failure.Error === 'States.Timeout' ? 'timeout' : 'internal_error';
}

export const handler = eventHandler(async (job: ComparisonJob): Promise<{ comparisonId: string; status: 'failed'; code: string }> => {
  const code = failureCode(job.failure);
  logger.error('comparison failed', { comparisonId: job.comparisonId, failure: job.failure });
  await recordComparisonFailure(job.comparisonId, { code, message: code }, new Date().toISOString());
  return { comparisonId: job.comparisonId, status: 'failed', code };
});

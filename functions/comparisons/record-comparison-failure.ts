/** Catch step: the comparison becomes failed with a readable code; the declaration stays as it was. */
import { recordComparisonFailure } from '../../shared/store/comparisons.ts';
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

export async function handler(job: ComparisonJob): Promise<{ comparisonId: string; status: 'failed'; code: string }> {
  const code = failureCode(job.failure);
  console.error(JSON.stringify({ level: 'ERROR', message: 'comparison failed', comparisonId: job.comparisonId, failure: job.failure }));
  await recordComparisonFailure(job.comparisonId, { code, message: code }, new Date().toISOString());
  return { comparisonId: job.comparisonId, status: 'failed', code };
}

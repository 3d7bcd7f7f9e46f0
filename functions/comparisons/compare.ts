/** Workflow step 2: the pure comparison engine, domain.md §3. */
import { type ComparisonResult, compareWithScheme } from '../../shared/domain/comparison.ts';
import { eventHandler } from '../../shared/event-handler.ts';
import type { ComparisonJob } from './job.ts';

export const handler = eventHandler(async (job: ComparisonJob): Promise<ComparisonResult> => {
  // Declared values are stored in the units of the version they were declared
  // against; a newer version may have changed an indicator's unit.
  return compareWithScheme(job.scheme, job.declaration.indicators);
});

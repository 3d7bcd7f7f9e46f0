/**
 * Workflow step 4: the result, and a submitted declaration becoming compared,
 * in one transaction. Running it twice changes nothing more.
 */
import { io, StepFailure, TransientError } from '../../shared/services/workflow-errors.ts';
import { recordComparisonSuccess } from '../../shared/store/comparisons.ts';
import { getDeclaration } from '../../shared/store/declarations.ts';
import { eventHandler } from '../../shared/event-handler.ts';
import type { ComparisonJob } from './job.ts';

const MAX_ATTEMPTS = 5;

export const handler = eventHandler(async (job: ComparisonJob): Promise<{ comparisonId: string; status: 'succeeded' }> => {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const declaration = await io(() => getDeclaration(job.declarationId));
    if (!declaration) throw new StepFailure('declaration_not_found', `Declaration ${job.declarationId} does not exist`);
    const outcome = await io(() =>
      recordComparisonSuccess(
        { id: job.comparisonId, declarationId: job.declarationId },
        {
          schemeVersion: job.scheme.version,
          result: job.result!,
          reports: job.reports!,
          previousComparisonId: job.previous?.comparisonId ?? null,
          completedAt: new Date().toISOString(),
        },
        declaration,
      ),
    );
    if (outcome === 'done') return { comparisonId: job.comparisonId, status: 'succeeded' };
  }
  // The declaration kept changing under us (reviews): let the state machine retry later.
  throw new TransientError(`Declaration ${job.declarationId} changed during ${MAX_ATTEMPTS} attempts`);
});

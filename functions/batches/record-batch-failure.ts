/** Batch workflow, Catch: the batch fails with a readable code (rows already declared stay declared). */
import { eventHandler } from '../../shared/event-handler.ts';
import { recordFailure } from '../../shared/services/batch-ingestion.ts';
import type { CaughtFailure } from '../../shared/services/workflow-errors.ts';

export const handler = eventHandler((input: { batchId: string; failure?: CaughtFailure }) => recordFailure(input));

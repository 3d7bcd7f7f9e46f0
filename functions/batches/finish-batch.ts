/** Batch workflow, last step: totals from the chunk records, the errors file, completed. */
import { eventHandler } from '../../shared/event-handler.ts';
import { type BatchInput, finishBatch } from '../../shared/services/batch-ingestion.ts';

export const handler = eventHandler((input: BatchInput) => finishBatch(input));

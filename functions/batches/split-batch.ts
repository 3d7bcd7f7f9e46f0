/** Batch workflow step 1: stream the upload into chunk files (shared/services/batch-ingestion.ts). */
import { eventHandler } from '../../shared/event-handler.ts';
import { type BatchInput, splitBatch } from '../../shared/services/batch-ingestion.ts';

export const handler = eventHandler((input: BatchInput) => splitBatch(input));

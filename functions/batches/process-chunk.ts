/** Batch workflow, once per chunk (Distributed Map): check, declare and compare its rows. */
import { eventHandler } from '../../shared/event-handler.ts';
import { type ChunkJob, processChunk } from '../../shared/services/batch-chunks.ts';

export const handler = eventHandler((job: ChunkJob) => processChunk(job));

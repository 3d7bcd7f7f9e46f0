/**
 * Event sources other than the API, shared by the CDK stacks and the local
 * runtime: S3 object-created notifications and consumers of the Main table's
 * stream. On AWS they are bucket notifications and event source mappings;
 * locally the S3 emulator's events and a stream poller call the same handlers.
 */
import { UPLOAD_PREFIX } from '../../shared/domain/batch.ts';
import { MATERIAL_UPLOAD_PREFIX } from '../../shared/domain/materials.ts';
import type { BucketDefinition } from './tables.ts';

export interface S3Trigger {
  /** Construct id. */
  id: string;
  bucket: BucketDefinition['id'];
  /** Only keys under this prefix (e.g. `uploads/`). */
  prefix: string;
  /** `functions/<handler>.ts`, exporting `handler(event: S3Event)`. */
  handler: string;
}

export interface StreamConsumer {
  id: string;
  /** `functions/<handler>.ts`, exporting `handler(event: DynamoDBStreamEvent)`. */
  handler: string;
  /** Records per invocation. */
  batchSize: number;
  /**
   * Seconds to gather records before an invocation with fewer than batchSize
   * (MaximumBatchingWindowInSeconds): fewer, fuller invocations, each record
   * handled later by at most this much.
   */
  batchingWindowSeconds?: number;
  /**
   * Only records of items whose `kind` (old or new image) is one of these reach
   * the handler: an event filter on AWS, the same filter in the local poller.
   */
  kinds?: string[];
}

export const s3Triggers: S3Trigger[] = [
  // Verifies each material upload (size, magic bytes, SHA-256): shared/services/materials.ts.
  { id: 'VerifyMaterial', bucket: 'Materials', prefix: MATERIAL_UPLOAD_PREFIX, handler: 'materials/verify-material' },
  // Starts the batch workflow for each upload: shared/services/batches.ts.
  { id: 'StartBatchIngestion', bucket: 'Batches', prefix: UPLOAD_PREFIX, handler: 'batches/start-ingestion' },
];

export const streamConsumers: StreamConsumer[] = [
  // Counters and rankings of declarations (shared/services/aggregation.ts); schemes for their leaderShare.
  // The window lets one invocation fold many declarations into the same counter cells:
  // declarations sent one by one cost a fraction of the writes, stats lag by seconds.
  { id: 'Aggregates', handler: 'stats/aggregate-stream', batchSize: 500, batchingWindowSeconds: 5, kinds: ['declaration', 'scheme'] },
  // Finished comparisons, batches and reviews become webhook deliveries (shared/services/webhook-delivery.ts).
  { id: 'WebhookEvents', handler: 'webhooks/publish-webhook-events', batchSize: 100, kinds: ['comparison', 'batch', 'review'] },
  // Keeps the search index current (shared/services/search.ts).
  {
    id: 'SearchIndex',
    handler: 'search/index-documents',
    batchSize: 100,
    kinds: ['standard', 'scheme', 'expert', 'institution'],
  },
];

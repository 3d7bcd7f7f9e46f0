import { created, httpHandler } from '../../shared/http/handler.ts';
import { CreateBatchBody } from '../../shared/schemas/batches.ts';
import { createBatch } from '../../shared/services/batches.ts';

export const handler = httpHandler(
  { body: CreateBatchBody, roles: ['national', 'province', 'city'], idempotent: true },
  async ({ body, principal }) => {
    const { batch, upload, expiresAt } = await createBatch(principal, body);
    return created(`/v1/batches/${batch.id}`, { batchId: batch.id, upload, expiresAt });
  },
);

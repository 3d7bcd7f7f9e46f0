import { httpHandler, ok } from '../../shared/http/handler.ts';
import { notFound } from '../../shared/http/errors.ts';
import { BatchParams } from '../../shared/schemas/batches.ts';
import { viewBatch } from '../../shared/services/batches.ts';

export const handler = httpHandler(
  { params: BatchParams, roles: ['national', 'province', 'city'] },
  async ({ params, principal, language }) => {
    const batch = await viewBatch(principal, params.id, language);
    if (!batch) throw notFound('batch');
    // Counts change while it runs; the errors link expires.
    return ok(batch, { 'Cache-Control': 'private, no-store', 'Content-Language': language === 'en' ? 'en' : 'zh-CN' });
  },
);

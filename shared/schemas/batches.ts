import * as z from 'zod/mini';
import { MAX_BATCH_BYTES } from '../domain/batch.ts';
import { Id, Text } from './common.ts';

export const BatchFormat = z.enum(['csv', 'xlsx']);

export const CreateBatchBody = z
  .strictObject({
    schemeId: Id,
    fileName: Text(255).register(z.globalRegistry, {
      description: 'The file’s name, for the uploader’s reference',
      example: '浙江省第一批.xlsx',
    }),
    format: BatchFormat.check(z.meta({ description: 'csv (UTF-8 with or without BOM, or GB18030) or xlsx' })),
    size: z
      .number()
      .check(z.int(), z.gte(1), z.lte(MAX_BATCH_BYTES))
      .register(z.globalRegistry, { description: 'Bytes; the upload may not be larger (at most 50 MiB)' }),
  })
  .register(z.globalRegistry, { id: 'CreateBatchRequest' });

export const BatchParams = z.object({ id: Id });

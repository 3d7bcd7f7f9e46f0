import * as z from 'zod';
import { MAX_BATCH_BYTES } from '../domain/batch.ts';
import { Id, Text } from './common.ts';

export const BatchFormat = z.enum(['csv', 'xlsx']);

export const CreateBatchBody = z
  .object({
    schemeId: Id,
    fileName: Text(255).meta({ description: 'The file’s name, for the uploader’s reference', example: '浙江省第一批.xlsx' }),
    format: BatchFormat.meta({ description: 'csv (UTF-8 with or without BOM, or GB18030) or xlsx' }),
    size: z
      .number()
      .int()
      .min(1)
      .max(MAX_BATCH_BYTES)
      .meta({ description: 'Bytes; the upload may not be larger (at most 50 MiB)' }),
  })
  .strict()
  .meta({ id: 'CreateBatchRequest' });

export const BatchParams = z.object({ id: Id });

/** Only for the OpenAPI document (see openapi.ts): no function imports this module. */
import * as z from 'zod';
import { Id } from './common.ts';
import { Timestamp } from './common.docs.ts';
import { BatchFormat } from './batches.ts';

export const BatchCreated = z
  .object({
    batchId: Id,
    upload: z
      .object({
        url: z.string().meta({ description: 'POST the fields, then the file as the last field named `file`' }),
        fields: z.record(z.string(), z.string()),
      })
      .meta({ description: 'An S3 presigned POST, bound to the declared size and the format’s content type' }),
    expiresAt: Timestamp,
  })
  .meta({ id: 'BatchCreated' });

export const BatchStatus = z.enum(['waiting_upload', 'processing', 'completed', 'failed']);

export const Batch = z
  .object({
    id: Id,
    schemeId: z.string(),
    schemeVersion: z.number().int().nullable().meta({ description: 'The version rows are checked and compared against' }),
    fileName: z.string(),
    format: BatchFormat,
    status: BatchStatus,
    rows: z.number().int().nullable().meta({ description: 'Data rows in the file, once read' }),
    total: z.number().int().meta({ description: 'accepted + unchanged + rejected; grows while processing' }),
    accepted: z.number().int().meta({ description: 'Rows declared (a new declaration or revision)' }),
    unchanged: z.number().int().meta({ description: 'Rows identical to the latest declaration of their enterprise and product' }),
    rejected: z.number().int().meta({ description: 'Rows listed in the errors file' }),
    compared: z.number().int().meta({ description: 'Accepted rows whose comparison succeeded' }),
    errorsUrl: z
      .string()
      .nullable()
      .meta({ description: 'Short-lived link to the errors file (CSV, UTF-8 with BOM) once completed with rejected rows' }),
    error: z
      .object({ code: z.string(), message: z.string() })
      .optional()
      .meta({ description: 'Why a failed batch could not be processed' }),
    createdAt: Timestamp,
    updatedAt: Timestamp,
    completedAt: Timestamp.optional(),
  })
  .meta({ id: 'Batch' });

import * as z from 'zod';
import {
  extensionFits,
  isValidFileName,
  MATERIAL_CONTENT_TYPES,
  materialTypeOf,
  MAX_FILE_NAME_LENGTH,
  MAX_MATERIAL_BYTES,
  normalizeFileName,
} from '../domain/materials.ts';
import { Id, ListQuery } from './common.ts';

const failWith = (code: string, params: Record<string, unknown> = {}) => ({ params: { code, ...params } });

export const MaterialContentType = z.enum(MATERIAL_CONTENT_TYPES).meta({
  description: 'PDF, PNG, JPEG, XLSX or DOCX',
  example: 'application/pdf',
});

export const CreateMaterialBody = z
  .object({
    fileName: z
      .string()
      .transform(normalizeFileName)
      .pipe(z.string().min(1).max(MAX_FILE_NAME_LENGTH))
      .refine(isValidFileName, failWith('invalid_file_name'))
      .meta({
        description:
          'The name shown on download (kept as metadata, never part of a key); no path, no / \\ : * ? " < > |, ending in an extension of the type',
        example: '检测报告.pdf',
      }),
    contentType: MaterialContentType,
    size: z.number().int().min(1).max(MAX_MATERIAL_BYTES).meta({ description: 'Bytes, at most 20 MiB', example: 482113 }),
    sha256: z
      .string()
      .refine((value) => /^[0-9a-f]{64}$/.test(value), failWith('invalid_sha256'))
      .meta({ description: 'SHA-256 of the file, lowercase hex' }),
  })
  .strict()
  .superRefine((body, ctx) => {
    const type = materialTypeOf(body.contentType);
    // One issue per field: an invalid name is not also checked for its extension.
    const nameOk =
      typeof body.fileName === 'string' &&
      body.fileName.length > 0 && body.fileName.length <= MAX_FILE_NAME_LENGTH && isValidFileName(body.fileName);
    if (type && nameOk && !extensionFits(body.fileName, type)) {
      ctx.addIssue({
        code: 'custom',
        path: ['fileName'],
        message: 'file_extension_mismatch',
        params: { code: 'file_extension_mismatch', extensions: type.extensions.map((e) => `.${e}`).join(', ') },
      });
    }
  })
  .meta({ id: 'CreateMaterialRequest' });

export const MaterialParams = z.object({ id: Id, materialId: Id });

export const ListMaterialsQuery = ListQuery;

import * as z from 'zod/mini';
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

export const MaterialContentType = z.enum(MATERIAL_CONTENT_TYPES).register(z.globalRegistry, {
  description: 'PDF, PNG, JPEG, XLSX or DOCX',
  example: 'application/pdf',
});

export const CreateMaterialBody = z
  .strictObject({
    fileName: z
      .pipe(
        z.pipe(z.string(), z.transform(normalizeFileName)),
        z.string().check(z.minLength(1), z.maxLength(MAX_FILE_NAME_LENGTH)),
      )
      .check(z.refine(isValidFileName, failWith('invalid_file_name')))
      .register(z.globalRegistry, {
        description:
          'The name shown on download (kept as metadata, never part of a key); no path, no / \\ : * ? " < > |, ending in an extension of the type',
        example: '检测报告.pdf',
      }),
    contentType: MaterialContentType,
    size: z
      .number()
      .check(z.int(), z.gte(1), z.lte(MAX_MATERIAL_BYTES))
      .register(z.globalRegistry, { description: 'Bytes, at most 20 MiB', example: 482113 }),
    sha256: z
      .string()
      .check(z.refine((value) => /^[0-9a-f]{64}$/.test(value), failWith('invalid_sha256')))
      .register(z.globalRegistry, { description: 'SHA-256 of the file, lowercase hex' }),
  })
  .check(
    z.superRefine((body, ctx) => {
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
    }),
  )
  .register(z.globalRegistry, { id: 'CreateMaterialRequest' });

export const MaterialParams = z.object({ id: Id, materialId: Id });

export const ListMaterialsQuery = ListQuery;

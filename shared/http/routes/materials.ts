/** Materials: files attached to declarations, uploaded straight to S3. */
import { page } from '../../schemas/common.docs.ts';
import { DeclarationParams } from '../../schemas/declarations.ts';
import { CreateMaterialBody, ListMaterialsQuery, MaterialParams } from '../../schemas/materials.ts';
import { Material, MaterialUpload } from '../../schemas/materials.docs.ts';
import { json, type Route } from './types.ts';

export const materialRoutes: Route[] = [
  {
    operationId: 'createMaterial',
    method: 'POST',
    path: '/v1/declarations/{id}/materials',
    handler: 'materials/create-material',
    auth: 'bearer',
    tag: 'materials',
    summary: 'Request the upload of a material (PDF, PNG, JPEG, XLSX, DOCX; at most 20 MiB)',
    description:
      'Returns an S3 presigned POST bound to the declared size and type. POST every returned field and then the file (field `file`) as multipart/form-data, e.g. `curl -F key=... -F ... -F file=@检测报告.pdf <url>`. The upload is then checked (size, magic bytes, SHA-256) and becomes verified or rejected. The declaration’s enterprise and the bureaus over it may upload; at most 20 materials per declaration (waiting or verified); the latest revision only, before a final decision (otherwise 409).',
    request: { params: DeclarationParams, body: CreateMaterialBody },
    responses: { 201: json('The upload form', MaterialUpload) },
    errors: [400, 401, 403, 404, 409, 415, 422],
    idempotent: true,
  },
  {
    operationId: 'listMaterials',
    method: 'GET',
    path: '/v1/declarations/{id}/materials',
    handler: 'materials/list-materials',
    auth: 'bearer',
    tag: 'materials',
    summary: 'Materials of a declaration with their status; verified ones carry a short-lived download link',
    request: { params: DeclarationParams, query: ListMaterialsQuery },
    responses: { 200: json('A page of materials', page(Material, 'MaterialPage')) },
    errors: [401, 403, 404, 422],
  },
  {
    operationId: 'getMaterial',
    method: 'GET',
    path: '/v1/declarations/{id}/materials/{materialId}',
    handler: 'materials/get-material',
    auth: 'bearer',
    tag: 'materials',
    summary: 'One material with its status (download link when verified)',
    request: { params: MaterialParams },
    responses: { 200: json('The material', Material) },
    errors: [401, 403, 404],
  },
];

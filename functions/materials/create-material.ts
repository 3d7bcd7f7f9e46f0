/** POST /v1/declarations/{id}/materials: a presigned POST for one file. */
import { canSeeEnterpriseRecord } from '../../shared/domain/territory.ts';
import { created, httpHandler } from '../../shared/http/handler.ts';
import { notFound } from '../../shared/http/errors.ts';
import { DeclarationParams } from '../../shared/schemas/declarations.ts';
import { CreateMaterialBody } from '../../shared/schemas/materials.ts';
import { requestUpload } from '../../shared/services/materials.ts';
import { getDeclaration } from '../../shared/store/declarations.ts';

export const handler = httpHandler(
  { params: DeclarationParams, body: CreateMaterialBody, roles: ['national', 'province', 'city', 'enterprise'], idempotent: true },
  async ({ params, body, principal }) => {
    const declaration = await getDeclaration(params.id);
    if (!declaration || !canSeeEnterpriseRecord(principal, declaration)) throw notFound('declaration');
    const { material, upload, expiresAt } = await requestUpload(principal, declaration, body);
    return created(`/v1/declarations/${declaration.id}/materials/${material.id}`, {
      materialId: material.id,
      upload,
      expiresAt,
    });
  },
);

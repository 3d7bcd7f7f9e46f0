/** GET /v1/declarations/{id}/materials/{materialId}: one material (the Location of an upload request). */
import { canSeeEnterpriseRecord } from '../../shared/domain/territory.ts';
import { httpHandler, ok } from '../../shared/http/handler.ts';
import { notFound } from '../../shared/http/errors.ts';
import { MaterialParams } from '../../shared/schemas/materials.ts';
import { materialView } from '../../shared/services/materials.ts';
import { getDeclaration } from '../../shared/store/declarations.ts';
import { getMaterial } from '../../shared/store/materials.ts';

export const handler = httpHandler(
  { params: MaterialParams, roles: ['national', 'province', 'city', 'enterprise'] },
  async ({ params, principal, language }) => {
    const declaration = await getDeclaration(params.id);
    if (!declaration || !canSeeEnterpriseRecord(principal, declaration)) throw notFound('declaration');
    const material = await getMaterial(declaration.id, params.materialId);
    if (!material) throw notFound('material');
    return ok(await materialView(material, language), { 'Cache-Control': 'private, no-store' });
  },
);

/** GET /v1/declarations/{id}/materials: status, reasons and download links. */
import { canSeeEnterpriseRecord } from '../../shared/domain/territory.ts';
import { httpHandler, ok } from '../../shared/http/handler.ts';
import { notFound } from '../../shared/http/errors.ts';
import { DeclarationParams } from '../../shared/schemas/declarations.ts';
import { ListMaterialsQuery } from '../../shared/schemas/materials.ts';
import { materialView } from '../../shared/services/materials.ts';
import { getDeclaration } from '../../shared/store/declarations.ts';
import { listMaterials } from '../../shared/store/materials.ts';

export const handler = httpHandler(
  { params: DeclarationParams, query: ListMaterialsQuery, roles: ['national', 'province', 'city', 'enterprise'] },
  async ({ params, query, principal, language }) => {
    const declaration = await getDeclaration(params.id);
    if (!declaration || !canSeeEnterpriseRecord(principal, declaration)) throw notFound('declaration');
    const page = await listMaterials(declaration.id, query.limit, query.cursor);
    return ok(
      { items: await Promise.all(page.items.map((m) => materialView(m, language))), nextCursor: page.nextCursor },
      // Download links expire; statuses change while uploads are checked.
      { 'Cache-Control': 'private, no-store' },
    );
  },
);

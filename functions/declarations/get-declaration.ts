import { canSeeEnterpriseRecord } from '../../shared/domain/territory.ts';
import { etag, httpHandler, ok } from '../../shared/http/handler.ts';
import { notFound } from '../../shared/http/errors.ts';
import { presentDeclaration } from '../../shared/http/presenters.ts';
import { DeclarationParams } from '../../shared/schemas/declarations.ts';
import { getDeclaration, listRevisions } from '../../shared/store/declarations.ts';

export const handler = httpHandler(
  { params: DeclarationParams, roles: ['national', 'province', 'city', 'enterprise'] },
  async ({ params, principal }) => {
    const declaration = await getDeclaration(params.id);
    if (!declaration || !canSeeEnterpriseRecord(principal, declaration)) throw notFound('declaration');
    // A first declaration has no history to read.
    const history =
      declaration.revision > 1 || !declaration.latest
        ? await listRevisions(declaration.creditCode, declaration.schemeId, declaration.product)
        : [declaration];
    return ok(presentDeclaration(declaration, history), { ETag: etag(declaration.version) });
  },
);

/** GET /v1/declarations/{id}/reviews: every decision, oldest first. */
import { canSeeEnterpriseRecord } from '../../shared/domain/territory.ts';
import { httpHandler, ok } from '../../shared/http/handler.ts';
import { notFound } from '../../shared/http/errors.ts';
import { presentReview } from '../../shared/http/presenters.ts';
import { ListQuery } from '../../shared/schemas/common.ts';
import { DeclarationParams } from '../../shared/schemas/declarations.ts';
import { getDeclaration } from '../../shared/store/declarations.ts';
import { listReviews } from '../../shared/store/reviews.ts';

export const handler = httpHandler(
  { params: DeclarationParams, query: ListQuery, roles: ['national', 'province', 'city', 'enterprise'] },
  async ({ params, query, principal }) => {
    const declaration = await getDeclaration(params.id);
    if (!declaration || !canSeeEnterpriseRecord(principal, declaration)) throw notFound('declaration');
    const page = await listReviews(params.id, query.limit, query.cursor);
    return ok({ items: page.items.map(presentReview), nextCursor: page.nextCursor });
  },
);

/** GET /v1/declarations/{id}/reviews/{reviewId}: one decision. */
import { canSeeEnterpriseRecord } from '../../shared/domain/territory.ts';
import { httpHandler, ok } from '../../shared/http/handler.ts';
import { notFound } from '../../shared/http/errors.ts';
import { presentReview } from '../../shared/http/presenters.ts';
import { ReviewParams } from '../../shared/schemas/reviews.ts';
import { getDeclaration } from '../../shared/store/declarations.ts';
import { getReview } from '../../shared/store/reviews.ts';

export const handler = httpHandler(
  { params: ReviewParams, roles: ['national', 'province', 'city', 'enterprise'] },
  async ({ params, principal }) => {
    const [declaration, review] = await Promise.all([getDeclaration(params.id), getReview(params.id, params.reviewId)]);
    if (!declaration || !canSeeEnterpriseRecord(principal, declaration) || !review) throw notFound('review');
    return ok(presentReview(review));
  },
);

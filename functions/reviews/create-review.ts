/** POST /v1/declarations/{id}/reviews: recommend, accept or return at the caller's step. */
import { REVIEWER_ROLES } from '../../shared/domain/review.ts';
import { created, httpHandler } from '../../shared/http/handler.ts';
import { presentReview } from '../../shared/http/presenters.ts';
import { DeclarationParams } from '../../shared/schemas/declarations.ts';
import { CreateReviewBody } from '../../shared/schemas/reviews.ts';
import { decideOnDeclaration } from '../../shared/services/reviews.ts';

export const handler = httpHandler(
  { params: DeclarationParams, body: CreateReviewBody, roles: REVIEWER_ROLES, idempotent: true },
  async ({ params, body, principal }) => {
    const review = await decideOnDeclaration(principal, params.id, body);
    return created(`/v1/declarations/${params.id}/reviews/${review.id}`, presentReview(review));
  },
);

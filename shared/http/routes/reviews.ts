/** Reviews (推荐上报): decisions on declarations. */
import { page } from '../../schemas/common.docs.ts';
import { DeclarationParams } from '../../schemas/declarations.ts';
import { ListQuery } from '../../schemas/common.ts';
import { CreateReviewBody, ReviewParams } from '../../schemas/reviews.ts';
import { Review } from '../../schemas/reviews.docs.ts';
import { json, type Route } from './types.ts';

export const reviewRoutes: Route[] = [
  {
    operationId: 'createReview',
    method: 'POST',
    path: '/v1/declarations/{id}/reviews',
    handler: 'reviews/create-review',
    auth: 'bearer',
    tag: 'reviews',
    summary: 'Recommend, accept or return a declaration at the caller’s step',
    description:
      'compared → city_recommended (the city bureau of the enterprise’s city, or its province) → province_recommended (the province) → accepted (national); return (with a comment) at any step by its reviewer. Another reviewer’s step, a decision not open at the step, or a decision that lost a race is 409; enterprise and expert are 403.',
    request: { params: DeclarationParams, body: CreateReviewBody },
    responses: { 201: json('Decided', Review) },
    errors: [400, 401, 403, 404, 409, 415, 422],
    idempotent: true,
  },
  {
    operationId: 'listReviews',
    method: 'GET',
    path: '/v1/declarations/{id}/reviews',
    handler: 'reviews/list-reviews',
    auth: 'bearer',
    tag: 'reviews',
    summary: 'Every decision on a declaration, oldest first',
    request: { params: DeclarationParams, query: ListQuery },
    responses: { 200: json('A page of decisions', page(Review, 'ReviewPage')) },
    errors: [401, 403, 404, 422],
  },
  {
    operationId: 'getReview',
    method: 'GET',
    path: '/v1/declarations/{id}/reviews/{reviewId}',
    handler: 'reviews/get-review',
    auth: 'bearer',
    tag: 'reviews',
    summary: 'One decision',
    request: { params: ReviewParams },
    responses: { 200: json('The decision', Review) },
    errors: [401, 403, 404],
  },
];

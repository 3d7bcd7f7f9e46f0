/** Comparisons: re-runs and results. */
import { ComparisonParams } from '../../schemas/comparisons.ts';
import { Comparison, ComparisonStarted } from '../../schemas/comparisons.docs.ts';
import { DeclarationParams } from '../../schemas/declarations.ts';
import { json, type Route } from './types.ts';

export const comparisonRoutes: Route[] = [
  {
    operationId: 'rerunComparison',
    method: 'POST',
    path: '/v1/declarations/{id}/comparisons',
    handler: 'declarations/rerun-comparison',
    auth: 'bearer',
    tag: 'comparisons',
    summary: 'Compare again against the scheme’s latest version (national, or a bureau over the declaration)',
    description: 'A re-run never changes the review status.',
    request: { params: DeclarationParams },
    responses: { 202: json('Started', ComparisonStarted) },
    errors: [401, 403, 404, 409, 422],
    idempotent: true,
  },
  {
    operationId: 'getComparison',
    method: 'GET',
    path: '/v1/comparisons/{id}',
    handler: 'comparisons/get-comparison',
    auth: 'bearer',
    tag: 'comparisons',
    summary: 'A comparison: status, result and short-lived report links in the request’s language',
    request: { params: ComparisonParams },
    responses: { 200: json('The comparison', Comparison) },
    errors: [401, 404],
  },
];

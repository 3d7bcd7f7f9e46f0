/** Public pages of published results: no token. */
import { page } from '../../schemas/common.docs.ts';
import { PublicListQuery } from '../../schemas/stats.ts';
import { ForerunnerList, PublicResult } from '../../schemas/stats.docs.ts';
import { json, type Route } from './types.ts';

export const publicRoutes: Route[] = [
  {
    operationId: 'listPublicResults',
    method: 'GET',
    path: '/v1/public/results',
    handler: 'public/list-results',
    auth: 'none',
    tag: 'public',
    summary: 'Accepted results, newest acceptance first (no token)',
    description: 'The latest declaration of each enterprise, scheme and product once accepted, with its latest comparison’s result. Cacheable for a minute.',
    request: { query: PublicListQuery },
    responses: { 200: json('A page of accepted results', page(PublicResult, 'PublicResultPage')) },
    errors: [422],
  },
  {
    operationId: 'listPublicForerunners',
    method: 'GET',
    path: '/v1/public/forerunners',
    handler: 'public/list-forerunners',
    auth: 'none',
    tag: 'public',
    summary: 'Forerunner lists under public notice or published, newest first (no token)',
    request: { query: PublicListQuery },
    responses: { 200: json('A page of lists', page(ForerunnerList, 'ForerunnerListPage')) },
    errors: [422],
  },
];

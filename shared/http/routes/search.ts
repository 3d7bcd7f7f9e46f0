/** Search over standards, schemes, experts and institutions (资讯查询). */
import { SearchQuery } from '../../schemas/search.ts';
import { SearchResults } from '../../schemas/search.docs.ts';
import { inInformationStack } from './information-stack.ts';
import { json, type Route } from './types.ts';

export const searchRoutes: Route[] = inInformationStack([
  {
    operationId: 'search',
    method: 'GET',
    path: '/v1/search',
    handler: 'search/search',
    auth: 'bearer',
    tag: 'search',
    summary: 'Find standards, schemes, experts and institutions by number, words (Chinese or English) or alias',
    description:
      'Served from an inverted index in the table (Chinese bigrams, words and their prefixes, number fragments), kept current from the table stream: a new standard is found within seconds of its creation.',
    request: { query: SearchQuery },
    responses: { 200: json('Results, best first', SearchResults) },
    errors: [401, 422],
  },
]);

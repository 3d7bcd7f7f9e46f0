/** GET /v1/search: standards, schemes, experts and institutions by number, words or alias. */
import { httpHandler, ok } from '../../shared/http/handler.ts';
import { SearchQuery } from '../../shared/schemas/search.ts';
import { search } from '../../shared/services/search.ts';

export const handler = httpHandler(
  { query: SearchQuery, roles: ['national', 'province', 'city', 'enterprise', 'expert'] },
  async ({ query }) => ok({ items: await search(query.q, query.type, query.limit) }),
);

import * as z from 'zod/mini';
import { searchTypes } from '../domain/search.ts';
import { Text } from './common.ts';

export const SearchType = z.enum(searchTypes);

export const SearchQuery = z.object({
  q: Text(100).register(z.globalRegistry, {
    description: 'A number (16358, ISO 16358), words of a title in Chinese or English, or an alias (空调, heat pumps)',
    example: 'ISO 16358',
  }),
  type: z.optional(SearchType),
  limit: z
    ._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(50)), 20)
    .register(z.globalRegistry, { description: 'Results, 1-50' }),
});

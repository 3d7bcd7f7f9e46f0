import * as z from 'zod';
import { searchTypes } from '../domain/search.ts';
import { Text } from './common.ts';

export const SearchType = z.enum(searchTypes);

export const SearchQuery = z.object({
  q: Text(100).meta({
    description: 'A number (16358, ISO 16358), words of a title in Chinese or English, or an alias (空调, heat pumps)',
    example: 'ISO 16358',
  }),
  type: SearchType.optional(),
  limit: z.coerce.number().int().min(1).max(50).default(20).meta({ description: 'Results, 1-50' }),
});

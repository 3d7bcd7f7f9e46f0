import * as z from 'zod';
import { searchTypes } from '../domain/search.ts';
import { Id, Text } from './common.ts';

export const SearchType = z.enum(searchTypes);

export const SearchQuery = z.object({
  q: Text(100).meta({
    description: 'A number (16358, ISO 16358), words of a title in Chinese or English, or an alias (空调, heat pumps)',
    example: 'ISO 16358',
  }),
  type: SearchType.optional(),
  limit: z.coerce.number().int().min(1).max(50).default(20).meta({ description: 'Results, 1-50' }),
});

export const SearchResults = z
  .object({
    items: z.array(
      z.object({
        type: SearchType,
        id: Id,
        title: z.string().meta({ description: 'A standard’s number and title; a scheme’s, expert’s or institution’s name' }),
        score: z.number().meta({ description: 'Relevance, higher first; comparable within one response only' }),
      }),
    ),
  })
  .meta({ id: 'SearchResults' });

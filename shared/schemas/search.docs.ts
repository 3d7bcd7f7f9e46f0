/** Only for the OpenAPI document (see openapi.ts): no function imports this module. */
import * as z from 'zod';
import { Id } from './common.ts';
import { SearchType } from './search.ts';

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

import { httpHandler, ok } from '../../shared/http/handler.ts';
import { presentCity } from '../../shared/http/presenters.ts';
import { ListCitiesQuery } from '../../shared/schemas/cities.ts';
import { listCities } from '../../shared/store/cities.ts';

/** The list of participating cities is campaign reference data: every role reads it. */
export const handler = httpHandler(
  { query: ListCitiesQuery, roles: ['national', 'province', 'city', 'enterprise', 'expert'] },
  async ({ query }) => {
    const page = await listCities({ division: query.divisionCode ?? null, limit: query.limit, cursor: query.cursor });
    return ok({ items: page.items.map(presentCity), nextCursor: page.nextCursor });
  },
);

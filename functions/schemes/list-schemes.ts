import { httpHandler, ok } from '../../shared/http/handler.ts';
import { presentScheme } from '../../shared/http/presenters.ts';
import { ListSchemesQuery } from '../../shared/schemas/schemes.ts';
import { listSchemes } from '../../shared/store/schemes.ts';

export const handler = httpHandler(
  { query: ListSchemesQuery, roles: ['national', 'province', 'city', 'enterprise', 'expert'] },
  async ({ query }) => {
    const page = await listSchemes(query);
    return ok({ items: page.items.map(presentScheme), nextCursor: page.nextCursor });
  },
);

import { isWithinDivision } from '../../shared/domain/division-code.ts';
import { confineDivision } from '../../shared/domain/territory.ts';
import { httpHandler, ok } from '../../shared/http/handler.ts';
import { presentEnterprise } from '../../shared/http/presenters.ts';
import { ListEnterprisesQuery } from '../../shared/schemas/enterprises.ts';
import { getEnterprise, listEnterprises } from '../../shared/store/enterprises.ts';

export const handler = httpHandler(
  { query: ListEnterprisesQuery, roles: ['national', 'province', 'city', 'enterprise'] },
  async ({ query, principal }) => {
    if (principal.role === 'enterprise') {
      // An enterprise's list holds only itself.
      const own = await getEnterprise(principal.territory);
      const matches =
        own &&
        (!query.divisionCode || isWithinDivision(own.divisionCode, query.divisionCode)) &&
        (!query.industry || own.industry === query.industry);
      return ok({ items: matches ? [presentEnterprise(own)] : [], nextCursor: null });
    }
    const division = confineDivision(principal, query.divisionCode);
    if (division === undefined) return ok({ items: [], nextCursor: null });
    const page = await listEnterprises({ division, industry: query.industry, limit: query.limit, cursor: query.cursor });
    return ok({ items: page.items.map(presentEnterprise), nextCursor: page.nextCursor });
  },
);

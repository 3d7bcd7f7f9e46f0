import { confineDivision } from '../../shared/domain/territory.ts';
import { httpHandler, ok } from '../../shared/http/handler.ts';
import { presentDeclaration } from '../../shared/http/presenters.ts';
import { ListDeclarationsQuery } from '../../shared/schemas/declarations.ts';
import { listDeclarations } from '../../shared/store/declarations.ts';

const empty = { items: [], nextCursor: null };

export const handler = httpHandler(
  { query: ListDeclarationsQuery, roles: ['national', 'province', 'city', 'enterprise'] },
  async ({ query, principal }) => {
    let division: string | null | undefined;
    let creditCode = query.creditCode;
    if (principal.role === 'enterprise') {
      // An enterprise lists its own declarations only.
      if (creditCode && creditCode !== principal.territory) return ok(empty);
      creditCode = principal.territory;
      division = query.divisionCode ?? null;
    } else {
      division = confineDivision(principal, query.divisionCode);
      if (division === undefined) return ok(empty);
    }
    const page = await listDeclarations({
      division,
      creditCode,
      schemeId: query.schemeId,
      status: query.status,
      limit: query.limit,
      cursor: query.cursor,
    });
    return ok({ items: page.items.map((d) => presentDeclaration(d)), nextCursor: page.nextCursor });
  },
);

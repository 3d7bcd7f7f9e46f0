import { normalizeStandardNumber } from '../../shared/domain/standard-number.ts';
import { normalizeText } from '../../shared/domain/text.ts';
import { httpHandler, ok } from '../../shared/http/handler.ts';
import { presentStandard } from '../../shared/http/presenters.ts';
import { ListStandardsQuery } from '../../shared/schemas/standards.ts';
import { listStandards } from '../../shared/store/standards.ts';

/** A number prefix in the stored normal form, whatever dashes or widths were typed. */
function numberPrefix(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  const parsed = normalizeStandardNumber(raw);
  return parsed.ok ? parsed.number : normalizeText(raw).replace(/[‐-―]/g, '-');
}

export const handler = httpHandler(
  { query: ListStandardsQuery, roles: ['national', 'province', 'city', 'enterprise', 'expert'] },
  async ({ query }) => {
    const page = await listStandards({
      org: query.org,
      kind: query.kind,
      numberPrefix: numberPrefix(query.number),
      limit: query.limit,
      cursor: query.cursor,
    });
    return ok({ items: page.items.map(presentStandard), nextCursor: page.nextCursor });
  },
);

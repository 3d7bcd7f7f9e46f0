/**
 * An enterprise's public showcase (成果展示): its accepted results and its
 * places on forerunner lists. Read from the enterprise's own declarations
 * (one partition of gsi2), their stream-kept contributions and the forerunner
 * lists of the schemes it declared in: no scan, a few dozen items.
 */
import { forerunnerListState, isPublic } from '../domain/aggregates.ts';
import { loadContributions } from '../store/aggregates.ts';
import { type DeclarationRecord, listDeclarations } from '../store/declarations.ts';
import { getEnterprise } from '../store/enterprises.ts';
import { type ForerunnerListRecord, listForerunnerLists } from '../store/forerunner-lists.ts';
import { getScheme } from '../store/schemes.ts';
import { presentPublicResult } from './forerunners.ts';

async function all<T>(read: (cursor: string | undefined) => Promise<{ items: T[]; nextCursor: string | null }>): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await read(cursor);
    items.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return items;
}

/** The showcase, or undefined when the enterprise is unknown or has nothing public. */
export async function enterpriseShowcase(creditCode: string, now: Date) {
  const enterprise = await getEnterprise(creditCode);
  if (!enterprise) return undefined;
  const declarations: DeclarationRecord[] = await all((cursor) =>
    listDeclarations({ division: null, creditCode, limit: 100, cursor }),
  );
  const schemeIds = [...new Set(declarations.map((d) => d.schemeId))];
  const [contributions, schemes, lists] = await Promise.all([
    loadContributions(declarations.filter((d) => d.latest && d.status === 'accepted').map((d) => d.id)),
    Promise.all(schemeIds.map((id) => getScheme(id))),
    // Lists snapshot accepted declarations, so only schemes it declared in can name it.
    Promise.all(schemeIds.map((schemeId) => all((cursor) => listForerunnerLists({ schemeId, limit: 100, cursor })))),
  ]);
  const schemeName = new Map(schemes.flatMap((s) => (s ? [[s.id, s.name] as const] : [])));

  const results = [...contributions.values()]
    .map((stored) => stored.contribution)
    .filter(isPublic)
    .map((c) => presentPublicResult(c, schemeName.get(c.schemeId) ?? null))
    .sort((a, b) => b.acceptedAt.localeCompare(a.acceptedAt));

  const titles = lists
    .flat()
    .flatMap((list: ForerunnerListRecord) =>
      list.entries
        .filter((entry) => entry.creditCode === creditCode)
        .map((entry) => ({
          listId: list.id,
          schemeId: list.schemeId,
          schemeName: list.schemeName,
          product: entry.product,
          standardNumber: entry.standardNumber,
          rank: entry.rank,
          state: forerunnerListState(list, now),
          listedAt: list.createdAt,
          noticeEndsAt: list.noticeEndsAt,
        })),
    )
    .sort((a, b) => b.listedAt.localeCompare(a.listedAt) || a.rank - b.rank);

  if (results.length === 0 && titles.length === 0) return undefined;
  return {
    creditCode: enterprise.creditCode,
    name: enterprise.name,
    divisionCode: enterprise.divisionCode,
    industry: enterprise.industry,
    tags: enterprise.tags,
    results,
    forerunnerTitles: titles,
  };
}

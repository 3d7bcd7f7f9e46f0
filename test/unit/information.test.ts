/** The pure rules of the information services: audiences, threads, search tokens and ranking. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  audienceDivisionsOf,
  authorAudience,
  canManageNotice,
  canTransition,
  isAddressedTo,
} from '../../shared/domain/notices.ts';
import {
  indexWrites,
  pairsToVerify,
  type PostingList,
  queryTerms,
  rank,
  searchDocumentOf,
  textTokens,
} from '../../shared/domain/search.ts';
import type { Principal } from '../../shared/domain/territory.ts';
import { canAnswerThread, canPublishThread, canSeeThread, threadStatus } from '../../shared/domain/threads.ts';
import { hasMessage } from '../../shared/i18n/messages.ts';

const national: Principal = { clientId: 'n', role: 'national', territory: '' };
const zhejiang: Principal = { clientId: 'zj', role: 'province', territory: '330000' };
const hangzhou: Principal = { clientId: 'hz', role: 'city', territory: '330100' };
const ningbo: Principal = { clientId: 'nb', role: 'city', territory: '330200' };
const jiangsu: Principal = { clientId: 'js', role: 'province', territory: '320000' };

describe('notice audiences', () => {
  it('lets national address anyone and completes a province’s audience with its own province', () => {
    expect(authorAudience(national, {})).toEqual({ ok: true, audience: { roles: [] } });
    expect(authorAudience(national, { divisionCode: '320000', roles: ['city', 'city'] })).toEqual({
      ok: true,
      audience: { divisionCode: '320000', roles: ['city'] },
    });
    expect(authorAudience(zhejiang, {})).toEqual({ ok: true, audience: { divisionCode: '330000', roles: [] } });
    expect(authorAudience(zhejiang, { divisionCode: '330106' })).toMatchObject({ ok: true });
  });

  it('refuses a province addressing outside itself, naming audience.divisionCode', () => {
    expect(authorAudience(zhejiang, { divisionCode: '320000' })).toEqual({
      ok: false,
      issue: { path: ['audience', 'divisionCode'], code: 'not_in_territory' },
    });
    expect(authorAudience(hangzhou, {})).toMatchObject({ ok: false });
  });

  it('addresses a division and everything below it, narrowed by roles', () => {
    const zj = { divisionCode: '330000', roles: [] };
    expect(isAddressedTo(zj, { role: 'city', division: '330100' })).toBe(true);
    expect(isAddressedTo(zj, { role: 'enterprise', division: '330106' })).toBe(true);
    expect(isAddressedTo(zj, { role: 'province', division: '320000' })).toBe(false);
    expect(isAddressedTo(zj, { role: 'national', division: null })).toBe(false);
    const hzEnterprises = { divisionCode: '330100', roles: ['enterprise' as const] };
    expect(isAddressedTo(hzEnterprises, { role: 'enterprise', division: '330106' })).toBe(true);
    expect(isAddressedTo(hzEnterprises, { role: 'city', division: '330100' })).toBe(false);
    // A province is above its cities: a notice to Hangzhou is not addressed to Zhejiang.
    expect(isAddressedTo({ divisionCode: '330100', roles: [] }, { role: 'province', division: '330000' })).toBe(false);
    expect(isAddressedTo({ roles: [] }, { role: 'national', division: null })).toBe(true);
    expect(isAddressedTo({ roles: ['expert'] }, { role: 'national', division: null })).toBe(false);
  });

  it('reads exactly the audience partitions that include the reader', () => {
    expect(audienceDivisionsOf(null)).toEqual([null]);
    expect(audienceDivisionsOf('330000')).toEqual([null, '330000']);
    expect(audienceDivisionsOf('330100')).toEqual([null, '330000', '330100']);
    expect(audienceDivisionsOf('330106')).toEqual([null, '330000', '330100', '330106']);
    // Property: a division audience is addressed to a reader iff it is one of the reader's partitions.
    const codes = ['110000', '330000', '330100', '330106', '330200', '330206', '320000', '320500', '320505'];
    fc.assert(
      fc.property(fc.constantFrom(...codes), fc.constantFrom(...codes), (audience, reader) => {
        const addressed = isAddressedTo({ divisionCode: audience, roles: [] }, { role: 'city', division: reader });
        expect(audienceDivisionsOf(reader).includes(audience)).toBe(addressed);
      }),
    );
  });

  it('lets national manage every notice and a province only its own', () => {
    const byZhejiang = { role: 'province' as const, territory: '330000' };
    expect(canManageNotice(national, byZhejiang)).toBe(true);
    expect(canManageNotice(zhejiang, byZhejiang)).toBe(true);
    expect(canManageNotice(jiangsu, byZhejiang)).toBe(false);
    expect(canManageNotice(hangzhou, byZhejiang)).toBe(false);
    expect(canManageNotice(zhejiang, { role: 'national', territory: '' })).toBe(false);
  });

  it('moves draft -> published -> archived only', () => {
    expect(canTransition('draft', 'publish')).toBe(true);
    expect(canTransition('draft', 'edit')).toBe(true);
    expect(canTransition('draft', 'archive')).toBe(false);
    expect(canTransition('published', 'publish')).toBe(false);
    expect(canTransition('published', 'edit')).toBe(false);
    expect(canTransition('published', 'archive')).toBe(true);
    expect(canTransition('archived', 'archive')).toBe(false);
  });
});

describe('threads', () => {
  const thread = { creditCode: 'C1', divisionCode: '330106', schemeId: 'S1' };
  const expert: Principal = { clientId: 'e', role: 'expert', territory: 'E1' };
  const asker: Principal = { clientId: 'c1', role: 'enterprise', territory: 'C1' };
  const other: Principal = { clientId: 'c2', role: 'enterprise', territory: 'C2' };

  it('is seen by the asker, the bureaus above it and the scheme’s experts', () => {
    expect(canSeeThread(asker, thread, [])).toBe(true);
    expect(canSeeThread(other, thread, [])).toBe(false);
    expect(canSeeThread(hangzhou, thread, [])).toBe(true);
    expect(canSeeThread(ningbo, thread, [])).toBe(false);
    expect(canSeeThread(jiangsu, thread, [])).toBe(false);
    expect(canSeeThread(expert, thread, ['S1'])).toBe(true);
    expect(canSeeThread(expert, thread, ['S2'])).toBe(false);
  });

  it('is answered by assigned experts and bureaus above, never by enterprises; published by bureaus', () => {
    expect(canAnswerThread(asker, thread, [])).toBe(false);
    expect(canAnswerThread(expert, thread, ['S1'])).toBe(true);
    expect(canAnswerThread(zhejiang, thread, [])).toBe(true);
    expect(canAnswerThread(national, thread, [])).toBe(true);
    expect(canPublishThread(hangzhou, thread)).toBe(true);
    expect(canPublishThread(expert, thread)).toBe(false);
    expect(canPublishThread(asker, thread)).toBe(false);
    expect(canPublishThread(jiangsu, thread)).toBe(false);
  });

  it('derives its status from answers and acceptance', () => {
    expect(threadStatus(0, false)).toBe('open');
    expect(threadStatus(2, false)).toBe('answered');
    expect(threadStatus(2, true)).toBe('resolved');
  });
});

const iso16358 = {
  kind: 'standard',
  id: 'ISO',
  number: 'ISO 16358-1:2013',
  title: '风冷空调器和热泵 季节性能系数的测试和计算方法 第1部分：制冷季节性能系数',
  titleEn: 'Air-cooled air conditioners and air-to-air heat pumps — Testing and calculating methods for seasonal performance factors — Part 1: Cooling seasonal performance factor',
  aliases: ['空调', '空气调节器', 'heat pumps', 'air conditioner'],
  org: 'ISO',
  adoption: { number: 'GB/T 40363.1-2021', degree: 'MOD' },
};
const gb21455 = {
  kind: 'standard',
  id: 'GB',
  number: 'GB 21455-2019',
  title: '房间空气调节器能效限定值及能效等级',
  titleEn: 'Minimum allowable values of the energy efficiency and energy efficiency grades for room air conditioners',
  aliases: ['空调', '房间空调器'],
  org: 'SAC',
};
const gb30255 = {
  kind: 'standard',
  id: 'LED',
  number: 'GB 30255-2019',
  title: '室内照明用LED产品能效限定值及能效等级',
  titleEn: 'Minimum allowable values of energy efficiency and energy efficiency grades for indoor LED lighting products',
  aliases: ['LED筒灯', 'LED downlight'],
  org: 'SAC',
};
const airconScheme = {
  kind: 'scheme',
  id: 'AC',
  name: '房间空气调节器（≤4.5kW）对标技术方案',
  productCategory: '房间空气调节器',
  industry: '家用电器',
  field: 'equipment',
  indicators: [
    { code: 'apf', name: '全年能源消耗效率 APF', benchmarks: [{ standard: 'ISO 16358-1:2013' }, { standard: 'JIS C 9612:2013' }] },
  ],
};

/** Every document's postings as complete lists: what the index would return for the query. */
function listsFor(query: string, items: Record<string, unknown>[]): PostingList[] {
  const docs = items.map((item) => searchDocumentOf(item)!);
  return queryTerms(query).map((term) => ({
    token: term.token,
    truncated: false,
    postings: docs
      .filter((d) => d.postings.has(term.token))
      .map((d) => ({ token: term.token, type: d.type, id: d.id, title: d.title, weight: d.postings.get(term.token)! })),
  }));
}

const search = (query: string, items = [iso16358, gb21455, gb30255, airconScheme]) =>
  rank(queryTerms(query), listsFor(query, items), 10);

describe('search tokens', () => {
  it('makes Chinese bigrams, lower-case stemmed words and number fragments', () => {
    expect(textTokens('空气调节器', false).map((t) => t.token)).toEqual(['空气', '气调', '调节', '节器']);
    expect(textTokens('灯', false).map((t) => t.token)).toEqual(['灯']);
    expect(textTokens('Heat Pumps', false).map((t) => t.token)).toEqual(['heat', 'pump']);
    expect(textTokens('Ｈｅａｔ  ＰＵＭＰＳ', false).map((t) => t.token)).toEqual(['heat', 'pump']);
    expect(textTokens('the heat of', false).map((t) => t.token)).toEqual(['heat']);
    expect(textTokens('GB/T 40363.1-2021', false).map((t) => t.token)).toEqual(['gb', '40363', '2021', '40363.1', '40363.1-2021']);
  });

  it('indexes a standard by its exact number, number with prefix, number alone, words, prefixes and aliases', () => {
    const doc = searchDocumentOf(iso16358)!;
    expect(doc.title).toBe('ISO 16358-1:2013 风冷空调器和热泵 季节性能系数的测试和计算方法 第1部分：制冷季节性能系数');
    for (const token of ['=iso 16358-1:2013', 'iso16358', '16358', '16358-1', '空调', '热泵', '热', 'pump', 'pum', '~空调', '~heatpumps', 'gbt40363']) {
      expect(doc.postings.has(token), token).toBe(true);
    }
    // The exact number outweighs the number alone, which outweighs its year.
    expect(doc.postings.get('=iso 16358-1:2013')!).toBeGreaterThan(doc.postings.get('16358')!);
    expect(doc.postings.get('16358')!).toBeGreaterThan(doc.postings.get('2013')!);
  });

  it('reads queries into content terms and bonus terms', () => {
    expect(queryTerms('ISO 16358')).toEqual([
      { token: 'iso', bonus: false },
      { token: '16358', bonus: false },
      { token: '=iso 16358', bonus: true },
      { token: 'iso16358', bonus: true },
    ]);
    expect(queryTerms('空调')).toEqual([
      { token: '空调', bonus: false },
      { token: '~空调', bonus: true },
    ]);
    expect(queryTerms('   ')).toEqual([]);
    expect(queryTerms('空'.repeat(50)).length).toBeLessThanOrEqual(16 + 8);
  });

  it('does not index items that are not searched, and knows what a change adds and removes', () => {
    expect(searchDocumentOf({ kind: 'declaration', id: 'D' })).toBeUndefined();
    const v1 = { kind: 'expert', id: 'E', name: '王工', fields: ['家用电器'] };
    const v2 = { kind: 'expert', id: 'E', name: '王工', fields: ['照明电器'] };
    const { puts, removals } = indexWrites([{ before: v1, after: v2 }]);
    expect(puts.map((d) => d.id)).toEqual(['E']);
    expect(puts[0]!.postings.has('照明')).toBe(true);
    expect(removals).toHaveLength(1);
    expect(removals[0]!.tokens).toEqual(expect.arrayContaining(['家用', '用电', '~家用电器']));
    expect(removals[0]!.tokens).not.toContain('电器');
    // A MODIFY that changes nothing searched writes nothing; a declaration none.
    expect(indexWrites([{ before: v1, after: { ...v1, version: 2 } }, { after: { kind: 'declaration', id: 'D' } }])).toEqual({ puts: [], removals: [] });
    const removed = indexWrites([{ before: v1 }]);
    expect(removed.puts).toEqual([]);
    expect(removed.removals[0]!.tokens.length).toBe(searchDocumentOf(v1)!.postings.size);
  });

  it('collapses several records of one document into its last image, deleting every token it left behind', () => {
    const v1 = { kind: 'expert', id: 'E', name: '王工', fields: ['家用电器'] };
    const v2 = { ...v1, fields: ['照明电器'] };
    const v3 = { ...v1, fields: ['纺织服装'] };
    const { puts, removals } = indexWrites([{ after: v1 }, { before: v1, after: v2 }, { before: v2, after: v3 }]);
    expect(puts).toEqual([searchDocumentOf(v3)]);
    expect(removals[0]!.tokens).toEqual(expect.arrayContaining(['家用', '照明', '~照明电器']));
    expect(removals[0]!.tokens.some((t) => searchDocumentOf(v3)!.postings.has(t))).toBe(false);
    // Created and deleted within one batch: only deletes.
    expect(indexWrites([{ after: v1 }, { before: v1 }]).puts).toEqual([]);
  });
});

describe('search ranking', () => {
  it.each(['16358', 'ISO 16358', 'iso16358', 'ISO 16358-1:2013', 'ISO 16358-1', 'heat pumps', 'heat pump', 'HEAT PUMPS', '空气调节器', 'ISO 16358 空调'])(
    'puts ISO 16358-1:2013 first for %s',
    (query) => {
      expect(search(query)[0]).toMatchObject({ type: 'standard', id: 'ISO' });
    },
  );

  it('finds every standard with the alias 空调 and nothing without it', () => {
    const ids = search('空调').map((r) => r.id);
    expect(ids).toEqual(expect.arrayContaining(['ISO', 'GB']));
    expect(ids).not.toContain('LED');
  });

  it('finds the scheme through a benchmark standard’s number, below the standard itself', () => {
    const results = search('16358');
    expect(results.map((r) => r.id)).toEqual(['ISO', 'AC']);
  });

  it('drops documents holding less than half the terms, and ranks by coverage', () => {
    expect(search('能效等级 LED').map((r) => r.id)[0]).toBe('LED');
    expect(search('量子 纠缠')).toEqual([]);
    expect(search('pumps conditioners')[0]!.id).toBe('ISO');
  });

  it('checks candidates against a truncated list instead of dropping them', () => {
    const terms = queryTerms('ISO 16358');
    const lists: PostingList[] = [
      // 'iso' is common: its first page does not hold the ISO 16358 standard.
      { token: 'iso', truncated: true, postings: [{ token: 'iso', type: 'standard', id: 'OTHER', title: 'ISO 9001', weight: 1 }] },
      { token: '16358', truncated: false, postings: [{ token: '16358', type: 'standard', id: 'ISO', title: 'ISO 16358', weight: 4 }] },
      { token: '=iso 16358', truncated: false, postings: [] },
      { token: 'iso16358', truncated: false, postings: [{ token: 'iso16358', type: 'standard', id: 'ISO', title: 'ISO 16358', weight: 6 }] },
    ];
    expect(pairsToVerify(terms, lists)).toEqual([{ token: 'iso', type: 'standard', id: 'ISO' }]);
    expect(pairsToVerify(terms, lists.map((l) => ({ ...l, truncated: false })))).toEqual([]);
  });
});

describe('messages of the information services', () => {
  it('has every code and detail in the catalogue', () => {
    for (const key of [
      'detail.notice_not_draft',
      'detail.notice_not_published',
      'detail.answer_already_accepted',
      'detail.concurrent_update',
      'duplicate_scheme_id',
      'unknown_answer',
      'unknown_expert',
      'not_in_territory',
      'unknown_scheme',
    ]) {
      expect(hasMessage(key), key).toBe(true);
    }
  });
});

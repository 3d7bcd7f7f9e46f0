/**
 * Information services over HTTP against the local runtime: notices reach
 * exactly their audience, questions get answers from assigned experts and the
 * bureaus above the asker, the directory assigns experts to schemes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../infra/local/api-client.ts';
import { createEnterprise, createTextileScheme, creditCode } from '../support/fixtures.ts';
import { startTestPlatform, type TestPlatform } from '../support/platform.ts';

let t: TestPlatform;
let scheme: { id: string };
let zhejiang: ApiClient;
let jiangsu: ApiClient;
let hangzhou: ApiClient;
let ningbo: ApiClient;
let hzCompany: ApiClient;
let nbCompany: ApiClient;
let szCompany: ApiClient;
let expert: ApiClient;
let otherExpert: ApiClient;
let expertId: string;
const hzCode = creditCode('330106', 301);
const nbCode = creditCode('330206', 302);
const szCode = creditCode('320505', 303);

interface Notice {
  id: string;
  status: string;
  version: number;
  audience: { divisionCode?: string; roles: string[] };
  publishedAt?: string;
}
interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
interface Problem {
  type: string;
  errors?: { path: string; code: string }[];
}

beforeAll(async () => {
  t = await startTestPlatform();
  scheme = await createTextileScheme(t.admin);
  zhejiang = await t.clientFor(t.admin, 'province', '330000');
  jiangsu = await t.clientFor(t.admin, 'province', '320000');
  hangzhou = await t.clientFor(zhejiang, 'city', '330100');
  ningbo = await t.clientFor(zhejiang, 'city', '330200');
  await createEnterprise(hangzhou, hzCode, '330106', '杭州问答纺织有限公司');
  await createEnterprise(ningbo, nbCode, '330206', '宁波问答纺织有限公司');
  await createEnterprise(jiangsu, szCode, '320505', '苏州问答纺织有限公司');
  hzCompany = await t.clientFor(hangzhou, 'enterprise', hzCode);
  nbCompany = await t.clientFor(ningbo, 'enterprise', nbCode);
  szCompany = await t.clientFor(jiangsu, 'enterprise', szCode);
  const assigned = await t.admin.call<{ id: string }>('POST', '/v1/experts', {
    name: '王工', fields: ['纺织服装', '婴幼儿用品'], divisionCode: '330100', schemeIds: [scheme.id],
  });
  expertId = assigned.id;
  const unassigned = await t.admin.call<{ id: string }>('POST', '/v1/experts', {
    name: '李工', fields: ['照明电器'], divisionCode: '320500',
  });
  expert = await t.clientFor(t.admin, 'expert', expertId);
  otherExpert = await t.clientFor(t.admin, 'expert', unassigned.id);
}, 120_000);

afterAll(async () => {
  await t?.platform.stop();
});

const inbox = async (client: ApiClient) =>
  (await client.call<Page<Notice>>('GET', '/v1/notices?limit=100')).items.map((n) => n.id);

async function publishedNotice(author: ApiClient, body: Record<string, unknown>): Promise<Notice> {
  const draft = await author.call<Notice>('POST', '/v1/notices', { title: '通知', body: '正文\n第二段', ...body });
  return author.call<Notice>('POST', `/v1/notices/${draft.id}/publish`);
}

describe('notices', () => {
  it('reaches everyone when national addresses no division', async () => {
    const notice = await publishedNotice(t.admin, { title: '全国通知', audience: {} });
    expect(notice).toMatchObject({ status: 'published', audience: { roles: [] } });
    for (const reader of [t.admin, zhejiang, jiangsu, hangzhou, hzCompany, szCompany, expert]) {
      expect(await inbox(reader)).toContain(notice.id);
      expect((await reader.request('GET', `/v1/notices/${notice.id}`)).status).toBe(200);
    }
  });

  it('reaches a province and everything below it, and nobody else', async () => {
    const notice = await publishedNotice(zhejiang, { title: '浙江省通知', audience: {} });
    expect(notice.audience.divisionCode).toBe('330000');
    for (const reader of [zhejiang, hangzhou, ningbo, hzCompany, nbCompany, expert]) {
      expect(await inbox(reader)).toContain(notice.id);
    }
    for (const reader of [jiangsu, szCompany, otherExpert, t.admin]) {
      expect(await inbox(reader)).not.toContain(notice.id);
    }
    expect((await jiangsu.request('GET', `/v1/notices/${notice.id}`)).status).toBe(404);
    expect((await szCompany.request('GET', `/v1/notices/${notice.id}`)).status).toBe(404);
    // National manages every notice: it reads it by id though it is not addressed.
    expect((await t.admin.request('GET', `/v1/notices/${notice.id}`)).status).toBe(200);
  });

  it('narrows to a city and a role', async () => {
    const notice = await publishedNotice(zhejiang, { title: '杭州企业通知', audience: { divisionCode: '330100', roles: ['enterprise'] } });
    expect(await inbox(hzCompany)).toContain(notice.id);
    for (const reader of [hangzhou, zhejiang, ningbo, nbCompany, szCompany, expert]) {
      expect(await inbox(reader)).not.toContain(notice.id);
    }
    expect((await hangzhou.request('GET', `/v1/notices/${notice.id}`)).status).toBe(404);
    expect((await nbCompany.request('GET', `/v1/notices/${notice.id}`)).status).toBe(404);
  });

  it('keeps a province inside itself and cities and enterprises from publishing', async () => {
    const outside = await zhejiang.request<Problem>('POST', '/v1/notices', { title: 'x', body: 'y', audience: { divisionCode: '320000' } });
    expect(outside.status).toBe(422);
    expect(outside.body.errors).toContainEqual(expect.objectContaining({ path: 'audience.divisionCode', code: 'not_in_territory' }));
    expect((await hangzhou.request('POST', '/v1/notices', { title: 'x', body: 'y', audience: {} })).status).toBe(403);
    expect((await hzCompany.request('POST', '/v1/notices', { title: 'x', body: 'y', audience: {} })).status).toBe(403);
    const badRole = await t.admin.request<Problem>('POST', '/v1/notices', { title: 'x', body: 'y', audience: { roles: ['mayor'] } });
    expect(badRole.status).toBe(422);
    expect(badRole.body.errors?.[0]?.path).toBe('audience.roles.0');
    const noBody = await t.admin.request<Problem>('POST', '/v1/notices', { title: 'x', body: '   ', audience: {} });
    expect(noBody.body.errors?.[0]).toMatchObject({ path: 'body', code: 'too_small' });
  });

  it('hides drafts and archived notices from readers, moving draft -> published -> archived only', async () => {
    const draft = await zhejiang.call<Notice>('POST', '/v1/notices', { title: '草稿', body: '正文', audience: {} });
    expect(draft.status).toBe('draft');
    expect(await inbox(hangzhou)).not.toContain(draft.id);
    expect((await hangzhou.request('GET', `/v1/notices/${draft.id}`)).status).toBe(404);
    expect((await zhejiang.request('POST', `/v1/notices/${draft.id}/archive`)).status).toBe(409);
    // Another province cannot publish it: it does not exist for it.
    expect((await jiangsu.request('POST', `/v1/notices/${draft.id}/publish`)).status).toBe(404);
    expect((await hangzhou.request('POST', `/v1/notices/${draft.id}/publish`)).status).toBe(403);

    const published = await zhejiang.call<Notice>('POST', `/v1/notices/${draft.id}/publish`);
    expect(published.version).toBe(2);
    expect(await inbox(hangzhou)).toContain(draft.id);
    expect((await zhejiang.request('POST', `/v1/notices/${draft.id}/publish`)).status).toBe(409);

    const archived = await zhejiang.call<Notice>('POST', `/v1/notices/${draft.id}/archive`);
    expect(archived.status).toBe('archived');
    expect(await inbox(hangzhou)).not.toContain(draft.id);
    const authored = await zhejiang.call<Page<Notice>>('GET', '/v1/notices?scope=authored&status=archived&limit=100');
    expect(authored.items.map((n) => n.id)).toContain(draft.id);
    const jiangsuAuthored = await jiangsu.call<Page<Notice>>('GET', '/v1/notices?scope=authored&limit=100');
    expect(jiangsuAuthored.items.map((n) => n.id)).not.toContain(draft.id);
  });

  it('changes a draft only with If-Match, and never once published', async () => {
    const draft = await zhejiang.call<Notice>('POST', '/v1/notices', { title: '待改', body: '正文', audience: {} });
    const body = { title: '已改', body: '新正文', audience: { divisionCode: '330200' } };
    const withToken = async (ifMatch?: string) => {
      const response = await fetch(`${t.url}/v1/notices/${draft.id}`, {
        method: 'PUT',
        headers: {
          'Content-Type': 'application/json',
          Authorization: `Bearer ${await zhejiang.accessToken()}`,
          ...(ifMatch ? { 'If-Match': ifMatch } : {}),
        },
        body: JSON.stringify(body),
      });
      return { status: response.status, body: (await response.json()) as Notice, etag: response.headers.get('etag') };
    };
    expect((await withToken()).status).toBe(428);
    expect((await withToken('"7"')).status).toBe(412);
    const changed = await withToken('"1"');
    expect(changed.status).toBe(200);
    expect(changed.etag).toBe('"2"');
    expect(changed.body).toMatchObject({ version: 2, audience: { divisionCode: '330200' } });
    await zhejiang.call('POST', `/v1/notices/${draft.id}/publish`);
    expect(await inbox(ningbo)).toContain(draft.id);
    expect(await inbox(hangzhou)).not.toContain(draft.id);
    expect((await withToken('"3"')).status).toBe(409);
  });

  it('shows public notices without a token, and only those', async () => {
    const open = await publishedNotice(zhejiang, { title: '公开通知', audience: {}, public: true });
    const internal = await publishedNotice(zhejiang, { title: '内部通知', audience: {} });
    const unpublished = await zhejiang.call<Notice>('POST', '/v1/notices', { title: '公开草稿', body: '正文', audience: {}, public: true });
    const list = await t.fetch('/v1/public/notices?limit=100');
    expect(list.status).toBe(200);
    const ids = ((await list.json()) as Page<{ id: string; title: string; audience?: unknown }>).items.map((n) => n.id);
    expect(ids).toContain(open.id);
    expect(ids).not.toContain(internal.id);
    expect(ids).not.toContain(unpublished.id);
    const one = await t.fetch(`/v1/public/notices/${open.id}`);
    expect(await one.json()).toMatchObject({ id: open.id, title: '公开通知', body: '正文\n第二段', author: { role: 'province', territory: '330000' } });
    expect((await t.fetch(`/v1/public/notices/${internal.id}`)).status).toBe(404);
    await zhejiang.call('POST', `/v1/notices/${open.id}/archive`);
    expect((await t.fetch(`/v1/public/notices/${open.id}`)).status).toBe(404);
    const after = (await (await t.fetch('/v1/public/notices?limit=100')).json()) as Page<{ id: string }>;
    expect(after.items.map((n) => n.id)).not.toContain(open.id);
  });

  it('pages a reader’s notices newest first across its audiences, without repeats', async () => {
    const ids: string[] = [];
    for (const [author, audience] of [
      [t.admin, {}],
      [zhejiang, { divisionCode: '330100' }],
      [zhejiang, {}],
      [zhejiang, { divisionCode: '330106' }],
      [t.admin, { divisionCode: '330000' }],
      [zhejiang, { divisionCode: '330200' }], // not Hangzhou's
      [zhejiang, { divisionCode: '330100', roles: ['city'] }], // not an enterprise's
    ] as const) {
      ids.push((await publishedNotice(author, { title: '分页', audience })).id);
    }
    const seen: Notice[] = [];
    let cursor: string | null = null;
    do {
      const page: Page<Notice> = await hzCompany.call('GET', `/v1/notices?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    const seenIds = seen.map((n) => n.id);
    expect(new Set(seenIds).size).toBe(seenIds.length);
    expect(seenIds).toEqual(expect.arrayContaining(ids.slice(0, 5)));
    expect(seenIds).not.toContain(ids[5]);
    expect(seenIds).not.toContain(ids[6]);
    const times = seen.map((n) => `${n.publishedAt}#${n.id}`);
    expect(times).toEqual([...times].sort().reverse());
    expect((await hzCompany.request('GET', '/v1/notices?cursor=bm9wZQ')).status).toBe(422);
  });
});

interface Thread {
  id: string;
  status: string;
  answerCount: number;
  acceptedAnswerId: string | null;
  public: boolean;
  answers: { id: string; author: { role: string; name?: string }; accepted: boolean }[];
}

describe('questions and answers', () => {
  let thread: Thread;

  beforeAll(async () => {
    thread = await hzCompany.call<Thread>('POST', '/v1/threads', {
      schemeId: scheme.id, title: 'pH 值的测试方法', body: '请问 pH 值按哪个标准测试？',
    });
  });

  it('lets an enterprise ask about a scheme that exists', async () => {
    expect(thread).toMatchObject({ status: 'open', answerCount: 0, acceptedAnswerId: null, public: false, answers: [] });
    const unknown = await hzCompany.request<Problem>('POST', '/v1/threads', { schemeId: 'nope', title: 'x', body: 'y' });
    expect(unknown.status).toBe(422);
    expect(unknown.body.errors?.[0]).toMatchObject({ path: 'schemeId', code: 'unknown_scheme' });
    expect((await hangzhou.request('POST', '/v1/threads', { schemeId: scheme.id, title: 'x', body: 'y' })).status).toBe(403);
  });

  it('shows the thread to the asker, the bureaus above it and the scheme’s experts only', async () => {
    for (const reader of [hzCompany, hangzhou, zhejiang, t.admin, expert]) {
      expect((await reader.request('GET', `/v1/threads/${thread.id}`)).status).toBe(200);
    }
    for (const reader of [nbCompany, szCompany, ningbo, jiangsu, otherExpert]) {
      expect((await reader.request('GET', `/v1/threads/${thread.id}`)).status).toBe(404);
    }
    const list = async (client: ApiClient) => (await client.call<Page<Thread>>('GET', '/v1/threads?limit=100')).items.map((x) => x.id);
    for (const reader of [hzCompany, hangzhou, zhejiang, t.admin, expert]) expect(await list(reader)).toContain(thread.id);
    for (const reader of [nbCompany, ningbo, jiangsu, otherExpert, szCompany]) expect(await list(reader)).not.toContain(thread.id);
    const bySchemeInJiangsu = await t.admin.call<Page<Thread>>('GET', `/v1/threads?schemeId=${scheme.id}&divisionCode=320000`);
    expect(bySchemeInJiangsu.items).toEqual([]);
  });

  it('takes answers from the assigned expert and the bureaus above, and from nobody else', async () => {
    const answer = await expert.request<{ id: string; author: { role: string; name: string } }>('POST', `/v1/threads/${thread.id}/answers`, {
      body: '按 GB/T 7573 测试。',
    });
    expect(answer.status).toBe(201);
    expect(answer.body.author).toMatchObject({ role: 'expert', name: '王工' });
    expect((await hangzhou.request('POST', `/v1/threads/${thread.id}/answers`, { body: '同意专家意见。' })).status).toBe(201);
    expect((await otherExpert.request('POST', `/v1/threads/${thread.id}/answers`, { body: 'x' })).status).toBe(404);
    expect((await ningbo.request('POST', `/v1/threads/${thread.id}/answers`, { body: 'x' })).status).toBe(404);
    expect((await jiangsu.request('POST', `/v1/threads/${thread.id}/answers`, { body: 'x' })).status).toBe(404);
    expect((await hzCompany.request('POST', `/v1/threads/${thread.id}/answers`, { body: 'x' })).status).toBe(403);
    const now = await hzCompany.call<Thread>('GET', `/v1/threads/${thread.id}`);
    expect(now).toMatchObject({ status: 'answered', answerCount: 2 });
    expect(now.answers.map((a) => a.author.role)).toEqual(['expert', 'city']);
  });

  it('lets the asker accept one answer, and only the asker', async () => {
    const current = await hzCompany.call<Thread>('GET', `/v1/threads/${thread.id}`);
    const [expertAnswer, cityAnswer] = current.answers as [Thread['answers'][0], Thread['answers'][0]];
    expect((await nbCompany.request('POST', `/v1/threads/${thread.id}/accept`, { answerId: expertAnswer.id })).status).toBe(404);
    expect((await zhejiang.request('POST', `/v1/threads/${thread.id}/accept`, { answerId: expertAnswer.id })).status).toBe(403);
    const unknown = await hzCompany.request<Problem>('POST', `/v1/threads/${thread.id}/accept`, { answerId: 'nope' });
    expect(unknown.status).toBe(422);
    expect(unknown.body.errors?.[0]).toMatchObject({ path: 'answerId', code: 'unknown_answer' });

    const accepted = await hzCompany.call<Thread>('POST', `/v1/threads/${thread.id}/accept`, { answerId: expertAnswer.id });
    expect(accepted).toMatchObject({ status: 'resolved', acceptedAnswerId: expertAnswer.id });
    expect(accepted.answers.find((a) => a.id === expertAnswer.id)!.accepted).toBe(true);
    expect((await hzCompany.request('POST', `/v1/threads/${thread.id}/accept`, { answerId: expertAnswer.id })).status).toBe(200);
    expect((await hzCompany.request('POST', `/v1/threads/${thread.id}/accept`, { answerId: cityAnswer.id })).status).toBe(409);
    const resolved = await expert.call<Page<Thread>>('GET', '/v1/threads?status=resolved');
    expect(resolved.items.map((x) => x.id)).toContain(thread.id);
  });

  it('is made public by a bureau above the asker, without showing who asked', async () => {
    expect((await jiangsu.request('POST', `/v1/threads/${thread.id}/publish`)).status).toBe(404);
    expect((await expert.request('POST', `/v1/threads/${thread.id}/publish`)).status).toBe(403);
    expect((await hzCompany.request('POST', `/v1/threads/${thread.id}/publish`)).status).toBe(403);
    expect((await t.fetch(`/v1/public/threads/${thread.id}`)).status).toBe(404);
    const published = await hangzhou.call<Thread>('POST', `/v1/threads/${thread.id}/publish`);
    expect(published.public).toBe(true);
    const list = (await (await t.fetch(`/v1/public/threads?schemeId=${scheme.id}`)).json()) as Page<{ id: string }>;
    expect(list.items.map((x) => x.id)).toContain(thread.id);
    const view = (await (await t.fetch(`/v1/public/threads/${thread.id}`)).json()) as Record<string, unknown>;
    expect(view).toMatchObject({ id: thread.id, status: 'resolved', title: 'pH 值的测试方法' });
    expect(JSON.stringify(view)).not.toContain(hzCode);
    expect(JSON.stringify(view)).not.toContain('杭州问答纺织有限公司');
  });

  it('follows an expert’s assignments: unassigned, the thread is out of sight', async () => {
    const anotherThread = await hzCompany.call<Thread>('POST', '/v1/threads', { schemeId: scheme.id, title: '铅含量', body: '限量是多少？' });
    const current = await t.admin.call<{ version: number; name: string; fields: string[]; divisionCode: string }>('GET', `/v1/experts/${expertId}`);
    const response = await fetch(`${t.url}/v1/experts/${expertId}`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${await t.admin.accessToken()}`, 'If-Match': `"${current.version}"` },
      body: JSON.stringify({ name: current.name, fields: current.fields, divisionCode: current.divisionCode, schemeIds: [] }),
    });
    expect(response.status).toBe(200);
    expect((await expert.request('GET', `/v1/threads/${anotherThread.id}`)).status).toBe(404);
    expect((await expert.request('POST', `/v1/threads/${anotherThread.id}/answers`, { body: 'x' })).status).toBe(404);
    const assigned = await t.admin.call<Page<{ id: string }>>('GET', `/v1/experts?schemeId=${scheme.id}`);
    expect(assigned.items.map((e) => e.id)).not.toContain(expertId);
  });
});

describe('directory', () => {
  it('lists experts by scheme, field and division; national writes, others read', async () => {
    const created = await t.admin.call<{ id: string; schemeIds: string[] }>('POST', '/v1/institutions', {
      name: '浙江省纺织测试研究院', fields: ['纺织服装'], divisionCode: '330100', schemeIds: [scheme.id],
    });
    expect(created.schemeIds).toEqual([scheme.id]);
    const byScheme = await hzCompany.call<Page<{ id: string }>>('GET', `/v1/institutions?schemeId=${scheme.id}`);
    expect(byScheme.items.map((m) => m.id)).toEqual([created.id]);
    const inJiangsu = await hzCompany.call<Page<{ id: string }>>('GET', `/v1/institutions?divisionCode=320000`);
    expect(inJiangsu.items).toEqual([]);
    const byField = await expert.call<Page<{ id: string }>>('GET', `/v1/experts?field=${encodeURIComponent('照明电器')}`);
    expect(byField.items.length).toBe(1);
    expect((await zhejiang.request('POST', '/v1/experts', { name: 'x', fields: ['y'], divisionCode: '330100' })).status).toBe(403);
  });

  it('refuses unknown and repeated schemes, naming the entry', async () => {
    const response = await t.admin.request<Problem>('POST', '/v1/experts', {
      name: '赵工', fields: ['纺织服装'], divisionCode: '330100', schemeIds: [scheme.id, 'missing', scheme.id],
    });
    expect(response.status).toBe(422);
    expect(response.body.errors).toEqual([
      expect.objectContaining({ path: 'schemeIds.1', code: 'unknown_scheme' }),
      expect.objectContaining({ path: 'schemeIds.2', code: 'duplicate_scheme_id' }),
    ]);
    expect((await t.admin.request('GET', '/v1/experts/missing')).status).toBe(404);
  });

  it('registers expert clients only for experts in the directory', async () => {
    const unknown = await t.admin.request<Problem>('POST', '/v1/clients', { name: '无名专家', role: 'expert', territory: 'no-such-expert' });
    expect(unknown.status).toBe(422);
    expect(unknown.body.errors?.[0]).toMatchObject({ path: 'territory', code: 'unknown_expert' });
  });
});

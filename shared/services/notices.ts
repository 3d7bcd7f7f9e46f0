/**
 * Notices: national and provincial bureaus write drafts, publish them to an
 * audience and archive them; readers see the published notices addressed to
 * them; public ones are published without a token as well. Attachments are
 * materials owned by the notice (shared/services/materials.ts), added while
 * it is a draft.
 */
import { ulid } from 'ulid';
import type * as z from 'zod/mini';
import {
  audienceDivisionsOf,
  authorAudience,
  canManageNotice,
  canTransition,
  isAddressedTo,
  type NoticeAction,
  type Reader,
} from '../domain/notices.ts';
import type { Principal } from '../domain/territory.ts';
import { conflict, fromDomainIssues, notFound } from '../http/errors.ts';
import type { NoticeBody } from '../schemas/notices.ts';
import { getMember } from '../store/directory.ts';
import { getEnterprise } from '../store/enterprises.ts';
import {
  getNotice,
  insertNotice,
  listAddressedNotices,
  listAuthoredNotices,
  type NoticeRecord,
  saveNotice,
} from '../store/notices.ts';
import { nowIso, type Page } from '../store/table.ts';

type NoticeInput = z.output<typeof NoticeBody>;

function completeAudience(principal: Principal, input: NoticeInput) {
  const checked = authorAudience(principal, input.audience);
  if (!checked.ok) throw fromDomainIssues([checked.issue]);
  return checked.audience;
}

export async function createNotice(principal: Principal, input: NoticeInput): Promise<NoticeRecord> {
  const now = nowIso();
  const notice: NoticeRecord = {
    id: ulid(),
    title: input.title,
    body: input.body,
    audience: completeAudience(principal, input),
    public: input.public ?? false,
    status: 'draft',
    author: { role: principal.role === 'national' ? 'national' : 'province', territory: principal.territory },
    version: 1,
    createdAt: now,
    updatedAt: now,
    createdBy: principal.clientId,
  };
  await insertNotice(notice);
  return notice;
}

/** Where the principal reads from (see Reader). */
export async function readerOf(principal: Principal): Promise<Reader> {
  switch (principal.role) {
    case 'national':
      return { role: principal.role, division: null };
    case 'province':
    case 'city':
      return { role: principal.role, division: principal.territory };
    case 'enterprise':
      return { role: principal.role, division: (await getEnterprise(principal.territory))?.divisionCode ?? null };
    case 'expert':
      return { role: principal.role, division: (await getMember('expert', principal.territory))?.divisionCode ?? null };
  }
}

/**
 * A notice the principal may read: one it manages (any status), or a
 * published or archived one addressed to it. Anything else is 404. `manages`
 * tells the two apart (managers also see attachments still being checked).
 */
export async function noticeAccess(principal: Principal, id: string): Promise<{ notice: NoticeRecord; manages: boolean }> {
  const notice = await getNotice(id);
  if (notice) {
    if (canManageNotice(principal, notice.author)) return { notice, manages: true };
    if (notice.status !== 'draft' && isAddressedTo(notice.audience, await readerOf(principal))) return { notice, manages: false };
  }
  throw notFound('notice');
}

export async function readableNotice(principal: Principal, id: string): Promise<NoticeRecord> {
  return (await noticeAccess(principal, id)).notice;
}

/** A notice the principal manages, or 404. */
export async function managedNotice(principal: Principal, id: string, consistent = false): Promise<NoticeRecord> {
  const notice = await getNotice(id, consistent);
  if (!notice || !canManageNotice(principal, notice.author)) throw notFound('notice');
  return notice;
}

const conflictFor = (action: NoticeAction) =>
  conflict(action === 'archive' ? 'detail.notice_not_published' : 'detail.notice_not_draft');

/** A new draft text of `current` (read by the caller, If-Match checked against it). */
export async function editNotice(principal: Principal, current: NoticeRecord, input: NoticeInput): Promise<NoticeRecord> {
  if (!canTransition(current.status, 'edit')) throw conflictFor('edit');
  const next: NoticeRecord = {
    ...current,
    title: input.title,
    body: input.body,
    audience: completeAudience(principal, input),
    public: input.public ?? false,
    version: current.version + 1,
    updatedAt: nowIso(),
  };
  if ((await saveNotice(next, current.version)) === 'stale') throw conflict('detail.concurrent_update');
  return next;
}

const MAX_ATTEMPTS = 3;

/** draft -> published, or published -> archived; 409 from any other status. */
export async function transitionNotice(principal: Principal, id: string, action: 'publish' | 'archive'): Promise<NoticeRecord> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const current = await managedNotice(principal, id, attempt > 0);
    if (!canTransition(current.status, action)) throw conflictFor(action);
    const now = nowIso();
    const next: NoticeRecord = {
      ...current,
      status: action === 'publish' ? 'published' : 'archived',
      ...(action === 'publish' ? { publishedAt: now } : { archivedAt: now }),
      version: current.version + 1,
      updatedAt: now,
    };
    if ((await saveNotice(next, current.version)) === 'saved') return next;
  }
  throw conflict('detail.concurrent_update');
}

/** The notices listed at GET /v1/notices for the principal. */
export async function listNotices(
  principal: Principal,
  query: { scope: 'addressed' | 'authored'; status?: NoticeRecord['status']; limit: number; cursor?: string },
): Promise<Page<NoticeRecord>> {
  if (query.scope === 'authored') {
    // Only bureaus that write notices have an outbox.
    if (principal.role !== 'national' && principal.role !== 'province') return { items: [], nextCursor: null };
    return listAuthoredNotices({
      territory: principal.role === 'national' ? null : principal.territory,
      status: query.status,
      limit: query.limit,
      cursor: query.cursor,
    });
  }
  // The addressed list holds published notices only.
  if (query.status && query.status !== 'published') return { items: [], nextCursor: null };
  const reader = await readerOf(principal);
  return listAddressedNotices({
    divisions: audienceDivisionsOf(reader.division),
    role: reader.role,
    limit: query.limit,
    cursor: query.cursor,
  });
}

/**
 * Notices (情况通报, 信息发布): who may address whom, who reads what, and the
 * draft -> published -> archived life of a notice. Pure: no I/O.
 */
import { divisionLevel, isValidDivisionCode, isWithinDivision } from './division-code.ts';
import type { DomainIssue } from './issues.ts';
import type { Principal, Role } from './territory.ts';

export type NoticeStatus = 'draft' | 'published' | 'archived';

export interface Audience {
  /** Absent: everyone. A division code: that territory and below. */
  divisionCode?: string;
  /** Empty: every role. Otherwise only these roles. */
  roles: Role[];
}

/** The bureau that wrote a notice: national, or a province by its code. */
export interface NoticeAuthor {
  role: 'national' | 'province';
  territory: string;
}

/**
 * The audience an author may address, completed: national anywhere; a
 * province within itself, its own province when it names none.
 */
export function authorAudience(
  author: Principal,
  requested: { divisionCode?: string; roles?: Role[] },
): { ok: true; audience: Audience } | { ok: false; issue: DomainIssue } {
  const roles = [...new Set(requested.roles ?? [])];
  if (author.role === 'national') {
    return { ok: true, audience: { ...(requested.divisionCode ? { divisionCode: requested.divisionCode } : {}), roles } };
  }
  const divisionCode = requested.divisionCode ?? author.territory;
  if (author.role !== 'province' || !isWithinDivision(divisionCode, author.territory)) {
    return { ok: false, issue: { path: ['audience', 'divisionCode'], code: 'not_in_territory' } };
  }
  return { ok: true, audience: { divisionCode, roles } };
}

/** National manages every notice; a province the ones it wrote. */
export function canManageNotice(principal: Principal, author: NoticeAuthor): boolean {
  if (principal.role === 'national') return true;
  return principal.role === 'province' && author.role === 'province' && author.territory === principal.territory;
}

/** Where a reader is: a bureau its territory, an enterprise or expert where it is registered; national nowhere below. */
export interface Reader {
  role: Role;
  division: string | null;
}

/** Whether a notice's audience includes the reader. */
export function isAddressedTo(audience: Audience, reader: Reader): boolean {
  if (audience.roles.length > 0 && !audience.roles.includes(reader.role)) return false;
  if (!audience.divisionCode) return true;
  return reader.division !== null && isWithinDivision(reader.division, audience.divisionCode);
}

/**
 * The audience division codes that include a reader at `division`: its
 * province, city and county (as far as it goes); an audience of everyone is
 * `null`. '330106' -> [null, '330000', '330100', '330106'].
 */
export function audienceDivisionsOf(division: string | null): (string | null)[] {
  const out: (string | null)[] = [null];
  if (division === null || !isValidDivisionCode(division)) return out;
  out.push(`${division.slice(0, 2)}0000`);
  const level = divisionLevel(division);
  if (level !== 'province') out.push(`${division.slice(0, 4)}00`);
  if (level === 'county') out.push(division);
  return out;
}

export type NoticeAction = 'edit' | 'publish' | 'archive';

/** draft -> published -> archived; only a draft is edited. */
export function canTransition(status: NoticeStatus, action: NoticeAction): boolean {
  switch (action) {
    case 'edit':
    case 'publish':
      return status === 'draft';
    case 'archive':
      return status === 'published';
  }
}

/** Attachments are added while a notice is a draft: what was published is what readers got. */
export const acceptsAttachments = (status: NoticeStatus) => status === 'draft';

/**
 * A verified attachment as the notice item keeps it. The verification appends
 * it to the notice in the same transaction that marks the material verified,
 * so every notice view (lists included) shows attachments without reading the
 * materials; at most MAX_MATERIALS_PER_OWNER of them, a few KB.
 */
export interface NoticeAttachment {
  /** The material id. */
  id: string;
  fileName: string;
  contentType: string;
  size: number;
  sha256: string;
}

export const noticeAttachmentOf = (material: NoticeAttachment): NoticeAttachment => ({
  id: material.id,
  fileName: material.fileName,
  contentType: material.contentType,
  size: material.size,
  sha256: material.sha256,
});

/**
 * Which attachments a reader of a notice sees: its managers every upload with
 * its status (waiting, verified, rejected with the reason); its audience the
 * verified ones only.
 */
export const visibleAttachmentStatuses = (manages: boolean): 'all' | 'verified' => (manages ? 'all' : 'verified');

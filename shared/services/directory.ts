/**
 * The directory of experts and institutions (national writes, every role
 * reads), and the schemes an expert principal is assigned to.
 */
import { ulid } from 'ulid';
import type * as z from 'zod/mini';
import type { Principal } from '../domain/territory.ts';
import { preconditionFailed, validationFailed, type FieldIssue } from '../http/errors.ts';
import type { ExpertBody } from '../schemas/directory.ts';
import { existingSchemeIds, getMember, type MemberRecord, type MemberType, saveMember } from '../store/directory.ts';
import { nowIso } from '../store/table.ts';

type MemberInput = z.output<typeof ExpertBody>;

/** Every scheme id must exist and appear once (422 naming `schemeIds.<i>`). */
async function checkedSchemeIds(ids: string[] = []): Promise<string[]> {
  const known = await existingSchemeIds(ids);
  const issues: FieldIssue[] = [];
  ids.forEach((id, i) => {
    if (ids.indexOf(id) !== i) issues.push({ path: ['schemeIds', i], code: 'duplicate_scheme_id', params: { schemeId: id } });
    else if (!known.has(id)) issues.push({ path: ['schemeIds', i], code: 'unknown_scheme' });
  });
  if (issues.length > 0) throw validationFailed(issues);
  return ids;
}

export async function createMember(type: MemberType, principal: Principal, input: MemberInput): Promise<MemberRecord> {
  const now = nowIso();
  const member: MemberRecord = {
    id: ulid(),
    name: input.name,
    fields: [...new Set(input.fields)],
    divisionCode: input.divisionCode,
    schemeIds: await checkedSchemeIds(input.schemeIds),
    version: 1,
    createdAt: now,
    updatedAt: now,
    updatedBy: principal.clientId,
  };
  await saveMember(type, member);
  return member;
}

/** A new version of `current` (read by the caller, If-Match checked against it). */
export async function updateMember(
  type: MemberType,
  principal: Principal,
  current: MemberRecord,
  input: MemberInput,
): Promise<MemberRecord> {
  const next: MemberRecord = {
    ...current,
    name: input.name,
    fields: [...new Set(input.fields)],
    divisionCode: input.divisionCode,
    schemeIds: await checkedSchemeIds(input.schemeIds),
    version: current.version + 1,
    updatedAt: nowIso(),
    updatedBy: principal.clientId,
  };
  if ((await saveMember(type, next, current)) === 'stale') throw preconditionFailed();
  return next;
}

/** The schemes an expert principal answers for; none for other roles. */
export async function assignedSchemes(principal: Principal): Promise<string[]> {
  if (principal.role !== 'expert') return [];
  return (await getMember('expert', principal.territory))?.schemeIds ?? [];
}

/**
 * The directory's handlers, one set per member type (experts, institutions):
 * the route files are one line each. National writes; every role reads.
 */
import { created, etag, httpHandler, ok } from '../../shared/http/handler.ts';
import { notFound } from '../../shared/http/errors.ts';
import { ifMatchPresent, requireIfMatch } from '../../shared/http/if-match.ts';
import { presentMember } from '../../shared/http/information-presenters.ts';
import { ExpertBody, InstitutionBody, ListMembersQuery, MemberParams } from '../../shared/schemas/directory.ts';
import { createMember, updateMember } from '../../shared/services/directory.ts';
import { getMember, listMembers, type MemberType } from '../../shared/store/directory.ts';

const everyone = ['national', 'province', 'city', 'enterprise', 'expert'] as const;
const path = (type: MemberType) => (type === 'expert' ? '/v1/experts' : '/v1/institutions');
const bodyOf = (type: MemberType) => (type === 'expert' ? ExpertBody : InstitutionBody);

export const createMemberHandler = (type: MemberType) =>
  httpHandler({ body: bodyOf(type), roles: ['national'], idempotent: true }, async ({ body, principal }) => {
    const member = await createMember(type, principal, body);
    return created(`${path(type)}/${member.id}`, presentMember(member), { ETag: etag(member.version) });
  });

export const updateMemberHandler = (type: MemberType) =>
  httpHandler({ params: MemberParams, body: bodyOf(type), roles: ['national'] }, async ({ params, body, principal, event }) => {
    ifMatchPresent(event);
    const current = await getMember(type, params.id);
    if (!current) throw notFound(type);
    requireIfMatch(event, current.version);
    const member = await updateMember(type, principal, current, body);
    return ok(presentMember(member), { ETag: etag(member.version) });
  });

export const getMemberHandler = (type: MemberType) =>
  httpHandler({ params: MemberParams, roles: everyone }, async ({ params }) => {
    const member = await getMember(type, params.id);
    if (!member) throw notFound(type);
    return ok(presentMember(member), { ETag: etag(member.version) });
  });

export const listMembersHandler = (type: MemberType) =>
  httpHandler({ query: ListMembersQuery, roles: everyone }, async ({ query }) => {
    const page = await listMembers(type, {
      division: query.divisionCode ?? null,
      field: query.field,
      schemeId: query.schemeId,
      limit: query.limit,
      cursor: query.cursor,
    });
    return ok({ items: page.items.map(presentMember), nextCursor: page.nextCursor });
  });

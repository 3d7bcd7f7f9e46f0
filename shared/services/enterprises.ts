/**
 * Registering an enterprise: by a national, province or city bureau, within its
 * territory. POST /v1/enterprises does it alone; a declaration or a batch row
 * does it for an enterprise declaring for the first time.
 */
import { canSeeDivision, type Principal } from '../domain/territory.ts';
import { invalidField } from '../http/errors.ts';
import type { EnterpriseRecord } from '../store/enterprises.ts';
import { nowIso } from '../store/table.ts';

export interface EnterpriseInput {
  creditCode: string;
  name: string;
  divisionCode: string;
  industry: string;
  tags?: EnterpriseRecord['tags'];
}

const REGISTRARS: ReadonlySet<Principal['role']> = new Set(['national', 'province', 'city']);

export const canRegisterEnterprises = (principal: Principal) => REGISTRARS.has(principal.role);

/** The record of an enterprise `principal` registers now (territory checked by the caller). */
export function enterpriseRecord(principal: Principal, input: EnterpriseInput, createdAt = nowIso()): EnterpriseRecord {
  return {
    creditCode: input.creditCode,
    name: input.name,
    divisionCode: input.divisionCode,
    industry: input.industry,
    tags: input.tags ?? [],
    createdAt,
    createdBy: principal.clientId,
  };
}

/**
 * The record of a new enterprise, or a 422 naming `fieldPath` (its division
 * code) when the division lies outside the caller's territory.
 */
export function newEnterprise(principal: Principal, input: EnterpriseInput, fieldPath: string[] = ['divisionCode']): EnterpriseRecord {
  if (!canSeeDivision(principal, input.divisionCode)) throw invalidField(fieldPath, 'not_in_territory');
  return enterpriseRecord(principal, input);
}

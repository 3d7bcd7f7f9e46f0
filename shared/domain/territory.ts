/**
 * Territory rules: who may see what. A province sees what lies in its province,
 * a city what lies in its city, an enterprise its own records, national all.
 */
import { isWithinDivision } from './division-code.ts';

export type Role = 'national' | 'province' | 'city' | 'enterprise' | 'expert';

export interface Principal {
  clientId: string;
  role: Role;
  /** Division code (province, city), credit code (enterprise), expert id, or '' (national). */
  territory: string;
}

export interface TerritorialRecord {
  creditCode: string;
  divisionCode: string;
}

export function canSeeDivision(principal: Principal, divisionCode: string): boolean {
  switch (principal.role) {
    case 'national':
      return true;
    case 'province':
    case 'city':
      return isWithinDivision(divisionCode, principal.territory);
    default:
      return false;
  }
}

/** Whether the principal may see a record of an enterprise (the enterprise itself, a declaration...). */
export function canSeeEnterpriseRecord(principal: Principal, record: TerritorialRecord): boolean {
  if (principal.role === 'enterprise') return record.creditCode === principal.territory;
  return canSeeDivision(principal, record.divisionCode);
}

/** Bureaus and national act for enterprises of their territory; an enterprise for itself. */
export const canActForEnterprise = canSeeEnterpriseRecord;

/**
 * The division a list is confined to: a bureau's own territory, or the
 * requested filter when it lies inside it. `null` means "everything" (national
 * without a filter); `undefined` means the filter lies outside: an empty list.
 */
export function confineDivision(
  principal: Principal,
  requested: string | undefined,
): string | null | undefined {
  if (principal.role === 'national') return requested ?? null;
  if (principal.role === 'province' || principal.role === 'city') {
    if (!requested) return principal.territory;
    if (isWithinDivision(requested, principal.territory)) return requested;
    // A filter wider than the territory still means "within": narrow it.
    if (isWithinDivision(principal.territory, requested)) return principal.territory;
    return undefined;
  }
  return undefined;
}

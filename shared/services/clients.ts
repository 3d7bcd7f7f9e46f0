/** Who may register which API clients, and registering them. */
import { ulid } from 'ulid';
import { generateSecret, hashSecret } from '../auth/secrets.ts';
import { isValidCreditCode } from '../domain/credit-code.ts';
import { divisionLevel, isValidDivisionCode, isWithinDivision } from '../domain/division-code.ts';
import type { Principal, Role } from '../domain/territory.ts';
import { duplicate, forbidden, invalidField } from '../http/errors.ts';
import { type ClientRecord, putClient } from '../store/clients.ts';
import { getEnterprise } from '../store/enterprises.ts';
import { nowIso } from '../store/table.ts';

/** Roles each creator may create (api.md: national any; province city+enterprise; city enterprise). */
const creatable: Record<Role, readonly Role[]> = {
  national: ['national', 'province', 'city', 'enterprise', 'expert'],
  province: ['city', 'enterprise'],
  city: ['enterprise'],
  enterprise: [],
  expert: [],
};

/** The division a new client's territory lies in, after checking it fits the role. */
async function territoryDivision(role: Role, territory: string): Promise<string> {
  switch (role) {
    case 'national':
      if (territory !== '') throw invalidField(['territory'], 'invalid_territory');
      return '';
    case 'province':
    case 'city':
      if (!isValidDivisionCode(territory)) throw invalidField(['territory'], 'invalid_division_code');
      if (divisionLevel(territory) !== role) throw invalidField(['territory'], 'invalid_territory');
      return territory;
    case 'enterprise': {
      if (!isValidCreditCode(territory)) throw invalidField(['territory'], 'invalid_credit_code');
      const enterprise = await getEnterprise(territory);
      if (!enterprise) throw invalidField(['territory'], 'unknown_enterprise');
      return enterprise.divisionCode;
    }
    case 'expert':
      if (territory === '') throw invalidField(['territory'], 'required');
      return '';
  }
}

export async function registerClient(
  creator: Principal,
  input: { name: string; role: Role; territory: string; clientId?: string; secret?: string },
): Promise<{ client: ClientRecord; secret: string }> {
  if (!creatable[creator.role].includes(input.role)) throw forbidden(creator.role);
  const divisionCode = await territoryDivision(input.role, input.territory);
  if (creator.role !== 'national' && !isWithinDivision(divisionCode, creator.territory)) {
    // Outside the creator's territory: the enterprise or division is not theirs to see.
    throw invalidField(['territory'], 'not_in_territory');
  }
  const secret = input.secret ?? generateSecret();
  const client: ClientRecord = {
    clientId: input.clientId ?? `${input.role}-${ulid().toLowerCase()}`,
    name: input.name,
    role: input.role,
    territory: input.territory,
    divisionCode,
    secretHash: await hashSecret(secret),
    createdBy: creator.clientId,
    createdAt: nowIso(),
  };
  if ((await putClient(client)) === 'exists') throw duplicate('detail.duplicate_client', { clientId: client.clientId });
  return { client, secret };
}

export const BOOTSTRAP_CLIENT_ID = 'national-admin';

/**
 * The first national client, from which every other client is created. Used by
 * the local runtime at start and by the deployer's command on AWS.
 */
export async function ensureBootstrapClient(secret: string): Promise<'created' | 'exists'> {
  return putClient({
    clientId: BOOTSTRAP_CLIENT_ID,
    name: '国家级管理员 National administrator',
    role: 'national',
    territory: '',
    divisionCode: '',
    secretHash: await hashSecret(secret),
    createdBy: 'bootstrap',
    createdAt: nowIso(),
  });
}

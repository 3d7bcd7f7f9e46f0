/** Who may register, see, delete and rotate which API clients, and doing it. */
import { ulid } from 'ulid';
import { generateSecret, hashSecret } from '../auth/secrets.ts';
import { isValidCreditCode } from '../domain/credit-code.ts';
import { divisionLevel, isValidDivisionCode, isWithinDivision } from '../domain/division-code.ts';
import { confineDivision, type Principal, type Role } from '../domain/territory.ts';
import { AppError, conflict, duplicate, forbidden, invalidField, notFound } from '../http/errors.ts';
import {
  type ClientRecord,
  deleteClient,
  getClient,
  listClients,
  putClient,
  replaceSecret,
  setApiKey,
} from '../store/clients.ts';
import { getMember } from '../store/directory.ts';
import { getEnterprise } from '../store/enterprises.ts';
import type { Page } from '../store/table.ts';
import { nowIso } from '../store/table.ts';
import { deleteWebhooksOf } from '../store/webhooks.ts';
import { flushAuthorizerCache, provisionApiKey, revokeApiKey } from './api-keys.ts';

/** Roles each creator may create (api.md: national any; province city+enterprise; city enterprise). */
const creatable: Record<Role, readonly Role[]> = {
  national: ['national', 'province', 'city', 'enterprise', 'expert'],
  province: ['city', 'enterprise'],
  city: ['enterprise'],
  enterprise: [],
  expert: [],
};

/** A bureau sees the clients whose division lies in its territory; national sees all. */
function canSee(principal: Principal, client: ClientRecord): boolean {
  if (principal.role === 'national' || principal.clientId === client.clientId) return true;
  if (principal.role !== 'province' && principal.role !== 'city') return false;
  return isWithinDivision(client.divisionCode, principal.territory);
}

/** Deleting and rotating follow creating: the roles one may create, within one's territory. */
function canManage(principal: Principal, client: ClientRecord): boolean {
  return canSee(principal, client) && creatable[principal.role].includes(client.role);
}

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
      // An expert client acts as a directory entry: its territory is the expert's id.
      if (!(await getMember('expert', territory))) throw invalidField(['territory'], 'unknown_expert');
      return '';
  }
}

/** Writes the client with a fresh API key; the key is removed again if the write fails. */
async function storeWithApiKey(client: Omit<ClientRecord, 'apiKeyId' | 'apiKeyValue'>): Promise<ClientRecord> {
  const apiKey = await provisionApiKey(client.clientId);
  const record: ClientRecord = { ...client, ...apiKey };
  let outcome: 'created' | 'exists';
  try {
    outcome = await putClient(record);
  } catch (error) {
    await revokeApiKey(apiKey.apiKeyId).catch(() => undefined);
    throw error;
  }
  if (outcome === 'exists') {
    await revokeApiKey(apiKey.apiKeyId);
    throw duplicate('detail.duplicate_client', { clientId: client.clientId });
  }
  return record;
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
  const client = await storeWithApiKey({
    clientId: input.clientId ?? `${input.role}-${ulid().toLowerCase()}`,
    name: input.name,
    role: input.role,
    territory: input.territory,
    divisionCode,
    secretHash: await hashSecret(secret),
    credentialVersion: 1,
    createdBy: creator.clientId,
    createdAt: nowIso(),
  });
  return { client, secret };
}

/** The clients the caller may see; a filter outside its territory is an empty list. */
export async function listVisibleClients(
  principal: Principal,
  query: { divisionCode?: string; limit: number; cursor?: string },
): Promise<Page<ClientRecord>> {
  const division = confineDivision(principal, query.divisionCode);
  if (division === undefined) return { items: [], nextCursor: null };
  return listClients({ division, limit: query.limit, cursor: query.cursor });
}

async function manageableClient(principal: Principal, clientId: string): Promise<ClientRecord> {
  const client = await getClient(clientId);
  if (!client || !canSee(principal, client)) throw notFound('client');
  return client;
}

/**
 * Deletes a client: its tokens stop working at once (the authorizer checks the
 * client exists; cached authorizer results are flushed), its API key and its
 * webhooks go with it.
 */
export async function removeClient(principal: Principal, clientId: string): Promise<void> {
  const client = await manageableClient(principal, clientId);
  if (client.clientId === principal.clientId) throw conflict('detail.cannot_delete_self');
  if (!canManage(principal, client)) throw forbidden(principal.role);
  const deleted = await deleteClient(clientId);
  if (!deleted) throw notFound('client');
  await flushAuthorizerCache();
  await deleteWebhooksOf(clientId);
  if (deleted.apiKeyId) await revokeApiKey(deleted.apiKeyId);
}

/**
 * A new secret for the client (its own, or one it manages). The old secret and
 * every token issued with it stop working at once.
 */
export async function rotateClientSecret(principal: Principal, clientId: string): Promise<{ clientId: string; secret: string }> {
  const client = await manageableClient(principal, clientId);
  if (client.clientId !== principal.clientId && !canManage(principal, client)) throw forbidden(principal.role);
  const secret = generateSecret();
  // Clients registered before per-client keys existed get theirs now.
  const apiKey = client.apiKeyId ? undefined : await provisionApiKey(client.clientId);
  const updated = await replaceSecret(clientId, await hashSecret(secret), nowIso(), apiKey);
  if (!updated) {
    if (apiKey) await revokeApiKey(apiKey.apiKeyId);
    throw notFound('client');
  }
  await flushAuthorizerCache();
  return { clientId, secret };
}

export const BOOTSTRAP_CLIENT_ID = 'national-admin';

/**
 * The first national client, from which every other client is created. Used by
 * the local runtime at start and by the deployer's command on AWS. An existing
 * one without an API key (from before per-client throttling) gets one.
 */
export async function ensureBootstrapClient(secret: string): Promise<'created' | 'exists'> {
  const existing = await getClient(BOOTSTRAP_CLIENT_ID);
  if (existing) {
    if (!existing.apiKeyId) {
      const apiKey = await provisionApiKey(BOOTSTRAP_CLIENT_ID);
      if ((await setApiKey(BOOTSTRAP_CLIENT_ID, apiKey)) === 'exists') await revokeApiKey(apiKey.apiKeyId);
    }
    return 'exists';
  }
  try {
    await storeWithApiKey({
      clientId: BOOTSTRAP_CLIENT_ID,
      name: '国家级管理员 National administrator',
      role: 'national',
      territory: '',
      divisionCode: '',
      secretHash: await hashSecret(secret),
      credentialVersion: 1,
      createdBy: 'bootstrap',
      createdAt: nowIso(),
    });
    return 'created';
  } catch (error) {
    // Created concurrently by another process.
    if (error instanceof AppError && error.slug === 'duplicate') return 'exists';
    throw error;
  }
}

/**
 * Submitting a declaration: the enterprise must be the caller's to act for (or
 * registered with it, when the declaration brings it), the indicators must fit
 * the scheme, and a declaration for a product declared before becomes its next
 * revision. Its comparison, and a new enterprise, are written in the same
 * transaction; the comparison starts right after.
 */
import { ulid } from 'ulid';
import { validateDeclaredIndicators, type DeclaredIndicatorInput } from '../domain/declaration.ts';
import { canActForEnterprise, type Principal } from '../domain/territory.ts';
import { conflict, fromDomainIssues, invalidField } from '../http/errors.ts';
import { type DeclarationRecord, getLatestPointer, insertDeclaration } from '../store/declarations.ts';
import { type EnterpriseRecord, getEnterprise, newEnterprisePut } from '../store/enterprises.ts';
import { getScheme } from '../store/schemes.ts';
import { newComparisonPut } from '../store/comparisons.ts';
import { nowIso } from '../store/table.ts';
import { newComparison, startComparison } from './comparisons.ts';
import { canRegisterEnterprises, type EnterpriseInput, newEnterprise } from './enterprises.ts';

export interface DeclarationInput {
  creditCode: string;
  schemeId: string;
  product: string;
  standardNumber: string;
  indicators: DeclaredIndicatorInput[];
  /** The enterprise to register when its credit code is not registered yet. */
  enterprise?: Omit<EnterpriseInput, 'creditCode'>;
}

const MAX_ATTEMPTS = 3;

export async function submitDeclaration(principal: Principal, input: DeclarationInput): Promise<DeclarationRecord> {
  // The pointer is read alongside: a first attempt then needs no further read.
  const [scheme, registered, pointer] = await Promise.all([
    getScheme(input.schemeId),
    getEnterprise(input.creditCode),
    getLatestPointer(input.creditCode, input.schemeId, input.product),
  ]);
  let enterprise = registered ?? registration(principal, input);
  // An enterprise outside the territory is reported exactly like a missing one.
  if (!enterprise || !canActForEnterprise(principal, enterprise)) {
    throw invalidField(['creditCode'], 'unknown_enterprise');
  }
  if (!scheme) throw invalidField(['schemeId'], 'unknown_scheme');

  const checked = validateDeclaredIndicators(scheme.indicators, input.indicators);
  if (!checked.ok) throw fromDomainIssues(checked.issues);

  // Set while the declaration brings an enterprise not registered yet.
  let registering = registered ? undefined : enterprise;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    // A retry re-reads the pointer and, when registering, the enterprise: registered meanwhile
    // (by another declaration, a batch or POST /v1/enterprises), the declaration is for that one.
    const [previous, meanwhile] =
      attempt === 0
        ? [pointer, undefined]
        : await Promise.all([
            getLatestPointer(input.creditCode, input.schemeId, input.product),
            registering ? getEnterprise(input.creditCode) : undefined,
          ]);
    if (meanwhile) {
      if (!canActForEnterprise(principal, meanwhile)) throw invalidField(['creditCode'], 'unknown_enterprise');
      enterprise = meanwhile;
      registering = undefined;
    }
    const now = nowIso();
    const declaration: DeclarationRecord = {
      id: ulid(),
      creditCode: enterprise.creditCode,
      enterpriseName: enterprise.name,
      divisionCode: enterprise.divisionCode,
      industry: enterprise.industry,
      schemeId: scheme.id,
      schemeVersion: scheme.version,
      product: input.product,
      standardNumber: input.standardNumber,
      indicators: checked.indicators,
      status: 'submitted',
      comparisonId: null,
      lastComparisonId: null,
      revision: (previous?.revision ?? 0) + 1,
      supersedes: previous?.declarationId ?? null,
      latest: true,
      version: 1,
      createdAt: now,
      updatedAt: now,
      createdBy: principal.clientId,
    };
    const comparison = newComparison(declaration, principal);
    declaration.comparisonId = comparison.id;
    const extra = [newComparisonPut(comparison), ...(registering ? [{ Put: newEnterprisePut(registering) }] : [])];
    if ((await insertDeclaration(declaration, previous, extra)) === 'created') {
      await startComparison(comparison);
      return declaration;
    }
  }
  throw conflict('detail.concurrent_revision');
}

/** The enterprise a declaration brings along, when the caller may register it. */
function registration(principal: Principal, input: DeclarationInput): EnterpriseRecord | undefined {
  if (!input.enterprise || !canRegisterEnterprises(principal)) return undefined;
  return newEnterprise(principal, { ...input.enterprise, creditCode: input.creditCode }, ['enterprise', 'divisionCode']);
}

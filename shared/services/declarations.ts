/**
 * Submitting a declaration: the enterprise must be the caller's to act for,
 * the indicators must fit the scheme, and a declaration for a product declared
 * before becomes its next revision.
 */
import { ulid } from 'ulid';
import { validateDeclaredIndicators, type DeclaredIndicatorInput } from '../domain/declaration.ts';
import { canActForEnterprise, type Principal } from '../domain/territory.ts';
import { conflict, fromDomainIssues, invalidField } from '../http/errors.ts';
import { type DeclarationRecord, getLatestPointer, insertDeclaration } from '../store/declarations.ts';
import { getEnterprise } from '../store/enterprises.ts';
import { getScheme } from '../store/schemes.ts';
import { nowIso } from '../store/table.ts';

export interface DeclarationInput {
  creditCode: string;
  schemeId: string;
  product: string;
  standardNumber: string;
  indicators: DeclaredIndicatorInput[];
}

const MAX_ATTEMPTS = 3;

export async function submitDeclaration(principal: Principal, input: DeclarationInput): Promise<DeclarationRecord> {
  const [scheme, enterprise] = await Promise.all([getScheme(input.schemeId), getEnterprise(input.creditCode)]);
  // An enterprise outside the territory is reported exactly like a missing one.
  if (!enterprise || !canActForEnterprise(principal, enterprise)) {
    throw invalidField(['creditCode'], 'unknown_enterprise');
  }
  if (!scheme) throw invalidField(['schemeId'], 'unknown_scheme');

  const checked = validateDeclaredIndicators(scheme.indicators, input.indicators);
  if (!checked.ok) throw fromDomainIssues(checked.issues);

  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const previous = await getLatestPointer(input.creditCode, input.schemeId, input.product);
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
      revision: (previous?.revision ?? 0) + 1,
      supersedes: previous?.declarationId ?? null,
      latest: true,
      version: 1,
      createdAt: now,
      updatedAt: now,
      createdBy: principal.clientId,
    };
    if ((await insertDeclaration(declaration, previous)) === 'created') return declaration;
  }
  throw conflict('detail.concurrent_revision');
}

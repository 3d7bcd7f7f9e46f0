/**
 * Deciding on a declaration (推荐上报): the domain says whether the caller may
 * decide now, the store makes the step conditional on what the caller saw. A
 * decision that lost a race is 409, never applied to the next step.
 */
import { ulid } from 'ulid';
import { commentRequired, type Decision, decide, type ReviewStatus } from '../domain/review.ts';
import { canSeeDivision, type Principal } from '../domain/territory.ts';
import { type AppError, conflict, invalidField, notFound } from '../http/errors.ts';
import { type DeclarationRecord, getDeclaration } from '../store/declarations.ts';
import { recordDecision, type ReviewRecord } from '../store/reviews.ts';
import { nowIso } from '../store/table.ts';

const MAX_ATTEMPTS = 4;

function refusal(outcome: Exclude<ReturnType<typeof decide>, { ok: true }>, declaration: DeclarationRecord, decision: Decision): AppError {
  switch (outcome.reason) {
    case 'not_under_review':
      return conflict('detail.review_not_open', { status: declaration.status });
    case 'superseded':
      return conflict('detail.review_superseded');
    case 'not_your_step':
      return conflict(`detail.review_not_your_step.${outcome.step}`);
    case 'decision_not_allowed':
      return conflict('detail.review_decision_not_allowed', { decision, allowed: outcome.allowed.join(', ') });
  }
}

export async function decideOnDeclaration(
  principal: Principal,
  declarationId: string,
  input: { decision: Decision; comment?: string; fromStatus?: ReviewStatus },
): Promise<ReviewRecord> {
  if (commentRequired(input.decision) && !input.comment) throw invalidField(['comment'], 'comment_required');
  let seen: DeclarationRecord | undefined;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const declaration = await getDeclaration(declarationId, true);
    if (!declaration || !canSeeDivision(principal, declaration.divisionCode)) throw notFound('declaration');
    // Someone else moved it since the caller looked, or since our last attempt: what was decided on is gone.
    if (input.fromStatus && declaration.status !== input.fromStatus) throw conflict('detail.review_conflict');
    if (seen && (declaration.status !== seen.status || !declaration.latest)) throw conflict('detail.review_conflict');
    const outcome = decide(principal, declaration, input.decision);
    if (!outcome.ok) throw refusal(outcome, declaration, input.decision);
    const review: ReviewRecord = {
      id: ulid(),
      declarationId,
      creditCode: declaration.creditCode,
      divisionCode: declaration.divisionCode,
      decision: input.decision,
      from: outcome.from,
      to: outcome.to,
      comment: input.comment ?? null,
      reviewer: { clientId: principal.clientId, role: principal.role, territory: principal.territory },
      decidedAt: nowIso(),
    };
    if ((await recordDecision(review, declaration.version)) === 'done') return review;
    // Only the version moved (a comparison finished): decide again on the same status.
    seen = declaration;
  }
  throw conflict('detail.review_conflict');
}

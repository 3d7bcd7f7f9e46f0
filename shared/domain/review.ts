/**
 * The review state machine (推荐上报), api.md: compared → city_recommended →
 * province_recommended → accepted, or returned from any review step. Who may
 * decide depends on the step: the city step belongs to the city bureau of the
 * enterprise's city or its province, the province step to the province, the
 * national step to national. Pure: the store makes the transition conditional.
 */
import { isWithinDivision } from './division-code.ts';
import type { Principal, Role } from './territory.ts';

export type ReviewStatus =
  | 'submitted'
  | 'compared'
  | 'city_recommended'
  | 'province_recommended'
  | 'accepted'
  | 'returned';

export type Decision = 'recommend' | 'accept' | 'return';

export type ReviewStep = 'city' | 'province' | 'national';

export const DECISIONS: readonly Decision[] = ['recommend', 'accept', 'return'];

/** Roles that review at all; the others are 403 before anything is read. */
export const REVIEWER_ROLES: readonly Role[] = ['national', 'province', 'city'];

const STEP_OF: Partial<Record<ReviewStatus, ReviewStep>> = {
  compared: 'city',
  city_recommended: 'province',
  province_recommended: 'national',
};

/** Where `recommend` / `accept` lead from each step; `return` always leads to returned. */
const FORWARD: Record<ReviewStep, { decision: Decision; to: ReviewStatus }> = {
  city: { decision: 'recommend', to: 'city_recommended' },
  province: { decision: 'recommend', to: 'province_recommended' },
  national: { decision: 'accept', to: 'accepted' },
};

export function stepOf(status: ReviewStatus): ReviewStep | null {
  return STEP_OF[status] ?? null;
}

/** Decisions open at a step: forward, or return. */
export function decisionsAt(step: ReviewStep): Decision[] {
  return [FORWARD[step].decision, 'return'];
}

/** Whether the principal is a reviewer of this step for a declaration in `divisionCode`. */
export function isReviewerOf(principal: Principal, step: ReviewStep, divisionCode: string): boolean {
  switch (step) {
    case 'city':
      return (
        (principal.role === 'city' || principal.role === 'province') && isWithinDivision(divisionCode, principal.territory)
      );
    case 'province':
      return principal.role === 'province' && isWithinDivision(divisionCode, principal.territory);
    case 'national':
      return principal.role === 'national';
  }
}

export type ReviewOutcome =
  | { ok: true; step: ReviewStep; from: ReviewStatus; to: ReviewStatus }
  | {
      ok: false;
      /** not_under_review: submitted (no comparison yet) or final; superseded: a revision replaced it. */
      reason: 'not_under_review' | 'superseded' | 'not_your_step' | 'decision_not_allowed';
      step: ReviewStep | null;
      allowed: Decision[];
    };

/**
 * The transition a decision makes, or why it cannot be made now. The caller has
 * already checked that the declaration lies in the principal's territory.
 */
export function decide(
  principal: Principal,
  declaration: { status: ReviewStatus; divisionCode: string; latest: boolean },
  decision: Decision,
): ReviewOutcome {
  const step = stepOf(declaration.status);
  if (!step) return { ok: false, reason: 'not_under_review', step: null, allowed: [] };
  if (!declaration.latest) return { ok: false, reason: 'superseded', step, allowed: [] };
  if (!isReviewerOf(principal, step, declaration.divisionCode)) {
    return { ok: false, reason: 'not_your_step', step, allowed: [] };
  }
  const allowed = decisionsAt(step);
  if (!allowed.includes(decision)) return { ok: false, reason: 'decision_not_allowed', step, allowed };
  const to = decision === 'return' ? 'returned' : FORWARD[step].to;
  return { ok: true, step, from: declaration.status, to };
}

/** A return must say why; other decisions may carry a comment. */
export function commentRequired(decision: Decision): boolean {
  return decision === 'return';
}

/**
 * Questions and answers (互动交流): who sees a thread, who answers it, who
 * accepts an answer and who makes it public. Pure: no I/O.
 *
 * An enterprise asks about a scheme. The experts assigned to that scheme and
 * the bureaus above the enterprise (its city, its province, national) answer;
 * the asker accepts one answer; a bureau above it may make the thread public.
 */
import { canSeeDivision, canSeeEnterpriseRecord, type Principal } from './territory.ts';

export type ThreadStatus = 'open' | 'answered' | 'resolved';

export interface ThreadScope {
  creditCode: string;
  divisionCode: string;
  schemeId: string;
}

/**
 * Whether the principal may see the thread. `assignedSchemes` are the
 * schemes of the expert the principal is (empty for other roles).
 */
export function canSeeThread(principal: Principal, thread: ThreadScope, assignedSchemes: readonly string[]): boolean {
  if (principal.role === 'expert') return assignedSchemes.includes(thread.schemeId);
  return canSeeEnterpriseRecord(principal, thread);
}

/** Experts assigned to the scheme and bureaus above the asker answer; enterprises never. */
export function canAnswerThread(principal: Principal, thread: ThreadScope, assignedSchemes: readonly string[]): boolean {
  if (principal.role === 'enterprise') return false;
  return canSeeThread(principal, thread, assignedSchemes);
}

/** Bureaus above the asker, and national, make a thread public. */
export function canPublishThread(principal: Principal, thread: ThreadScope): boolean {
  return principal.role !== 'enterprise' && principal.role !== 'expert' && canSeeDivision(principal, thread.divisionCode);
}

/** The status once the thread has `answers` answers and maybe an accepted one. */
export function threadStatus(answers: number, accepted: boolean): ThreadStatus {
  if (accepted) return 'resolved';
  return answers > 0 ? 'answered' : 'open';
}

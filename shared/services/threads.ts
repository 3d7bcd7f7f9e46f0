/**
 * Questions and answers: an enterprise asks about a scheme, the experts
 * assigned to it and the bureaus above the enterprise answer, the asker
 * accepts an answer, a bureau may make the thread public.
 */
import { ulid } from 'ulid';
import { canAnswerThread, canPublishThread, canSeeThread, threadStatus, type ThreadStatus } from '../domain/threads.ts';
import { confineDivision, type Principal } from '../domain/territory.ts';
import { conflict, forbidden, invalidField, notFound } from '../http/errors.ts';
import { getMember } from '../store/directory.ts';
import { getEnterprise } from '../store/enterprises.ts';
import { getScheme } from '../store/schemes.ts';
import { nowIso, type Page } from '../store/table.ts';
import {
  addAnswer,
  type AnswerRecord,
  getThread,
  insertThread,
  listThreads,
  publishThread,
  saveThread,
  type ThreadRecord,
} from '../store/threads.ts';
import { assignedSchemes } from './directory.ts';

export async function askQuestion(
  principal: Principal,
  input: { schemeId: string; title: string; body: string },
): Promise<ThreadRecord> {
  const [enterprise, scheme] = await Promise.all([getEnterprise(principal.territory), getScheme(input.schemeId)]);
  // The token names an enterprise that is gone: nothing to ask as.
  if (!enterprise) throw forbidden(principal.role);
  if (!scheme) throw invalidField(['schemeId'], 'unknown_scheme');
  const now = nowIso();
  const thread: ThreadRecord = {
    id: ulid(),
    schemeId: scheme.id,
    creditCode: enterprise.creditCode,
    enterpriseName: enterprise.name,
    divisionCode: enterprise.divisionCode,
    title: input.title,
    body: input.body,
    status: 'open',
    answerCount: 0,
    acceptedAnswerId: null,
    public: false,
    version: 1,
    createdAt: now,
    updatedAt: now,
    createdBy: principal.clientId,
  };
  await insertThread(thread);
  return thread;
}

export interface ThreadView {
  thread: ThreadRecord;
  answers: AnswerRecord[];
}

/** The thread with its answers, if the principal may see it; 404 otherwise. */
export async function visibleThread(
  principal: Principal,
  id: string,
  consistent = false,
): Promise<ThreadView & { assigned: string[] }> {
  const [found, assigned] = await Promise.all([getThread(id, consistent), assignedSchemes(principal)]);
  if (!found || !canSeeThread(principal, found.thread, assigned)) throw notFound('thread');
  return { ...found, assigned };
}

const MAX_ATTEMPTS = 3;

export async function answerThread(
  principal: Principal,
  threadId: string,
  body: string,
): Promise<{ thread: ThreadRecord; answer: AnswerRecord }> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const { thread, assigned } = await visibleThread(principal, threadId, attempt > 0);
    if (!canAnswerThread(principal, thread, assigned)) throw forbidden(principal.role);
    const now = nowIso();
    const expert = principal.role === 'expert' ? await getMember('expert', principal.territory) : undefined;
    const answer: AnswerRecord = {
      id: ulid(),
      threadId: thread.id,
      body,
      author: {
        role: principal.role,
        territory: principal.territory,
        clientId: principal.clientId,
        ...(expert ? { name: expert.name } : {}),
      },
      createdAt: now,
    };
    const answerCount = thread.answerCount + 1;
    const next: ThreadRecord = {
      ...thread,
      answerCount,
      status: threadStatus(answerCount, thread.acceptedAnswerId !== null),
      version: thread.version + 1,
      updatedAt: now,
    };
    if ((await addAnswer(next, thread.version, answer)) === 'saved') return { thread: next, answer };
  }
  throw conflict('detail.concurrent_update');
}

/** The asker accepts one answer; accepting it again changes nothing, another one is 409. */
export async function acceptAnswer(principal: Principal, threadId: string, answerId: string): Promise<ThreadView> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const { thread, answers } = await visibleThread(principal, threadId, attempt > 0);
    if (thread.acceptedAnswerId === answerId) return { thread, answers };
    if (!answers.some((a) => a.id === answerId)) throw invalidField(['answerId'], 'unknown_answer');
    if (thread.acceptedAnswerId !== null) throw conflict('detail.answer_already_accepted');
    const next: ThreadRecord = {
      ...thread,
      acceptedAnswerId: answerId,
      status: threadStatus(thread.answerCount, true),
      version: thread.version + 1,
      updatedAt: nowIso(),
    };
    if ((await saveThread(next, thread.version)) === 'saved') return { thread: next, answers };
  }
  throw conflict('detail.concurrent_update');
}

/** A bureau above the asker (or national) makes the thread public; again changes nothing. */
export async function makeThreadPublic(principal: Principal, threadId: string): Promise<ThreadView> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const { thread, answers } = await visibleThread(principal, threadId, attempt > 0);
    if (!canPublishThread(principal, thread)) throw forbidden(principal.role);
    if (thread.public) return { thread, answers };
    const now = nowIso();
    const next: ThreadRecord = { ...thread, public: true, publishedAt: now, version: thread.version + 1, updatedAt: now };
    if ((await publishThread(next, thread.version)) === 'saved') return { thread: next, answers };
  }
  throw conflict('detail.concurrent_update');
}

const empty: Page<ThreadRecord> = { items: [], nextCursor: null };

/** Threads in the principal's sight: its own (enterprise), its schemes' (expert), its territory's (bureaus). */
export async function threadsFor(
  principal: Principal,
  query: { schemeId?: string; divisionCode?: string; status?: ThreadStatus; limit: number; cursor?: string },
): Promise<Page<ThreadRecord>> {
  const { schemeId, divisionCode, status, limit, cursor } = query;
  switch (principal.role) {
    case 'enterprise':
      return listThreads({ creditCode: principal.territory }, { schemeId, status, limit, cursor });
    case 'expert': {
      const assigned = await assignedSchemes(principal);
      const schemeIds = schemeId ? assigned.filter((id) => id === schemeId) : assigned;
      if (schemeIds.length === 0) return empty;
      return listThreads({ schemeIds }, { division: divisionCode, status, limit, cursor });
    }
    default: {
      const division = confineDivision(principal, divisionCode);
      if (division === undefined) return empty;
      return listThreads({ division }, { schemeId, status, limit, cursor });
    }
  }
}

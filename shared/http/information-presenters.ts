/** API shapes of notices, directory members and threads: what clients see, nothing internal. */
import type { NoticeAttachment } from '../domain/notices.ts';
import type { MemberRecord } from '../store/directory.ts';
import type { NoticeRecord } from '../store/notices.ts';
import type { AnswerRecord, PublicThreadEntry, ThreadRecord } from '../store/threads.ts';

type LinkedAttachment = NoticeAttachment & { downloadUrl?: string };

/**
 * A verified attachment as notice views show it: from the summary on the
 * notice item, with a download link on single-notice views only (lists sign
 * nothing; the link is short-lived).
 */
export const presentNoticeAttachment = (a: LinkedAttachment) => ({
  id: a.id,
  fileName: a.fileName,
  contentType: a.contentType,
  size: a.size,
  sha256: a.sha256,
  ...(a.downloadUrl ? { downloadUrl: a.downloadUrl } : {}),
});

/** A notice; `attachments` with their links on single-notice views, else the summary as stored. */
export const presentNoticeWith = (n: NoticeRecord, attachments: LinkedAttachment[]) => ({
  id: n.id,
  title: n.title,
  body: n.body,
  audience: { ...(n.audience.divisionCode ? { divisionCode: n.audience.divisionCode } : {}), roles: n.audience.roles },
  public: n.public,
  status: n.status,
  author: n.author,
  version: n.version,
  createdAt: n.createdAt,
  updatedAt: n.updatedAt,
  ...(n.publishedAt ? { publishedAt: n.publishedAt } : {}),
  ...(n.archivedAt ? { archivedAt: n.archivedAt } : {}),
  attachments: attachments.map(presentNoticeAttachment),
});

export const presentNotice = (n: NoticeRecord) => presentNoticeWith(n, n.attachments ?? []);

export const presentPublicNoticeWith = (n: NoticeRecord, attachments: LinkedAttachment[]) => ({
  id: n.id,
  title: n.title,
  body: n.body,
  author: n.author,
  publishedAt: n.publishedAt!,
  attachments: attachments.map(presentNoticeAttachment),
});

export const presentPublicNotice = (n: NoticeRecord) => presentPublicNoticeWith(n, n.attachments ?? []);

export const presentMember = (m: MemberRecord) => ({
  id: m.id,
  name: m.name,
  fields: m.fields,
  divisionCode: m.divisionCode,
  schemeIds: m.schemeIds,
  version: m.version,
  createdAt: m.createdAt,
  updatedAt: m.updatedAt,
});

export const presentAnswer = (a: AnswerRecord, acceptedId: string | null) => ({
  id: a.id,
  body: a.body,
  author: { role: a.author.role, territory: a.author.territory, ...(a.author.name ? { name: a.author.name } : {}) },
  accepted: a.id === acceptedId,
  createdAt: a.createdAt,
});

export const presentThreadSummary = (t: ThreadRecord) => ({
  id: t.id,
  schemeId: t.schemeId,
  creditCode: t.creditCode,
  enterpriseName: t.enterpriseName,
  divisionCode: t.divisionCode,
  title: t.title,
  status: t.status,
  answerCount: t.answerCount,
  acceptedAnswerId: t.acceptedAnswerId,
  public: t.public,
  ...(t.publishedAt ? { publishedAt: t.publishedAt } : {}),
  version: t.version,
  createdAt: t.createdAt,
  updatedAt: t.updatedAt,
});

export const presentThread = (t: ThreadRecord, answers: AnswerRecord[]) => ({
  ...presentThreadSummary(t),
  body: t.body,
  answers: answers.map((a) => presentAnswer(a, t.acceptedAnswerId)),
});

/** The public view leaves out who asked. */
export const presentPublicThread = (t: ThreadRecord, answers: AnswerRecord[]) => ({
  id: t.id,
  schemeId: t.schemeId,
  title: t.title,
  body: t.body,
  status: t.status,
  answers: answers.map((a) => presentAnswer(a, t.acceptedAnswerId)),
  publishedAt: t.publishedAt!,
  createdAt: t.createdAt,
});

export const presentPublicThreadSummary = (e: PublicThreadEntry) => ({
  id: e.id,
  schemeId: e.schemeId,
  title: e.title,
  publishedAt: e.publishedAt,
});

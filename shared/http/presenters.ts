/** API shapes of stored records: what clients see, nothing internal. */
import type { CityRecord } from '../store/cities.ts';
import type { ClientRecord } from '../store/clients.ts';
import type { DeclarationRecord } from '../store/declarations.ts';
import type { EnterpriseRecord } from '../store/enterprises.ts';
import type { ReviewRecord } from '../store/reviews.ts';
import type { SchemeRecord } from '../store/schemes.ts';
import type { StandardRecord } from '../store/standards.ts';
import type { DeliveryRecord, WebhookRecord } from '../store/webhooks.ts';

export const presentClient = (c: ClientRecord) => ({
  clientId: c.clientId,
  name: c.name,
  role: c.role,
  territory: c.territory,
  createdBy: c.createdBy,
  createdAt: c.createdAt,
});

export const presentWebhook = (w: WebhookRecord) => ({
  id: w.id,
  url: w.url,
  events: w.events,
  status: w.status,
  ...(w.disabledReason ? { disabledReason: w.disabledReason } : {}),
  createdAt: w.createdAt,
  updatedAt: w.updatedAt,
});

export const presentDelivery = (d: DeliveryRecord) => ({
  id: d.id,
  eventType: d.eventType,
  status: d.status,
  attempts: d.attempts ?? [],
  ...(d.status === 'pending' ? { nextAttemptAt: new Date(d.nextAttemptAt).toISOString() } : {}),
  ...(d.failureReason ? { failureReason: d.failureReason } : {}),
  createdAt: d.createdAt,
  ...(d.completedAt ? { completedAt: d.completedAt } : {}),
});

export const presentStandard = (s: StandardRecord) => ({
  id: s.id,
  number: s.number,
  title: s.title,
  ...(s.titleEn ? { titleEn: s.titleEn } : {}),
  aliases: s.aliases,
  org: s.org,
  kind: s.kind,
  ...(s.adoption ? { adoption: s.adoption } : {}),
  createdAt: s.createdAt,
});

export const presentScheme = (s: SchemeRecord) => ({
  id: s.id,
  version: s.version,
  name: s.name,
  productCategory: s.productCategory,
  industry: s.industry,
  field: s.field,
  leaderShare: s.leaderShare,
  indicators: s.indicators,
  createdAt: s.createdAt,
  updatedAt: s.updatedAt,
});

export const presentCity = (c: CityRecord) => ({
  divisionCode: c.divisionCode,
  name: c.name,
  round: c.round,
  createdAt: c.createdAt,
});

export const presentEnterprise = (e: EnterpriseRecord) => ({
  creditCode: e.creditCode,
  name: e.name,
  divisionCode: e.divisionCode,
  industry: e.industry,
  tags: e.tags,
  createdAt: e.createdAt,
});

export const presentDeclaration = (d: DeclarationRecord, history?: DeclarationRecord[]) => ({
  id: d.id,
  creditCode: d.creditCode,
  enterpriseName: d.enterpriseName,
  divisionCode: d.divisionCode,
  schemeId: d.schemeId,
  schemeVersion: d.schemeVersion,
  product: d.product,
  standardNumber: d.standardNumber,
  indicators: d.indicators,
  status: d.status,
  comparisonId: d.comparisonId,
  revision: d.revision,
  supersedes: d.supersedes,
  latest: d.latest,
  version: d.version,
  createdAt: d.createdAt,
  updatedAt: d.updatedAt,
  ...(history
    ? {
        history: history.map((h) => ({ id: h.id, revision: h.revision, status: h.status, createdAt: h.createdAt })),
      }
    : {}),
});

export const presentReview = (r: ReviewRecord) => ({
  id: r.id,
  declarationId: r.declarationId,
  decision: r.decision,
  fromStatus: r.from,
  status: r.to,
  comment: r.comment,
  reviewer: r.reviewer,
  decidedAt: r.decidedAt,
});

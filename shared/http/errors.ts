/**
 * Typed errors. One middleware turns them into RFC 9457 problem details; any
 * other error becomes a 500 that shows only the request id.
 */
import type { DomainIssue } from '../domain/issues.ts';

export interface FieldIssue {
  /** Path segments, joined with dots in errors[].path. */
  path: (string | number)[];
  code: string;
  params?: Record<string, unknown>;
}

export class AppError extends Error {
  constructor(
    readonly status: number,
    /** Problem type slug: `/problems/<slug>`, and the catalogue key of the title. */
    readonly slug: string,
    /** Catalogue key of the detail and its parameters. */
    readonly detailKey?: string,
    readonly params: Record<string, unknown> = {},
    readonly issues: FieldIssue[] = [],
    readonly headers: Record<string, string> = {},
  ) {
    super(slug);
    this.name = 'AppError';
  }
}

export const badRequest = (detailKey: string) => new AppError(400, 'bad-request', detailKey);

export const unauthorized = (detailKey = 'detail.invalid_token') =>
  new AppError(401, 'unauthorized', detailKey, {}, [], { 'WWW-Authenticate': 'Bearer' });

export const forbidden = (role: string) =>
  new AppError(403, 'forbidden', 'detail.role_not_allowed', { role });

/** Also used for what lies outside the caller's territory: never reveal it. */
export const notFound = (resource: string) =>
  new AppError(404, 'not-found', 'detail.not_found', { resource });

export const conflict = (detailKey: string, params: Record<string, unknown> = {}) =>
  new AppError(409, 'conflict', detailKey, params);

export const duplicate = (detailKey: string, params: Record<string, unknown> = {}) =>
  new AppError(409, 'duplicate', detailKey, params);

export const unsupportedMediaType = () =>
  new AppError(415, 'unsupported-media-type', 'detail.json_required');

export const preconditionFailed = () => new AppError(412, 'precondition-failed');

export const preconditionRequired = () => new AppError(428, 'precondition-required');

export const validationFailed = (issues: FieldIssue[]) =>
  new AppError(422, 'validation-failed', 'detail.validation_failed', { count: issues.length }, issues);

/** One field issue as a 422. */
export const invalidField = (path: (string | number)[], code: string, params?: Record<string, unknown>) =>
  validationFailed([{ path, code, params }]);

export const fromDomainIssues = (issues: DomainIssue[], prefix: (string | number)[] = []) =>
  validationFailed(issues.map((issue) => ({ ...issue, path: [...prefix, ...issue.path] })));

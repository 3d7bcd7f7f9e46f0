import type { APIGatewayProxyResult } from 'aws-lambda';
import { translate, type Language } from '../i18n/messages.ts';
import { AppError, type FieldIssue } from './errors.ts';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export function issueMessage(issue: FieldIssue, language: Language): string {
  return translate(issue.code, language, issue.params);
}

/** The RFC 9457 response for an error; unknown errors show only the request id. */
export function problemResponse(
  error: unknown,
  language: Language,
  requestId: string,
): APIGatewayProxyResult {
  const known =
    error instanceof AppError
      ? error
      : new AppError(500, 'internal-error', 'detail.internal', { requestId });
  const body = {
    type: `/problems/${known.slug}`,
    title: translate(known.slug, language),
    status: known.status,
    ...(known.detailKey ? { detail: translate(known.detailKey, language, known.params) } : {}),
    requestId,
    ...(known.issues.length > 0
      ? {
          errors: known.issues.map((issue) => ({
            path: issue.path.join('.'),
            code: issue.code,
            message: issueMessage(issue, language),
          })),
        }
      : {}),
  };
  return {
    statusCode: known.status,
    headers: {
      'Content-Type': PROBLEM_CONTENT_TYPE,
      'Content-Language': language === 'en' ? 'en' : 'zh-CN',
      ...known.headers,
    },
    body: JSON.stringify(body),
  };
}

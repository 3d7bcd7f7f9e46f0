/** If-Match on updates of versioned resources (ETag `"<version>"`). */
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { preconditionFailed, preconditionRequired } from './errors.ts';
import { header } from './request.ts';

/** The version If-Match names: 428 without the header, 412 when it is not `current`. */
export function requireIfMatch(event: APIGatewayProxyEvent, current: number): void {
  const value = header(event, 'if-match');
  if (!value) throw preconditionRequired();
  const match = /^(?:W\/)?"?(\d+)"?$/.exec(value.trim());
  if (!match || Number(match[1]) !== current) throw preconditionFailed();
}

/** 428 early, before any read, when the header is missing. */
export function ifMatchPresent(event: APIGatewayProxyEvent): void {
  if (!header(event, 'if-match')) throw preconditionRequired();
}

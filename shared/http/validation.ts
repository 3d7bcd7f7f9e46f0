import type { $ZodError, $ZodType, output } from 'zod/v4/core';
import { type FieldIssue, validationFailed } from './errors.ts';

function valueAt(input: unknown, path: PropertyKey[]): unknown {
  let current = input;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

/**
 * A schema of either zod API, classic or mini. Both parse with their own
 * safeParse, so functions without a schema bundle no zod code for validation.
 */
export type Schema = $ZodType & {
  safeParse(input: unknown): { success: true; data: unknown } | { success: false; error: $ZodError };
};

/** zod issues as field issues with stable codes from the message catalogue. */
export function fieldIssues(error: $ZodError, input: unknown, prefix: string[] = []): FieldIssue[] {
  return error.issues.map((issue) => {
    const path = [...prefix, ...issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p))];
    switch (issue.code) {
      case 'custom': {
        const { code = 'invalid_value', ...params } = (issue.params ?? {}) as Record<string, unknown>;
        return { path, code: String(code), params };
      }
      case 'invalid_type':
        return valueAt(input, issue.path) === undefined
          ? { path, code: 'required' }
          : { path, code: 'invalid_type', params: { expected: issue.expected } };
      case 'too_small':
        return { path, code: 'too_small', params: { minimum: String(issue.minimum) } };
      case 'too_big':
        return { path, code: 'too_big', params: { maximum: String(issue.maximum) } };
      case 'unrecognized_keys':
        return { path, code: 'unrecognized_keys', params: { keys: issue.keys.join(', ') } };
      case 'invalid_format':
        return { path, code: 'invalid_format', params: { format: issue.format } };
      default:
        return { path, code: 'invalid_value' };
    }
  });
}

/** Parse or throw a 422 naming every offending field. */
export function parseOrThrow<T extends Schema>(schema: T, input: unknown, prefix: string[] = []): output<T> {
  const result = schema.safeParse(input);
  if (!result.success) throw validationFailed(fieldIssues(result.error, input, prefix));
  return result.data as output<T>;
}

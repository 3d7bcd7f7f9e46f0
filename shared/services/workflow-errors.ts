/**
 * Errors of workflow steps. Step Functions matches a Lambda error by its name:
 * `TransientError` is retried with backoff by the state machine, any other
 * error goes to the Catch and fails the comparison with a readable code.
 */
export class TransientError extends Error {
  override name = 'TransientError';
}

export class StepFailure extends Error {
  override name = 'StepFailure';
  constructor(readonly code: string, message: string) {
    super(`${code}: ${message}`);
  }
}

const transientNames = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'InternalServerError',
  'ServiceUnavailable',
  'TransactionConflictException',
  'TimeoutError',
  'SlowDown',
]);

/** Runs I/O, re-labelling throttling and service faults as retryable. */
export async function io<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const name = (error as Error).name;
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode ?? 0;
    if (transientNames.has(name) || status >= 500 || (error as NodeJS.ErrnoException).code === 'ECONNRESET') {
      throw new TransientError(`${name}: ${(error as Error).message}`);
    }
    throw error;
  }
}

/** What a Catch puts in the state: the error's name and its cause (the Lambda error as JSON). */
export interface CaughtFailure {
  Error: string;
  Cause: string;
}

/** A StepFailure's cause starts with its code; a timeout is `timeout`; anything else an internal failure. */
export function failureCode(failure: CaughtFailure | undefined): string {
  if (!failure) return 'internal_error';
  if (failure.Error === 'StepFailure') {
    const message = (() => {
      try {
        return String((JSON.parse(failure.Cause) as { errorMessage?: string }).errorMessage ?? failure.Cause);
      } catch {
        return failure.Cause;
      }
    })();
    const code = /^([a-z_]+):/.exec(message)?.[1];
    if (code) return code;
  }
  return failure.Error === 'States.Timeout' ? 'timeout' : 'internal_error';
}

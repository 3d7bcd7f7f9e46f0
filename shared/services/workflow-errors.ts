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

/** Workflow steps label throttling and service faults as retryable (the ASL retries TransientError). */
import { ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { io, StepFailure, TransientError } from '../../shared/services/workflow-errors.ts';

describe('io()', () => {
  it('turns DynamoDB throttling into a TransientError', async () => {
    await expect(
      io(() => Promise.reject(new ProvisionedThroughputExceededException({ message: 'slow down', $metadata: {} }))),
    ).rejects.toBeInstanceOf(TransientError);
  });

  it('turns a 503 from any service into a TransientError', async () => {
    const unavailable = Object.assign(new Error('unavailable'), { name: 'Whatever', $metadata: { httpStatusCode: 503 } });
    await expect(io(() => Promise.reject(unavailable))).rejects.toMatchObject({ name: 'TransientError' });
  });

  it('lets other errors through unchanged, so they reach the Catch', async () => {
    const failure = new StepFailure('scheme_not_found', 'gone');
    await expect(io(() => Promise.reject(failure))).rejects.toBe(failure);
    const validation = Object.assign(new Error('bad key'), { name: 'ValidationException', $metadata: { httpStatusCode: 400 } });
    await expect(io(() => Promise.reject(validation))).rejects.toBe(validation);
  });

  it('returns the value of work that succeeds', async () => {
    await expect(io(async () => 42)).resolves.toBe(42);
  });
});

/**
 * Limits failed token requests per client id: after `limit` failures in a
 * window, the token endpoint answers 429 for that client id until the window
 * ends, even with the right secret, so guessing a secret is slow.
 */
import { config } from '../config/env.ts';
import { addFailure, failuresInWindow } from '../store/token-failures.ts';

function window(now: number) {
  const { windowSeconds } = config().tokenFailures;
  const seconds = Math.floor(now / 1000);
  const start = seconds - (seconds % windowSeconds);
  return { start, end: start + windowSeconds, seconds };
}

/** Seconds until the client id may try again, or 0 when it may now. */
export async function tokenLockoutSeconds(clientId: string, now = Date.now()): Promise<number> {
  const { start, end, seconds } = window(now);
  const failures = await failuresInWindow(clientId, start);
  return failures >= config().tokenFailures.limit ? Math.max(1, end - seconds) : 0;
}

export async function recordTokenFailure(clientId: string, now = Date.now()): Promise<void> {
  const { start, end } = window(now);
  // Kept a little past the window: TTL deletion is lazy, the window check is not.
  await addFailure(clientId, start, end + 60);
}

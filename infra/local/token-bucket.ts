/**
 * Per-key token buckets, the algorithm API Gateway throttles with: a bucket
 * holds at most `burstLimit` tokens and refills at `rateLimit` tokens a second;
 * each request takes one token or is refused with the time until one is back.
 */
export interface Throttle {
  /** Steady-state requests per second. */
  rateLimit: number;
  /** Bucket size for bursts. */
  burstLimit: number;
}

export type Take = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  take(key: string, throttle: Throttle, now = Date.now()): Take {
    const capacity = Math.max(1, throttle.burstLimit);
    const bucket = this.buckets.get(key) ?? { tokens: capacity, at: now };
    bucket.tokens = Math.min(capacity, bucket.tokens + ((now - bucket.at) / 1000) * throttle.rateLimit);
    bucket.at = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true };
    }
    const seconds = throttle.rateLimit > 0 ? (1 - bucket.tokens) / throttle.rateLimit : Infinity;
    // Retry-After is whole seconds; never 0, so a polite client does wait.
    return { allowed: false, retryAfterSeconds: Number.isFinite(seconds) ? Math.max(1, Math.ceil(seconds)) : 60 };
  }
}

/** The local runtime's per-client throttle: API Gateway's token bucket. */
import { describe, expect, it } from 'vitest';
import { TokenBuckets } from '../../infra/local/token-bucket.ts';

describe('token buckets', () => {
  const throttle = { rateLimit: 2, burstLimit: 3 };

  it('lets a burst through, then refuses with the seconds until a token is back', () => {
    const buckets = new TokenBuckets();
    const t0 = 1_000_000;
    for (let i = 0; i < 3; i++) expect(buckets.take('a', throttle, t0)).toEqual({ allowed: true });
    expect(buckets.take('a', throttle, t0)).toEqual({ allowed: false, retryAfterSeconds: 1 });
    // Half a second later one token (rate 2/s) is back.
    expect(buckets.take('a', throttle, t0 + 500)).toEqual({ allowed: true });
    expect(buckets.take('a', throttle, t0 + 500).allowed).toBe(false);
  });

  it('refills at the rate up to the burst, per key', () => {
    const buckets = new TokenBuckets();
    for (let i = 0; i < 3; i++) buckets.take('a', throttle, 0);
    expect(buckets.take('b', throttle, 0)).toEqual({ allowed: true });
    // An hour idle refills only to the burst.
    const later = 3_600_000;
    for (let i = 0; i < 3; i++) expect(buckets.take('a', throttle, later).allowed).toBe(true);
    expect(buckets.take('a', throttle, later).allowed).toBe(false);
  });

  it('says to wait longer for slow plans', () => {
    const buckets = new TokenBuckets();
    const slow = { rateLimit: 0.2, burstLimit: 1 };
    expect(buckets.take('a', slow, 0).allowed).toBe(true);
    expect(buckets.take('a', slow, 0)).toEqual({ allowed: false, retryAfterSeconds: 5 });
  });
});

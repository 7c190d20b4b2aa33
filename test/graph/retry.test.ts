import { describe, expect, it } from 'vitest';
import { backoffDelay, decideRetry, parseRetryAfter, type RetryOptions } from '../../src/resilience/retry-policy.js';

const options: RetryOptions = { maxRetries: 3, baseDelayMs: 100, maxDelayMs: 1_000, maxRetryAfterMs: 10_000, random: () => 0.5 };

describe('parseRetryAfter', () => {
  it('reads fractional seconds and HTTP dates', () => {
    expect(parseRetryAfter('10')).toBe(10_000);
    expect(parseRetryAfter('2.128')).toBe(2128);
    expect(parseRetryAfter('0.05')).toBe(50);
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:05 GMT', Date.parse('Wed, 21 Oct 2015 07:28:00 GMT'))).toBe(5_000);
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:05 GMT', Date.parse('Wed, 21 Oct 2015 08:00:00 GMT'))).toBe(0);
    expect(parseRetryAfter(undefined)).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter('-1')).toBeUndefined();
  });
});

describe('decideRetry', () => {
  const status = (s: number, retryAfterMs?: number) => ({ kind: 'status' as const, status: s, retryAfterMs });

  it('waits exactly Retry-After for 429 and 503-with-Retry-After, reads and writes alike', () => {
    expect(decideRetry(status(429, 50), 1, false, options)).toEqual({ retry: true, delayMs: 50 });
    expect(decideRetry(status(503, 2000), 1, false, options)).toEqual({ retry: true, delayMs: 2000 });
    expect(decideRetry(status(429), 1, true, options)).toEqual({ retry: true, delayMs: 75 });
  });

  it('repeats ambiguous failures only for idempotent calls', () => {
    expect(decideRetry(status(503), 1, false, options)).toEqual({ retry: false });
    expect(decideRetry(status(503), 1, true, options).retry).toBe(true);
    expect(decideRetry(status(504), 2, true, options)).toEqual({ retry: true, delayMs: 150 });
    expect(decideRetry({ kind: 'transport', notSent: false, reason: 'reset' }, 1, false, options)).toEqual({ retry: false });
    expect(decideRetry({ kind: 'transport', notSent: false, reason: 'reset' }, 1, true, options).retry).toBe(true);
    expect(decideRetry({ kind: 'transport', notSent: true, reason: 'refused' }, 1, false, options).retry).toBe(true);
    expect(decideRetry({ kind: 'transport', notSent: true, reason: 'tls' }, 1, true, options)).toEqual({ retry: false });
  });

  it('never retries client errors, and stops at the budget or a too-long Retry-After', () => {
    for (const s of [400, 401, 403, 404, 409, 500]) expect(decideRetry(status(s), 1, true, options)).toEqual({ retry: false });
    expect(decideRetry(status(429, 50), 4, true, options)).toEqual({ retry: false });
    expect(decideRetry(status(429, 60_000), 1, true, options)).toEqual({ retry: false });
  });

  it('backs off exponentially with jitter, capped', () => {
    const noJitter = { ...options, random: () => 0 };
    expect([1, 2, 3, 4, 5].map((a) => backoffDelay(a, noJitter))).toEqual([50, 100, 200, 400, 500]);
    expect(backoffDelay(10, { ...options, random: () => 0.999 })).toBeLessThanOrEqual(1_000);
  });
});

import type { TransportFailure } from '../graph/errors.js';

/**
 * When to repeat a Graph call, and after how long. One pure function, used for top-level requests,
 * `$batch` envelopes and each `$batch` item alike, so the hardening work (budgets, deadlines, a
 * circuit breaker) has one place to grow.
 *
 * - 429, and 503 with `Retry-After`: Graph promises the request was not processed, so reads and
 *   writes alike are repeated, never earlier than `Retry-After` (fractional seconds allowed). A
 *   `Retry-After` longer than `maxRetryAfterMs` is not waited for: the call fails at once as
 *   throttled rather than holding a GraphQL request open for minutes.
 * - 502, 503 without `Retry-After`, 504, timeouts and dropped connections: only idempotent calls
 *   (reads) are repeated, with exponential backoff and jitter; a write may have happened.
 * - A connection that was refused (or failed DNS) never reached Graph: anything is repeated. TLS
 *   failures are not repeated at all: they are configuration, not weather.
 */

export interface RetryOptions {
  /** Retries after the first attempt (GRAPH_RETRY_MAX). */
  maxRetries: number;
  /** Backoff base when Graph says nothing (GRAPH_RETRY_BASE_MS): base · 2^attempt, with jitter. */
  baseDelayMs: number;
  /** Ceiling of one backoff delay. */
  maxDelayMs: number;
  /** The longest `Retry-After` worth waiting for inside one GraphQL operation. */
  maxRetryAfterMs: number;
  /** Source of jitter in [0, 1); injectable for deterministic tests. */
  random: () => number;
}

export const DEFAULT_RETRY_OPTIONS: RetryOptions = {
  maxRetries: 3,
  baseDelayMs: 200,
  maxDelayMs: 5_000,
  maxRetryAfterMs: 10_000,
  random: Math.random,
};

export type AttemptOutcome =
  { kind: 'status'; status: number; retryAfterMs: number | undefined } | { kind: 'transport'; notSent: boolean; reason: TransportFailure };

export type RetryDecision = { retry: true; delayMs: number } | { retry: false };

/**
 * @param attempt how many attempts were made so far (1 after the first failure)
 * @param idempotent whether repeating the call after an ambiguous failure is harmless (GET, search)
 */
export function decideRetry(outcome: AttemptOutcome, attempt: number, idempotent: boolean, options: RetryOptions): RetryDecision {
  if (attempt > options.maxRetries) return { retry: false };
  const backoff = (): RetryDecision => ({ retry: true, delayMs: backoffDelay(attempt, options) });
  if (outcome.kind === 'transport') {
    // A certificate Graph's host does not prove will not prove itself on the next attempt either.
    if (outcome.reason === 'tls') return { retry: false };
    return outcome.notSent || idempotent ? backoff() : { retry: false };
  }
  const { status, retryAfterMs } = outcome;
  if (status === 429 || (status === 503 && retryAfterMs !== undefined)) {
    if (retryAfterMs === undefined) return backoff();
    if (retryAfterMs > options.maxRetryAfterMs) return { retry: false };
    return { retry: true, delayMs: retryAfterMs };
  }
  if ((status === 502 || status === 503 || status === 504) && idempotent) return backoff();
  return { retry: false };
}

/** Exponential backoff with "equal jitter": half fixed, half random, so retries spread but never collapse to 0. */
export function backoffDelay(attempt: number, options: Pick<RetryOptions, 'baseDelayMs' | 'maxDelayMs' | 'random'>): number {
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return ceiling / 2 + (ceiling / 2) * options.random();
}

/**
 * `Retry-After` in milliseconds: delta-seconds (Graph sends fractions such as `2.128`) or an
 * HTTP date. Undefined when absent or unreadable; never negative.
 */
export function parseRetryAfter(value: string | undefined, now: number = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.ceil(Number(text) * 1000);
  // An HTTP date always names its day and month; anything else (`-1`, `1e3`) is unreadable.
  if (!/^[A-Za-z]{3}, /.test(text)) return undefined;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

import { decideRetry, type AttemptOutcome, type RetryOptions } from '../../resilience/retry-policy.js';

/**
 * Which failed calls go out again, and when: the retry policy (`resilience/retry-policy.ts`) for the call itself, then
 * the deadlines of the operations waiting for it and the retry budget. Pure: the scheduler hands in the facts (the
 * time, whether the budget holds a retry) and arms the timers this plans.
 */

/** Retries due within this many ms of each other travel together. */
export const RETRY_GROUP_MS = 10;
/** Timers may fire a hair early against the wall clock Graph measures with; a retry must never be. */
export const RETRY_MARGIN_MS = 2;

export interface FailedAttempt {
  outcome: AttemptOutcome;
  /** Attempts made so far (1 after the first failure). */
  attempts: number;
  idempotent: boolean;
  /** The deadline (epoch ms) of each waiting operation; undefined for one without. */
  deadlines: ReadonlyArray<number | undefined>;
}

export interface RetryConditions {
  options: RetryOptions;
  now: number;
  /** Whether the gateway-wide retry budget holds a retry now (always true without a budget). */
  budgetAllows: boolean;
}

/**
 * `retry: false`: the call fails with what it has. Otherwise it goes out again after `delayMs`, and the waiters whose
 * operation is over by `dueAt` get the failure now: a Retry-After longer than what is left is answered as throttled,
 * never waited out.
 */
export type RetryPlan = { retry: false } | { retry: true; delayMs: number; dueAt: number };

export function planRetry(attempt: FailedAttempt, { options, now, budgetAllows }: RetryConditions): RetryPlan {
  const decision = decideRetry(attempt.outcome, attempt.attempts, attempt.idempotent, options);
  if (!decision.retry) return { retry: false };
  const dueAt = now + decision.delayMs + RETRY_MARGIN_MS;
  const someoneCanWait = attempt.deadlines.some((deadline) => deadline === undefined || dueAt < deadline);
  // Every waiting operation would be over before the retry is due, or the budget holds no retry.
  if (!someoneCanWait || !budgetAllows) return { retry: false };
  return { retry: true, delayMs: decision.delayMs, dueAt };
}

/**
 * The retries decided while reading one answer, on as few timers as will do: items due at about the same time (same
 * Retry-After, or backoffs within a few ms) share one, so they go out together in one envelope; each waits the longest
 * delay of its group, never less than its own.
 */
export function groupRetries<T>(planned: ReadonlyArray<{ item: T; delayMs: number }>): Array<{ waitMs: number; items: T[] }> {
  const groups = new Map<number, { delayMs: number; items: T[] }>();
  for (const { item, delayMs } of planned) {
    const bucket = Math.ceil(delayMs / RETRY_GROUP_MS);
    const group = groups.get(bucket) ?? { delayMs: 0, items: [] };
    group.delayMs = Math.max(group.delayMs, delayMs);
    group.items.push(item);
    groups.set(bucket, group);
  }
  return [...groups.values()].map(({ delayMs, items }) => ({ waitMs: Math.ceil(delayMs) + RETRY_MARGIN_MS, items }));
}

/**
 * A retry budget: a token bucket that lets retries be at most a fraction of the calls made (plus a small
 * floor per second, so a quiet gateway can still retry). Per-call limits (GRAPH_RETRY_MAX) bound one
 * call; the budget bounds all of them together, so when Graph degrades the gateway does not multiply its
 * own load by the retry count just when Graph can least take it. Shared by every Graph client of a
 * gateway (one per caller in OBO mode), since Graph's quota is the app's and the tenant's.
 */

export interface RetryBudgetOptions {
  /** Retries allowed per first attempt (GRAPH_RETRY_BUDGET_RATIO, e.g. 0.2: one retry per five calls). */
  ratio: number;
  /** Retries allowed per second whatever the traffic (GRAPH_RETRY_BUDGET_MIN_PER_SECOND). */
  minPerSecond: number;
  /** Tokens the bucket holds at most; default ten seconds of the floor, at least 10. */
  capacity?: number;
  now?: () => number;
}

export interface RetryBudget {
  /** A first attempt was made: it earns `ratio` of a retry. */
  onCall(): void;
  /** Takes one retry from the budget; false when it is spent (the call fails with what it has). */
  tryRetry(): boolean;
  /** Tokens left (for tests and metrics). */
  readonly available: number;
}

export function createRetryBudget({
  ratio,
  minPerSecond,
  capacity: size = Math.max(10, minPerSecond * 10),
  now = Date.now,
}: RetryBudgetOptions): RetryBudget {
  const capacity = Math.max(1, size);
  let tokens = capacity;
  let refilledAt = now();

  const refill = (): void => {
    const t = now();
    if (t > refilledAt) {
      tokens = Math.min(capacity, tokens + ((t - refilledAt) / 1000) * minPerSecond);
      refilledAt = t;
    }
  };

  return {
    onCall() {
      tokens = Math.min(capacity, tokens + ratio);
    },
    tryRetry() {
      refill();
      if (tokens < 1) return false;
      tokens -= 1;
      return true;
    },
    get available() {
      refill();
      return tokens;
    },
  };
}

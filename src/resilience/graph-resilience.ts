import { createCallerQuota, type CallerQuota } from './caller-quota.js';
import { createCircuitBreaker, type BreakerState, type CircuitBreaker } from './circuit-breaker.js';
import { createConcurrencyLimiter, type ConcurrencyLimiter } from './concurrency.js';
import { createOperationScope, type OperationScope } from './operation.js';
import { createRetryBudget, type RetryBudget } from './retry-budget.js';

/**
 * The protections one gateway instance shares across all of its Graph clients (the app's, and one per
 * caller in OBO mode): what Graph sees from this instance is bounded by one concurrency limit, one
 * retry budget and one circuit breaker, whoever is calling; each caller's share by the caller quota;
 * each operation by its scope (deadline, call cap).
 */

export interface GraphResilience {
  /** Upstream HTTP requests (lone requests and `$batch` envelopes) in flight at once, all clients together. */
  readonly limiter: ConcurrencyLimiter;
  readonly budget: RetryBudget;
  readonly breaker: CircuitBreaker;
  /** Undefined when per-caller limits are off. */
  readonly quota: CallerQuota | undefined;
  /** The scope of one GraphQL operation, for `GraphClient.withOperation`. */
  beginOperation(options?: { callerKey?: string | undefined }): OperationScope;
}

export interface GraphResilienceOptions {
  maxConcurrentRequests: number;
  retryBudget: { ratio: number; minPerSecond: number };
  breaker: { failureRatio: number; minimumCalls: number; windowMs: number; openMs: number };
  /** Undefined: no per-caller limit. */
  callerQuota?: { calls: number; windowMs: number } | undefined;
  operationDeadlineMs?: number | undefined;
  maxCallsPerOperation?: number | undefined;
  onBreakerStateChange?: ((state: BreakerState) => void) | undefined;
  now?: () => number;
}

export function createGraphResilience({
  maxConcurrentRequests,
  retryBudget,
  breaker,
  callerQuota,
  operationDeadlineMs,
  maxCallsPerOperation,
  onBreakerStateChange,
  now = Date.now,
}: GraphResilienceOptions): GraphResilience {
  const quota = callerQuota ? createCallerQuota(callerQuota) : undefined;
  return {
    limiter: createConcurrencyLimiter(maxConcurrentRequests),
    budget: createRetryBudget({ ...retryBudget, now }),
    breaker: createCircuitBreaker({ ...breaker, now, onStateChange: onBreakerStateChange }),
    quota,
    beginOperation({ callerKey } = {}) {
      return createOperationScope({
        deadlineMs: operationDeadlineMs,
        maxCalls: maxCallsPerOperation,
        callerKey,
        quota: callerKey === undefined ? undefined : quota,
        now,
      });
    },
  };
}

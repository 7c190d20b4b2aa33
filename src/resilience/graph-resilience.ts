import type { GraphClientConfig } from '../config.js';
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
  onBreakerStateChange?: (state: BreakerState) => void;
  now?: () => number;
}

export function createGraphResilience(options: GraphResilienceOptions): GraphResilience {
  const now = options.now ?? Date.now;
  const quota = options.callerQuota ? createCallerQuota(options.callerQuota) : undefined;
  return {
    limiter: createConcurrencyLimiter(options.maxConcurrentRequests),
    budget: createRetryBudget({ ...options.retryBudget, now }),
    breaker: createCircuitBreaker({ ...options.breaker, now, ...(options.onBreakerStateChange ? { onStateChange: options.onBreakerStateChange } : {}) }),
    quota,
    beginOperation(scope = {}) {
      return createOperationScope({
        deadlineMs: options.operationDeadlineMs,
        maxCalls: options.maxCallsPerOperation,
        callerKey: scope.callerKey,
        quota: scope.callerKey === undefined ? undefined : quota,
        now,
      });
    },
  };
}

/** The resilience knobs of the validated configuration. */
export function graphResilienceOptions(config: GraphClientConfig): GraphResilienceOptions {
  return {
    maxConcurrentRequests: config.maxConcurrentRequests,
    retryBudget: { ratio: config.retryBudgetPercent / 100, minPerSecond: config.retryBudgetMinPerSecond },
    breaker: {
      failureRatio: config.breakerFailurePercent / 100,
      minimumCalls: config.breakerMinCalls,
      windowMs: config.breakerWindowMs,
      openMs: config.breakerOpenMs,
    },
    callerQuota: config.callerCallLimit > 0 ? { calls: config.callerCallLimit, windowMs: config.callerWindowMs } : undefined,
    operationDeadlineMs: config.operationDeadlineMs,
    maxCallsPerOperation: config.maxCallsPerOperation,
  };
}

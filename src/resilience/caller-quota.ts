import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';

/**
 * Per-caller rate limiting of Graph calls (rate-limiter-flexible, fixed windows in memory): the gateway
 * spends one Graph quota (the app's, per tenant) for all of its callers, so one caller's loop or
 * runaway dashboard must not throttle everybody else. Each caller (tenant + object id, or app id for
 * app-only callers) may make `calls` Graph calls per `windowMs`; retries are not counted (the retry
 * budget bounds those). Limits hold per gateway instance.
 */

export interface CallerQuotaOptions {
  /** Graph calls one caller may make per window (CALLER_RATE_LIMIT_CALLS). */
  calls: number;
  /** CALLER_RATE_LIMIT_WINDOW_MS. */
  windowMs: number;
}

export type QuotaAnswer = { ok: true } | { ok: false; retryAfterMs: number };

export interface CallerQuota {
  /** Spends `calls` of the caller's quota; refused (and nothing sent) when it is used up. */
  consume(callerKey: string, calls?: number): Promise<QuotaAnswer>;
  /** Whether the caller has any quota left, without spending it (checked before an operation runs). */
  check(callerKey: string): Promise<QuotaAnswer>;
  readonly options: Readonly<CallerQuotaOptions>;
}

export function createCallerQuota(options: CallerQuotaOptions): CallerQuota {
  const limiter = new RateLimiterMemory({ points: options.calls, duration: options.windowMs / 1000, keyPrefix: 'graph-calls' });
  const refused = (res: RateLimiterRes): QuotaAnswer => ({ ok: false, retryAfterMs: Math.max(1, res.msBeforeNext) });
  return {
    options,
    async consume(callerKey, calls = 1) {
      try {
        await limiter.consume(callerKey, calls);
        return { ok: true };
      } catch (err) {
        // The memory store only rejects with a RateLimiterRes; anything else is a bug worth seeing.
        if (err instanceof RateLimiterRes) return refused(err);
        throw err;
      }
    },
    async check(callerKey) {
      const res = await limiter.get(callerKey);
      if (res === null || res.consumedPoints < options.calls) return { ok: true };
      return refused(res);
    },
  };
}

/** The key a caller's quota is kept under: the same person or app in the same tenant, whatever the token. */
export function callerQuotaKey(caller: { tenantId: string; subject: string }): string {
  return `${caller.tenantId}:${caller.subject}`;
}

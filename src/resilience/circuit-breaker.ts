/**
 * A circuit breaker in front of Graph. It counts the outcome of every Graph call (a lone request, each
 * `$batch` item, and a `$batch` envelope that failed as a whole) in a sliding time window. When enough
 * calls failed with a 5xx or a timeout (429 is Graph working as designed, and 4xx are answers), it opens:
 * calls fail at once with UPSTREAM_UNAVAILABLE instead of queueing behind a dead upstream and holding
 * GraphQL requests open. After `openMs` it lets `halfOpenProbes` calls through; when they succeed it
 * closes, when one fails it opens again.
 *
 * Written here rather than taken from cockatiel or opossum: those wrap one function call, and a `$batch`
 * is one call to them whose 200 hides the 5xx of its items, which are the outcomes that matter.
 */

export type BreakerState = 'closed' | 'open' | 'halfOpen';
export type CallOutcome = 'success' | 'failure' | 'neutral';

export interface CircuitBreakerOptions {
  /** Share of failed calls in the window that opens the circuit (GRAPH_BREAKER_FAILURE_RATIO, e.g. 0.5). */
  failureRatio: number;
  /** Calls the window must hold before the ratio means anything (GRAPH_BREAKER_MIN_CALLS). */
  minimumCalls: number;
  /** Length of the sliding window (GRAPH_BREAKER_WINDOW_MS). */
  windowMs: number;
  /** How long the circuit stays open before probing (GRAPH_BREAKER_OPEN_MS). */
  openMs: number;
  /** Calls let through, and needing to succeed, while half-open. Default 1. */
  halfOpenProbes?: number;
  now?: () => number;
  onStateChange?: ((state: BreakerState) => void) | undefined;
}

export type Admission = { allowed: true; probe: boolean } | { allowed: false; retryAfterMs: number };

export interface CircuitBreaker {
  /** Asks to send one call. A probe must be followed by exactly one `record(…, true)`. */
  admit(): Admission;
  /** The outcome of an admitted call. */
  record(outcome: CallOutcome, probe: boolean): void;
  readonly state: BreakerState;
}

/** Graph has been failing (5xx, timeouts): the circuit breaker is open and the call was not sent. */
export class GraphCircuitOpenError extends Error {
  override readonly name = 'GraphCircuitOpenError';
  constructor(
    /** When the breaker will let a probe through. */
    readonly retryAfterMs: number,
  ) {
    super('Microsoft Graph is failing; the gateway is not calling it for a few seconds. Try again later.');
  }
}

const BUCKETS = 10;

export function createCircuitBreaker({
  halfOpenProbes = 1,
  now = Date.now,
  onStateChange,
  ...options
}: CircuitBreakerOptions): CircuitBreaker {
  const probes = Math.max(1, halfOpenProbes);
  // A probe whose outcome never came (it should always come) must not wedge the breaker half-open.
  const lostProbeMs = Math.max(options.openMs, 30_000);
  const window = createOutcomeWindow(options.windowMs, now);
  let state: BreakerState = 'closed';
  let openedAt = 0;
  let probesInFlight = 0;
  let probeSucceeded = 0;
  let lastProbeAt = 0;

  const enter = (next: BreakerState): void => {
    window.clear();
    probesInFlight = 0;
    probeSucceeded = 0;
    if (next === 'open') openedAt = now();
    if (state === next) return;
    state = next;
    onStateChange?.(next);
  };

  return {
    admit(): Admission {
      if (state === 'closed') return { allowed: true, probe: false };
      const t = now();
      if (state === 'open') {
        const left = openedAt + options.openMs - t;
        if (left > 0) return { allowed: false, retryAfterMs: left };
        enter('halfOpen');
      }
      if (probesInFlight > 0 && t - lastProbeAt > lostProbeMs) probesInFlight = 0;
      if (probesInFlight + probeSucceeded < probes) {
        probesInFlight++;
        lastProbeAt = t;
        return { allowed: true, probe: true };
      }
      return { allowed: false, retryAfterMs: Math.max(1, Math.min(options.openMs, 1_000)) };
    },
    record(outcome: CallOutcome, probe: boolean): void {
      if (probe) {
        if (state !== 'halfOpen') return;
        probesInFlight = Math.max(0, probesInFlight - 1);
        if (outcome === 'failure') enter('open');
        else if (outcome === 'success' && ++probeSucceeded >= probes) enter('closed');
        return;
      }
      // Calls admitted before the circuit opened still finish; their outcomes belong to the old window.
      if (state !== 'closed' || outcome === 'neutral') return;
      const { success, failure } = window.count(outcome);
      const total = success + failure;
      if (total >= options.minimumCalls && failure / total >= options.failureRatio) enter('open');
    },
    get state() {
      if (state === 'open' && now() - openedAt >= options.openMs) return 'halfOpen';
      return state;
    },
  };
}

/** Successes and failures of the last `windowMs`, in {@link BUCKETS} buckets that age out whole. */
function createOutcomeWindow(windowMs: number, now: () => number) {
  const bucketMs = Math.max(1, windowMs / BUCKETS);
  let buckets: Array<{ start: number; success: number; failure: number }> = [];
  return {
    /** Counts one outcome; the totals of the window, this one included. */
    count(outcome: 'success' | 'failure'): { success: number; failure: number } {
      const t = now();
      const start = t - (t % bucketMs);
      buckets = buckets.filter((b) => b.start > t - windowMs);
      let bucket = buckets[buckets.length - 1];
      if (!bucket || bucket.start !== start) {
        bucket = { start, success: 0, failure: 0 };
        buckets.push(bucket);
      }
      bucket[outcome]++;
      const totals = { success: 0, failure: 0 };
      for (const b of buckets) {
        totals.success += b.success;
        totals.failure += b.failure;
      }
      return totals;
    },
    clear(): void {
      buckets = [];
    },
  };
}

/** What a Graph answer says about Graph's health: 5xx are failures, 429 says nothing, anything else is a success. */
export function outcomeOfStatus(status: number): CallOutcome {
  if (status === 429) return 'neutral';
  return status >= 500 ? 'failure' : 'success';
}

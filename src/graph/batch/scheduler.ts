import type { TokenProvider } from '../../auth/types.js';
import type { CircuitBreaker } from '../../resilience/circuit-breaker.js';
import { createConcurrencyLimiter, type ConcurrencyLimiter } from '../../resilience/concurrency.js';
import type { RetryBudget } from '../../resilience/retry-budget.js';
import { DEFAULT_RETRY_OPTIONS, type AttemptOutcome, type RetryOptions } from '../../resilience/retry-policy.js';
import type { GraphHttp } from '../http.js';
import { observeCall, observeHttp, type GraphObserver } from '../observer.js';
import { createBreakerGate } from './breaker-gate.js';
import {
  dueBy,
  failCall,
  pendingCall,
  releaseWaiters,
  type GraphRequestSpec,
  type GraphResult,
  type PendingCall,
  type Waiter,
} from './call.js';
import { createCoalescer } from './coalescer.js';
import { chunks } from './envelope.js';
import { createExchange } from './exchange.js';
import { groupRetries, planRetry } from './retry-planner.js';

/**
 * The `Request → Response` seam under the loaders: `fetch` one Graph request, and the scheduler decides how it
 * travels. Everything asked for in the same turn of the event loop is collected (`coalescer.ts`: identical GETs are
 * sent once), let through the circuit breaker (`breaker-gate.ts`), and sent as a lone request, or as `$batch`
 * envelopes of at most 20 items (`envelope.ts`), all sent at once (`exchange.ts`), so a level of a query costs one round trip. A
 * failed item fails only its own call; a throttled item (429, or 503 with `Retry-After`, inside the 200 envelope)
 * waits for its own `Retry-After` and is batched again with whatever else is due (`retry-planner.ts`).
 *
 * Shared protections (`src/resilience/`) apply on the way out: each envelope or lone request waits for a slot of the
 * gateway-wide limiter, in this scheduler's share (the limiter is fair between shares; `maxConcurrentBatches`, when set,
 * caps this scheduler below that), and each retry needs a token of the retry budget. A call made for an
 * operation (`GraphRequestSpec.operation`) is admitted by its scope first (deadline, call cap, caller quota); a retry
 * that would outlast the deadline is not made, and a call whose deadline passed while it queued is not sent.
 *
 * One scheduler speaks for one identity (its token provider): a `$batch` carries one token for all of its items, so
 * in OBO mode each caller gets a scheduler of their own.
 */

export type { GraphRequestSpec, GraphResult } from './call.js';

export interface GraphFetcher {
  /** Resolves with a 2xx answer; rejects with a GraphRequestError, GraphTransportError, GraphProtocolError or TokenAcquisitionError. */
  fetch<T = unknown>(request: GraphRequestSpec): Promise<GraphResult<T>>;
}

export interface BatchScheduler extends GraphFetcher {
  /** Stops pending retries and rejects their callers. */
  close(): void;
}

/** Time and timers as the scheduler uses them: deadlines, Retry-After waits, and the hand-over after a tick. */
export interface SchedulerClock {
  now(): number;
  /** Runs `run` once this turn of the event loop is over. */
  defer(run: () => void): void;
  setTimeout(run: () => void, ms: number): NodeJS.Timeout;
  clearTimeout(timer: NodeJS.Timeout): void;
}

/** The process's clock, read at each use (so vitest's fake timers, once installed, are what it reads). */
export const systemClock: SchedulerClock = {
  now: () => Date.now(),
  defer: (run) => void setImmediate(run),
  setTimeout: (run, ms) => setTimeout(run, ms),
  clearTimeout: (timer) => clearTimeout(timer),
};

export interface BatchSchedulerOptions {
  http: GraphHttp;
  tokenProvider: TokenProvider;
  /** Upstream requests (envelopes or lone requests) this scheduler has in flight at once; default: only the gateway-wide limit. */
  maxConcurrentBatches?: number | undefined;
  /** Over DEFAULT_RETRY_OPTIONS. */
  retry?: Partial<RetryOptions> | undefined;
  /** Upstream requests in flight across every scheduler of the gateway. */
  globalLimiter?: ConcurrencyLimiter | undefined;
  /** Whose turn this scheduler's requests wait in at the gateway-wide limiter (the caller it acts for); default: a common one. */
  share?: string | undefined;
  /** Retries of every scheduler of the gateway together. */
  retryBudget?: RetryBudget | undefined;
  circuitBreaker?: CircuitBreaker | undefined;
  /** Metrics and traces (`src/observability/`): told of every call, upstream exchange and retry. */
  observer?: GraphObserver | undefined;
  /** Default {@link systemClock}; the scheduler's own tests pass one over vitest's fake timers. */
  clock?: SchedulerClock;
}

export function createBatchScheduler({
  http,
  tokenProvider,
  maxConcurrentBatches,
  retry,
  globalLimiter,
  share,
  retryBudget,
  circuitBreaker,
  observer,
  clock = systemClock,
}: BatchSchedulerOptions): BatchScheduler {
  const own = maxConcurrentBatches === undefined ? undefined : createConcurrencyLimiter(maxConcurrentBatches);
  const shared = (task: () => Promise<void>): Promise<void> => (globalLimiter ? globalLimiter.run(task, share) : task());
  // A per-scheduler cap, when set, is taken first, so a capped client never queues more than its cap at the shared limiter.
  const limit = (task: () => Promise<void>): Promise<void> => (own ? own.run(() => shared(task)) : shared(task));
  const gate = createBreakerGate(circuitBreaker);
  const retries = createRetries({
    clock,
    options: { ...DEFAULT_RETRY_OPTIONS, ...retry },
    budget: retryBudget,
    observer,
    due: (call) => coalescer.add(call),
  });
  const exchange = createExchange({
    http: observeHttp(http, observer),
    tokenProvider,
    gate,
    now: () => clock.now(),
    failed: retries.failed,
  });
  const coalescer = createCoalescer<PendingCall>({
    defer: (run) => clock.defer(run),
    flush(calls) {
      for (const chunk of chunks(calls.filter((call) => gate.admit(call)))) {
        // Nobody awaits the send. Every failure of a call settles its waiters, so it rejects only when a hook throws
        // (observer, breaker): then the calls it carried fail with that error rather than wait forever (those
        // already answered keep their answer, and the record of it).
        limit(async () => {
          try {
            await exchange(chunk);
          } finally {
            retries.arm();
          }
        }).catch((err: unknown) => {
          for (const call of chunk) for (const w of call.waiters) w.reject(err);
        });
      }
    },
  });

  return {
    fetch: <T>(spec: GraphRequestSpec) =>
      observedCall<T>(observer, spec, {
        closed: () => retries.closed,
        start(waiter) {
          retryBudget?.onCall();
          coalescer.add(pendingCall(spec, waiter));
        },
      }),
    close: () => retries.close(),
  };
}

/**
 * A call as its caller sees it: observed from here, in the caller's async context (so it is attributed to its
 * operation), admitted by its operation's scope, then handed to `start` unless the scheduler was closed meanwhile.
 * Settled once, and settled even when an observer hook throws: a send that a hook broke may fail a call already
 * answered.
 */
function observedCall<T>(
  observer: GraphObserver | undefined,
  spec: GraphRequestSpec,
  { closed, start }: { closed: () => boolean; start: (waiter: Omit<Waiter, 'operation'>) => void },
): Promise<GraphResult<T>> {
  return new Promise<GraphResult<T>>((settled, failed) => {
    const [observedResolve, observedReject] = observeCall<GraphResult<T>>(observer, spec, settled, failed);
    let done = false;
    const once =
      <A>(observed: (a: A) => void, plain: (a: A) => void) =>
      (a: A): void => {
        if (done) return;
        done = true;
        try {
          observed(a);
        } finally {
          plain(a);
        }
      };
    const waiter = { resolve: once(observedResolve, settled) as (result: GraphResult) => void, reject: once(observedReject, failed) };
    const go = (): void => (closed() ? waiter.reject(new Error('The Graph client is closed.')) : start(waiter));
    if (closed()) return go();
    let gate: Promise<void> | undefined;
    try {
      gate = spec.operation?.admit(spec.replacesRefused === true);
    } catch (err) {
      waiter.reject(err);
      return;
    }
    // The quota answers within this tick's microtasks, so the call still meets the others of its tick.
    if (gate) gate.then(go).catch(waiter.reject);
    else go();
  });
}

interface RetriesOptions {
  clock: SchedulerClock;
  options: RetryOptions;
  budget: RetryBudget | undefined;
  observer: GraphObserver | undefined;
  /** A retry is due: the call goes back to the coalescer, to travel with whatever else is asked for then. */
  due(call: PendingCall): void;
}

/**
 * The retries of one scheduler: planned while an answer is read (`failed`), armed together once it is read (`arm`),
 * cancelled by `close`.
 */
function createRetries({ clock, options, budget, observer, due }: RetriesOptions) {
  let planned: Array<{ item: PendingCall; delayMs: number }> = [];
  const waiting = new Map<NodeJS.Timeout, PendingCall[]>();
  let closed = false;
  return {
    get closed() {
      return closed;
    },
    failed(call: PendingCall, outcome: AttemptOutcome, error: unknown): void {
      const now = clock.now();
      const deadlines = call.waiters.map((w) => w.operation?.deadline);
      const plan = closed
        ? { retry: false as const }
        : planRetry(
            { outcome, attempts: call.attempts, idempotent: call.idempotent, deadlines },
            { options, now, budgetAllows: budget ? budget.available >= 1 : true },
          );
      if (!plan.retry) return failCall(call, error);
      releaseWaiters(
        call,
        (w) => dueBy(w, plan.dueAt),
        () => error,
      );
      // The plan saw a retry in the budget a moment ago: this takes it.
      budget?.tryRetry();
      observer?.retry(outcome, plan.delayMs);
      planned.push({ item: call, delayMs: plan.delayMs });
    },
    arm(): void {
      for (const { waitMs, items } of groupRetries(planned)) {
        const timer = clock.setTimeout(() => {
          waiting.delete(timer);
          for (const call of items) due(call);
        }, waitMs);
        waiting.set(timer, items);
      }
      planned = [];
    },
    close(): void {
      closed = true;
      for (const [timer, calls] of waiting) {
        clock.clearTimeout(timer);
        for (const call of calls) failCall(call, new Error('The Graph client was closed before a retry.'));
      }
      waiting.clear();
    },
  };
}

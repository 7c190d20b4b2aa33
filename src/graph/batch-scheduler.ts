import { randomUUID } from 'node:crypto';
import type { TokenProvider } from '../auth/types.js';
import type { GraphBatchRequestItem, GraphHttpMethod } from './dto.js';
import { outcomeOfStatus, type CallOutcome, type CircuitBreaker } from '../resilience/circuit-breaker.js';
import { createConcurrencyLimiter, type ConcurrencyLimiter } from '../resilience/concurrency.js';
import { GraphCircuitOpenError, GraphDeadlineError, GraphProtocolError, GraphRequestError, GraphTransportError } from './errors.js';
import { PREFER_UNKNOWN_ENUM_MEMBERS, graphRequestError, lowerCaseHeaders, transportError, type GraphHttp } from './http.js';
import { observeCall, observeHttp, type GraphObserver } from './observer.js';
import type { OperationScope } from '../resilience/operation.js';
import { DEFAULT_RETRY_OPTIONS, decideRetry, type AttemptOutcome, type RetryOptions } from '../resilience/retry-policy.js';
import type { RetryBudget } from '../resilience/retry-budget.js';
import { graphPaths, type GraphPath } from './url.js';

/**
 * The `Request → Response` seam under the loaders: `fetch` one Graph request, and the scheduler
 * decides how it travels. Everything asked for in the same turn of the event loop is collected
 * (DataLoaders of one nesting level dispatch together) and then:
 *
 * - identical GETs (same method, URL and body) are sent once and share the answer;
 * - a lone request goes out as itself, unbatched;
 * - two or more go out as `POST /$batch` envelopes of at most 20 items, sent concurrently up to
 *   `maxConcurrentBatches`; items carry relative URLs, their own `client-request-id` and `Prefer`
 *   headers, and are matched to their answers by id, whatever order Graph answers in;
 * - an item that failed fails only its own promise; a throttled item (429, or 503 with
 *   `Retry-After`, inside the 200 envelope) waits for its own `Retry-After` and is batched again
 *   with whatever else is due; a throttled envelope is retried the same way (see `retry.ts`).
 *
 * `dependsOn` is not offered: nothing in the gateway needs ordered items yet, and a retried item
 * would have to carry its dependencies along.
 *
 * Shared protections (`resilience.ts`) apply on the way out: each call must be let through by the
 * circuit breaker (an open circuit fails it at once), each envelope or lone request waits for a slot of
 * this scheduler and then of the gateway-wide limiter, and each retry needs a token of the retry
 * budget. A call made for an operation (`GraphRequestSpec.operation`) is admitted by its scope first
 * (deadline, call cap, caller quota); a retry that would outlast the deadline is not made, and a call
 * whose deadline passed while it queued is not sent.
 *
 * One scheduler speaks for one identity (its token provider): a `$batch` carries one token for
 * all of its items, so in OBO mode each caller gets a scheduler of their own.
 */

export interface GraphRequestSpec {
  method: GraphHttpMethod;
  /** Relative to the version root, built by `url.ts`. */
  path: GraphPath;
  /** JSON body (POST, PATCH). */
  body?: unknown;
  /**
   * Whether repeating the call after an ambiguous failure (timeout, reset, 502/504) is harmless.
   * Default: true for GET only. `restorePoints/search` is a POST that only reads.
   */
  idempotent?: boolean;
  /** The GraphQL operation this call is made for: its deadline, call cap and caller quota apply, and its writes are recorded. */
  operation?: OperationScope | undefined;
}

export interface GraphResult<T = unknown> {
  status: number;
  /** Lower-cased names. */
  headers: Record<string, string>;
  body: T;
  /** Graph's `request-id` of the (last) attempt. */
  requestId: string | undefined;
  /** The `client-request-id` the gateway sent, the same on every attempt. */
  clientRequestId: string;
}

export interface GraphFetcher {
  /** Resolves with a 2xx answer; rejects with a GraphRequestError, GraphTransportError, GraphProtocolError or TokenAcquisitionError. */
  fetch<T = unknown>(request: GraphRequestSpec): Promise<GraphResult<T>>;
}

export interface BatchScheduler extends GraphFetcher {
  /** Stops pending retries and rejects their callers. */
  close(): void;
}

export interface BatchSchedulerOptions {
  http: GraphHttp;
  tokenProvider: TokenProvider;
  /** Items per `$batch` envelope (Graph allows 20). */
  maxBatchSize?: number;
  /** Upstream requests (envelopes or lone requests) this scheduler has in flight at once. */
  maxConcurrentBatches?: number;
  retry?: Partial<RetryOptions>;
  /** Upstream requests in flight across every scheduler of the gateway. */
  globalLimiter?: ConcurrencyLimiter | undefined;
  /** Whose turn this scheduler's requests wait in at the gateway-wide limiter (the caller it acts for); default: a common one. */
  share?: string | undefined;
  /** Retries of every scheduler of the gateway together. */
  retryBudget?: RetryBudget | undefined;
  circuitBreaker?: CircuitBreaker | undefined;
  /** Metrics and traces (`src/observability/`): told of every call, upstream exchange and retry. */
  observer?: GraphObserver | undefined;
}

export const MAX_BATCH_SIZE = 20;

// Retries due within this many ms of each other travel together.
const RETRY_GROUP_MS = 10;
// Timers may fire a hair early against the wall clock Graph measures with; a retry must never be.
const RETRY_MARGIN_MS = 2;

interface Waiter {
  resolve(result: GraphResult): void;
  reject(error: unknown): void;
  operation: OperationScope | undefined;
}

interface Entry {
  spec: GraphRequestSpec;
  /** Set for GETs: the identity used to coalesce duplicates. */
  key: string | undefined;
  waiters: Waiter[];
  attempts: number;
  idempotent: boolean;
  clientRequestId: string;
  /** The breaker let the current attempt through as a half-open probe. */
  probe: boolean;
}

export function createBatchScheduler(options: BatchSchedulerOptions): BatchScheduler {
  const { tokenProvider, observer } = options;
  const http = observeHttp(options.http, observer);
  const maxBatchSize = Math.min(MAX_BATCH_SIZE, Math.max(1, options.maxBatchSize ?? MAX_BATCH_SIZE));
  const retryOptions: RetryOptions = { ...DEFAULT_RETRY_OPTIONS, ...options.retry };
  const own = createConcurrencyLimiter(Math.max(1, options.maxConcurrentBatches ?? 4));
  const { globalLimiter, retryBudget: budget, circuitBreaker: breaker } = options;
  // This scheduler's slot first, so one client cannot queue more than its share at the gateway-wide limiter.
  const limit = (task: () => Promise<void>): Promise<void> => own.run(() => (globalLimiter ? globalLimiter.run(task, options.share) : task()));
  let queue: Entry[] = [];
  const queuedByKey = new Map<string, Entry>();
  let flushScheduled = false;
  const retrying = new Map<NodeJS.Timeout, Entry[]>();
  // Retries decided while reading the current answer; armed together once it is read.
  let planned: Array<{ entry: Entry; delayMs: number }> = [];
  let closed = false;

  function enqueue(entry: Entry): void {
    if (entry.key !== undefined) {
      const twin = queuedByKey.get(entry.key);
      if (twin) {
        twin.waiters.push(...entry.waiters);
        return;
      }
      queuedByKey.set(entry.key, entry);
    }
    queue.push(entry);
    if (!flushScheduled) {
      flushScheduled = true;
      // setImmediate, not a microtask: loaders of one nesting level dispatch over several
      // microtask turns, and all of them should share the envelopes.
      setImmediate(flush);
    }
  }

  function flush(): void {
    flushScheduled = false;
    const entries = queue.filter(admitted);
    queue = [];
    queuedByKey.clear();
    if (entries.length === 0) return;
    if (entries.length === 1) {
      const [only] = entries as [Entry];
      dispatch([only], () => sendOne(only));
      return;
    }
    for (let i = 0; i < entries.length; i += maxBatchSize) {
      const chunk = entries.slice(i, i + maxBatchSize);
      dispatch(chunk, () => (chunk.length === 1 ? sendOne(chunk[0] as Entry) : sendBatch(chunk)));
    }
  }

  /**
   * Sends under the limiters; nobody awaits the send itself. Every failure of a call settles its waiters, so
   * it rejects only when a hook throws (observer, breaker): then the calls it carried fail with that error
   * rather than wait forever (those already answered keep their answer).
   */
  function dispatch(entries: Entry[], send: () => Promise<void>): void {
    limit(send).catch((err: unknown) => {
      for (const entry of entries) for (const w of entry.waiters) w.reject(err);
    });
  }

  async function token(entries: Entry[]): Promise<string | undefined> {
    try {
      return await tokenProvider.getGraphToken();
    } catch (err) {
      // msal-node has already retried what was worth retrying. Graph was not asked: nothing to tell the breaker.
      for (const entry of entries) {
        report(entry, 'neutral');
        fail(entry, err);
      }
      return undefined;
    }
  }

  /** The time one exchange may take: GRAPH_TIMEOUT_MS, or less when every waiter's deadline is nearer. */
  function timeoutFor(entries: Entry[]): number | undefined {
    let latest = 0;
    for (const entry of entries) {
      for (const w of entry.waiters) {
        const deadline = w.operation?.deadline;
        if (deadline === undefined) return undefined;
        latest = Math.max(latest, deadline);
      }
    }
    return Math.max(1, latest - Date.now());
  }

  /** Whether the circuit breaker lets this attempt out; when it does not, the call fails at once. */
  function admitted(entry: Entry): boolean {
    entry.probe = false;
    if (!breaker) return true;
    const admission = breaker.admit();
    if (!admission.allowed) {
      fail(entry, new GraphCircuitOpenError(admission.retryAfterMs));
      return false;
    }
    entry.probe = admission.probe;
    return true;
  }

  function report(entry: Entry, outcome: CallOutcome): void {
    if (!breaker) return;
    breaker.record(outcome, entry.probe);
    entry.probe = false;
  }

  /** Fails the waiters whose operation's deadline passed while the call queued; false when none is left to send for. */
  function stillWanted(entry: Entry): boolean {
    const now = Date.now();
    entry.waiters = entry.waiters.filter((w) => {
      const deadline = w.operation?.deadline;
      if (deadline === undefined || now < deadline) return true;
      w.reject(new GraphDeadlineError(deadline));
      return false;
    });
    if (entry.waiters.length > 0) return true;
    report(entry, 'neutral');
    return false;
  }

  async function sendOne(entry: Entry): Promise<void> {
    try {
      if (stillWanted(entry)) await attemptOne(entry);
    } finally {
      armPlanned();
    }
  }

  async function sendBatch(chunk: Entry[]): Promise<void> {
    try {
      const wanted = chunk.filter(stillWanted);
      if (wanted.length === 1) await attemptOne(wanted[0] as Entry);
      else if (wanted.length > 1) await attemptBatch(wanted);
    } finally {
      armPlanned();
    }
  }

  async function attemptOne(entry: Entry): Promise<void> {
    entry.attempts++;
    const bearer = await token([entry]);
    if (bearer === undefined) return;
    try {
      const timeoutMs = timeoutFor([entry]);
      const res = await http.send({
        method: entry.spec.method,
        path: entry.spec.path,
        token: bearer,
        clientRequestId: entry.clientRequestId,
        ...(entry.spec.body !== undefined ? { body: entry.spec.body } : {}),
        ...(timeoutMs !== undefined ? { timeoutMs } : {}),
      });
      report(entry, outcomeOfStatus(res.status));
      settle(entry, res.status, res.headers, res.body);
    } catch (err) {
      report(entry, err instanceof GraphTransportError && err.notSent && err.reason !== 'refused' ? 'neutral' : 'failure');
      failedInTransit(entry, err);
    }
  }

  async function attemptBatch(chunk: Entry[]): Promise<void> {
    for (const entry of chunk) entry.attempts++;
    const bearer = await token(chunk);
    if (bearer === undefined) return;
    const requests: GraphBatchRequestItem[] = chunk.map((entry, i) => {
      const headers: Record<string, string> = {
        'client-request-id': entry.clientRequestId,
        prefer: PREFER_UNKNOWN_ENUM_MEMBERS,
      };
      const item: GraphBatchRequestItem = { id: String(i + 1), method: entry.spec.method, url: entry.spec.path, headers };
      if (entry.spec.body !== undefined) {
        headers['content-type'] = 'application/json';
        item.body = entry.spec.body;
      }
      return item;
    });
    const envelopeId = randomUUID();
    const timeoutMs = timeoutFor(chunk);
    let res;
    try {
      res = await http.send({
        method: 'POST',
        path: graphPaths.batch(),
        token: bearer,
        clientRequestId: envelopeId,
        body: { requests },
        ...(timeoutMs !== undefined ? { timeoutMs } : {}),
      });
    } catch (err) {
      // One lost connection is one failure for the breaker, however many items it carried.
      reportEnvelope(chunk, 'failure');
      for (const entry of chunk) failedInTransit(entry, err);
      return;
    }
    if (res.status < 200 || res.status >= 300) {
      // The envelope failed as a whole (throttled, unauthenticated, down): every item shares its fate.
      reportEnvelope(chunk, outcomeOfStatus(res.status));
      const error = graphRequestError(res.status, res.headers, res.body, envelopeId);
      for (const entry of chunk) retryOrFail(entry, { kind: 'status', status: error.status, retryAfterMs: error.retryAfterMs }, error);
      return;
    }
    const answers = new Map<string, { status: number; headers: Record<string, string>; body: unknown }>();
    const responses = (res.body as { responses?: unknown } | undefined)?.responses;
    if (Array.isArray(responses)) {
      for (const r of responses as Array<Record<string, unknown>>) {
        if (typeof r !== 'object' || r === null || typeof r.id !== 'string' || typeof r.status !== 'number') continue;
        answers.set(r.id.toLowerCase(), { status: r.status, headers: lowerCaseHeaders(r.headers), body: r.body });
      }
    }
    chunk.forEach((entry, i) => {
      const answer = answers.get(String(i + 1));
      if (!answer) {
        report(entry, 'failure');
        fail(entry, new GraphProtocolError('Microsoft Graph left a batched request unanswered.', res.headers['request-id'], envelopeId));
        return;
      }
      report(entry, outcomeOfStatus(answer.status));
      settle(entry, answer.status, answer.headers, answer.body);
    });
  }

  /** An envelope that failed as a whole counts once; its probes (if any) learn the same outcome. */
  function reportEnvelope(chunk: Entry[], outcome: CallOutcome): void {
    if (!breaker) return;
    let counted = false;
    for (const entry of chunk) {
      if (entry.probe) report(entry, outcome);
      else if (!counted) {
        counted = true;
        breaker.record(outcome, false);
      }
    }
  }

  function settle(entry: Entry, status: number, headers: Record<string, string>, body: unknown): void {
    if (status >= 200 && status < 300) {
      const result: GraphResult = { status, headers, body, requestId: headers['request-id'], clientRequestId: entry.clientRequestId };
      recordWrite(entry, status, result.requestId);
      for (const w of entry.waiters) w.resolve(result);
      return;
    }
    const error: GraphRequestError = graphRequestError(status, headers, body, entry.clientRequestId);
    retryOrFail(entry, { kind: 'status', status, retryAfterMs: error.retryAfterMs }, error);
  }

  function failedInTransit(entry: Entry, err: unknown): void {
    if (err instanceof GraphProtocolError) {
      fail(entry, err);
      return;
    }
    const error = transportError(err, entry.clientRequestId);
    retryOrFail(entry, { kind: 'transport', notSent: error.notSent, reason: error.reason }, error);
  }

  function retryOrFail(entry: Entry, outcome: AttemptOutcome, error: unknown): void {
    const decision = closed ? { retry: false as const } : decideRetry(outcome, entry.attempts, entry.idempotent, retryOptions);
    if (!decision.retry) {
      fail(entry, error);
      return;
    }
    // Waiters whose operation would be over before the retry is due get the failure now; a
    // Retry-After longer than what is left is answered as throttled, never waited out.
    const dueAt = Date.now() + decision.delayMs + RETRY_MARGIN_MS;
    entry.waiters = entry.waiters.filter((w) => {
      const deadline = w.operation?.deadline;
      if (deadline === undefined || dueAt < deadline) return true;
      w.reject(error);
      return false;
    });
    if (entry.waiters.length === 0) {
      recordWrite(entry, statusOf(error), requestIdOf(error));
      return;
    }
    if (budget && !budget.tryRetry()) {
      fail(entry, error);
      return;
    }
    observer?.retry(outcome, decision.delayMs);
    planned.push({ entry, delayMs: decision.delayMs });
  }

  /** Writes are recorded on their operation (for the audit log) with their final answer. */
  function recordWrite(entry: Entry, status: number, requestId: string | undefined): void {
    if (entry.spec.method === 'GET' || entry.idempotent) return;
    for (const w of entry.waiters) {
      w.operation?.recordWrite({
        method: entry.spec.method,
        path: entry.spec.path,
        status,
        requestId: requestId ?? null,
        clientRequestId: entry.clientRequestId,
        attempts: entry.attempts,
      });
    }
  }

  /**
   * Arms the retries decided while reading one answer. Items due at about the same time (same
   * Retry-After, or backoffs within a few ms) share one timer, so they go out together in one
   * envelope; each waits the longest delay of its group, never less than its own.
   */
  function armPlanned(): void {
    if (planned.length === 0) return;
    const groups = new Map<number, { delayMs: number; entries: Entry[] }>();
    for (const { entry, delayMs } of planned) {
      const bucket = Math.ceil(delayMs / RETRY_GROUP_MS);
      const group = groups.get(bucket) ?? { delayMs: 0, entries: [] };
      group.delayMs = Math.max(group.delayMs, delayMs);
      group.entries.push(entry);
      groups.set(bucket, group);
    }
    planned = [];
    for (const group of groups.values()) {
      const timer = setTimeout(() => {
        retrying.delete(timer);
        for (const entry of group.entries) enqueue(entry);
      }, Math.ceil(group.delayMs) + RETRY_MARGIN_MS);
      retrying.set(timer, group.entries);
    }
  }

  function fail(entry: Entry, error: unknown): void {
    recordWrite(entry, statusOf(error), requestIdOf(error));
    for (const w of entry.waiters) w.reject(error);
  }

  return {
    fetch<T>(spec: GraphRequestSpec): Promise<GraphResult<T>> {
      return new Promise<GraphResult<T>>((settled, failed) => {
        // Observed from here, in the caller's async context, so the call is attributed to its operation.
        const [observedResolve, observedReject] = observeCall<GraphResult<T>>(observer, spec, settled, failed);
        // Settled once, and settled even when an observer hook throws: `dispatch` may fail a call already answered.
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
        const resolve = once(observedResolve, settled);
        const reject = once(observedReject, failed);
        if (closed) {
          reject(new Error('The Graph client is closed.'));
          return;
        }
        const isGet = spec.method === 'GET';
        const { operation, ...request } = spec;
        const entry: Entry = {
          spec: request,
          key: isGet ? `GET ${spec.path} ${spec.body === undefined ? '' : JSON.stringify(spec.body)}` : undefined,
          waiters: [{ resolve: resolve as (r: GraphResult) => void, reject, operation }],
          attempts: 0,
          idempotent: spec.idempotent ?? isGet,
          clientRequestId: randomUUID(),
          probe: false,
        };
        let gate: Promise<void> | undefined;
        try {
          gate = operation?.admit();
        } catch (err) {
          reject(err);
          return;
        }
        const go = (): void => {
          if (closed) {
            reject(new Error('The Graph client is closed.'));
            return;
          }
          budget?.onCall();
          enqueue(entry);
        };
        // The quota answers within this tick's microtasks, so the call still meets the others of its tick.
        if (gate) gate.then(go).catch(reject);
        else go();
      });
    },
    close(): void {
      closed = true;
      for (const [timer, entries] of retrying) {
        clearTimeout(timer);
        for (const entry of entries) fail(entry, new Error('The Graph client was closed before a retry.'));
      }
      retrying.clear();
    },
  };
}

function statusOf(error: unknown): number {
  return error instanceof GraphRequestError ? error.status : 0;
}

function requestIdOf(error: unknown): string | undefined {
  return error instanceof GraphRequestError ? error.requestId : undefined;
}

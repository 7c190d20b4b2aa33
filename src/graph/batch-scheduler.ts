import { randomUUID } from 'node:crypto';
import type { TokenProvider } from '../auth/types.js';
import type { GraphBatchRequestItem, GraphHttpMethod } from './dto.js';
import { GraphProtocolError, type GraphRequestError } from './errors.js';
import { PREFER_UNKNOWN_ENUM_MEMBERS, graphRequestError, lowerCaseHeaders, transportError, type GraphHttp } from './http.js';
import { DEFAULT_RETRY_OPTIONS, decideRetry, type AttemptOutcome, type RetryOptions } from './retry.js';
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
}

export const MAX_BATCH_SIZE = 20;

// Retries due within this many ms of each other travel together.
const RETRY_GROUP_MS = 10;
// Timers may fire a hair early against the wall clock Graph measures with; a retry must never be.
const RETRY_MARGIN_MS = 2;

interface Waiter {
  resolve(result: GraphResult): void;
  reject(error: unknown): void;
}

interface Entry {
  spec: GraphRequestSpec;
  /** Set for GETs: the identity used to coalesce duplicates. */
  key: string | undefined;
  waiters: Waiter[];
  attempts: number;
  idempotent: boolean;
  clientRequestId: string;
}

export function createBatchScheduler(options: BatchSchedulerOptions): BatchScheduler {
  const { http, tokenProvider } = options;
  const maxBatchSize = Math.min(MAX_BATCH_SIZE, Math.max(1, options.maxBatchSize ?? MAX_BATCH_SIZE));
  const retryOptions: RetryOptions = { ...DEFAULT_RETRY_OPTIONS, ...options.retry };
  const limit = createLimiter(Math.max(1, options.maxConcurrentBatches ?? 4));
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
    const entries = queue;
    queue = [];
    queuedByKey.clear();
    if (entries.length === 1) {
      const [only] = entries as [Entry];
      void limit(() => sendOne(only));
      return;
    }
    for (let i = 0; i < entries.length; i += maxBatchSize) {
      const chunk = entries.slice(i, i + maxBatchSize);
      void limit(() => (chunk.length === 1 ? sendOne(chunk[0] as Entry) : sendBatch(chunk)));
    }
  }

  async function token(entries: Entry[]): Promise<string | undefined> {
    try {
      return await tokenProvider.getGraphToken();
    } catch (err) {
      // msal-node has already retried what was worth retrying.
      for (const entry of entries) fail(entry, err);
      return undefined;
    }
  }

  async function sendOne(entry: Entry): Promise<void> {
    try {
      await attemptOne(entry);
    } finally {
      armPlanned();
    }
  }

  async function sendBatch(chunk: Entry[]): Promise<void> {
    try {
      await attemptBatch(chunk);
    } finally {
      armPlanned();
    }
  }

  async function attemptOne(entry: Entry): Promise<void> {
    entry.attempts++;
    const bearer = await token([entry]);
    if (bearer === undefined) return;
    try {
      const res = await http.send({
        method: entry.spec.method,
        path: entry.spec.path,
        token: bearer,
        clientRequestId: entry.clientRequestId,
        ...(entry.spec.body !== undefined ? { body: entry.spec.body } : {}),
      });
      settle(entry, res.status, res.headers, res.body);
    } catch (err) {
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
    let res;
    try {
      res = await http.send({ method: 'POST', path: graphPaths.batch(), token: bearer, clientRequestId: envelopeId, body: { requests } });
    } catch (err) {
      for (const entry of chunk) failedInTransit(entry, err);
      return;
    }
    if (res.status < 200 || res.status >= 300) {
      // The envelope failed as a whole (throttled, unauthenticated, down): every item shares its fate.
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
        fail(entry, new GraphProtocolError('Microsoft Graph left a batched request unanswered.', res.headers['request-id'], envelopeId));
        return;
      }
      settle(entry, answer.status, answer.headers, answer.body);
    });
  }

  function settle(entry: Entry, status: number, headers: Record<string, string>, body: unknown): void {
    if (status >= 200 && status < 300) {
      const result: GraphResult = { status, headers, body, requestId: headers['request-id'], clientRequestId: entry.clientRequestId };
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
    planned.push({ entry, delayMs: decision.delayMs });
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
    for (const w of entry.waiters) w.reject(error);
  }

  return {
    fetch<T>(spec: GraphRequestSpec): Promise<GraphResult<T>> {
      return new Promise<GraphResult<T>>((resolve, reject) => {
        if (closed) {
          reject(new Error('The Graph client is closed.'));
          return;
        }
        const isGet = spec.method === 'GET';
        enqueue({
          spec,
          key: isGet ? `GET ${spec.path} ${spec.body === undefined ? '' : JSON.stringify(spec.body)}` : undefined,
          waiters: [{ resolve: resolve as (r: GraphResult) => void, reject }],
          attempts: 0,
          idempotent: spec.idempotent ?? isGet,
          clientRequestId: randomUUID(),
        });
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

/** At most `max` tasks at once; a finished task hands its slot straight to the next waiting one. */
function createLimiter(max: number): (task: () => Promise<void>) => Promise<void> {
  let active = 0;
  const waiting: Array<() => void> = [];
  return async (task) => {
    if (active < max) active++;
    else await new Promise<void>((resolve) => waiting.push(resolve));
    try {
      await task();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else active--;
    }
  };
}

import type { TokenProvider } from '../auth/types.js';
import type { GraphClientConfig } from '../config.js';
import type {
  GraphCollectionPage,
  GraphCreateSharePointRestoreSessionRequest,
  GraphCreateSiteRestoreArtifactsBulkAdditionRequest,
  GraphProtectionUnit,
  GraphRestorePoint,
  GraphRestorePointSearchRequest,
  GraphRestorePointSearchResponse,
  GraphRestoreSession,
  GraphSharePointRestoreSession,
  GraphSiteProtectionUnit,
  GraphSiteRestoreArtifact,
  GraphSiteRestoreArtifactCreate,
  GraphSiteRestoreArtifactsBulkAdditionRequest,
  GraphUpdateSharePointRestoreSessionRequest,
  GraphUpdateSharePointRestoreSessionResponse,
  SessionScopedBulkAdditionRequest,
  SessionScopedSiteRestoreArtifact,
} from './dto.js';
import { createBatchScheduler, type BatchScheduler, type GraphFetcher, type GraphRequestSpec, type GraphResult } from './batch-scheduler.js';
import { GraphInputError, GraphOutcomeUnknownError, GraphProtocolError, GraphRequestError, isAmbiguousFailure, type GraphWriteOperation } from './errors.js';
import { createGraphHttp, type GraphHttp } from './http.js';
import type { GraphObserver } from './observer.js';
import type { OperationScope } from '../resilience/operation.js';
import type { GraphResilience } from '../resilience/graph-resilience.js';
import { emptySliceFollowUp, pageQueryOptions, pageRequest, rerootNextLink, toPage, type GraphPage, type PageRequest } from './paging.js';
import type { RetryOptions } from '../resilience/retry-policy.js';
import { graphPaths, odataString, type GraphPath, type QueryOptions } from './url.js';

/**
 * The typed Graph client the loaders and mutations use: one method per backup-storage operation
 * the gateway needs, each returning Graph's DTOs. Below it sit the `$batch` scheduler (coalescing,
 * retries), the HTTP layer and URL building; above it nobody builds URLs or sees `$batch`.
 *
 * Filters take Graph's enum members (the resolvers map GraphQL values with `enums.ts`), and are
 * written as `eq`/`or` chains, the OData subset every Graph API supports.
 *
 * Writes are never repeated after an ambiguous failure (the answer was lost: a dropped connection, a
 * timeout, a 5xx other than 503 with `Retry-After`), because Graph may have done them. Instead the
 * client reads back what can be read: an activation is confirmed by the session no longer being a
 * draft, a deletion by the item being gone (and when Graph still shows the draft, or the item, the
 * write certainly did not happen and is sent once more). What cannot be read back (a create, an
 * update, an addition) fails with GraphOutcomeUnknownError, and nothing is repeated, so a retry never
 * creates a second session.
 */

export interface GraphClientOptions {
  /** Graph base URL with its version. Ignored when `http` is given. */
  baseUrl: string;
  /** Whose token goes upstream: the app, or (OBO) one caller. */
  tokenProvider: TokenProvider;
  /** Extra trusted CA certificates (PEM). Ignored when `http` is given. */
  ca?: readonly string[];
  /** GRAPH_TIMEOUT_MS. Ignored when `http` is given. */
  timeoutMs?: number;
  /** Share keep-alive connections with other clients (one client per caller in OBO mode). */
  http?: GraphHttp;
  /** GRAPH_MAX_CONCURRENT_BATCHES. */
  maxConcurrentBatches?: number;
  /** GRAPH_RETRY_MAX, GRAPH_RETRY_BASE_MS and the longer-tail knobs of `retry.ts`. */
  retry?: Partial<RetryOptions>;
  /** The gateway-wide limiter, retry budget and circuit breaker; shared with every `withTokenProvider` client. */
  resilience?: GraphResilience | undefined;
  /** Metrics and traces of every call, exchange and retry; shared with every `withTokenProvider` client. */
  observer?: GraphObserver | undefined;
}

export interface PageArgs {
  /** 1..100; default 20. */
  first?: number | null;
  /** A cursor this same list (and filter) returned. */
  after?: string | null;
}

export interface SessionListArgs extends PageArgs {
  filter?: {
    /** Graph `restoreSessionStatus` members; any of them. */
    status?: readonly string[] | null;
    /** Graph `restoreJobType` members; any of them. */
    restoreJobType?: readonly string[] | null;
  } | null;
}

export interface ArtifactListArgs extends PageArgs {
  filter?: {
    /** Graph `artifactRestoreStatus` members; any of them. */
    status?: readonly string[] | null;
  } | null;
}

export interface GraphClient extends GraphFetcher {
  readonly baseUrl: string;
  /**
   * A client for another identity, sharing this one's connections (its own `$batch` scheduler). `share` names whose
   * turn its requests wait in at the gateway-wide limiter (the caller), so one caller's queue never delays another's.
   */
  withTokenProvider(tokenProvider: TokenProvider, share?: string): GraphClient;
  /** This client (same scheduler) for one GraphQL operation: every call is admitted and recorded by `operation`. */
  withOperation(operation: OperationScope): GraphClient;
  /** The operation this client works for, if any. */
  readonly operation: OperationScope | undefined;

  getSession(id: string): Promise<GraphRestoreSession>;
  listSessions(args?: SessionListArgs): Promise<GraphPage<GraphRestoreSession>>;
  listSharePointSessions(args?: SessionListArgs): Promise<GraphPage<GraphSharePointRestoreSession>>;
  createSession(body?: GraphCreateSharePointRestoreSessionRequest): Promise<GraphSharePointRestoreSession>;
  updateSession(id: string, delta: GraphUpdateSharePointRestoreSessionRequest): Promise<GraphUpdateSharePointRestoreSessionResponse>;
  deleteSession(id: string): Promise<void>;
  activateSession(id: string): Promise<GraphRestoreSession>;

  listSiteArtifacts(sessionId: string, args?: ArtifactListArgs): Promise<GraphPage<SessionScopedSiteRestoreArtifact>>;
  getSiteArtifact(sessionId: string, artifactId: string): Promise<SessionScopedSiteRestoreArtifact>;
  addSiteArtifact(sessionId: string, artifact: GraphSiteRestoreArtifactCreate): Promise<SessionScopedSiteRestoreArtifact>;

  getRestorePoint(id: string, options?: { expandUnit?: boolean }): Promise<GraphRestorePoint>;
  /** At most 5, newest first, strictly before `before` when given (Graph's limit; never paged). */
  listRestorePoints(protectionUnitId: string, before?: Date | string | null): Promise<GraphRestorePoint[]>;
  searchRestorePoints(input: GraphRestorePointSearchRequest): Promise<GraphRestorePointSearchResponse>;

  listSiteProtectionUnits(args?: PageArgs): Promise<GraphPage<GraphSiteProtectionUnit>>;
  getProtectionUnit(id: string): Promise<GraphProtectionUnit>;

  createBulkRequest(sessionId: string, body: GraphCreateSiteRestoreArtifactsBulkAdditionRequest): Promise<SessionScopedBulkAdditionRequest>;
  /** Every bulk request of the session (Graph offers no query options here; nextLinks are followed). */
  listBulkRequests(sessionId: string): Promise<SessionScopedBulkAdditionRequest[]>;
  getBulkRequest(sessionId: string, requestId: string): Promise<SessionScopedBulkAdditionRequest>;
  deleteBulkRequest(sessionId: string, requestId: string): Promise<void>;

  /** Reads the page a nextLink names, re-rooted onto this client's base URL. */
  followNextLink<T>(nextLink: string): Promise<GraphCollectionPage<T>>;

  /** Stops pending retries; closes the connections when this client created them. */
  close(): Promise<void>;
}

/** The client knobs from the validated configuration (GRAPH_MAX_CONCURRENT_BATCHES, GRAPH_RETRY_*, GRAPH_TIMEOUT_MS). */
export function graphClientKnobs(config: GraphClientConfig): Pick<GraphClientOptions, 'maxConcurrentBatches' | 'timeoutMs' | 'retry'> {
  return {
    maxConcurrentBatches: config.maxConcurrentBatches,
    timeoutMs: config.timeoutMs,
    retry: { maxRetries: config.retryMax, baseDelayMs: config.retryBaseMs },
  };
}

/** Scheduler options every client of one gateway shares. */
function schedulerShared(options: GraphClientOptions): Pick<Parameters<typeof createBatchScheduler>[0], 'globalLimiter' | 'retryBudget' | 'circuitBreaker' | 'observer'> {
  const r = options.resilience;
  const observer = options.observer ? { observer: options.observer } : {};
  return r ? { globalLimiter: r.limiter, retryBudget: r.budget, circuitBreaker: r.breaker, ...observer } : observer;
}

/** Read-backs and re-sends after an ambiguous write failure, at most (the first send not counted). */
const MAX_WRITE_CONFIRMATIONS = 2;

/** Pages of a nextLink-followed list read at most (a bulk request list is short; this bounds a runaway). */
const MAX_FOLLOWED_PAGES = 50;

export function createGraphClient(options: GraphClientOptions): GraphClient {
  const ownsHttp = options.http === undefined;
  const http =
    options.http ??
    createGraphHttp({
      baseUrl: options.baseUrl,
      ...(options.ca ? { ca: options.ca } : {}),
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    });
  const scheduler = createBatchScheduler({
    http,
    tokenProvider: options.tokenProvider,
    ...(options.maxConcurrentBatches !== undefined ? { maxConcurrentBatches: options.maxConcurrentBatches } : {}),
    ...(options.retry ? { retry: options.retry } : {}),
    ...schedulerShared(options),
  });
  return buildClient(options, http, scheduler, ownsHttp, undefined);
}

function buildClient(
  options: GraphClientOptions,
  http: GraphHttp,
  scheduler: BatchScheduler,
  ownsHttp: boolean,
  operation: OperationScope | undefined,
): GraphClient {
  const fetch = <T>(request: GraphRequestSpec): Promise<GraphResult<T>> =>
    scheduler.fetch<T>(operation && request.operation === undefined ? { ...request, operation } : request);
  const get = async <T>(path: GraphPath): Promise<T> => (await fetch<T>({ method: 'GET', path })).body;
  const send = async <T>(method: 'POST' | 'PATCH', path: GraphPath, body: unknown, idempotent = false): Promise<T> => {
    const result = await fetch<T>({ method, path, body, idempotent });
    return result.body;
  };
  const remove = async (path: GraphPath): Promise<void> => {
    await fetch({ method: 'DELETE', path });
  };

  /** A write that cannot be read back: after an ambiguous failure, the outcome is unknown. */
  const unconfirmable = async <T>(operationName: GraphWriteOperation, write: () => Promise<T>): Promise<T> => {
    try {
      return await write();
    } catch (err) {
      throw isAmbiguousFailure(err) ? new GraphOutcomeUnknownError(operationName, err) : err;
    }
  };

  /**
   * A write whose effect can be read back. After an ambiguous failure `confirm` reads Graph:
   * `{ done: value }` when the write took effect, `'not done'` when Graph shows it did not (then the
   * write is sent again), and it throws when the state cannot be read (the outcome stays unknown).
   */
  const confirmable = async <T>(
    operationName: GraphWriteOperation,
    write: () => Promise<T>,
    confirm: () => Promise<{ done: T } | 'not done'>,
  ): Promise<T> => {
    let failure: unknown;
    for (let round = 0; ; round++) {
      try {
        return await write();
      } catch (err) {
        if (!isAmbiguousFailure(err)) throw err;
        failure = err;
      }
      let seen: { done: T } | 'not done';
      try {
        seen = await confirm();
      } catch {
        throw new GraphOutcomeUnknownError(operationName, failure);
      }
      if (seen !== 'not done') return seen.done;
      if (round + 1 >= MAX_WRITE_CONFIRMATIONS) throw new GraphOutcomeUnknownError(operationName, failure);
    }
  };

  /** 404 as undefined; other failures thrown. */
  const readOrGone = async <T>(read: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await read();
    } catch (err) {
      if (err instanceof GraphRequestError && err.status === 404) return undefined;
      throw err;
    }
  };

  /** Reads one GraphQL page of a list, skipping empty Graph pages that say more follows. */
  async function readPage<T, N>(
    request: PageRequest,
    path: (query: QueryOptions) => GraphPath,
    extra: QueryOptions,
    map: (item: T) => N,
  ): Promise<GraphPage<N>> {
    let current = request;
    for (let followed = 0; ; followed++) {
      const collection = await get<GraphCollectionPage<T>>(path([...pageQueryOptions(current), ...extra]));
      if (!Array.isArray(collection?.value)) throw new GraphProtocolError('Microsoft Graph answered a list without a value array.');
      const next = emptySliceFollowUp(current, collection, followed);
      if (!next) return toPage(current, collection, map);
      current = next;
    }
  }

  async function listSessionsOf<T extends GraphRestoreSession>(set: 'restoreSessions' | 'sharePointRestoreSessions', args: SessionListArgs = {}): Promise<GraphPage<T>> {
    const filter = andFilters([
      anyOf('status', args.filter?.status, 'filter.status'),
      anyOf('restoreJobType', args.filter?.restoreJobType, 'filter.restoreJobType'),
    ]);
    const request = pageRequest(`${set}|${filter ?? ''}`, args.first, args.after);
    const path = set === 'restoreSessions' ? graphPaths.restoreSessions : graphPaths.sharePointRestoreSessions;
    return readPage<T, T>(request, path, [['$filter', filter], ['$count', 'true']], (s) => s);
  }

  const scopedArtifact = (sessionId: string) => (a: GraphSiteRestoreArtifact): SessionScopedSiteRestoreArtifact => ({ ...a, restoreSessionId: sessionId });
  const scopedBulk = (sessionId: string) => (r: GraphSiteRestoreArtifactsBulkAdditionRequest): SessionScopedBulkAdditionRequest => ({
    ...r,
    restoreSessionId: sessionId,
  });

  const getSession = (id: string): Promise<GraphRestoreSession> => get<GraphRestoreSession>(graphPaths.restoreSession(id));

  const client: GraphClient = {
    baseUrl: http.baseUrl,
    fetch,
    operation,
    withTokenProvider(tokenProvider, share) {
      const { maxConcurrentBatches, retry } = options;
      const next = createBatchScheduler({
        http,
        tokenProvider,
        share,
        ...(maxConcurrentBatches !== undefined ? { maxConcurrentBatches } : {}),
        ...(retry ? { retry } : {}),
        ...schedulerShared(options),
      });
      return buildClient({ ...options, tokenProvider }, http, next, false, operation);
    },
    withOperation(scope) {
      // Same scheduler: calls of concurrent operations of one identity still share envelopes. Closing
      // the operation's view must not close the scheduler it borrows.
      return { ...buildClient(options, http, scheduler, false, scope), close: async () => undefined };
    },

    getSession: async (id) => getSession(id),
    listSessions: async (args) => listSessionsOf<GraphRestoreSession>('restoreSessions', args),
    listSharePointSessions: async (args) => listSessionsOf<GraphSharePointRestoreSession>('sharePointRestoreSessions', args),
    createSession: async (body = {}) =>
      unconfirmable('createSession', () => send<GraphSharePointRestoreSession>('POST', graphPaths.sharePointRestoreSessions(), body)),
    updateSession: async (id, delta) =>
      unconfirmable('updateSession', () => send<GraphUpdateSharePointRestoreSessionResponse>('PATCH', graphPaths.sharePointRestoreSession(id), delta)),
    deleteSession: async (id) =>
      confirmable(
        'deleteSession',
        () => remove(graphPaths.restoreSession(id)),
        async () => ((await readOrGone(() => getSession(id))) === undefined ? { done: undefined } : 'not done'),
      ),
    // Graph takes no body here (and needs no Content-Type). A second activation of an activated session is
    // refused, never repeated, so re-sending after Graph still shows a draft is safe.
    activateSession: async (id) =>
      confirmable(
        'activateSession',
        () => send<GraphRestoreSession>('POST', graphPaths.activateRestoreSession(id), undefined),
        async () => {
          const session = await getSession(id);
          return session.status === 'draft' ? 'not done' : { done: session };
        },
      ),

    async listSiteArtifacts(sessionId, args = {}) {
      const filter = anyOf('status', args.filter?.status, 'filter.status');
      const pathFor = (query: QueryOptions): GraphPath => graphPaths.siteRestoreArtifacts(sessionId, query);
      const request = pageRequest(`siteRestoreArtifacts|${sessionId}|${filter ?? ''}`, args.first, args.after);
      return readPage(request, pathFor, [['$filter', filter], ['$count', 'true']], scopedArtifact(sessionId));
    },
    async getSiteArtifact(sessionId, artifactId) {
      return scopedArtifact(sessionId)(await get<GraphSiteRestoreArtifact>(graphPaths.siteRestoreArtifact(sessionId, artifactId)));
    },
    async addSiteArtifact(sessionId, artifact) {
      const created = await unconfirmable('addSiteArtifact', () => send<GraphSiteRestoreArtifact>('POST', graphPaths.siteRestoreArtifacts(sessionId), artifact));
      return scopedArtifact(sessionId)(created);
    },

    getRestorePoint: async (id, opts = {}) =>
      get<GraphRestorePoint>(graphPaths.restorePoint(id, opts.expandUnit ? [['$expand', 'protectionUnit']] : [])),
    async listRestorePoints(protectionUnitId, before) {
      const query: QueryOptions = [
        ['$expand', `protectionUnit($filter=id eq ${odataString(protectionUnitId, 'protectionUnitId')})`],
        // Graph documents the date filter as required: without `before`, ask for everything up to the next whole
        // minute (a stable URL within the minute, so identical lookups still coalesce into one request).
        ['$filter', `protectionDateTime lt ${odataDateTime(before ?? new Date(Math.ceil(Date.now() / 60_000) * 60_000), 'before')}`],
      ];
      const collection = await get<GraphCollectionPage<GraphRestorePoint>>(graphPaths.restorePoints(query));
      // Graph promises at most five and no paging (spec §7.12): a nextLink, if any, is not followed.
      return Array.isArray(collection?.value) ? collection.value : [];
    },
    searchRestorePoints: async (input) =>
      send<GraphRestorePointSearchResponse>('POST', graphPaths.searchRestorePoints(), input, /* only reads */ true),

    async listSiteProtectionUnits(args = {}) {
      const request = pageRequest('siteProtectionUnits', args.first, args.after);
      return readPage<GraphSiteProtectionUnit, GraphSiteProtectionUnit>(request, graphPaths.siteProtectionUnits, [['$count', 'true']], (u) => u);
    },
    getProtectionUnit: async (id) => get<GraphProtectionUnit>(graphPaths.protectionUnit(id)),

    async createBulkRequest(sessionId, body) {
      const created = await unconfirmable('createBulkRequest', () =>
        send<GraphSiteRestoreArtifactsBulkAdditionRequest>('POST', graphPaths.bulkAdditionRequests(sessionId), body),
      );
      return scopedBulk(sessionId)(created);
    },
    async listBulkRequests(sessionId) {
      const out: SessionScopedBulkAdditionRequest[] = [];
      let page = await get<GraphCollectionPage<GraphSiteRestoreArtifactsBulkAdditionRequest>>(graphPaths.bulkAdditionRequests(sessionId));
      for (let pages = 1; ; pages++) {
        out.push(...(Array.isArray(page?.value) ? page.value : []).map(scopedBulk(sessionId)));
        const nextLink = page?.['@odata.nextLink'];
        if (nextLink === undefined || pages >= MAX_FOLLOWED_PAGES) return out;
        page = await client.followNextLink(nextLink);
      }
    },
    async getBulkRequest(sessionId, requestId) {
      const body = await get<GraphSiteRestoreArtifactsBulkAdditionRequest | GraphCollectionPage<GraphSiteRestoreArtifactsBulkAdditionRequest>>(
        graphPaths.bulkAdditionRequest(sessionId, requestId),
      );
      // One doc version wraps the single request in a `value` collection (spec §7.11).
      if (typeof body !== 'object' || body === null) throw new GraphProtocolError('Microsoft Graph answered a bulk request read without a body.');
      const request = 'value' in body && Array.isArray(body.value) ? body.value[0] : (body as GraphSiteRestoreArtifactsBulkAdditionRequest);
      if (!request) throw new GraphProtocolError('Microsoft Graph answered a bulk request read with an empty collection.');
      return scopedBulk(sessionId)(request);
    },
    deleteBulkRequest: async (sessionId, requestId) =>
      confirmable(
        'deleteBulkRequest',
        () => remove(graphPaths.bulkAdditionRequest(sessionId, requestId)),
        async () => ((await readOrGone(() => client.getBulkRequest(sessionId, requestId))) === undefined ? { done: undefined } : 'not done'),
      ),

    followNextLink: async <T>(nextLink: string) => get<GraphCollectionPage<T>>(rerootNextLink(nextLink)),

    async close() {
      scheduler.close();
      if (ownsHttp) await http.close();
    },
  };
  return client;
}

// ------------------------------------------------------------------------------------ OData helpers

const ENUM_MEMBER = /^[A-Za-z][A-Za-z0-9]{0,63}$/;

/** `(field eq 'a' or field eq 'b')`, or undefined for no filter. Members must look like enum members. */
function anyOf(field: string, values: readonly string[] | null | undefined, argument: string): string | undefined {
  if (values === undefined || values === null || values.length === 0) return undefined;
  const unique = [...new Set(values)];
  for (const v of unique) {
    if (!ENUM_MEMBER.test(v)) throw new GraphInputError(argument, `'${argument}' holds a value that is not an enum member.`);
  }
  const terms = unique.map((v) => `${field} eq '${v}'`);
  return terms.length === 1 ? terms[0] : `(${terms.join(' or ')})`;
}

function andFilters(parts: Array<string | undefined>): string | undefined {
  const present = parts.filter((p): p is string => p !== undefined);
  return present.length === 0 ? undefined : present.join(' and ');
}

/** An OData DateTimeOffset literal (`2024-05-12T10:01:00Z`) from a Date or an ISO string. */
function odataDateTime(value: Date | string, argument: string): string {
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) throw new GraphInputError(argument, `'${argument}' is not a valid date-time.`);
  return date.toISOString().replace(/\.000Z$/, 'Z');
}

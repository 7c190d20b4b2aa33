import type { TokenProvider } from '../auth/types.js';
import type {
  GraphCollectionPage,
  BulkAdditionRequestByFamily,
  CreateBulkRequestByFamily,
  GraphDeltaAnswer,
  GraphDeltaAnswerItem,
  GraphDeltaRemoval,
  GraphDriveRestoreArtifact,
  GraphMailboxRestoreArtifact,
  GraphProtectionUnit,
  GraphProtectionUnitReference,
  GraphRestorePoint,
  GraphRestorePointSearchRequest,
  GraphRestorePointSearchResponse,
  GraphRestoreArtifact,
  GraphRestoreSession,
  GraphSharePointRestoreSession,
  GraphSiteProtectionUnit,
  GraphMailboxProtectionUnit,
  GraphDriveProtectionUnit,
  GraphSiteRestoreArtifact,
  GraphRestoreArtifactCreate,
  GraphRestoreArtifactsBulkRequest,
  SessionScopedDriveRestoreArtifact,
  SessionScopedMailboxRestoreArtifact,
  SessionScopedSiteRestoreArtifact,
} from './dto.js';
import {
  createBatchScheduler,
  type BatchScheduler,
  type GraphFetcher,
  type GraphRequestSpec,
  type GraphResult,
} from './batch/scheduler.js';
import { GraphProtocolError, GraphRequestError } from './errors.js';
import { RESTORE_FAMILY_SETS, type RestoreFamily } from './enums.js';
import { createGraphHttp, type GraphHttp } from './http.js';
import type { GraphObserver } from './observer.js';
import type { OperationScope } from '../resilience/operation.js';
import type { GraphResilience } from '../resilience/graph-resilience.js';
import { pageRequest, rerootNextLink, type GraphPage } from './paging.js';
import { memberFilter, readList, type ListFilter, type ListRead } from './list-reader.js';
import { refusedOptionOf, type CapabilityMemory } from './capabilities.js';
import type { RetryOptions } from '../resilience/retry-policy.js';
import { andFilters, graphPaths, odataDateTime, odataString, type GraphPath, type QueryOptions } from './url.js';
import { confirmable, goneConfirms, unconfirmable } from './write-recovery.js';
import { browseEndpoints, type BrowseEndpoints } from './browse-endpoints.js';
import { granularEndpoints, type GranularEndpoints } from './granular-endpoints.js';

/**
 * The typed Graph client the loaders and mutations use: one method per backup-storage endpoint the gateway needs,
 * each returning Graph's DTOs, grouped below by what they reach (sessions, artifacts, restore points, protection
 * units, bulk requests). Below it sit the `$batch` scheduler (`batch/`: coalescing, retries), the HTTP layer and URL
 * building; above it nobody builds URLs or sees `$batch`. Writes whose answer is lost are read back or reported as
 * OUTCOME_UNKNOWN, never blindly repeated (`write-recovery.ts`).
 */

export interface GraphClientOptions {
  /** Graph base URL with its version. */
  baseUrl: string;
  /** Whose token goes upstream: the app, or (OBO) one caller. */
  tokenProvider: TokenProvider;
  /** Extra trusted CA certificates (PEM). */
  ca?: readonly string[] | undefined;
  /** GRAPH_TIMEOUT_MS. */
  timeoutMs?: number | undefined;
  /** GRAPH_MAX_CONCURRENT_BATCHES. */
  maxConcurrentBatches?: number | undefined;
  /** GRAPH_RETRY_MAX, GRAPH_RETRY_BASE_MS and the longer-tail knobs of `resilience/retry-policy.ts`. */
  retry?: Partial<RetryOptions> | undefined;
  /** The gateway-wide limiter, retry budget and circuit breaker; shared with every `withTokenProvider` client. */
  resilience?: GraphResilience | undefined;
  /** Metrics and traces of every call, exchange and retry; shared with every `withTokenProvider` client. */
  observer?: GraphObserver | undefined;
  /** What this Graph refused (query options no page promises) and the fallbacks in use; shared like `resilience`. */
  capabilities?: CapabilityMemory | undefined;
  /** GRAPH_FALLBACK_SCAN_LIMIT: items examined at most for one page of a list filtered on the gateway's side. */
  fallbackScanLimit?: number | undefined;
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

export interface GraphClient extends GraphFetcher, BrowseEndpoints, GranularEndpoints {
  readonly baseUrl: string;
  /**
   * A client for another identity, sharing this one's connections (its own `$batch` scheduler). `share` names whose
   * turn its requests wait in at the gateway-wide limiter (the caller), so one caller's queue never delays another's.
   */
  withTokenProvider(tokenProvider: TokenProvider, share?: string): GraphClient;
  /** The same identity in another share of the gateway-wide limiter (one caller of the app, in app mode). */
  withShare(share: string): GraphClient;
  /** This client (same scheduler) for one GraphQL operation: every call is admitted and recorded by `operation`. */
  withOperation(operation: OperationScope): GraphClient;
  /** The operation this client works for, if any. */
  readonly operation: OperationScope | undefined;

  getSession(id: string): Promise<GraphRestoreSession>;
  listSessions(args?: SessionListArgs): Promise<GraphPage<GraphRestoreSession>>;
  listSharePointSessions(args?: SessionListArgs): Promise<GraphPage<GraphSharePointRestoreSession>>;
  /** Creates a draft session of `family`, with these artifacts (an empty draft without). */
  createSession(family: RestoreFamily, artifacts?: readonly GraphRestoreArtifactCreate[]): Promise<GraphRestoreSession>;
  /** One `@delta` update of the family's artifacts; resolves to Graph's answer items (added, removed or refused). */
  updateSession(
    family: RestoreFamily,
    id: string,
    changes: ReadonlyArray<GraphRestoreArtifactCreate | GraphDeltaRemoval>,
  ): Promise<GraphDeltaAnswer>;
  deleteSession(id: string): Promise<void>;
  activateSession(id: string): Promise<GraphRestoreSession>;

  listSiteArtifacts(sessionId: string, args?: ArtifactListArgs): Promise<GraphPage<SessionScopedSiteRestoreArtifact>>;
  getSiteArtifact(sessionId: string, artifactId: string): Promise<SessionScopedSiteRestoreArtifact>;
  addSiteArtifact(sessionId: string, artifact: GraphRestoreArtifactCreate): Promise<SessionScopedSiteRestoreArtifact>;
  listMailboxArtifacts(sessionId: string, args?: ArtifactListArgs): Promise<GraphPage<SessionScopedMailboxRestoreArtifact>>;
  getMailboxArtifact(sessionId: string, artifactId: string): Promise<SessionScopedMailboxRestoreArtifact>;
  listDriveArtifacts(sessionId: string, args?: ArtifactListArgs): Promise<GraphPage<SessionScopedDriveRestoreArtifact>>;
  getDriveArtifact(sessionId: string, artifactId: string): Promise<SessionScopedDriveRestoreArtifact>;

  /**
   * With `expandUnit`, its protection unit comes expanded; where Graph refuses `$expand` there, it is read beside the
   * point (`restorePoints/{id}/protectionUnit`, the same round).
   */
  getRestorePoint(id: string, options?: { expandUnit?: boolean }): Promise<GraphRestorePoint>;
  /**
   * The unit a restore point names, as its expanded copy: the expanded read where Graph allows it (identical to
   * `getRestorePoint`'s, so both asked in one turn cost one call), else the unit alone. Null when Graph has none.
   */
  getRestorePointUnit(id: string): Promise<GraphProtectionUnitReference | null>;
  /** At most 5, newest first, strictly before `before` when given (Graph's limit; never paged). */
  listRestorePoints(protectionUnitId: string, before?: Date | string | null): Promise<GraphRestorePoint[]>;
  searchRestorePoints(input: GraphRestorePointSearchRequest): Promise<GraphRestorePointSearchResponse>;

  listSiteProtectionUnits(args?: PageArgs): Promise<GraphPage<GraphSiteProtectionUnit>>;
  /** Needs BackupRestore-Configuration.Read.All (Graph answers 403 without it). */
  listMailboxProtectionUnits(args?: PageArgs): Promise<GraphPage<GraphMailboxProtectionUnit>>;
  /** Needs BackupRestore-Configuration.Read.All (Graph answers 403 without it). */
  listDriveProtectionUnits(args?: PageArgs): Promise<GraphPage<GraphDriveProtectionUnit>>;
  getProtectionUnit(id: string): Promise<GraphProtectionUnit>;

  createBulkRequest<F extends RestoreFamily>(
    family: F,
    sessionId: string,
    body: CreateBulkRequestByFamily[F],
  ): Promise<BulkAdditionRequestByFamily[F]>;
  /** Every bulk request of the session (Graph offers no query options here; nextLinks are followed). */
  listBulkRequests<F extends RestoreFamily>(family: F, sessionId: string): Promise<Array<BulkAdditionRequestByFamily[F]>>;
  getBulkRequest<F extends RestoreFamily>(family: F, sessionId: string, requestId: string): Promise<BulkAdditionRequestByFamily[F]>;
  deleteBulkRequest(family: RestoreFamily, sessionId: string, requestId: string): Promise<void>;

  /** Reads the page a nextLink names, re-rooted onto this client's base URL. */
  followNextLink<T>(nextLink: string): Promise<GraphCollectionPage<T>>;

  /** Stops pending retries; closes the connections when this client created them. */
  close(): Promise<void>;
}

/** Pages of a nextLink-followed list read at most (a bulk request list is short; this bounds a runaway). */
const MAX_FOLLOWED_PAGES = 50;
const DEFAULT_SCAN_LIMIT = 1_000;

export function createGraphClient(options: GraphClientOptions): GraphClient {
  const { baseUrl, ca, timeoutMs, tokenProvider } = options;
  const http = createGraphHttp({ baseUrl, ca, timeoutMs });
  return buildClient({ options, http, scheduler: schedulerFor(options, http, tokenProvider), ownsHttp: true, operation: undefined });
}

/** A `$batch` scheduler for one identity, with the protections and the observer every client of the gateway shares. */
function schedulerFor(
  { maxConcurrentBatches, retry, resilience, observer }: GraphClientOptions,
  http: GraphHttp,
  tokenProvider: TokenProvider,
  share?: string,
): BatchScheduler {
  return createBatchScheduler({
    http,
    tokenProvider,
    share,
    maxConcurrentBatches,
    retry,
    observer,
    globalLimiter: resilience?.limiter,
    retryBudget: resilience?.budget,
    circuitBreaker: resilience?.breaker,
  });
}

interface ClientParts {
  options: GraphClientOptions;
  /** Shared by every client made from the first one (one client per caller in OBO mode); closed by the first. */
  http: GraphHttp;
  scheduler: BatchScheduler;
  ownsHttp: boolean;
  operation: OperationScope | undefined;
}

function buildClient(parts: ClientParts): GraphClient {
  const { options, http, scheduler, ownsHttp, operation } = parts;
  const fetch = <T>(request: GraphRequestSpec): Promise<GraphResult<T>> =>
    scheduler.fetch<T>(operation && request.operation === undefined ? { ...request, operation } : request);
  const calls = graphCalls(fetch, options.capabilities, options.fallbackScanLimit ?? DEFAULT_SCAN_LIMIT);
  return {
    baseUrl: http.baseUrl,
    fetch,
    operation,
    withTokenProvider: (tokenProvider, share) =>
      buildClient({
        options: { ...options, tokenProvider },
        http,
        scheduler: schedulerFor(options, http, tokenProvider, share),
        ownsHttp: false,
        operation,
      }),
    withShare: (share) =>
      buildClient({ options, http, scheduler: schedulerFor(options, http, options.tokenProvider, share), ownsHttp: false, operation }),
    // Same scheduler: calls of concurrent operations of one identity still share envelopes. Closing the operation's
    // view must not close the scheduler it borrows.
    withOperation: (scope) => ({ ...buildClient({ ...parts, ownsHttp: false, operation: scope }), close: async () => undefined }),
    ...sessionEndpoints(calls),
    ...artifactEndpoints(calls),
    ...restorePointEndpoints(calls),
    ...protectionUnitEndpoints(calls),
    ...bulkRequestEndpoints(calls),
    ...browseEndpoints(calls, fetch),
    ...granularEndpoints(calls),
    followNextLink: calls.followNextLink,
    async close() {
      scheduler.close();
      if (ownsHttp) await http.close();
    },
  };
}

/** How the endpoints reach Graph: through one scheduler, for one operation (if any). */
interface GraphCalls {
  /** `replacesRefused`: sent in place of a call Graph refused for a query option (the operation counted that one). */
  get<T>(path: GraphPath, replacesRefused?: boolean): Promise<T>;
  send<T>(method: 'POST' | 'PATCH', path: GraphPath, body: unknown, idempotent?: boolean): Promise<T>;
  /** `send`, answering with Graph's ids of the exchange beside the body. */
  sendForResult<T>(method: 'POST' | 'PATCH', path: GraphPath, body: unknown): Promise<GraphResult<T>>;
  remove(path: GraphPath): Promise<void>;
  /** Reads one GraphQL page of a list, with whichever query options this Graph allows (`list-reader.ts`). */
  readPage<T, N>(read: ListRead<T, N>): Promise<GraphPage<N>>;
  followNextLink<T>(nextLink: string): Promise<GraphCollectionPage<T>>;
  /** What this Graph refused, when the client was given a memory. */
  capabilities: CapabilityMemory | undefined;
}

function graphCalls(fetch: GraphFetcher['fetch'], capabilities: CapabilityMemory | undefined, scanLimit: number): GraphCalls {
  const get = async <T>(path: GraphPath, replacesRefused = false): Promise<T> =>
    (await fetch<T>(replacesRefused ? { method: 'GET', path, replacesRefused } : { method: 'GET', path })).body;
  return {
    capabilities,
    get,
    send: async <T>(method: 'POST' | 'PATCH', path: GraphPath, body: unknown, idempotent = false): Promise<T> =>
      (await fetch<T>({ method, path, body, idempotent })).body,
    sendForResult: async <T>(method: 'POST' | 'PATCH', path: GraphPath, body: unknown): Promise<GraphResult<T>> =>
      fetch<T>({ method, path, body, idempotent: false }),
    async remove(path) {
      await fetch({ method: 'DELETE', path });
    },
    readPage: async (read) => readList({ get, memory: capabilities, scanLimit }, read),
    followNextLink: async <T>(nextLink: string) => get<GraphCollectionPage<T>>(rerootNextLink(nextLink)),
  };
}

type SessionEndpoints = Pick<
  GraphClient,
  'getSession' | 'listSessions' | 'listSharePointSessions' | 'createSession' | 'updateSession' | 'deleteSession' | 'activateSession'
>;

function sessionEndpoints({ get, send, sendForResult, remove, readPage }: GraphCalls): SessionEndpoints {
  const getSession = (id: string): Promise<GraphRestoreSession> => get<GraphRestoreSession>(graphPaths.restoreSession(id));
  async function list<T extends GraphRestoreSession>(
    set: 'restoreSessions' | 'sharePointRestoreSessions',
    args: SessionListArgs = {},
  ): Promise<GraphPage<T>> {
    const filters = [
      memberFilter<T>('status', args.filter?.status, 'filter.status', (s) => s.status, `${set}.filterStatus`),
      memberFilter<T>(
        'restoreJobType',
        args.filter?.restoreJobType,
        'filter.restoreJobType',
        (s) => s.restoreJobType,
        `${set}.filterJobType`,
      ),
    ].filter((f): f is ListFilter<T> => f !== undefined);
    const filter = andFilters(filters.map((f) => f.odata));
    return readPage<T, T>({
      request: pageRequest(`${set}|${filter ?? ''}`, args.first, args.after),
      path: set === 'restoreSessions' ? graphPaths.restoreSessions : graphPaths.sharePointRestoreSessions,
      capabilities: { top: `${set}.top`, count: `${set}.count` },
      filters,
      map: (s) => s,
    });
  }
  return {
    getSession: async (id) => getSession(id),
    listSessions: async (args) => list<GraphRestoreSession>('restoreSessions', args),
    listSharePointSessions: async (args) => list<GraphSharePointRestoreSession>('sharePointRestoreSessions', args),
    createSession: async (family, artifacts = []) =>
      unconfirmable('createSession', () =>
        // Graph refuses an empty artifact list (400 InvalidArtifactRequest); an empty body is the empty draft.
        send<GraphRestoreSession>(
          'POST',
          graphPaths.familySessions(family),
          artifacts.length === 0 ? {} : { [RESTORE_FAMILY_SETS[family].artifacts]: artifacts },
        ),
      ),
    async updateSession(family, id, changes) {
      const field = `${RESTORE_FAMILY_SETS[family].artifacts}@delta`;
      const answer = await unconfirmable('updateSession', () =>
        sendForResult<Record<string, unknown> | null>('PATCH', graphPaths.familySession(family, id), { [field]: changes }),
      );
      const items = answer.body?.[field];
      return {
        items: Array.isArray(items) ? items.filter((i): i is GraphDeltaAnswerItem => typeof i === 'object' && i !== null) : [],
        requestId: answer.requestId,
        clientRequestId: answer.clientRequestId,
      };
    },
    deleteSession: async (id) =>
      confirmable(
        'deleteSession',
        () => remove(graphPaths.restoreSession(id)),
        goneConfirms(() => getSession(id)),
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
  };
}

type ArtifactEndpoints = Pick<
  GraphClient,
  | 'listSiteArtifacts'
  | 'getSiteArtifact'
  | 'addSiteArtifact'
  | 'listMailboxArtifacts'
  | 'getMailboxArtifact'
  | 'listDriveArtifacts'
  | 'getDriveArtifact'
>;

/** Where one family's artifacts live under their session, and how an item read there is scoped to it. */
interface ArtifactSet<T extends GraphRestoreArtifact, S> {
  /** The list's name, which also keeps cursors of one family's list from continuing another's. */
  name: string;
  list(sessionId: string, query?: QueryOptions): GraphPath;
  one(sessionId: string, artifactId: string): GraphPath;
  scope(sessionId: string, artifact: T): S;
}

const siteArtifacts: ArtifactSet<GraphSiteRestoreArtifact, SessionScopedSiteRestoreArtifact> = {
  name: 'siteRestoreArtifacts',
  list: graphPaths.siteRestoreArtifacts,
  one: graphPaths.siteRestoreArtifact,
  scope: (sessionId, a) => ({ ...a, restoreSessionId: sessionId }),
};
const mailboxArtifacts: ArtifactSet<GraphMailboxRestoreArtifact, SessionScopedMailboxRestoreArtifact> = {
  name: 'mailboxRestoreArtifacts',
  list: graphPaths.mailboxRestoreArtifacts,
  one: graphPaths.mailboxRestoreArtifact,
  scope: (sessionId, a) => ({ ...a, restoreSessionId: sessionId, restoreArtifactFamily: 'mailbox' }),
};
const driveArtifacts: ArtifactSet<GraphDriveRestoreArtifact, SessionScopedDriveRestoreArtifact> = {
  name: 'driveRestoreArtifacts',
  list: graphPaths.driveRestoreArtifacts,
  one: graphPaths.driveRestoreArtifact,
  scope: (sessionId, a) => ({ ...a, restoreSessionId: sessionId, restoreArtifactFamily: 'drive' }),
};

function artifactEndpoints({ get, send, readPage }: GraphCalls): ArtifactEndpoints {
  // `$filter` and `$count` are documented on every family's artifact list: always sent, no fallback.
  const list = <T extends GraphRestoreArtifact, S>(set: ArtifactSet<T, S>, sessionId: string, args: ArtifactListArgs = {}) => {
    const status = memberFilter<T>('status', args.filter?.status, 'filter.status', (a) => a.status);
    return readPage<T, S>({
      request: pageRequest(`${set.name}|${sessionId}|${status?.odata ?? ''}`, args.first, args.after),
      path: (query: QueryOptions): GraphPath => set.list(sessionId, query),
      filters: status ? [status] : [],
      map: (a) => set.scope(sessionId, a),
    });
  };
  const one = async <T extends GraphRestoreArtifact, S>(set: ArtifactSet<T, S>, sessionId: string, artifactId: string): Promise<S> =>
    set.scope(sessionId, await get<T>(set.one(sessionId, artifactId)));
  const scoped = (sessionId: string) => (a: GraphSiteRestoreArtifact) => siteArtifacts.scope(sessionId, a);
  return {
    listSiteArtifacts: async (sessionId, args) => list(siteArtifacts, sessionId, args),
    getSiteArtifact: async (sessionId, artifactId) => one(siteArtifacts, sessionId, artifactId),
    listMailboxArtifacts: async (sessionId, args) => list(mailboxArtifacts, sessionId, args),
    getMailboxArtifact: async (sessionId, artifactId) => one(mailboxArtifacts, sessionId, artifactId),
    listDriveArtifacts: async (sessionId, args) => list(driveArtifacts, sessionId, args),
    getDriveArtifact: async (sessionId, artifactId) => one(driveArtifacts, sessionId, artifactId),
    async addSiteArtifact(sessionId, artifact) {
      const created = await unconfirmable('addSiteArtifact', () =>
        send<GraphSiteRestoreArtifact>('POST', graphPaths.siteRestoreArtifacts(sessionId), artifact),
      );
      return scoped(sessionId)(created);
    },
  };
}

type RestorePointEndpoints = Pick<GraphClient, 'getRestorePoint' | 'getRestorePointUnit' | 'listRestorePoints' | 'searchRestorePoints'>;

function restorePointEndpoints({ get, send, capabilities }: GraphCalls): RestorePointEndpoints {
  const EXPAND = 'restorePoints.expandProtectionUnit';
  /** The fallback of `$expand=protectionUnit`: the unit on its own; undefined when Graph says the point names none. */
  const unitApart = async (id: string, replacesRefused = false): Promise<GraphProtectionUnitReference | undefined> => {
    capabilities?.fellBack(EXPAND);
    try {
      return await get<GraphProtectionUnitReference>(graphPaths.restorePointProtectionUnit(id), replacesRefused);
    } catch (err) {
      if (err instanceof GraphRequestError && err.status === 404) return undefined;
      throw err;
    }
  };
  /** The point and its unit side by side (one `$batch` round). */
  async function pointAndUnit(id: string, replacesRefused = false): Promise<GraphRestorePoint> {
    const unit = unitApart(id, replacesRefused);
    unit.catch(() => undefined); // settled below, or not needed when the point itself fails
    const point = await get<GraphRestorePoint>(graphPaths.restorePoint(id), replacesRefused);
    const protectionUnit = await unit;
    return protectionUnit === undefined ? point : { ...point, protectionUnit };
  }
  /** The point read with `$expand=protectionUnit`, through `pick`; `fallback` where Graph refuses the expansion. */
  async function expanded<R>(
    id: string,
    pick: (point: GraphRestorePoint) => R,
    fallback: (id: string, replacesRefused: boolean) => Promise<R>,
  ): Promise<R> {
    const decision = capabilities?.decide(EXPAND) ?? 'use';
    if (decision === 'fallback') return fallback(id, false);
    try {
      const point = await get<GraphRestorePoint>(graphPaths.restorePoint(id, [['$expand', 'protectionUnit']]));
      capabilities?.worked(EXPAND);
      return pick(point);
    } catch (err) {
      // The option is the gateway's own; the id is in the path, where Graph's refusal of an option cannot come from.
      const named = refusedOptionOf(err);
      if (named?.option !== '$expand') {
        if (decision === 'probe') capabilities?.inconclusive(EXPAND);
        throw err;
      }
      capabilities?.refused(EXPAND, { option: named.option, requestId: (err as GraphRequestError).requestId, from: 'graph' });
      return fallback(id, true);
    }
  }
  return {
    getRestorePoint: async (id, opts = {}) =>
      opts.expandUnit ? expanded(id, (p) => p, pointAndUnit) : get<GraphRestorePoint>(graphPaths.restorePoint(id)),
    getRestorePointUnit: async (id) =>
      (capabilities?.refusing(EXPAND) ? await unitApart(id) : await expanded(id, (p) => p.protectionUnit, unitApart)) ?? null,
    async listRestorePoints(protectionUnitId, before) {
      const query: QueryOptions = [
        ['$expand', `protectionUnit($filter=id eq ${odataString(protectionUnitId, 'protectionUnitId')})`],
        // Graph documents the date filter as required: without `before`, ask for everything up to the next whole
        // minute (a stable URL within the minute, so identical lookups still coalesce into one request).
        ['$filter', `protectionDateTime lt ${odataDateTime(before ?? new Date(Math.ceil(Date.now() / 60_000) * 60_000), 'before')}`],
      ];
      const collection = await get<GraphCollectionPage<GraphRestorePoint>>(graphPaths.restorePoints(query));
      // Graph promises at most five and no paging: a nextLink, if any, is not followed.
      return Array.isArray(collection?.value) ? collection.value : [];
    },
    searchRestorePoints: async (input) =>
      send<GraphRestorePointSearchResponse>('POST', graphPaths.searchRestorePoints(), input, /* only reads */ true),
  };
}

/**
 * A typed cast's items may leave their `@odata.type` out, the cast naming it; a unit read later through
 * `protectionUnits/{id}` (the loader these prime) must still say its family.
 */
const typed = <U extends GraphProtectionUnit>(unit: U, type: string): U => (unit['@odata.type'] ? unit : { ...unit, '@odata.type': type });

type ProtectionUnitEndpoints = Pick<
  GraphClient,
  'listSiteProtectionUnits' | 'listMailboxProtectionUnits' | 'listDriveProtectionUnits' | 'getProtectionUnit'
>;

function protectionUnitEndpoints({ get, readPage }: GraphCalls): ProtectionUnitEndpoints {
  /** One family's unit list: paged, counted, with the fallbacks of its own capability names. */
  const unitList = <U>(
    set: 'siteProtectionUnits' | 'mailboxProtectionUnits' | 'driveProtectionUnits',
    path: (query?: QueryOptions) => GraphPath,
    args: PageArgs,
    map: (unit: U) => U,
  ): Promise<GraphPage<U>> =>
    readPage<U, U>({
      request: pageRequest(set, args.first, args.after),
      path,
      capabilities: { top: `${set}.top`, count: `${set}.count` },
      filters: [],
      map,
    });
  return {
    listSiteProtectionUnits: async (args = {}) =>
      unitList<GraphSiteProtectionUnit>('siteProtectionUnits', graphPaths.siteProtectionUnits, args, (u) => u),
    listMailboxProtectionUnits: async (args = {}) =>
      unitList<GraphMailboxProtectionUnit>('mailboxProtectionUnits', graphPaths.mailboxProtectionUnits, args, (u) =>
        typed(u, '#microsoft.graph.mailboxProtectionUnit'),
      ),
    listDriveProtectionUnits: async (args = {}) =>
      unitList<GraphDriveProtectionUnit>('driveProtectionUnits', graphPaths.driveProtectionUnits, args, (u) =>
        typed(u, '#microsoft.graph.driveProtectionUnit'),
      ),
    getProtectionUnit: async (id) => get<GraphProtectionUnit>(graphPaths.protectionUnit(id)),
  };
}

type BulkRequestEndpoints = Pick<GraphClient, 'createBulkRequest' | 'listBulkRequests' | 'getBulkRequest' | 'deleteBulkRequest'>;

function bulkRequestEndpoints({ get, send, remove, followNextLink }: GraphCalls): BulkRequestEndpoints {
  // Graph's answers carry no family (their `@odata.type` is often left out): the set they were read from names it.
  const scoped =
    <F extends RestoreFamily>(family: F, sessionId: string) =>
    (r: GraphRestoreArtifactsBulkRequest): BulkAdditionRequestByFamily[F] =>
      ({ ...r, restoreSessionId: sessionId, restoreFamily: family }) as BulkAdditionRequestByFamily[F];
  async function getBulkRequest<F extends RestoreFamily>(family: F, sessionId: string, requestId: string) {
    const body = await get<GraphRestoreArtifactsBulkRequest | GraphCollectionPage<GraphRestoreArtifactsBulkRequest>>(
      graphPaths.bulkAdditionRequest(family, sessionId, requestId),
    );
    // One version of Graph's documentation wraps the single request in a `value` collection.
    if (typeof body !== 'object' || body === null)
      throw new GraphProtocolError('Microsoft Graph answered a bulk request read without a body.');
    const request = 'value' in body && Array.isArray(body.value) ? body.value[0] : (body as GraphRestoreArtifactsBulkRequest);
    if (!request) throw new GraphProtocolError('Microsoft Graph answered a bulk request read with an empty collection.');
    return scoped(family, sessionId)(request);
  }
  return {
    async createBulkRequest(family, sessionId, body) {
      const created = await unconfirmable('createBulkRequest', () =>
        send<GraphRestoreArtifactsBulkRequest>('POST', graphPaths.bulkAdditionRequests(family, sessionId), body),
      );
      return scoped(family, sessionId)(created);
    },
    async listBulkRequests(family, sessionId) {
      const out: Array<BulkAdditionRequestByFamily[typeof family]> = [];
      let page = await get<GraphCollectionPage<GraphRestoreArtifactsBulkRequest>>(graphPaths.bulkAdditionRequests(family, sessionId));
      for (let pages = 1; ; pages++) {
        out.push(...(Array.isArray(page?.value) ? page.value : []).map(scoped(family, sessionId)));
        const nextLink = page?.['@odata.nextLink'];
        if (nextLink === undefined || pages >= MAX_FOLLOWED_PAGES) return out;
        page = await followNextLink(nextLink);
      }
    },
    getBulkRequest,
    deleteBulkRequest: async (family, sessionId, requestId) =>
      confirmable(
        'deleteBulkRequest',
        () => remove(graphPaths.bulkAdditionRequest(family, sessionId, requestId)),
        goneConfirms(() => getBulkRequest(family, sessionId, requestId)),
      ),
  };
}

import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import {
  callerAdmissionGraphQLError,
  CallerAuthenticationError,
  CallerForbiddenError,
  closeCodeFor,
  isCallerAdmissionError,
} from './auth/caller-errors.js';
import { bearerToken, connectionToken, type CallerIdentity, type CallerTokenValidator } from './auth/caller-token.js';
import type { OboTokenProviders } from './auth/obo-token-provider.js';
import { canRead, READ_PERMISSIONS_TEXT } from './auth/permissions.js';
import { isSchemaOnlyDocument } from './auth/public-operations.js';
import { TokenAcquisitionError, type AccessToken } from './auth/types.js';
import { callerQuotaKey } from './resilience/caller-quota.js';
import type { GraphClient } from './graph/client.js';
import { withGraphCache, type CacheLifetimes } from './graph/cache/caching-client.js';
import type { GraphCache } from './graph/cache/store.js';
import type { OperationScope } from './resilience/operation.js';
import { createLoaders, type Loaders } from './loaders/index.js';
import { silentLogger, type Logger } from './logger.js';
import { liveContext, type LiveConnection, type LiveContext } from './subscriptions/live-context.js';
import type { LiveStatus } from './subscriptions/live-status.js';

export type { CallerIdentity } from './auth/caller-token.js';

/**
 * The per-request (HTTP) and per-operation (WebSocket) context every resolver receives. Codegen
 * types resolvers against it (`contextType` in codegen.yml).
 *
 * One factory serves both transports: each transport only turns what it received into a
 * {@link ContextRequest} (HTTP headers, or graphql-ws `connectionParams`), so caller validation,
 * the choice of Graph identity and the loaders are decided in one place. DataLoaders are new for
 * every context and never shared: their caches hold one caller's view of Graph.
 */

export interface GatewayContext {
  /** Correlates this request in logs; the client's `x-request-id` when it sent a well-formed one. */
  readonly requestId: string;
  readonly transport: ContextTransport;
  /**
   * The validated caller. `null` only for operations that read nothing but the schema (`_service { sdl }`), which
   * need no token; their Graph client refuses every call.
   */
  readonly caller: CallerIdentity | null;
  /**
   * The Graph client acting for this request's identity: the caller (on-behalf-of) or the app. Resolvers use it
   * only for calls no loader covers (lists without keys, search); everything by key goes through
   * {@link GatewayContext.loaders}.
   */
  readonly graph: GraphClient;
  /**
   * Fresh for this request: per-key DataLoaders whose loads of one tick share `$batch` envelopes. Built on first
   * use, so an operation (most subscriptions) that never loads by key never builds them.
   */
  readonly loaders: Loaders;
  /**
   * A subscription event begins: fresh loaders (a subscription's context outlives many events, and a page cached by the
   * first would be stale by the tenth) and a fresh operation scope, so the per-operation Graph call cap and deadline
   * apply to each event on its own (a long subscription is not ended by its age) while every call still spends the
   * caller's quota.
   */
  beginEvent(): void;
  /** Live status: subscriptions stream changes from the shared pollers; mutations publish what they changed. */
  readonly live: LiveContext;
}

/** How the operation arrived: HTTP (queries, mutations), or a subscription's stream (WebSocket, SSE, multipart HTTP). */
export type ContextTransport = 'http' | 'websocket' | 'sse' | 'multipart';

/** What a transport hands to the context factory. */
export interface ContextRequest {
  transport: ContextTransport;
  /** HTTP: the `Authorization` header as received (`Bearer <jwt>`); its scheme is stripped once, by `bearerToken`. */
  authorization?: string | undefined;
  /** Streams: the token the connection was admitted with ({@link ContextFactory.authenticate}), without its scheme. */
  token?: AccessToken | undefined;
  /** A request id the client sent, reused when it looks like one. */
  requestId?: string | undefined;
  /** The operation reads only the schema (`_service { sdl }`) and needs no caller token. */
  schemaOnly?: boolean | undefined;
  /**
   * Subscription streams only: the WebSocket, or the SSE or multipart response, so a subscriber that falls too far behind
   * can be dropped. One object per connection: what the connection's operations share (their caller and Graph client) is
   * kept by it.
   */
  connection?: LiveConnection | undefined;
}

export interface ContextFactoryOptions {
  /** The Graph client that acts as the app (client credentials). */
  graph: GraphClient;
  /** Validates caller tokens. */
  callers: CallerTokenValidator;
  /** `obo`: Graph is called on behalf of each user caller; `app`: always as the app (AUTH_MODE). */
  authMode: 'obo' | 'app';
  /** Required in `obo` mode. */
  obo?: OboTokenProviders | undefined;
  /**
   * The scope (deadline, Graph call cap, caller quota, write record) of an operation's Graph calls
   * (`resilience/operation.ts`): one per HTTP operation; over WebSocket one for a subscription's start (its access check
   * and baseline) and a new one for each of its events ({@link GatewayContext.beginEvent}).
   */
  beginOperation?: ((caller: CallerIdentity) => OperationScope) | undefined;
  /** Live status (subscriptions and the mutations' publish hooks); without it, subscriptions are refused. */
  live?: LiveStatus | undefined;
  /** The per-caller cache of what cannot change (`graph/cache/`); without it every read goes to Graph. */
  cache?: { store: GraphCache; lifetimes: CacheLifetimes } | undefined;
  logger?: Logger;
}

/** The caller behind a token, and the token itself as the transport should keep it. */
export interface AuthenticatedCaller {
  caller: CallerIdentity;
  /** The raw token (no scheme): what a socket's operations run with, and the on-behalf-of assertion. */
  token: AccessToken;
}

/** The outcome of checking a WebSocket `connection_init`. */
export type ConnectionAuthentication =
  | ({ ok: true } & AuthenticatedCaller)
  | {
      ok: false;
      /** 4401: no or bad token; 4403: valid token without read permission; 1013: the authority is unreachable. */
      closeCode: 4401 | 4403 | 1013;
      /** Safe to send as the close reason (no token, at most 123 bytes as WebSocket allows). */
      reason: string;
    };

export interface ContextFactory {
  (request: ContextRequest): Promise<GatewayContext>;
  /**
   * Validates a caller's token and checks that it grants at least read access. Rejects with a
   * CallerAuthenticationError, CallerForbiddenError or AuthorityUnavailableError.
   */
  authenticate(token: AccessToken): Promise<AuthenticatedCaller>;
  /**
   * For graphql-ws `onConnect`: the token of `connectionParams` (`authorization`, `Authorization` or Apollo Router's
   * `token`) or of the upgrade request's `Authorization` header (`connectionToken`), checked as {@link authenticate}
   * does. Keep `token` and pass it as {@link ContextRequest.token} for each operation of the socket; close the socket at
   * `caller.expiresAt`.
   */
  authenticateConnection(connectionParams: unknown, upgradeHeaders?: IncomingHttpHeaders): Promise<ConnectionAuthentication>;
}

/** Just the context-building part of a {@link ContextFactory}. */
export type CreateContext = (request: ContextRequest) => Promise<GatewayContext>;

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
/** The cache partition of everything read as the app (app mode, and app-only callers in OBO mode). */
const APP_VIEW = 'app';

export function createContextFactory({ logger = silentLogger, ...options }: ContextFactoryOptions): ContextFactory {
  if (options.authMode === 'obo' && !options.obo) throw new Error('createContextFactory: AUTH_MODE=obo needs on-behalf-of token providers');
  // Schema-only operations run no resolver that reaches Graph; should one ever try, it gets no token.
  const noGraph = options.graph.withTokenProvider({
    getGraphToken: () => Promise.reject(new TokenAcquisitionError('UNAUTHENTICATED', 'This operation needs a caller token.')),
  });

  async function authenticate(token: AccessToken): Promise<AuthenticatedCaller> {
    const caller = await options.callers.validate(token);
    if (!canRead(caller)) {
      throw new CallerForbiddenError(`The caller token grants no access to the gateway's API: it needs ${READ_PERMISSIONS_TEXT}.`);
    }
    return { caller, token };
  }

  /**
   * The Graph client acting for this caller, in the caller's own share of the gateway-wide limiter (so one caller's large
   * dashboard never holds every slot while others wait, whichever identity Graph sees), behind the caller's partition
   * of the cache: the user's own in OBO mode, the app's view when Graph is called as the app.
   */
  function graphFor(caller: CallerIdentity, token: AccessToken): GraphClient {
    const share = callerQuotaKey(caller);
    // App-only callers (daemons holding an app role an administrator assigned) have no user to act for.
    const obo = options.authMode === 'app' || caller.kind === 'app' ? undefined : options.obo;
    const client = obo ? options.graph.withTokenProvider(obo.forCaller(token, caller), share) : options.graph.withShare(share);
    const { cache } = options;
    return cache ? withGraphCache(client, cache.store, obo ? `user:${share}` : APP_VIEW, cache.lifetimes) : client;
  }

  /**
   * WebSocket: what the operations of one socket share, by its connection object (one per socket, from the transport):
   * its live context, its caller (one token, one caller) and its Graph client (see {@link SocketIdentity}).
   */
  const sockets = new WeakMap<LiveConnection, SocketShare>();
  const shareOf = (connection: LiveConnection): SocketShare => {
    let share = sockets.get(connection);
    if (!share) sockets.set(connection, (share = { live: liveContext(options.live, connection), identity: undefined }));
    return share;
  };
  const identityFor = ({ caller, token }: AuthenticatedCaller, share: SocketShare | undefined): Identity => {
    if (!share) return fixedIdentity(caller, graphFor(caller, token));
    // A socket keeps the token it was admitted with; should that ever change, so would its identity.
    if (share.identity?.token !== token) share.identity = new SocketIdentity(token, caller, graphFor);
    return share.identity;
  };

  const factory = async (request: ContextRequest): Promise<GatewayContext> => {
    const requestId = request.requestId !== undefined && REQUEST_ID.test(request.requestId) ? request.requestId : randomUUID();
    const share = request.connection ? shareOf(request.connection) : undefined;
    const live = share?.live ?? liveContext(options.live, undefined);
    if (request.schemaOnly === true)
      return gatewayContext({ requestId, transport: request.transport, live }, fixedIdentity(null, noGraph), undefined);
    let authenticated: AuthenticatedCaller;
    try {
      authenticated = await authenticate(request.token ?? bearerToken(request.authorization));
    } catch (err) {
      if (!isCallerAdmissionError(err)) throw err;
      if (err instanceof CallerAuthenticationError)
        logger.debug('caller refused', { requestId, transport: request.transport, reason: err.reason });
      else logger.info('caller refused', { requestId, transport: request.transport, reason: err.code, error: err });
      throw callerAdmissionGraphQLError(err);
    }
    const { caller } = authenticated;
    // Streams opened by this operation end with UNAUTHENTICATED when the token does, whatever carries them.
    live.expireAt(caller.expiresAt);
    logger.debug('caller admitted', {
      requestId,
      transport: request.transport,
      subject: caller.subject,
      kind: caller.kind,
      appId: caller.appId,
    });
    return gatewayContext({ requestId, transport: request.transport, live }, identityFor(authenticated, share), options.beginOperation);
  };

  return Object.assign(factory, {
    authenticate,
    async authenticateConnection(connectionParams: unknown, upgradeHeaders?: IncomingHttpHeaders): Promise<ConnectionAuthentication> {
      try {
        return { ok: true as const, ...(await authenticate(connectionToken(connectionParams, upgradeHeaders))) };
      } catch (err) {
        if (!isCallerAdmissionError(err)) throw err;
        logger.debug('connection refused', { reason: err instanceof CallerAuthenticationError ? err.reason : err.code });
        return { ok: false as const, closeCode: closeCodeFor(err), reason: closeReason(err.message) };
      }
    },
  });
}

/** The caller an operation acts for, and the Graph client acting as them. */
interface Identity {
  readonly caller: CallerIdentity | null;
  client(): GraphClient;
}

const fixedIdentity = (caller: CallerIdentity | null, graph: GraphClient): Identity => ({ caller, client: () => graph });

/** What the operations of one WebSocket share (see `sockets` in {@link createContextFactory}). */
interface SocketShare {
  live: LiveContext;
  identity: SocketIdentity | undefined;
}

/**
 * A socket's caller and Graph client. The client (its `$batch` scheduler, token provider and cache view weigh kilobytes)
 * is one for all the socket's operations while any of them uses it, so their calls share envelopes; between uses it is
 * held only weakly, so a socket whose subscriptions wait for their next event holds no Graph client at all, and the
 * next one that needs Graph (few do: an event mostly resolves from what the poller saw) makes it again.
 */
class SocketIdentity implements Identity {
  readonly token: AccessToken;
  readonly caller: CallerIdentity;
  readonly #make: (caller: CallerIdentity, token: AccessToken) => GraphClient;
  #client: WeakRef<GraphClient> | undefined;

  constructor(token: AccessToken, caller: CallerIdentity, make: (caller: CallerIdentity, token: AccessToken) => GraphClient) {
    this.token = token;
    this.caller = caller;
    this.#make = make;
  }

  client(): GraphClient {
    let client = this.#client?.deref();
    if (!client) {
      client = this.#make(this.caller, this.token);
      this.#client = new WeakRef(client);
    }
    return client;
  }
}

/**
 * The context of one operation over `identity`. Its operation scope (and the view of the Graph client bound to it) and
 * its loaders are built on first use, and let go by {@link GatewayContext.beginEvent}, so that a subscription between
 * two events holds none of them (the transport calls it once the start and each event are over). Over HTTP the scope
 * starts with the request, as it always has.
 */
function gatewayContext(
  fields: Pick<GatewayContext, 'requestId' | 'transport' | 'live'>,
  identity: Identity,
  beginOperation: ((caller: CallerIdentity) => OperationScope) | undefined,
): GatewayContext {
  const context = new OperationContext(fields, identity, beginOperation);
  if (fields.transport === 'http') void context.graph;
  return context;
}

/**
 * A class, not an object of closures: a subscription's context lives as long as the subscription, and thousands of
 * them share one copy of these methods. Apollo copies an HTTP context for each operation
 * (`Object.assign(Object.create(prototype), context)`); the copies share `built`, as they shared its values before.
 */
class OperationContext implements GatewayContext {
  readonly requestId: string;
  readonly transport: ContextTransport;
  readonly live: LiveContext;
  private readonly identity: Identity;
  private readonly beginOperation: ((caller: CallerIdentity) => OperationScope) | undefined;
  /** The identity's client is held here while the operation (or event) uses it: its scope's view borrows its scheduler. */
  private readonly built: { client?: GraphClient | undefined; graph?: GraphClient | undefined; loaders?: Loaders | undefined } = {};

  constructor(
    { requestId, transport, live }: Pick<GatewayContext, 'requestId' | 'transport' | 'live'>,
    identity: Identity,
    beginOperation: ((caller: CallerIdentity) => OperationScope) | undefined,
  ) {
    this.requestId = requestId;
    this.transport = transport;
    this.live = live;
    this.identity = identity;
    this.beginOperation = beginOperation;
  }

  get caller(): CallerIdentity | null {
    return this.identity.caller;
  }

  get graph(): GraphClient {
    const { built, caller, beginOperation } = this;
    if (!built.graph) {
      const client = (built.client = this.identity.client());
      built.graph = caller && beginOperation ? client.withOperation(beginOperation(caller)) : client;
    }
    return built.graph;
  }

  get loaders(): Loaders {
    return (this.built.loaders ??= createLoaders(this.graph));
  }

  beginEvent(): void {
    this.built.client = undefined;
    this.built.graph = undefined;
    this.built.loaders = undefined;
  }
}

function closeReason(message: string): string {
  // WebSocket close reasons are at most 123 bytes of UTF-8.
  const ascii = message.replace(/[^\x20-\x7e]/g, '');
  return ascii.length > 123 ? `${ascii.slice(0, 120)}...` : ascii;
}

/** What {@link httpContextRequest} reads of an express request. */
export interface HttpRequestLike {
  method?: string | undefined;
  /** The raw request target (path and query string), as Apollo's express integration reads it. */
  url?: string | undefined;
  headers: IncomingHttpHeaders;
  /** The parsed JSON body (express), if any. */
  body?: unknown;
}

/** The {@link ContextRequest} of an HTTP request (express parses the JSON body before the context is built). */
export function httpContextRequest(req: HttpRequestLike): ContextRequest {
  const requestId = req.headers['x-request-id'];
  return {
    transport: 'http',
    authorization: req.headers.authorization,
    requestId: Array.isArray(requestId) ? requestId[0] : requestId,
    schemaOnly: isSchemaOnlyDocument(executedDocument(req)),
  };
}

/**
 * The document Apollo Server will execute for this request, read exactly as Apollo reads it (GET: the one `query`
 * parameter of the URL; POST: the body's `query`), or undefined when that is not one clear string. A request that
 * carries a document in the place Apollo ignores as well (a GET with a body, a POST with `query` in its URL) is
 * ambiguous, so it gets undefined too: the `_service` exemption must never be judged on one document while Apollo
 * runs another.
 */
export function executedDocument(req: HttpRequestLike): string | undefined {
  const search = new URLSearchParams(searchOf(req.url));
  const method = (req.method ?? 'GET').toUpperCase();
  const body = req.body;
  const bodyIsEmpty = body === undefined || body === null || (isPlainObject(body) && Object.keys(body).length === 0);
  if (method === 'GET') {
    const queries = search.getAll('query');
    return bodyIsEmpty && queries.length === 1 ? queries[0] : undefined;
  }
  if (method === 'POST') {
    if (search.has('query') || !isPlainObject(body)) return undefined;
    return typeof body.query === 'string' ? body.query : undefined;
  }
  return undefined;
}

function searchOf(url: string | undefined): string {
  if (url === undefined) return '';
  const at = url.indexOf('?');
  return at === -1 ? '' : url.slice(at + 1).replace(/#.*$/, '');
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

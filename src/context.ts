import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import {
  callerAdmissionGraphQLError,
  CallerAuthenticationError,
  CallerForbiddenError,
  closeCodeFor,
  isCallerAdmissionError,
} from './auth/caller-errors.js';
import type { CallerIdentity, CallerTokenValidator } from './auth/caller-token.js';
import type { OboTokenProviders } from './auth/obo-token-provider.js';
import { canRead, READ_PERMISSIONS_TEXT } from './auth/permissions.js';
import { isSchemaOnlyDocument } from './auth/public-operations.js';
import { TokenAcquisitionError } from './auth/types.js';
import type { AuthMode } from './config.js';
import type { GraphClient } from './graph/client.js';
import type { OperationScope } from './graph/operation.js';
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
  /** Drops the loaders (and their caches): the next use of {@link GatewayContext.loaders} builds fresh ones. */
  resetLoaders(): void;
  /** Live status: subscriptions stream changes from the shared pollers; mutations publish what they changed. */
  readonly live: LiveContext;
}

export type ContextTransport = 'http' | 'websocket';

/** What a transport hands to the context factory. */
export interface ContextRequest {
  transport: ContextTransport;
  /** `Authorization` header (HTTP) or the connection's token (WebSocket), as received: `Bearer <jwt>`. */
  authorization?: string | undefined;
  /** A request id the client sent, reused when it looks like one. */
  requestId?: string | undefined;
  /** The operation reads only the schema (`_service { sdl }`) and needs no caller token. */
  schemaOnly?: boolean | undefined;
  /** WebSocket only: the socket, so a subscriber that falls too far behind can be dropped. */
  connection?: LiveConnection | undefined;
}

export interface ContextFactoryOptions {
  /** The Graph client that acts as the app (client credentials). */
  graph: GraphClient;
  /** Validates caller tokens. */
  callers: CallerTokenValidator;
  /** `obo`: Graph is called on behalf of each user caller; `app`: always as the app. */
  authMode: AuthMode;
  /** Required in `obo` mode. */
  obo?: OboTokenProviders | undefined;
  /**
   * The scope (deadline, Graph call cap, caller quota, write record) of each HTTP operation's Graph calls
   * (`graph/operation.ts`). Not for WebSocket operations: a subscription's context lives as long as it does.
   */
  beginOperation?: ((caller: CallerIdentity) => OperationScope) | undefined;
  /** Live status (subscriptions and the mutations' publish hooks); without it, subscriptions are refused. */
  live?: LiveStatus | undefined;
  logger?: Logger;
}

/** The caller behind a token, and the token itself as the transport should keep it. */
export interface AuthenticatedCaller {
  caller: CallerIdentity;
  /** `Bearer <jwt>`, normalised. */
  authorization: string;
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
   * Validates an `Authorization` value (`Bearer <jwt>`) and checks that it grants at least read access. Rejects with a
   * CallerAuthenticationError, CallerForbiddenError or AuthorityUnavailableError.
   */
  authenticate(authorization: string | undefined): Promise<AuthenticatedCaller>;
  /**
   * For graphql-ws `onConnect`: the token of `connectionParams` (`authorization`, `Authorization` or Apollo Router's
   * `token`) or of the upgrade request's `Authorization` header, checked as {@link authenticate} does. Keep
   * `authorization` and pass it as {@link ContextRequest.authorization} for each operation of the socket; close the
   * socket at `caller.expiresAt`.
   */
  authenticateConnection(connectionParams: unknown, upgradeHeaders?: IncomingHttpHeaders): Promise<ConnectionAuthentication>;
}

/** Just the context-building part of a {@link ContextFactory}. */
export type CreateContext = (request: ContextRequest) => Promise<GatewayContext>;

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const BEARER = /^Bearer[ \t]+([A-Za-z0-9\-_.~+/]+=*)[ \t]*$/i;

export function createContextFactory(options: ContextFactoryOptions): ContextFactory {
  const logger = options.logger ?? silentLogger;
  if (options.authMode === 'obo' && !options.obo) throw new Error('createContextFactory: AUTH_MODE=obo needs on-behalf-of token providers');
  // Schema-only operations run no resolver that reaches Graph; should one ever try, it gets no token.
  const noGraph = options.graph.withTokenProvider({
    getGraphToken: () => Promise.reject(new TokenAcquisitionError('UNAUTHENTICATED', 'This operation needs a caller token.')),
  });

  async function authenticate(authorization: string | undefined): Promise<AuthenticatedCaller> {
    if (authorization === undefined || authorization.trim() === '') throw new CallerAuthenticationError('missing');
    const token = BEARER.exec(authorization)?.[1];
    if (token === undefined) throw new CallerAuthenticationError('malformed');
    const caller = await options.callers.validate(token);
    if (!canRead(caller)) {
      throw new CallerForbiddenError(`The caller token grants no access to the gateway's API: it needs ${READ_PERMISSIONS_TEXT}.`);
    }
    return { caller, authorization: `Bearer ${token}` };
  }

  function graphFor(caller: CallerIdentity, authorization: string): GraphClient {
    // App-only callers (daemons holding an app role an administrator assigned) have no user to act for.
    if (options.authMode === 'app' || caller.kind === 'app' || !options.obo) return options.graph;
    return options.graph.withTokenProvider(options.obo.forCaller(authorization.slice('Bearer '.length), caller));
  }

  const onPublishError = (error: unknown): void => logger.warn('live status publish failed', { error });

  const factory = async (request: ContextRequest): Promise<GatewayContext> => {
    const requestId = request.requestId !== undefined && REQUEST_ID.test(request.requestId) ? request.requestId : randomUUID();
    const live = liveContext(options.live, request.connection, onPublishError);
    if (request.schemaOnly === true) return gatewayContext({ requestId, transport: request.transport, caller: null, graph: noGraph, live });
    let authenticated: AuthenticatedCaller;
    try {
      authenticated = await authenticate(request.authorization);
    } catch (err) {
      if (!isCallerAdmissionError(err)) throw err;
      if (err instanceof CallerAuthenticationError) logger.debug('caller refused', { requestId, transport: request.transport, reason: err.reason });
      else logger.info('caller refused', { requestId, transport: request.transport, reason: err.code, error: err });
      throw callerAdmissionGraphQLError(err);
    }
    const { caller, authorization } = authenticated;
    logger.debug('caller admitted', { requestId, transport: request.transport, subject: caller.subject, kind: caller.kind, appId: caller.appId });
    const identity = graphFor(caller, authorization);
    const graph = options.beginOperation && request.transport === 'http' ? identity.withOperation(options.beginOperation(caller)) : identity;
    return gatewayContext({ requestId, transport: request.transport, caller, graph, live });
  };

  return Object.assign(factory, {
    authenticate,
    async authenticateConnection(connectionParams: unknown, upgradeHeaders?: IncomingHttpHeaders): Promise<ConnectionAuthentication> {
      try {
        return { ok: true as const, ...(await authenticate(connectionAuthorization(connectionParams, upgradeHeaders))) };
      } catch (err) {
        if (!isCallerAdmissionError(err)) throw err;
        logger.debug('connection refused', { reason: err instanceof CallerAuthenticationError ? err.reason : err.code });
        return { ok: false as const, closeCode: closeCodeFor(err), reason: closeReason(err.message) };
      }
    },
  });
}

/**
 * The context with its loaders built on first use (over `graph`) and rebuilt after {@link GatewayContext.resetLoaders}.
 * Over HTTP, Apollo copies the context for each operation (reading the getter), so there they are built at once, as
 * before; the saving is per WebSocket operation, whose context graphql-ws uses as is.
 */
function gatewayContext(fields: Omit<GatewayContext, 'loaders' | 'resetLoaders'>): GatewayContext {
  let loaders: Loaders | undefined;
  return {
    ...fields,
    get loaders() {
      return (loaders ??= createLoaders(fields.graph));
    },
    resetLoaders() {
      loaders = undefined;
    },
  };
}

/**
 * The token a graphql-ws client sent: `connectionParams.authorization` (the design's contract), `Authorization`, or
 * `token` (what Apollo Router puts there), then the upgrade request's `Authorization` header. A bare JWT in
 * `connectionParams` is taken as a bearer token.
 */
export function connectionAuthorization(connectionParams: unknown, upgradeHeaders?: IncomingHttpHeaders): string | undefined {
  if (typeof connectionParams === 'object' && connectionParams !== null) {
    const params = connectionParams as Record<string, unknown>;
    for (const name of ['authorization', 'Authorization', 'token']) {
      const value = params[name];
      if (typeof value === 'string' && value.trim() !== '') {
        const trimmed = value.trim();
        return /^bearer\s/i.test(trimmed) ? trimmed : `Bearer ${trimmed}`;
      }
    }
  }
  const header = upgradeHeaders?.authorization;
  return typeof header === 'string' && header.trim() !== '' ? header : undefined;
}

function closeReason(message: string): string {
  // WebSocket close reasons are at most 123 bytes of UTF-8.
  const ascii = message.replace(/[^\x20-\x7e]/g, '');
  return ascii.length > 123 ? `${ascii.slice(0, 120)}...` : ascii;
}

/** The {@link ContextRequest} of an HTTP request (express parses the JSON body before the context is built). */
export function httpContextRequest(req: { headers: IncomingHttpHeaders; body?: unknown; query?: unknown }): ContextRequest {
  const requestId = req.headers['x-request-id'];
  return {
    transport: 'http',
    authorization: req.headers.authorization,
    requestId: Array.isArray(requestId) ? requestId[0] : requestId,
    schemaOnly: isSchemaOnlyDocument(documentOf(req.body) ?? documentOf(req.query)),
  };
}

function documentOf(carrier: unknown): unknown {
  return typeof carrier === 'object' && carrier !== null && !Array.isArray(carrier) ? (carrier as { query?: unknown }).query : undefined;
}

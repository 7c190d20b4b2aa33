import type http from 'node:http';
import {
  execute,
  getOperationAST,
  GraphQLError,
  parse,
  specifiedRules,
  subscribe,
  validate,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type GraphQLFormattedError,
  type GraphQLSchema,
  type ParseOptions,
  type ValidationRule,
} from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import type { CallerIdentity } from '../auth/caller-token.js';
import type { ContextFactory } from '../context.js';
import { callerQuotaKey, type CallerQuota } from '../resilience/caller-quota.js';
import { toGraphQLError } from '../graph/errors.js';
import { silentLogger, type Logger } from '../logger.js';
import { rateLimitedError } from './caller-rate-limit.js';
import { costRefusal } from './limits.js';
import { createPendingConnections } from './pending-connections.js';
import { createStartGate } from './start-gate.js';

/**
 * GraphQL over WebSocket (`graphql-transport-ws`, graphql-ws) on the HTTP server and path of the
 * queries, with the same schema object and the same context factory.
 *
 * - The socket is admitted at `connection_init`: the caller's token comes from
 *   `connectionParams.authorization` (or `Authorization`, or Apollo Router's `token`) or the upgrade
 *   request's `Authorization` header; no or a bad token closes it with 4401, a token without read
 *   permission with 4403. An admitted socket closes with 4401 when its token expires, so a client
 *   reconnects with a fresh one and no subscription outlives the token it was authorised with.
 * - Each operation gets its own context from the context factory, built with the socket's token, so
 *   every subscriber's access is checked with their own identity.
 * - Before authentication: messages of at most WS_MAX_MESSAGE_BYTES (a bigger one closes the socket with
 *   1009 before it is buffered), and sockets still waiting for their `connection_init` capped in total and
 *   per client address (pending-connections.ts; the upgrade is answered 503 or 429).
 * - Caps: operations per connection (MAX_SUBSCRIPTIONS_PER_CONNECTION) and connections per caller on
 *   this instance (MAX_CONNECTIONS_PER_CALLER, the extra socket closes with 4403 and says why).
 * - One budget per caller, as over HTTP: each subscription start spends one call of the caller's quota,
 *   the cost limit applies to one event's selection, and each event's Graph calls run in an operation
 *   scope of their own (call cap, deadline, quota; `GatewayContext.beginEvent`).
 * - A refusal of a valid document (not admitted, a cap, the cost or the rate limit, a query or mutation,
 *   an operation name that names none) reaches the subscription as one result with
 *   `errors[0].extensions.code`, then `complete`, and the socket stays open: supergraph runtimes pass such
 *   a result on, while they mask graphql-ws `error` messages and drop close codes. Documents that do not
 *   parse or validate are `error` messages, as the protocol has them.
 * - Errors go through the same formatting (masking) as over HTTP.
 */

export interface WebSocketTransportOptions {
  httpServer: http.Server;
  /** `/graphql`. */
  path: string;
  schema: GraphQLSchema;
  context: ContextFactory;
  maxSubscriptionsPerConnection: number;
  maxConnectionsPerCaller: number;
  /** graphql-ws format of the HTTP path's error formatting (Apollo's `formatError`). */
  formatError: (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;
  /** Ping period; a socket that misses a pong for as long is terminated. Default 12 s. */
  keepAliveMs?: number;
  logger?: Logger;
  /** The request limits of HTTP (`limits.ts`): token limit, and depth, alias and directive rules. */
  parseOptions?: ParseOptions;
  validationRules?: readonly ValidationRule[];
  /** MAX_QUERY_COST, for one event's selection. Default: none. */
  maxCost?: number;
  /** The caller quota of HTTP: each subscription start spends one call. Default: none. */
  quota?: CallerQuota | undefined;
  /** WS_MAX_MESSAGE_BYTES. */
  maxMessageBytes: number;
  /** WS_MAX_PENDING_CONNECTIONS and WS_MAX_PENDING_PER_ADDRESS. */
  maxPendingConnections: number;
  maxPendingPerAddress: number;
  /** The client address of an upgrade request (`clientAddressOf(TRUST_PROXY)`). */
  clientAddress: (req: http.IncomingMessage) => string;
}

export interface WebSocketTransport {
  /** Open, admitted connections. */
  connections(): number;
  /** Closes every socket (1001 going away) and the WebSocket server; for Apollo's drain phase. */
  dispose(): Promise<void>;
}

interface Admitted {
  authorization: string;
  caller: CallerIdentity;
  /** Counts the caller's connections on this instance. */
  callerKey: string;
  expiry: NodeJS.Timeout | undefined;
}

/** Valid documents kept parsed (bounded, least recently used out first), and the longest text kept. */
const MAX_CACHED_DOCUMENTS = 500;
const MAX_CACHED_DOCUMENT_LENGTH = 8_192;

/** setTimeout's ceiling (about 24.8 days). */
const MAX_TIMER_MS = 2 ** 31 - 1;

export const TOKEN_EXPIRED_CLOSE_REASON = 'The bearer token has expired; reconnect with a new one.';

/** Subscription starts one caller may have in progress at once on this instance (start-gate.ts). */
const MAX_STARTS_PER_CALLER = 4;

/** Longest pause in reading from a socket after a start refused for the caller's quota. */
const REFUSED_PAUSE_MS = 1_000;

/** What graphql-ws resolves a refused operation against: any valid operation does, it is never executed. */
const REFUSED = parse('subscription Refused { __typename }');

export function createWebSocketTransport(options: WebSocketTransportOptions): WebSocketTransport {
  const logger = options.logger ?? silentLogger;
  const { schema, context, quota } = options;
  const { clientAddress } = options;
  const pending = createPendingConnections({ maxTotal: options.maxPendingConnections, maxPerAddress: options.maxPendingPerAddress });
  const wss = new WebSocketServer({
    server: options.httpServer,
    path: options.path,
    maxPayload: options.maxMessageBytes,
    // Called back at once (before any other upgrade is looked at), so the counts checked here are the counts kept.
    verifyClient: (info, done) => {
      const verdict = pending.admit(info.req, clientAddress(info.req));
      if (verdict.ok) done(true);
      else {
        logger.info('websocket refused: pending connection cap', { status: verdict.status });
        done(false, verdict.status, verdict.message, { 'Retry-After': '1' });
      }
    },
  });
  const admitted = new WeakMap<WebSocket, Admitted>();
  const perCaller = new Map<string, number>();
  let open = 0;
  const format = (errors: readonly GraphQLError[]): GraphQLFormattedError[] => errors.map((e) => options.formatError(e.toJSON(), e));
  /** Refused operations: graphql-ws hands these arguments to `subscribe`, which answers the refusal as the one result. */
  const refusals = new WeakMap<ExecutionArgs, ExecutionResult>();
  const refuse = (error: GraphQLError): ExecutionArgs => {
    const args: ExecutionArgs = { schema, document: REFUSED };
    refusals.set(args, { errors: [error] });
    return args;
  };
  const starts = createStartGate(MAX_STARTS_PER_CALLER);
  /** The turn each start holds, by the arguments graphql-ws will subscribe with. */
  const leaving = new WeakMap<ExecutionArgs, () => void>();
  /**
   * A start refused for the caller's quota: the refusal, and the socket reads nothing more for a while (at most
   * {@link REFUSED_PAUSE_MS}, never past the quota's own wait), so a client that ignores `retryAfterSeconds` is slowed by
   * TCP back-pressure instead of costing a refusal per message. Its other subscriptions keep receiving meanwhile.
   */
  const rateLimited = (socket: WebSocket, retryAfterMs: number): ExecutionArgs => {
    if (!socket.isPaused) {
      socket.pause();
      setTimeout(() => socket.resume(), Math.min(retryAfterMs, REFUSED_PAUSE_MS)).unref();
    }
    return refuse(rateLimitedError(retryAfterMs, { http: false }));
  };
  const rules = options.validationRules ? [...specifiedRules, ...options.validationRules] : undefined;
  /**
   * Parsed and validated documents by their text. Thousands of subscribers send the same few documents
   * (with other variables); sharing one read-only AST saves each of them the parse, the validation and
   * several kilobytes of AST.
   */
  const documents = new Map<string, DocumentNode>();
  const documentOf = (query: string): DocumentNode | GraphQLError[] => {
    const cached = documents.get(query);
    if (cached) {
      // Most recently used last: the oldest entry is the first to go.
      documents.delete(query);
      documents.set(query, cached);
      return cached;
    }
    let document: DocumentNode;
    try {
      document = parse(query, options.parseOptions);
    } catch (err) {
      return [err instanceof GraphQLError ? withCode(err, 'GRAPHQL_PARSE_FAILED') : toGraphQLError(err)];
    }
    const invalid = validate(schema, document, rules);
    // Codes as Apollo gives them over HTTP: without one, the error formatting would mask them as internal.
    if (invalid.length > 0) return invalid.map((e) => withCode(e, 'GRAPHQL_VALIDATION_FAILED'));
    if (query.length <= MAX_CACHED_DOCUMENT_LENGTH) {
      documents.set(query, document);
      if (documents.size > MAX_CACHED_DOCUMENTS) documents.delete(documents.keys().next().value as string);
    }
    return document;
  };

  const server = useServer(
    {
      schema,
      execute,
      // Refusals (subscriptions of the placeholder document) are answered here. A start's turn of the gate ends once
      // its stream is set up (the access check and baseline read included), or refused.
      subscribe: async (args) => {
        try {
          return refusals.get(args) ?? (await subscribe(args));
        } finally {
          leaving.get(args)?.();
        }
      },
      // Close reasons never carry an internal error's message.
      isProd: true,
      async onConnect(ctx) {
        const { socket, request } = ctx.extra;
        let auth;
        try {
          auth = await context.authenticateConnection(ctx.connectionParams, request.headers);
        } finally {
          // Decided either way: the socket no longer counts as waiting for its connection_init.
          pending.settle(request);
        }
        if (!auth.ok) {
          socket.close(auth.closeCode, auth.reason);
          return false;
        }
        const callerKey = `${auth.caller.tenantId}/${auth.caller.kind}/${auth.caller.subject}`;
        const count = perCaller.get(callerKey) ?? 0;
        if (count >= options.maxConnectionsPerCaller) {
          logger.info('websocket refused: connection cap', { subject: auth.caller.subject, limit: options.maxConnectionsPerCaller });
          socket.close(4403, `Too many connections for this caller: at most ${options.maxConnectionsPerCaller} at once (MAX_CONNECTIONS_PER_CALLER).`);
          return false;
        }
        perCaller.set(callerKey, count + 1);
        open++;
        const untilExpiry = Math.max(0, auth.caller.expiresAt.getTime() - Date.now());
        const expiry = setTimeout(() => socket.close(4401, TOKEN_EXPIRED_CLOSE_REASON), Math.min(untilExpiry, MAX_TIMER_MS));
        expiry.unref();
        admitted.set(socket, { authorization: auth.authorization, caller: auth.caller, callerKey, expiry });
        return true;
      },
      onClose(ctx) {
        const state = admitted.get(ctx.extra.socket);
        if (!state) return;
        admitted.delete(ctx.extra.socket);
        clearTimeout(state.expiry);
        open--;
        const left = (perCaller.get(state.callerKey) ?? 1) - 1;
        if (left > 0) perCaller.set(state.callerKey, left);
        else perCaller.delete(state.callerKey);
      },
      async onSubscribe(ctx, id, payload) {
        const { socket } = ctx.extra;
        const state = admitted.get(socket);
        if (!state) return refuse(new GraphQLError('The connection is not admitted.', { extensions: { code: 'UNAUTHENTICATED' } }));
        // graphql-ws registers the operation before this hook: it counts itself.
        if (Object.keys(ctx.subscriptions).length > options.maxSubscriptionsPerConnection) {
          return refuse(
            new GraphQLError(
              `This connection already runs ${options.maxSubscriptionsPerConnection} operations, the most MAX_SUBSCRIPTIONS_PER_CONNECTION allows; complete one, or open another connection.`,
              { extensions: { code: 'ACTION_NOT_ALLOWED' } },
            ),
          );
        }
        const document = documentOf(payload.query);
        if (Array.isArray(document)) return document;
        const operationName = payload.operationName ?? undefined;
        const operation = getOperationAST(document, operationName);
        if (!operation) return refuse(operationResolutionError(document, operationName));
        // Queries and mutations go over HTTP, where the cost limit, the caller rate limit, the per-operation deadline
        // and the audit log apply; a socket must not be a way around them.
        if (operation.operation !== 'subscription') {
          return refuse(
            new GraphQLError(
              `Over WebSocket this gateway runs subscriptions only; send ${operation.operation === 'mutation' ? 'mutations' : 'queries'} as HTTP requests to /graphql.`,
              { extensions: { code: 'BAD_REQUEST' } },
            ),
          );
        }
        // The quota is asked first (the cheapest check, and the one a flooding caller meets), then the cost, then the
        // start is spent; all before the context is built, so a refused start costs no token validation and no Graph call.
        const quotaKey = callerQuotaKey(state.caller);
        if (quota) {
          const answer = await quota.check(quotaKey);
          if (!answer.ok) return rateLimited(socket, answer.retryAfterMs);
        }
        if (options.maxCost !== undefined) {
          const tooCostly = costRefusal({ schema, document, variables: payload.variables, operationName }, options.maxCost);
          if (tooCostly) return refuse(tooCostly);
        }
        if (quota) {
          const answer = await quota.consume(quotaKey);
          if (!answer.ok) return rateLimited(socket, answer.retryAfterMs);
        }
        // From here the start takes one of the caller's turns until graphql-ws has subscribed: graphql-ws calls
        // `subscribe` (above) with whatever this hook returns, and the turn is given back there.
        const leave = await starts.enter(quotaKey);
        let args: ExecutionArgs;
        try {
          // Completed by its client while it waited: nothing to set up (graphql-ws sends nothing for it either).
          if (!(id in ctx.subscriptions)) throw new GraphQLError('The subscription was completed before it started.', { extensions: { code: 'BAD_REQUEST' } });
          args = {
            schema,
            document,
            contextValue: await context({
              transport: 'websocket',
              authorization: state.authorization,
              connection: { close: (code, reason) => socket.close(code, reason) },
            }),
            ...(operationName !== undefined ? { operationName } : {}),
            ...(payload.variables ? { variableValues: payload.variables } : {}),
          };
        } catch (err) {
          args = refuse(err instanceof GraphQLError ? err : toGraphQLError(err));
        }
        leaving.set(args, leave);
        return args;
      },
      onNext(_ctx, _id, _payload, _args, result) {
        if (!result.errors || result.errors.length === 0) return undefined;
        return { ...result, errors: format(result.errors) };
      },
      onError(_ctx, _id, _payload, errors) {
        return format(errors);
      },
    },
    wss,
    options.keepAliveMs ?? 12_000,
  );

  // graphql-ws prints every socket 'error' with console.error; a client's protocol error (a message over
  // WS_MAX_MESSAGE_BYTES, invalid UTF-8, a bad frame) is the client's doing, and ws has already closed that socket
  // with the matching code (1009, 1007, 1002), so it is logged at debug level instead of flooding stderr for anyone.
  wss.on('connection', (socket) => {
    socket.removeAllListeners('error');
    socket.on('error', (err: Error & { code?: string }) => logger.debug('websocket error', { code: err.code, error: err }));
  });

  return {
    connections: () => open,
    async dispose() {
      await server.dispose();
    },
  };
}

/** Apollo's OPERATION_RESOLUTION_FAILURE, with its wording, for a document whose operation cannot be chosen. */
function operationResolutionError(document: DocumentNode, operationName: string | undefined): GraphQLError {
  const message =
    operationName !== undefined
      ? `Unknown operation named "${operationName.replace(/[^\x20-\x7e]/g, '?').slice(0, 100)}".`
      : document.definitions.some((d) => d.kind === 'OperationDefinition')
        ? 'Must provide operation name if query contains multiple operations.'
        : 'The document holds no operation to run.';
  return new GraphQLError(message, { extensions: { code: 'OPERATION_RESOLUTION_FAILURE' } });
}

/** The error with the `extensions.code` Apollo gives the same failure over HTTP. */
function withCode(error: GraphQLError, code: 'GRAPHQL_PARSE_FAILED' | 'GRAPHQL_VALIDATION_FAILED'): GraphQLError {
  return new GraphQLError(error.message, {
    ...(error.nodes ? { nodes: error.nodes } : {}),
    ...(error.source ? { source: error.source } : {}),
    ...(error.positions ? { positions: error.positions } : {}),
    extensions: { ...error.extensions, code },
  });
}

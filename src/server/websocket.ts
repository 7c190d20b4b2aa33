import type http from 'node:http';
import { execute, type GraphQLError, type GraphQLFormattedError, type GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ContextFactory } from '../context.js';
import type { CallerQuota } from '../resilience/caller-quota.js';
import type { Logger } from '../logger.js';
import type { CallerConnections } from './caller-connections.js';
import type { DocumentOf } from './document-cache.js';
import { createConnectionAdmission } from './websocket-admission.js';
import { createSubscriptionStarts } from './websocket-subscribe.js';

/**
 * GraphQL over WebSocket (`graphql-transport-ws`, graphql-ws) on the HTTP server and path of the
 * queries, with the same schema object and the same context factory. Its parts:
 *
 * - which sockets are served (websocket-admission.ts): pending sockets capped at the upgrade, the
 *   caller's token checked at `connection_init` (from `connectionParams.authorization`, `Authorization`,
 *   Apollo Router's `token`, or the upgrade request's `Authorization` header), connections per caller
 *   capped (with the HTTP streams: caller-connections.ts), and a socket whose token expires ends its
 *   subscriptions with UNAUTHENTICATED results, then closes with 4401;
 * - how each operation starts (websocket-subscribe.ts, on subscription-start.ts, which SSE and multipart
 *   HTTP share): subscriptions only, the operation cap, the caller's quota and the cost limit, turns per
 *   caller, and refusals as one result then `complete`;
 * - documents parsed and validated once for all sockets and HTTP streams (document-cache.ts, made by the caller);
 * - here: messages of at most WS_MAX_MESSAGE_BYTES (a bigger one closes the socket with 1009 before it
 *   is buffered), and errors formatted (masked) as over HTTP.
 *
 * Each operation gets its own context from the context factory, built with the socket's token, so
 * every subscriber's access is checked with their own identity. The operations of a socket share its
 * caller and Graph client, and a subscription lets go of what its start and each event built (operation
 * scope, loaders) once their result is out, so one waiting for its next event holds little
 * (websocket-subscribe.ts, subscription-events.ts).
 */

/** How long a socket closed for a protocol error has to read the close frame before it is cut. */
const PROTOCOL_ERROR_GRACE_MS = 100;

/**
 * After a protocol error ws sends its close frame and keeps reading, discarding, until the client answers it (up to
 * 30 s): a client still sending a refused 90 MB message would have all of it pass through the gateway's memory (on
 * Node 26 its resident memory grew by about 100 MB for four such clients). Reading stops instead, once ws has resumed
 * the socket to send its close frame, and the socket is cut after a short grace in which the client reads that frame.
 */
function dropAfterClose(socket: WebSocket): void {
  setImmediate(() => socket.pause());
  setTimeout(() => socket.terminate(), PROTOCOL_ERROR_GRACE_MS).unref();
}

/** The transport's limits, from the configuration (`options-from-config.ts`). */
export interface WebSocketLimits {
  /** MAX_SUBSCRIPTIONS_PER_CONNECTION. */
  maxSubscriptionsPerConnection: number;
  /** WS_MAX_MESSAGE_BYTES. */
  maxMessageBytes: number;
  /** WS_MAX_PENDING_CONNECTIONS and WS_MAX_PENDING_PER_ADDRESS. */
  maxPendingConnections: number;
  maxPendingPerAddress: number;
  /** The client address of an upgrade request (`clientAddressOf(TRUST_PROXY)`). */
  clientAddress: (req: http.IncomingMessage) => string;
  /** MAX_QUERY_COST, for one event's selection. */
  maxCost: number;
}

export interface WebSocketTransportOptions extends WebSocketLimits {
  httpServer: http.Server;
  /** `/graphql`. */
  path: string;
  schema: GraphQLSchema;
  context: ContextFactory;
  /** graphql-ws format of the HTTP path's error formatting (Apollo's `formatError`). */
  formatError: (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;
  logger: Logger;
  /** Parsed and validated documents (document-cache.ts), shared with the HTTP streams. */
  documentOf: DocumentOf;
  /** The caller quota of HTTP: each subscription start spends one call; undefined when per-caller limits are off. */
  quota: CallerQuota | undefined;
  /** Connections per caller, counted with the HTTP streams' (MAX_CONNECTIONS_PER_CALLER). */
  callerConnections: CallerConnections;
}

export interface WebSocketTransport {
  /** Open, admitted connections. */
  connections(): number;
  /** Closes every socket (1001 going away) and the WebSocket server; for Apollo's drain phase. */
  dispose(): Promise<void>;
}

/** Ping period; a socket that misses a pong for as long is terminated (graphql-ws's default). */
const KEEP_ALIVE_MS = 12_000;

export function createWebSocketTransport(options: WebSocketTransportOptions): WebSocketTransport {
  const { schema, logger, formatError } = options;
  const admission = createConnectionAdmission(options);
  const wss = new WebSocketServer({
    server: options.httpServer,
    path: options.path,
    maxPayload: options.maxMessageBytes,
    // Called back at once (before any other upgrade is looked at), so the counts checked here are the counts kept.
    verifyClient: admission.verifyClient,
  });
  const starts = createSubscriptionStarts({ ...options, admission });
  const format = (errors: readonly GraphQLError[]): GraphQLFormattedError[] => errors.map((e) => formatError(e.toJSON(), e));
  const server = useServer(
    {
      schema,
      execute,
      subscribe: (args) => starts.subscribe(args),
      // Close reasons never carry an internal error's message.
      isProd: true,
      onConnect: (ctx) => admission.onConnect(ctx),
      onClose: (ctx) => admission.onClose(ctx),
      onSubscribe: (ctx, id, payload) => starts.onSubscribe(ctx, id, payload),
      onNext(_ctx, _id, _payload, args, result) {
        starts.settled(args);
        if (!result.errors || result.errors.length === 0) return undefined;
        return { ...result, errors: format(result.errors) };
      },
      onError: (_ctx, _id, _payload, errors) => format(errors),
    },
    wss,
    KEEP_ALIVE_MS,
  );

  // graphql-ws prints every socket 'error' with console.error; a client's protocol error (a message over
  // WS_MAX_MESSAGE_BYTES, invalid UTF-8, a bad frame) is the client's doing, and ws has already closed that socket
  // with the matching code (1009, 1007, 1002), so it is logged at debug level instead of flooding stderr for anyone.
  wss.on('connection', (socket) => {
    socket.removeAllListeners('error');
    socket.on('error', (err: Error & { code?: string }) => {
      logger.debug('websocket error', { code: err.code, error: err });
      dropAfterClose(socket);
    });
  });

  return {
    connections: () => admission.open(),
    async dispose() {
      await server.dispose();
    },
  };
}

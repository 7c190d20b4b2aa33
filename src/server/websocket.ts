import type http from 'node:http';
import { execute, getOperationAST, GraphQLError, parse, specifiedRules, subscribe, validate, type DocumentNode, type GraphQLFormattedError, type GraphQLSchema, type ParseOptions, type ValidationRule } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ContextFactory } from '../context.js';
import { toGraphQLError } from '../graph/errors.js';
import { silentLogger, type Logger } from '../logger.js';

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
 * - Caps: operations per connection (MAX_SUBSCRIPTIONS_PER_CONNECTION, an error for the operation
 *   that exceeds it) and connections per caller on this instance (MAX_CONNECTIONS_PER_CALLER, the
 *   extra socket closes with 4403 and says why).
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
}

export interface WebSocketTransport {
  /** Open, admitted connections. */
  connections(): number;
  /** Closes every socket (1001 going away) and the WebSocket server; for Apollo's drain phase. */
  dispose(): Promise<void>;
}

interface Admitted {
  authorization: string;
  callerKey: string;
  expiry: NodeJS.Timeout | undefined;
}

/** Valid documents kept parsed (bounded, least recently used out first), and the longest text kept. */
const MAX_CACHED_DOCUMENTS = 500;
const MAX_CACHED_DOCUMENT_LENGTH = 8_192;

/** setTimeout's ceiling (about 24.8 days). */
const MAX_TIMER_MS = 2 ** 31 - 1;

export const TOKEN_EXPIRED_CLOSE_REASON = 'The bearer token has expired; reconnect with a new one.';

export function createWebSocketTransport(options: WebSocketTransportOptions): WebSocketTransport {
  const logger = options.logger ?? silentLogger;
  const { schema, context } = options;
  const wss = new WebSocketServer({ server: options.httpServer, path: options.path });
  const admitted = new WeakMap<WebSocket, Admitted>();
  const perCaller = new Map<string, number>();
  let open = 0;
  const format = (errors: readonly GraphQLError[]): GraphQLFormattedError[] => errors.map((e) => options.formatError(e.toJSON(), e));
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
      subscribe,
      // Close reasons never carry an internal error's message.
      isProd: true,
      async onConnect(ctx) {
        const { socket, request } = ctx.extra;
        const auth = await context.authenticateConnection(ctx.connectionParams, request.headers);
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
        admitted.set(socket, { authorization: auth.authorization, callerKey, expiry });
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
      async onSubscribe(ctx, _id, payload) {
        const { socket } = ctx.extra;
        const state = admitted.get(socket);
        if (!state) return [new GraphQLError('The connection is not admitted.', { extensions: { code: 'UNAUTHENTICATED' } })];
        // graphql-ws registers the operation before this hook: it counts itself.
        if (Object.keys(ctx.subscriptions).length > options.maxSubscriptionsPerConnection) {
          return [
            new GraphQLError(
              `This connection already runs ${options.maxSubscriptionsPerConnection} operations, the most MAX_SUBSCRIPTIONS_PER_CONNECTION allows; complete one, or open another connection.`,
              { extensions: { code: 'ACTION_NOT_ALLOWED' } },
            ),
          ];
        }
        const document = documentOf(payload.query);
        if (Array.isArray(document)) return document;
        // Queries and mutations go over HTTP, where the cost limit, the caller rate limit, the per-operation deadline
        // and the audit log apply; a socket must not be a way around them.
        const operation = getOperationAST(document, payload.operationName ?? undefined);
        if (operation && operation.operation !== 'subscription') {
          return [
            new GraphQLError(
              `Over WebSocket this gateway runs subscriptions only; send ${operation.operation === 'mutation' ? 'mutations' : 'queries'} as HTTP requests to /graphql.`,
              { extensions: { code: 'BAD_REQUEST' } },
            ),
          ];
        }
        let contextValue;
        try {
          contextValue = await context({
            transport: 'websocket',
            authorization: state.authorization,
            connection: { close: (code, reason) => socket.close(code, reason) },
          });
        } catch (err) {
          return [err instanceof GraphQLError ? err : toGraphQLError(err)];
        }
        return {
          schema,
          document,
          contextValue,
          ...(payload.operationName !== undefined && payload.operationName !== null ? { operationName: payload.operationName } : {}),
          ...(payload.variables ? { variableValues: payload.variables } : {}),
        };
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

  return {
    connections: () => open,
    async dispose() {
      await server.dispose();
    },
  };
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

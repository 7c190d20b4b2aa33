import type http from 'node:http';
import type express from 'express';
import { GraphQLError, type ExecutionArgs, type ExecutionResult, type GraphQLFormattedError } from 'graphql';
import { callerAdmissionGraphQLError, isCallerAdmissionError } from '../auth/caller-errors.js';
import { bearerToken } from '../auth/caller-token.js';
import type { AuthenticatedCaller, ContextFactory } from '../context.js';
import { toGraphQLError } from '../graphql-errors.js';
import type { LiveConnection } from '../subscriptions/live-context.js';
import { tooManyConnectionsMessage, type CallerConnections } from './caller-connections.js';
import type { DocumentOf } from './document-cache.js';
import { createMultipartHandler } from './multipart-subscriptions.js';
import { createSseHandler } from './sse-subscriptions.js';
import { chooseSubscription, createSubscriptionStart, settled, type SubscriptionStartOptions } from './subscription-start.js';
import { subscribeEvents } from './subscription-events.js';

/**
 * Subscriptions over HTTP on `/graphql`, beside graphql-ws: Server-Sent Events (the graphql-sse protocol's distinct
 * connections mode: `GET` or `POST` with `Accept: text/event-stream`, what Hive Gateway sends a subgraph) and Apollo's
 * multipart subscription protocol (`POST` with `Accept: multipart/mixed;subscriptionSpec=1.0`, what Apollo Client's
 * `HttpLink` and Apollo Router send). One subscription per request; the rules are WebSocket's:
 *
 * - the caller's token from the `Authorization` header, checked as over HTTP; the request counts as one of the caller's
 *   connections (MAX_CONNECTIONS_PER_CALLER) while it is open;
 * - the start's checks (subscription-start.ts): quota, cost, turns per caller, an operation scope per event;
 * - a token that expires ends the stream with an UNAUTHENTICATED result; every refusal (no or a bad token, a cap, a
 *   limit, a query or mutation sent here) is the stream's one result with `errors[0].extensions.code`, then its end:
 *   supergraph runtimes pass results on, where they mask transport errors and drop status codes;
 * - errors formatted (masked) as everywhere else.
 *
 * These requests are answered before Apollo Server's CSRF prevention, which refuses the bare `GET` a gateway sends.
 * They stay safe from cross-site requests: a stream needs the `Authorization` header, which a browser sends
 * cross-origin only after a CORS preflight that CORS_ORIGINS decides, and a simple request carries none.
 */

export interface HttpSubscriptionsOptions extends SubscriptionStartOptions {
  context: ContextFactory;
  documentOf: DocumentOf;
  callerConnections: CallerConnections;
  /** The error formatting of every transport (masking). */
  formatError: (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;
  /** How often an idle multipart stream sends its heartbeat (Apollo's protocol: 5 s). */
  multipartHeartbeatMs?: number;
}

/** What a stream request asks for. */
export interface StreamParams {
  query?: unknown;
  operationName?: unknown;
  variables?: unknown;
}

/** A result with its errors formatted for the client. */
export interface DeliveredResult {
  data?: ExecutionResult['data'];
  errors?: GraphQLFormattedError[];
  extensions?: ExecutionResult['extensions'];
}

/** What both HTTP transports do with a request: admit it and subscribe, or answer it with one result. */
export interface HttpStreams {
  /** The arguments to subscribe with, or the one result that answers the request (a refusal). */
  admit(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    params: StreamParams,
    transport: 'sse' | 'multipart',
  ): Promise<ExecutionArgs | ExecutionResult>;
  /** The results of admitted arguments; the start's turn is given back once the stream is set up. */
  subscribe(args: ExecutionArgs): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult>;
  /** A result as the client gets it: errors formatted (masked); what the event built for Graph is let go. */
  deliver(args: ExecutionArgs | undefined, result: ExecutionResult): DeliveredResult;
}

export function createHttpSubscriptions(options: HttpSubscriptionsOptions): express.RequestHandler {
  const streams = createHttpStreams(options);
  const sse = createSseHandler(streams);
  const multipart = createMultipartHandler(streams, { heartbeatMs: options.multipartHeartbeatMs ?? 5_000 });
  return (req, res, next) => {
    const accept = req.headers.accept ?? '';
    if ((req.method === 'GET' || req.method === 'POST') && /(^|[,\s])text\/event-stream\b/i.test(accept)) return sse(req, res, next);
    if (req.method === 'POST' && /multipart\/mixed/i.test(accept) && /subscriptionspec/i.test(accept)) return multipart(req, res, next);
    next();
  };
}

function createHttpStreams(options: HttpSubscriptionsOptions): HttpStreams {
  const { context, documentOf, callerConnections, formatError } = options;
  const start = createSubscriptionStart(options);
  const leaving = new WeakMap<ExecutionArgs, () => void>();
  const refusal = (error: GraphQLError): ExecutionResult => ({ data: null, errors: [error] });

  return {
    async admit(req, res, params, transport) {
      if (typeof params.query !== 'string')
        return refusal(new GraphQLError('The request holds no GraphQL document (query).', { extensions: { code: 'BAD_REQUEST' } }));
      const variables = variablesOf(params.variables);
      if (variables instanceof GraphQLError) return refusal(variables);
      const admitted = await authenticate(context, req);
      if (admitted instanceof GraphQLError) return refusal(admitted);
      const name = typeof params.operationName === 'string' ? params.operationName : undefined;
      const chosen = chooseSubscription(documentOf, params.query, name, transport === 'sse' ? 'SSE' : 'multipart HTTP');
      if (Array.isArray(chosen)) return { data: null, errors: chosen };
      if (chosen instanceof GraphQLError) return refusal(chosen);
      const counted = callerConnections.open(admitted.caller);
      if (!counted)
        return refusal(
          new GraphQLError(tooManyConnectionsMessage(callerConnections.limit), { extensions: { code: 'ACTION_NOT_ALLOWED' } }),
        );
      res.once('close', () => counted.close());
      const connection: LiveConnection = { close: () => res.destroy() };
      const outcome = await start({ transport, admitted, connection, ...chosen, variables, stillWanted: () => !res.destroyed });
      if (!outcome.ok) return refusal(outcome.error);
      leaving.set(outcome.args, outcome.leave);
      return outcome.args;
    },
    async subscribe(args) {
      try {
        return await subscribeEvents(args);
      } finally {
        leaving.get(args)?.();
        leaving.delete(args);
        settled(args);
      }
    },
    deliver(args, result) {
      if (args) settled(args);
      const { errors, ...rest } = result;
      if (!errors || errors.length === 0) return rest;
      return { ...rest, errors: errors.map((e) => formatError(e.toJSON(), e)) };
    },
  };
}

/** The caller of the request's `Authorization` header, or the refusal to answer with. */
async function authenticate(context: ContextFactory, req: http.IncomingMessage): Promise<AuthenticatedCaller | GraphQLError> {
  try {
    return await context.authenticate(bearerToken(req.headers.authorization));
  } catch (err) {
    return isCallerAdmissionError(err) ? callerAdmissionGraphQLError(err) : toGraphQLError(err);
  }
}

/** The request's variables (an object, or JSON text of one from a URL), or why not. */
function variablesOf(value: unknown): Record<string, unknown> | undefined | GraphQLError {
  let parsed = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value) as unknown;
    } catch {
      parsed = [];
    }
  }
  if (parsed === undefined || parsed === null) return undefined;
  if (typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  return new GraphQLError('The variables must be a JSON object.', { extensions: { code: 'BAD_REQUEST' } });
}

import { GraphQLError } from 'graphql';
import { TokenAcquisitionError } from './auth/types.js';
import type { GatewayErrorCode } from './generated/graphql.js';
import { GraphInputError, GraphProtocolError, GraphRequestError, GraphTransportError } from './graph/errors.js';
import { GraphOutcomeUnknownError } from './graph/write-recovery.js';
import { GraphCircuitOpenError } from './resilience/circuit-breaker.js';
import { CallerRateLimitedError, GraphCallCapError, GraphDeadlineError } from './resilience/operation.js';

/**
 * The one mapping from what can go wrong below the resolvers (Graph's answers, the gateway's own protections, token
 * acquisition) to the GraphQL errors clients see: a stable `extensions.code` from the documented set, plus
 * `extensions.graph` when Graph answered. Used by the loaders, the resolvers, the WebSocket server and subscriptions.
 * Messages that may reach clients never hold a URL, a token or a stack: Graph's own message is passed on (it explains
 * 400s well) after {@link scrubMessage}.
 */

export type { GatewayErrorCode } from './generated/graphql.js';

/** Apollo Server's request-level codes are documented with the rest, but no Graph answer ever maps to them. */
type GraphFailureCode = Exclude<
  GatewayErrorCode,
  | 'BAD_REQUEST'
  | 'OPERATION_RESOLUTION_FAILURE'
  | 'GRAPHQL_PARSE_FAILED'
  | 'GRAPHQL_VALIDATION_FAILED'
  | 'PERSISTED_QUERY_NOT_FOUND'
  | 'PERSISTED_QUERY_NOT_SUPPORTED'
>;

/** 403s that mean "not in this state", not "not permitted". */
const STATE_CONFLICT_CODES = new Set(['restoresessionactionnotallowed', 'invalidstateforbulkrequestdeletion', 'policyactionnotallowed']);

/**
 * The gateway code for a Graph answer. `TooManyActiveRestoreSessions` (a 500 on activate when 25
 * sessions are already running) is the caller's situation, not an outage: it becomes
 * ACTION_NOT_ALLOWED, and clients that care tell it apart by `extensions.graph.code`, so the public
 * code set stays the contract's.
 */
export function gatewayCodeFor(status: number, graphCode: string): GraphFailureCode {
  const code = graphCode.toLowerCase();
  if (code === 'toomanyactiverestoresessions') return 'ACTION_NOT_ALLOWED';
  if (status === 400 || status === 413 || status === 422) return 'BAD_USER_INPUT';
  if (status === 401) return 'UNAUTHENTICATED';
  if (status === 403) return STATE_CONFLICT_CODES.has(code) ? 'ACTION_NOT_ALLOWED' : 'FORBIDDEN';
  if (status === 402) return 'FORBIDDEN';
  if (status === 404 || status === 410) return 'NOT_FOUND';
  if (status === 409 || status === 412 || status === 423) return 'ACTION_NOT_ALLOWED';
  if (status === 429) return 'UPSTREAM_THROTTLED';
  if (status >= 500) return 'UPSTREAM_UNAVAILABLE';
  // 405, 406, 411, 415, 424…: the gateway built a request Graph cannot take; the caller can do nothing.
  return 'INTERNAL_SERVER_ERROR';
}

const GENERIC_MESSAGES: Record<GraphFailureCode, string> = {
  UNAUTHENTICATED: 'Microsoft Graph did not accept the credentials of this request.',
  FORBIDDEN: 'Microsoft Graph refused access to this resource.',
  NOT_FOUND: 'Microsoft Graph does not know this item.',
  BAD_USER_INPUT: 'Microsoft Graph refused the request as invalid.',
  ACTION_NOT_ALLOWED: 'Microsoft Graph does not allow this action in the current state.',
  UPSTREAM_THROTTLED: 'Microsoft Graph is throttling requests; try again later.',
  UPSTREAM_UNAVAILABLE: 'Microsoft Graph is unavailable; try again later.',
  OUTCOME_UNKNOWN: 'Microsoft Graph did not confirm whether the change happened; read the state before trying again.',
  RATE_LIMITED: 'Too many Microsoft Graph calls for this caller; try again later.',
  INTERNAL_SERVER_ERROR: 'Internal server error.',
};

export interface GraphErrorExtensions {
  [key: string]: unknown;
  code: GatewayErrorCode;
  graph?: { status: number; code: string; requestId: string | null; clientRequestId: string | null };
  /** For BAD_USER_INPUT raised by the gateway itself: the argument at fault. */
  argument?: string;
  /** UPSTREAM_THROTTLED, RATE_LIMITED, and UPSTREAM_UNAVAILABLE from an open circuit: when trying again makes sense. */
  retryAfterSeconds?: number;
}

/**
 * Any error thrown below the resolvers as the GraphQL error a client sees. GraphQL errors pass
 * through untouched; anything unknown becomes INTERNAL_SERVER_ERROR without its message.
 */
export function toGraphQLError(err: unknown): GraphQLError {
  if (err instanceof GraphQLError) return err;
  const error = (message: string, extensions: GraphErrorExtensions, originalError: Error): GraphQLError =>
    new GraphQLError(message, { extensions, originalError });
  if (err instanceof GraphRequestError) {
    const code = gatewayCodeFor(err.status, err.code);
    const extensions: GraphErrorExtensions = { code, graph: graphExtension(err) };
    if (code === 'UPSTREAM_THROTTLED' && err.retryAfterMs !== undefined) extensions.retryAfterSeconds = seconds(err.retryAfterMs);
    return error(messageFor(code, err), extensions, err);
  }
  if (err instanceof GraphOutcomeUnknownError) {
    const extensions: GraphErrorExtensions = { code: 'OUTCOME_UNKNOWN' };
    if (err.failure instanceof GraphRequestError) extensions.graph = graphExtension(err.failure);
    return error(err.message, extensions, err);
  }
  if (err instanceof GraphCircuitOpenError)
    return error(err.message, { code: 'UPSTREAM_UNAVAILABLE', retryAfterSeconds: seconds(err.retryAfterMs) }, err);
  if (err instanceof GraphDeadlineError) return error(err.message, { code: 'UPSTREAM_UNAVAILABLE' }, err);
  if (err instanceof GraphCallCapError) return error(err.message, { code: 'BAD_USER_INPUT' }, err);
  if (err instanceof CallerRateLimitedError)
    return error(err.message, { code: 'RATE_LIMITED', retryAfterSeconds: seconds(err.retryAfterMs) }, err);
  if (err instanceof GraphInputError) return error(err.message, { code: 'BAD_USER_INPUT', argument: err.argument }, err);
  if (err instanceof GraphTransportError) return error(GENERIC_MESSAGES.UPSTREAM_UNAVAILABLE, { code: 'UPSTREAM_UNAVAILABLE' }, err);
  if (err instanceof GraphProtocolError) {
    return error('Microsoft Graph returned an answer the gateway could not read; try again later.', { code: 'UPSTREAM_UNAVAILABLE' }, err);
  }
  // The type-level check that token failures speak the gateway's public vocabulary.
  if (err instanceof TokenAcquisitionError) return error(err.message, { code: err.code satisfies GatewayErrorCode }, err);
  const original = err instanceof Error ? err : new Error(String(err));
  return error(GENERIC_MESSAGES.INTERNAL_SERVER_ERROR, { code: 'INTERNAL_SERVER_ERROR' }, original);
}

function graphExtension(err: GraphRequestError): NonNullable<GraphErrorExtensions['graph']> {
  return { status: err.status, code: err.code, requestId: err.requestId ?? null, clientRequestId: err.clientRequestId ?? null };
}

/** Whole seconds, at least 1: what `Retry-After` and `retryAfterSeconds` carry. */
function seconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}

function messageFor(code: GraphFailureCode, err: GraphRequestError): string {
  switch (code) {
    case 'UPSTREAM_THROTTLED':
      return err.retryAfterMs !== undefined
        ? `Microsoft Graph is throttling requests; try again in ${seconds(err.retryAfterMs)} s.`
        : GENERIC_MESSAGES.UPSTREAM_THROTTLED;
    case 'UPSTREAM_UNAVAILABLE':
    case 'INTERNAL_SERVER_ERROR':
      // 5xx texts are Graph's internals, and the gateway's own mistakes are not the caller's business.
      return GENERIC_MESSAGES[code];
    default: {
      const message = scrubMessage(err.message);
      return message !== '' ? message : GENERIC_MESSAGES[code];
    }
  }
}

const MAX_MESSAGE = 500;

/** Removes URLs, bearer tokens and JWT-looking strings, control characters, and bounds the length. */
export function scrubMessage(message: string): string {
  const clean = message
    .replace(/\b[a-z][a-z0-9+.-]*:\/\/[^\s'"<>]+/gi, '<url>')
    .replace(/\bBearer\s+[A-Za-z0-9._~+/=-]+/gi, 'Bearer <redacted>')
    .replace(/\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*\.?[A-Za-z0-9_-]*/g, '<token>')
    .replace(/(?:(?![\u0080-\u009f])\p{Cc})+/gu, ' ')
    .trim();
  return clean.length > MAX_MESSAGE ? `${clean.slice(0, MAX_MESSAGE)}…` : clean;
}

import { GraphQLError } from 'graphql';
import { TokenAcquisitionError } from '../auth/types.js';
import type { GatewayErrorCode } from '../generated/graphql.js';

/**
 * Everything that can go wrong below the resolvers, as typed errors, and the one mapping from them
 * to the gateway's public error codes (`extensions.code`, plus `extensions.graph` when Graph
 * answered). Messages that may reach clients never hold a URL, a token or a stack: Graph's own
 * message is passed on (it explains 400s well) after scrubbing.
 */

export type { GatewayErrorCode } from '../generated/graphql.js';

/** Apollo Server's request-level codes are documented with the rest, but no Graph answer ever maps to them. */
type GraphFailureCode = Exclude<
  GatewayErrorCode,
  'BAD_REQUEST' | 'OPERATION_RESOLUTION_FAILURE' | 'GRAPHQL_PARSE_FAILED' | 'GRAPHQL_VALIDATION_FAILED' | 'PERSISTED_QUERY_NOT_FOUND' | 'PERSISTED_QUERY_NOT_SUPPORTED'
>;

/** Graph answered with a non-2xx status (top level or inside a `$batch` item). */
export class GraphRequestError extends Error {
  override readonly name = 'GraphRequestError';
  readonly status: number;
  /** Graph's error code, e.g. `RestoreSessionNotFound`, `TooManyRequests`. */
  readonly code: string;
  /** Graph's `request-id`, for support cases. */
  readonly requestId: string | undefined;
  /** The `client-request-id` the gateway sent. */
  readonly clientRequestId: string | undefined;
  /** From `Retry-After`, in milliseconds. */
  readonly retryAfterMs: number | undefined;
  constructor(init: {
    status: number;
    code: string;
    message: string;
    requestId?: string | undefined;
    clientRequestId?: string | undefined;
    retryAfterMs?: number | undefined;
  }) {
    super(scrubMessage(init.message));
    this.status = init.status;
    this.code = init.code;
    this.requestId = init.requestId;
    this.clientRequestId = init.clientRequestId;
    this.retryAfterMs = init.retryAfterMs;
  }
}

/** Why no answer came back. */
export type TransportFailure = 'refused' | 'dns' | 'tls' | 'timeout' | 'reset' | 'other';

/** No answer from Graph: connection refused, reset, timed out, TLS failure. */
export class GraphTransportError extends Error {
  override readonly name = 'GraphTransportError';
  constructor(
    readonly reason: TransportFailure,
    /** True when the request certainly never reached Graph (refused, DNS, TLS), so even a write may be repeated. */
    readonly notSent: boolean,
    readonly clientRequestId: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(`Microsoft Graph could not be reached (${reason}).`, options);
  }
}

/** Graph answered something the gateway cannot read (not JSON, a `$batch` without an item's answer). */
export class GraphProtocolError extends Error {
  override readonly name = 'GraphProtocolError';
  constructor(
    message: string,
    readonly requestId?: string,
    readonly clientRequestId?: string,
  ) {
    super(message);
  }
}

/** An argument refused before any Graph call (unsafe id, bad cursor, page size out of range). */
export class GraphInputError extends Error {
  override readonly name = 'GraphInputError';
  constructor(
    /** The argument at fault, e.g. `id`, `after`, `first`. */
    readonly argument: string,
    message: string,
  ) {
    super(message);
  }
}

/** The writes of the Graph client, as named in logs and in OUTCOME_UNKNOWN messages. */
export type GraphWriteOperation =
  | 'createSession'
  | 'updateSession'
  | 'activateSession'
  | 'deleteSession'
  | 'addSiteArtifact'
  | 'createBulkRequest'
  | 'deleteBulkRequest';

/**
 * A write was sent, its answer was lost or ambiguous (dropped connection, timeout, 500/502/504, 503
 * without `Retry-After`), and reading Graph back could not settle whether it happened. Graph cannot
 * be asked whether a request arrived, so the gateway says so instead of guessing or repeating it.
 */
export class GraphOutcomeUnknownError extends Error {
  override readonly name = 'GraphOutcomeUnknownError';
  constructor(
    readonly operation: GraphWriteOperation,
    /** The ambiguous failure (a GraphTransportError or GraphRequestError). */
    readonly failure: unknown,
  ) {
    super(OUTCOME_UNKNOWN_MESSAGES[operation], { cause: failure });
  }
}

const OUTCOME_UNKNOWN_MESSAGES: Record<GraphWriteOperation, string> = {
  createSession:
    'Microsoft Graph did not confirm whether the restore session was created: its answer was lost. It may exist now; list the draft restore sessions before creating it again.',
  updateSession:
    "Microsoft Graph did not confirm whether the restore session was updated: its answer was lost. Read the session's site restore artifacts before sending the change again.",
  activateSession:
    'Microsoft Graph did not confirm whether the restore session was activated, and its status could not be read back. Read the session before activating it again.',
  deleteSession:
    'Microsoft Graph did not confirm whether the restore session was deleted, and it could not be read back. Read it before deleting it again.',
  addSiteArtifact:
    "Microsoft Graph did not confirm whether the site restore artifact was added: its answer was lost. Read the session's site restore artifacts before adding it again.",
  createBulkRequest:
    "Microsoft Graph did not confirm whether the bulk addition request was created: its answer was lost. Read the session's bulk addition requests before creating it again.",
  deleteBulkRequest:
    'Microsoft Graph did not confirm whether the bulk addition request was deleted, and it could not be read back. Read it before deleting it again.',
};

/** Graph has been failing (5xx, timeouts): the circuit breaker is open and the call was not sent. */
export class GraphCircuitOpenError extends Error {
  override readonly name = 'GraphCircuitOpenError';
  constructor(
    /** When the breaker will let a probe through. */
    readonly retryAfterMs: number,
  ) {
    super('Microsoft Graph is failing; the gateway is not calling it for a few seconds. Try again later.');
  }
}

/** The GraphQL operation's deadline passed before the call could be (re)sent, or a Retry-After would outlast it. */
export class GraphDeadlineError extends Error {
  override readonly name = 'GraphDeadlineError';
  constructor(readonly deadlineMs: number) {
    super('Microsoft Graph did not answer within the time allowed for this operation; try again later.');
  }
}

/** The operation asked for more Graph calls than one operation may make (GRAPH_MAX_CALLS_PER_OPERATION). */
export class GraphCallCapError extends Error {
  override readonly name = 'GraphCallCapError';
  constructor(readonly limit: number) {
    super(`This operation needs more than ${limit} Microsoft Graph calls; ask for fewer items (a smaller \`first\`) or split it.`);
  }
}

/** The caller used up their share of Graph calls (CALLER_RATE_LIMIT_*): the call was not sent. */
export class CallerRateLimitedError extends Error {
  override readonly name = 'CallerRateLimitedError';
  constructor(readonly retryAfterMs: number) {
    super(`Too many Microsoft Graph calls for this caller; try again in ${Math.max(1, Math.ceil(retryAfterMs / 1000))} s.`);
  }
}

/** Backup-API codes Graph answers with a 500 that are definite refusals, not lost answers. */
const DEFINITE_SERVER_CODES = new Set(['toomanyactiverestoresessions']);

/**
 * Whether a failed write may still have happened: the request was (or may have been) sent and no
 * definite answer came back. 429 and 503 with `Retry-After` are Graph's promise that nothing was
 * processed; 4xx are definite refusals; a connection that was never made sent nothing.
 */
export function isAmbiguousFailure(err: unknown): boolean {
  if (err instanceof GraphTransportError) return !err.notSent;
  if (err instanceof GraphProtocolError) return true;
  if (err instanceof GraphRequestError) {
    if (err.status === 502 || err.status === 504) return true;
    if (err.status === 503) return err.retryAfterMs === undefined;
    if (err.status === 500 || (err.status > 504 && err.status < 600)) return !DEFINITE_SERVER_CODES.has(err.code.toLowerCase());
  }
  return false;
}

// ------------------------------------------------------------------------------------ mapping

/** 403s that mean "not in this state", not "not permitted". */
const STATE_CONFLICT_CODES = new Set([
  'restoresessionactionnotallowed',
  'invalidstateforbulkrequestdeletion',
  'policyactionnotallowed',
]);

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
  if (err instanceof GraphRequestError) {
    const code = gatewayCodeFor(err.status, err.code);
    const extensions: GraphErrorExtensions = { code, graph: graphExtension(err) };
    if (code === 'UPSTREAM_THROTTLED' && err.retryAfterMs !== undefined) extensions.retryAfterSeconds = seconds(err.retryAfterMs);
    return new GraphQLError(messageFor(code, err), { extensions, originalError: err });
  }
  if (err instanceof GraphOutcomeUnknownError) {
    const extensions: GraphErrorExtensions = { code: 'OUTCOME_UNKNOWN' };
    if (err.failure instanceof GraphRequestError) extensions.graph = graphExtension(err.failure);
    return new GraphQLError(err.message, { extensions, originalError: err });
  }
  if (err instanceof GraphCircuitOpenError) {
    const extensions: GraphErrorExtensions = { code: 'UPSTREAM_UNAVAILABLE', retryAfterSeconds: seconds(err.retryAfterMs) };
    return new GraphQLError(err.message, { extensions, originalError: err });
  }
  if (err instanceof GraphDeadlineError) {
    return new GraphQLError(err.message, { extensions: { code: 'UPSTREAM_UNAVAILABLE' }, originalError: err });
  }
  if (err instanceof GraphCallCapError) {
    return new GraphQLError(err.message, { extensions: { code: 'BAD_USER_INPUT' }, originalError: err });
  }
  if (err instanceof CallerRateLimitedError) {
    const extensions: GraphErrorExtensions = { code: 'RATE_LIMITED', retryAfterSeconds: seconds(err.retryAfterMs) };
    return new GraphQLError(err.message, { extensions, originalError: err });
  }
  if (err instanceof GraphInputError) {
    const extensions: GraphErrorExtensions = { code: 'BAD_USER_INPUT', argument: err.argument };
    return new GraphQLError(err.message, { extensions, originalError: err });
  }
  if (err instanceof GraphTransportError) {
    return new GraphQLError(GENERIC_MESSAGES.UPSTREAM_UNAVAILABLE, { extensions: { code: 'UPSTREAM_UNAVAILABLE' }, originalError: err });
  }
  if (err instanceof GraphProtocolError) {
    return new GraphQLError('Microsoft Graph returned an answer the gateway could not read; try again later.', {
      extensions: { code: 'UPSTREAM_UNAVAILABLE' },
      originalError: err,
    });
  }
  if (err instanceof TokenAcquisitionError) {
    const code: GatewayErrorCode = err.code;
    return new GraphQLError(err.message, { extensions: { code }, originalError: err });
  }
  const original = err instanceof Error ? err : new Error(String(err));
  return new GraphQLError(GENERIC_MESSAGES.INTERNAL_SERVER_ERROR, { extensions: { code: 'INTERNAL_SERVER_ERROR' }, originalError: original });
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
        ? `Microsoft Graph is throttling requests; try again in ${Math.max(1, Math.ceil(err.retryAfterMs / 1000))} s.`
        : GENERIC_MESSAGES.UPSTREAM_THROTTLED;
    case 'UPSTREAM_UNAVAILABLE':
    case 'INTERNAL_SERVER_ERROR':
      // 5xx texts are Graph's internals, and the gateway's own mistakes are not the caller's business.
      return GENERIC_MESSAGES[code];
    default:
      return err.message !== '' ? err.message : GENERIC_MESSAGES[code];
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

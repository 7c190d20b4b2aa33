/**
 * How one exchange with Graph can fail, as typed errors: Graph answered with an error status, no answer came, the
 * answer could not be read, or an argument was refused before anything was sent. These know nothing of GraphQL: the
 * one mapping to the gateway's public codes is `src/graphql-errors.ts`, which also scrubs Graph's messages before a
 * client sees them. Failures raised by policy rather than by Graph live beside the policy (`src/resilience/`), and
 * OUTCOME_UNKNOWN beside the write-recovery rules (`write-recovery.ts`).
 */

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
    /** Graph's own message, as it sent it (scrubbed only when it is shown to a client). */
    message: string;
    requestId?: string | undefined;
    clientRequestId?: string | undefined;
    retryAfterMs?: number | undefined;
  }) {
    super(init.message);
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

import type { GraphRestoreSession, SessionScopedRestoreArtifact } from '../graph/dto.js';
import { LiveBackendUnavailableError } from './live-backend.js';
import type { CurrentArtifacts, EndableStream, LiveEvent, LiveFailure, LiveStatus, StreamOptions } from './live-status.js';
import type { SlowConsumerError } from './subscriber-queue.js';

/**
 * Live status as resolvers see it (`ctx.live`): the Subscription resolvers open streams, which drop
 * the operation's socket when its client falls behind; the Mutation resolvers publish what they
 * changed, through live status's own publishing methods (which never fail a mutation).
 */

/** The WebSocket an operation arrived on (absent over HTTP). */
export interface LiveConnection {
  /** Closes the socket, e.g. to drop a client that does not keep up. */
  close(code: number, reason: string): void;
}

export interface LiveContext {
  sessionChanges(
    sessionId: string,
    readCurrent: () => Promise<GraphRestoreSession>,
  ): Promise<AsyncIterableIterator<LiveEvent<GraphRestoreSession>>>;
  artifactChanges(
    sessionId: string,
    readCurrent: () => Promise<CurrentArtifacts>,
  ): Promise<AsyncIterableIterator<LiveEvent<SessionScopedRestoreArtifact>>>;
  /**
   * The caller's token expires at `expiresAt`: every stream opened here then ends with an UNAUTHENTICATED result, on
   * every transport, before the transport closes anything. The earliest time given wins.
   */
  expireAt(expiresAt: Date): void;
  /** Graph answered a write with the session (activate): its subscribers get it now. */
  publishSession(session: GraphRestoreSession): Promise<void>;
  /** The session was deleted: its subscribers end with NOT_FOUND. */
  publishSessionDeleted(sessionId: string): Promise<void>;
  /** The session changed but Graph did not answer with it (artifacts added or removed): poll it now. */
  touchSession(sessionId: string): Promise<void>;
}

/** WebSocket close code for a dropped slow consumer: "try again later" (graphql-ws clients reconnect and resubscribe). */
export const SLOW_CONSUMER_CLOSE_CODE = 1013;

const notConfigured = (): Promise<never> =>
  Promise.reject(new LiveBackendUnavailableError('Live status is not configured on this gateway.'));

/** For contexts built without live status (unit tests of the context): publishing does nothing, streams are refused. */
export const disabledLiveContext: LiveContext = {
  sessionChanges: notConfigured,
  artifactChanges: notConfigured,
  expireAt: () => undefined,
  publishSession: async () => undefined,
  publishSessionDeleted: async () => undefined,
  touchSession: async () => undefined,
};

/** `ctx.live` of the operations of one connection (or of one HTTP request): streams drop the socket when its client falls behind. */
export function liveContext(live: LiveStatus | undefined, connection: LiveConnection | undefined): LiveContext {
  return live ? new ConnectionLiveContext(live, connection) : disabledLiveContext;
}

/** What a stream ends with when its subscriber's token expires. */
export const TOKEN_EXPIRED: LiveFailure = {
  liveFailure: 'UNAUTHENTICATED',
  message: 'The bearer token has expired; subscribe again with a new one.',
};

/** setTimeout's ceiling (about 24.8 days). */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * A class rather than an object of closures, one per connection: it is also the options of every stream it opens (their
 * `onOverflow` and the open and close notices), so a stream costs no closure of its own for it. It holds its open
 * streams, and one timer while any is open, so that they end when the caller's token expires.
 */
class ConnectionLiveContext implements LiveContext, StreamOptions {
  readonly #live: LiveStatus;
  readonly #connection: LiveConnection | undefined;
  readonly #streams = new Set<EndableStream>();
  #expiresAt = Infinity;
  #expiry: NodeJS.Timeout | undefined;

  constructor(live: LiveStatus, connection: LiveConnection | undefined) {
    this.#live = live;
    this.#connection = connection;
  }

  onOverflow(error: SlowConsumerError): void {
    this.#connection?.close(SLOW_CONSUMER_CLOSE_CODE, error.message.slice(0, 120));
  }

  onStreamOpen(stream: EndableStream): void {
    this.#streams.add(stream);
    if (Date.now() >= this.#expiresAt) stream.endWith(TOKEN_EXPIRED);
    else this.#arm();
  }

  onStreamClose(stream: EndableStream): void {
    this.#streams.delete(stream);
    if (this.#streams.size === 0) this.#disarm();
  }

  expireAt(expiresAt: Date): void {
    const at = expiresAt.getTime();
    if (!(at < this.#expiresAt)) return;
    this.#expiresAt = at;
    this.#disarm();
    if (this.#streams.size > 0) this.#arm();
  }

  #arm(): void {
    if (this.#expiry || this.#expiresAt === Infinity) return;
    this.#expiry = setTimeout(() => this.#expire(), Math.min(Math.max(0, this.#expiresAt - Date.now()), MAX_TIMER_MS));
    this.#expiry.unref();
  }

  #disarm(): void {
    clearTimeout(this.#expiry);
    this.#expiry = undefined;
  }

  #expire(): void {
    this.#expiry = undefined;
    // A timer that fired early (capped at MAX_TIMER_MS) waits again.
    if (Date.now() < this.#expiresAt) return this.#arm();
    for (const stream of [...this.#streams]) stream.endWith(TOKEN_EXPIRED);
  }

  sessionChanges(
    sessionId: string,
    readCurrent: () => Promise<GraphRestoreSession>,
  ): Promise<AsyncIterableIterator<LiveEvent<GraphRestoreSession>>> {
    return this.#live.sessionChanges(sessionId, readCurrent, this);
  }

  artifactChanges(
    sessionId: string,
    readCurrent: () => Promise<CurrentArtifacts>,
  ): Promise<AsyncIterableIterator<LiveEvent<SessionScopedRestoreArtifact>>> {
    return this.#live.artifactChanges(sessionId, readCurrent, this);
  }

  publishSession(session: GraphRestoreSession): Promise<void> {
    return this.#live.publishSession(session);
  }

  publishSessionDeleted(sessionId: string): Promise<void> {
    return this.#live.publishSessionDeleted(sessionId);
  }

  touchSession(sessionId: string): Promise<void> {
    return this.#live.touchSession(sessionId);
  }
}

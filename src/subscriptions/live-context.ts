import type { GraphRestoreSession, SessionScopedSiteRestoreArtifact } from '../graph/dto.js';
import { LiveBackendUnavailableError } from './redis-connection.js';
import type { CurrentArtifacts, LiveEvent, LiveStatus } from './live-status.js';
import type { SlowConsumerError } from './subscriber-queue.js';

/**
 * Live status as resolvers see it (`ctx.live`): the Subscription resolvers open streams, the
 * Mutation resolvers publish what they changed. Publishing never fails a mutation: the write went
 * through, and a subscriber that misses the shortcut still gets the change from the next poll.
 */

/** The WebSocket an operation arrived on (absent over HTTP). */
export interface LiveConnection {
  /** Closes the socket, e.g. to drop a client that does not keep up. */
  close(code: number, reason: string): void;
}

export interface LiveContext {
  sessionChanges(sessionId: string, readCurrent: () => Promise<GraphRestoreSession>): Promise<AsyncIterableIterator<LiveEvent<GraphRestoreSession>>>;
  artifactChanges(sessionId: string, readCurrent: () => Promise<CurrentArtifacts>): Promise<AsyncIterableIterator<LiveEvent<SessionScopedSiteRestoreArtifact>>>;
  /** Graph answered a write with the session (activate): its subscribers get it now. */
  publishSession(session: GraphRestoreSession): Promise<void>;
  /** The session was deleted: its subscribers end with NOT_FOUND. */
  publishSessionDeleted(sessionId: string): Promise<void>;
  /** The session changed but Graph did not answer with it (artifacts added or removed): poll it now. */
  sessionTouched(sessionId: string): Promise<void>;
}

/** WebSocket close code for a dropped slow consumer: "try again later" (graphql-ws clients reconnect and resubscribe). */
export const SLOW_CONSUMER_CLOSE_CODE = 1013;

const notConfigured = (): Promise<never> =>
  Promise.reject(new LiveBackendUnavailableError('Live status is not configured on this gateway.'));

/** For contexts built without live status (unit tests of the context): publishing does nothing, streams are refused. */
export const disabledLiveContext: LiveContext = {
  sessionChanges: notConfigured,
  artifactChanges: notConfigured,
  publishSession: async () => undefined,
  publishSessionDeleted: async () => undefined,
  sessionTouched: async () => undefined,
};

/** `ctx.live` of one operation: streams drop the operation's socket when its client falls behind. */
export function liveContext(live: LiveStatus | undefined, connection: LiveConnection | undefined, onPublishError: (err: unknown) => void): LiveContext {
  if (!live) return disabledLiveContext;
  const onOverflow = (error: SlowConsumerError): void => connection?.close(SLOW_CONSUMER_CLOSE_CODE, error.message.slice(0, 120));
  const quietly = async (publish: () => Promise<void>): Promise<void> => {
    try {
      await publish();
    } catch (err) {
      onPublishError(err);
    }
  };
  return {
    sessionChanges: (sessionId, readCurrent) => live.sessionChanges(sessionId, readCurrent, { onOverflow }),
    artifactChanges: (sessionId, readCurrent) => live.artifactChanges(sessionId, readCurrent, { onOverflow }),
    publishSession: (session) => quietly(() => live.publishSession(session)),
    publishSessionDeleted: (sessionId) => quietly(() => live.publishSessionDeleted(sessionId)),
    sessionTouched: (sessionId) => quietly(() => live.sessionTouched(sessionId)),
  };
}

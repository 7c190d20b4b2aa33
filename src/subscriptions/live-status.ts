import type { GraphClient } from '../graph/client.js';
import type { GraphRestoreSession, SessionScopedSiteRestoreArtifact } from '../graph/dto.js';
import { createMemoryChangeFeed, type ChangeFeed } from './change-feed.js';
import { createLocalLeases, type Leases } from './lease.js';
import { logHandlerError, type Unsubscribe } from './pubsub.js';
import { createRedisChangeFeed } from './redis-change-feed.js';
import { createRedisConnections, type RedisConnections } from './redis-connection.js';
import { createRedisLeases } from './redis-lease.js';
import { artifactMark, isNews, isTerminalSession, sessionMark, type LiveMessage, type Mark } from './snapshot.js';
import { createSubscriberQueue, type SlowConsumerError, type SubscriberQueue } from './subscriber-queue.js';
import { createWatcher, type Watcher, type WatcherOptions, type WatcherStats, type WatchHandle } from './watcher.js';

/**
 * Live status, as the Subscription resolvers and the mutations see it: streams of one session's
 * changes for one subscriber, and a way to publish a state learnt from a mutation.
 *
 * A stream starts from the subscriber's own read of Graph (made with the subscriber's identity,
 * which is also the check that they may read the session), then carries what the shared poller
 * publishes. The stream joins the feed before that read, so nothing published in between is lost,
 * and keeps a mark of what it delivered, so nothing is delivered twice or out of order (an older
 * snapshot arriving after a newer read is dropped).
 */

/** Ends a stream with an error the resolver turns into the client's GraphQL error. */
export interface LiveFailure {
  readonly liveFailure: 'NOT_FOUND';
  readonly message: string;
}

export function isLiveFailure(value: unknown): value is LiveFailure {
  return typeof value === 'object' && value !== null && 'liveFailure' in value;
}

const GONE: LiveFailure = { liveFailure: 'NOT_FOUND', message: 'The restore session was deleted.' };

export type LiveEvent<T> = T | LiveFailure;

export interface StreamOptions {
  /** The subscriber fell too far behind and was dropped (the transport closes its connection). */
  onOverflow?: (error: SlowConsumerError) => void;
}

export interface CurrentArtifacts {
  session: GraphRestoreSession;
  /** Every artifact of the session as the subscriber can read it now: the baseline changes are measured against. */
  artifacts: readonly SessionScopedSiteRestoreArtifact[];
}

export interface LiveStatus {
  /**
   * `readCurrent`'s session first, then the session each time its status or artifact counts change;
   * completes after a terminal status. Rejects with whatever `readCurrent` rejects with, or a
   * `LiveBackendUnavailableError` when the feed cannot be joined.
   */
  sessionChanges(sessionId: string, readCurrent: () => Promise<GraphRestoreSession>, options?: StreamOptions): Promise<AsyncIterableIterator<LiveEvent<GraphRestoreSession>>>;
  /** Each artifact of the session whose status changes after `readCurrent`'s baseline; completes after the session ends. */
  artifactChanges(
    sessionId: string,
    readCurrent: () => Promise<CurrentArtifacts>,
    options?: StreamOptions,
  ): Promise<AsyncIterableIterator<LiveEvent<SessionScopedSiteRestoreArtifact>>>;
  /** A mutation's answer: subscribers get it now rather than at the next poll. */
  publishSession(session: GraphRestoreSession): Promise<void>;
  /** A mutation deleted the session: its subscribers end with NOT_FOUND. */
  publishSessionDeleted(sessionId: string): Promise<void>;
  /** A mutation changed the session without Graph answering with it (artifacts added or removed): poll it now. */
  sessionTouched(sessionId: string): Promise<void>;
  /** Readiness: rejects with a `LiveBackendUnavailableError` naming the problem when Redis is unusable. */
  check(): Promise<void>;
  /** Waits up to `timeoutMs` for the backend (Redis) to be connected, at start; false when it is not. */
  waitUntilReady(timeoutMs: number): Promise<boolean>;
  stats(): WatcherStats & { subscribers: number };
  close(): Promise<void>;
}

export interface LiveStatusParts {
  feed: ChangeFeed;
  watcher: Watcher;
  /** SUBSCRIPTION_BUFFER_SIZE. */
  bufferSize: number;
  check?: () => Promise<void>;
  waitUntilReady?: (timeoutMs: number) => Promise<boolean>;
  /** Closed after the watcher and the feed. */
  onClose?: () => Promise<void>;
  /** A stream could not leave the feed when it ended (nobody awaits that). Default: logged. */
  onError?: (sessionId: string, error: unknown) => void;
}

/** Assembles live status from its parts (tests and {@link createLiveStatus}). */
export function assembleLiveStatus(parts: LiveStatusParts): LiveStatus {
  const { feed, watcher, bufferSize } = parts;
  const onError = parts.onError ?? ((_sessionId: string, error: unknown) => logHandlerError(error));
  let subscribers = 0;
  /** Ends each open stream (on close). */
  const open = new Set<() => void>();

  /**
   * The plumbing both streams share: join the feed (buffering), read the baseline, then either end
   * at once (already terminal) or watch and replay what arrived meanwhile.
   */
  async function stream<T, B>(
    sessionId: string,
    readBaseline: () => Promise<B>,
    setup: (baseline: B, queue: SubscriberQueue<LiveEvent<T>>) => { terminal: boolean; deliver: (m: LiveMessage) => void },
    watchArtifacts: boolean,
    options: StreamOptions,
  ): Promise<AsyncIterableIterator<LiveEvent<T>>> {
    let unsubscribe: Unsubscribe | undefined;
    let handle: WatchHandle | undefined;
    let cleaned = false;
    const cleanup = (): void => {
      if (cleaned) return;
      cleaned = true;
      subscribers--;
      open.delete(shutdown);
      handle?.release();
      unsubscribe?.().catch((err: unknown) => onError(sessionId, err));
    };
    const queue = createSubscriberQueue<LiveEvent<T>>({
      capacity: bufferSize,
      onClose: cleanup,
      ...(options.onOverflow ? { onOverflow: options.onOverflow } : {}),
    });
    const shutdown = (): void => {
      queue.end();
      cleanup();
    };
    subscribers++;
    open.add(shutdown);
    let pending: LiveMessage[] | undefined = [];
    let deliver: ((m: LiveMessage) => void) | undefined;
    try {
      unsubscribe = await feed.subscribe(sessionId, (m) => {
        if (pending) {
          // Bounded like the queue: a feed this busy during one read means a consumer we would drop anyway.
          if (pending.length < bufferSize) pending.push(m);
        } else deliver?.(m);
      });
      const baseline = await readBaseline();
      const wired = setup(baseline, queue);
      deliver = wired.deliver;
      if (wired.terminal || queue.finished) {
        queue.end();
        cleanup();
        pending = undefined;
        return queue;
      }
      if (!cleaned) handle = watcher.watch(sessionId, { artifacts: watchArtifacts });
      const replay = pending;
      pending = undefined;
      for (const m of replay) deliver(m);
      return queue;
    } catch (err) {
      cleanup();
      throw err;
    }
  }

  return {
    sessionChanges(sessionId, readCurrent, options = {}) {
      return stream<GraphRestoreSession, GraphRestoreSession>(
        sessionId,
        readCurrent,
        (current, queue) => {
          let last: Mark = sessionMark(current);
          queue.push(current);
          const end = (): void => queue.end();
          return {
            terminal: isTerminalSession(current),
            deliver(m) {
              if (m.kind === 'gone') {
                queue.push(GONE);
                end();
              } else if (m.kind === 'session') {
                const mark = sessionMark(m.session);
                if (!isNews(last, mark)) return;
                last = mark;
                queue.push(m.session);
                if (isTerminalSession(m.session)) end();
              }
            },
          };
        },
        false,
        options,
      );
    },

    artifactChanges(sessionId, readCurrent, options = {}) {
      return stream<SessionScopedSiteRestoreArtifact, CurrentArtifacts>(
        sessionId,
        readCurrent,
        ({ session, artifacts }, queue) => {
          const seen = new Map<string, Mark>(artifacts.map((a) => [a.id.toLowerCase(), artifactMark(a)]));
          return {
            terminal: isTerminalSession(session),
            deliver(m) {
              if (m.kind === 'gone') {
                queue.push(GONE);
                queue.end();
              } else if (m.kind === 'artifact') {
                const key = m.artifact.id.toLowerCase();
                const mark = artifactMark(m.artifact);
                if (!isNews(seen.get(key), mark)) return;
                seen.set(key, mark);
                queue.push(m.artifact);
              } else if (m.kind === 'session' && isTerminalSession(m.session)) {
                // The poller commits a terminal session's artifacts before the session itself.
                queue.end();
              }
            },
          };
        },
        true,
        options,
      );
    },

    publishSession: (session) => watcher.publishSession(session),
    publishSessionDeleted: (sessionId) => watcher.publishGone(sessionId),
    sessionTouched: (sessionId) => watcher.touch(sessionId),
    check: parts.check ?? (async () => undefined),
    waitUntilReady: parts.waitUntilReady ?? (async () => true),
    stats: () => ({ ...watcher.stats(), subscribers }),
    async close() {
      for (const shutdown of [...open]) shutdown();
      await watcher.close();
      await feed.close();
      await parts.onClose?.();
    },
  };
}

export interface LiveStatusOptions {
  /** The gateway's app-credential Graph client (pollers act for no caller). */
  graph: WatcherOptions['graph'] & Partial<Pick<GraphClient, 'baseUrl'>>;
  pollIntervalMs: number;
  leaseTtlMs: number;
  bufferSize: number;
  /** With Redis: events and leases across instances. Without: one instance, in memory. */
  redis?: { url: string; prefix: string; connectTimeoutMs?: number };
  onSessionChange?: WatcherOptions['onSessionChange'];
  /** A poll failed, or a stream could not leave the feed (logged by the caller). */
  onError?: (sessionId: string, error: unknown) => void;
}

/** Live status in memory (one instance) or over Redis (many), from the configuration's knobs. */
export function createLiveStatus(options: LiveStatusOptions): LiveStatus {
  let connections: RedisConnections | undefined;
  let feed: ChangeFeed;
  let leases: Leases;
  if (options.redis) {
    const { url, prefix } = options.redis;
    const redis = createRedisConnections(url, {
      ...(options.redis.connectTimeoutMs !== undefined ? { connectTimeoutMs: options.redis.connectTimeoutMs } : {}),
    });
    connections = redis;
    feed = createRedisChangeFeed({ redis, prefix });
    leases = createRedisLeases({ redis: redis.command, prefix, ttlMs: options.leaseTtlMs });
  } else {
    feed = createMemoryChangeFeed();
    leases = createLocalLeases();
  }
  const watcher = createWatcher({
    graph: options.graph,
    feed,
    leases,
    pollIntervalMs: options.pollIntervalMs,
    leaseRetryMs: Math.max(50, Math.floor(options.leaseTtlMs / 3)),
    ...(options.onSessionChange ? { onSessionChange: options.onSessionChange } : {}),
    ...(options.onError ? { onPollError: options.onError } : {}),
  });
  const redis = connections;
  return assembleLiveStatus({
    feed,
    watcher,
    bufferSize: options.bufferSize,
    ...(options.onError ? { onError: options.onError } : {}),
    ...(redis ? { check: () => redis.check(), waitUntilReady: (ms: number) => redis.waitUntilReady(ms) } : {}),
    async onClose() {
      await leases.close();
      await redis?.close();
    },
  });
}

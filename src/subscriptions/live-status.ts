import type { GraphRestoreSession, SessionScopedRestoreArtifact } from '../graph/dto.js';
import { createMemoryChangeFeed, type ChangeFeed } from './change-feed.js';
import { createLocalLeases, type Leases } from './lease.js';
import { LiveBackendUnavailableError, type LiveBackend } from './live-backend.js';
import { logHandlerError, type Unsubscribe } from './pubsub.js';
import { createRedisChangeFeed } from './redis-change-feed.js';
import { createRedisConnections } from './redis-connection.js';
import { createRedisLeases } from './redis-lease.js';
import { artifactKey, artifactMark, isNews, isTerminalSession, sessionMark, type LiveMessage, type Mark } from './snapshot.js';
import { createSubscriberQueue, type SlowConsumerError, type SubscriberQueue, type SubscriberQueueOptions } from './subscriber-queue.js';
import { createWatcher, type Watcher, type WatcherOptions, type WatcherStats, type WatchHandle } from './watcher.js';

/**
 * Live status, as the Subscription resolvers and the mutations see it: streams of one session's
 * changes for one subscriber, and a way to publish a state learnt from a mutation.
 *
 * A stream starts from the subscriber's own read of Graph (made with the subscriber's identity,
 * which is also the check that they may read the session), then carries what the shared poller
 * publishes. The stream joins the feed before that read, so nothing published in between is lost,
 * and keeps a mark of what it delivered, so nothing is delivered twice or out of order (an older
 * snapshot arriving after a newer read is dropped). What a mutation publishes goes straight to the
 * change feed, under the same name (`publishSession` here is `publishSession` there).
 */

/**
 * An error the resolver turns into one result of the client's stream (its `extensions.code`). It ends the stream, except
 * a stall, which says the stream is stuck for now and goes on.
 */
export interface LiveFailure {
  /**
   * NOT_FOUND: the session was deleted; UNAUTHENTICATED: the subscriber's token expired; UPSTREAM_UNAVAILABLE (with
   * `continues`): Redis cannot deliver, so nothing arrives until it can again (then the current state follows).
   */
  readonly liveFailure: 'NOT_FOUND' | 'UNAUTHENTICATED' | 'UPSTREAM_UNAVAILABLE';
  readonly message: string;
  /** The stream stays open: a later event follows. */
  readonly continues?: true;
}

export function isLiveFailure(value: unknown): value is LiveFailure {
  return typeof value === 'object' && value !== null && 'liveFailure' in value;
}

const GONE: LiveFailure = { liveFailure: 'NOT_FOUND', message: 'The restore session was deleted.' };
const STALLED: LiveFailure = {
  liveFailure: 'UPSTREAM_UNAVAILABLE',
  message: 'Live status cannot deliver changes right now; this subscription stays open and resumes with the current state.',
  continues: true,
};

export type LiveEvent<T> = T | LiveFailure;

/** Called as a method of this object (never detached), so one object can serve as the options of many streams. */
export interface StreamOptions {
  /** The subscriber fell too far behind and was dropped (the transport closes its connection). */
  onOverflow?: (error: SlowConsumerError) => void;
  /** A stream opened with these options exists (from before its baseline read): it can be ended from outside. */
  onStreamOpen?: (stream: EndableStream) => void;
  /** That stream is over, however it ended. */
  onStreamClose?: (stream: EndableStream) => void;
}

/** A subscriber's stream as its connection sees it. */
export interface EndableStream {
  /** Delivers `failure` after what is queued (the client's last result), then completes; nothing more is delivered. */
  endWith(failure: LiveFailure): void;
}

export interface CurrentArtifacts {
  session: GraphRestoreSession;
  /**
   * Every artifact of the session as the subscriber can read it now, of the session's family (none for a family the
   * gateway does not know): the baseline changes are measured against.
   */
  artifacts: readonly SessionScopedRestoreArtifact[];
}

export interface LiveStatus {
  /**
   * `readCurrent`'s session first, then the session each time its status or artifact counts change;
   * completes after a terminal status. Rejects with whatever `readCurrent` rejects with, or a
   * `LiveBackendUnavailableError` when the feed cannot be joined.
   */
  sessionChanges(
    sessionId: string,
    readCurrent: () => Promise<GraphRestoreSession>,
    options?: StreamOptions,
  ): Promise<AsyncIterableIterator<LiveEvent<GraphRestoreSession>>>;
  /**
   * Each artifact of the session (a site, mailbox or drive artifact, as the poller reads the session's family) whose
   * status changes after `readCurrent`'s baseline; completes after the session ends.
   */
  artifactChanges(
    sessionId: string,
    readCurrent: () => Promise<CurrentArtifacts>,
    options?: StreamOptions,
  ): Promise<AsyncIterableIterator<LiveEvent<SessionScopedRestoreArtifact>>>;
  /**
   * A mutation's answer: subscribers get it now rather than at the next poll. The publishing methods
   * never reject: the write went through, and a subscriber that misses the shortcut still gets the
   * change from the next poll (the failure goes to `onPublishError`).
   */
  publishSession(session: GraphRestoreSession): Promise<void>;
  /** A mutation deleted the session: its subscribers end with NOT_FOUND. */
  publishSessionDeleted(sessionId: string): Promise<void>;
  /** A mutation changed the session without Graph answering with it (artifacts added or removed): its poller, wherever it runs, reads it at the next tick. */
  touchSession(sessionId: string): Promise<void>;
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
  /** Closed after the watcher and the feed. */
  leases?: Leases | undefined;
  /** Redis: readiness, closed last. Without it live status is always ready. */
  backend?: LiveBackend | undefined;
  /** A stream could not leave the feed when it ended (nobody awaits that). Default: logged. */
  onError?: ((sessionId: string, error: unknown) => void) | undefined;
  /** A mutation's publish failed. Default: logged. */
  onPublishError?: ((sessionId: string, error: unknown) => void) | undefined;
}

const logError = (_sessionId: string, error: unknown): void => logHandlerError(error);

/** Assembles live status from its parts (tests and {@link createLiveStatus}). */
export function assembleLiveStatus({
  feed,
  watcher,
  bufferSize,
  leases,
  backend,
  onError = logError,
  onPublishError = logError,
}: LiveStatusParts): LiveStatus {
  /** Each open stream (shut down at close; stalled and resumed with the backend). */
  const open = new Set<LiveStream<unknown, unknown>>();
  const streams: Streams = { feed, watcher, bufferSize, onError, open, backend };
  backend?.onAvailabilityChange((available) => {
    for (const stream of [...open]) {
      if (available) stream.resume();
      else stream.stall();
    }
  });
  const quietly = (sessionId: string, publish: Promise<unknown>): Promise<void> =>
    publish.then(
      () => undefined,
      (err: unknown) => onPublishError(sessionId, err),
    );
  return {
    sessionChanges: (sessionId, readCurrent, options = {}) => openStream(streams, sessionId, readCurrent, sessionDelivery, false, options),
    artifactChanges: (sessionId, readCurrent, options = {}) => openStream(streams, sessionId, readCurrent, artifactDelivery, true, options),
    publishSession: (session) => quietly(session.id, feed.publishSession(session)),
    publishSessionDeleted: (sessionId) => quietly(sessionId, feed.publishSessionDeleted(sessionId)),
    touchSession: (sessionId) => quietly(sessionId, feed.touchSession(sessionId)),
    check: async () => backend?.check(),
    waitUntilReady: async (timeoutMs) => backend?.waitUntilReady(timeoutMs) ?? true,
    stats: () => ({ ...watcher.stats(), subscribers: open.size }),
    async close() {
      for (const stream of [...open]) stream.shutdown();
      await watcher.close();
      await feed.close();
      await leases?.close();
      await backend?.close();
    },
  };
}

interface Streams {
  feed: ChangeFeed;
  watcher: Watcher;
  bufferSize: number;
  onError: (sessionId: string, error: unknown) => void;
  open: Set<LiveStream<unknown, unknown>>;
  backend: LiveBackend | undefined;
}

/** What a stream makes of each message of the session's channel, once it has its baseline. */
interface Delivering<B> {
  /** The baseline is final already: the stream ends at once. */
  readonly terminal: boolean;
  deliver(m: LiveMessage): void;
  /** After a stall: `current` (read again) as at least one ordinary event, then on as before. */
  resume(current: B): void;
}

/** How one kind of stream starts from its baseline. */
type Delivery<T, B> = (baseline: B, queue: SubscriberQueue<LiveEvent<T>>) => Delivering<B>;

/**
 * The plumbing both streams share: join the feed (buffering), read the baseline, then either end
 * at once (already terminal) or watch and replay what arrived meanwhile.
 */
async function openStream<T, B>(
  streams: Streams,
  sessionId: string,
  readBaseline: () => Promise<B>,
  delivery: Delivery<T, B>,
  watchArtifacts: boolean,
  options: StreamOptions,
): Promise<AsyncIterableIterator<LiveEvent<T>>> {
  // Known from the connections' state: no subscription starts that the backend could not serve.
  if (streams.backend && !streams.backend.available()) {
    throw new LiveBackendUnavailableError('Live status cannot deliver changes right now (Redis is unreachable).');
  }
  const stream = new LiveStream<T, B>(streams, sessionId, options, readBaseline);
  try {
    await stream.join();
    stream.start(delivery(await readBaseline(), stream.queue), watchArtifacts);
    return stream.queue;
  } catch (err) {
    stream.cleanup();
    throw err;
  }
}

/**
 * One subscriber's stream: its queue, its place in the feed and its watch of the session. A class rather than closures,
 * because an idle subscriber is mostly this: thousands of them share one copy of its methods. It is its own queue's
 * options (`capacity`, `onOverflow`, `onClose`).
 */
class LiveStream<T, B> implements SubscriberQueueOptions, EndableStream {
  readonly queue: SubscriberQueue<LiveEvent<T>>;
  readonly #streams: Streams;
  readonly #sessionId: string;
  readonly #options: StreamOptions;
  readonly #readCurrent: () => Promise<B>;
  #unsubscribe: Unsubscribe | undefined;
  #handle: WatchHandle | undefined;
  #cleaned = false;
  /** The backend cannot deliver: the subscriber was told, and gets the current state once it can again. */
  #stalled = false;
  /** What the feed sent while the baseline was read; undefined once it is replayed. */
  #pending: LiveMessage[] | undefined = [];
  #delivering: Delivering<B> | undefined;

  constructor(streams: Streams, sessionId: string, options: StreamOptions, readCurrent: () => Promise<B>) {
    this.#streams = streams;
    this.#sessionId = sessionId;
    this.#options = options;
    this.#readCurrent = readCurrent;
    this.queue = createSubscriberQueue<LiveEvent<T>>(this);
    streams.open.add(this as LiveStream<unknown, unknown>);
    options.onStreamOpen?.(this);
  }

  get capacity(): number {
    return this.#streams.bufferSize;
  }

  onOverflow(error: SlowConsumerError): void {
    this.#options.onOverflow?.(error);
  }

  onClose(): void {
    this.cleanup();
  }

  async join(): Promise<void> {
    this.#unsubscribe = await this.#streams.feed.subscribe(this.#sessionId, (m) => this.#receive(m));
  }

  /** The baseline is in: end at once if it is final, else watch the session and replay what arrived meanwhile. */
  start(delivering: Delivering<B>, watchArtifacts: boolean): void {
    this.#delivering = delivering;
    if (delivering.terminal || this.queue.finished) {
      this.#pending = undefined;
      this.shutdown();
      return;
    }
    if (!this.#cleaned) this.#handle = this.#streams.watcher.watch(this.#sessionId, { artifacts: watchArtifacts });
    const replay = this.#pending ?? [];
    this.#pending = undefined;
    for (const m of replay) delivering.deliver(m);
    // Stalled while its baseline was read: the subscriber has the baseline, and now the news that nothing follows yet.
    if (this.#stalled) this.queue.push(STALLED);
  }

  /** The backend cannot deliver: one result says so (once), and the stream stays open. */
  stall(): void {
    if (this.#stalled || this.#cleaned || this.queue.finished) return;
    this.#stalled = true;
    if (this.#delivering) this.queue.push(STALLED);
  }

  /** The backend can deliver again: the current state, read again as the subscriber, then on as before. */
  resume(): void {
    if (!this.#stalled || this.#cleaned) return;
    this.#stalled = false;
    const delivering = this.#delivering;
    // Not started yet: its baseline, read now, is the current state.
    if (!delivering) return;
    this.#readCurrent().then(
      (current) => {
        if (!this.#cleaned && !this.queue.finished) delivering.resume(current);
      },
      // The change feed's catch-up still delivers what changed; the next event is the subscriber's sign of recovery.
      (err: unknown) => this.#streams.onError(this.#sessionId, err),
    );
  }

  shutdown(): void {
    this.queue.end();
    this.cleanup();
  }

  endWith(failure: LiveFailure): void {
    // The failure is the stream's last word even when the client is behind: it is what tells it why nothing follows.
    if (!this.queue.finished) this.queue.pushLast(failure);
    this.shutdown();
  }

  cleanup(): void {
    if (this.#cleaned) return;
    this.#cleaned = true;
    this.#options.onStreamClose?.(this);
    this.#streams.open.delete(this as LiveStream<unknown, unknown>);
    this.#handle?.release();
    this.#unsubscribe?.().catch((err: unknown) => this.#streams.onError(this.#sessionId, err));
  }

  #receive(m: LiveMessage): void {
    if (this.#pending) {
      // Bounded like the queue: a feed this busy during one read means a consumer we would drop anyway.
      if (this.#pending.length < this.#streams.bufferSize) this.#pending.push(m);
    } else this.#delivering?.deliver(m);
  }
}

const sessionDelivery: Delivery<GraphRestoreSession, GraphRestoreSession> = (current, queue) => new SessionDelivery(current, queue);

/** A session stream's state: the mark of what it delivered last. */
class SessionDelivery implements Delivering<GraphRestoreSession> {
  readonly terminal: boolean;
  #last: Mark;
  readonly #queue: SubscriberQueue<LiveEvent<GraphRestoreSession>>;

  constructor(current: GraphRestoreSession, queue: SubscriberQueue<LiveEvent<GraphRestoreSession>>) {
    this.#last = sessionMark(current);
    this.#queue = queue;
    this.terminal = isTerminalSession(current);
    queue.push(current);
  }

  deliver(m: LiveMessage): void {
    if (m.kind === 'gone') {
      this.#queue.push(GONE);
      this.#queue.end();
    } else if (m.kind === 'session') {
      const mark = sessionMark(m.session);
      if (!isNews(this.#last, mark)) return;
      this.#last = mark;
      this.#queue.push(m.session);
      if (isTerminalSession(m.session)) this.#queue.end();
    }
  }

  resume(current: GraphRestoreSession): void {
    // Delivered even when nothing changed: it is how the subscriber learns the stream runs again.
    const mark = sessionMark(current);
    if (isNews(this.#last, mark)) this.#last = mark;
    this.#queue.push(current);
    if (isTerminalSession(current)) this.#queue.end();
  }
}

const artifactDelivery: Delivery<SessionScopedRestoreArtifact, CurrentArtifacts> = (baseline, queue) =>
  new ArtifactDelivery(baseline, queue);

/** An artifact stream's state: the mark of what it delivered last, per artifact (by `artifactKey`: family and id). */
class ArtifactDelivery implements Delivering<CurrentArtifacts> {
  readonly terminal: boolean;
  readonly #seen: Map<string, Mark>;
  /** The key of the artifact delivered last, if any. */
  #lastKey: string | undefined;
  readonly #queue: SubscriberQueue<LiveEvent<SessionScopedRestoreArtifact>>;

  constructor({ session, artifacts }: CurrentArtifacts, queue: SubscriberQueue<LiveEvent<SessionScopedRestoreArtifact>>) {
    this.#seen = new Map<string, Mark>(artifacts.map((a) => [artifactKey(a), artifactMark(a)]));
    this.#queue = queue;
    this.terminal = isTerminalSession(session);
  }

  deliver(m: LiveMessage): void {
    if (m.kind === 'gone') {
      this.#queue.push(GONE);
      this.#queue.end();
    } else if (m.kind === 'artifact') {
      const key = artifactKey(m.artifact);
      const mark = artifactMark(m.artifact);
      if (!isNews(this.#seen.get(key), mark)) return;
      this.#seen.set(key, mark);
      this.#lastKey = key;
      this.#queue.push(m.artifact);
    } else if (m.kind === 'session' && isTerminalSession(m.session)) {
      // The poller publishes a terminal session's artifacts before the session itself.
      this.#queue.end();
    }
  }

  /**
   * Each artifact that changed while the stream was stalled; when none did, the current state of the one delivered last
   * (or of the first), so that the subscriber learns the stream runs again from an ordinary event.
   */
  resume({ session, artifacts }: CurrentArtifacts): void {
    let delivered = 0;
    for (const artifact of artifacts) {
      const key = artifactKey(artifact);
      const mark = artifactMark(artifact);
      if (!isNews(this.#seen.get(key), mark)) continue;
      this.#seen.set(key, mark);
      this.#lastKey = key;
      this.#queue.push(artifact);
      delivered++;
    }
    if (delivered === 0) {
      const again = artifacts.find((a) => artifactKey(a) === this.#lastKey) ?? artifacts[0];
      if (again) this.#queue.push(again);
    }
    if (isTerminalSession(session)) this.#queue.end();
  }
}

export interface LiveStatusOptions {
  /** The gateway's app-credential Graph client (pollers act for no caller). */
  graph: WatcherOptions['graph'];
  pollIntervalMs: number;
  leaseTtlMs: number;
  bufferSize: number;
  /** With Redis: events and leases across instances. Without: one instance, in memory. */
  redis?: { url: string; prefix: string } | undefined;
  /** A poll failed, or a stream could not leave the feed (logged by the caller). */
  onError?: ((sessionId: string, error: unknown) => void) | undefined;
  /** A mutation's publish failed (logged by the caller). */
  onPublishError?: ((sessionId: string, error: unknown) => void) | undefined;
}

/** Live status in memory (one instance) or over Redis (many), from the configuration's knobs. */
export function createLiveStatus({
  graph,
  pollIntervalMs,
  leaseTtlMs,
  bufferSize,
  redis,
  onError,
  onPublishError,
}: LiveStatusOptions): LiveStatus {
  const { feed, leases, backend } = redis
    ? overRedis(redis, leaseTtlMs)
    : { feed: createMemoryChangeFeed(), leases: createLocalLeases(), backend: undefined };
  // A standby instance tries for a held lease three times per TTL, so a dead holder's sessions move within about one TTL.
  const watcher = createWatcher({
    graph,
    feed,
    leases,
    pollIntervalMs,
    leaseRetryMs: Math.max(50, Math.floor(leaseTtlMs / 3)),
    onPollError: onError,
  });
  return assembleLiveStatus({ feed, watcher, bufferSize, leases, backend, onError, onPublishError });
}

function overRedis(
  { url, prefix }: { url: string; prefix: string },
  leaseTtlMs: number,
): { feed: ChangeFeed; leases: Leases; backend: LiveBackend } {
  const backend = createRedisConnections(url);
  return {
    feed: createRedisChangeFeed({ redis: backend, prefix }),
    leases: createRedisLeases({ redis: backend.command, prefix, ttlMs: leaseTtlMs }),
    backend,
  };
}

import type { GraphClient } from '../graph/client.js';
import type { GraphRestoreSession, SessionScopedSiteRestoreArtifact } from '../graph/dto.js';
import { artifactRestoreStatus, isTerminalArtifactStatus } from '../graph/enums.js';
import { GraphRequestError } from '../graph/errors.js';
import type { ChangeFeed } from './change-feed.js';
import type { Lease, Leases } from './lease.js';
import type { Unsubscribe } from './pubsub.js';
import { isNews, isSharePointSession, isTerminalSession, sessionKey, sessionMark, sessionStatusOf, type LiveMessage, type Mark } from './snapshot.js';

/**
 * The watcher: one poller per watched session, however many subscribers it has, on this instance
 * or — with Redis — on whichever instance holds the session's lease.
 *
 * Polls run on one clock of ticks, `pollIntervalMs` apart. At each tick every session due is read
 * in the same turn of the event loop, so the Graph client (the gateway's app-credential client)
 * sends them together as `$batch` envelopes of 20: polling 200 sessions costs 10 requests per
 * interval. A session's pace follows its status: every tick while `ACTIVATING`/`ACTIVE` (or a
 * status this gateway does not know), every `draftEvery` ticks as a `DRAFT`, never again once
 * terminal (or deleted); after a failure it waits `Retry-After` when Graph sent one (429/503),
 * otherwise doubling ticks up to `maxBackoffTicks`.
 *
 * Artifacts are only read for sessions someone follows artifact by artifact
 * (`siteRestoreArtifactStatusChanged`), and only while the session runs, or when its status or
 * counts just changed (an artifact in a draft does not change status). When the session turns
 * terminal its artifacts are committed before it, so artifact subscribers see the last artifact
 * changes before their subscription completes.
 *
 * Every poll is committed to the change feed fenced by the session's lease; the feed publishes
 * only what is news. A new holder (after a release or a crash) polls at once, so whatever its
 * predecessor did not publish — the final status included — is published without waiting a tick.
 */

export interface WatcherOptions {
  /** The gateway's app-credential client: a poller acts for no caller, and may serve other instances' subscribers. */
  graph: Pick<GraphClient, 'getSession' | 'listSiteArtifacts'>;
  feed: ChangeFeed;
  leases: Leases;
  /** POLL_INTERVAL_MS: one tick. */
  pollIntervalMs: number;
  /** How often an instance that wants a session whose lease is held elsewhere tries to take it (default a third of LEASE_TTL_MS; 1 s). */
  leaseRetryMs?: number;
  /** Ticks between polls of a draft (default 5). */
  draftEvery?: number;
  /** Most ticks between polls after repeated failures without Retry-After (default 16). */
  maxBackoffTicks?: number;
  /** A poll published a change of the session (instrumentation: `observedAt` is when Graph's answer arrived). */
  onSessionChange?: (session: GraphRestoreSession, observedAt: number) => void;
  /** A poll failed (logged by the caller). */
  onPollError?: (sessionId: string, error: unknown) => void;
}

export interface WatchOptions {
  /** Also read and publish the session's artifacts. */
  artifacts?: boolean;
}

export interface WatchHandle {
  /** This interest ends; the poller stops when it was the last one. Idempotent. */
  release(): void;
}

export interface WatcherStats {
  /** Sessions someone here is interested in. */
  watched: number;
  /** Of those, the ones this instance polls (holds the lease on). */
  polling: number;
  /** Polls started since the watcher was created. */
  polls: number;
}

export interface Watcher {
  watch(sessionId: string, options?: WatchOptions): WatchHandle;
  /**
   * A state learnt outside polling (a mutation's answer): published at once through the feed, and
   * the session's poller, wherever it runs, speeds up if the session started running.
   */
  publishSession(session: GraphRestoreSession): Promise<void>;
  /** The session was deleted through this gateway. */
  publishGone(sessionId: string): Promise<void>;
  /** The session changed in a way no answer showed: its poller, wherever it runs, reads it at the next tick. */
  touch(sessionId: string): Promise<void>;
  stats(): WatcherStats;
  /** Stops polling, releases every lease (announcing it) and leaves the feed. */
  close(): Promise<void>;
}

const RUNNING = new Set(['ACTIVATING', 'ACTIVE', 'UNKNOWN_FUTURE_VALUE']);
/** A session's artifacts are read at most this many pages of 100 deep per poll (10,000 artifacts). */
const MAX_ARTIFACT_PAGES = 100;

interface Watched {
  key: string;
  /** The id as first asked for (Graph matches ids case-insensitively). */
  id: string;
  interest: number;
  artifactInterest: number;
  lease: Lease | undefined;
  acquiring: boolean;
  /** Failed to take the lease at least once: the next acquisition is a takeover (poll at once). */
  standby: boolean;
  feed: Promise<Unsubscribe> | undefined;
  /** Last status seen by a poll here, or learnt from the feed. */
  status: string | undefined;
  sharePoint: boolean | undefined;
  /** Mark of the last session this instance polled. */
  polled: Mark | undefined;
  dueTick: number;
  inFlight: boolean;
  failures: number;
  /** Terminal or deleted: nothing more to poll. */
  done: boolean;
  closed: boolean;
}

export function createWatcher(options: WatcherOptions): Watcher {
  const { graph, feed, leases, pollIntervalMs } = options;
  const draftEvery = Math.max(1, options.draftEvery ?? 5);
  const maxBackoffTicks = Math.max(1, options.maxBackoffTicks ?? 16);
  const leaseRetryMs = Math.max(10, options.leaseRetryMs ?? 1_000);
  const watched = new Map<string, Watched>();
  const teardowns = new Set<Promise<void>>();
  let tickNo = 0;
  let polls = 0;
  let tickTimer: NodeJS.Timeout | undefined;
  let retryTimer: NodeJS.Timeout | undefined;
  let closed = false;

  // ------------------------------------------------------------------ timers

  function syncTimers(): void {
    let anyPolling = false;
    let anyStandby = false;
    for (const w of watched.values()) {
      if (w.done) continue;
      if (w.lease?.held) anyPolling = true;
      else anyStandby = true;
    }
    tickTimer = syncInterval(tickTimer, anyPolling, tick, pollIntervalMs);
    retryTimer = syncInterval(retryTimer, anyStandby, retryStandby, leaseRetryMs);
  }

  /** `timer` running `run` every `ms` while `wanted` (and the watcher is open), cleared otherwise. */
  function syncInterval(timer: NodeJS.Timeout | undefined, wanted: boolean, run: () => void, ms: number): NodeJS.Timeout | undefined {
    if (wanted && !timer && !closed) {
      const started = setInterval(run, ms);
      started.unref();
      return started;
    }
    if (!wanted && timer) {
      clearInterval(timer);
      return undefined;
    }
    return timer;
  }

  /** Starts every due poll in this one turn of the event loop, so the Graph client batches them together. */
  function tick(): void {
    tickNo++;
    for (const w of watched.values()) {
      // A lease that could not be renewed in time: another instance may poll it now.
      if (w.lease && !w.lease.held) onLeaseLost(w);
      else if (w.lease?.held && !w.inFlight && !w.done && w.dueTick <= tickNo) void poll(w);
    }
  }

  function retryStandby(): void {
    for (const w of watched.values()) if (!w.lease?.held && !w.done) void acquire(w);
  }

  // ------------------------------------------------------------------ leases

  async function acquire(w: Watched): Promise<void> {
    if (w.acquiring || w.closed || closed || w.lease?.held) return;
    w.acquiring = true;
    let lease: Lease | null = null;
    try {
      lease = await leases.tryAcquire(w.key);
    } catch (err) {
      options.onPollError?.(w.id, err);
    } finally {
      w.acquiring = false;
    }
    if (!lease) {
      w.standby = true;
      syncTimers();
      return;
    }
    if (w.closed || closed) {
      // stop() ran while this acquisition was pending; nobody awaits an acquisition, so a failed give-back is reported here.
      await lease.release().catch((err: unknown) => options.onPollError?.(w.id, err));
      return;
    }
    w.lease = lease;
    w.failures = 0;
    const takeover = w.standby;
    w.standby = false;
    syncTimers();
    // A takeover re-polls at once: the previous holder may have died before publishing a change.
    if (takeover) void poll(w);
    else w.dueTick = tickNo + 1;
  }

  function onLeaseLost(w: Watched): void {
    w.lease = undefined;
    w.standby = true;
    syncTimers();
  }

  // ------------------------------------------------------------------ polling

  async function listArtifacts(id: string): Promise<SessionScopedSiteRestoreArtifact[]> {
    const all: SessionScopedSiteRestoreArtifact[] = [];
    let after: string | null = null;
    for (let page = 0; page < MAX_ARTIFACT_PAGES; page++) {
      const result = await graph.listSiteArtifacts(id, { first: 100, after });
      all.push(...result.nodes);
      if (!result.pageInfo.hasNextPage || result.pageInfo.endCursor === null) break;
      after = result.pageInfo.endCursor;
    }
    return all;
  }

  function afterFailure(w: Watched, err: unknown, startedTick = tickNo): void {
    w.failures++;
    const retryAfterMs = err instanceof GraphRequestError && (err.status === 429 || err.status === 503) ? err.retryAfterMs : undefined;
    const ticks =
      retryAfterMs !== undefined
        ? Math.max(1, Math.ceil(retryAfterMs / pollIntervalMs))
        : Math.min(maxBackoffTicks, 2 ** Math.min(w.failures - 1, 20));
    w.dueTick = startedTick + ticks;
    options.onPollError?.(w.id, err);
  }

  async function poll(w: Watched): Promise<void> {
    const lease = w.lease;
    if (!lease?.held || w.inFlight || w.done || closed) return;
    w.inFlight = true;
    polls++;
    // Paces count from the tick a poll started at, so sessions polled together stay together even
    // when an answer takes longer than a tick (they would otherwise drift into separate batches).
    const startedTick = tickNo;
    const wantArtifacts = w.artifactInterest > 0 && w.sharePoint !== false && (w.status === undefined || RUNNING.has(w.status));
    // Both requests are queued in this same turn, so they share a `$batch` with the other due polls.
    const sessionRead = graph.getSession(w.id);
    const artifactRead = wantArtifacts ? listArtifacts(w.id) : undefined;
    // Awaited only on some paths below; where its failure matters the artifacts are read again, and that failure is reported.
    artifactRead?.catch(() => undefined);
    try {
      let session: GraphRestoreSession;
      try {
        session = await sessionRead;
      } catch (err) {
        if (err instanceof GraphRequestError && (err.status === 404 || err.status === 410)) {
          const gone = await feed.commitGone(w.id, lease);
          if (gone === 'fenced') onLeaseLost(w);
          else finish(w);
          return;
        }
        afterFailure(w, err, startedTick);
        return;
      }
      const observedAt = performance.now();
      const mark = sessionMark(session);
      const terminal = isTerminalSession(session);
      w.sharePoint = isSharePointSession(session);
      if (w.artifactInterest > 0 && w.sharePoint) {
        let artifacts = artifactRead ? await artifactRead.catch(() => undefined) : undefined;
        const changed = w.polled === undefined || isNews(w.polled, mark);
        const stale =
          artifacts === undefined
            ? changed || RUNNING.has(sessionStatusOf(session))
            : terminal && artifacts.some((a) => !isTerminalArtifactStatus(artifactRestoreStatus.fromGraph(String(a.status))));
        if (stale) {
          try {
            artifacts = await listArtifacts(w.id);
          } catch (err) {
            // The terminal session waits until its artifacts could be read, so nothing ends before them.
            if (terminal) {
              afterFailure(w, err, startedTick);
              return;
            }
            options.onPollError?.(w.id, err);
          }
        }
        if (artifacts && (await feed.commitArtifacts(w.id, artifacts, lease)) === 'fenced') {
          onLeaseLost(w);
          return;
        }
      }
      const outcome = await feed.commitSession(session, lease);
      if (outcome === 'fenced') {
        onLeaseLost(w);
        return;
      }
      if (outcome === 'published') options.onSessionChange?.(session, observedAt);
      w.polled = mark;
      w.status = sessionStatusOf(session);
      w.failures = 0;
      if (terminal) finish(w);
      else w.dueTick = startedTick + (w.status === 'DRAFT' ? draftEvery : 1);
    } catch (err) {
      // The feed could not commit (Redis away): try again later, as for a Graph failure.
      afterFailure(w, err, startedTick);
    } finally {
      w.inFlight = false;
    }
  }

  function finish(w: Watched): void {
    w.done = true;
    syncTimers();
  }

  /** What other instances (or a mutation) published about a session this instance watches. */
  function onFeed(w: Watched, message: LiveMessage): void {
    switch (message.kind) {
      case 'released':
        if (!w.lease?.held && !w.done) void acquire(w);
        return;
      case 'gone':
        finish(w);
        return;
      case 'touched':
        w.dueTick = Math.min(w.dueTick, tickNo + 1);
        return;
      case 'session': {
        const status = sessionStatusOf(message.session);
        if (isTerminalSession(message.session)) {
          // Another instance saw the end; this one's poller (if any) has nothing left to learn.
          if (!w.lease?.held) finish(w);
          return;
        }
        if (RUNNING.has(status) && w.status !== undefined && !RUNNING.has(w.status)) {
          // Activated elsewhere: poll at the running pace from the next tick on.
          w.status = status;
          w.dueTick = Math.min(w.dueTick, tickNo + 1);
        }
        return;
      }
      default:
        return;
    }
  }

  // ------------------------------------------------------------------ interest

  function start(id: string, key: string): Watched {
    const w: Watched = {
      key,
      id,
      interest: 0,
      artifactInterest: 0,
      lease: undefined,
      acquiring: false,
      standby: false,
      feed: undefined,
      status: undefined,
      sharePoint: undefined,
      polled: undefined,
      dueTick: 0,
      inFlight: false,
      failures: 0,
      done: false,
      closed: false,
    };
    watched.set(key, w);
    w.feed = feed.subscribe(id, (m) => onFeed(w, m));
    w.feed.then(
      () => void acquire(w),
      (err: unknown) => {
        // Without the feed nobody would hear this poller; retry with the standby timer.
        options.onPollError?.(id, err);
        w.feed = undefined;
        w.standby = true;
        syncTimers();
      },
    );
    return w;
  }

  async function stop(w: Watched): Promise<void> {
    w.closed = true;
    if (watched.get(w.key) === w) watched.delete(w.key);
    syncTimers();
    const lease = w.lease;
    w.lease = undefined;
    // Only close() awaits a stop: its failures are reported here, and one does not keep the next step from running.
    if (lease?.held) {
      try {
        await lease.release();
        // Instances still interested take over now rather than when the lease would have lapsed. Should the
        // announcement fail, they still take it at their next standby retry (a third of the lease TTL).
        await feed.announceReleased(w.id).catch(() => undefined);
      } catch (err) {
        options.onPollError?.(w.id, err);
      }
    }
    try {
      // A feed that could not be joined was reported when it failed.
      const unsubscribe = await w.feed?.catch(() => undefined);
      await unsubscribe?.();
    } catch (err) {
      options.onPollError?.(w.id, err);
    }
  }

  function track(p: Promise<void>): void {
    teardowns.add(p);
    // Not `finally`: its promise would re-reject with nobody to hear it (stop() reports its own failures).
    const forget = (): void => {
      teardowns.delete(p);
    };
    p.then(forget, forget);
  }

  return {
    watch(sessionId, watchOptions = {}) {
      if (closed) return { release: () => undefined };
      const key = sessionKey(sessionId);
      const w = watched.get(key) ?? start(sessionId, key);
      const artifacts = watchOptions.artifacts === true;
      w.interest++;
      if (artifacts) w.artifactInterest++;
      let released = false;
      return {
        release() {
          if (released) return;
          released = true;
          w.interest--;
          if (artifacts) w.artifactInterest--;
          if (w.interest === 0 && !w.closed) track(stop(w));
        },
      };
    },
    async publishSession(session) {
      await feed.commitSession(session);
    },
    async publishGone(sessionId) {
      await feed.commitGone(sessionId);
    },
    async touch(sessionId) {
      await feed.announceTouched(sessionId);
    },
    stats() {
      const all = [...watched.values()];
      return { watched: all.length, polling: all.filter((w) => w.lease?.held && !w.done).length, polls };
    },
    async close() {
      closed = true;
      if (tickTimer) clearInterval(tickTimer);
      if (retryTimer) clearInterval(retryTimer);
      tickTimer = retryTimer = undefined;
      for (const w of [...watched.values()]) track(stop(w));
      await Promise.all([...teardowns]);
    },
  };
}

import { channel } from 'node:diagnostics_channel';
import type { GraphRestoreSession } from '../graph/dto.js';
import type { ChangeFeed } from './change-feed.js';
import type { Leases } from './lease.js';
import { createPollSchedule } from './poll-schedule.js';
import { createSessionPoller, type SessionPoller, type SessionPollerDeps } from './session-poller.js';
import { sessionKey } from './snapshot.js';

/**
 * The watcher: one poller per watched session, however many subscribers it has, on this instance
 * or — with Redis — on whichever instance holds the session's lease.
 *
 * Polls run on one clock of ticks, `pollIntervalMs` apart. At each tick every session due is read
 * in the same turn of the event loop, so the Graph client (the gateway's app-credential client)
 * sends them together as `$batch` envelopes of 20: polling 200 sessions costs 10 requests per
 * interval. When each session is due is the poll schedule's (`poll-schedule.ts`); what one poll
 * reads and publishes is `session-poll.ts`; each session's lease is kept by `lease-keeper.ts`.
 *
 * Every poll is published to the change feed fenced by the session's lease; the feed publishes
 * only what is news. A new holder (after a release or a crash) polls at once, so whatever its
 * predecessor did not publish — the final status included — is published without waiting a tick.
 */

/**
 * The diagnostics channel (`node:diagnostics_channel`) a {@link SessionChangeEvent} is published on
 * each time a poll here published a change of a session. Instrumentation: the subscriptions
 * benchmark measures delivery delay from it; nothing is published while nobody subscribes.
 */
export const SESSION_CHANGE_CHANNEL = 'restore-gateway:live:session-change';

export interface SessionChangeEvent {
  session: GraphRestoreSession;
  /** When Graph's answer arrived, on the watcher clock's `now()` (`performance.now()`). */
  observedAt: number;
}

const sessionChanges = channel(SESSION_CHANGE_CHANNEL);
const reportChange = ({ session, observedAt }: SessionChangeEvent): void => {
  if (sessionChanges.hasSubscribers) sessionChanges.publish({ session, observedAt } satisfies SessionChangeEvent);
};

/** Time as the watcher sees it; tests drive it with vitest's fake timers or a clock of their own. */
export interface WatcherClock {
  /** Runs `run` every `ms` until the returned function is called; must not keep the process alive. */
  every(ms: number, run: () => void): () => void;
  now(): number;
}

export const systemClock: WatcherClock = {
  every(ms, run) {
    const timer = setInterval(run, ms);
    timer.unref();
    return () => clearInterval(timer);
  },
  now: () => performance.now(),
};

export interface WatcherOptions {
  /** The gateway's app-credential client: a poller acts for no caller, and may serve other instances' subscribers. */
  graph: SessionPollerDeps['graph'];
  feed: ChangeFeed;
  leases: Leases;
  /** POLL_INTERVAL_MS: one tick. */
  pollIntervalMs: number;
  /** How often an instance that wants a session whose lease is held elsewhere tries to take it (live status: a third of LEASE_TTL_MS). */
  leaseRetryMs?: number;
  /** Ticks between polls of a draft (default 5). */
  draftEvery?: number;
  /** Most ticks between polls after repeated failures without Retry-After (default 16). */
  maxBackoffTicks?: number;
  /** A poll, a lease or leaving the feed failed (logged by the caller; nobody awaits these). */
  onPollError?: (sessionId: string, error: unknown) => void;
  clock?: WatcherClock;
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
  stats(): WatcherStats;
  /** Stops polling, releases every lease (announcing it) and leaves the feed. */
  close(): Promise<void>;
}

export function createWatcher({
  graph,
  feed,
  leases,
  pollIntervalMs,
  leaseRetryMs = 1_000,
  draftEvery,
  maxBackoffTicks,
  onPollError = () => undefined,
  clock = systemClock,
}: WatcherOptions): Watcher {
  const pollers = new Map<string, SessionPoller>();
  const teardowns = pending();
  let tickNo = 0;
  let polls = 0;
  let closed = false;
  // Starts every due poll in this one turn of the event loop, so the Graph client batches them together.
  const ticks = repeater(clock, pollIntervalMs, () => {
    tickNo++;
    for (const poller of pollers.values()) poller.tick();
  });
  const standbyRetries = repeater(clock, Math.max(10, leaseRetryMs), () => {
    for (const poller of pollers.values()) if (!poller.polling && !poller.done) void poller.acquire();
  });
  const syncTimers = (): void => {
    const open = [...pollers.values()].filter((p) => !p.done);
    ticks.run(!closed && open.some((p) => p.polling));
    standbyRetries.run(!closed && open.some((p) => !p.polling));
  };
  const deps: SessionPollerDeps = {
    graph,
    feed,
    leases,
    schedule: createPollSchedule({ pollIntervalMs, draftEvery, maxBackoffTicks }),
    now: () => clock.now(),
    onPollError,
    currentTick: () => tickNo,
    changed: syncTimers,
    pollStarted: () => void polls++,
    sessionChanged: reportChange,
  };

  function stop(poller: SessionPoller, key: string): void {
    if (pollers.get(key) === poller) pollers.delete(key);
    syncTimers();
    teardowns.track(poller.stop());
  }

  return {
    watch(sessionId, { artifacts = false } = {}) {
      if (closed) return { release: () => undefined };
      const key = sessionKey(sessionId);
      let poller = pollers.get(key);
      if (!poller) pollers.set(key, (poller = createSessionPoller(deps, sessionId, key)));
      const watched = poller;
      watched.interest.all++;
      if (artifacts) watched.interest.artifacts++;
      let released = false;
      return {
        release() {
          if (released) return;
          released = true;
          watched.interest.all--;
          if (artifacts) watched.interest.artifacts--;
          if (watched.interest.all === 0 && pollers.get(key) === watched) stop(watched, key);
        },
      };
    },
    stats() {
      const all = [...pollers.values()];
      return { watched: all.length, polling: all.filter((p) => p.polling).length, polls };
    },
    async close() {
      closed = true;
      ticks.run(false);
      standbyRetries.run(false);
      for (const [key, poller] of [...pollers]) stop(poller, key);
      await teardowns.settled();
    },
  };
}

/** Work nobody awaits but `close()`: a poller's stop (which reports its own failures). */
function pending(): { track(work: Promise<void>): void; settled(): Promise<unknown> } {
  const all = new Set<Promise<void>>();
  return {
    track(work) {
      all.add(work);
      // Not `finally`: its promise would re-reject with nobody to hear it.
      const forget = (): void => void all.delete(work);
      work.then(forget, forget);
    },
    settled: () => Promise.all([...all]),
  };
}

/** `run` every `ms` while wanted. */
function repeater(clock: WatcherClock, ms: number, run: () => void): { run(wanted: boolean): void } {
  let cancel: (() => void) | undefined;
  return {
    run(wanted) {
      if (wanted && !cancel) cancel = clock.every(ms, run);
      else if (!wanted && cancel) {
        cancel();
        cancel = undefined;
      }
    },
  };
}

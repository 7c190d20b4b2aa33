import { isTerminalSessionStatus } from '../graph/enums.js';
import type { RestoreSessionStatus } from '../generated/graphql.js';
import { isTerminalSession, sessionStatusOf, type LiveMessage } from './snapshot.js';

/**
 * When a watched session is polled next: pure functions of what its poller knows (the status it last
 * saw, the tick its last poll started at, its failures in a row, Graph's Retry-After), counted in
 * ticks of the watcher's one clock. No timers and no I/O here; the watcher keeps the clock.
 *
 * A session's pace follows its status: every tick while `ACTIVATING`/`ACTIVE` (or a status this
 * gateway does not know), every `draftEvery` ticks as a `DRAFT`, never again once terminal. After a
 * failure it waits `Retry-After` when Graph sent one (429/503), otherwise doubling ticks up to
 * `maxBackoffTicks`. Paces count from the tick a poll started at, so sessions polled together stay
 * together even when an answer takes longer than a tick (they would otherwise drift into separate
 * `$batch` envelopes).
 */

const RUNNING: ReadonlySet<string> = new Set(['ACTIVATING', 'ACTIVE', 'UNKNOWN_FUTURE_VALUE']);

/** Statuses polled every tick: the session may change at any moment (an unknown status counts as running). */
export function isRunningStatus(status: string): boolean {
  return RUNNING.has(status);
}

export interface PollScheduleOptions {
  /** POLL_INTERVAL_MS: one tick. */
  pollIntervalMs: number;
  /** Ticks between polls of a draft (default 5). */
  draftEvery?: number | undefined;
  /** Most ticks between polls after repeated failures without Retry-After (default 16). */
  maxBackoffTicks?: number | undefined;
}

export interface PollSchedule {
  /** The tick a session is due at after a poll started at `startedTick` saw `status`; `Infinity` once terminal. */
  afterPoll(startedTick: number, status: RestoreSessionStatus): number;
  /** The tick a session is due at after its `failures`-th failure in a row (a poll started at `startedTick`). */
  afterFailure(startedTick: number, failures: number, retryAfterMs?: number): number;
}

export function createPollSchedule({ pollIntervalMs, draftEvery = 5, maxBackoffTicks = 16 }: PollScheduleOptions): PollSchedule {
  const draftTicks = Math.max(1, draftEvery);
  const backoffCap = Math.max(1, maxBackoffTicks);
  return {
    afterPoll(startedTick, status) {
      if (isTerminalSessionStatus(status)) return Infinity;
      return startedTick + (status === 'DRAFT' ? draftTicks : 1);
    },
    afterFailure(startedTick, failures, retryAfterMs) {
      if (retryAfterMs !== undefined) return startedTick + Math.max(1, Math.ceil(retryAfterMs / pollIntervalMs));
      return startedTick + Math.min(backoffCap, 2 ** Math.min(Math.max(0, failures - 1), 20));
    },
  };
}

/** Due at the next tick, unless already due sooner: a session someone says changed. */
export function dueSoon(dueTick: number, currentTick: number): number {
  return Math.min(dueTick, currentTick + 1);
}

/** What a message on a session's channel means for the poller of an instance that watches it. */
export type ChannelReaction =
  /** Nobody polls it any more: try to take the lease now. */
  | { kind: 'acquire' }
  /** Nothing more to poll. */
  | { kind: 'finish' }
  /** Poll at the next tick; `status` is what the poller should now take the session's status to be. */
  | { kind: 'soon'; status?: RestoreSessionStatus }
  | { kind: 'none' };

export interface PollerView {
  /** This instance holds the session's lease. */
  holding: boolean;
  /** Nothing more to poll (terminal or deleted). */
  done: boolean;
  /** The status last seen here (undefined before the first poll). */
  status: RestoreSessionStatus | undefined;
}

/**
 * What other instances (or a mutation) published about a session: a release lets a standby take over,
 * a deletion or another instance's terminal status ends polling, a touch or an activation elsewhere
 * brings the next poll forward to the running pace.
 */
export function reactToChannel(message: LiveMessage, poller: PollerView): ChannelReaction {
  switch (message.kind) {
    case 'released':
      return !poller.holding && !poller.done ? { kind: 'acquire' } : { kind: 'none' };
    case 'gone':
      return { kind: 'finish' };
    case 'touched':
      return { kind: 'soon' };
    case 'session': {
      const status = sessionStatusOf(message.session);
      // Another instance saw the end; this one's poller (if any) has nothing left to learn.
      if (isTerminalSession(message.session)) return poller.holding ? { kind: 'none' } : { kind: 'finish' };
      // Activated elsewhere: poll at the running pace from the next tick on.
      if (isRunningStatus(status) && poller.status !== undefined && !isRunningStatus(poller.status)) return { kind: 'soon', status };
      return { kind: 'none' };
    }
    default:
      return { kind: 'none' };
  }
}

import type { RestoreSessionStatus } from '../generated/graphql.js';
import type { ChangeFeed } from './change-feed.js';
import { createLeaseKeeper } from './lease-keeper.js';
import type { Leases } from './lease.js';
import { dueSoon, reactToChannel, type PollSchedule } from './poll-schedule.js';
import type { Unsubscribe } from './pubsub.js';
import { pollSession, type PollOutcome, type PollTarget, type SessionPollDeps } from './session-poll.js';
import { sessionMark, sessionStatusOf, type LiveMessage } from './snapshot.js';

/**
 * One watched session on this instance: its channel on the change feed, its poll lease (a lease
 * keeper), and its place in the poll schedule. The watcher counts the interest in it, runs the
 * ticks, and asks it at each tick whether it is due.
 */

export interface SessionPollerDeps extends SessionPollDeps {
  feed: ChangeFeed;
  leases: Leases;
  schedule: PollSchedule;
  /** The watcher's current tick. */
  currentTick(): number;
  /** Its lease or its end changed: the watcher re-arms its timers. */
  changed(): void;
  /** A poll starts (the watcher's count). */
  pollStarted(): void;
  /** A poll published a change of the session. */
  sessionChanged(outcome: Extract<PollOutcome, { kind: 'polled' }>): void;
}

export interface SessionPoller {
  readonly id: string;
  /** Subscribers here: the poller stops when the watcher counts none left. */
  readonly interest: { all: number; artifacts: number };
  /** Holds the lease and has polls left. */
  readonly polling: boolean;
  /** Terminal or deleted: nothing more to poll. */
  readonly done: boolean;
  /** A tick of the watcher: notices a lapsed lease, or polls when due. */
  tick(): void;
  /** Tries to take the lease (at start, on a release elsewhere, at the watcher's standby retries). */
  acquire(): Promise<void>;
  /** Gives the lease back (announced) and leaves the feed; failures are reported, never thrown. */
  stop(): Promise<void>;
}

interface PollerState extends PollTarget {
  status: RestoreSessionStatus | undefined;
  polled: PollTarget['polled'];
  dueTick: number;
  inFlight: boolean;
  failures: number;
  done: boolean;
}

export function createSessionPoller(deps: SessionPollerDeps, id: string, key: string): SessionPoller {
  const { feed, currentTick, changed, onPollError } = deps;
  const interest = { all: 0, artifacts: 0 };
  const state: PollerState = {
    id,
    get artifactInterest() {
      return interest.artifacts;
    },
    family: undefined,
    status: undefined,
    polled: undefined,
    dueTick: 0,
    inFlight: false,
    failures: 0,
    done: false,
  };
  const keeper = createLeaseKeeper({ leases: deps.leases, feed, sessionId: id, key, onError: (err) => onPollError(id, err) });
  const finish = (): void => {
    state.done = true;
    changed();
  };
  const lost = (): void => {
    keeper.lost();
    changed();
  };

  async function acquire(): Promise<void> {
    const acquisition = await keeper.acquire();
    changed();
    if (acquisition === 'none') return;
    state.failures = 0;
    // A takeover re-polls at once: the previous holder may have died before publishing a change.
    if (acquisition === 'takeover') void poll();
    else state.dueTick = currentTick() + 1;
  }

  async function poll(): Promise<void> {
    const lease = keeper.lease;
    if (!lease || state.inFlight || state.done) return;
    state.inFlight = true;
    deps.pollStarted();
    // Paces count from the tick a poll started at (see poll-schedule.ts).
    const startedTick = currentTick();
    try {
      settle(deps, state, await pollSession(deps, state, lease), startedTick, { finish, lost });
    } finally {
      state.inFlight = false;
    }
  }

  /** What other instances (or a mutation) published about the session. */
  function onChannel(message: LiveMessage): void {
    const reaction = reactToChannel(message, { holding: keeper.lease !== undefined, done: state.done, status: state.status });
    if (reaction.kind === 'acquire') void acquire();
    else if (reaction.kind === 'finish') finish();
    else if (reaction.kind === 'soon') {
      if (reaction.status !== undefined) state.status = reaction.status;
      state.dueTick = dueSoon(state.dueTick, currentTick());
    }
  }

  const joined = joinFeed(deps, id, onChannel, acquire, lost);
  return {
    id,
    interest,
    get polling() {
      return keeper.lease !== undefined && !state.done;
    },
    get done() {
      return state.done;
    },
    tick() {
      // A lease that could not be renewed in time: another instance may poll the session now.
      if (keeper.lapsed()) changed();
      else if (keeper.lease && !state.inFlight && !state.done && state.dueTick <= currentTick()) void poll();
    },
    acquire,
    async stop() {
      // Only the watcher's close() awaits a stop: its failures are reported here, and one does not keep the next step from running.
      await keeper.release();
      try {
        // A feed that could not be joined was reported when it failed.
        const unsubscribe = await joined.catch(() => undefined);
        await unsubscribe?.();
      } catch (err) {
        onPollError(id, err);
      }
    },
  };
}

/** What a poll's outcome means for the session's next poll. */
function settle(
  deps: SessionPollerDeps,
  state: PollerState,
  outcome: PollOutcome,
  startedTick: number,
  { finish, lost }: { finish(): void; lost(): void },
): void {
  switch (outcome.kind) {
    case 'fenced':
      return lost();
    case 'gone':
      return finish();
    case 'failed':
      state.failures++;
      state.dueTick = deps.schedule.afterFailure(startedTick, state.failures, outcome.retryAfterMs);
      return deps.onPollError(state.id, outcome.error);
    case 'polled':
      if (outcome.published) deps.sessionChanged(outcome);
      state.polled = sessionMark(outcome.session);
      state.status = sessionStatusOf(outcome.session);
      state.failures = 0;
      state.dueTick = deps.schedule.afterPoll(startedTick, state.status);
      if (state.dueTick === Infinity) finish();
  }
}

/** Joins the session's channel, then tries for the lease; without the feed nobody would hear this poller, so it stands by. */
function joinFeed(
  deps: SessionPollerDeps,
  id: string,
  onChannel: (m: LiveMessage) => void,
  acquire: () => Promise<void>,
  standBy: () => void,
): Promise<Unsubscribe> {
  const joined = deps.feed.subscribe(id, onChannel);
  joined.then(
    () => void acquire(),
    (err: unknown) => {
      deps.onPollError(id, err);
      standBy();
    },
  );
  return joined;
}

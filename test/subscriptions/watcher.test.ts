import diagnosticsChannel from 'node:diagnostics_channel';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { SEED_SESSION_IDS } from '@restore-session-gateway/graph-emulator';
import { graphCalls } from '@restore-session-gateway/graph-emulator/testing';
import type { GraphRestoreSession } from '../../src/graph/dto.js';
import { GraphRequestError } from '../../src/graph/errors.js';
import { createMemoryChangeFeed, type ChangeFeed } from '../../src/subscriptions/change-feed.js';
import { createLocalLeases, type Lease, type Leases } from '../../src/subscriptions/lease.js';
import { createMemoryPubSub } from '../../src/subscriptions/pubsub.js';
import type { LiveMessage } from '../../src/subscriptions/snapshot.js';
import {
  createWatcher,
  SESSION_CHANGE_CHANNEL,
  systemClock,
  type SessionChangeEvent,
  type Watcher,
  type WatcherOptions,
} from '../../src/subscriptions/watcher.js';
import { startGraphFixture, unknownGuid, type GraphFixture } from '../graph/support.js';
import { createFamilyDraft, FAMILY_SETS, withOneFailure } from './family-support.js';
import { activate, createDraft, RESTORES, sessionPolls, SESSIONS_PATH, waitFor } from './support.js';

// The watcher against the in-process emulator (manual clock) with the gateway's Graph client, on one
// instance (memory feed, local leases). The Redis variants live in live-status.test.ts.

const TICK = 25;
let f: GraphFixture;
beforeAll(async () => {
  f = await startGraphFixture();
  await f.tokens.getGraphToken();
});
afterAll(async () => {
  await f?.close();
});

let feed: ChangeFeed;
let watcher: Watcher | undefined;
const errors: unknown[] = [];
function startWatcher(overrides: Partial<WatcherOptions> = {}, client: WatcherOptions['graph'] = f.client): Watcher {
  feed = createMemoryChangeFeed();
  watcher = createWatcher({
    graph: client,
    feed,
    leases: createLocalLeases(),
    pollIntervalMs: TICK,
    onPollError: (_id, e) => errors.push(e),
    ...overrides,
  });
  return watcher;
}
/** Everything the feed publishes about `id`. */
async function listen(id: string): Promise<LiveMessage[]> {
  const got: LiveMessage[] = [];
  await feed.subscribe(id, (m) => got.push(m));
  return got;
}
const statuses = (messages: LiveMessage[]): string[] => messages.flatMap((m) => (m.kind === 'session' ? [m.session.status] : []));

beforeEach(() => {
  f.t.emu.reset();
  f.resetEmulatorSide();
  errors.length = 0;
});
afterEach(async () => {
  await watcher?.close();
  watcher = undefined;
  await feed?.close();
});

describe('one poller per session, batched', () => {
  it('polls each watched session once per tick however many watch it, all due polls in shared $batch envelopes', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 30; i++) ids.push(await createDraft(f.t, [i]));
    f.resetEmulatorSide();
    const w = startWatcher({ draftEvery: 1 });
    const handles = ids.flatMap((id) => [w.watch(id), w.watch(id), w.watch(id.toUpperCase())]);
    expect(w.stats().watched).toBe(30);
    await waitFor(() => ids.every((id) => sessionPolls(f.t, id) >= 6), 5_000, 'six polls of every session');
    for (const h of handles) h.release();
    await waitFor(() => w.stats().watched === 0, 2_000, 'the pollers to stop');

    const entries = f.graphEntries();
    const items = entries.filter((e) => e.kind === 'batchItem');
    const envelopes = new Set(items.map((e) => e.batchRequestId));
    const perSession = ids.map((id) => sessionPolls(f.t, id));
    const sizes = new Map<string, number>();
    for (const e of items) sizes.set(e.batchRequestId!, (sizes.get(e.batchRequestId!) ?? 0) + 1);
    // Every session polled the same number of times (±1 for the last tick), never once per watcher.
    expect(Math.max(...perSession) - Math.min(...perSession)).toBeLessThanOrEqual(1);
    // 30 due polls per tick: ceil(30 / 20) = 2 envelopes (20 + 10) per tick, no lone requests.
    expect(entries.filter((e) => e.kind === 'request')).toHaveLength(0);
    expect(envelopes.size).toBeLessThanOrEqual(Math.max(...perSession) * 2);
    expect(new Set(sizes.values())).toEqual(new Set([20, 10]));
    expect(errors).toEqual([]);
  });
});

describe('a restore end to end (emulator)', () => {
  it('polls a running session, publishes each change, and stops at its terminal status', async () => {
    const id = await createDraft(f.t, RESTORES.completed);
    await activate(f.t, id);
    const w = startWatcher();
    const got = await listen(id);
    const h = w.watch(id);
    await waitFor(() => statuses(got).length === 1, 2_000, 'the first poll');
    expect(statuses(got)).toEqual(['activating']);
    for (const step of [1_000, 6_000, 1_500, 1_500]) {
      const n = got.length;
      f.t.emu.advanceClock(step);
      await waitFor(() => got.length === n + 1, 2_000, `the change after ${step} ms`);
    }
    expect(
      got.map((m) => (m.kind === 'session' ? `${m.session.status}:${m.session.restoreSessionArtifactCount?.completed}` : m.kind)),
    ).toEqual(['activating:0', 'active:0', 'active:1', 'active:2', 'completed:3']);
    // Nothing left to poll: no timer runs for it any more (the schedule tests below show it is never polled again).
    await waitFor(() => w.stats().polling === 0, 1_000, 'polling to stop');
    h.release();
  });

  it('publishes that a session is gone when Graph no longer knows it, and stops', async () => {
    const w = startWatcher();
    const id = unknownGuid(42);
    const got = await listen(id);
    w.watch(id);
    await waitFor(() => got.length === 1, 2_000, 'gone');
    expect(got).toEqual([{ kind: 'gone', sessionId: id }]);
    await waitFor(() => w.stats().polling === 0, 1_000, 'polling to stop');
  });

  it('reads artifacts only for artifact subscribers, while the session runs, and publishes them before the terminal session', async () => {
    const artifactReads = (id: string): number =>
      graphCalls(f.graphEntries()).filter((e) =>
        e.path.toLowerCase().startsWith(`solutions/backuprestore/sharepointrestoresessions/${id}/siterestoreartifacts`),
      ).length;
    const id = await createDraft(f.t, RESTORES.completedWithError);
    await activate(f.t, id);
    f.resetEmulatorSide();
    const w = startWatcher();
    const got = await listen(id);
    const sessionOnly = w.watch(id);
    await waitFor(() => sessionPolls(f.t, id) >= 3, 2_000, 'session polls');
    expect(artifactReads(id)).toBe(0);

    const withArtifacts = w.watch(id, { artifacts: true });
    await waitFor(() => artifactReads(id) >= 1, 2_000, 'artifact reads');
    for (const step of [1_000, 1_000, 1_000, 1_000, 3_000, 1_500, 1_500]) {
      f.t.emu.advanceClock(step);
      // Two more polls: whatever the step changed was read.
      const polls = w.stats().polls;
      await waitFor(() => w.stats().polls >= polls + 2 || w.stats().polling === 0, 2_000, 'two more polls');
    }
    await waitFor(() => got.some((m) => m.kind === 'session' && m.session.status === 'completedWithError'), 2_000, 'the end');
    const trail = got.map((m) =>
      m.kind === 'artifact'
        ? `${m.artifact.id.slice(-4)}:${m.artifact.status}`
        : m.kind === 'session'
          ? `session:${m.session.status}`
          : m.kind,
    );
    // The last message is the session's end, after every artifact reached its final status.
    expect(trail.at(-1)).toBe('session:completedWithError');
    const finals = got.filter((m) => m.kind === 'artifact' && ['succeeded', 'failed'].includes(m.artifact.status));
    expect(finals).toHaveLength(3);
    expect(got.indexOf(finals.at(-1)!)).toBeLessThan(got.length - 1);
    const failed = finals.find((m) => m.kind === 'artifact' && m.artifact.status === 'failed');
    expect(failed?.kind === 'artifact' && failed.artifact.error?.code).toBe('ArtifactCannotBeRestored');
    await waitFor(() => w.stats().polling === 0, 1_000, 'polling to stop');
    sessionOnly.release();
    withArtifacts.release();
  });
});

/**
 * The schedule in action: the watcher's ticks run on vitest's fake timers and a Graph stand-in answers
 * at once, so every tick is one step the test takes and every count is exact.
 */
describe('artifacts of every family (emulator)', () => {
  it.each(['exchange', 'oneDrive'] as const)(
    "reads a %s session's own artifacts once its first read named the family, and publishes them with their family",
    async (family) => {
      const id = await createFamilyDraft(f.t, family, withOneFailure(family));
      await activate(f.t, id);
      f.resetEmulatorSide();
      const w = startWatcher();
      const got = await listen(id);
      const h = w.watch(id, { artifacts: true });
      for (const step of [1_000, 1_000, 1_000, 1_000, 3_000, 1_500, 1_500]) {
        const polls = w.stats().polls;
        await waitFor(() => w.stats().polls >= polls + 2 || w.stats().polling === 0, 2_000, 'two more polls');
        f.t.emu.advanceClock(step);
      }
      await waitFor(() => w.stats().polling === 0, 2_000, 'the end');
      expect(got.at(-1)).toMatchObject({ kind: 'session', session: { status: 'completedWithError' } });
      const artifacts = got.flatMap((m) => (m.kind === 'artifact' ? [m.artifact] : []));
      const marker = family === 'exchange' ? 'mailbox' : 'drive';
      expect(new Set(artifacts.map((a) => a.restoreArtifactFamily))).toEqual(new Set([marker]));
      const finals = artifacts.filter((a) => ['succeeded', 'failed'].includes(String(a.status)));
      expect(finals.map((a) => a.status).sort()).toEqual(['failed', 'succeeded', 'succeeded']);
      expect(finals.find((a) => a.status === 'failed')?.error?.code).toBe('ArtifactCannotBeRestored');

      const calls = graphCalls(f.graphEntries()).filter((e) => e.method === 'GET');
      const isList = (name: string) => (e: { path: string }) => e.path.toLowerCase().includes(`/${id}/${name}`.toLowerCase());
      expect(calls.filter(isList(FAMILY_SETS[family].artifacts)).length).toBeGreaterThanOrEqual(3);
      expect(calls.filter(isList('siteRestoreArtifacts'))).toEqual([]);
      // The first poll read the session before its artifacts: only that read could tell which list to read.
      const firstList = calls.findIndex(isList(FAMILY_SETS[family].artifacts));
      expect(calls.findIndex((e) => e.path.toLowerCase() === `${SESSIONS_PATH}/${id}`.toLowerCase())).toBeLessThan(firstList);
      h.release();
    },
  );
});

describe('the poll schedule in the watcher (fake timers)', () => {
  let graph: StubGraph;
  let tick = 0;
  /** Advances `n` ticks, letting each tick's polls finish before the next. */
  async function ticks(n: number): Promise<void> {
    for (let i = 0; i < n; i++) {
      tick++;
      await vi.advanceTimersByTimeAsync(TICK);
      await settled();
    }
  }
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    graph = stubGraph(() => tick);
    tick = 0;
  });
  afterEach(() => {
    vi.useRealTimers();
  });
  const start = async (overrides: Partial<WatcherOptions> = {}): Promise<Watcher> => {
    const w = startWatcher(overrides, graph.client);
    await settled();
    return w;
  };

  it('polls a running session at every tick, a draft every draftEvery ticks, and a finished one never again', async () => {
    graph.set({ id: 'run', status: 'active' });
    graph.set({ id: 'draft', status: 'draft' });
    const w = await start({ draftEvery: 8 });
    w.watch('run');
    w.watch('draft');
    await settled();
    await ticks(20);
    expect(graph.pollTicks('run')).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(graph.pollTicks('draft')).toEqual([1, 9, 17]);

    graph.set({ id: 'run', status: 'completed' });
    await ticks(1);
    expect(w.stats()).toMatchObject({ watched: 2, polling: 1 });
    await ticks(10);
    expect(graph.pollTicks('run')).toHaveLength(21);
  });

  it('reads no artifacts of a session of a family it does not know, and still follows the session', async () => {
    graph.set({ id: 'future', status: 'active', '@odata.type': '#microsoft.graph.futureRestoreSession' });
    const w = await start();
    const h = w.watch('future', { artifacts: true });
    await ticks(3);
    graph.set({ id: 'future', status: 'completed', '@odata.type': '#microsoft.graph.futureRestoreSession' });
    await ticks(2);
    expect(graph.pollTicks('future')).toEqual([1, 2, 3, 4]);
    // Reading any family's list would have failed (the stand-in refuses them all), and been reported.
    expect(errors).toEqual([]);
    expect(w.stats().polling).toBe(0);
    h.release();
  });

  it('polls a draft at the running pace from the next tick once a mutation published its activation', async () => {
    graph.set({ id: 's', status: 'draft' });
    const w = await start({ draftEvery: 8 });
    w.watch('s');
    await ticks(3);
    expect(graph.pollTicks('s')).toEqual([1]);
    graph.set({ id: 's', status: 'activating' });
    await feed.publishSession({ id: 's', status: 'activating' });
    await ticks(3);
    expect(graph.pollTicks('s')).toEqual([1, 4, 5, 6]);
  });

  it('polls a touched session at the next tick instead of at its draft pace', async () => {
    graph.set({ id: 's', status: 'draft' });
    const w = await start({ draftEvery: 1_000 });
    w.watch('s');
    await ticks(5);
    expect(graph.pollTicks('s')).toEqual([1]);
    await feed.touchSession('s');
    await ticks(3);
    expect(graph.pollTicks('s')).toEqual([1, 6]);
  });

  it("waits as long as Graph's Retry-After says when throttled, then resumes", async () => {
    graph.set({ id: 's', status: 'active' });
    graph.fail('s', new GraphRequestError({ status: 429, code: 'TooManyRequests', message: 'slow down', retryAfterMs: 300 }));
    const w = await start();
    w.watch('s');
    await ticks(40);
    // Retry-After 300 ms is 12 ticks of 25 ms.
    expect(graph.pollTicks('s')).toEqual([1, 13, 25, 37]);
    expect(errors).toHaveLength(4);
    graph.fail('s', undefined);
    await ticks(15);
    expect(graph.pollTicks('s').slice(4)).toEqual([49, 50, 51, 52, 53, 54, 55]);
  });

  it('backs off on other failures, doubling up to maxBackoffTicks, without hammering Graph', async () => {
    graph.set({ id: 's', status: 'active' });
    graph.fail('s', new GraphRequestError({ status: 500, code: 'InternalServerError', message: 'boom' }));
    const w = await start({ maxBackoffTicks: 8 });
    w.watch('s');
    await ticks(40);
    expect(graph.pollTicks('s')).toEqual([1, 2, 4, 8, 16, 24, 32, 40]);
  });

  it('stops a poller when its last watcher leaves, and not before', async () => {
    graph.set({ id: 's', status: 'active' });
    const w = await start();
    const a = w.watch('s');
    const b = w.watch('S');
    await ticks(2);
    a.release();
    a.release();
    await ticks(2);
    expect(graph.pollTicks('s')).toEqual([1, 2, 3, 4]);
    b.release();
    await settled();
    expect(w.stats()).toEqual({ watched: 0, polling: 0, polls: 4 });
    await ticks(5);
    expect(graph.pollTicks('s')).toHaveLength(4);
  });

  it('hands a session to another watcher of the feed when its holder stops, which polls at once', async () => {
    graph.set({ id: 's', status: 'active' });
    const shared = createMemoryChangeFeed();
    const leases = createLocalLeases();
    const one = await start({ feed: shared, leases });
    const two = createWatcher({ graph: graph.client, feed: shared, leases, pollIntervalMs: TICK, leaseRetryMs: 10_000 });
    try {
      one.watch('s');
      await settled();
      two.watch('s');
      await ticks(2);
      expect([one.stats().polling, two.stats().polling]).toEqual([1, 0]);
      await one.close();
      await settled();
      // No tick went by: the release was announced and the takeover polled at once.
      expect(two.stats().polling).toBe(1);
      expect(graph.pollTicks('s')).toEqual([1, 2, 2]);
    } finally {
      await two.close();
      await shared.close();
    }
  });

  it('reports each change a poll published, with when Graph answered, on the session-change channel', async () => {
    const events: SessionChangeEvent[] = [];
    const onEvent = (message: unknown): void => void events.push(message as SessionChangeEvent);
    diagnosticsChannel.subscribe(SESSION_CHANGE_CHANNEL, onEvent);
    try {
      graph.set({ id: 's', status: 'active' });
      const w = await start({ clock: { every: systemClock.every, now: () => 1234 } });
      w.watch('s');
      await ticks(3);
      graph.set({ id: 's', status: 'completed' });
      await ticks(1);
      expect(events.map((e) => [e.session.status, e.observedAt])).toEqual([
        ['active', 1234],
        ['completed', 1234],
      ]);
    } finally {
      diagnosticsChannel.unsubscribe(SESSION_CHANGE_CHANNEL, onEvent);
    }
  });
});

describe('work nobody awaits', () => {
  /** Local leases whose release does what the local one does, then rejects (a lease store gone away). */
  function leasesFailingRelease(error: Error): Leases {
    const inner = createLocalLeases();
    return {
      async tryAcquire(key) {
        const lease = await inner.tryAcquire(key);
        if (!lease) return null;
        return {
          key: lease.key,
          token: lease.token,
          get held() {
            return lease.held;
          },
          async release() {
            await lease.release();
            throw error;
          },
        };
      },
      close: () => inner.close(),
    };
  }

  it('reports a lease that cannot be released when its poller stops or the watcher closes, and still leaves the feed', async () => {
    const releaseFailed = new Error('lease store unreachable');
    const pubsub = createMemoryPubSub<LiveMessage>();
    const ownFeed = createMemoryChangeFeed(pubsub);
    const w = startWatcher({ feed: ownFeed, leases: leasesFailingRelease(releaseFailed) });
    const [a, b] = [SEED_SESSION_IDS.active, SEED_SESSION_IDS.draft];
    const h = w.watch(a);
    w.watch(b);
    await waitFor(() => w.stats().polling === 2, 2_000, 'both leases');

    // Nobody awaits the stop a release starts.
    h.release();
    await waitFor(() => errors.length === 1, 2_000, 'the failed release reported');
    expect(errors).toEqual([releaseFailed]);
    expect(pubsub.topics()).toHaveLength(1);

    await w.close();
    expect(errors).toEqual([releaseFailed, releaseFailed]);
    expect(pubsub.topics()).toEqual([]);
    await ownFeed.close();
  });

  it('reports a lease granted after its watch ended that cannot be given back', async () => {
    const releaseFailed = new Error('lease store unreachable');
    let grant: ((lease: Lease) => void) | undefined;
    const leases: Leases = {
      tryAcquire: () => new Promise<Lease>((resolve) => (grant = resolve)),
      close: async () => undefined,
    };
    const notPolled = {
      getSession: () => Promise.reject(new Error('not polled')),
      listSiteArtifacts: () => Promise.reject(new Error('not polled')),
      listMailboxArtifacts: () => Promise.reject(new Error('not polled')),
      listDriveArtifacts: () => Promise.reject(new Error('not polled')),
    };
    const w = startWatcher({ leases }, notPolled);
    const h = w.watch(SEED_SESSION_IDS.active);
    await waitFor(() => grant !== undefined, 1_000, 'the acquisition');
    h.release();
    let released = 0;
    grant!({
      key: 'k',
      token: 't',
      held: true,
      release() {
        released++;
        return Promise.reject(releaseFailed);
      },
    });
    await waitFor(() => errors.length === 1, 1_000, 'the failed give-back reported');
    expect(released).toBe(1);
    expect(errors).toEqual([releaseFailed]);
  });
});

/** Lets every poll started so far finish (the Graph stand-in and the memory feed answer in promise callbacks). */
const settled = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

interface StubGraph {
  client: WatcherOptions['graph'];
  set(session: GraphRestoreSession): void;
  /** Fails every read of the session with `error` (undefined: answers again). */
  fail(id: string, error: Error | undefined): void;
  /** The ticks at which the session was read. */
  pollTicks(id: string): number[];
}

/** Graph as the pollers see it, answering at once from a map: no HTTP, so fake timers alone drive the watcher. */
function stubGraph(currentTick: () => number): StubGraph {
  const sessions = new Map<string, GraphRestoreSession>();
  const failures = new Map<string, Error>();
  const reads = new Map<string, number[]>();
  const graph: WatcherOptions['graph'] = {
    async getSession(id) {
      const key = id.toLowerCase();
      reads.set(key, [...(reads.get(key) ?? []), currentTick()]);
      const failure = failures.get(key);
      if (failure) throw failure;
      const session = sessions.get(key);
      if (!session) throw new GraphRequestError({ status: 404, code: 'NotFound', message: 'no such session' });
      return { ...session };
    },
    listSiteArtifacts: () => Promise.reject(new Error('not a SharePoint session')),
    listMailboxArtifacts: () => Promise.reject(new Error('not an Exchange session')),
    listDriveArtifacts: () => Promise.reject(new Error('not a OneDrive session')),
  };
  return {
    client: graph,
    set: (session) => void sessions.set(session.id.toLowerCase(), session),
    fail: (id, error) => void (error ? failures.set(id, error) : failures.delete(id)),
    pollTicks: (id) => reads.get(id.toLowerCase()) ?? [],
  };
}

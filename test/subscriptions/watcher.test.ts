import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SEED_SESSION_IDS } from '@restore-session-gateway/graph-emulator';
import type { GraphClient } from '../../src/graph/client.js';
import { createMemoryChangeFeed, type ChangeFeed } from '../../src/subscriptions/change-feed.js';
import { createLocalLeases, type Lease, type Leases } from '../../src/subscriptions/lease.js';
import { createMemoryPubSub } from '../../src/subscriptions/pubsub.js';
import type { LiveMessage } from '../../src/subscriptions/snapshot.js';
import { createWatcher, type Watcher, type WatcherOptions } from '../../src/subscriptions/watcher.js';
import { startGraphFixture, unknownGuid, type GraphFixture } from '../graph/support.js';
import { activate, createDraft, RESTORES, SESSIONS_PATH, sessionPolls, sleep, waitFor } from './support.js';

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
function startWatcher(overrides: Partial<WatcherOptions> = {}, client: GraphClient = f.client): Watcher {
  feed = createMemoryChangeFeed();
  watcher = createWatcher({ graph: client, feed, leases: createLocalLeases(), pollIntervalMs: TICK, onPollError: (_id, e) => errors.push(e), ...overrides });
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

  it('stops a poller when its last watcher leaves, and not before', async () => {
    const w = startWatcher();
    const a = w.watch(SEED_SESSION_IDS.active);
    const b = w.watch(SEED_SESSION_IDS.active);
    await waitFor(() => sessionPolls(f.t, SEED_SESSION_IDS.active) >= 2, 2_000, 'polls');
    a.release();
    a.release();
    const before = sessionPolls(f.t, SEED_SESSION_IDS.active);
    await waitFor(() => sessionPolls(f.t, SEED_SESSION_IDS.active) >= before + 2, 2_000, 'polls with one watcher left');
    b.release();
    await waitFor(() => w.stats().watched === 0, 2_000, 'the poller to stop');
    const stopped = sessionPolls(f.t, SEED_SESSION_IDS.active);
    await sleep(TICK * 5);
    expect(sessionPolls(f.t, SEED_SESSION_IDS.active)).toBe(stopped);
  });
});

describe('adaptive pace', () => {
  it('polls a running session every tick, publishes each change, and stops at its terminal status', async () => {
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
    expect(got.map((m) => (m.kind === 'session' ? `${m.session.status}:${m.session.restoreSessionArtifactCount?.completed}` : m.kind))).toEqual([
      'activating:0',
      'active:0',
      'active:1',
      'active:2',
      'completed:3',
    ]);
    await waitFor(() => w.stats().polling === 0, 1_000, 'polling to stop');
    const polls = sessionPolls(f.t, id);
    await sleep(TICK * 5);
    expect(sessionPolls(f.t, id)).toBe(polls);
    h.release();
  });

  it('polls a draft every few ticks, and at the running pace once a mutation published its activation', async () => {
    const id = await createDraft(f.t, RESTORES.completed);
    f.resetEmulatorSide();
    const w = startWatcher({ draftEvery: 8 });
    const h = w.watch(id);
    await sleep(TICK * 20);
    const draftPolls = sessionPolls(f.t, id);
    expect(draftPolls).toBeGreaterThanOrEqual(1);
    expect(draftPolls).toBeLessThanOrEqual(4);

    const res = await f.t.graph<{ id: string; status: string }>('POST', `/${SESSIONS_PATH}/${id}/activate`);
    await w.publishSession({ ...res.body, id });
    const since = f.t.emu.journal.lastSeq;
    await sleep(TICK * 10);
    expect(sessionPolls(f.t, id, since)).toBeGreaterThanOrEqual(5);
    h.release();
  });

  it('polls a touched session at the next tick instead of at its draft pace', async () => {
    const id = await createDraft(f.t, RESTORES.completed);
    const w = startWatcher({ draftEvery: 1_000 });
    const h = w.watch(id);
    await waitFor(() => sessionPolls(f.t, id) === 1, 2_000, 'the first poll');
    await sleep(TICK * 4);
    expect(sessionPolls(f.t, id)).toBe(1);
    await w.touch(id);
    await waitFor(() => sessionPolls(f.t, id) === 2, TICK * 6, 'the touched poll');
    h.release();
  });

  it("waits as long as Graph's Retry-After says when throttled, then resumes", async () => {
    const client = f.makeClient({ retry: { maxRetries: 0 } });
    const w = startWatcher({}, client);
    f.t.emu.faults.set({ seed: 1, rules: [{ path: `${SESSIONS_PATH}/${SEED_SESSION_IDS.active}`, scope: 'any', status: 429, retryAfter: 0.3 }] });
    const h = w.watch(SEED_SESSION_IDS.active);
    await sleep(1_000);
    const throttled = sessionPolls(f.t, SEED_SESSION_IDS.active);
    // 40 ticks went by; Retry-After allows one poll every 300 ms.
    expect(throttled).toBeGreaterThanOrEqual(2);
    expect(throttled).toBeLessThanOrEqual(5);
    expect(errors.length).toBe(throttled);
    f.t.emu.faults.clear();
    await sleep(400);
    const since = f.t.emu.journal.lastSeq;
    await sleep(TICK * 8);
    expect(sessionPolls(f.t, SEED_SESSION_IDS.active, since)).toBeGreaterThanOrEqual(4);
    h.release();
  });

  it('backs off on other failures without hammering Graph', async () => {
    const client = f.makeClient({ retry: { maxRetries: 0 } });
    const w = startWatcher({ maxBackoffTicks: 8 }, client);
    f.t.emu.faults.set({ seed: 1, rules: [{ path: `${SESSIONS_PATH}/${SEED_SESSION_IDS.active}`, scope: 'any', status: 500 }] });
    const h = w.watch(SEED_SESSION_IDS.active);
    await sleep(TICK * 40);
    // 1 + 2 + 4 + 8 + 8 … ticks apart: a handful of polls in 40 ticks, not 40.
    expect(sessionPolls(f.t, SEED_SESSION_IDS.active)).toBeLessThanOrEqual(8);
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
});

describe('artifacts', () => {
  const artifactReads = (id: string): number =>
    f.graphEntries().filter((e) => (e.kind === 'request' || e.kind === 'batchItem') && e.path.toLowerCase().startsWith(`solutions/backuprestore/sharepointrestoresessions/${id}/siterestoreartifacts`)).length;

  it('reads artifacts only for artifact subscribers, while the session runs, and commits them before the terminal session', async () => {
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
      await sleep(TICK * 3);
    }
    await waitFor(() => got.some((m) => m.kind === 'session' && m.session.status === 'completedWithError'), 2_000, 'the end');
    const trail = got.map((m) => (m.kind === 'artifact' ? `${m.artifact.id.slice(-4)}:${m.artifact.status}` : m.kind === 'session' ? `session:${m.session.status}` : m.kind));
    // The last message is the session's end, after every artifact reached its final status.
    expect(trail.at(-1)).toBe('session:completedWithError');
    const finals = got.filter((m) => m.kind === 'artifact' && ['succeeded', 'failed'].includes(m.artifact.status));
    expect(finals).toHaveLength(3);
    expect(got.indexOf(finals.at(-1)!)).toBeLessThan(got.length - 1);
    const failed = finals.find((m) => m.kind === 'artifact' && m.artifact.status === 'failed');
    expect(failed?.kind === 'artifact' && failed.artifact.error?.code).toBe('ArtifactCannotBeRestored');

    await waitFor(() => w.stats().polling === 0, 1_000, 'polling to stop');
    const reads = artifactReads(id);
    await sleep(TICK * 4);
    expect(artifactReads(id)).toBe(reads);
    sessionOnly.release();
    withArtifacts.release();
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
    const notPolled = { getSession: () => Promise.reject(new Error('not polled')), listSiteArtifacts: () => Promise.reject(new Error('not polled')) };
    const w = startWatcher({ leases }, notPolled as unknown as GraphClient);
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

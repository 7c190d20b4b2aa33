import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SEED_SESSION_IDS } from '@restore-session-gateway/graph-emulator';
import type { GraphClient } from '../../src/graph/client.js';
import type { GraphRestoreSession, SessionScopedRestoreArtifact } from '../../src/graph/dto.js';
import { createMemoryChangeFeed, type ChangeFeed } from '../../src/subscriptions/change-feed.js';
import { createLocalLeases } from '../../src/subscriptions/lease.js';
import { LiveBackendUnavailableError } from '../../src/subscriptions/live-backend.js';
import {
  assembleLiveStatus,
  createLiveStatus,
  isLiveFailure,
  type CurrentArtifacts,
  type LiveEvent,
  type LiveStatus,
} from '../../src/subscriptions/live-status.js';
import { createRedisChangeFeed } from '../../src/subscriptions/redis-change-feed.js';
import { createRedisConnections } from '../../src/subscriptions/redis-connection.js';
import { createRedisLeases } from '../../src/subscriptions/redis-lease.js';
import { createWatcher } from '../../src/subscriptions/watcher.js';
import { startGraphFixture, unknownGuid, type GraphFixture } from '../graph/support.js';
import { createFamilyDraft, withOneFailure } from './family-support.js';
import {
  activate,
  collect,
  connectTestRedis,
  createDraft,
  deletePrefix,
  describeRedis,
  REDIS_URL,
  RESTORES,
  SESSIONS_PATH,
  sessionPolls,
  sleep,
  uniquePrefix,
  waitFor,
  type Collector,
} from './support.js';

// Live status end to end below GraphQL: streams fed by the shared poller, against the in-process
// emulator (manual clock: the restore moves only when the test advances it), on one instance in
// memory and on two instances over Redis.

const TICK = 20;
let f: GraphFixture;
beforeAll(async () => {
  f = await startGraphFixture();
  await f.tokens.getGraphToken();
});
afterAll(async () => {
  await f?.close();
});
beforeEach(() => {
  f.t.emu.reset();
  f.resetEmulatorSide();
});

const lives: LiveStatus[] = [];
afterEach(async () => {
  for (const live of lives.splice(0)) await live.close();
});

const summary = (s: LiveEvent<GraphRestoreSession>): string => {
  if (isLiveFailure(s)) return `error:${s.liveFailure}`;
  const c = s.restoreSessionArtifactCount;
  return `${s.status}:${c?.completed ?? 0}:${c?.failed ?? 0}`;
};
const artifactSummary = (a: LiveEvent<SessionScopedRestoreArtifact>): string => (isLiveFailure(a) ? `error:${a.liveFailure}` : a.status);

/** The restores' expected trails: ordered changes, then the stream completes. */
const EXPECTED = {
  completed: ['draft:0:0', 'activating:0:0', 'active:0:0', 'active:1:0', 'active:2:0', 'completed:3:0'],
  completedWithError: ['draft:0:0', 'activating:0:0', 'active:0:0', 'active:1:0', 'active:1:1', 'completedWithError:2:1'],
  failed: ['draft:0:0', 'activating:0:0', 'active:0:0', 'active:0:1', 'failed:0:2'],
};
/** Virtual-time steps after activation: scheduled at 1 s, artifacts end at 7, 8.5 and 10 s. */
const STEPS = [1_000, 6_000, 1_500, 1_500];

function memoryLive(options: { pollIntervalMs?: number; bufferSize?: number; graph?: GraphClient } = {}): LiveStatus {
  const live = createLiveStatus({
    graph: options.graph ?? f.client,
    pollIntervalMs: options.pollIntervalMs ?? TICK,
    leaseTtlMs: 1_000,
    bufferSize: options.bufferSize ?? 100,
  });
  lives.push(live);
  return live;
}

/** Waits until every session polled here was polled twice more, so whatever the clock step changed was seen. */
async function settle(...instances: LiveStatus[]): Promise<void> {
  const before = instances.map((l) => l.stats().polls + 2 * l.stats().polling);
  await waitFor(
    () => instances.every((l, i) => l.stats().polls >= before[i]! || l.stats().polling === 0),
    3_000,
    'two more polls of each session',
  );
}

const readAsApp = (id: string) => () => f.client.getSession(id);

describe('live status on one instance (memory)', () => {
  it('streams each restore from its current state through every change to its end, then completes', async () => {
    const live = memoryLive();
    const ids = {
      completed: await createDraft(f.t, RESTORES.completed),
      completedWithError: await createDraft(f.t, RESTORES.completedWithError),
      failed: await createDraft(f.t, RESTORES.failed),
    };
    const streams = Object.fromEntries(
      await Promise.all(
        Object.entries(ids).map(async ([name, id]) => [name, collect(await live.sessionChanges(id, readAsApp(id)))] as const),
      ),
    ) as Record<keyof typeof ids, Collector<LiveEvent<GraphRestoreSession>>>;
    for (const s of Object.values(streams)) await s.next(1);
    for (const id of Object.values(ids)) await activate(f.t, id);
    await waitFor(() => Object.values(streams).every((s) => s.values.length >= 2), 3_000, 'the activations');
    for (const step of STEPS) {
      f.t.emu.advanceClock(step);
      await settle(live);
    }
    for (const [name, s] of Object.entries(streams)) {
      await s.ended();
      expect(s.values.map(summary), name).toEqual(EXPECTED[name as keyof typeof EXPECTED]);
      expect(s.error).toBeUndefined();
    }
    await waitFor(() => live.stats().watched === 0, 1_000, 'the pollers to stop');
    expect(live.stats().subscribers).toBe(0);
  });

  /** Follows a draft's artifacts from before its activation to the end; each artifact's statuses, in order. */
  async function followArtifacts(
    id: string,
    current: () => Promise<CurrentArtifacts>,
  ): Promise<{ events: SessionScopedRestoreArtifact[]; statuses: string[][] }> {
    const live = memoryLive();
    const artifacts = collect(await live.artifactChanges(id, current));
    await activate(f.t, id);
    await settle(live);
    await settle(live);
    for (let t = 0; t < 10_000; t += 500) {
      f.t.emu.advanceClock(500);
      await settle(live);
    }
    await artifacts.ended();
    const byArtifact = new Map<string, string[]>();
    const events: SessionScopedRestoreArtifact[] = [];
    for (const a of artifacts.values) {
      if (isLiveFailure(a)) throw new Error('unexpected failure');
      events.push(a);
      byArtifact.set(a.id, [...(byArtifact.get(a.id) ?? []), a.status]);
    }
    return { events, statuses: [...byArtifact.values()] };
  }

  const ONE_FAILED = [
    ['scheduling', 'scheduled', 'inProgress', 'succeeded'],
    ['scheduling', 'scheduled', 'inProgress', 'failed'],
    ['scheduling', 'scheduled', 'inProgress', 'succeeded'],
  ];

  it('streams each artifact change after the baseline, and completes after the session ends', async () => {
    const id = await createDraft(f.t, RESTORES.completedWithError);
    const { events, statuses } = await followArtifacts(id, async () => ({
      session: await f.client.getSession(id),
      artifacts: (await f.client.listSiteArtifacts(id, { first: 100 })).nodes,
    }));
    expect(statuses).toEqual(ONE_FAILED);
    expect(events.map(artifactSummary).filter((s) => s === 'failed')).toHaveLength(1);
  });

  it('streams the artifacts of a OneDrive session as the poller reads its family, each with its family marker', async () => {
    const id = await createFamilyDraft(f.t, 'oneDrive', withOneFailure('oneDrive'));
    const { events, statuses } = await followArtifacts(id, async () => ({
      session: await f.client.getSession(id),
      artifacts: (await f.client.listDriveArtifacts(id, { first: 100 })).nodes,
    }));
    expect(events.every((a) => a.restoreArtifactFamily === 'drive')).toBe(true);
    expect(statuses).toEqual(ONE_FAILED);
  });

  it('ends a stream with NOT_FOUND when the session is deleted', async () => {
    const live = memoryLive();
    const id = await createDraft(f.t, RESTORES.completed);
    const s = collect(await live.sessionChanges(id, readAsApp(id)));
    await s.next(1);
    expect((await f.t.graph('DELETE', `/${SESSIONS_PATH}/${id}`)).status).toBe(204);
    await s.ended();
    expect(s.values.map(summary)).toEqual(['draft:0:0', 'error:NOT_FOUND']);
  });

  it("rejects when the subscriber's own read fails, leaving nothing behind", async () => {
    const live = memoryLive();
    await expect(live.sessionChanges(unknownGuid(7), readAsApp(unknownGuid(7)))).rejects.toMatchObject({ status: 404 });
    expect(live.stats()).toMatchObject({ watched: 0, subscribers: 0 });
  });

  it('answers a finished session with its state and completes at once, without polling', async () => {
    const live = memoryLive();
    const s = collect(await live.sessionChanges(SEED_SESSION_IDS.failed, readAsApp(SEED_SESSION_IDS.failed)));
    await s.ended();
    expect(s.values.map(summary)).toEqual(['failed:0:2']);
    expect(live.stats()).toMatchObject({ watched: 0, subscribers: 0, polls: 0 });
  });

  it("delivers a mutation's published state at once, not at the next poll", async () => {
    const live = memoryLive({ pollIntervalMs: 60_000 });
    const id = await createDraft(f.t, RESTORES.completed);
    const s = collect(await live.sessionChanges(id, readAsApp(id)));
    await s.next(1);
    const res = await f.t.graph<GraphRestoreSession>('POST', `/${SESSIONS_PATH}/${id}/activate`);
    const before = sessionPolls(f.t, id);
    await live.publishSession({ ...res.body, id });
    await s.next(2, 500);
    expect(s.values.map(summary)).toEqual(['draft:0:0', 'activating:0:0']);
    expect(sessionPolls(f.t, id)).toBe(before);
  });

  it('ends a stream with NOT_FOUND at once when a mutation published the deletion', async () => {
    const live = memoryLive({ pollIntervalMs: 60_000 });
    const id = await createDraft(f.t, RESTORES.completed);
    const s = collect(await live.sessionChanges(id, readAsApp(id)));
    await s.next(1);
    await live.publishSessionDeleted(id.toUpperCase());
    await s.ended(500);
    expect(s.values.map(summary)).toEqual(['draft:0:0', 'error:NOT_FOUND']);
  });

  it("never fails a mutation's publish: the failure is reported instead", async () => {
    const failed = new Error('feed unreachable');
    const inner = createMemoryChangeFeed();
    const feed: ChangeFeed = {
      ...inner,
      publishSession: () => Promise.reject(failed),
      publishSessionDeleted: () => Promise.reject(failed),
      touchSession: () => Promise.reject(failed),
    };
    const reported: Array<[string, unknown]> = [];
    const watcher = createWatcher({ graph: f.client, feed: inner, leases: createLocalLeases(), pollIntervalMs: 60_000 });
    const live = assembleLiveStatus({ feed, watcher, bufferSize: 10, onPublishError: (id, err) => reported.push([id, err]) });
    lives.push(live);
    await live.publishSession({ id: 'S-1', status: 'active' });
    await live.publishSessionDeleted('S-2');
    await live.touchSession('S-3');
    expect(reported).toEqual([
      ['S-1', failed],
      ['S-2', failed],
      ['S-3', failed],
    ]);
  });

  it('drops a subscriber that does not keep up, and lets go of it', async () => {
    const live = memoryLive({ bufferSize: 3, pollIntervalMs: 60_000 });
    const id = await createDraft(f.t, RESTORES.completed);
    const dropped: unknown[] = [];
    const stalled = await live.sessionChanges(id, readAsApp(id), { onOverflow: (e) => dropped.push(e) });
    const base = await f.client.getSession(id);
    for (let completed = 0; completed <= 3; completed++) {
      await live.publishSession({
        ...base,
        status: 'active',
        restoreSessionArtifactCount: { total: 3, inProgress: 3 - completed, completed, failed: 0 },
      });
    }
    expect(dropped).toHaveLength(1);
    expect(live.stats().subscribers).toBe(0);
    await waitFor(() => live.stats().watched === 0, 1_000, 'the poller to stop');
    // What it had consumed before the drop is gone too; the next read reports the drop.
    await expect(stalled.next()).rejects.toThrow(/did not keep up/);
  });

  it('reports a stream that cannot leave the feed when it ends, whoever ends it', async () => {
    const leaveFailed = new Error('feed unreachable');
    const inner = createMemoryChangeFeed();
    // The feed as the streams see it: leaving it does leave, then fails (a backend gone away).
    const feed: ChangeFeed = {
      ...inner,
      async subscribe(sessionId, handler) {
        const unsubscribe = await inner.subscribe(sessionId, handler);
        return async () => {
          await unsubscribe();
          throw leaveFailed;
        };
      },
    };
    const reported: Array<[string, unknown]> = [];
    const watcher = createWatcher({ graph: f.client, feed: inner, leases: createLocalLeases(), pollIntervalMs: 60_000 });
    const live = assembleLiveStatus({ feed, watcher, bufferSize: 10, onError: (id, err) => reported.push([id, err]) });
    lives.push(live);

    // Already finished: the stream ends (and leaves the feed) before it is handed out.
    const finished = collect(await live.sessionChanges(SEED_SESSION_IDS.failed, readAsApp(SEED_SESSION_IDS.failed)));
    await finished.ended();
    await waitFor(() => reported.length === 1, 1_000, 'the first failure reported');
    // Running: the consumer goes away.
    const running = await live.sessionChanges(SEED_SESSION_IDS.active, readAsApp(SEED_SESSION_IDS.active));
    await running.next();
    await running.return?.();
    await waitFor(() => reported.length === 2, 1_000, 'the second failure reported');
    expect(reported).toEqual([
      [SEED_SESSION_IDS.failed, leaveFailed],
      [SEED_SESSION_IDS.active, leaveFailed],
    ]);
    expect(live.stats()).toMatchObject({ subscribers: 0, watched: 0 });
  });
});

describe('live status when its backend cannot deliver', () => {
  /** A backend whose availability the test switches, as the Redis connections report theirs. */
  function switchableBackend() {
    const listeners: Array<(available: boolean) => void> = [];
    let up = true;
    return {
      backend: {
        check: async () => undefined,
        waitUntilReady: async () => true,
        close: async () => undefined,
        available: () => up,
        onAvailabilityChange: (listener: (available: boolean) => void) => void listeners.push(listener),
      },
      set(available: boolean) {
        up = available;
        for (const listener of listeners) listener(available);
      },
    };
  }

  it('stalls running streams, refuses new ones, and resumes each with the current state', async () => {
    const feed = createMemoryChangeFeed();
    const watcher = createWatcher({ graph: f.client, feed, leases: createLocalLeases(), pollIntervalMs: TICK });
    const { backend, set } = switchableBackend();
    const live = assembleLiveStatus({ feed, watcher, bufferSize: 10, backend });
    lives.push(live);
    const id = await createDraft(f.t, RESTORES.completed);
    await activate(f.t, id);
    let reads = 0;
    const session = collect(
      await live.sessionChanges(id, () => {
        reads++;
        return f.client.getSession(id);
      }),
    );
    await session.next(1);

    set(false);
    await session.next(2);
    expect(session.values[1]).toMatchObject({ liveFailure: 'UPSTREAM_UNAVAILABLE', continues: true });
    await expect(live.sessionChanges(id, readAsApp(id))).rejects.toThrow(LiveBackendUnavailableError);
    await expect(live.artifactChanges(id, async () => ({ session: await f.client.getSession(id), artifacts: [] }))).rejects.toThrow(
      LiveBackendUnavailableError,
    );

    // Unchanged meanwhile, the session is still sent once the backend is back: that is the subscriber's sign.
    set(true);
    await session.next(3);
    expect(reads).toBe(2);
    expect(summary(session.values[2]!)).toBe(summary(session.values[0]!));
    expect(session.done).toBe(false);
  });
});

describeRedis('live status across instances (REDIS_URL)', () => {
  const LEASE_TTL = 600;
  let admin: Redis;
  let prefix: string;
  beforeAll(async () => {
    admin = await connectTestRedis();
  });
  beforeEach(() => {
    prefix = uniquePrefix();
  });
  afterEach(async () => {
    for (const live of lives.splice(0)) await live.close();
    await deletePrefix(admin, prefix);
  });
  afterAll(() => {
    admin?.disconnect();
  });

  async function redisLive(graph: GraphClient = f.makeClient()): Promise<LiveStatus> {
    const live = createLiveStatus({
      graph,
      pollIntervalMs: TICK,
      leaseTtlMs: LEASE_TTL,
      bufferSize: 100,
      redis: { url: REDIS_URL!, prefix },
    });
    lives.push(live);
    expect(await live.waitUntilReady(3_000)).toBe(true);
    return live;
  }
  const polling = (...instances: LiveStatus[]): number => instances.reduce((n, l) => n + l.stats().polling, 0);

  it('polls each session once across two instances, and every subscriber on either sees every change exactly once', async () => {
    const [a, b] = [await redisLive(), await redisLive()];
    await Promise.all([a.check(), b.check()]);
    const ids = { completed: await createDraft(f.t, RESTORES.completed), failed: await createDraft(f.t, RESTORES.failed) };
    const streams: Array<{ name: keyof typeof ids; c: Collector<LiveEvent<GraphRestoreSession>> }> = [];
    for (const live of [a, b, a, b]) {
      for (const [name, id] of Object.entries(ids) as Array<[keyof typeof ids, string]>) {
        streams.push({ name, c: collect(await live.sessionChanges(id, readAsApp(id))) });
      }
    }
    await waitFor(() => polling(a, b) === 2, 3_000, 'one poller per session');
    for (const id of Object.values(ids)) await activate(f.t, id);
    await waitFor(() => streams.every((s) => s.c.values.length >= 2), 3_000, 'the activations');

    f.t.emu.advanceClock(STEPS[0]!);
    await settle(a, b);
    // Running: count the polls of one session over a window of ticks.
    const since = f.t.emu.journal.lastSeq;
    const started = Date.now();
    await sleep(TICK * 25);
    const window = Date.now() - started;
    const polls = sessionPolls(f.t, ids.completed, since);
    expect(polls).toBeGreaterThanOrEqual(Math.floor(window / TICK / 3));
    expect(polls).toBeLessThanOrEqual(Math.ceil(window / TICK) + 2);
    expect(polling(a, b)).toBe(2);

    for (const step of STEPS.slice(1)) {
      f.t.emu.advanceClock(step);
      await settle(a, b);
    }
    for (const { name, c } of streams) {
      await c.ended();
      expect(c.values.map(summary), name).toEqual(EXPECTED[name]);
    }
  });

  it('hands a session over when its holder stops, with no final status lost', async () => {
    const [a, b] = [await redisLive(), await redisLive()];
    const id = await createDraft(f.t, RESTORES.completed);
    await activate(f.t, id);
    const onA = collect(await a.sessionChanges(id, readAsApp(id)));
    await waitFor(() => a.stats().polling === 1, 3_000, 'a to poll');
    const onB = collect(await b.sessionChanges(id, readAsApp(id)));
    f.t.emu.advanceClock(1_000);
    await onB.next(2);
    expect(b.stats().polling).toBe(0);

    const stopped = Date.now();
    await a.close();
    await onA.ended();
    await waitFor(() => b.stats().polling === 1, LEASE_TTL, 'b to take over');
    // Released, not lapsed: b took over well within a lease TTL.
    expect(Date.now() - stopped).toBeLessThan(LEASE_TTL);
    for (const step of STEPS.slice(1)) {
      f.t.emu.advanceClock(step);
      await settle(b);
    }
    await onB.ended();
    expect(onB.values.map(summary)).toEqual(EXPECTED.completed.slice(1));
  });

  it('takes over from a holder that died without a word within about a lease TTL, and publishes the status it missed', async () => {
    // Instance a is built from its parts, so the test can cut it off the network like a crash would.
    const conns = createRedisConnections(REDIS_URL!);
    expect(await conns.waitUntilReady(3_000)).toBe(true);
    const graphA = f.makeClient();
    const feed = createRedisChangeFeed({ redis: conns, prefix });
    const leases = createRedisLeases({ redis: conns.command, prefix, ttlMs: LEASE_TTL });
    const watcher = createWatcher({ graph: graphA, feed, leases, pollIntervalMs: TICK, leaseRetryMs: LEASE_TTL / 3 });
    const a = assembleLiveStatus({ feed, watcher, bufferSize: 100, backend: conns });
    lives.push(a);
    const b = await redisLive();

    const id = await createDraft(f.t, RESTORES.completedWithError);
    await activate(f.t, id);
    await a.sessionChanges(id, readAsApp(id));
    await waitFor(() => a.stats().polling === 1, 3_000, 'a to poll');
    const onB = collect(await b.sessionChanges(id, readAsApp(id)));
    f.t.emu.advanceClock(1_000);
    await onB.next(2);

    // a dies: cut off from Redis first (so nothing it does next can reach the others), then it stops
    // polling. Its lease is never released; the restore ends while nobody polls it.
    conns.command.disconnect();
    conns.subscriber.disconnect();
    await watcher.close();
    const died = Date.now();
    f.t.emu.advanceClock(9_000);
    await onB.ended(LEASE_TTL * 4);
    const tookOver = Date.now() - died;
    expect(tookOver).toBeLessThan(LEASE_TTL * 2);
    // b subscribed while the session was activating; it missed nothing that came after.
    expect(onB.values.map(summary)).toEqual(['activating:0:0', 'active:0:0', 'completedWithError:2:1']);
  });
});

import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { GraphRestoreSession, SessionScopedRestoreArtifact, SessionScopedSiteRestoreArtifact } from '../../src/graph/dto.js';
import { createMemoryChangeFeed, type ChangeFeed } from '../../src/subscriptions/change-feed.js';
import { createLocalLeases, type Leases } from '../../src/subscriptions/lease.js';
import { createMemoryPubSub } from '../../src/subscriptions/pubsub.js';
import { createRedisChangeFeed, recordKey } from '../../src/subscriptions/redis-change-feed.js';
import { createRedisConnections, type RedisConnections } from '../../src/subscriptions/redis-connection.js';
import { createRedisLeases } from '../../src/subscriptions/redis-lease.js';
import type { LiveMessage } from '../../src/subscriptions/snapshot.js';
import { connectTestRedis, deletePrefix, describeRedis, REDIS_URL, uniquePrefix, waitFor } from './support.js';

const session = (id: string, status: string, completed = 0, total = 2): GraphRestoreSession => ({
  id,
  status,
  restoreSessionArtifactCount: { total, inProgress: total - completed, completed, failed: 0 },
});
const artifact = (sessionId: string, id: string, status: string): SessionScopedSiteRestoreArtifact => ({
  id,
  restoreSessionId: sessionId,
  status,
  destinationType: 'inPlace',
});
const describeMessage = (m: LiveMessage): string =>
  m.kind === 'session'
    ? `session:${m.session.status}:${m.session.restoreSessionArtifactCount?.completed}`
    : m.kind === 'artifact'
      ? `artifact:${m.artifact.id}:${m.artifact.status}`
      : m.kind;

interface Backend {
  /** Two instances' views of the same feed (the same one in memory). */
  feeds: [ChangeFeed, ChangeFeed];
  leases: [Leases, Leases];
}

/** The contract every change feed keeps; run against memory and against Redis. */
function changeFeedContract(
  name: string,
  describeIt: (name: string, fn: () => void) => void,
  make: () => Promise<Backend>,
  afterEach?: () => Promise<void>,
): void {
  describeIt(name, () => {
    let b: Backend;
    beforeAll(async () => {
      b = await make();
    });
    afterAll(async () => {
      for (const f of b?.feeds ?? []) await f.close();
      for (const l of b?.leases ?? []) await l.close();
      await afterEach?.();
    });

    it('publishes a session only when its status or counts are news, never going back', async () => {
      const [one, two] = b.feeds;
      const got: string[] = [];
      const off = await two.subscribe('S-1', (m) => got.push(describeMessage(m)));
      expect(await one.publishSession(session('s-1', 'activating'))).toBe('published');
      expect(await one.publishSession(session('s-1', 'activating'))).toBe('unchanged');
      expect(await one.publishSession({ ...session('s-1', 'activating'), lastModifiedDateTime: '2025-06-02T09:00:01Z' })).toBe('unchanged');
      expect(await one.publishSession(session('s-1', 'active', 1))).toBe('published');
      // An older snapshot (a poll that raced a newer one) is not news.
      expect(await two.publishSession(session('s-1', 'activating'))).toBe('unchanged');
      expect(await two.publishSession(session('s-1', 'completed', 2))).toBe('published');
      await waitFor(() => got.length === 3, 3_000, 'three messages');
      expect(got).toEqual(['session:activating:0', 'session:active:1', 'session:completed:2']);
      await off();
    });

    it('publishes each artifact whose status is news, in order, and reports deletion', async () => {
      const [one, two] = b.feeds;
      const got: string[] = [];
      const off = await two.subscribe('s-2', (m) => got.push(describeMessage(m)));
      expect(await one.publishArtifacts('s-2', [artifact('s-2', 'a', 'scheduling'), artifact('s-2', 'b', 'scheduling')])).toBe(2);
      expect(await one.publishArtifacts('s-2', [artifact('s-2', 'a', 'inProgress'), artifact('s-2', 'b', 'scheduling')])).toBe(1);
      expect(await one.publishArtifacts('s-2', [artifact('s-2', 'A', 'succeeded'), artifact('s-2', 'b', 'failed')])).toBe(2);
      expect(await one.publishSessionDeleted('s-2')).toBe('published');
      expect(await one.publishSessionDeleted('s-2')).toBe('unchanged');
      await waitFor(() => got.length === 6, 3_000, 'six messages');
      expect(got).toEqual([
        'artifact:a:scheduling',
        'artifact:b:scheduling',
        'artifact:a:inProgress',
        'artifact:A:succeeded',
        'artifact:b:failed',
        'gone',
      ]);
      await off();
    });

    it('keeps artifacts of different families apart, and each arrives with its family marker', async () => {
      const [one, two] = b.feeds;
      const got: LiveMessage[] = [];
      const off = await two.subscribe('s-6', (m) => got.push(m));
      const mailbox = (status: string): SessionScopedRestoreArtifact => ({
        ...artifact('s-6', 'x', status),
        restoreArtifactFamily: 'mailbox',
      });
      const drive = (status: string): SessionScopedRestoreArtifact => ({ ...artifact('s-6', 'X', status), restoreArtifactFamily: 'drive' });
      // The same id in three families: three artifacts, none taken for another's earlier state.
      expect(await one.publishArtifacts('s-6', [artifact('s-6', 'x', 'inProgress'), mailbox('scheduling'), drive('scheduling')])).toBe(3);
      expect(await one.publishArtifacts('s-6', [artifact('s-6', 'x', 'inProgress'), mailbox('scheduling'), drive('inProgress')])).toBe(1);
      // A site artifact whose id spells another family's key is still its own.
      expect(await one.publishArtifacts('s-6', [artifact('s-6', 'mailbox:x', 'scheduling')])).toBe(1);
      await waitFor(() => got.length === 5, 3_000, 'five messages');
      expect(
        got.map((m) =>
          m.kind === 'artifact' ? `${m.artifact.restoreArtifactFamily ?? 'site'}:${m.artifact.id}:${m.artifact.status}` : m.kind,
        ),
      ).toEqual(['site:x:inProgress', 'mailbox:x:scheduling', 'drive:X:scheduling', 'drive:X:inProgress', 'site:mailbox:x:scheduling']);
      await off();
    });

    it("refuses a poller's writes once its lease is gone (fencing)", async () => {
      const [one, two] = b.feeds;
      const off = await two.subscribe('s-3', () => undefined);
      const lease = await b.leases[0].tryAcquire('s-3');
      expect(lease).not.toBeNull();
      expect(await one.publishSession(session('s-3', 'active'), lease!)).toBe('published');
      await lease!.release();
      expect(await one.publishSession(session('s-3', 'completed', 2), lease!)).toBe('fenced');
      expect(await one.publishArtifacts('s-3', [artifact('s-3', 'a', 'succeeded')], lease!)).toBe('fenced');
      await off();
    });

    it('tells listeners when a lease is released', async () => {
      const [one, two] = b.feeds;
      const got: string[] = [];
      const off = await two.subscribe('s-4', (m) => got.push(describeMessage(m)));
      await one.announceReleased('s-4');
      await waitFor(() => got.length === 1, 3_000, 'released');
      expect(got).toEqual(['released']);
      await off();
    });

    it("asks a session's poller, wherever it runs, to read it now", async () => {
      const [one, two] = b.feeds;
      const got: string[] = [];
      const off = await two.subscribe('s-5', (m) => got.push(describeMessage(m)));
      await one.touchSession('s-5');
      await waitFor(() => got.length === 1, 3_000, 'touched');
      expect(got).toEqual(['touched']);
      await off();
    });
  });
}

changeFeedContract('createMemoryChangeFeed', describe, async () => {
  const feed = createMemoryChangeFeed();
  const leases = createLocalLeases();
  return { feeds: [feed, feed], leases: [leases, leases] };
});

describe('createMemoryChangeFeed publishing', () => {
  it('logs a publish that fails instead of leaving it unobserved, and still answers the publisher', async () => {
    const publishFailed = new Error('publish failed');
    const pubsub = { ...createMemoryPubSub<LiveMessage>(), publish: () => Promise.reject(publishFailed) };
    const feed = createMemoryChangeFeed(pubsub);
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const off = await feed.subscribe('s-p', () => undefined);
      expect(await feed.publishSession(session('s-p', 'active'))).toBe('published');
      await waitFor(() => logged.mock.calls.length === 1, 1_000, 'the failed publish logged');
      expect(logged.mock.calls[0]).toContain(publishFailed);
      await off();
    } finally {
      logged.mockRestore();
      await feed.close();
    }
  });
});

const prefix = uniquePrefix();
let admin: Redis | undefined;
const connections: RedisConnections[] = [];
changeFeedContract(
  'createRedisChangeFeed (REDIS_URL)',
  describeRedis,
  async () => {
    admin = await connectTestRedis();
    const make = async (): Promise<RedisConnections> => {
      const c = createRedisConnections(REDIS_URL!);
      connections.push(c);
      expect(await c.waitUntilReady(3_000)).toBe(true);
      return c;
    };
    const [c1, c2] = [await make(), await make()];
    return {
      feeds: [createRedisChangeFeed({ redis: c1, prefix }), createRedisChangeFeed({ redis: c2, prefix })],
      leases: [
        createRedisLeases({ redis: c1.command, prefix, ttlMs: 5_000 }),
        createRedisLeases({ redis: c2.command, prefix, ttlMs: 5_000 }),
      ],
    };
  },
  async () => {
    for (const c of connections) await c.close();
    if (admin) {
      await deletePrefix(admin, prefix);
      admin.disconnect();
    }
  },
);

describeRedis('createRedisChangeFeed resync (REDIS_URL)', () => {
  const resyncPrefix = uniquePrefix();
  let redisAdmin: Redis;
  const opened: RedisConnections[] = [];
  beforeAll(async () => {
    redisAdmin = await connectTestRedis();
  });
  afterAll(async () => {
    for (const c of opened) await c.close();
    await deletePrefix(redisAdmin, resyncPrefix);
    redisAdmin.disconnect();
  });

  it('re-reads the records after its subscriber connection dropped, so a change published meanwhile still arrives', async () => {
    const c1 = createRedisConnections(REDIS_URL!);
    const c2 = createRedisConnections(REDIS_URL!);
    opened.push(c1, c2);
    expect((await c1.waitUntilReady(3_000)) && (await c2.waitUntilReady(3_000))).toBe(true);
    const writer = createRedisChangeFeed({ redis: c1, prefix: resyncPrefix });
    const reader = createRedisChangeFeed({ redis: c2, prefix: resyncPrefix });
    const got: string[] = [];
    await reader.subscribe('s-r', (m) => got.push(describeMessage(m)));
    expect(await writer.publishSession(session('s-r', 'active'))).toBe('published');
    await waitFor(() => got.length === 1, 3_000, 'first message');

    // The reader's subscriber connection drops; the end is published while it is away.
    c2.subscriber.disconnect(false);
    await waitFor(() => c2.subscriber.status === 'end', 3_000, 'the drop');
    expect(await writer.publishArtifacts('s-r', [artifact('s-r', 'a', 'succeeded')])).toBe(1);
    expect(await writer.publishSession(session('s-r', 'completed', 2))).toBe('published');
    expect(await redisAdmin.hget(recordKey(resyncPrefix, 's-r'), 's')).toMatch(/\|COMPLETED\|/);
    await c2.subscriber.connect();
    await waitFor(() => got.includes('session:completed:2'), 5_000, 'the final status after the reconnect');
    // Artifacts first: they must arrive before the end of the session.
    expect(got.slice(1)).toEqual(['artifact:a:succeeded', 'session:completed:2']);
    await writer.close();
    await reader.close();
  });
});

import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { seedRestorePointId } from '@restore-session-gateway/graph-emulator';
import { useTestEmulator } from '@restore-session-gateway/graph-emulator/testing';
import type { Gateway } from '../../src/gateway.js';
import { createFamilyDraft, subscriberArtifactReads, withOneFailure } from '../subscriptions/family-support.js';
import {
  activate as activateInGraph,
  connectTestRedis,
  deletePrefix,
  describeRedis,
  RESTORES,
  SESSIONS_PATH,
  uniquePrefix,
  waitFor,
} from '../subscriptions/support.js';
import { dataOf, postGraphQL } from '../support/graphql.js';
import { gatewayConfig, startGatewayOn } from './harness.js';
import { subscribe, wsClient, type Stream, type TestWsClient } from './live-support.js';

// Two gateway instances sharing one emulator and one Redis (REDIS_URL; CI sets it): subscribers on
// both, one poller per session across both, and a clean handover when the poller's instance stops.

const TICK = 50;
const WATCH = `subscription ($id: ID!) { restoreSessionStatusChanged(id: $id) { id status progress { completed failed } } }`;
type SessionStream = Stream<{
  restoreSessionStatusChanged: { id: string; status: string; progress: { completed: number; failed: number } };
}>;
const trail = (s: SessionStream): string[] => s.values.map((v) => `${v.status}:${v.progress.completed}:${v.progress.failed}`);

describeRedis('subscriptions across two instances (REDIS_URL)', () => {
  const t = useTestEmulator();
  let admin: Redis;
  let prefix: string;
  let a: Gateway;
  let b: Gateway;
  const stopped = new Set<Gateway>();
  const clients: TestWsClient[] = [];

  beforeAll(async () => {
    admin = await connectTestRedis();
  });
  afterAll(() => {
    admin?.disconnect();
  });
  beforeEach(async () => {
    prefix = uniquePrefix();
    const config = gatewayConfig({
      REDIS_URL: process.env.REDIS_URL!,
      REDIS_KEY_PREFIX: prefix,
      POLL_INTERVAL_MS: String(TICK),
      LEASE_TTL_MS: '600',
    });
    [a, b] = [await startGatewayOn(t, config), await startGatewayOn(t, config)];
    for (const g of [a, b]) await g.live.check();
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) await c.dispose();
    for (const g of [a, b]) if (!stopped.has(g)) await g.stop();
    stopped.clear();
    await deletePrefix(admin, prefix);
  });

  async function on(g: Gateway): Promise<TestWsClient> {
    const c = wsClient(g.wsUrl, { authorization: `Bearer ${await t.apiToken('admin')}` });
    clients.push(c);
    return c;
  }
  async function gql<T>(g: Gateway, query: string, variables: Record<string, unknown>): Promise<T> {
    return dataOf(await postGraphQL<T>(g.url, { query, variables }, { authorization: `Bearer ${await t.apiToken('admin')}` }));
  }
  async function createSession(sites: readonly number[]): Promise<string> {
    const data = await gql<{ createSharePointRestoreSession: { restoreSession: { id: string } } }>(
      a,
      `mutation ($input: CreateSharePointRestoreSessionInput!) { createSharePointRestoreSession(input: $input) { restoreSession { id } } }`,
      { input: { siteRestoreArtifacts: sites.map((s) => ({ restorePointId: seedRestorePointId(s, 0), destinationType: 'IN_PLACE' })) } },
    );
    return data.createSharePointRestoreSession.restoreSession.id;
  }
  const activate = (g: Gateway, id: string): Promise<unknown> =>
    gql(g, `mutation ($id: ID!) { activateRestoreSession(id: $id) { restoreSession { id } } }`, { id });
  /** The pollers' reads of a session (app identity), as the emulator saw them. */
  const polls = (id: string, since = 0): number =>
    t.emu.journal
      .list(since)
      .filter(
        (e) =>
          e.method === 'GET' &&
          e.subject === t.emu.settings.AZURE_CLIENT_ID &&
          e.path.toLowerCase() === `${SESSIONS_PATH}/${id}`.toLowerCase(),
      ).length;
  const polling = (): number => a.live.stats().polling + b.live.stats().polling;

  it('polls each session once across both instances, and every subscriber on either sees every change exactly once', async () => {
    const ids = { completed: await createSession(RESTORES.completed), failed: await createSession(RESTORES.failed) };
    const streams: Array<{ name: keyof typeof ids; s: SessionStream }> = [];
    for (const g of [a, b, a, b]) {
      const c = await on(g);
      for (const name of Object.keys(ids) as Array<keyof typeof ids>) streams.push({ name, s: subscribe(c, WATCH, { id: ids[name] }) });
    }
    for (const { s } of streams) await s.next(1);
    await waitFor(() => polling() === 2, 3_000, 'one poller per session');
    // Activated through instance b: the change reaches a's subscribers through Redis at once.
    for (const id of Object.values(ids)) await activate(b, id);
    for (const { s } of streams) await s.next(2);

    t.emu.advanceClock(1_000);
    for (const { s } of streams) await s.next(3);
    // Running: per interval, one poll of each session across both instances, never one per instance. Counted over
    // the time ten polls of each took, so a loaded machine that stretches the intervals cannot fail it.
    const since = t.emu.journal.lastSeq;
    const started = Date.now();
    await waitFor(() => Object.values(ids).every((id) => polls(id, since) >= 10), TICK * 200, 'ten polls of each session');
    const intervals = (Date.now() - started) / TICK;
    for (const id of Object.values(ids)) expect(polls(id, since)).toBeLessThanOrEqual(Math.ceil(intervals) + 1);
    expect(polling()).toBe(2);

    for (const [step, n] of [
      [6_000, 4],
      [1_500, 5],
      [1_500, 6],
    ] as const) {
      t.emu.advanceClock(step);
      for (const { name, s } of streams) await s.next(name === 'failed' ? Math.min(n, 5) : n);
    }
    for (const { name, s } of streams) {
      await s.ended();
      expect(trail(s), name).toEqual(
        name === 'completed'
          ? ['DRAFT:0:0', 'ACTIVATING:0:0', 'ACTIVE:0:0', 'ACTIVE:1:0', 'ACTIVE:2:0', 'COMPLETED:3:0']
          : ['DRAFT:0:0', 'ACTIVATING:0:0', 'ACTIVE:0:0', 'ACTIVE:0:1', 'FAILED:0:2'],
      );
    }
  });

  it("delivers an Exchange restore's artifacts through Redis to subscribers on both, each still a MailboxRestoreArtifact", async () => {
    const FOLLOW = `subscription ($id: ID!) {
      restoreArtifactStatusChanged(restoreSessionId: $id) { __typename id status ... on MailboxRestoreArtifact { restoredFolderName } }
    }`;
    type Followed = Stream<{
      restoreArtifactStatusChanged: { __typename: string; id: string; status: string; restoredFolderName?: string | null };
    }>;
    const id = await createFamilyDraft(t, 'exchange', withOneFailure('exchange'));
    const followers: Followed[] = [];
    for (const g of [a, b]) {
      followers.push(subscribe(await on(g), FOLLOW, { id }));
      // One after the other, each with its own baseline read before the restore starts.
      await waitFor(() => subscriberArtifactReads(t, id) >= followers.length, 2_000, 'the baseline');
    }
    await waitFor(() => polling() === 1, 3_000, 'one poller across both');
    await activateInGraph(t, id);
    for (const f of followers) await f.next(3);
    for (let step = 0; step < 30 && !followers.every((f) => f.completed); step++) {
      t.emu.advanceClock(500);
      const before = a.live.stats().polls + b.live.stats().polls;
      await waitFor(
        () => a.live.stats().polls + b.live.stats().polls >= before + 2 || followers.every((f) => f.completed),
        2_000,
        'two polls',
      );
    }
    const byArtifact = (f: Followed): string[][] => {
      const trails = new Map<string, string[]>();
      for (const v of f.values) trails.set(v.id, [...(trails.get(v.id) ?? []), v.status]);
      return [...trails.values()];
    };
    for (const f of followers) {
      await f.ended();
      // Every delivery crossed Redis as JSON (the poller's own instance hears its channel too): the family marker survived it.
      expect(new Set(f.values.map((v) => v.__typename))).toEqual(new Set(['MailboxRestoreArtifact']));
      expect(byArtifact(f)).toEqual([
        ['SCHEDULING', 'SCHEDULED', 'IN_PROGRESS', 'SUCCEEDED'],
        ['SCHEDULING', 'SCHEDULED', 'IN_PROGRESS', 'FAILED'],
        ['SCHEDULING', 'SCHEDULED', 'IN_PROGRESS', 'SUCCEEDED'],
      ]);
      for (const v of f.values.filter((x) => x.status === 'SUCCEEDED')) expect(v.restoredFolderName).toEqual(expect.any(String));
    }
  });

  it('hands a session over when the instance polling it stops, and no subscriber misses the final status', async () => {
    const id = await createSession(RESTORES.completedWithError);
    await activate(a, id);
    const onA = subscribe(await on(a), WATCH, { id }) as SessionStream;
    await onA.next(1);
    await waitFor(() => a.live.stats().polling === 1, 3_000, 'a to poll');
    const onB = subscribe(await on(b), WATCH, { id }) as SessionStream;
    await onB.next(1);
    t.emu.advanceClock(1_000);
    await onB.next(2);
    expect(b.live.stats().polling).toBe(0);

    const stoppedAt = Date.now();
    await a.stop();
    stopped.add(a);
    await waitFor(() => b.live.stats().polling === 1, 2_000, 'b to take over');
    expect(Date.now() - stoppedAt).toBeLessThan(600);
    t.emu.advanceClock(9_000);
    await onB.ended();
    expect(trail(onB)).toEqual(['ACTIVATING:0:0', 'ACTIVE:0:0', 'COMPLETED_WITH_ERROR:2:1']);
  });
});

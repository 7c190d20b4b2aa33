import { describe, expect, it } from 'vitest';
import { defaultSeed, SEED_SESSION_IDS, seedRestorePointId, seedUnitId } from '@restore-session-gateway/graph-emulator';
import { graphCalls, upstreamRounds } from '@restore-session-gateway/graph-emulator/testing';
import { DASHBOARD_QUERY } from '../fixtures/dashboard-seed.js';
import { useTestGateway, startTestGateway } from './harness.js';

// The per-caller cache and the data already in hand, seen from outside: Graph calls and round trips counted on the
// emulator's journal. The seed is dated at now, because the gateway judges a restore point's expiry on its own wall
// clock, as it would against Graph.

const NOW = Date.now();
const gw = useTestGateway({ seed: defaultSeed(NOW) });

const DASHBOARD = DASHBOARD_QUERY;

/** Graph's service time on every call, so that requests sent side by side overlap in the journal (see batching.test.ts). */
function withGraphLatency(): void {
  gw.t.emu.faults.set({ seed: 1, rules: [{ path: 'solutions/backupRestore/**', scope: 'any', latency: { fixedMs: 300, jitterMs: 0 } }] });
}
const resource = (path: string): string => path.split('/')[2] ?? '';
const callsTo = (name: string): number => graphCalls(gw.graphEntries()).filter((c) => resource(c.path) === name).length;

describe('the seed dashboard', () => {
  it('loads in three round trips and refreshes from the session list and the running sessions only', async () => {
    withGraphLatency();
    const first = await gw.query(DASHBOARD);
    expect(first.errors).toBeUndefined();
    expect(upstreamRounds(gw.graphEntries())).toBe(3);
    expect(callsTo('protectionUnits')).toBe(0);

    gw.resetUpstream();
    withGraphLatency();
    const refresh = await gw.query(DASHBOARD);
    expect(refresh.data).toEqual(first.data);
    // Running or draft SharePoint sessions of the seed: draft, empty draft, active, large.
    expect(
      graphCalls(gw.graphEntries())
        .map((c) => resource(c.path))
        .sort(),
    ).toEqual(['restoreSessions', ...Array<string>(4).fill('sharePointRestoreSessions')]);
    expect(upstreamRounds(gw.graphEntries())).toBe(2);
  });
});

describe('data already in hand', () => {
  it('costs no call: the inline restore point, and the unit a restore point carries, answer key fields and more', async () => {
    const artifacts = await gw.query(
      `query ($id: ID!) { restoreSession(id: $id) { ... on SharePointRestoreSession { siteRestoreArtifacts { nodes { restorePoint { id protectionDateTime } } } } } }`,
      { id: SEED_SESSION_IDS.draft },
    );
    expect(artifacts.errors).toBeUndefined();
    expect(callsTo('restorePoints')).toBe(0);

    gw.resetUpstream();
    const point = await gw.query<{ restorePoint: { protectionUnit: { id: string; siteName: string; siteWebUrl: string } } }>(
      `query ($id: ID!) { restorePoint(id: $id) { id protectionUnit { id ... on SiteProtectionUnit { siteName siteWebUrl } } } }`,
      { id: seedRestorePointId(4, 0, NOW) },
    );
    expect(point.data?.restorePoint.protectionUnit).toMatchObject({ id: seedUnitId(4), siteName: expect.any(String) });
    expect(graphCalls(gw.graphEntries()).map((c) => resource(c.path))).toEqual(['restorePoints']);
  });
});

describe('one caller to the next', () => {
  const SESSION = `query ($id: ID!) { restoreSession(id: $id) { id status } }`;

  it('never answers a user from what another user read (on-behalf-of)', async () => {
    const admin = await gw.queryAs('admin', SESSION, { id: SEED_SESSION_IDS.completed });
    expect(admin.data).toEqual({ restoreSession: { id: SEED_SESSION_IDS.completed, status: 'COMPLETED' } });
    // Graph now refuses the session to everyone: the reader gets Graph's answer, the admin what it already saw.
    gw.t.emu.faults.set({
      seed: 1,
      rules: [{ path: `solutions/backupRestore/restoreSessions/${SEED_SESSION_IDS.completed}`, status: 403 }],
    });
    const reader = await gw.queryAs('reader', SESSION, { id: SEED_SESSION_IDS.completed });
    expect(reader.data).toEqual({ restoreSession: null });
    expect(reader.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const again = await gw.queryAs('admin', SESSION, { id: SEED_SESSION_IDS.completed });
    expect(again.data).toEqual(admin.data);
    expect(callsTo('restoreSessions')).toBe(2);
  });

  it("shows a caller its own writes, and a restore's progress, on the next read", async () => {
    const ARTIFACTS = `query ($id: ID!) { restoreSession(id: $id) { status ... on SharePointRestoreSession { siteRestoreArtifacts { nodes { id } } } } }`;
    type View = { restoreSession: { status: string; siteRestoreArtifacts: { nodes: Array<{ id: string }> } } | null };
    const before = await gw.query<View>(ARTIFACTS, { id: SEED_SESSION_IDS.draft });
    const added = await gw.query<{ addSiteRestoreArtifact: { siteRestoreArtifact: { id: string } } }>(
      `mutation ($input: AddSiteRestoreArtifactInput!) { addSiteRestoreArtifact(input: $input) { siteRestoreArtifact { id } } }`,
      { input: { restoreSessionId: SEED_SESSION_IDS.draft, restorePointId: seedRestorePointId(30, 0, NOW), destinationType: 'IN_PLACE' } },
    );
    expect(added.errors).toBeUndefined();
    const after = await gw.query<View>(ARTIFACTS, { id: SEED_SESSION_IDS.draft });
    expect(after.data!.restoreSession!.siteRestoreArtifacts.nodes.map((n) => n.id)).toEqual([
      ...before.data!.restoreSession!.siteRestoreArtifacts.nodes.map((n) => n.id),
      added.data!.addSiteRestoreArtifact.siteRestoreArtifact.id,
    ]);
    const deleted = await gw.query(`mutation ($id: ID!) { deleteRestoreSession(id: $id) { deletedRestoreSessionId } }`, {
      id: SEED_SESSION_IDS.draft,
    });
    expect(deleted.errors).toBeUndefined();
    expect((await gw.query<View>(ARTIFACTS, { id: SEED_SESSION_IDS.draft })).data).toEqual({ restoreSession: null });

    // A running restore is never kept: once it has finished, the next read says so.
    expect((await gw.query<View>(ARTIFACTS, { id: SEED_SESSION_IDS.active })).data?.restoreSession?.status).toBe('ACTIVE');
    gw.t.emu.advanceClock(30 * 24 * 3_600_000);
    expect((await gw.query<View>(ARTIFACTS, { id: SEED_SESSION_IDS.active })).data?.restoreSession?.status).toMatch(/^COMPLETED/);
  });

  it('counts hits and misses in the metrics', async () => {
    await gw.query(DASHBOARD);
    await gw.query(DASHBOARD);
    const { body } = await gw.gateway.observability.metrics.render();
    // The dashboard asks each restore point for its unit only: the copy the cache keeps apart from the point.
    expect(body).toMatch(/restore_gateway_graph_cache_lookups_total\{kind="unit_copy",result="hit"\} [1-9]/);
    expect(body).toMatch(/restore_gateway_graph_cache_lookups_total\{kind="unit_copy",result="miss"\} [1-9]/);
    expect(body).toMatch(/restore_gateway_graph_cache_bytes [1-9]/);
  });
});

describe('HTTP caches', () => {
  it("are told to store no answer: each is one caller's view", async () => {
    const answer = await gw.query(`{ restoreSessions(first: 1) { nodes { id } } }`);
    expect(answer.headers.get('cache-control')).toBe('no-store');
    const refused = await gw.query(`{ restoreSessions(first: 1) { nodes { nope } } }`);
    expect(refused.status).toBe(400);
    expect(refused.headers.get('cache-control')).toBe('no-store');
  });
});

describe('settings', () => {
  it('GRAPH_CACHE_MAX_MB=0 turns the cache off: a refresh costs what the first load did', async () => {
    const off = await startTestGateway({ seed: defaultSeed(NOW), env: { GRAPH_CACHE_MAX_MB: '0' } });
    try {
      expect(off.gateway.graphCache).toBeUndefined();
      await off.query(DASHBOARD);
      const first = graphCalls(off.graphEntries()).length;
      off.resetUpstream();
      await off.query(DASHBOARD);
      expect(graphCalls(off.graphEntries())).toHaveLength(first);
    } finally {
      await off.close();
    }
  });

  it("in app mode, every caller reads the app's view, so one caller's reads serve the next", async () => {
    const app = await startTestGateway({ seed: defaultSeed(NOW), env: { AUTH_MODE: 'app' } });
    try {
      await app.queryAs('admin', DASHBOARD);
      app.resetUpstream();
      await app.queryAs('reader', DASHBOARD);
      expect(graphCalls(app.graphEntries()).filter((c) => resource(c.path) === 'restorePoints')).toEqual([]);
    } finally {
      await app.close();
    }
  });
});

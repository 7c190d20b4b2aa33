import { describe, expect, it } from 'vitest';
import {
  defaultSeed,
  SEED_SESSION_ARTIFACT_IDS,
  SEED_SESSION_IDS,
  seedDriveRestorePointId,
  seedMailboxRestorePointId,
  seedRestorePointId,
  seedUnitId,
} from '@restore-session-gateway/graph-emulator';
import { graphCalls, upstreamRounds } from '@restore-session-gateway/graph-emulator/testing';
import { createAppTokenProvider } from '../../src/auth/app-token-provider.js';
import { withGraphCache } from '../../src/graph/cache/caching-client.js';
import { createGraphCache } from '../../src/graph/cache/store.js';
import { createGraphClient } from '../../src/graph/client.js';
import { DASHBOARD_QUERY } from '../fixtures/dashboard-seed.js';
import { emulatorAppTokenOptions, FAST_RETRY } from '../graph/support.js';
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

describe('finished Exchange and OneDrive sessions', () => {
  interface FamilyCase {
    label: string;
    /** The family's session set: where its artifacts are read. */
    set: string;
    typename: string;
    seeded: string;
    artifactIds: readonly string[];
    /** A draft of this family restoring two of its units in place, made on Graph directly. */
    create(): Promise<string>;
  }
  const draftOf = async (set: string, artifacts: string, points: string[]): Promise<string> => {
    const body = { [artifacts]: points.map((id) => ({ restorePoint: { id }, destinationType: 'inPlace' })) };
    const res = await gw.t.graph<{ id: string }>('POST', `/solutions/backupRestore/${set}`, { body });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.id;
  };
  const FAMILIES: FamilyCase[] = [
    {
      label: 'Exchange',
      set: 'exchangeRestoreSessions',
      typename: 'MailboxRestoreArtifact',
      seeded: SEED_SESSION_IDS.exchange,
      artifactIds: SEED_SESSION_ARTIFACT_IDS.exchange,
      create: () =>
        draftOf(
          'exchangeRestoreSessions',
          'mailboxRestoreArtifacts',
          [2, 3].map((i) => seedMailboxRestorePointId(i, 0, NOW)),
        ),
    },
    {
      label: 'OneDrive',
      set: 'oneDriveForBusinessRestoreSessions',
      typename: 'DriveRestoreArtifact',
      seeded: SEED_SESSION_IDS.oneDrive,
      artifactIds: SEED_SESSION_ARTIFACT_IDS.oneDrive,
      create: () =>
        draftOf(
          'oneDriveForBusinessRestoreSessions',
          'driveRestoreArtifacts',
          [2, 3].map((i) => seedDriveRestorePointId(i, 0, NOW)),
        ),
    },
  ];

  const PAGE = `query ($id: ID!) { restoreSession(id: $id) { id status
    ... on ExchangeRestoreSession { mailboxRestoreArtifacts(first: 10) { totalCount nodes { id status restoredFolderName } } }
    ... on OneDriveForBusinessRestoreSession { driveRestoreArtifacts(first: 10) { totalCount nodes { id status restoredSiteName } } }
  } }`;
  const ENTITIES = `query ($representations: [_Any!]!) { _entities(representations: $representations) {
    __typename ... on RestoreArtifact { id restoreSessionId status }
  } }`;
  type PageNodes = { nodes: Array<{ id: string; status: string }> };
  type PageView = { restoreSession: { status: string; mailboxRestoreArtifacts?: PageNodes; driveRestoreArtifacts?: PageNodes } };
  const nodesOf = (page: { data?: PageView | null }): PageNodes['nodes'] =>
    (page.data?.restoreSession.mailboxRestoreArtifacts ?? page.data?.restoreSession.driveRestoreArtifacts)?.nodes ?? [];
  type Entities = { _entities: Array<{ __typename: string; id: string; restoreSessionId: string; status: string } | null> };
  const refs = (typename: string, sessionId: string, ids: readonly string[]): Array<Record<string, string>> =>
    ids.map((id) => ({ __typename: typename, id, restoreSessionId: sessionId }));
  /** The Graph calls since the last reset, by resource, sorted. */
  const calls = (): string[] =>
    graphCalls(gw.graphEntries())
      .map((c) => resource(c.path))
      .sort();

  for (const f of FAMILIES) {
    it(`${f.label}: artifact pages and artifacts by id come from the cache on the next operation`, async () => {
      const first = await gw.query(PAGE, { id: f.seeded });
      expect(first.errors).toBeUndefined();
      expect(calls()).toEqual(['restoreSessions', f.set].sort());

      gw.resetUpstream();
      expect((await gw.query(PAGE, { id: f.seeded })).data).toEqual(first.data);
      expect(calls()).toEqual([]);

      // By id (federated references): read once, as the page's items are not kept as artifacts of their own.
      gw.resetUpstream();
      const byId = await gw.query<Entities>(ENTITIES, { representations: refs(f.typename, f.seeded, f.artifactIds) });
      expect(byId.errors).toBeUndefined();
      expect(byId.data!._entities.map((e) => e?.id)).toEqual([...f.artifactIds]);
      expect(byId.data!._entities.every((e) => e?.__typename === f.typename)).toBe(true);
      expect(calls()).toEqual(Array<string>(f.artifactIds.length).fill(f.set));

      gw.resetUpstream();
      expect((await gw.query<Entities>(ENTITIES, { representations: refs(f.typename, f.seeded, f.artifactIds) })).data).toEqual(byId.data);
      expect(calls()).toEqual([]);
    });

    it(`${f.label}: a running session's artifacts are read again on every operation, until it has finished`, async () => {
      const id = await f.create();
      expect((await gw.t.graph('POST', `/solutions/backupRestore/restoreSessions/${id}/activate`)).status).toBe(200);
      gw.t.emu.advanceClock(2_500); // the first artifact is restoring, the second still scheduled
      for (let round = 0; round < 2; round++) {
        gw.resetUpstream();
        const page = await gw.query<PageView>(PAGE, { id });
        expect(page.data?.restoreSession.status).toBe('ACTIVE');
        expect(calls()).toEqual(['restoreSessions', f.set].sort());
        gw.resetUpstream();
        const byId = await gw.query<Entities>(ENTITIES, {
          representations: refs(
            f.typename,
            id,
            nodesOf(page).map((n) => n.id),
          ),
        });
        expect(byId.data!._entities.map((e) => e?.status)).toEqual(['IN_PROGRESS', 'SCHEDULED']);
        expect(calls()).toEqual([f.set, f.set]);
      }

      gw.t.emu.advanceClock(60_000);
      gw.resetUpstream();
      const done = await gw.query<PageView>(PAGE, { id });
      expect(done.data?.restoreSession.status).toBe('COMPLETED');
      expect(nodesOf(done).map((n) => n.status)).toEqual(['SUCCEEDED', 'SUCCEEDED']);
      expect(calls()).toEqual(['restoreSessions', f.set].sort());
      gw.resetUpstream();
      expect((await gw.query(PAGE, { id })).data).toEqual(done.data);
      expect(calls()).toEqual([]);
    });
  }

  it('keeps families apart: a mailbox artifact or page it holds never answers a OneDrive or site read of the same ids', async () => {
    const exchange = SEED_SESSION_IDS.exchange;
    const mailbox = SEED_SESSION_ARTIFACT_IDS.exchange[0]!;
    expect((await gw.query(PAGE, { id: exchange })).errors).toBeUndefined();
    const asEveryFamily = [
      ...refs('MailboxRestoreArtifact', exchange, [mailbox]),
      ...refs('DriveRestoreArtifact', exchange, [mailbox]),
      ...refs('SiteRestoreArtifact', exchange, [mailbox]),
    ];
    for (let round = 0; round < 2; round++) {
      gw.resetUpstream();
      const res = await gw.query<Entities>(ENTITIES, { representations: asEveryFamily });
      expect(res.data!._entities).toEqual([
        { __typename: 'MailboxRestoreArtifact', id: mailbox, restoreSessionId: exchange, status: 'SUCCEEDED' },
        null,
        null,
      ]);
      // Graph is asked for the OneDrive and the site artifact every time (and answers 404); the mailbox one only once.
      expect(calls()).toEqual(
        round === 0
          ? ['exchangeRestoreSessions', 'oneDriveForBusinessRestoreSessions', 'sharePointRestoreSessions']
          : ['oneDriveForBusinessRestoreSessions', 'sharePointRestoreSessions'],
      );
    }

    // Pages: no GraphQL field reads another family's list of a session, so the caching client is asked directly.
    const tokens = createAppTokenProvider(emulatorAppTokenOptions(gw.t));
    const client = createGraphClient({
      baseUrl: gw.t.emu.settings.GRAPH_BASE_URL,
      tokenProvider: tokens,
      ca: [gw.t.emu.caCert],
      retry: FAST_RETRY,
    });
    try {
      const graph = withGraphCache(client, createGraphCache({ maxBytes: 1024 * 1024 }), 'app', {
        unitTtlMs: 60_000,
        terminalTtlMs: 300_000,
      });
      expect((await graph.getSession(exchange)).status).toBe('completed');
      const args = { first: 10, after: null, filter: null };
      const mailboxes = await graph.listMailboxArtifacts(exchange, args);
      expect(mailboxes.nodes.map((n) => n.id)).toEqual([...SEED_SESSION_ARTIFACT_IDS.exchange]);
      gw.resetUpstream();
      expect(await graph.listMailboxArtifacts(exchange, args)).toEqual(mailboxes);
      expect(calls()).toEqual([]);
      await expect(graph.listDriveArtifacts(exchange, args)).rejects.toMatchObject({ status: 404 });
      await expect(graph.listSiteArtifacts(exchange, args)).rejects.toMatchObject({ status: 404 });
      expect(calls()).toEqual(['oneDriveForBusinessRestoreSessions', 'sharePointRestoreSessions']);
    } finally {
      await client.close();
      await tokens.close();
    }
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

import { expect, it } from 'vitest';
import { SEED_SESSION_IDS } from '@restore-session-gateway/graph-emulator';
import { graphCalls, upstreamRequests, upstreamRounds } from '@restore-session-gateway/graph-emulator/testing';
import { DASHBOARD_QUERY, dashboardSeed } from '../fixtures/dashboard-seed.js';
import { useTestGateway } from './harness.js';

/**
 * The point of the gateway: one screen's worth of nested data in one round trip per nesting level (about one
 * upstream request per level per 20 items), and on a refresh only what can have changed. The seed gets 41 more SharePoint drafts of 10 artifacts each, so
 * `restoreSessions(first: 50)` returns 50 sessions (48 SharePoint) and 433 artifacts.
 */

const DASHBOARD = DASHBOARD_QUERY;

interface Dashboard {
  restoreSessions: {
    totalCount: number;
    nodes: Array<{
      id: string;
      siteRestoreArtifacts?: {
        nodes: Array<{ id: string; restorePoint: { id: string; protectionUnit: { id: string; siteName: string } | null } | null }>;
      };
    }>;
  };
}

// Dated at now: the gateway judges a restore point's expiry on its own wall clock, as it would against Graph.
// No caller rate limit: the tests below read several whole dashboards (about 500 Graph calls each) within one of its
// windows, and what they count is calls and rounds, not what the limit refuses.
const gw = useTestGateway({ seed: dashboardSeed(Date.now()), env: { CALLER_RATE_LIMIT_CALLS: '0' } });

/**
 * Graph's service time on every call (inside `$batch` too), so that requests sent side by side overlap in the journal
 * and round trips can be counted: with none, the in-process emulator answers each request before it reads the next.
 * Long enough that a level's envelopes are all sent before the first answers even when the machine is busy (gateway
 * and emulator share this process's one thread).
 */
function withGraphLatency(): void {
  gw.t.emu.faults.set({ seed: 1, rules: [{ path: 'solutions/backupRestore/**', scope: 'any', latency: { fixedMs: 300, jitterMs: 0 } }] });
}

it('fetches 50 sessions with 10 artifacts, restore points and units each in one round trip per level', async () => {
  gw.resetUpstream();
  withGraphLatency();
  const res = await gw.query<Dashboard>(DASHBOARD);
  expect(res.errors).toBeUndefined();
  const sessions = res.data!.restoreSessions.nodes;
  expect(sessions).toHaveLength(50);

  const sharePoint = sessions.filter((s) => s.siteRestoreArtifacts !== undefined);
  const artifacts = sharePoint.flatMap((s) => s.siteRestoreArtifacts!.nodes);
  for (const a of artifacts) expect(a.restorePoint?.protectionUnit?.siteName, a.id).toEqual(expect.any(String));
  const restorePoints = new Set(artifacts.map((a) => a.restorePoint!.id));

  const entries = gw.graphEntries();
  const upstream = upstreamRequests(entries);
  const calls = graphCalls(entries);
  const batches = entries.filter((e) => e.kind === 'batch');
  // Every Graph call the query needed, each exactly once: the units come expanded with their restore points.
  expect(calls).toHaveLength(1 + sharePoint.length + restorePoints.size);
  expect(calls.filter((c) => c.path.includes('/protectionUnits/'))).toEqual([]);
  expect(calls.every((c) => c.status === 200)).toBe(true);
  for (const b of batches)
    expect(entries.filter((e) => e.kind === 'batchItem' && e.batchRequestId === b.batchRequestId).length).toBeLessThanOrEqual(20);

  // The floor $batch allows: the list, then ⌈n/20⌉ per nesting level; all envelopes of a level go out together.
  const minimum = 1 + Math.ceil(sharePoint.length / 20) + Math.ceil(restorePoints.size / 20);
  // What a client making one Graph call per item needs for the same screen: the list, one artifact
  // list per session, one restore point read (with its unit expanded) per artifact.
  const oneCallPerItem = 1 + sharePoint.length + artifacts.length;
  console.log(
    [
      `batching: ${sessions.length} sessions (${sharePoint.length} SharePoint), ${artifacts.length} artifacts, ${restorePoints.size} restore points`,
      `batching: upstream HTTP requests ${upstream.length} (${batches.length} $batch envelopes + ${upstream.length - batches.length} lone requests) carrying ${calls.length} Graph calls in ${upstreamRounds(entries)} rounds`,
      `batching: minimum $batch allows ${minimum}; one call per item needs ${oneCallPerItem} (${(oneCallPerItem / upstream.length).toFixed(1)}x more)`,
    ].join('\n'),
  );
  expect(oneCallPerItem).toBeGreaterThan(450);
  // Envelopes of one level that come back at different times release the next level's loads in
  // separate ticks, so a level may take a few more envelopes than its floor; never many more.
  expect(upstream.length).toBeLessThanOrEqual(Math.ceil(minimum * 1.5));
  // Sessions, then artifacts, then restore points with their units: three round trips, however wide each level is.
  expect(upstreamRounds(entries)).toBe(3);
});

it('refreshes from the session list and the artifacts of sessions still running: the rest cannot have changed', async () => {
  gw.resetUpstream();
  const first = await gw.query<Dashboard>(DASHBOARD);
  gw.resetUpstream();
  withGraphLatency();
  const second = await gw.query<Dashboard>(DASHBOARD);
  expect(second.data).toEqual(first.data);
  const calls = graphCalls(gw.graphEntries());
  const finished = new Set([SEED_SESSION_IDS.completed, SEED_SESSION_IDS.completedWithError, SEED_SESSION_IDS.failed]);
  const running = first.data!.restoreSessions.nodes.filter((s) => s.siteRestoreArtifacts !== undefined && !finished.has(s.id));
  expect(calls.map((c) => c.path.split('/')[2]).sort()).toEqual(['restoreSessions', ...running.map(() => 'sharePointRestoreSessions')]);
  expect(upstreamRounds(gw.graphEntries())).toBe(2);
});

it("fetches everything again for another caller: one caller's cache is never another's", async () => {
  gw.resetUpstream();
  const admin = await gw.queryAs('admin', DASHBOARD);
  const adminCalls = graphCalls(gw.graphEntries()).length;
  gw.resetUpstream();
  const reader = await gw.queryAs('reader', DASHBOARD);
  expect(reader.data).toEqual(admin.data);
  expect(graphCalls(gw.graphEntries())).toHaveLength(adminCalls);
});

it('fetches a dashboard of all three families (sessions, their artifacts and bulk requests, restore points, units) in one round per level', async () => {
  const unitFields = `__typename id status ... on SiteProtectionUnit { siteName } ... on MailboxProtectionUnit { email }
    ... on DriveProtectionUnit { displayName }`;
  const artifactFields = `id status restorePoint { id tags protectionUnit { ${unitFields} } }`;
  const bulkFields = '__typename id status';
  const MIXED = `{
    restoreSessions(first: 50) {
      nodes {
        __typename id status
        ... on SharePointRestoreSession {
          siteRestoreArtifacts(first: 10) { nodes { ${artifactFields} } }
          siteRestoreArtifactsBulkAdditionRequests { ${bulkFields} }
        }
        ... on ExchangeRestoreSession {
          mailboxRestoreArtifacts(first: 10) { nodes { ${artifactFields} restoredFolderName } }
          mailboxRestoreArtifactsBulkAdditionRequests { ${bulkFields} }
        }
        ... on OneDriveForBusinessRestoreSession {
          driveRestoreArtifacts(first: 10) { nodes { ${artifactFields} restoredSiteName } }
          driveRestoreArtifactsBulkAdditionRequests { ${bulkFields} }
        }
      }
    }
  }`;
  interface Node {
    __typename: string;
    [list: string]: unknown;
  }
  gw.resetUpstream();
  withGraphLatency();
  const res = await gw.query<{ restoreSessions: { nodes: Node[] } }>(MIXED);
  expect(res.errors).toBeUndefined();
  const sessions = res.data!.restoreSessions.nodes;
  type Unit = { __typename: string; [field: string]: unknown } | null;
  const artifactsOf = (typename: string, list: string) =>
    sessions
      .filter((s) => s.__typename === typename)
      .flatMap((s) => (s[list] as { nodes: Array<{ restorePoint: { tags: string; protectionUnit: Unit } | null }> }).nodes);
  const count = (typename: string, list: string): number => artifactsOf(typename, list).length;
  // Each family's restore points belong to units of that family, answered from the expanded copies.
  const unitTypes = (typename: string, list: string) =>
    new Set(artifactsOf(typename, list).map((a) => a.restorePoint?.protectionUnit?.__typename));
  expect(unitTypes('ExchangeRestoreSession', 'mailboxRestoreArtifacts')).toEqual(new Set(['MailboxProtectionUnit']));
  expect(unitTypes('OneDriveForBusinessRestoreSession', 'driveRestoreArtifacts')).toEqual(new Set(['DriveProtectionUnit']));
  expect(unitTypes('SharePointRestoreSession', 'siteRestoreArtifacts')).toEqual(new Set(['SiteProtectionUnit']));
  for (const a of artifactsOf('ExchangeRestoreSession', 'mailboxRestoreArtifacts')) {
    expect(a.restorePoint?.protectionUnit?.email).toEqual(expect.any(String));
  }
  for (const a of artifactsOf('OneDriveForBusinessRestoreSession', 'driveRestoreArtifacts')) {
    expect(a.restorePoint?.protectionUnit?.displayName).toEqual(expect.any(String));
  }
  expect(count('ExchangeRestoreSession', 'mailboxRestoreArtifacts')).toBe(4);
  expect(count('OneDriveForBusinessRestoreSession', 'driveRestoreArtifacts')).toBe(3);
  expect(count('SharePointRestoreSession', 'siteRestoreArtifacts')).toBeGreaterThan(400);
  const calls = graphCalls(gw.graphEntries());
  expect(calls.filter((c) => /\/mailboxRestoreArtifacts(\?|$)/.test(c.path))).toHaveLength(1);
  expect(calls.filter((c) => /\/driveRestoreArtifacts(\?|$)/.test(c.path))).toHaveLength(1);
  expect(calls.filter((c) => c.path.includes('/mailboxRestoreArtifactsBulkAdditionRequests'))).toHaveLength(1);
  expect(calls.filter((c) => c.path.includes('/driveRestoreArtifactsBulkAdditionRequests'))).toHaveLength(1);
  for (const s of sessions) expect(Object.keys(s).some((k) => k.endsWith('BulkAdditionRequests'))).toBe(true);
  // Sessions, then every family's artifacts and bulk requests side by side, then the restore points with their units.
  expect(upstreamRounds(gw.graphEntries())).toBe(3);
});

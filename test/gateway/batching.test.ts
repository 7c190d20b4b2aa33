import { expect, it } from 'vitest';
import { graphCalls, upstreamRequests } from '@restore-session-gateway/graph-emulator/testing';
import { dashboardSeed } from '../fixtures/dashboard-seed.js';
import { useTestGateway } from './harness.js';

/**
 * The point of the gateway: one screen's worth of nested data in about one upstream request per
 * nesting level per 20 items. The seed gets 41 more SharePoint drafts of 10 artifacts each, so
 * `restoreSessions(first: 50)` returns 50 sessions (48 SharePoint) and 433 artifacts.
 */

const DASHBOARD = `query Dashboard {
  restoreSessions(first: 50) {
    totalCount
    nodes {
      id
      status
      ... on SharePointRestoreSession {
        siteRestoreArtifacts(first: 10) {
          nodes {
            id
            status
            restorePoint { id protectionDateTime protectionUnit { id siteName } }
          }
        }
      }
    }
  }
}`;

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

const gw = useTestGateway({ seed: dashboardSeed() });

it('fetches 50 sessions with 10 artifacts, restore points and units each in about one request per level per 20 items', async () => {
  gw.resetUpstream();
  const res = await gw.query<Dashboard>(DASHBOARD);
  expect(res.errors).toBeUndefined();
  const sessions = res.data!.restoreSessions.nodes;
  expect(sessions).toHaveLength(50);

  const sharePoint = sessions.filter((s) => s.siteRestoreArtifacts !== undefined);
  const artifacts = sharePoint.flatMap((s) => s.siteRestoreArtifacts!.nodes);
  for (const a of artifacts) expect(a.restorePoint?.protectionUnit, a.id).not.toBeNull();
  const restorePoints = new Set(artifacts.map((a) => a.restorePoint!.id));
  const units = new Set(artifacts.map((a) => a.restorePoint!.protectionUnit!.id));

  const entries = gw.graphEntries();
  const upstream = upstreamRequests(entries);
  const calls = graphCalls(entries);
  const batches = entries.filter((e) => e.kind === 'batch');
  // Every Graph call the query needed, each exactly once, and no envelope over Graph's limit.
  expect(calls).toHaveLength(1 + sharePoint.length + restorePoints.size + units.size);
  expect(calls.every((c) => c.status === 200)).toBe(true);
  for (const b of batches)
    expect(entries.filter((e) => e.kind === 'batchItem' && e.batchRequestId === b.batchRequestId).length).toBeLessThanOrEqual(20);

  // The floor $batch allows: the list, then ⌈n/20⌉ per nesting level.
  const minimum = 1 + Math.ceil(sharePoint.length / 20) + Math.ceil(restorePoints.size / 20) + Math.ceil(units.size / 20);
  // What a client making one Graph call per item needs for the same screen: the list, one artifact
  // list per session, one restore point read per artifact and one unit read per restore point.
  const oneCallPerItem = 1 + sharePoint.length + artifacts.length + artifacts.length;
  console.log(
    [
      `batching: ${sessions.length} sessions (${sharePoint.length} SharePoint), ${artifacts.length} artifacts, ${restorePoints.size} restore points, ${units.size} units`,
      `batching: upstream HTTP requests ${upstream.length} (${batches.length} $batch envelopes + ${upstream.length - batches.length} lone requests) carrying ${calls.length} Graph calls`,
      `batching: minimum $batch allows ${minimum}; one call per item needs ${oneCallPerItem} (${(oneCallPerItem / upstream.length).toFixed(1)}x more)`,
    ].join('\n'),
  );
  expect(oneCallPerItem).toBeGreaterThan(500);
  // Envelopes of one level that come back at different times release the next level's loads in
  // separate ticks, so a level may take a few more envelopes than its floor; never many more.
  expect(upstream.length).toBeLessThanOrEqual(Math.ceil(minimum * 1.5));
});

it('sends a second identical query no cheaper and no dearer: loaders are per request', async () => {
  gw.resetUpstream();
  const first = await gw.query<Dashboard>(DASHBOARD);
  const firstCalls = graphCalls(gw.graphEntries()).length;
  gw.resetUpstream();
  const second = await gw.query<Dashboard>(DASHBOARD);
  expect(second.data).toEqual(first.data);
  expect(graphCalls(gw.graphEntries()).length).toBe(firstCalls);
});

import { writeFileSync } from 'node:fs';
import { SEED_SESSION_IDS } from '@restore-session-gateway/graph-emulator';
import { afterAll, describe, expect, it } from 'vitest';
import { emulatorEnv, doctor, useJsonDir } from '../doctor/doctor-support.js';
import { createLogger } from '../../src/logger.js';
import { postGraphQL } from '../support/graphql.js';
import { gatewayConfig, startGatewayOn, startTestGateway, type TestGateway } from './harness.js';

/**
 * The gateway against a Graph that refuses the query options no documentation page promises (the emulator's strict
 * profile): it falls back, remembers the refusal for this Graph so later operations do not pay for it again, says so in
 * its log and metrics, learns nothing from a request that carries a caller's cursor, asks again after
 * GRAPH_CAPABILITY_RECHECK_MS, and can start from the doctor's file instead of finding out.
 */

const SESSIONS = `query ($after: String) { restoreSessions(first: 2, after: $after, filter: { status: [COMPLETED, FAILED] }) {
  totalCount nodes { id status } pageInfo { hasNextPage endCursor } } }`;

interface Sessions {
  restoreSessions: { totalCount: number | null; nodes: Array<{ id: string; status: string }>; pageInfo: { endCursor: string | null } };
}

const gateways: TestGateway[] = [];
afterAll(async () => {
  await Promise.all(gateways.map((g) => g.close()));
});

async function strictGateway(env: Record<string, string> = {}): Promise<TestGateway> {
  const gw = await startTestGateway({ profile: 'strict', env });
  gateways.push(gw);
  return gw;
}

const refusedRequests = (gw: TestGateway): number => gw.graphEntries().filter((e) => e.kind !== 'batch' && e.status === 400).length;
const warnings = (gw: TestGateway): Array<Record<string, unknown>> =>
  gw.logLines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.msg === 'graph capability refused');

describe('capability memory', () => {
  it('falls back, remembers the refusal for later operations, and says so in its log and metrics', async () => {
    const gw = await strictGateway();
    const first = await gw.query<Sessions>(SESSIONS);
    expect(first.errors).toBeUndefined();
    expect(first.data!.restoreSessions.nodes.map((n) => n.status).every((s) => s === 'COMPLETED' || s === 'FAILED')).toBe(true);
    expect(refusedRequests(gw)).toBeGreaterThan(0);
    const logged = warnings(gw);
    expect(logged.map((l) => l.capability).sort()).toEqual([
      'restoreSessions.count',
      'restoreSessions.filterStatus',
      'restoreSessions.top',
    ]);
    expect(logged[0]).toMatchObject({ option: expect.stringMatching(/^\$/), from: 'graph', graphRequestId: expect.any(String) });
    expect(logged[0]?.fallback).toEqual(expect.any(String));

    gw.resetUpstream();
    const again = await gw.query<Sessions>(SESSIONS);
    expect(again.data).toEqual(first.data);
    expect(refusedRequests(gw)).toBe(0);
    expect(warnings(gw)).toHaveLength(3);

    const { body } = await gw.gateway.observability.metrics.render();
    expect(body).toMatch(/restore_gateway_graph_capability_refused\{capability="restoreSessions\.top"\} 1/);
    expect(body).toMatch(/restore_gateway_graph_capability_fallbacks_total\{capability="restoreSessions\.filterStatus"\} [1-9]/);
  });

  it("learns nothing from a request resumed from a caller's cursor, though it still answers it", async () => {
    const teacher = await strictGateway();
    const cursor = (await teacher.query<Sessions>(SESSIONS)).data!.restoreSessions.pageInfo.endCursor;
    const gw = await strictGateway();
    const resumed = await gw.query<Sessions>(SESSIONS, { after: cursor });
    expect(resumed.errors).toBeUndefined();
    expect(resumed.data!.restoreSessions.nodes.length).toBeGreaterThan(0);
    expect(warnings(gw)).toEqual([]);
    gw.resetUpstream();
    await gw.query<Sessions>(SESSIONS, { after: cursor });
    expect(refusedRequests(gw)).toBeGreaterThan(0);
  });

  it('asks Graph again once GRAPH_CAPABILITY_RECHECK_MS has passed', async () => {
    const gw = await strictGateway({ GRAPH_CAPABILITY_RECHECK_MS: '100' });
    await gw.query(`{ siteProtectionUnits(first: 2) { nodes { id } } }`);
    gw.resetUpstream();
    await gw.query(`{ siteProtectionUnits(first: 2) { nodes { id } } }`);
    expect(refusedRequests(gw)).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 150));
    gw.resetUpstream();
    const rechecked = await gw.query(`{ siteProtectionUnits(first: 2) { nodes { id } } }`);
    expect(rechecked.errors).toBeUndefined();
    expect(refusedRequests(gw)).toBeGreaterThan(0);
  });
});

describe('GRAPH_CAPABILITIES_FILE', () => {
  const jsonPath = useJsonDir();

  it("starts from the doctor's findings for this Graph, so not even the first operation is refused", async () => {
    const probe = await strictGateway();
    const file = jsonPath();
    expect((await doctor([], emulatorEnv(probe.t), file)).code).toBe(0);
    // A second gateway on the same emulator (the file names its URL), as a restart of the first would be.
    const lines: string[] = [];
    const gateway = await startGatewayOn(probe.t, gatewayConfig({ GRAPH_CAPABILITIES_FILE: file, LOG_LEVEL: 'info' }), {
      host: '127.0.0.1',
      logger: createLogger({ level: 'info', write: (line) => lines.push(line) }),
    });
    try {
      probe.resetUpstream();
      const res = await postGraphQL<Sessions>(gateway.url, { query: SESSIONS }, { authorization: await probe.authorization('admin') });
      expect(res.errors).toBeUndefined();
      expect(refusedRequests(probe)).toBe(0);
      const logged = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
      const started = logged.find((l) => l.msg === 'graph capabilities from the doctor');
      expect(started?.refused).toEqual(expect.arrayContaining(['restoreSessions.top', 'restorePoints.expandProtectionUnit']));
      const remembered = logged.filter((l) => l.msg === 'graph capability refused');
      expect(remembered.length).toBeGreaterThan(0);
      expect(remembered.every((l) => l.from === 'doctor')).toBe(true);
    } finally {
      await gateway.stop();
    }
  });

  it('ignores, with a warning, a file the doctor wrote for another Graph', async () => {
    const file = jsonPath();
    writeFileSync(
      file,
      JSON.stringify({
        version: 1,
        graphBaseUrl: 'https://graph.microsoft.com/beta',
        checkedAt: '2026-12-01T00:00:00.000Z',
        capabilities: { 'restoreSessions.top': { result: 'refused', status: 400, requestId: 'x' } },
      }),
    );
    const gw = await strictGateway({ GRAPH_CAPABILITIES_FILE: file });
    const lines = gw.logLines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.some((l) => l.msg === 'GRAPH_CAPABILITIES_FILE ignored: it was written for another Graph')).toBe(true);
    expect(warnings(gw)).toEqual([]);
  });
});

describe('what a refusal costs an operation', () => {
  it('counts a call Graph refused once: its fallback spends neither the call cap nor the caller quota', async () => {
    // Three sites, each on its own restore point: 1 session read + 1 artifact list + 3 restore points, refused and then
    // read without `$expand`. Counting the replacements too would need 8 calls.
    const gw = await strictGateway({ GRAPH_MAX_CALLS_PER_OPERATION: '5' });
    const res = await gw.query<{
      restoreSession: { siteRestoreArtifacts: { nodes: Array<{ restorePoint: { protectionUnit: unknown } }> } };
    }>(
      `query ($id: ID!) { restoreSession(id: $id) { ... on SharePointRestoreSession { siteRestoreArtifacts(first: 3) {
        nodes { restorePoint { protectionUnit { ... on SiteProtectionUnit { siteName } } } } } } } }`,
      { id: SEED_SESSION_IDS.large },
    );
    expect(res.errors).toBeUndefined();
    const nodes = res.data!.restoreSession.siteRestoreArtifacts.nodes;
    expect(nodes).toHaveLength(3);
    expect(nodes.every((n) => n.restorePoint.protectionUnit !== null)).toBe(true);
    expect(refusedRequests(gw)).toBe(3);
  });
});

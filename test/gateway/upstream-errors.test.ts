import { describe, expect, it } from 'vitest';
import { SEED_SESSION_IDS, seedRestorePointId } from '@restore-session-gateway/graph-emulator';
import { graphCalls } from '@restore-session-gateway/graph-emulator/testing';
import type { GraphQLResponse } from '../support/graphql.js';
import { suiteProfile, useTestGateway } from './harness.js';

// What the gateway does when Graph throttles, refuses or fails, and with ids crafted to reach other paths.

const gw = useTestGateway();

/** Nothing internal in a client-visible answer: no emulator origin or other URL, no stack, no token. */
function expectNoLeak(res: GraphQLResponse<unknown>): void {
  expect(res.text).not.toContain(gw.t.emu.origin);
  expect(res.text).not.toMatch(/https?:\/\/(?!contoso\.sharepoint\.com)/);
  expect(res.text).not.toMatch(/\bat .+\.(ts|js):\d+/);
  expect(res.text).not.toMatch(/stacktrace|"stack"/i);
  expect(res.text).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}/);
}

const TWO_SESSIONS = `query ($a: ID!, $b: ID!) { a: restoreSession(id: $a) { id status } b: restoreSession(id: $b) { id status } }`;

describe('throttling', () => {
  it('retries a throttled $batch item after its Retry-After, and the query still succeeds', async () => {
    gw.t.emu.faults.set({ seed: 1, rules: [{ path: 'solutions/**', scope: 'batchItem', status: 429, retryAfter: 0.05, limit: 1 }] });
    const res = await gw.query(TWO_SESSIONS, { a: SEED_SESSION_IDS.draft, b: SEED_SESSION_IDS.failed });
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ a: { id: SEED_SESSION_IDS.draft, status: 'DRAFT' }, b: { id: SEED_SESSION_IDS.failed, status: 'FAILED' } });

    const entries = gw.graphEntries();
    const throttled = entries.filter((e) => e.status === 429);
    expect(throttled).toHaveLength(1);
    expect(throttled[0]).toMatchObject({ kind: 'batchItem', fault: 'status:429' });
    const retried = entries.filter((e) => e.path === throttled[0]!.path && e.status === 200);
    expect(retried).toHaveLength(1);
    expect(retried[0]!.seq).toBeGreaterThan(throttled[0]!.seq);
    // Not earlier than Graph asked.
    expect(Date.parse(retried[0]!.startedAt) - Date.parse(throttled[0]!.finishedAt)).toBeGreaterThanOrEqual(45);
  });

  it('answers UPSTREAM_THROTTLED for an item Graph keeps throttling, and only for its field', async () => {
    gw.t.emu.faults.set({
      seed: 1,
      rules: [{ path: `solutions/backupRestore/restoreSessions/${SEED_SESSION_IDS.failed}`, scope: 'any', status: 429, retryAfter: 0.01 }],
    });
    const res = await gw.query(TWO_SESSIONS, { a: SEED_SESSION_IDS.draft, b: SEED_SESSION_IDS.failed });
    expect(res.data).toEqual({ a: { id: SEED_SESSION_IDS.draft, status: 'DRAFT' }, b: null });
    expect(res.errors).toHaveLength(1);
    expect(res.errors![0]).toMatchObject({
      path: ['b'],
      extensions: { code: 'UPSTREAM_THROTTLED', graph: { status: 429, code: 'TooManyRequests' } },
    });
    expectNoLeak(res);
  });
});

describe('401 and 403 answered by Graph', () => {
  for (const [status, code] of [
    [401, 'UNAUTHENTICATED'],
    [403, 'FORBIDDEN'],
  ] as const) {
    it(`maps ${status} to ${code} with extensions.graph, for a lone request and inside $batch`, async () => {
      gw.t.emu.faults.set({ seed: 1, rules: [{ path: 'solutions/backupRestore/restoreSessions/*', status }] });
      const lone = await gw.query(`query ($id: ID!) { restoreSession(id: $id) { id } }`, { id: SEED_SESSION_IDS.draft });
      expect(lone.status).toBe(200);
      expect(lone.data).toEqual({ restoreSession: null });
      const error = lone.errors?.[0];
      expect(error?.extensions?.code).toBe(code);
      expect(error?.extensions?.graph).toMatchObject({ status, code: status === 401 ? 'InvalidAuthenticationToken' : 'Forbidden' });
      expect(error?.extensions?.graph?.requestId).toMatch(/^[0-9a-f-]{36}$/);
      expect(error?.extensions?.graph?.clientRequestId).toMatch(/^[0-9a-f-]{36}$/);
      // The request id the client sees is the one Graph logged, for support cases.
      const journalIds = gw.graphEntries().map((e) => e.requestId);
      expect(journalIds).toContain(error?.extensions?.graph?.requestId);
      expectNoLeak(lone);

      gw.resetUpstream();
      gw.t.emu.faults.set({ seed: 1, rules: [{ path: 'solutions/backupRestore/restoreSessions/*', status }] });
      const batched = await gw.query(
        `query ($a: ID!, $b: ID!, $rp: ID!) { a: restoreSession(id: $a) { id } b: restoreSession(id: $b) { id } restorePoint(id: $rp) { id tags } }`,
        { a: SEED_SESSION_IDS.draft, b: SEED_SESSION_IDS.active, rp: seedRestorePointId(0, 0) },
      );
      expect(gw.graphEntries().some((e) => e.kind === 'batch')).toBe(true);
      expect(batched.data).toEqual({ a: null, b: null, restorePoint: { id: seedRestorePointId(0, 0), tags: 'FAST_RESTORE' } });
      expect(batched.errors?.map((e) => [e.path?.[0], e.extensions?.code, e.extensions?.graph?.status])).toEqual([
        ['a', code, status],
        ['b', code, status],
      ]);
      expectNoLeak(batched);
    });
  }

  it('fails only the nested fields whose Graph item failed', async () => {
    // The second site's restore point is refused; the unit's fields come from the restore point's expanded copy.
    const listed = await gw.query<{ restoreSession: { siteRestoreArtifacts: { nodes: Array<{ restorePointId: string }> } } }>(
      `query ($id: ID!) { restoreSession(id: $id) { ... on SharePointRestoreSession { siteRestoreArtifacts { nodes { restorePointId } } } } }`,
      { id: SEED_SESSION_IDS.completed },
    );
    const refusedPoint = listed.data!.restoreSession.siteRestoreArtifacts.nodes[1]!.restorePointId;
    gw.resetUpstream();
    // Where Graph refuses `$expand` on one restore point, the unit is read on its own: that read is the one refused.
    const unitRead = suiteProfile() === 'strict' ? '/protectionUnit' : '';
    gw.t.emu.faults.set({ seed: 1, rules: [{ path: `solutions/backupRestore/restorePoints/${refusedPoint}${unitRead}`, status: 403 }] });
    const res = await gw.query<{
      restoreSession: {
        siteRestoreArtifacts: {
          nodes: Array<{ status: string; restorePoint: { id: string; protectionUnit: { siteName: string } | null } }>;
        };
      };
    }>(
      `query ($id: ID!) { restoreSession(id: $id) { ... on SharePointRestoreSession { siteRestoreArtifacts {
         nodes { status restorePoint { id protectionUnit { ... on SiteProtectionUnit { siteName } } } } } } } }`,
      { id: SEED_SESSION_IDS.completed },
    );
    const nodes = res.data!.restoreSession.siteRestoreArtifacts.nodes;
    expect(nodes.map((n) => n.status)).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    expect(nodes.map((n) => n.restorePoint.protectionUnit)).toEqual([{ siteName: 'Finance01' }, null]);
    expect(res.errors).toHaveLength(1);
    expect(res.errors![0]).toMatchObject({
      path: ['restoreSession', 'siteRestoreArtifacts', 'nodes', 1, 'restorePoint', 'protectionUnit'],
      extensions: { code: 'FORBIDDEN', graph: { status: 403 } },
    });
  });
});

describe('unavailable upstream', () => {
  it('answers UPSTREAM_UNAVAILABLE without Graph internals for 500s and dropped connections', async () => {
    gw.t.emu.faults.set({ seed: 1, rules: [{ path: 'solutions/backupRestore/restoreSessions', status: 500 }] });
    const failed = await gw.query(`{ restoreSessions { totalCount } }`);
    expect(failed.data).toEqual({ restoreSessions: null });
    expect(failed.errors?.[0]).toMatchObject({
      message: 'Microsoft Graph is unavailable; try again later.',
      extensions: { code: 'UPSTREAM_UNAVAILABLE', graph: { status: 500 } },
    });
    expectNoLeak(failed);

    gw.t.emu.faults.set({ seed: 1, rules: [{ path: 'solutions/backupRestore/sharePointRestoreSessions', drop: true }] });
    const dropped = await gw.query(`{ sharePointRestoreSessions { totalCount } }`);
    expect(dropped.data).toEqual({ sharePointRestoreSessions: null });
    expect(dropped.errors?.[0]?.extensions).toEqual({ code: 'UPSTREAM_UNAVAILABLE' });
    expectNoLeak(dropped);
    // Reads are retried after a dropped connection before giving up.
    expect(gw.graphEntries().filter((e) => e.status === 0).length).toBeGreaterThan(1);
  });
});

describe('hostile ids', () => {
  const HOSTILE = [
    '../x',
    '..',
    'a/b',
    '%2F',
    '%2e%2e%2Fx',
    '?$expand=protectionUnit',
    '#frag',
    "x' or id ne 'y",
    'a\u0000b',
    'x'.repeat(10 * 1024),
  ];

  /** Path shapes the gateway may call, each with its id segments; nothing else may appear in the journal. */
  const SHAPES: RegExp[] = [
    /^\$batch$/,
    /^solutions\/backupRestore\/restoreSessions\/(?<a>[^/]+)$/,
    /^solutions\/backupRestore\/restorePoints\/(?<a>[^/]+)$/,
    // Where Graph refuses `$expand` on one restore point, its unit is read on its own.
    /^solutions\/backupRestore\/restorePoints\/(?<a>[^/]+)\/protectionUnit$/,
    /^solutions\/backupRestore\/protectionUnits\/(?<a>[^/]+)$/,
    /^solutions\/backupRestore\/sharePointRestoreSessions\/(?<a>[^/]+)\/siteRestoreArtifacts\/(?<b>[^/]+)$/,
    /^solutions\/backupRestore\/restorePoints$/,
  ];

  it('never reach another Graph path, and answer BAD_USER_INPUT or null', async () => {
    const DOCUMENT = `query ($id: ID!, $reps: [_Any!]!) {
      restoreSession(id: $id) { id }
      restorePoint(id: $id) { id }
      restorePoints(protectionUnitId: $id) { id }
      _entities(representations: $reps) { __typename }
    }`;
    let reachedGraph = 0;
    for (const id of HOSTILE) {
      gw.resetUpstream();
      const reps = [
        { __typename: 'SiteRestoreArtifact', id, restoreSessionId: SEED_SESSION_IDS.completed },
        { __typename: 'SiteRestoreArtifact', id: 'x', restoreSessionId: id },
        { __typename: 'SiteProtectionUnit', id },
        { __typename: 'RestoreSession', id },
      ];
      const res = await gw.query<Record<string, unknown>>(DOCUMENT, { id, reps });
      const label = JSON.stringify(id.slice(0, 40));
      expect(res.status, label).toBe(200);
      expect(res.data, label).toEqual({
        restoreSession: null,
        restorePoint: null,
        restorePoints: null,
        _entities: [null, null, null, null],
      });
      for (const error of res.errors ?? []) {
        // Refused by the client, or by Graph as an invalid id; never anything else.
        expect(error.extensions?.code, `${label} ${error.message}`).toBe('BAD_USER_INPUT');
      }
      expect(res.errors ?? [], label).not.toHaveLength(0);
      expectNoLeak(res);

      for (const call of graphCalls(gw.graphEntries())) {
        reachedGraph++;
        const match = SHAPES.map((shape) => shape.exec(call.path)).find((m) => m !== null);
        expect(match, `${label} reached ${call.path}`).toBeDefined();
        // Every id segment that reached Graph is the argument itself, in one piece.
        for (const segment of Object.values(match?.groups ?? {})) {
          expect([id, 'x', SEED_SESSION_IDS.completed], `${label} segment ${segment}`).toContain(decodeURIComponent(segment));
        }
        if (call.path === 'solutions/backupRestore/restorePoints') {
          const options = [...new URLSearchParams(call.query).keys()];
          expect(options, label).toEqual(['$expand', '$filter']);
        }
      }
    }
    // Short ids travel, safely encoded, and Graph refuses them; the rest never leave the gateway.
    expect(reachedGraph).toBeGreaterThan(0);
  });
});

import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  SEED_SESSION_IDS,
  seedRestorePointId,
  seedUnitId,
  LEGAL_HOLD_SITE_INDEX,
  REMOVED_SITE_INDEX,
} from '@restore-session-gateway/graph-emulator';
import type { GraphQLResponse } from '../support/graphql.js';
import { suiteProfile, useTestGateway } from './harness.js';

// Every query of the public contract, over real HTTP, against the in-process emulator (manual clock).

const gw = useTestGateway();

interface SessionView {
  __typename: string;
  id: string;
  status: string;
  restoreJobType: string | null;
  isTerminal: boolean;
  completedDateTime: string | null;
  createdDateTime: string | null;
  progress: { total: number; inProgress: number; completed: number; failed: number; percentComplete: number };
  error: { code: string; message: string | null } | null;
}

const SESSION_FIELDS = `
  __typename id status restoreJobType isTerminal completedDateTime createdDateTime
  progress { total inProgress completed failed percentComplete }
  error { code message }
`;

async function session(id: string): Promise<SessionView | null> {
  const res = await gw.query<{ restoreSession: SessionView | null }>(`query ($id: ID!) { restoreSession(id: $id) { ${SESSION_FIELDS} } }`, {
    id,
  });
  expect(res.errors).toBeUndefined();
  return res.data?.restoreSession ?? null;
}

describe('restoreSession(id)', () => {
  it('reports every seeded status, the Prefer-gated FAILED included', async () => {
    const expected: Array<[keyof typeof SEED_SESSION_IDS, string, boolean]> = [
      ['draft', 'DRAFT', false],
      ['emptyDraft', 'DRAFT', false],
      ['active', 'ACTIVE', false],
      ['completed', 'COMPLETED', true],
      ['completedWithError', 'COMPLETED_WITH_ERROR', true],
      ['failed', 'FAILED', true],
    ];
    for (const [name, status, terminal] of expected) {
      const s = await session(SEED_SESSION_IDS[name]);
      expect(s, name).toMatchObject({ __typename: 'SharePointRestoreSession', status, isTerminal: terminal, restoreJobType: 'STANDARD' });
    }
    expect(await session(SEED_SESSION_IDS.exchange)).toMatchObject({ __typename: 'ExchangeRestoreSession', status: 'COMPLETED' });
    expect(await session(SEED_SESSION_IDS.oneDrive)).toMatchObject({
      __typename: 'OneDriveForBusinessRestoreSession',
      status: 'COMPLETED_WITH_ERROR',
      progress: { total: 3, completed: 2, failed: 1, inProgress: 0 },
    });
  });

  it('derives progress and turns Graph placeholder dates into null', async () => {
    const raw = await gw.t.graph<{ completedDateTime: string }>(
      'GET',
      `/solutions/backupRestore/restoreSessions/${SEED_SESSION_IDS.draft}`,
    );
    expect(raw.body.completedDateTime).toMatch(/^0001-01-01T00:00:00/);
    const draft = await session(SEED_SESSION_IDS.draft);
    expect(draft?.completedDateTime).toBeNull();
    expect(draft?.createdDateTime).toBe('2025-06-02T08:50:00.000Z');
    expect(draft?.progress).toEqual({ total: 3, inProgress: 0, completed: 0, failed: 0, percentComplete: 0 });

    const failed = await session(SEED_SESSION_IDS.failed);
    expect(failed?.progress).toEqual({ total: 2, inProgress: 0, completed: 0, failed: 2, percentComplete: 100 });
    expect(failed?.completedDateTime).not.toBeNull();
    expect(failed?.error?.code).toBe('RestoreSessionFailed');

    const large = await session(SEED_SESSION_IDS.large);
    expect(large?.progress.total).toBe(65);
    expect(large?.progress.percentComplete).toBeCloseTo(((large!.progress.completed + large!.progress.failed) / 65) * 100, 6);
  });

  it('follows a restore through ACTIVATING, ACTIVE and COMPLETED as the emulator clock advances', async () => {
    const id = SEED_SESSION_IDS.draft;
    const activated = await gw.t.graph('POST', `/solutions/backupRestore/restoreSessions/${id}/activate`);
    expect(activated.status).toBe(200);
    const artifactsOf = async (): Promise<string[]> => {
      const res = await gw.query<{ restoreSession: { siteRestoreArtifacts: { nodes: Array<{ status: string; isTerminal: boolean }> } } }>(
        `query ($id: ID!) { restoreSession(id: $id) { ... on SharePointRestoreSession { siteRestoreArtifacts { nodes { status isTerminal } } } } }`,
        { id },
      );
      expect(res.errors).toBeUndefined();
      return res.data!.restoreSession.siteRestoreArtifacts.nodes.map((n) => n.status);
    };
    expect((await session(id))?.status).toBe('ACTIVATING');
    expect(await artifactsOf()).toEqual(['SCHEDULING', 'SCHEDULING', 'SCHEDULING']);
    gw.t.emu.advanceClock(1_000);
    expect((await session(id))?.status).toBe('ACTIVE');
    expect(await artifactsOf()).toEqual(['SCHEDULED', 'SCHEDULED', 'SCHEDULED']);
    gw.t.emu.advanceClock(2_500);
    expect(await artifactsOf()).toEqual(['IN_PROGRESS', 'IN_PROGRESS', 'SCHEDULED']);
    gw.t.emu.advanceClock(10_000);
    const done = await session(id);
    expect(done).toMatchObject({ status: 'COMPLETED', isTerminal: true, progress: { total: 3, completed: 3, percentComplete: 100 } });
    expect(done?.completedDateTime).not.toBeNull();
    expect(await artifactsOf()).toEqual(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']);
  });

  it('answers null for an id Graph does not know, and BAD_USER_INPUT for one that is not a GUID', async () => {
    expect(await session(randomUUID())).toBeNull();
    const res = await gw.query(`{ restoreSession(id: "not-a-session-id") { id } }`);
    expect(res.data).toEqual({ restoreSession: null });
    // Refused by the gateway before any Graph call (test/gateway/id-validation.test.ts has the rest).
    expect(res.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', argument: 'id' });
    expect(res.errors?.[0]?.path).toEqual(['restoreSession']);
  });

  it('shows who created a session as an identity set with a federated User', async () => {
    const res = await gw.query<{ restoreSession: { createdBy: Record<string, unknown> } }>(
      `query ($id: ID!) { restoreSession(id: $id) { createdBy { user { id } userIdentity { id displayName email } application { displayName } device { id } } } }`,
      { id: SEED_SESSION_IDS.emptyDraft },
    );
    expect(res.errors).toBeUndefined();
    const createdBy = res.data!.restoreSession.createdBy as {
      user: { id: string };
      userIdentity: { id: string; displayName: string; email: string };
      device: null;
    };
    expect(createdBy.userIdentity).toMatchObject({ displayName: 'Megan Bowen', email: 'meganb@contoso.onmicrosoft.com' });
    expect(createdBy.user.id).toBe(createdBy.userIdentity.id);
    expect(createdBy.device).toBeNull();
  });
});

describe('restoreSessions and sharePointRestoreSessions', () => {
  const LIST = `query ($first: Int, $after: String, $filter: RestoreSessionFilter) {
    restoreSessions(first: $first, after: $after, filter: $filter) {
      totalCount
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      edges { cursor node { __typename id status restoreJobType } }
      nodes { id }
    }
  }`;
  interface Page {
    totalCount: number | null;
    pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
    edges: Array<{ cursor: string; node: { __typename: string; id: string; status: string; restoreJobType: string } }>;
    nodes: Array<{ id: string }>;
  }
  const list = async (variables: Record<string, unknown>): Promise<Page> => {
    const res = await gw.query<{ restoreSessions: Page }>(LIST, variables);
    expect(res.errors).toBeUndefined();
    return res.data!.restoreSessions;
  };

  it('lists every family polymorphically, with totalCount, edges, nodes and pageInfo', async () => {
    const page = await list({ first: 50 });
    expect(page.totalCount).toBe(9);
    expect(page.nodes.map((n) => n.id).sort()).toEqual(Object.values(SEED_SESSION_IDS).sort());
    expect(page.edges.map((e) => e.node.id)).toEqual(page.nodes.map((n) => n.id));
    const typenames = new Map(page.edges.map((e) => [e.node.id, e.node.__typename]));
    expect(typenames.get(SEED_SESSION_IDS.exchange)).toBe('ExchangeRestoreSession');
    expect(typenames.get(SEED_SESSION_IDS.oneDrive)).toBe('OneDriveForBusinessRestoreSession');
    expect(typenames.get(SEED_SESSION_IDS.large)).toBe('SharePointRestoreSession');
    expect(page.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: false });
    expect(page.pageInfo.endCursor).toBe(page.edges.at(-1)?.cursor);
  });

  it('pages with opaque cursors to the end, whatever the page size', async () => {
    for (const first of [1, 2, 4, 20]) {
      const seen: string[] = [];
      let after: string | null = null;
      for (let pages = 0; pages < 20; pages++) {
        const page = await list({ first, after });
        expect(page.nodes.length).toBeLessThanOrEqual(first);
        expect(page.pageInfo.hasPreviousPage).toBe(after !== null);
        seen.push(...page.nodes.map((n) => n.id));
        if (!page.pageInfo.hasNextPage) break;
        after = page.pageInfo.endCursor;
      }
      expect(new Set(seen).size, `first: ${first}`).toBe(9);
      expect(seen).toHaveLength(9);
    }
    // A cursor continues after its own edge, not only after the page's end.
    const page = await list({ first: 5 });
    const fromSecond = await list({ first: 2, after: page.edges[1]!.cursor });
    expect(fromSecond.nodes.map((n) => n.id)).toEqual(page.nodes.slice(2, 4).map((n) => n.id));
  });

  it('filters by status and job type', async () => {
    const terminal = await list({ first: 50, filter: { status: ['COMPLETED', 'FAILED'] } });
    expect(terminal.nodes.map((n) => n.id).sort()).toEqual(
      [SEED_SESSION_IDS.completed, SEED_SESSION_IDS.exchange, SEED_SESSION_IDS.failed].sort(),
    );
    expect(terminal.totalCount).toBe(3);
    const drafts = await list({ first: 50, filter: { status: ['DRAFT'], restoreJobType: ['STANDARD'] } });
    expect(drafts.nodes.map((n) => n.id).sort()).toEqual([SEED_SESSION_IDS.draft, SEED_SESSION_IDS.emptyDraft].sort());
    const bulk = await list({ first: 50, filter: { restoreJobType: ['BULK', 'GRANULAR'] } });
    expect(bulk.nodes).toEqual([]);
    expect(bulk.pageInfo).toMatchObject({ hasNextPage: false, endCursor: null });
    // Explicit nulls mean "no filter".
    expect((await list({ first: 50, filter: { status: null, restoreJobType: null } })).totalCount).toBe(9);
  });

  it('refuses UNKNOWN_FUTURE_VALUE in filters, out-of-range page sizes and foreign cursors with BAD_USER_INPUT', async () => {
    for (const [variables, argument] of [
      [{ filter: { status: ['UNKNOWN_FUTURE_VALUE'] } }, 'filter.status'],
      [{ filter: { restoreJobType: ['UNKNOWN_FUTURE_VALUE'] } }, 'filter.restoreJobType'],
      [{ first: 0 }, 'first'],
      [{ first: 101 }, 'first'],
      [{ after: 'not-a-cursor' }, 'after'],
    ] as const) {
      const res = await gw.query(LIST, variables);
      expect(res.data, JSON.stringify(variables)).toEqual({ restoreSessions: null });
      expect(res.errors?.[0]?.extensions, JSON.stringify(variables)).toMatchObject({ code: 'BAD_USER_INPUT', argument });
    }
    // A cursor of a filtered list is not a cursor of the unfiltered one.
    const filtered = await list({ first: 1, filter: { status: ['DRAFT'] } });
    const res = await gw.query(LIST, { after: filtered.pageInfo.endCursor });
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'after' });
    // first: null is "the default", as for a missing argument.
    expect((await list({ first: null })).nodes).toHaveLength(9);
    expect(gw.graphEntries().filter((e) => e.status >= 400)).toEqual([]);
  });

  it('lists SharePoint sessions only, with the same filters', async () => {
    const res = await gw.query<{
      sharePointRestoreSessions: { totalCount: number; nodes: Array<{ __typename: string; id: string; status: string }> };
    }>(
      `{ sharePointRestoreSessions(first: 50) { totalCount nodes { __typename id status } }
         failed: sharePointRestoreSessions(filter: { status: [FAILED, COMPLETED_WITH_ERROR] }) { totalCount nodes { id status } } }`,
    );
    expect(res.errors).toBeUndefined();
    const all = res.data!.sharePointRestoreSessions;
    expect(all.totalCount).toBe(7);
    expect(new Set(all.nodes.map((n) => n.__typename))).toEqual(new Set(['SharePointRestoreSession']));
    const failed = (res.data as unknown as { failed: { nodes: Array<{ id: string; status: string }> } }).failed;
    expect(failed.nodes.map((n) => n.id).sort()).toEqual([SEED_SESSION_IDS.failed, SEED_SESSION_IDS.completedWithError].sort());
  });
});

describe('SharePointRestoreSession.siteRestoreArtifacts', () => {
  const ARTIFACTS = `query ($id: ID!, $first: Int, $after: String, $filter: SiteRestoreArtifactFilter) {
    restoreSession(id: $id) {
      ... on SharePointRestoreSession {
        siteRestoreArtifacts(first: $first, after: $after, filter: $filter) {
          totalCount
          pageInfo { hasNextPage hasPreviousPage endCursor }
          edges { cursor node { id restoreSessionId status isTerminal destinationType } }
        }
      }
    }
  }`;
  interface ArtifactPage {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; endCursor: string | null };
    edges: Array<{
      cursor: string;
      node: { id: string; restoreSessionId: string; status: string; isTerminal: boolean; destinationType: string };
    }>;
  }
  const artifacts = async (variables: Record<string, unknown>): Promise<ArtifactPage> => {
    const res = await gw.query<{ restoreSession: { siteRestoreArtifacts: ArtifactPage } }>(ARTIFACTS, variables);
    expect(res.errors).toBeUndefined();
    return res.data!.restoreSession.siteRestoreArtifacts;
  };

  it('pages to the end of the 65-artifact session through the connection', async () => {
    for (const first of [20, 30, 7, 100]) {
      const ids: string[] = [];
      let after: string | null = null;
      let pages = 0;
      for (;;) {
        const page = await artifacts({ id: SEED_SESSION_IDS.large, first, after });
        pages++;
        expect(page.totalCount).toBe(65);
        ids.push(...page.edges.map((e) => e.node.id));
        expect(page.edges.every((e) => e.node.restoreSessionId === SEED_SESSION_IDS.large)).toBe(true);
        if (!page.pageInfo.hasNextPage) break;
        after = page.pageInfo.endCursor;
        expect(pages).toBeLessThan(70);
      }
      expect(ids, `first: ${first}`).toHaveLength(65);
      expect(new Set(ids).size).toBe(65);
      expect(pages).toBe(Math.ceil(65 / first));
    }
  });

  it('filters by artifact status', async () => {
    const failed = await artifacts({ id: SEED_SESSION_IDS.completedWithError, filter: { status: ['FAILED'] } });
    expect(failed.totalCount).toBe(1);
    expect(failed.edges[0]?.node).toMatchObject({ status: 'FAILED', isTerminal: true, destinationType: 'IN_PLACE' });
    const succeeded = await artifacts({ id: SEED_SESSION_IDS.completedWithError, filter: { status: ['SUCCEEDED', 'IN_PROGRESS'] } });
    expect(succeeded.edges.map((e) => e.node.status)).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    const added = await artifacts({ id: SEED_SESSION_IDS.draft, filter: { status: ['ADDED'] } });
    expect(added.edges.map((e) => e.node.isTerminal)).toEqual([false, false, false]);
    const res = await gw.query(ARTIFACTS, { id: SEED_SESSION_IDS.draft, filter: { status: ['UNKNOWN_FUTURE_VALUE'] } });
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'filter.status' });
    expect(res.errors?.[0]?.path).toEqual(['restoreSession', 'siteRestoreArtifacts']);
  });

  it('resolves each artifact restore point, protection unit and session', async () => {
    const res = await gw.query<{
      restoreSession: {
        siteRestoreArtifacts: {
          nodes: Array<{
            id: string;
            status: string;
            error: { code: string; message: string | null; details: unknown[] } | null;
            restorePointId: string;
            restoredSiteId: string | null;
            restoredSite: { id: string } | null;
            restoredSiteWebUrl: string | null;
            startDateTime: string | null;
            completionDateTime: string | null;
            restorePoint: {
              id: string;
              protectionDateTime: string;
              expirationDateTime: string;
              tags: string;
              protectionUnit: { id: string; siteName: string; status: string };
            };
            restoreSession: { id: string; status: string };
          }>;
        };
      };
    }>(
      `query ($id: ID!) { restoreSession(id: $id) { ... on SharePointRestoreSession { siteRestoreArtifacts {
          nodes { id status error { code message details { code } } restorePointId restoredSiteId restoredSite { id } restoredSiteWebUrl startDateTime completionDateTime
            restorePoint { id protectionDateTime expirationDateTime tags protectionUnit { id status ... on SiteProtectionUnit { siteName } } }
            restoreSession { id status } } } } } }`,
      { id: SEED_SESSION_IDS.failed },
    );
    expect(res.errors).toBeUndefined();
    const [legalHold, removed] = res.data!.restoreSession.siteRestoreArtifacts.nodes;
    expect(legalHold).toMatchObject({
      status: 'FAILED',
      error: { code: 'ArtifactCannotBeRestored', details: [] },
      restorePointId: seedRestorePointId(LEGAL_HOLD_SITE_INDEX, 1),
      restoredSite: null,
      restorePoint: {
        id: seedRestorePointId(LEGAL_HOLD_SITE_INDEX, 1),
        protectionDateTime: '2025-06-01T00:00:00.000Z',
        tags: 'FAST_RESTORE',
        protectionUnit: { id: seedUnitId(LEGAL_HOLD_SITE_INDEX), siteName: 'LegalHoldArchive', status: 'PROTECTED' },
      },
      restoreSession: { id: SEED_SESSION_IDS.failed, status: 'FAILED' },
    });
    expect(legalHold?.startDateTime).not.toBeNull();
    expect(removed?.error?.code).toBe('ArtifactNotFound');
    expect(removed?.restorePoint.protectionUnit).toMatchObject({ siteName: 'RetiredProjects', status: 'REMOVE_REQUESTED' });

    // The inline restore point answers its dates without a call; the tags need the restore point, read with its unit
    // expanded, and that copy of the unit answers the unit's fields: no call for the unit itself. A Graph that refuses
    // the expansion is asked for each point's unit beside the point (after one refused read per point, the first time).
    const paths = gw
      .graphEntries()
      .filter((e) => e.kind !== 'batch')
      .map((e) => e.path.split('?')[0]!.split('/').slice(2));
    const points = paths.filter((p) => p[0] === 'restorePoints');
    if (suiteProfile() === 'strict') {
      expect(points.filter((p) => p[2] === 'protectionUnit')).toHaveLength(2);
      expect(points.length).toBeLessThanOrEqual(6);
    } else expect(points).toHaveLength(2);
    expect(paths.filter((p) => p[0] === 'protectionUnits')).toHaveLength(0);
  });

  it('does not read restore points when the inline copy answers the query', async () => {
    const res = await gw.query(
      `query ($id: ID!) { restoreSession(id: $id) { ... on SharePointRestoreSession { siteRestoreArtifacts(first: 100) { nodes { restorePoint { id protectionDateTime expirationDateTime } } } } } }`,
      { id: SEED_SESSION_IDS.large },
    );
    expect(res.errors).toBeUndefined();
    expect(gw.graphEntries().map((e) => e.path.split('/')[2])).toEqual(['restoreSessions', 'sharePointRestoreSessions']);
  });

  it('lists bulk addition requests', async () => {
    const sessionId = SEED_SESSION_IDS.emptyDraft;
    const created = await gw.t.graph(
      'POST',
      `/solutions/backupRestore/sharePointRestoreSessions/${sessionId}/siteRestoreArtifactsBulkAdditionRequests`,
      {
        body: {
          displayName: 'Finance sites',
          siteWebUrls: ['https://contoso.sharepoint.com/sites/Finance01'],
          destinationType: 'new',
          protectionTimePeriod: { startDateTime: '2025-05-20T00:00:00Z', endDateTime: '2025-06-01T00:00:00Z' },
          restorePointPreference: 'latest',
          tags: 'fastRestore',
        },
      },
    );
    expect(created.status).toBe(201);
    const res = await gw.query<{ restoreSession: { siteRestoreArtifactsBulkAdditionRequests: Array<Record<string, unknown>> } }>(
      `query ($id: ID!) { restoreSession(id: $id) { ... on SharePointRestoreSession { siteRestoreArtifactsBulkAdditionRequests {
          id restoreSessionId displayName destinationType status isTerminal restorePointPreference tags error { code }
          protectionTimePeriod { startDateTime endDateTime } createdDateTime createdBy { application { id } } } } } }`,
      { id: sessionId },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.restoreSession.siteRestoreArtifactsBulkAdditionRequests).toEqual([
      expect.objectContaining({
        restoreSessionId: sessionId,
        displayName: 'Finance sites',
        destinationType: 'NEW',
        status: 'ACTIVE',
        isTerminal: false,
        restorePointPreference: 'LATEST',
        tags: 'FAST_RESTORE',
        error: null,
        protectionTimePeriod: { startDateTime: '2025-05-20T00:00:00.000Z', endDateTime: '2025-06-01T00:00:00.000Z' },
      }),
    ]);
  });
});

describe('protection units and restore points', () => {
  interface UnitPage {
    siteProtectionUnits: {
      totalCount: number;
      pageInfo: { hasNextPage: boolean; endCursor: string };
      nodes: Array<{
        id: string;
        siteName: string;
        siteWebUrl: string;
        siteId: string;
        site: { id: string };
        policyId: string;
        status: string;
        offboardRequestedDateTime: string | null;
      }>;
    };
  }

  it('pages siteProtectionUnits to the end', async () => {
    const ids: string[] = [];
    let after: string | null = null;
    let removed: { status: string; siteName: string } | undefined;
    for (let pages = 0; pages < 10; pages++) {
      const res: GraphQLResponse<UnitPage> = await gw.query<UnitPage>(
        `query ($after: String) { siteProtectionUnits(first: 25, after: $after) { totalCount pageInfo { hasNextPage endCursor }
            nodes { id siteName siteWebUrl siteId site { id } policyId status offboardRequestedDateTime } } }`,
        { after },
      );
      expect(res.errors).toBeUndefined();
      const page = res.data!.siteProtectionUnits;
      // A Graph that counts neither ($count) nor pages to order ($top) leaves the count to the page that reaches the end.
      const known = suiteProfile() !== 'strict' || !page.pageInfo.hasNextPage;
      expect(page.totalCount).toBe(known ? 72 : null);
      for (const u of page.nodes) {
        expect(u.site.id).toBe(u.siteId);
        expect(u.siteWebUrl).toBe(`https://contoso.sharepoint.com/sites/${u.siteName}`);
        expect(u.offboardRequestedDateTime).toBeNull();
      }
      ids.push(...page.nodes.map((u) => u.id));
      removed ??= page.nodes.find((u) => u.id === seedUnitId(REMOVED_SITE_INDEX));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(new Set(ids).size).toBe(72);
    expect(removed).toMatchObject({ siteName: 'RetiredProjects', status: 'REMOVE_REQUESTED' });
  });

  it('lists the newest five restore points of a unit, and older ones with before', async () => {
    const QUERY = `query ($unit: ID!, $before: DateTime) { restorePoints(protectionUnitId: $unit, before: $before) {
      id protectionDateTime expirationDateTime tags protectionUnit { id ... on SiteProtectionUnit { siteName } } } }`;
    const first = await gw.query<{
      restorePoints: Array<{ id: string; protectionDateTime: string; tags: string; protectionUnit: { id: string; siteName: string } }>;
    }>(QUERY, {
      unit: seedUnitId(0),
    });
    expect(first.errors).toBeUndefined();
    const points = first.data!.restorePoints;
    expect(points.map((p) => p.id)).toEqual([0, 1, 2, 3, 4].map((day) => seedRestorePointId(0, day)));
    expect(points[0]).toMatchObject({
      protectionDateTime: '2025-06-02T00:00:00.000Z',
      tags: 'FAST_RESTORE',
      protectionUnit: { id: seedUnitId(0), siteName: 'Finance01' },
    });
    const older = await gw.query<{ restorePoints: Array<{ id: string; tags: string }> }>(QUERY, {
      unit: seedUnitId(0),
      before: points[4]!.protectionDateTime,
    });
    expect(older.data!.restorePoints.map((p) => p.id)).toEqual([5, 6, 7, 8, 9].map((day) => seedRestorePointId(0, day)));
    expect(older.data!.restorePoints.map((p) => p.tags)).toEqual(['FAST_RESTORE', 'FAST_RESTORE', 'NONE', 'NONE', 'NONE']);
    const none = await gw.query<{ restorePoints: unknown[] }>(QUERY, { unit: seedUnitId(0), before: '2020-01-01T00:00:00Z' });
    expect(none.data).toEqual({ restorePoints: [] });
  });

  it('reads one restore point, and null for one Graph does not know', async () => {
    const res = await gw.query<{ known: Record<string, unknown>; unknown: null }>(
      `query ($known: ID!, $unknown: ID!) {
        known: restorePoint(id: $known) { id protectionDateTime expirationDateTime tags protectionUnit { id status ... on SiteProtectionUnit { siteName } } }
        unknown: restorePoint(id: $unknown) { id } }`,
      { known: seedRestorePointId(5, 10), unknown: `${randomUUID()}_1748563200_14_1` },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.known).toEqual({
      id: seedRestorePointId(5, 10),
      protectionDateTime: '2025-05-23T00:00:00.000Z',
      expirationDateTime: '2026-05-23T00:00:00.000Z',
      tags: 'NONE',
      protectionUnit: { id: seedUnitId(5), siteName: 'HR01', status: 'PROTECTED' },
    });
    expect(res.data!.unknown).toBeNull();
  });

  it('searches restore points across units', async () => {
    const SEARCH = `query ($input: SearchRestorePointsInput!) { searchRestorePoints(input: $input) {
      searchResponseId noResultProtectionUnitIds
      results { artifactHitCount restorePoint { id protectionDateTime tags protectionUnit { id ... on SiteProtectionUnit { siteName } } } } } }`;
    type Search = {
      searchRestorePoints: {
        noResultProtectionUnitIds: string[];
        results: Array<{ artifactHitCount: null; restorePoint: { id: string; tags: string; protectionUnit: { id: string } } }>;
      };
    };
    const latest = await gw.query<Search>(SEARCH, {
      input: {
        protectionUnitIds: [seedUnitId(0), seedUnitId(1)],
        startDateTime: '2025-05-25T00:00:00Z',
        endDateTime: '2025-06-01T12:00:00Z',
        preference: 'LATEST',
      },
    });
    expect(latest.errors).toBeUndefined();
    const hits = latest.data!.searchRestorePoints.results;
    expect(hits.map((h) => h.restorePoint.id).sort()).toEqual([seedRestorePointId(0, 1), seedRestorePointId(1, 1)].sort());
    expect(hits.every((h) => h.artifactHitCount === null)).toBe(true);
    expect(hits.find((h) => h.restorePoint.id === seedRestorePointId(0, 1))?.restorePoint.protectionUnit.id).toBe(seedUnitId(0));
    expect(latest.data!.searchRestorePoints.noResultProtectionUnitIds).toEqual([]);

    const oldestTagged = await gw.query<Search>(SEARCH, {
      input: { protectionUnitIds: [seedUnitId(2)], startDateTime: '2025-05-01T00:00:00Z', preference: 'OLDEST', tags: 'FAST_RESTORE' },
    });
    expect(oldestTagged.data!.searchRestorePoints.results.map((h) => h.restorePoint.id)).toEqual([seedRestorePointId(2, 6)]);

    const empty = await gw.query<Search>(SEARCH, {
      input: { protectionUnitIds: [seedUnitId(3)], startDateTime: '2024-01-01T00:00:00Z', endDateTime: '2024-02-01T00:00:00Z' },
    });
    expect(empty.data!.searchRestorePoints).toMatchObject({ results: [], noResultProtectionUnitIds: [seedUnitId(3)] });
  });

  it('validates search input before calling Graph', async () => {
    const SEARCH = `query ($input: SearchRestorePointsInput!) { searchRestorePoints(input: $input) { searchResponseId } }`;
    const base = { protectionUnitIds: [seedUnitId(0)], startDateTime: '2025-05-25T00:00:00Z' };
    for (const [input, argument] of [
      [{ ...base, protectionUnitIds: [] }, 'input.protectionUnitIds'],
      [{ ...base, protectionUnitIds: Array.from({ length: 21 }, (_, i) => seedUnitId(i)) }, 'input.protectionUnitIds'],
      [{ ...base, preference: 'UNKNOWN_FUTURE_VALUE' }, 'input.preference'],
      [{ ...base, tags: 'UNKNOWN_FUTURE_VALUE' }, 'input.tags'],
      [{ ...base, endDateTime: '2025-05-01T00:00:00Z' }, 'input.endDateTime'],
    ] as const) {
      const res = await gw.query(SEARCH, { input });
      expect(res.data, JSON.stringify(input)).toEqual({ searchRestorePoints: null });
      expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument });
    }
    expect(gw.graphEntries()).toEqual([]);
  });
});

describe('federation entities', () => {
  it('resolves references through the same loaders, and unknown ones to null', async () => {
    const artifactId = (
      await gw.t.graph<{ value: Array<{ id: string }> }>(
        'GET',
        `/solutions/backupRestore/sharePointRestoreSessions/${SEED_SESSION_IDS.completed}/siteRestoreArtifacts`,
      )
    ).body.value[0]!.id;
    const representations = [
      { __typename: 'RestoreSession', id: SEED_SESSION_IDS.failed },
      { __typename: 'SharePointRestoreSession', id: SEED_SESSION_IDS.active },
      { __typename: 'ExchangeRestoreSession', id: SEED_SESSION_IDS.exchange },
      { __typename: 'OneDriveForBusinessRestoreSession', id: SEED_SESSION_IDS.oneDrive },
      { __typename: 'SiteRestoreArtifact', id: artifactId, restoreSessionId: SEED_SESSION_IDS.completed },
      { __typename: 'RestorePoint', id: seedRestorePointId(3, 2) },
      { __typename: 'SiteProtectionUnit', id: seedUnitId(4) },
      { __typename: 'RestoreSession', id: randomUUID() },
      { __typename: 'SharePointRestoreSession', id: SEED_SESSION_IDS.exchange },
      { __typename: 'SiteRestoreArtifact', id: randomUUID(), restoreSessionId: SEED_SESSION_IDS.completed },
      { __typename: 'RestorePoint', id: `${randomUUID()}_1748563200_14_1` },
      { __typename: 'SiteProtectionUnit', id: randomUUID() },
    ];
    const res = await gw.query<{ _entities: Array<Record<string, unknown> | null> }>(
      `query ($representations: [_Any!]!) { _entities(representations: $representations) {
        __typename
        ... on RestoreSession { id status }
        ... on SiteRestoreArtifact { id artifactStatus: status restoreSessionId }
        ... on RestorePoint { id protectionDateTime }
        ... on SiteProtectionUnit { id siteName }
      } }`,
      { representations },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!._entities).toEqual([
      { __typename: 'SharePointRestoreSession', id: SEED_SESSION_IDS.failed, status: 'FAILED' },
      { __typename: 'SharePointRestoreSession', id: SEED_SESSION_IDS.active, status: 'ACTIVE' },
      { __typename: 'ExchangeRestoreSession', id: SEED_SESSION_IDS.exchange, status: 'COMPLETED' },
      { __typename: 'OneDriveForBusinessRestoreSession', id: SEED_SESSION_IDS.oneDrive, status: 'COMPLETED_WITH_ERROR' },
      { __typename: 'SiteRestoreArtifact', id: artifactId, artifactStatus: 'SUCCEEDED', restoreSessionId: SEED_SESSION_IDS.completed },
      { __typename: 'RestorePoint', id: seedRestorePointId(3, 2), protectionDateTime: '2025-05-31T00:00:00.000Z' },
      { __typename: 'SiteProtectionUnit', id: seedUnitId(4), siteName: 'Sales01' },
      null,
      null,
      null,
      null,
      null,
    ]);
  });
});

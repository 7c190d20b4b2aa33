import { describe, expect, it } from 'vitest';
import {
  LEGAL_HOLD_MAILBOX_INDEX,
  SEED_DRIVE_COUNT,
  SEED_MAILBOX_COUNT,
  SEED_SESSION_ARTIFACT_IDS,
  SEED_SESSION_IDS,
  seedDriveRestorePointId,
  seedDriveUnitId,
  seedMailboxRestorePointId,
  seedMailboxUnitId,
  seedUnitId,
} from '@restore-session-gateway/graph-emulator';
import { useTestGateway } from './harness.js';

// Exchange and OneDrive reads over real HTTP against the in-process emulator (manual clock): each family's artifacts,
// their filters, paging and per-item errors. The `strict` project runs it again against a Graph that allows only the
// documented query options.

const gw = useTestGateway();

const ARTIFACT = `id restoreSessionId destinationType status isTerminal startDateTime completionDateTime
  error { code message } restorePointId restorePoint { id protectionDateTime }`;

const MAILBOXES = `query ($id: ID!, $first: Int, $after: String, $filter: MailboxRestoreArtifactFilter) {
  restoreSession(id: $id) {
    __typename
    ... on ExchangeRestoreSession {
      mailboxRestoreArtifacts(first: $first, after: $after, filter: $filter) {
        totalCount pageInfo { hasNextPage endCursor }
        nodes { __typename ${ARTIFACT} restoredFolderId restoredFolderName restoredItemCount restoreSession { id status } }
      }
    }
  }
}`;

const DRIVES = `query ($id: ID!, $first: Int, $after: String, $filter: DriveRestoreArtifactFilter) {
  restoreSession(id: $id) {
    ... on OneDriveForBusinessRestoreSession {
      driveRestoreArtifacts(first: $first, after: $after, filter: $filter) {
        totalCount pageInfo { hasNextPage endCursor }
        nodes { __typename ${ARTIFACT} restoredSiteId restoredSite { id } restoredSiteName restoredSiteWebUrl
          restoreSession { id status } }
      }
    }
  }
}`;

interface ArtifactView {
  __typename: string;
  id: string;
  restoreSessionId: string;
  destinationType: string;
  status: string;
  isTerminal: boolean;
  startDateTime: string | null;
  completionDateTime: string | null;
  error: { code: string; message: string | null } | null;
  restorePointId: string | null;
  restorePoint: { id: string; protectionDateTime: string | null } | null;
  restoreSession: { id: string; status: string } | null;
  [field: string]: unknown;
}

interface Page {
  totalCount: number | null;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  nodes: ArtifactView[];
}

async function mailboxes(id: string, vars: Record<string, unknown> = {}): Promise<Page> {
  const res = await gw.query<{ restoreSession: { mailboxRestoreArtifacts: Page } }>(MAILBOXES, { id, ...vars });
  expect(res.errors).toBeUndefined();
  return res.data!.restoreSession.mailboxRestoreArtifacts;
}

async function drives(id: string, vars: Record<string, unknown> = {}): Promise<Page> {
  const res = await gw.query<{ restoreSession: { driveRestoreArtifacts: Page } }>(DRIVES, { id, ...vars });
  expect(res.errors).toBeUndefined();
  return res.data!.restoreSession.driveRestoreArtifacts;
}

/** Every page of a list, `first` at a time, following `endCursor` to the end. */
async function allPages(read: (vars: Record<string, unknown>) => Promise<Page>, first: number): Promise<Page[]> {
  const pages: Page[] = [];
  let after: string | null = null;
  do {
    const page = await read({ first, after });
    pages.push(page);
    after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
  } while (after !== null && pages.length < 50);
  return pages;
}

describe('ExchangeRestoreSession.mailboxRestoreArtifacts', () => {
  it('lists the seeded mailboxes restored in place, with their folders, restore points and session', async () => {
    const page = await mailboxes(SEED_SESSION_IDS.exchange);
    expect(page.nodes.map((n) => n.id)).toEqual([...SEED_SESSION_ARTIFACT_IDS.exchange]);
    expect(page.pageInfo.hasNextPage).toBe(false);
    for (const n of page.nodes) {
      expect(n).toMatchObject({
        __typename: 'MailboxRestoreArtifact',
        restoreSessionId: SEED_SESSION_IDS.exchange,
        destinationType: 'IN_PLACE',
        status: 'SUCCEEDED',
        isTerminal: true,
        error: null,
        restoreSession: { id: SEED_SESSION_IDS.exchange, status: 'COMPLETED' },
      });
      expect(n.restoredFolderName).toEqual(expect.any(String));
      expect(n.restoredItemCount).toEqual(expect.any(Number));
      expect(n.completionDateTime).not.toBeNull();
      expect(n.restorePoint?.id).toBe(n.restorePointId);
      expect(n.restorePoint?.protectionDateTime).not.toBeNull();
    }
  });

  it('pages to the end and filters by status', async () => {
    const pages = await allPages((vars) => mailboxes(SEED_SESSION_IDS.exchange, vars), 3);
    expect(pages.map((p) => p.nodes.length)).toEqual([3, 1]);
    expect(pages.flatMap((p) => p.nodes.map((n) => n.id))).toEqual([...SEED_SESSION_ARTIFACT_IDS.exchange]);
    expect(pages.at(-1)?.pageInfo).toEqual({ hasNextPage: false, endCursor: expect.any(String) });
    const failed = await mailboxes(SEED_SESSION_IDS.exchange, { filter: { status: ['FAILED'] } });
    expect(failed).toMatchObject({ nodes: [], pageInfo: { hasNextPage: false } });
    const succeeded = await mailboxes(SEED_SESSION_IDS.exchange, { filter: { status: ['SUCCEEDED', 'FAILED'] } });
    expect(succeeded.nodes).toHaveLength(4);
  });

  it('reports a held mailbox as a per-artifact error and a new folder for the others', async () => {
    const created = await gw.t.graph<{ id: string }>('POST', '/solutions/backupRestore/exchangeRestoreSessions', {
      body: {
        mailboxRestoreArtifacts: [1, LEGAL_HOLD_MAILBOX_INDEX].map((i) => ({
          restorePoint: { id: seedMailboxRestorePointId(i, 1, gw.t.emu.seed.clockStart) },
          destinationType: 'new',
        })),
      },
    });
    expect(created.status).toBe(201);
    const id = created.body.id;
    expect((await gw.t.graph('POST', `/solutions/backupRestore/restoreSessions/${id}/activate`)).status).toBe(200);
    const added = await mailboxes(id);
    expect(added.nodes.map((n) => n.status)).toEqual(['SCHEDULING', 'SCHEDULING']);
    expect(added.nodes.every((n) => !n.isTerminal && n.completionDateTime === null)).toBe(true);
    gw.t.emu.advanceClock(60_000);
    const done = await mailboxes(id);
    expect(done.nodes.map((n) => [n.status, n.error?.code ?? null])).toEqual([
      ['SUCCEEDED', null],
      ['FAILED', 'ArtifactCannotBeRestored'],
    ]);
    expect(done.nodes[0]).toMatchObject({ destinationType: 'NEW', restoredFolderName: expect.stringMatching(/R1$/) });
    const failed = await mailboxes(id, { filter: { status: ['FAILED'] } });
    expect(failed.nodes.map((n) => n.id)).toEqual([done.nodes[1]!.id]);
  });

  it('refuses UNKNOWN_FUTURE_VALUE in the filter before any Graph call', async () => {
    gw.resetUpstream();
    const res = await gw.query(MAILBOXES, { id: SEED_SESSION_IDS.exchange, filter: { status: ['UNKNOWN_FUTURE_VALUE'] } });
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'filter.status' });
    expect(gw.graphEntries().filter((e) => e.path.includes('mailboxRestoreArtifacts'))).toEqual([]);
  });
});

describe('OneDriveForBusinessRestoreSession.driveRestoreArtifacts', () => {
  it('lists the seeded OneDrives restored to new sites, the held one failing', async () => {
    const page = await drives(SEED_SESSION_IDS.oneDrive);
    expect(page.nodes.map((n) => n.id)).toEqual([...SEED_SESSION_ARTIFACT_IDS.oneDrive]);
    const [first, , held] = page.nodes;
    expect(first).toMatchObject({
      __typename: 'DriveRestoreArtifact',
      destinationType: 'NEW',
      status: 'SUCCEEDED',
      error: null,
      restoreSession: { id: SEED_SESSION_IDS.oneDrive, status: 'COMPLETED_WITH_ERROR' },
    });
    expect(first?.restoredSiteWebUrl).toMatch(/^https:\/\//);
    expect(first?.restoredSite).toEqual({ id: first?.restoredSiteId });
    expect(held).toMatchObject({ status: 'FAILED', isTerminal: true, error: { code: 'ArtifactCannotBeRestored' } });
  });

  it('pages to the end and filters by status', async () => {
    const pages = await allPages((vars) => drives(SEED_SESSION_IDS.oneDrive, vars), 2);
    expect(pages.map((p) => p.nodes.length)).toEqual([2, 1]);
    expect(pages.flatMap((p) => p.nodes.map((n) => n.id))).toEqual([...SEED_SESSION_ARTIFACT_IDS.oneDrive]);
    const failed = await drives(SEED_SESSION_IDS.oneDrive, { filter: { status: ['FAILED'] } });
    expect(failed.nodes.map((n) => n.id)).toEqual([SEED_SESSION_ARTIFACT_IDS.oneDrive[2]]);
  });
});

describe('RestoreArtifact', () => {
  it('answers the shared fields of every family through the interface', async () => {
    const res = await gw.query<{
      sp: { siteRestoreArtifacts: { nodes: Array<{ __typename: string; status: string }> } };
      ex: { mailboxRestoreArtifacts: { nodes: Array<{ __typename: string; status: string; restoreSession: { __typename: string } }> } };
    }>(
      `fragment shared on RestoreArtifact { __typename id status destinationType restoreSession { __typename id } }
       query ($sp: ID!, $ex: ID!) {
        sp: restoreSession(id: $sp) { ... on SharePointRestoreSession { siteRestoreArtifacts(first: 1) { nodes { ...shared } } } }
        ex: restoreSession(id: $ex) { ... on ExchangeRestoreSession { mailboxRestoreArtifacts(first: 1) { nodes { ...shared } } } }
      }`,
      { sp: SEED_SESSION_IDS.completed, ex: SEED_SESSION_IDS.exchange },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data?.sp.siteRestoreArtifacts.nodes[0]).toMatchObject({ __typename: 'SiteRestoreArtifact', status: 'SUCCEEDED' });
    expect(res.data?.ex.mailboxRestoreArtifacts.nodes[0]).toMatchObject({
      __typename: 'MailboxRestoreArtifact',
      restoreSession: { __typename: 'ExchangeRestoreSession' },
    });
  });
});

const UNIT = `__typename id policyId status createdDateTime lastModifiedDateTime offboardRequestedDateTime error { code }
  directoryObjectId displayName email`;

interface UnitView {
  __typename: string;
  id: string;
  [field: string]: unknown;
}
interface UnitPage {
  totalCount: number | null;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  nodes: UnitView[];
}

/** Every page of a unit list, `first` at a time. */
async function unitPages(list: 'mailboxProtectionUnits' | 'driveProtectionUnits', first: number): Promise<UnitPage[]> {
  const extra = list === 'mailboxProtectionUnits' ? 'mailboxType' : '';
  const pages: UnitPage[] = [];
  let after: string | null = null;
  do {
    const res: { errors?: unknown; data?: Record<string, UnitPage> | null } = await gw.query<Record<string, UnitPage>>(
      `query ($first: Int, $after: String) { ${list}(first: $first, after: $after) {
        totalCount pageInfo { hasNextPage endCursor } nodes { ${UNIT} ${extra} } } }`,
      { first, after },
    );
    expect(res.errors).toBeUndefined();
    const page: UnitPage = res.data![list]!;
    pages.push(page);
    after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
  } while (after !== null && pages.length < 50);
  return pages;
}

describe('mailboxProtectionUnits and driveProtectionUnits', () => {
  it('pages every protected mailbox to the end, with its owner and type', async () => {
    const pages = await unitPages('mailboxProtectionUnits', 4);
    const units = pages.flatMap((p) => p.nodes);
    expect(units.map((u) => u.id)).toEqual(Array.from({ length: SEED_MAILBOX_COUNT }, (_, i) => seedMailboxUnitId(i)));
    expect(pages.slice(0, -1).every((p) => p.nodes.length === 4 && p.pageInfo.hasNextPage)).toBe(true);
    expect(pages.at(-1)).toMatchObject({ totalCount: SEED_MAILBOX_COUNT, pageInfo: { hasNextPage: false } });
    for (const u of units) {
      expect(u).toMatchObject({ __typename: 'MailboxProtectionUnit', error: null, offboardRequestedDateTime: null });
      expect(u.status).toEqual(expect.any(String));
      expect(u.email).toMatch(/@/);
      expect(u.displayName).toEqual(expect.any(String));
      expect(u.directoryObjectId).toEqual(expect.any(String));
      expect(u.createdDateTime).not.toBeNull();
    }
    expect(units[0]!.mailboxType).toBe('USER');
    expect(units.at(-1)!.mailboxType).toBe('SHARED');
  });

  it('pages every protected OneDrive to the end, with its owner', async () => {
    const pages = await unitPages('driveProtectionUnits', 3);
    const units = pages.flatMap((p) => p.nodes);
    expect(units.map((u) => u.id)).toEqual(Array.from({ length: SEED_DRIVE_COUNT }, (_, i) => seedDriveUnitId(i)));
    expect(pages.at(-1)).toMatchObject({ totalCount: SEED_DRIVE_COUNT, pageInfo: { hasNextPage: false } });
    for (const u of units) {
      expect(u).toMatchObject({ __typename: 'DriveProtectionUnit', policyId: expect.any(String) });
      expect(u.email).toMatch(/@/);
    }
  });

  it('is FORBIDDEN without BackupRestore-Configuration.Read.All, leaving the other root fields alone', async () => {
    const res = await gw.queryAs<{ mailboxProtectionUnits: null; driveProtectionUnits: null; siteProtectionUnits: { nodes: unknown[] } }>(
      'reader',
      '{ mailboxProtectionUnits { nodes { id } } driveProtectionUnits { totalCount } siteProtectionUnits(first: 1) { nodes { id } } }',
    );
    expect(res.data?.mailboxProtectionUnits).toBeNull();
    expect(res.data?.driveProtectionUnits).toBeNull();
    expect(res.data?.siteProtectionUnits.nodes).toHaveLength(1);
    expect(res.errors?.map((e) => [e.path?.[0], e.extensions?.code]).sort()).toEqual([
      ['driveProtectionUnits', 'FORBIDDEN'],
      ['mailboxProtectionUnits', 'FORBIDDEN'],
    ]);
  });
});

describe('RestorePoint.protectionUnit', () => {
  const POINT = `query ($id: ID!) { restorePoint(id: $id) { id protectionUnit { __typename id status
    ... on SiteProtectionUnit { siteName } ... on MailboxProtectionUnit { email displayName } ... on DriveProtectionUnit { email } } } }`;

  it("answers each family's unit as its own type", async () => {
    const cases = [
      [seedMailboxRestorePointId(1, 0), 'MailboxProtectionUnit', seedMailboxUnitId(1)],
      [seedDriveRestorePointId(2, 1), 'DriveProtectionUnit', seedDriveUnitId(2)],
    ] as const;
    for (const [pointId, typename, unitId] of cases) {
      const res = await gw.query<{ restorePoint: { protectionUnit: UnitView } }>(POINT, { id: pointId });
      expect(res.errors).toBeUndefined();
      expect(res.data?.restorePoint.protectionUnit).toMatchObject({ __typename: typename, id: unitId, email: expect.stringMatching(/@/) });
    }
  });

  it("lists a unit's restore points with their unit's type", async () => {
    const res = await gw.query<{ restorePoints: Array<{ protectionUnit: UnitView }> }>(
      `query ($unit: ID!) { restorePoints(protectionUnitId: $unit) { id protectionUnit { __typename id ... on DriveProtectionUnit { displayName } } } }`,
      { unit: seedDriveUnitId(0) },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.restorePoints.length).toBeGreaterThan(0);
    for (const p of res.data!.restorePoints) {
      expect(p.protectionUnit).toMatchObject({
        __typename: 'DriveProtectionUnit',
        id: seedDriveUnitId(0),
        displayName: expect.any(String),
      });
    }
  });

  it('resolves references of every family in one batch, and a unit asked for as another family is null', async () => {
    gw.resetUpstream();
    const res = await gw.query<{ _entities: Array<UnitView | null> }>(
      `query ($representations: [_Any!]!) { _entities(representations: $representations) {
        ... on ProtectionUnit { __typename id }
        ... on MailboxProtectionUnit { email }
        ... on DriveProtectionUnit { displayName }
      } }`,
      {
        representations: [
          { __typename: 'MailboxProtectionUnit', id: seedMailboxUnitId(0) },
          { __typename: 'DriveProtectionUnit', id: seedDriveUnitId(0) },
          { __typename: 'SiteProtectionUnit', id: seedMailboxUnitId(1) },
          { __typename: 'DriveProtectionUnit', id: seedUnitId(0) },
        ],
      },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!._entities).toEqual([
      { __typename: 'MailboxProtectionUnit', id: seedMailboxUnitId(0), email: expect.stringMatching(/@/) },
      { __typename: 'DriveProtectionUnit', id: seedDriveUnitId(0), displayName: expect.any(String) },
      null,
      null,
    ]);
    const batches = gw.graphEntries().filter((e) => e.kind === 'batch');
    expect(batches).toHaveLength(1);
  });
});

import { describe, expect, it } from 'vitest';
import { graphCalls, upstreamRounds } from '@restore-session-gateway/graph-emulator/testing';
import { dataOf, onlyError } from '../support/graphql.js';
import { BROWSE_CASES, browseHelpers, calls, createDocument } from './browse-support.js';
import { useTestGateway } from './harness.js';

// Browse sessions over real HTTP against the in-process emulator (manual clock), for both families: opening one on a
// fast-restore point, reading and listing them, and walking a backup top → site → library → folder with paths built by
// the gateway, Graph's 50-item pages read to fill any `first`, name filters, the four orders, and the refusals of
// locations and cursors that are not this listing's. Permissions, the role rule, the audit log and batching are in
// browse-access.test.ts.

const gw = useTestGateway();
const DAY = 24 * 60 * 60 * 1000;

describe.each(BROWSE_CASES)('$label browse sessions', (c) => {
  const b = browseHelpers(gw, c);

  it('opens a browse session on a fast-restore point, and reads it back by id and in the list of both families', async () => {
    const session = await b.open(0, 2);
    expect(session).toMatchObject({ __typename: c.typename, status: 'CREATED', error: null });
    expect(session.id).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    expect(typeof session.backupSizeInBytes).toBe('number');
    expect(session.backupSizeInBytes).toBeGreaterThan(0);
    const created = Date.parse(session.createdDateTime!);
    expect(Date.parse(session.expirationDateTime!) - created).toBe(3 * DAY);
    expect(Date.parse(session.restorePointDateTime!)).toBeLessThan(created);
    if (c.label === 'SharePoint') expect(session.site).toEqual({ id: session.siteId });
    else expect(session.directoryObjectId).toMatch(/^[0-9a-f-]{36}$/);
    expect(calls(gw)).toEqual([`POST solutions/backupRestore/${c.graphSet} 201`]);

    gw.resetUpstream();
    const read = `query ($id: ID!) { browseSession(id: $id) { ${'__typename id status backupSizeInBytes expirationDateTime'} } }`;
    expect(dataOf(await gw.query(read, { id: session.id })).browseSession).toEqual({
      __typename: c.typename,
      id: session.id,
      status: 'CREATED',
      backupSizeInBytes: session.backupSizeInBytes,
      expirationDateTime: session.expirationDateTime,
    });
    // Graph has no family-agnostic read of one browse session: both sets are asked, side by side.
    expect(calls(gw).sort()).toEqual(
      [
        `GET solutions/backupRestore/sharePointBrowseSessions/${session.id} ${c.graphSet === 'sharePointBrowseSessions' ? 200 : 404}`,
        `GET solutions/backupRestore/oneDriveForBusinessBrowseSessions/${session.id} ${c.graphSet === 'sharePointBrowseSessions' ? 404 : 200}`,
      ].sort(),
    );
    expect(upstreamRounds(gw.graphEntries())).toBe(1);

    const listed = dataOf(
      await gw.query<{ browseSessions: { totalCount: number | null; nodes: Array<{ __typename: string; id: string }> } }>(
        '{ browseSessions(first: 10) { totalCount nodes { __typename id } } }',
      ),
    ).browseSessions;
    expect(listed.nodes).toContainEqual({ __typename: c.typename, id: session.id });
  });

  it('refuses a restore point that is not a fast-restore point, or of the other family, with Graph’s code', async () => {
    for (const restorePointId of [c.point(0, 10, b.clockStart()), c.otherPoint(b.clockStart())]) {
      const error = onlyError(gw, await gw.query(createDocument(c), { input: { restorePointId } }));
      expect(error.extensions?.code, restorePointId).toBe('BAD_USER_INPUT');
      expect(error.extensions?.graph).toMatchObject({ status: 400, code: expect.any(String) });
    }
    const malformed = onlyError(gw, await gw.query(createDocument(c), { input: { restorePointId: ' ' } }));
    expect(malformed.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'input.restorePointId' });
    expect(calls(gw)).toEqual([`POST solutions/backupRestore/${c.graphSet} 400`, `POST solutions/backupRestore/${c.graphSet} 400`]);
  });

  it('walks top → site → library → folder, building each item’s path and naming what can be opened', async () => {
    const session = await b.open(1);
    const top = await b.items(session.id);
    expect(top.totalCount).toBe(1);
    const site = top.edges[0]!.node;
    expect(site).toMatchObject({ kind: 'SITE', name: c.topName(1), path: `/${c.topName(1)}`, canOpen: true, browseSessionId: session.id });
    expect(site.webUrl).toMatch(/^https:\/\//);
    expect(site.itemCount).toBeGreaterThanOrEqual(1);
    expect(site.location).toEqual(expect.any(String));

    const libraries = await b.items(session.id, { location: site.location });
    const documents = libraries.edges.map((e) => e.node).find((n) => n.name === 'Documents')!;
    expect(documents).toMatchObject({ kind: 'DOCUMENT_LIBRARY', path: `/${c.topName(1)}/Documents`, canOpen: true });
    expect(documents.itemKey.split(',')).toHaveLength(3);

    const content = (await b.items(session.id, { location: documents.location, first: 100 })).edges.map((e) => e.node);
    const reports = content.find((n) => n.name === 'Reports')!;
    expect(reports).toMatchObject({ kind: 'FOLDER', path: `/${c.topName(1)}/Documents/Reports`, canOpen: true, itemCount: 120 });
    const file = content.find((n) => n.kind === 'FILE')!;
    expect(file).toMatchObject({ canOpen: false, location: null, itemCount: null, path: `/${c.topName(1)}/Documents/${file.name}` });
    expect(file.itemKey.split(',')).toHaveLength(4);
    expect(file.sizeInBytes).toBeGreaterThan(0);

    const drafts = await b.walk(session.id, c.topName(1), 'Documents', 'Projects', 'Project Alpha', 'Drafts');
    expect(drafts).toMatchObject({ kind: 'FOLDER', path: `/${c.topName(1)}/Documents/Projects/Project Alpha/Drafts` });
    const inDrafts = (await b.items(session.id, { location: drafts.location })).edges.map((e) => e.node.path);
    expect(inDrafts).toContain(`/${c.topName(1)}/Documents/Projects/Project Alpha/Drafts/diagram.png`);
  });

  it('reads Graph’s 50-item pages to fill any `first`, and its cursors reach the end of a big folder without gaps', async () => {
    const session = await b.open(2);
    const reports = await b.walk(session.id, c.topName(2), 'Documents', 'Reports');
    gw.resetUpstream();
    const byHundred = await b.all(session.id, { location: reports.location, first: 100 });
    expect(byHundred.pages.map((p) => p.edges.length)).toEqual([100, 20]);
    expect(byHundred.pages.map((p) => [p.totalCount, p.pageInfo.hasNextPage, p.pageInfo.hasPreviousPage])).toEqual([
      [120, true, false],
      [120, false, true],
    ]);
    // The first GraphQL page is Graph's first two (the POST, then its nextLink); the second continues at the third.
    const browse = `solutions/backupRestore/${c.graphSet}/${session.id}/browse`;
    const listings = calls(gw).filter((call) => call.includes('/browse'));
    expect(listings.map((call) => call.replace(/\$skiptoken=\S+/, '$skiptoken=…'))).toEqual([
      `POST ${browse} 200`,
      `GET ${browse}?$skiptoken=… 200`,
      `GET ${browse}?$skiptoken=… 200`,
    ]);
    const names = byHundred.nodes.map((n) => n.name);
    expect(new Set(names).size).toBe(120);
    expect(names[0]).toBe('Report 001 - Budget.xlsx');
    for (const n of byHundred.nodes) expect(n.path).toBe(`/${c.topName(2)}/Documents/Reports/${n.name}`);

    const bySeventeen = await b.all(session.id, { location: reports.location, first: 17 });
    expect(bySeventeen.pages.map((p) => p.edges.length)).toEqual([17, 17, 17, 17, 17, 17, 17, 1]);
    expect(bySeventeen.nodes.map((n) => n.name)).toEqual(names);
    // Every edge's cursor continues right after it.
    const page = bySeventeen.pages[2]!;
    const fromEdge = await b.items(session.id, { location: reports.location, first: 3, after: page.edges[5]!.cursor });
    expect(fromEdge.edges.map((e) => e.node.name)).toEqual(names.slice(17 * 2 + 6, 17 * 2 + 9));
  });

  it('filters by name without regard to case, doubling single quotes for Graph', async () => {
    const session = await b.open(3);
    const documents = await b.walk(session.id, c.topName(3), 'Documents');
    const budget = await b.items(session.id, { location: documents.location, nameContains: 'bUdGeT' });
    expect(budget.totalCount).toBeGreaterThan(0);
    expect(budget.edges.map((e) => e.node.name.toLowerCase()).every((n) => n.includes('budget'))).toBe(true);
    const quoted = await b.items(session.id, { location: documents.location, nameContains: "Team's" });
    expect(quoted).toMatchObject({ totalCount: 0, edges: [] });
    const reports = await b.walk(session.id, c.topName(3), 'Documents', 'Reports');
    const filtered = await b.all(session.id, { location: reports.location, nameContains: 'budget', first: 4 });
    const matching = filtered.nodes.map((n) => n.name);
    expect(matching).toHaveLength(15);
    expect(matching.every((n) => n.includes('Budget'))).toBe(true);
    expect(matching).toEqual([...matching].sort());
    expect(filtered.pages.map((p) => p.edges.length)).toEqual([4, 4, 4, 3]);
    expect(filtered.pages[0]!.totalCount).toBe(15);
  });

  it('orders by path or name, either way', async () => {
    const session = await b.open(4);
    const documents = await b.walk(session.id, c.topName(4), 'Documents');
    const names = async (orderBy: string): Promise<string[]> =>
      (await b.items(session.id, { location: documents.location, orderBy, first: 100 })).edges.map((e) => e.node.name);
    const pathAsc = await names('PATH_ASC');
    const nameAsc = await names('NAME_ASC');
    expect(pathAsc).toEqual([...pathAsc].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0)));
    expect(nameAsc).toEqual([...nameAsc].sort((x, y) => x.localeCompare(y, 'en', { sensitivity: 'base', numeric: true })));
    // Lower-case names sort after upper-case ones by path (ordinal), not by name.
    expect(pathAsc).not.toEqual(nameAsc);
    expect(await names('PATH_DESC')).toEqual([...pathAsc].reverse());
    expect(await names('NAME_DESC')).toEqual([...nameAsc].reverse());
    expect((await b.items(session.id, { location: documents.location, first: 100 })).edges.map((e) => e.node.name)).toEqual(pathAsc);
  });
});

describe('locations and cursors that are not this listing’s', () => {
  const [sharePoint, oneDrive] = BROWSE_CASES.map((c) => browseHelpers(gw, c)) as [
    ReturnType<typeof browseHelpers>,
    ReturnType<typeof browseHelpers>,
  ];
  const topName = BROWSE_CASES[0]!.topName;

  it('refuses a malformed location, and one of another browse session, before any Graph call', async () => {
    const session = await sharePoint.open(5);
    const other = await sharePoint.open(5, 1);
    const site = (await sharePoint.items(other.id)).edges[0]!.node;
    const tampered = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(site.location!, 'base64url').toString()), t: 'file' }),
    ).toString('base64url');
    gw.resetUpstream();
    for (const location of ['nope', '', 'e30', site.location!, tampered, 'x'.repeat(9000)]) {
      const res = await sharePoint.list(session.id, { location });
      expect(res.data?.browseSession, location.slice(0, 20)).toEqual({ id: session.id, items: null });
      expect(res.errors, location.slice(0, 20)).toHaveLength(1);
      expect(res.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'location' });
      expect(res.errors![0]!.path).toEqual(['browseSession', 'items']);
    }
    expect(calls(gw).filter((call) => call.includes('/browse'))).toEqual([]);
  });

  it('passes Graph’s refusal of a location it does not know in this session', async () => {
    const session = await oneDrive.open(5);
    const site = (await oneDrive.items(session.id)).edges[0]!.node;
    const forged = JSON.parse(Buffer.from(site.location!, 'base64url').toString()) as Record<string, string>;
    const location = Buffer.from(JSON.stringify({ ...forged, k: `${forged.k},00000000-0000-0000-0000-000000000000` })).toString(
      'base64url',
    );
    const res = await oneDrive.list(session.id, { location });
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', graph: { status: 400 } });
  });

  it('refuses cursors of another location, name filter, order or session, and bad page sizes and filters', async () => {
    const session = await sharePoint.open(6, 2);
    const other = await sharePoint.open(6, 3);
    const documents = await sharePoint.walk(session.id, topName(6), 'Documents');
    const reports = await sharePoint.walk(session.id, topName(6), 'Documents', 'Reports');
    const cursor = (await sharePoint.items(session.id, { location: reports.location, first: 60 })).pageInfo.endCursor!;
    expect((await sharePoint.items(session.id, { location: reports.location, first: 5, after: cursor })).edges).toHaveLength(5);
    gw.resetUpstream();
    const refused: Array<[string, Parameters<typeof sharePoint.list>[1], string]> = [
      ['another location', { location: documents.location, after: cursor }, 'after'],
      ['a name filter', { location: reports.location, nameContains: 'Report', after: cursor }, 'after'],
      ['another order', { location: reports.location, orderBy: 'NAME_ASC', after: cursor }, 'after'],
      ['garbage', { location: reports.location, after: 'not a cursor' }, 'after'],
      ['first 0', { location: reports.location, first: 0 }, 'first'],
      ['first 101', { location: reports.location, first: 101 }, 'first'],
      ['an empty filter', { location: reports.location, nameContains: '' }, 'nameContains'],
      ['a long filter', { location: reports.location, nameContains: 'x'.repeat(256) }, 'nameContains'],
      ['a control character', { location: reports.location, nameContains: 'a\nb' }, 'nameContains'],
    ];
    for (const [label, args, argument] of refused) {
      const res = await sharePoint.list(session.id, args);
      expect(
        res.errors?.map((e) => e.extensions),
        label,
      ).toMatchObject([{ code: 'BAD_USER_INPUT', argument }]);
    }
    const elsewhere = await sharePoint.list(other.id, { after: cursor });
    expect(elsewhere.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'after' });
    // Only the two browse session reads went to Graph: no listing was sent.
    expect(calls(gw).filter((call) => call.includes('/browse'))).toEqual([]);
  });
});

describe('entity references', () => {
  const [sharePoint, oneDrive] = BROWSE_CASES.map((c) => browseHelpers(gw, c)) as [
    ReturnType<typeof browseHelpers>,
    ReturnType<typeof browseHelpers>,
  ];

  it('resolves each family’s references in one round, null for the other family’s session and for an unknown id', async () => {
    const site = await sharePoint.open(8);
    const drive = await oneDrive.open(8);
    gw.resetUpstream();
    const res = await gw.query<{ _entities: Array<{ __typename: string; id: string } | null> }>(
      `query ($r: [_Any!]!) {
        _entities(representations: $r) {
          ... on SharePointBrowseSession { __typename id siteId }
          ... on OneDriveForBusinessBrowseSession { __typename id directoryObjectId }
        }
      }`,
      {
        r: [
          { __typename: 'SharePointBrowseSession', id: site.id },
          { __typename: 'OneDriveForBusinessBrowseSession', id: drive.id },
          { __typename: 'SharePointBrowseSession', id: drive.id },
          { __typename: 'OneDriveForBusinessBrowseSession', id: 'bm8tc3VjaC1icm93c2Utc2Vzc2lvbg' },
        ],
      },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data?._entities).toEqual([
      { __typename: 'SharePointBrowseSession', id: site.id, siteId: site.siteId },
      { __typename: 'OneDriveForBusinessBrowseSession', id: drive.id, directoryObjectId: drive.directoryObjectId },
      null,
      null,
    ]);
    expect(upstreamRounds(gw.graphEntries())).toBe(1);
    const bad = await gw.query('query ($r: [_Any!]!) { _entities(representations: $r) { ... on SharePointBrowseSession { id } } }', {
      r: [{ __typename: 'SharePointBrowseSession', id: ' ' }],
    });
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'representations' });
  });
});

describe('expiry', () => {
  const b = browseHelpers(gw, BROWSE_CASES[0]!);

  it('reads an expired browse session as null, and a listing that outlives it as NOT_FOUND', async () => {
    const session = await b.open(7);
    const site = (await b.items(session.id)).edges[0]!.node;
    gw.t.emu.advanceClock(3 * DAY - 60_000);
    expect((await b.items(session.id, { location: site.location })).totalCount).toBeGreaterThan(0);

    // The session is read while it lives; Graph answers the listing after it expired.
    gw.resetUpstream();
    gw.t.emu.faults.set({
      rules: [
        { path: `solutions/backupRestore/sharePointBrowseSessions/*/browse`, method: 'POST', latency: { fixedMs: 400, jitterMs: 0 } },
      ],
    });
    const pending = b.list(session.id, { location: site.location });
    await waitFor(() => graphCalls(gw.graphEntries()).some((e) => e.method === 'GET'));
    gw.t.emu.advanceClock(2 * 60_000);
    const late = await pending;
    expect(late.data?.browseSession).toEqual({ id: session.id, items: null });
    expect(late.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND', graph: { status: 404 } });
    gw.t.emu.faults.clear();

    const read = await gw.query<{ browseSession: unknown }>('query ($id: ID!) { browseSession(id: $id) { id } }', { id: session.id });
    expect(read).toMatchObject({ data: { browseSession: null } });
    expect(read.errors).toBeUndefined();
    const listed = dataOf(await gw.query<{ browseSessions: { nodes: Array<{ id: string }> } }>('{ browseSessions { nodes { id } } }'));
    expect(listed.browseSessions.nodes.map((n) => n.id)).not.toContain(session.id);
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error('timed out waiting for the condition');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

import { describe, expect, it } from 'vitest';
import { defaultSeed } from '@restore-session-gateway/graph-emulator';
import { graphCalls, upstreamRounds } from '@restore-session-gateway/graph-emulator/testing';
import { dataOf, onlyError } from '../support/graphql.js';
import { BROWSE_CASES, auditLines, browseHelpers, calls, createDocument } from './browse-support.js';
import { useTestGateway, type TestGateway } from './harness.js';

// Who may browse a backup, and what is recorded when they do: the gateway's write permission before any Graph call
// (delegated and app-only callers alike, in OBO and app mode), Graph's role rule for delegated callers arriving as
// FORBIDDEN that names the role, one audit line per listing, lost creates as OUTCOME_UNKNOWN, batching of listings,
// and the cost limit over nested listings.

const [sharePoint, oneDrive] = BROWSE_CASES as [(typeof BROWSE_CASES)[number], (typeof BROWSE_CASES)[number]];

/** Every entry point to browse sessions, each as a document with the variables it needs. */
function entryPoints(clockStart: string, sessionId: string): Array<[string, string, Record<string, unknown>]> {
  return [
    ['browseSession', 'query ($id: ID!) { browseSession(id: $id) { id } }', { id: sessionId }],
    ['browseSessions', '{ browseSessions { nodes { id } } }', {}],
    [
      '_entities',
      'query ($r: [_Any!]!) { _entities(representations: $r) { ... on SharePointBrowseSession { id } } }',
      { r: [{ __typename: 'SharePointBrowseSession', id: sessionId }] },
    ],
    [sharePoint.create, createDocument(sharePoint), { input: { restorePointId: sharePoint.point(0, 0, clockStart) } }],
    [oneDrive.create, createDocument(oneDrive), { input: { restorePointId: oneDrive.point(0, 0, clockStart) } }],
  ];
}

/** Each entry point answers FORBIDDEN (at its own path) without a Graph call. */
async function expectRefusedEverywhere(gw: TestGateway, caller: Parameters<TestGateway['queryAs']>[0], sessionId: string): Promise<void> {
  gw.resetUpstream();
  for (const [label, document, variables] of entryPoints(gw.t.emu.seed.clockStart, sessionId)) {
    const res = await gw.queryAs(caller, document, variables);
    expect(res.status, label).toBe(200);
    expect(
      res.errors?.map((e) => e.extensions?.code),
      label,
    ).toEqual(['FORBIDDEN']);
    expect(res.errors![0]!.message, label).toMatch(/ReadWrite/);
  }
  expect(graphCalls(gw.graphEntries())).toEqual([]);
}

describe('on behalf of users', () => {
  const gw = useTestGateway();
  const sp = browseHelpers(gw, sharePoint);

  it('refuses a read-only user every browse field and mutation, before any Graph call', async () => {
    const session = await sp.open(0);
    await expectRefusedEverywhere(gw, 'reader', session.id);
    const res = await gw.queryAs('reader', 'query ($id: ID!) { browseSession(id: $id) { id } }', { id: session.id });
    expect(res.errors![0]!.message).toBe(
      'browseSession shows the contents of backups, which needs the RestoreSessions.ReadWrite scope (users) or the ' +
        'RestoreSessions.ReadWrite.All app role (apps); this caller may only read.',
    );
  });

  it('writes one audit line per listing: who, which session and location, how, and Graph’s request ids', async () => {
    const session = await sp.open(1);
    const site = (await sp.items(session.id)).edges[0]!.node;
    const mark = gw.logLines.length;
    gw.resetUpstream();
    const first = await sp.items(session.id, { location: site.location, nameContains: 'Doc', orderBy: 'NAME_DESC', first: 7 });
    await sp.items(session.id, {
      location: site.location,
      nameContains: 'Doc',
      orderBy: 'NAME_DESC',
      first: 7,
      after: first.pageInfo.endCursor!,
    });
    await sp.list(session.id, { location: 'nope' });
    const lines = auditLines(gw, mark);
    const admin = gw.t.emu.seed.users.find((u) => u.name === 'admin')!;
    expect(lines.map((l) => [l.msg, l.operationName, l.field, l.browseSessionId, l.outcome])).toEqual([
      ['read', 'Browse', 'SharePointBrowseSession.items', session.id, 'succeeded'],
      ['read', 'Browse', 'SharePointBrowseSession.items', session.id, 'succeeded'],
      ['read', 'Browse', 'SharePointBrowseSession.items', session.id, 'failed'],
    ]);
    expect(lines[0]).toMatchObject({
      caller: { kind: 'user', oid: admin.id },
      location: { itemKey: site.itemKey, path: site.path },
      nameContains: 'Doc',
      orderBy: 'NAME_DESC',
      first: 7,
      cursor: false,
    });
    expect(lines[1]).toMatchObject({ cursor: true });
    expect(lines[2]).toMatchObject({ location: { invalid: true }, code: 'BAD_USER_INPUT', graph: [] });
    const posts = graphCalls(gw.graphEntries()).filter((e) => e.path.endsWith('/browse'));
    expect((lines[0]!.graph as unknown[]).concat(lines[1]!.graph as unknown[])).toEqual(
      posts.map((e) => ({ method: e.method, status: 200, requestId: e.requestId, clientRequestId: e.clientRequestId })),
    );
    // The top level is recorded as such.
    const top = auditLines(gw, 0).find((l) => l.field === 'SharePointBrowseSession.items');
    expect(top).toMatchObject({ location: { top: true } });
  });

  it('records who opened a browse session, on which restore point, in the mutation’s audit line', async () => {
    const mark = gw.logLines.length;
    const session = await sp.open(2, 1);
    expect(auditLines(gw, mark)).toMatchObject([
      {
        msg: 'mutation',
        mutation: sharePoint.create,
        outcome: 'succeeded',
        browseSessionId: session.id,
        restorePointId: sharePoint.point(2, 1, gw.t.emu.seed.clockStart),
        graph: [{ method: 'POST', status: 201 }],
      },
    ]);
  });

  it('answers a lost create with OUTCOME_UNKNOWN, sent once', async () => {
    gw.t.emu.faults.set({
      rules: [{ path: 'solutions/backupRestore/sharePointBrowseSessions', method: 'POST', status: 502, phase: 'after', limit: 1 }],
    });
    const error = onlyError(
      gw,
      await gw.query(createDocument(sharePoint), { input: { restorePointId: sharePoint.point(3, 0, gw.t.emu.seed.clockStart) } }),
    );
    expect(error.extensions?.code).toBe('OUTCOME_UNKNOWN');
    expect(error.message).toMatch(/list the browse sessions/);
    expect(calls(gw)).toEqual(['POST solutions/backupRestore/sharePointBrowseSessions 502']);
    gw.t.emu.faults.clear();
    const listed = dataOf(
      await gw.query<{ browseSessions: { totalCount: number | null } }>('{ browseSessions(first: 100) { totalCount } }'),
    );
    expect(listed.browseSessions.totalCount).toBe(1);
  });

  it('sends the listings of one operation in one round, however many sessions and locations they name', async () => {
    const a = await sp.open(4);
    const b = await browseHelpers(gw, oneDrive).open(4);
    const siteA = (await sp.items(a.id)).edges[0]!.node;
    gw.resetUpstream();
    const res = await gw.query<Record<string, { items: { totalCount: number } }>>(
      `query Two($a: ID!, $b: ID!, $where: String) {
        a: browseSession(id: $a) { id top: items { totalCount } inside: items(location: $where) { totalCount } }
        b: browseSession(id: $b) { id items(first: 5) { totalCount } }
      }`,
      { a: a.id, b: b.id, where: siteA.location },
    );
    expect(res.errors).toBeUndefined();
    const entries = gw.graphEntries();
    const posts = graphCalls(entries).filter((e) => e.path.endsWith('/browse'));
    expect(posts).toHaveLength(3);
    expect(new Set(posts.map((e) => e.batchRequestId)).size).toBe(1);
    // One round for the four session reads (two per id), one for the three listings.
    expect(upstreamRounds(entries)).toBe(2);
  });

  it('prices nested listings by their `first`, refusing a document that asks too much before it runs', async () => {
    const session = await sp.open(5);
    gw.resetUpstream();
    const deep = `query ($id: ID!) {
      browseSessions(first: 100) { nodes { id items(first: 100) { nodes { itemKey createdBy { user { id } } lastModifiedBy { user { id } } } } } }
      browseSession(id: $id) { id }
    }`;
    const refused = await gw.query(deep, { id: session.id });
    expect(refused.status).toBe(400);
    expect(refused.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(refused.errors?.[0]?.message).toMatch(/cost \d+ exceeds the limit/);
    expect(graphCalls(gw.graphEntries())).toEqual([]);
    const modest = await gw.query(`query ($id: ID!) { browseSession(id: $id) { id items(first: 100) { nodes { itemKey name } } } }`, {
      id: session.id,
    });
    expect(modest.errors).toBeUndefined();
  });
});

describe('a delegated caller without the SharePoint Backup Administrator role', () => {
  // The seed's admin, with the gateway's write permission and Graph's, but no directory role.
  const seed = defaultSeed();
  const gw = useTestGateway({ seed: { ...seed, users: seed.users.map((u) => ({ ...u, directoryRoles: [] })) } });

  it('gets FORBIDDEN from Graph, saying which role is missing, with no URL', async () => {
    for (const [label, document, variables] of entryPoints(gw.t.emu.seed.clockStart, 'c29tZS1icm93c2Utc2Vzc2lvbi1pZA')) {
      const res = await gw.query(document, variables);
      expect(res.errors, label).toHaveLength(1);
      const error = res.errors![0];
      // A read of one session asks both families' sets: both refuse, and the field carries one of their answers.
      expect(error?.extensions, label).toMatchObject({ code: 'FORBIDDEN', graph: { status: 403 } });
      expect(error?.message, label).toMatch(/needs the Microsoft Entra role SharePoint Backup Administrator/);
      expect(res.text, label).not.toContain(gw.t.emu.origin);
      expect(res.text, label).not.toMatch(/https?:\/\//);
    }
  });
});

describe('in app mode', () => {
  const gw = useTestGateway({ env: { AUTH_MODE: 'app' } });

  it('browses as the app for a caller with the write permission, and refuses read-only callers before Graph', async () => {
    const sp = browseHelpers(gw, sharePoint);
    const session = await sp.open(0);
    expect((await sp.items(session.id)).totalCount).toBe(1);
    await expectRefusedEverywhere(gw, 'reader', session.id);
    await expectRefusedEverywhere(gw, { token: await gw.t.apiToken({ app: 'reader' }) }, session.id);
  });
});

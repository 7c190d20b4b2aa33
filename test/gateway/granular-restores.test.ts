import { afterEach, describe, expect, it } from 'vitest';
import { LEGAL_HOLD_DRIVE_INDEX, LEGAL_HOLD_SITE_INDEX, REPORTS_FILE_COUNT, seedBrowseTree } from '@restore-session-gateway/graph-emulator';
import { graphCalls } from '@restore-session-gateway/graph-emulator/testing';
import type { SessionScopedRestoreArtifact } from '../../src/graph/dto.js';
import { artifactKey, decodeMessage, encodeMessage } from '../../src/subscriptions/snapshot.js';
import { waitFor } from '../subscriptions/support.js';
import { useTestGateway } from './harness.js';
import { subscribe, wsClient, type Stream, type TestWsClient } from './live-support.js';
import {
  ITEM_FAMILIES,
  itemArtifact,
  itemDocuments,
  itemInputs,
  ok,
  openBrowseSession,
  parentPathOf,
  seedItem,
  sessionSelection,
  type ConnectionView,
  type ItemArtifactView,
  type ItemFamily,
} from './granular-support.js';

// Granular SharePoint and OneDrive restores end to end through GraphQL, as a console drives them once a user picked
// items in a browse session: create a granular session from the items, change it, activate it, follow its artifacts by
// subscription to the end, and read where each item went or why it failed. Then the lists the gateway pages, filters
// and counts itself (Graph offers no query options on them), and entity references. The clock is advanced, never waited
// for.

const gw = useTestGateway({ env: { POLL_INTERVAL_MS: '20' } });
const clients: TestWsClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) await c.dispose();
});

const clockStart = (): string => gw.t.emu.seed.clockStart;
/** An item key no browse session lists. */
const UNKNOWN_KEY = '00000000-0000-4000-8000-000000000001,00000000-0000-4000-8000-000000000002';
const beta = (): boolean => gw.t.emu.settings.GRAPH_BASE_URL.endsWith('/beta');

type SessionView = {
  id: string;
  status: string;
  restoreJobType: string;
  isTerminal: boolean;
  progress: { total: number; inProgress: number; completed: number; failed: number };
} & Record<string, unknown>;

const listOf = (f: ItemFamily, session: SessionView): ConnectionView<ItemArtifactView> =>
  session[f.list] as ConnectionView<ItemArtifactView>;

async function readSession(f: ItemFamily, id: string, page = '(first: 100)'): Promise<SessionView> {
  const data = ok(
    await gw.query<{ restoreSession: SessionView }>(`query ($id: ID!) { restoreSession(id: $id) { ${sessionSelection(f, page)} } }`, {
      id,
    }),
  );
  return data.restoreSession;
}

async function connect(): Promise<TestWsClient> {
  const c = wsClient(gw.gateway.wsUrl, { authorization: await gw.authorization('admin') });
  clients.push(c);
  return c;
}

/** Advances the emulator's clock a step at a time, each step seen by a poll, until every stream has ended. */
async function runToEnd(streams: ReadonlyArray<Stream<Record<string, unknown>>>): Promise<void> {
  for (let step = 0; step < 200 && streams.some((s) => !s.completed && s.error === undefined); step++) {
    const polls = gw.gateway.live.stats().polls;
    gw.t.emu.advanceClock(500);
    await waitFor(() => gw.gateway.live.stats().polls > polls || streams.every((s) => s.completed), 10_000, 'a poll after the clock moved');
  }
  for (const s of streams) await s.ended();
}

async function activate(id: string): Promise<void> {
  const res = ok(
    await gw.query<{ activateRestoreSession: { restoreSession: { status: string } } }>(
      `mutation ($id: ID!) { activateRestoreSession(id: $id) { restoreSession { id status } } }`,
      { id },
    ),
  );
  expect(res.activateRestoreSession.restoreSession.status).toBe('ACTIVATING');
}

describe.each(ITEM_FAMILIES)('a granular $label restore through GraphQL', (f) => {
  const M = itemDocuments(f);
  const budget = seedItem(f, 0, 'Documents/Budget 2025.xlsx');
  const project = seedItem(f, 0, 'Documents/Projects/Project Alpha');
  const locked = seedItem(f, 0, 'Documents/Board minutes (locked).docx');
  const readme = seedItem(f, 0, 'Documents/readme.md');

  it('creates a session from browse items, changes it, activates it, follows it to the end and reads each result', async () => {
    const browse = await openBrowseSession(gw, f, f.point(0, 0, clockStart()));
    const input: Record<string, unknown> = { items: itemInputs(browse, [budget, project, locked]) };
    if (f.label === 'SharePoint') Object.assign(input, { conflictBehavior: 'RENAME', ...(beta() ? { destinationType: 'IN_PLACE' } : {}) });
    const created = ok(await gw.query<Record<string, { restoreSession: SessionView }>>(M.create, { input }))[f.create]!.restoreSession;
    expect(created).toMatchObject({ status: 'DRAFT', restoreJobType: 'GRANULAR', isTerminal: false, progress: { total: 3 } });
    const drafted = listOf(f, created);
    expect(drafted.totalCount).toBe(3);
    expect(drafted.edges.map((e) => e.node.id)).toEqual([budget.itemKey, project.itemKey, locked.itemKey]);
    for (const node of drafted.nodes) {
      expect(node).toMatchObject({
        __typename: f.artifactType,
        restoreSessionId: created.id,
        browseSessionId: browse,
        status: 'ADDED',
        isTerminal: false,
        restorePointId: null,
        restorePoint: null,
        restoredItemKey: null,
        restoredItemPath: null,
        restoredItemWebUrl: null,
        startDateTime: null,
        completionDateTime: null,
        error: null,
      });
      expect(node.restorePointDateTime).toEqual(expect.any(String));
      expect(node.webUrl).toEqual(expect.stringMatching(/^https:\/\//));
      expect(node[f.owner]).toEqual(expect.any(String));
      // Beta's only; SharePoint's in place as asked, OneDrive's as Graph reports it (its pages document none).
      expect(node.destinationType).toBe(beta() ? 'IN_PLACE' : null);
    }

    // Add the readme, take the project folder out again, and two changes Graph refuses on their own.
    const stranger = seedItem(f, 1, 'Documents/readme.md');
    const update = ok(
      await gw.query<Record<string, { addedArtifacts: ItemArtifactView[]; failures: unknown[]; restoreSession: SessionView }>>(M.update, {
        input: {
          id: created.id,
          addItems: itemInputs(browse, [readme, stranger]),
          removeItemKeys: [project.itemKey, UNKNOWN_KEY],
        },
      }),
    )[f.update]!;
    expect(update.addedArtifacts.map((a) => [a.id, a.status, a.restoreSessionId])).toEqual([[readme.itemKey, 'ADDED', created.id]]);
    expect(update.failures).toEqual([
      {
        operation: 'ADD',
        itemKey: stranger.itemKey,
        browseSessionId: browse,
        code: 'InvalidArtifactRequest',
        message: expect.stringContaining('is not an item of browse session'),
      },
      { operation: 'REMOVE', itemKey: UNKNOWN_KEY, browseSessionId: null, code: 'Invalid', message: expect.any(String) },
    ]);
    expect(listOf(f, update.restoreSession).nodes.map((n) => n.id)).toEqual([budget.itemKey, locked.itemKey, readme.itemKey]);

    // Follow the session and its artifacts from before the activation to the end.
    const c = await connect();
    const session = subscribe<Record<string, { status: string; progress: { total: number; completed: number; failed: number } }>>(
      c,
      `subscription ($id: ID!) { restoreSessionStatusChanged(id: $id) { id status progress { total completed failed } } }`,
      { id: created.id },
    );
    const artifacts = subscribe<Record<string, ItemArtifactView>>(
      c,
      `subscription ($id: ID!) { restoreArtifactStatusChanged(restoreSessionId: $id) { __typename ... on ${f.artifactType} { ${itemArtifact(f)} } } }`,
      { id: created.id },
    );
    await session.next(1);
    await activate(created.id);
    await runToEnd([session, artifacts] as Array<Stream<Record<string, unknown>>>);
    expect(session.error).toBeUndefined();
    expect(session.values.at(-1)).toMatchObject({ status: 'COMPLETED_WITH_ERROR', progress: { total: 3, completed: 2, failed: 1 } });
    expect(artifacts.error).toBeUndefined();
    expect(artifacts.values.every((a) => a.__typename === f.artifactType && a.restoreSessionId === created.id)).toBe(true);
    const last = new Map(artifacts.values.map((a) => [a.id, a]));
    expect([...last.keys()].sort()).toEqual([budget.itemKey, locked.itemKey, readme.itemKey].sort());

    // Each item's result: where it went (in place, the SharePoint one renamed on conflict), or why it failed.
    const ended = await readSession(f, created.id);
    expect(ended).toMatchObject({ status: 'COMPLETED_WITH_ERROR', isTerminal: true, progress: { total: 3, completed: 2, failed: 1 } });
    const results = new Map(listOf(f, ended).nodes.map((n) => [n.id, n]));
    for (const [item, renamed] of [
      [budget, 'Budget 2025 (1).xlsx'],
      [readme, 'readme (1).md'],
    ] as const) {
      const n = results.get(item.itemKey)!;
      expect(n, item.path).toMatchObject({ status: 'SUCCEEDED', isTerminal: true, error: null, restoredItemPath: parentPathOf(item) });
      expect(n.restoredItemKey).toEqual(expect.any(String));
      expect(n.restoredItemKey).not.toBe(item.itemKey);
      const name = f.label === 'SharePoint' ? renamed : item.name;
      expect(decodeURIComponent(new URL(n.restoredItemWebUrl!).pathname)).toBe(`${parentPathOf(item)}/${name}`);
      expect(n.completionDateTime).toEqual(expect.any(String));
      expect(last.get(item.itemKey)?.status, 'the last event of each artifact is its final state').toBe('SUCCEEDED');
    }
    const failed = results.get(locked.itemKey)!;
    expect(failed).toMatchObject({ status: 'FAILED', restoredItemKey: null, restoredItemPath: null });
    // The error is beta's only.
    expect(failed.error).toEqual(beta() ? { code: 'ArtifactCannotBeRestored', message: expect.stringContaining('locked') } : null);
  });

  it('fails every item of a unit under legal hold', async () => {
    const held = f.label === 'SharePoint' ? LEGAL_HOLD_SITE_INDEX : LEGAL_HOLD_DRIVE_INDEX;
    const browse = await openBrowseSession(gw, f, f.point(held, 0, clockStart()));
    const items = [seedItem(f, held, 'Documents/Budget 2025.xlsx'), seedItem(f, held, 'Documents/notes.txt')];
    const created = ok(
      await gw.query<Record<string, { restoreSession: SessionView }>>(M.create, { input: { items: itemInputs(browse, items) } }),
    );
    const id = created[f.create]!.restoreSession.id;
    await activate(id);
    gw.t.emu.advanceClock(60_000);
    const ended = await readSession(f, id);
    expect(ended).toMatchObject({ status: 'FAILED', progress: { total: 2, failed: 2 } });
    for (const n of listOf(f, ended).nodes) {
      expect(n).toMatchObject({ status: 'FAILED', restoredItemPath: null });
      if (beta()) expect(n.error).toMatchObject({ code: 'ArtifactCannotBeRestored', message: expect.stringContaining('legal hold') });
    }
  });
});

describe.each(ITEM_FAMILIES)('the granular $label artifacts the gateway pages, filters and counts itself', (f) => {
  const M = itemDocuments(f);
  const reports = seedBrowseTree(f.unitId(2)).filter((i) => i.path.startsWith('Documents/Reports/'));
  const locked = seedItem(f, 2, 'Documents/Board minutes (locked).docx');

  /** A draft of the 120 reports and the locked file, built as Graph allows: 50 items a request. */
  async function bigSession(): Promise<{ id: string; keys: string[] }> {
    const browse = await openBrowseSession(gw, f, f.point(2, 0, clockStart()));
    const items = [...reports, locked];
    expect(reports).toHaveLength(REPORTS_FILE_COUNT);
    const created = ok(
      await gw.query<Record<string, { restoreSession: { id: string } }>>(
        `mutation ($input: ${f.createInput}!) { ${f.create}(input: $input) { restoreSession { id } } }`,
        { input: { items: itemInputs(browse, items.slice(0, 50)) } },
      ),
    );
    const id = created[f.create]!.restoreSession.id;
    for (let at = 50; at < items.length; at += 50) {
      const res = ok(
        await gw.query<Record<string, { failures: unknown[] }>>(M.update, {
          input: { id, addItems: itemInputs(browse, items.slice(at, at + 50)) },
        }),
      );
      expect(res[f.update]!.failures).toEqual([]);
    }
    return { id, keys: items.map((i) => i.itemKey) };
  }

  async function page(id: string, args: string, variables: Record<string, unknown> = {}): Promise<ConnectionView<ItemArtifactView>> {
    const res = await gw.query<{ restoreSession: Record<string, ConnectionView<ItemArtifactView>> }>(
      `query ($id: ID!${args.includes('$after') ? ', $after: String' : ''}) { restoreSession(id: $id) { id ... on ${f.sessionType} { ${f.list}${args} {
        totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { id status } } nodes { id }
      } } } }`,
      { id, ...variables },
    );
    return ok(res).restoreSession[f.list]!;
  }

  it('pages through the whole list with cursors, counts it, and filters it on status', async () => {
    const { id, keys } = await bigSession();
    const seen: string[] = [];
    let after: string | null = null;
    for (let n = 0; ; n++) {
      const p: ConnectionView<ItemArtifactView> = await page(id, '(first: 50, after: $after)', { after });
      expect(p.totalCount).toBe(121);
      expect(p.pageInfo.hasPreviousPage).toBe(after !== null);
      expect(p.edges.map((e) => e.node.id)).toEqual(p.nodes.map((x) => x.id));
      seen.push(...p.nodes.map((x) => x.id));
      if (!p.pageInfo.hasNextPage) break;
      expect(p.pageInfo.endCursor).toBe(p.edges.at(-1)!.cursor);
      after = p.pageInfo.endCursor;
      expect(n).toBeLessThan(3);
    }
    expect(seen).toEqual(keys);
    // An edge's cursor continues right after it.
    const first = await page(id, '(first: 10)');
    const resumed = await page(id, '(first: 3, after: $after)', { after: first.edges[4]!.cursor });
    expect(resumed.nodes.map((x) => x.id)).toEqual(keys.slice(5, 8));

    await gw.query(`mutation ($id: ID!) { activateRestoreSession(id: $id) { restoreSession { id } } }`, { id });
    gw.t.emu.advanceClock(30 * 60_000);
    const failed = await page(id, '(filter: { status: [FAILED] })');
    expect(failed).toMatchObject({ totalCount: 1, pageInfo: { hasNextPage: false } });
    expect(failed.nodes.map((x) => x.id)).toEqual([locked.itemKey]);
    const succeeded: string[] = [];
    let cursor: string | null = null;
    do {
      const p: ConnectionView<ItemArtifactView> = await page(
        id,
        '(first: 45, after: $after, filter: { status: [SUCCEEDED, IN_PROGRESS] })',
        {
          after: cursor,
        },
      );
      expect(p.totalCount).toBe(120);
      expect(p.edges.every((e) => e.node.status === 'SUCCEEDED')).toBe(true);
      succeeded.push(...p.nodes.map((x) => x.id));
      cursor = p.pageInfo.hasNextPage ? p.pageInfo.endCursor : null;
    } while (cursor !== null);
    expect(succeeded).toEqual(keys.slice(0, 120));
    // A cursor of one filter is refused on another, and `first` stays within 1 to 100.
    const other = await gw.query(
      `query ($id: ID!, $after: String) { restoreSession(id: $id) { ... on ${f.sessionType} {
      ${f.list}(after: $after, filter: { status: [FAILED] }) { totalCount } } } }`,
      { id, after: first.pageInfo.endCursor },
    );
    expect(other.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'after' });
    const tooMany = await gw.query(
      `query ($id: ID!) { restoreSession(id: $id) { ... on ${f.sessionType} { ${f.list}(first: 101) { totalCount } } } }`,
      { id },
    );
    expect(tooMany.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'first' });
  });

  it("reads the whole list once per operation, follows Graph's nextLinks, and serves a finished session from the cache", async () => {
    const { id } = await bigSession();
    gw.resetUpstream();
    await page(id, '(first: 5)');
    const path = `solutions/backupRestore/${f.graphSet}/${id}/${f.list}`;
    const reads = graphCalls(gw.graphEntries()).filter((e) => e.path === path);
    // Graph's page size (20 in the emulator): the first read, then a nextLink per further page, none with $top or $filter.
    expect(reads.length).toBeGreaterThan(1);
    expect(reads.every((e) => e.query === '' || /^(\$|%24)skiptoken=[^&]+$/i.test(e.query))).toBe(true);

    // Two connections and an entity reference of the same operation share one read.
    gw.resetUpstream();
    const res = await gw.query(
      `query ($id: ID!) { restoreSession(id: $id) { ... on ${f.sessionType} {
      a: ${f.list}(first: 2) { totalCount } b: ${f.list}(first: 3, filter: { status: [ADDED] }) { totalCount } } } }`,
      { id },
    );
    ok(res);
    expect(graphCalls(gw.graphEntries()).filter((e) => e.path === path && e.query === '')).toHaveLength(1);

    await gw.query(`mutation ($id: ID!) { activateRestoreSession(id: $id) { restoreSession { id } } }`, { id });
    gw.t.emu.advanceClock(30 * 60_000);
    const finished = await page(id, '(first: 5)');
    gw.resetUpstream();
    expect(await page(id, '(first: 5)')).toEqual(finished);
    expect(graphCalls(gw.graphEntries()).filter((e) => e.path.startsWith(path))).toEqual([]);
  });
});

describe.each(ITEM_FAMILIES)("the granular $label list and Graph's role rule", (f) => {
  it('is FORBIDDEN to a delegated caller without the SharePoint Backup Administrator role, the field alone', async () => {
    const browse = await openBrowseSession(gw, f, f.point(0, 0, clockStart()));
    const created = ok(
      await gw.query<Record<string, { restoreSession: { id: string } }>>(itemDocuments(f).create, {
        input: { items: itemInputs(browse, [seedItem(f, 0, 'Documents/notes.txt')]) },
      }),
    );
    const id = created[f.create]!.restoreSession.id;
    const res = await gw.queryAs<{ restoreSession: Record<string, unknown> }>(
      'reader',
      `query ($id: ID!) { restoreSession(id: $id) { id status ... on ${f.sessionType} { ${f.list} { totalCount } } } }`,
      { id },
    );
    expect(res.data?.restoreSession).toEqual({ id, status: 'DRAFT', [f.list]: null });
    expect(res.errors).toEqual([
      expect.objectContaining({ path: ['restoreSession', f.list], extensions: expect.objectContaining({ code: 'FORBIDDEN' }) }),
    ]);
  });
});

describe.each(ITEM_FAMILIES)('granular $label artifacts as entities', (f) => {
  it('resolves references by item key and session, null for an unknown one, with one list read for all', async () => {
    const browse = await openBrowseSession(gw, f, f.point(0, 0, clockStart()));
    const items = [seedItem(f, 0, 'Documents/notes.txt'), seedItem(f, 0, 'Documents/org-chart.png')];
    const created = ok(
      await gw.query<Record<string, { restoreSession: { id: string } }>>(itemDocuments(f).create, {
        input: { items: itemInputs(browse, items) },
      }),
    );
    const sessionId = created[f.create]!.restoreSession.id;
    gw.resetUpstream();
    const representations = [
      { __typename: f.artifactType, id: items[1]!.itemKey.toUpperCase(), restoreSessionId: sessionId },
      { __typename: f.artifactType, id: items[0]!.itemKey, restoreSessionId: sessionId },
      { __typename: f.artifactType, id: 'a,b,c,d', restoreSessionId: sessionId },
    ];
    const res = await gw.query<{ _entities: Array<{ id: string; status: string; restoreSession: { id: string } } | null> }>(
      `query ($r: [_Any!]!) { _entities(representations: $r) { ... on ${f.artifactType} { id status restoreSession { id } } } }`,
      { r: representations },
    );
    expect(ok(res)._entities).toEqual([
      { id: items[1]!.itemKey, status: 'ADDED', restoreSession: { id: sessionId } },
      { id: items[0]!.itemKey, status: 'ADDED', restoreSession: { id: sessionId } },
      null,
    ]);
    const path = `solutions/backupRestore/${f.graphSet}/${sessionId}/${f.list}`;
    expect(graphCalls(gw.graphEntries()).filter((e) => e.path === path)).toHaveLength(1);
  });
});

describe('granular artifacts in the live-status feed', () => {
  it('keep their family through JSON (Redis), under a name no other family of the same id shares', () => {
    const id = 'a535851e-1b6c-4c3f-9b4d-2a8b7eaf0001,38eec3f1-1b6c-4c3f-9b4d-2a8b7eaf0002';
    const families = ['granularSite', 'granularDrive', 'granularMailbox', 'site'] as const;
    const artifacts = families.map(
      (family) =>
        ({
          id,
          restoreSessionId: '61633878-8321-4950-bfaf-ed285bdd1461',
          status: 'added',
          ...(family === 'site' ? { destinationType: 'new' } : { restoreArtifactFamily: family }),
        }) as SessionScopedRestoreArtifact,
    );
    for (const artifact of artifacts) {
      expect(decodeMessage(encodeMessage({ kind: 'artifact', artifact }))).toEqual({ kind: 'artifact', artifact });
    }
    expect(new Set(artifacts.map(artifactKey)).size).toBe(families.length);
  });
});

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse, type OperationDefinitionNode } from 'graphql';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  LEGAL_HOLD_MAILBOX_INDEX,
  REPORTS_FILE_COUNT,
  defaultSeed,
  seedDriveUnitId,
  seedMailboxUnitId,
  seedUnitId,
} from '@restore-session-gateway/graph-emulator';
import { useTestEmulator } from '@restore-session-gateway/graph-emulator/testing';
import type { Gateway } from '../../src/gateway.js';
import { waitFor } from '../subscriptions/support.js';
import { postGraphQL } from '../support/graphql.js';
import { gatewayConfig, startGatewayOn, suiteProfile } from './harness.js';
import { subscribe, wsClient, type Stream, type TestWsClient } from './live-support.js';

// Granular restores end to end through GraphQL alone, as a restore screen drives them: pick a fast-restore point,
// open a browse session, browse to a folder, filter by name, page, pick two files and a folder, create and activate a
// granular session, follow it by subscription to its end, read each item's result. The OneDrive flow is the
// walkthrough of docs/restore-a-single-file.md, run as written; the SharePoint flow adds an item that fails; the Exchange
// flow goes from a mail search to a completed granular restore. The emulator's clock is advanced, never waited for.

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

const t = useTestEmulator({ profile: suiteProfile(), seed: defaultSeed(Date.now()) });
let gw: Gateway;
const clients: TestWsClient[] = [];
beforeAll(async () => {
  gw = await startGatewayOn(t, gatewayConfig({ POLL_INTERVAL_MS: '20' }));
});
afterAll(async () => {
  await gw?.stop();
});
beforeEach(() => t.emu.reset());
afterEach(async () => {
  for (const c of clients.splice(0)) await c.dispose();
});

async function data<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const res = await postGraphQL<T>(gw.url, { query, variables }, { authorization: `Bearer ${await t.apiToken('admin')}` });
  expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
  return res.data!;
}

async function follow<T extends Record<string, unknown>>(query: string, variables: Record<string, unknown>): Promise<Stream<T>> {
  const c = wsClient(gw.wsUrl, { authorization: `Bearer ${await t.apiToken('admin')}` });
  clients.push(c);
  return subscribe<T>(c, query, variables);
}

/** Advances the emulator's clock a step at a time, each step seen by a poll, until the stream has ended. */
async function runToEnd(stream: Stream<Record<string, unknown>>): Promise<void> {
  for (let step = 0; step < 200 && !stream.completed && stream.error === undefined; step++) {
    const polls = gw.live.stats().polls;
    t.emu.advanceClock(500);
    await waitFor(() => gw.live.stats().polls > polls || stream.completed, 10_000, 'a poll after the clock moved');
  }
  await stream.ended();
  expect(stream.error).toBeUndefined();
}

interface Item {
  itemKey: string;
  name: string;
  kind: string;
  path: string;
  canOpen: boolean;
  location: string | null;
}
interface Listing {
  browseSession: { id: string; items: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string }; nodes: Item[] } };
}
interface ItemEvent {
  __typename: string;
  id: string;
  status: string;
  error: { code: string } | null;
  restoredItemPath?: string | null;
}

/** The ```graphql blocks of docs/restore-a-single-file.md between its markers, by operation name. */
function walkthrough(): Map<string, string> {
  const page = readFileSync(`${ROOT}/docs/restore-a-single-file.md`, 'utf8');
  const section = /<!-- example-single-file:start -->([\s\S]*?)<!-- example-single-file:end -->/.exec(page)?.[1];
  if (!section) throw new Error('docs/restore-a-single-file.md has no example-single-file markers');
  const out = new Map<string, string>();
  for (const [, document] of section.matchAll(/```graphql\n([\s\S]*?)```/g)) {
    const operation = parse(document!).definitions[0] as OperationDefinitionNode;
    out.set(operation.name!.value, document!);
  }
  return out;
}

describe('restoring single files of a OneDrive: the walkthrough of docs/restore-a-single-file.md', () => {
  const examples = walkthrough();

  /** Runs an example as written with exactly the variables it declares. */
  function run<T>(name: string, vars: Record<string, unknown>): Promise<T> {
    const document = examples.get(name);
    expect(document, `walkthrough example ${name}`).toBeDefined();
    const operation = parse(document!).definitions[0] as OperationDefinitionNode;
    const names = (operation.variableDefinitions ?? []).map((d) => d.variable.name.value);
    for (const n of names) expect(vars, `${name} takes '${n}'`).toHaveProperty(n);
    return data<T>(document!, Object.fromEntries(names.map((n) => [n, vars[n]])));
  }

  it('picks a fast-restore point, browses, filters, pages, restores two files and a folder, and follows it to the end', async () => {
    const points = await run<{ restorePoints: Array<{ id: string; tags: string }> }>('FastRestorePoints', {
      unit: seedDriveUnitId(0),
    });
    const fast = points.restorePoints.find((p) => p.tags === 'FAST_RESTORE')!;
    expect(fast).toBeDefined();
    const opened = await run<{ createOneDriveForBusinessBrowseSession: { browseSession: { id: string; status: string } } }>('OpenBackup', {
      restorePointId: fast.id,
    });
    expect(opened.createOneDriveForBusinessBrowseSession.browseSession.status).toBe('CREATED');
    const browseSessionId = opened.createOneDriveForBusinessBrowseSession.browseSession.id;

    // Down the tree: the OneDrive's site, its Documents library, the Reports folder.
    const open = async (location: string | null, after: string | null = null) =>
      (await run<Listing>('BrowseFolder', { browseSessionId, location, after })).browseSession.items;
    const top = await open(null);
    expect(top.nodes.map((n) => n.kind)).toEqual(['SITE']);
    const library = (await open(top.nodes[0]!.location)).nodes.find((n) => n.name === 'Documents')!;
    expect(library).toMatchObject({ kind: 'DOCUMENT_LIBRARY', canOpen: true });
    const documents = await open(library.location);
    const reports = documents.nodes.find((n) => n.name === 'Reports')!;
    const projects = documents.nodes.find((n) => n.name === 'Projects')!;
    expect(reports.path).toBe(`${library.path}/Reports`);

    // Page through the 120 reports, 25 at a time, to the end.
    const seen: Item[] = [];
    let page = await open(reports.location);
    expect(page.totalCount).toBe(REPORTS_FILE_COUNT);
    for (;;) {
      seen.push(...page.nodes);
      if (!page.pageInfo.hasNextPage) break;
      page = await open(reports.location, page.pageInfo.endCursor);
    }
    expect(seen).toHaveLength(REPORTS_FILE_COUNT);
    expect(new Set(seen.map((n) => n.itemKey)).size).toBe(REPORTS_FILE_COUNT);
    expect(seen.every((n) => n.kind === 'FILE' && !n.canOpen && n.location === null)).toBe(true);

    // Filter the library by name: the two budgets, in name order.
    const found = await run<Listing>('FindFiles', { browseSessionId, location: library.location, name: 'budget' });
    const budgets = found.browseSession.items.nodes;
    expect(budgets.map((n) => n.name)).toEqual(['Budget 2025.xlsx', 'Budget Review.pptx']);

    const picked = [...budgets, projects].map((n) => ({ browseSessionId, itemKey: n.itemKey }));
    const created = await run<{
      createGranularOneDriveForBusinessRestoreSession: {
        restoreSession: { id: string; restoreJobType: string; progress: { total: number } };
      };
    }>('RestoreItems', { items: picked });
    const session = created.createGranularOneDriveForBusinessRestoreSession.restoreSession;
    expect(session).toMatchObject({ restoreJobType: 'GRANULAR', progress: { total: 3 } });

    const stream = await follow<{ restoreArtifactStatusChanged: ItemEvent }>(examples.get('FollowItems')!, { sessionId: session.id });
    const started = await run<{ activateRestoreSession: { restoreSession: { status: string } } }>('StartItemsRestore', {
      sessionId: session.id,
    });
    expect(started.activateRestoreSession.restoreSession.status).toBe('ACTIVATING');
    await runToEnd(stream as unknown as Stream<Record<string, unknown>>);
    const last = new Map(stream.values.map((v) => [v.id, v]));
    expect([...last.values()].map((v) => [v.__typename, v.status])).toEqual(
      Array.from({ length: 3 }, () => ['GranularDriveRestoreArtifact', 'SUCCEEDED']),
    );

    const results = await run<{
      restoreSession: {
        status: string;
        progress: { percentComplete: number };
        granularDriveRestoreArtifacts: { nodes: Array<{ id: string; status: string; restoredItemPath: string | null }> };
      };
    }>('ItemResults', { sessionId: session.id });
    expect(results.restoreSession).toMatchObject({ status: 'COMPLETED', progress: { percentComplete: 100 } });
    const nodes = results.restoreSession.granularDriveRestoreArtifacts.nodes;
    expect(nodes.map((n) => n.id).sort()).toEqual(picked.map((p) => p.itemKey).sort());
    for (const n of nodes) {
      expect(n.status).toBe('SUCCEEDED');
      expect(n.restoredItemPath, `${n.id} says where it went`).toEqual(expect.any(String));
    }
  });
});

describe('restoring single files of a SharePoint site', () => {
  it('restores two files and a folder picked while browsing, and reports the locked file it could not restore', async () => {
    const points = await data<{ restorePoints: Array<{ id: string; tags: string }> }>(
      'query ($u: ID!) { restorePoints(protectionUnitId: $u) { id tags } }',
      { u: seedUnitId(0) },
    );
    const opened = await data<{ createSharePointBrowseSession: { browseSession: { id: string } } }>(
      'mutation ($p: ID!) { createSharePointBrowseSession(input: { restorePointId: $p }) { browseSession { id } } }',
      { p: points.restorePoints.find((p) => p.tags === 'FAST_RESTORE')!.id },
    );
    const browseSessionId = opened.createSharePointBrowseSession.browseSession.id;
    const list = async (location: string | null, nameContains: string | null = null): Promise<Item[]> =>
      (
        await data<Listing>(
          `query ($id: ID!, $location: String, $name: String) { browseSession(id: $id) { id items(location: $location, nameContains: $name, first: 100) {
            totalCount pageInfo { hasNextPage endCursor } nodes { itemKey name kind path canOpen location } } } }`,
          { id: browseSessionId, location, name: nameContains },
        )
      ).browseSession.items.nodes;
    const [site] = await list(null);
    const documents = (await list(site!.location)).find((n) => n.name === 'Documents')!;
    const invoices = (await list(documents.location)).find((n) => n.name === 'Invoices')!;
    const [locked] = await list(documents.location, 'locked');
    const [charter] = await list(documents.location, 'charter');
    expect([locked!.name, charter!.name]).toEqual(['Board minutes (locked).docx', 'Team Charter.docx']);

    const items = [locked!, charter!, invoices].map((n) => ({ browseSessionId, itemKey: n.itemKey }));
    const created = await data<{ createGranularSharePointRestoreSession: { restoreSession: { id: string } } }>(
      `mutation ($items: [GranularItemInput!]!) {
        createGranularSharePointRestoreSession(input: { items: $items, conflictBehavior: RENAME }) { restoreSession { id } }
      }`,
      { items },
    );
    const sessionId = created.createGranularSharePointRestoreSession.restoreSession.id;
    const stream = await follow<{ restoreArtifactStatusChanged: ItemEvent }>(
      `subscription ($id: ID!) { restoreArtifactStatusChanged(restoreSessionId: $id) {
        __typename id status error { code } ... on GranularSiteRestoreArtifact { restoredItemPath } } }`,
      { id: sessionId },
    );
    await data('mutation ($id: ID!) { activateRestoreSession(id: $id) { restoreSession { id } } }', { id: sessionId });
    await runToEnd(stream as unknown as Stream<Record<string, unknown>>);

    const result = await data<{
      restoreSession: {
        status: string;
        granularSiteRestoreArtifacts: { totalCount: number; nodes: Array<{ id: string; status: string; error: { code: string } | null }> };
      };
    }>(
      `query ($id: ID!) { restoreSession(id: $id) { id status ... on SharePointRestoreSession {
        granularSiteRestoreArtifacts(filter: { status: [FAILED] }) { totalCount nodes { id restoreSessionId status error { code } } } } } }`,
      { id: sessionId },
    );
    expect(result.restoreSession.status).toBe('COMPLETED_WITH_ERROR');
    expect(result.restoreSession.granularSiteRestoreArtifacts).toEqual({
      totalCount: 1,
      nodes: [{ id: locked!.itemKey, restoreSessionId: sessionId, status: 'FAILED', error: { code: 'ArtifactCannotBeRestored' } }],
    });
    const final = new Map(stream.values.map((v) => [v.id, v.status]));
    expect(final.get(locked!.itemKey)).toBe('FAILED');
    expect([final.get(charter!.itemKey), final.get(invoices.itemKey)]).toEqual(['SUCCEEDED', 'SUCCEEDED']);
  });
});

describe('restoring mail found by a search', () => {
  it('searches a mailbox, restores what it found from two restore points, and reads each result', async () => {
    const unit = seedMailboxUnitId(0);
    const search = await data<{
      searchRestorePoints: { searchResponseId: string; results: Array<{ artifactHitCount: number; restorePoint: { id: string } }> };
    }>(
      `query ($input: SearchRestorePointsInput!) { searchRestorePoints(input: $input) {
        searchResponseId results { artifactHitCount restorePoint { id } } } }`,
      {
        input: {
          protectionUnitIds: [unit],
          startDateTime: new Date(t.emu.clock.now() - 30 * 86_400_000).toISOString(),
          mailItems: { subjects: ['Budget'] },
        },
      },
    );
    const [hit] = search.searchRestorePoints.results;
    expect(hit!.artifactHitCount).toBeGreaterThan(0);
    const held = await data<{
      searchRestorePoints: { searchResponseId: string; results: Array<{ restorePoint: { id: string } }> };
    }>(
      `query ($input: SearchRestorePointsInput!) { searchRestorePoints(input: $input) { searchResponseId results { restorePoint { id } } } }`,
      {
        input: {
          protectionUnitIds: [seedMailboxUnitId(LEGAL_HOLD_MAILBOX_INDEX)],
          startDateTime: new Date(t.emu.clock.now() - 30 * 86_400_000).toISOString(),
          mailItems: { subjects: ['Invoice'] },
        },
      },
    );
    const created = await data<{ createGranularExchangeRestoreSession: { restoreSession: { id: string; restoreJobType: string } } }>(
      `mutation ($input: CreateGranularExchangeRestoreSessionInput!) {
        createGranularExchangeRestoreSession(input: $input) { restoreSession { id restoreJobType } }
      }`,
      {
        input: {
          mailboxItems: [
            { restorePointId: hit!.restorePoint.id, searchResponseId: search.searchRestorePoints.searchResponseId, destinationType: 'NEW' },
            {
              restorePointId: held.searchRestorePoints.results[0]!.restorePoint.id,
              searchResponseId: held.searchRestorePoints.searchResponseId,
              destinationType: 'NEW',
            },
          ],
        },
      },
    );
    const session = created.createGranularExchangeRestoreSession.restoreSession;
    expect(session.restoreJobType).toBe('GRANULAR');
    const stream = await follow<{ restoreArtifactStatusChanged: ItemEvent }>(
      `subscription ($id: ID!) { restoreArtifactStatusChanged(restoreSessionId: $id) { __typename id status error { code } } }`,
      { id: session.id },
    );
    await data('mutation ($id: ID!) { activateRestoreSession(id: $id) { restoreSession { id } } }', { id: session.id });
    await runToEnd(stream as unknown as Stream<Record<string, unknown>>);
    expect(new Set(stream.values.map((v) => v.__typename))).toEqual(new Set(['GranularMailboxRestoreArtifact']));

    const result = await data<{
      restoreSession: {
        status: string;
        granularMailboxRestoreArtifacts: {
          nodes: Array<{
            status: string;
            restoredItemCount: number | null;
            restoredFolderName: string | null;
            error: { code: string } | null;
          }>;
        };
      };
    }>(
      `query ($id: ID!) { restoreSession(id: $id) { id status ... on ExchangeRestoreSession {
        granularMailboxRestoreArtifacts { nodes { id restoreSessionId status searchResponseId restoredItemCount restoredFolderName error { code } } } } } }`,
      { id: session.id },
    );
    expect(result.restoreSession.status).toBe('COMPLETED_WITH_ERROR');
    const byStatus = Object.fromEntries(result.restoreSession.granularMailboxRestoreArtifacts.nodes.map((n) => [n.status, n]));
    expect(byStatus.SUCCEEDED).toMatchObject({ restoredItemCount: hit!.artifactHitCount, error: null });
    expect(byStatus.SUCCEEDED!.restoredFolderName).toEqual(expect.any(String));
    expect(byStatus.FAILED).toMatchObject({ error: { code: 'ArtifactCannotBeRestored' } });
  });
});

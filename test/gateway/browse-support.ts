import { expect } from 'vitest';
import { seedDriveRestorePointId, seedPerson, seedRestorePointId, seedSiteName } from '@restore-session-gateway/graph-emulator';
import { graphCalls } from '@restore-session-gateway/graph-emulator/testing';
import { dataOf, type GraphQLResponse } from '../support/graphql.js';
import type { TestCaller, TestGateway } from './harness.js';

/**
 * What the browse suites share: the documents, one case per family (its mutation, its types, its seeded backups), and
 * helpers that open a session and walk its backup through `items`, as a file picker would.
 */

export interface BrowseCase {
  label: 'SharePoint' | 'OneDrive';
  create: 'createSharePointBrowseSession' | 'createOneDriveForBusinessBrowseSession';
  typename: 'SharePointBrowseSession' | 'OneDriveForBusinessBrowseSession';
  /** Graph's set, as the journal shows its paths. */
  graphSet: 'sharePointBrowseSessions' | 'oneDriveForBusinessBrowseSessions';
  /** Restore point `day` (0 = newest; days 0 to 6 are fast-restore points) of the family's unit `index`. */
  point(index: number, day: number, clockStart: string): string;
  /** The name of the backup's top-level site: the site's name, or the OneDrive owner's display name. */
  topName(index: number): string;
  /** A restore point of the other family: refused by this family's create. */
  otherPoint(clockStart: string): string;
}

export const BROWSE_CASES: readonly BrowseCase[] = [
  {
    label: 'SharePoint',
    create: 'createSharePointBrowseSession',
    typename: 'SharePointBrowseSession',
    graphSet: 'sharePointBrowseSessions',
    point: (index, day, clockStart) => seedRestorePointId(index, day, clockStart),
    topName: (index) => seedSiteName(index),
    otherPoint: (clockStart) => seedDriveRestorePointId(1, 0, clockStart),
  },
  {
    label: 'OneDrive',
    create: 'createOneDriveForBusinessBrowseSession',
    typename: 'OneDriveForBusinessBrowseSession',
    graphSet: 'oneDriveForBusinessBrowseSessions',
    point: (index, day, clockStart) => seedDriveRestorePointId(index, day, clockStart),
    topName: (index) => seedPerson(index).displayName,
    otherPoint: (clockStart) => seedRestorePointId(1, 0, clockStart),
  },
];

export const SESSION_FIELDS = `
  __typename id status restorePointDateTime createdDateTime expirationDateTime backupSizeInBytes error { code }
`;

/** The family's own fields, for a selection on its concrete type. */
const familyFields = (c: BrowseCase): string => (c.label === 'SharePoint' ? 'siteId site { id }' : 'directoryObjectId');

export const ITEM_FIELDS = `
  itemKey browseSessionId kind name path webUrl sizeInBytes itemCount
  createdDateTime lastModifiedDateTime createdBy { user { id } } lastModifiedBy { user { id } } canOpen location
`;

export const createDocument = (c: BrowseCase): string => `
  mutation Open($input: ${c.create === 'createSharePointBrowseSession' ? 'CreateSharePointBrowseSessionInput' : 'CreateOneDriveForBusinessBrowseSessionInput'}!) {
    ${c.create}(input: $input) { browseSession { ${SESSION_FIELDS} ${familyFields(c)} } }
  }`;

export const ITEMS = `
  query Browse($id: ID!, $location: String, $nameContains: String, $orderBy: BrowseItemOrder, $first: Int, $after: String) {
    browseSession(id: $id) {
      id
      items(location: $location, nameContains: $nameContains, orderBy: $orderBy, first: $first, after: $after) {
        totalCount
        pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
        edges { cursor node { ${ITEM_FIELDS} } }
      }
    }
  }`;

export interface SessionView {
  __typename: string;
  id: string;
  status: string;
  restorePointDateTime: string | null;
  createdDateTime: string | null;
  expirationDateTime: string | null;
  backupSizeInBytes: number | null;
  error: { code: string } | null;
  siteId?: string | null;
  site?: { id: string } | null;
  directoryObjectId?: string | null;
}

export interface ItemView {
  itemKey: string;
  browseSessionId: string;
  kind: string;
  name: string;
  path: string;
  webUrl: string | null;
  sizeInBytes: number | null;
  itemCount: number | null;
  createdDateTime: string | null;
  lastModifiedDateTime: string | null;
  createdBy: { user: { id: string } | null } | null;
  lastModifiedBy: { user: { id: string } | null } | null;
  canOpen: boolean;
  location: string | null;
}

export interface ItemsView {
  totalCount: number | null;
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  edges: Array<{ cursor: string; node: ItemView }>;
}

export interface ItemsArgs {
  location?: string | null;
  nameContains?: string;
  orderBy?: string;
  first?: number;
  after?: string;
}

/** The browse sessions' helpers over one test gateway. */
export function browseHelpers(gw: TestGateway, c: BrowseCase) {
  const clockStart = (): string => gw.t.emu.seed.clockStart;
  async function open(index = 0, day = 0, caller: TestCaller = 'admin'): Promise<SessionView> {
    const res = await gw.queryAs<Record<string, { browseSession: SessionView }>>(caller, createDocument(c), {
      input: { restorePointId: c.point(index, day, clockStart()) },
    });
    return dataOf(res)[c.create]!.browseSession;
  }
  function list(
    id: string,
    args: ItemsArgs = {},
  ): Promise<GraphQLResponse<{ browseSession: { id: string; items: ItemsView | null } | null }>> {
    return gw.query(ITEMS, { id, ...args });
  }
  async function items(id: string, args: ItemsArgs = {}): Promise<ItemsView> {
    const browse = dataOf(await list(id, args)).browseSession;
    expect(browse?.items, 'the listing').toBeTruthy();
    return browse!.items!;
  }
  /** The item named `name` among what `location` holds. */
  async function child(id: string, location: string | null, name: string): Promise<ItemView> {
    const found = (await items(id, { location, nameContains: name, first: 100 })).edges.map((e) => e.node).find((n) => n.name === name);
    expect(found, `${name} at ${location ?? 'the top'}`).toBeDefined();
    return found!;
  }
  /** Walks from the top of the backup along `names` (the site first), answering the last item. */
  async function walk(id: string, ...names: string[]): Promise<ItemView> {
    let location: string | null = null;
    let item: ItemView | undefined;
    for (const name of names) {
      item = await child(id, location, name);
      location = item.location;
    }
    return item!;
  }
  /** Every item of a location, `first` at a time, following `endCursor` to the end. */
  async function all(id: string, args: ItemsArgs & { first: number }): Promise<{ pages: ItemsView[]; nodes: ItemView[] }> {
    const pages: ItemsView[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await items(id, { ...args, ...(after ? { after } : {}) });
      pages.push(page);
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor!;
      expect(pages.length, 'pages').toBeLessThan(20);
    }
    return { pages, nodes: pages.flatMap((p) => p.edges.map((e) => e.node)) };
  }
  return { clockStart, open, list, items, child, walk, all };
}

/** Graph calls as `METHOD path?query status`, the query decoded. */
export const calls = (gw: TestGateway): string[] =>
  graphCalls(gw.graphEntries()).map((e) => `${e.method} ${e.path}${e.query ? `?${decodeURIComponent(e.query)}` : ''} ${e.status}`);

/** The audit log's lines, parsed. */
export const auditLines = (gw: TestGateway, since = 0): Array<Record<string, unknown>> =>
  gw.logLines
    .slice(since)
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .filter((l) => l.component === 'audit');

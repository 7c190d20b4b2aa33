import { describe, expect, it } from 'vitest';
import { useTestEmulator, type EmuResponse } from '../src/testing/index.js';
import {
  BROWSE_PAGE_SIZE,
  BROWSE_SESSION_LIFETIME_MS,
  REPORTS_FILE_COUNT,
  SHAREPOINT_BACKUP_ADMINISTRATOR_ROLE,
  defaultSeed,
  seedBrowseItem,
  seedBrowseTree,
  seedDriveRestorePointId,
  seedDriveUnitId,
  seedMailboxRestorePointId,
  seedPerson,
  seedRestorePointId,
  seedUnitId,
} from '../src/index.js';
import { ROOT, type Err, type Json } from './family-support.js';
import {
  DAY,
  OD_BROWSE,
  SP_BROWSE,
  afterVersion,
  browseAll,
  browseSession,
  expectError,
  graphToken,
  writerWithoutRole,
  type BrowseItem,
  type BrowsePage,
} from './granular-support.js';

/**
 * Browse sessions of SharePoint sites and OneDrives: create, list, get, expiry, and the browse action over the seeded
 * backed-up trees, page by page, filtered and in each order; the delegated role rule; both Graph versions.
 */

const SEED = defaultSeed();
const SITE = 3;
const SITE_UNIT = seedUnitId(SITE);
const DRIVE = 2;
const DRIVE_UNIT = seedDriveUnitId(DRIVE);
const site = SEED.protectionUnits[SITE]!;
const drive = SEED.driveProtectionUnits![DRIVE]!;

interface BrowseSessionBody {
  '@odata.context': string;
  '@odata.type'?: string;
  id: string;
  restorePointDateTime: string;
  status: string;
  createdDateTime: string;
  expirationDateTime: string;
  backupSizeInBytes: string;
  siteId?: string;
  directoryObjectId?: string;
}

const names = (pages: BrowsePage[]): string[] => pages.flatMap((p) => p.value.map((v) => v.name));
const childrenOf = (unitId: string, path: string): string[] => {
  const parent = seedBrowseItem(unitId, path).itemKey;
  return seedBrowseTree(unitId)
    .filter((i) => i.parentKey === parent)
    .map((i) => i.name);
};

describe('browse sessions: create, list, get', () => {
  const t = useTestEmulator();

  it('creates a SharePoint browse session on a fastRestore point: 201, Location, three days to live', async () => {
    const res = await t.graph<BrowseSessionBody>('POST', SP_BROWSE, { body: { restorePointId: seedRestorePointId(SITE, 0) } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const b = res.body;
    expect(b.id).toMatch(/^[A-Za-z0-9_-]{48}$/);
    expect(res.headers.location).toBe(`${t.emu.origin}/beta${SP_BROWSE}/${b.id}`);
    expect(b).toEqual({
      '@odata.context': `${t.emu.origin}/beta/$metadata#solutions/backupRestore/sharePointBrowseSessions/$entity`,
      id: b.id,
      restorePointDateTime: '2025-06-02T00:00:00.000Z',
      status: 'created',
      createdDateTime: '2025-06-02T09:00:00.000Z',
      expirationDateTime: new Date(Date.parse('2025-06-02T09:00:00Z') + 3 * DAY).toISOString(),
      backupSizeInBytes: seedBrowseItem(SITE_UNIT, '').sizeInBytes,
      siteId: site.siteId,
    });
    expect(BROWSE_SESSION_LIFETIME_MS).toBe(3 * DAY);
  });

  it('creates a OneDrive browse session naming the OneDrive by directoryObjectId, on both versions', async () => {
    for (const version of ['beta', 'v1.0'] as const) {
      const res = await t.graph<BrowseSessionBody>('POST', OD_BROWSE, {
        body: { restorePointId: seedDriveRestorePointId(DRIVE, 1) },
        version,
      });
      expect(res.status).toBe(201);
      expect(res.body['@odata.context']).toContain(
        `/${version}/$metadata#solutions/backupRestore/oneDriveForBusinessBrowseSessions/$entity`,
      );
      expect(res.body.directoryObjectId).toBe(drive.directoryObjectId);
      expect(res.body.siteId).toBeUndefined();
      expect(res.body.restorePointDateTime).toBe('2025-06-01T00:00:00.000Z');
      expect(res.body.backupSizeInBytes).toBe(seedBrowseItem(DRIVE_UNIT, '').sizeInBytes);
    }
  });

  it('refuses a restore point that is unknown, of another workload or not fastRestore, and unknown properties', async () => {
    const post = (set: string, body: unknown): Promise<EmuResponse> => t.graph('POST', set, { body });
    expectError(await post(SP_BROWSE, { restorePointId: `${SITE_UNIT}_1700000000_14_1` }), 400, 'InvalidRestorePoint');
    expectError(await post(SP_BROWSE, {}), 400, 'InvalidRestorePoint');
    expectError(await post(SP_BROWSE, { restorePointId: '../x y' }), 400, 'InvalidRestorePoint');
    const mailbox = await post(SP_BROWSE, { restorePointId: seedMailboxRestorePointId(2, 0) });
    expectError(mailbox, 400, 'InvalidRestorePoint');
    expect((mailbox.body as Err).error.message).toContain('not a restore point of a site');
    expectError(await post(SP_BROWSE, { restorePointId: seedDriveRestorePointId(DRIVE, 0) }), 400, 'InvalidRestorePoint');
    expectError(await post(OD_BROWSE, { restorePointId: seedRestorePointId(SITE, 0) }), 400, 'InvalidRestorePoint');
    expectError(await post(OD_BROWSE, { restorePointId: seedMailboxRestorePointId(2, 0) }), 400, 'InvalidRestorePoint');
    // Days 7 to 13 are not fastRestore points.
    const old = await post(SP_BROWSE, { restorePointId: seedRestorePointId(SITE, 7) });
    expectError(old, 400, 'BadRequest');
    expect((old.body as Err).error.message).toContain('fastRestore');
    expectError(await post(SP_BROWSE, { restorePointId: seedRestorePointId(SITE, 0), status: 'created' }), 400, 'BadRequest');
    expectError(await post(SP_BROWSE, { RestorePointId: seedRestorePointId(SITE, 0) }), 400, 'BadRequest');
    expectError(await post(SP_BROWSE, [1]), 400, 'BadRequest');
    expect(t.emu.context.state.browseSessions.size).toBe(0);
  });

  it('lists each family in its own set and both in browseSessions with their types; no query options on the sets', async () => {
    const sp = await browseSession(t, SP_BROWSE, seedRestorePointId(SITE, 0));
    const od = await browseSession(t, OD_BROWSE, seedDriveRestorePointId(DRIVE, 0));
    const spList = await t.graph<{ value: BrowseSessionBody[]; '@odata.context': string }>('GET', SP_BROWSE);
    expect(spList.body['@odata.context']).toBe(`${t.emu.origin}/beta/$metadata#solutions/backupRestore/sharePointBrowseSessions`);
    expect(spList.body.value.map((b) => b.id)).toEqual([sp]);
    expect(spList.body.value[0]!['@odata.type']).toBeUndefined();
    expect((await t.graph<{ value: BrowseSessionBody[] }>('GET', OD_BROWSE)).body.value.map((b) => b.id)).toEqual([od]);
    const all = await t.graph<{ value: BrowseSessionBody[] }>('GET', `${ROOT}/browseSessions`);
    expect(all.body.value.map((b) => [b.id, b['@odata.type']])).toEqual([
      [sp, '#microsoft.graph.sharePointBrowseSession'],
      [od, '#microsoft.graph.oneDriveForBusinessBrowseSession'],
    ]);
    for (const option of ['$top=1', "$filter=status eq 'created'", '$count=true', '$select=id']) {
      expectError(await t.graph('GET', `${SP_BROWSE}?${option}`), 400, 'BadRequest');
    }
    expectError(await t.graph('GET', `${SP_BROWSE}?$skiptoken=nonsense`), 400, 'BadRequest');
  });

  it('answers $top (with a nextLink) and $filter on status on browseSessions, and nothing else', async () => {
    const ids = [
      await browseSession(t, SP_BROWSE, seedRestorePointId(SITE, 0)),
      await browseSession(t, OD_BROWSE, seedDriveRestorePointId(DRIVE, 0)),
      await browseSession(t, SP_BROWSE, seedRestorePointId(SITE + 1, 2)),
    ];
    const first = await t.graph<{ value: BrowseSessionBody[]; '@odata.nextLink'?: string }>('GET', `${ROOT}/browseSessions?$top=2`);
    expect(first.body.value.map((b) => b.id)).toEqual(ids.slice(0, 2));
    const rest = await t.graph<{ value: BrowseSessionBody[]; '@odata.nextLink'?: string }>(
      'GET',
      afterVersion(first.body['@odata.nextLink']!),
    );
    expect(rest.body.value.map((b) => b.id)).toEqual(ids.slice(2));
    expect(rest.body['@odata.nextLink']).toBeUndefined();
    const filter = (f: string): Promise<EmuResponse<{ value: Json[] }>> =>
      t.graph<{ value: Json[] }>('GET', `${ROOT}/browseSessions?$filter=${encodeURIComponent(f)}`);
    expect((await filter("status eq 'created'")).body.value).toHaveLength(3);
    expect((await filter("status eq 'failed'")).body.value).toHaveLength(0);
    expectError(await filter("status eq 'done'"), 400, 'BadRequest');
    expectError(await filter("siteId eq 'x'"), 400, 'BadRequest');
    expectError(await t.graph('GET', `${ROOT}/browseSessions?$select=id`), 400, 'BadRequest');
  });

  it('gets one by id; 404 for an unknown one or one of the other family, 400 for a malformed id; no update or delete', async () => {
    const id = await browseSession(t, SP_BROWSE, seedRestorePointId(SITE, 0));
    const got = await t.graph<BrowseSessionBody>('GET', `${SP_BROWSE}/${id}`);
    expect(got.status).toBe(200);
    expect(got.body.id).toBe(id);
    expect(got.body['@odata.context']).toContain('#solutions/backupRestore/sharePointBrowseSessions/$entity');
    expectError(await t.graph('GET', `${SP_BROWSE}/${id.toUpperCase()}x`), 404, 'ResourceNotFound');
    expectError(await t.graph('GET', `${OD_BROWSE}/${id}`), 404, 'ResourceNotFound');
    expectError(await t.graph('GET', `${SP_BROWSE}/${encodeURIComponent('a b')}`), 400, 'BadRequest');
    expectError(await t.graph('GET', `${SP_BROWSE}/${id}?$select=id`), 400, 'BadRequest');
    expectError(await t.graph('PATCH', `${SP_BROWSE}/${id}`, { body: {} }), 405, 'MethodNotAllowed');
    expectError(await t.graph('DELETE', `${SP_BROWSE}/${id}`), 405, 'MethodNotAllowed');
  });

  it('is gone once the clock passes its expirationDateTime', async () => {
    const id = await browseSession(t, SP_BROWSE, seedRestorePointId(SITE, 0));
    await t.advance(BROWSE_SESSION_LIFETIME_MS);
    expect((await t.graph('GET', `${SP_BROWSE}/${id}`)).status).toBe(200);
    expect((await t.graph('POST', `${SP_BROWSE}/${id}/browse`)).status).toBe(200);
    await t.advance(1);
    expectError(await t.graph('GET', `${SP_BROWSE}/${id}`), 404, 'ResourceNotFound');
    expectError(await t.graph('POST', `${SP_BROWSE}/${id}/browse`), 404, 'ResourceNotFound');
    expect((await t.graph<{ value: Json[] }>('GET', SP_BROWSE)).body.value).toEqual([]);
    expect((await t.graph<{ value: Json[] }>('GET', `${ROOT}/browseSessions`)).body.value).toEqual([]);
  });
});

describe('browse', () => {
  const t = useTestEmulator();

  it('lists the top level with an empty body, no body or {}: the site, or the OneDrive’s personal site', async () => {
    const sp = await browseSession(t, SP_BROWSE, seedRestorePointId(SITE, 0));
    for (const body of [undefined, {}]) {
      const res = await t.graph<BrowsePage>('POST', `${SP_BROWSE}/${sp}/browse`, { body });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        '@odata.context': `${t.emu.origin}/beta/$metadata#Collection(microsoft.graph.browseQueryResponseItem)`,
        '@odata.count': 1,
        value: [
          {
            itemKey: seedBrowseItem(SITE_UNIT, '').itemKey,
            name: site.siteName,
            webUrl: site.siteWebUrl,
            type: 'site',
            itemsCount: 2,
            sizeInBytes: seedBrowseItem(SITE_UNIT, '').sizeInBytes,
          },
        ],
      });
    }
    // The site's key is its Graph site id's two GUIDs.
    expect(seedBrowseItem(SITE_UNIT, '').itemKey).toBe(site.siteId.split(',').slice(1).join(','));
    const od = await browseSession(t, OD_BROWSE, seedDriveRestorePointId(DRIVE, 0));
    const top = await t.graph<BrowsePage>('POST', `${OD_BROWSE}/${od}/browse`);
    expect(top.body.value).toMatchObject([{ name: seedPerson(DRIVE).displayName, webUrl: drive.siteWebUrl, type: 'site', itemsCount: 1 }]);
  });

  it('walks site → libraries → folders → files, with keys of 2, 3 and 4 GUIDs', async () => {
    const sp = await browseSession(t, SP_BROWSE, seedRestorePointId(SITE, 0));
    const at = async (key: string, type: string): Promise<BrowseItem[]> =>
      (await browseAll(t, SP_BROWSE, sp, { browseLocationItemKey: key, browseResourceType: type })).flatMap((p) => p.value);
    const libraries = await at(seedBrowseItem(SITE_UNIT, '').itemKey, 'site');
    expect(libraries.map((l) => [l.name, l.type, l.webUrl])).toEqual([
      ['Documents', 'documentLibrary', `${site.siteWebUrl}/Shared Documents`],
      ['Site Assets', 'documentLibrary', `${site.siteWebUrl}/SiteAssets`],
    ]);
    expect(libraries[0]!.itemKey.split(',')).toHaveLength(3);
    const documents = await at(libraries[0]!.itemKey, 'documentLibrary');
    expect(documents).toHaveLength(10);
    const projects = documents.find((d) => d.name === 'Projects')!;
    expect(projects).toMatchObject({ type: 'folder', itemsCount: 3, webUrl: `${site.siteWebUrl}/Shared Documents/Projects` });
    const alpha = (await at(projects.itemKey, 'folder')).find((d) => d.name === 'Project Alpha')!;
    const drafts = (await at(alpha.itemKey, 'folder')).find((d) => d.name === 'Drafts')!;
    const files = await at(drafts.itemKey, 'folder');
    expect(files.map((f) => [f.name, f.type, f.itemsCount])).toEqual([
      ['Draft 1.docx', 'file', 0],
      ['Draft 2.docx', 'file', 0],
      ['diagram.png', 'file', 0],
    ]);
    expect(files[0]!.itemKey.split(',')).toHaveLength(4);
    expect(files[0]!.itemKey).toBe(seedBrowseItem(SITE_UNIT, 'Documents/Projects/Project Alpha/Drafts/Draft 1.docx').itemKey);
    expect(Number(drafts.sizeInBytes)).toBe(files.reduce((sum, f) => sum + Number(f.sizeInBytes), 0));
    // The same tree in every fastRestore point of the site, and another tree (other keys) for another site.
    const older = await browseSession(t, SP_BROWSE, seedRestorePointId(SITE, 6));
    const again = (await browseAll(t, SP_BROWSE, older, { browseLocationItemKey: drafts.itemKey })).flatMap((p) => p.value);
    expect(again.map((f) => f.itemKey)).toEqual(files.map((f) => f.itemKey));
    expect(seedBrowseItem(seedUnitId(SITE + 1), 'Documents/Projects').itemKey).not.toBe(projects.itemKey);
  });

  it('pages a folder of 120 files by 50, to the end, with @odata.count on every page', async () => {
    const sp = await browseSession(t, SP_BROWSE, seedRestorePointId(SITE, 0));
    const reports = seedBrowseItem(SITE_UNIT, 'Documents/Reports');
    const pages = await browseAll(t, SP_BROWSE, sp, { browseLocationItemKey: reports.itemKey, browseResourceType: 'folder' });
    expect(BROWSE_PAGE_SIZE).toBe(50);
    expect(pages.map((p) => p.value.length)).toEqual([50, 50, REPORTS_FILE_COUNT - 100]);
    expect(pages.every((p) => p['@odata.count'] === REPORTS_FILE_COUNT)).toBe(true);
    const next = pages[0]!['@odata.nextLink']!;
    expect(next).toMatch(
      new RegExp(`^${t.emu.origin}/beta/solutions/backupRestore/sharePointBrowseSessions/${sp}/browse\\?\\$skiptoken=[A-Za-z0-9_-]+$`),
    );
    expect(names(pages)).toEqual(childrenOf(SITE_UNIT, 'Documents/Reports').sort());
    expect(new Set(pages.flatMap((p) => p.value.map((v) => v.itemKey))).size).toBe(REPORTS_FILE_COUNT);
  });

  it('orders by path (ordinal, the default) or by name (ignoring case), each ascending or descending, to the last page', async () => {
    const sp = await browseSession(t, SP_BROWSE, seedRestorePointId(SITE, 0));
    const documents = seedBrowseItem(SITE_UNIT, 'Documents').itemKey;
    const order = async (orderBy?: string): Promise<string[]> =>
      names(await browseAll(t, SP_BROWSE, sp, { browseLocationItemKey: documents, ...(orderBy ? { orderBy } : {}) }));
    const byPath = [
      'Board minutes (locked).docx',
      'Budget 2025.xlsx',
      'Budget Review.pptx',
      'Invoices',
      'Projects',
      'Reports',
      'Team Charter.docx',
      'notes.txt',
      'org-chart.png',
      'readme.md',
    ];
    const byName = [
      'Board minutes (locked).docx',
      'Budget 2025.xlsx',
      'Budget Review.pptx',
      'Invoices',
      'notes.txt',
      'org-chart.png',
      'Projects',
      'readme.md',
      'Reports',
      'Team Charter.docx',
    ];
    expect(await order()).toEqual(byPath);
    expect(await order('pathAsc')).toEqual(byPath);
    expect(await order('pathDsc')).toEqual([...byPath].reverse());
    expect(await order('nameAsc')).toEqual(byName);
    expect(await order('nameDsc')).toEqual([...byName].reverse());
    // Across pages too: the 120 reports descending.
    const reports = seedBrowseItem(SITE_UNIT, 'Documents/Reports').itemKey;
    const dsc = await browseAll(t, SP_BROWSE, sp, { browseLocationItemKey: reports, orderBy: 'nameDsc' });
    expect(dsc).toHaveLength(3);
    expect(names(dsc)).toEqual(childrenOf(SITE_UNIT, 'Documents/Reports').sort().reverse());
  });

  it('filters by (name -contains ...), ignoring case, and keeps the filter and order across pages', async () => {
    const sp = await browseSession(t, SP_BROWSE, seedRestorePointId(SITE, 0));
    const reports = seedBrowseItem(SITE_UNIT, 'Documents/Reports').itemKey;
    const budget = await browseAll(t, SP_BROWSE, sp, { browseLocationItemKey: reports, filter: "(name -contains 'budget')" });
    expect(budget).toHaveLength(1);
    expect(budget[0]!['@odata.count']).toBe(15);
    expect(names(budget).every((n) => n.includes('Budget'))).toBe(true);
    const invoices = await browseAll(t, SP_BROWSE, sp, { browseLocationItemKey: reports, filter: "name -contains 'Invoice'" });
    expect(names(invoices)).toHaveLength(15);
    // Every report matches "Report": three pages, the filter and order kept in the skiptoken.
    const all = await browseAll(t, SP_BROWSE, sp, {
      browseLocationItemKey: reports,
      filter: "(name -contains 'report')",
      orderBy: 'pathDsc',
    });
    expect(all.map((p) => p.value.length)).toEqual([50, 50, 20]);
    expect(names(all)).toEqual(childrenOf(SITE_UNIT, 'Documents/Reports').sort().reverse());
    // A doubled quote is a quote; nothing is named so.
    const quoted = await browseAll(t, SP_BROWSE, sp, { browseLocationItemKey: reports, filter: "(name -contains 'it''s')" });
    expect(quoted[0]!['@odata.count']).toBe(0);
    expect(quoted[0]!.value).toEqual([]);
    const top = await browseAll(t, SP_BROWSE, sp, { filter: "(name -contains 'nothing')" });
    expect(top[0]!.value).toEqual([]);
  });

  it('refuses other filters and orders, unknown locations, files, mismatched types and unknown parameters', async () => {
    const sp = await browseSession(t, SP_BROWSE, seedRestorePointId(SITE, 0));
    const browse = (body: unknown): Promise<EmuResponse> => t.graph('POST', `${SP_BROWSE}/${sp}/browse`, { body });
    const reports = seedBrowseItem(SITE_UNIT, 'Documents/Reports').itemKey;
    for (const filter of ["name eq 'x'", "(size -contains 'x')", "(name -contains 'x'", 'name -contains x', 42]) {
      expectError(await browse({ browseLocationItemKey: reports, filter }), 400, 'BadRequest');
    }
    for (const orderBy of ['sizeAsc', 'unknownFutureValue', 'PATHASC ']) expectError(await browse({ orderBy }), 400, 'BadRequest');
    const other = seedBrowseItem(seedUnitId(SITE + 1), 'Documents/Reports').itemKey;
    const notHere = await browse({ browseLocationItemKey: other, browseResourceType: 'folder' });
    expectError(notHere, 400, 'BadRequest');
    expect((notHere.body as Err).error.message).toContain('is not an item of this browse session');
    const file = seedBrowseItem(SITE_UNIT, 'Documents/Budget 2025.xlsx').itemKey;
    expectError(await browse({ browseLocationItemKey: file }), 400, 'BadRequest');
    expectError(await browse({ browseLocationItemKey: reports, browseResourceType: 'documentLibrary' }), 400, 'BadRequest');
    expectError(await browse({ browseLocationItemKey: reports, browseResourceType: 'none' }), 400, 'BadRequest');
    expectError(await browse({ browseLocationItemKey: reports, browseResourceType: 'file' }), 400, 'BadRequest');
    expectError(await browse({ browseResourceType: 'folder' }), 400, 'BadRequest');
    expectError(await browse({ browseLocationItemKey: reports, top: 5 }), 400, 'BadRequest');
    expectError(await browse([reports]), 400, 'BadRequest');
    // The location type may be left out, and keys compare ignoring case.
    expect((await browse({ browseLocationItemKey: reports.toUpperCase() })).status).toBe(200);
    expectError(await t.graph('POST', `${SP_BROWSE}/${sp}/browse?$top=5`, { body: {} }), 400, 'BadRequest');
  });

  it('continues only with its own skiptoken', async () => {
    const a = await browseSession(t, SP_BROWSE, seedRestorePointId(SITE, 0));
    const b = await browseSession(t, SP_BROWSE, seedRestorePointId(SITE, 1));
    const reports = seedBrowseItem(SITE_UNIT, 'Documents/Reports').itemKey;
    const first = await t.graph<BrowsePage>('POST', `${SP_BROWSE}/${a}/browse`, { body: { browseLocationItemKey: reports } });
    const token = new URL(first.body['@odata.nextLink']!).searchParams.get('$skiptoken')!;
    expect((await t.graph('GET', `${SP_BROWSE}/${a}/browse?$skiptoken=${token}`)).status).toBe(200);
    const foreign = await t.graph('GET', `${SP_BROWSE}/${b}/browse?$skiptoken=${token}`);
    expectError(foreign, 400, 'BadRequest');
    expect((foreign.body as Err).error.message).toContain('another browse session');
    expectError(await t.graph('GET', `${SP_BROWSE}/${a}/browse`), 400, 'BadRequest');
    expectError(await t.graph('GET', `${SP_BROWSE}/${a}/browse?$skiptoken=bm9wZQ`), 400, 'BadRequest');
    expectError(await t.graph('GET', `${SP_BROWSE}/${a}/browse?$skiptoken=${token}&$top=2`), 400, 'BadRequest');
    expectError(await t.graph('GET', `${OD_BROWSE}/${a}/browse?$skiptoken=${token}`), 404, 'ResourceNotFound');
  });

  it('shows who created and changed files and folders, and when, on beta only', async () => {
    const reports = seedBrowseItem(SITE_UNIT, 'Documents/Reports').itemKey;
    const documents = seedBrowseItem(SITE_UNIT, 'Documents').itemKey;
    for (const version of ['beta', 'v1.0'] as const) {
      const sp = await browseSession(t, SP_BROWSE, seedRestorePointId(SITE, 0), version);
      const [page] = await browseAll(t, SP_BROWSE, sp, { browseLocationItemKey: documents }, { version });
      const file = page!.value.find((v) => v.type === 'file')!;
      const folder = page!.value.find((v) => v.itemKey === reports)!;
      const libraries = await browseAll(t, SP_BROWSE, sp, { browseLocationItemKey: seedBrowseItem(SITE_UNIT, '').itemKey }, { version });
      expect(libraries[0]!.value[0]!.createdDateTime).toBeUndefined();
      if (version === 'v1.0') {
        expect(Object.keys(file)).toEqual(['itemKey', 'name', 'webUrl', 'type', 'itemsCount', 'sizeInBytes']);
        continue;
      }
      for (const item of [file, folder]) {
        expect(Date.parse(item.createdDateTime!)).toBeLessThanOrEqual(Date.parse(item.lastModifiedDateTime!));
        expect(Date.parse(item.lastModifiedDateTime!)).toBeLessThan(Date.parse('2025-06-02T00:00:00Z'));
        expect(item.createdBy).toMatchObject({ user: { id: expect.any(String), displayName: expect.any(String) } });
        expect(item.lastModifiedBy).toMatchObject({ user: { email: expect.stringContaining('@') } });
      }
    }
    // A OneDrive's items are its owner's.
    const od = await browseSession(t, OD_BROWSE, seedDriveRestorePointId(DRIVE, 0));
    const [page] = await browseAll(t, OD_BROWSE, od, { browseLocationItemKey: seedBrowseItem(DRIVE_UNIT, 'Documents').itemKey });
    expect(page!.value[0]!.createdBy).toEqual({
      user: { id: drive.directoryObjectId, displayName: drive.displayName, email: drive.email },
    });
  });
});

describe('browse sessions: who may call them', () => {
  const t = useTestEmulator();

  it('lets apps and delegated SharePoint Backup Administrators in, and refuses other delegated callers with 403 Forbidden', async () => {
    const admin = await t.userToken('admin');
    const created = await t.graph<{ id: string }>('POST', SP_BROWSE, {
      body: { restorePointId: seedRestorePointId(SITE, 0) },
      token: admin,
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const id = created.body.id;
    const withoutRole = [await writerWithoutRole(t), await graphToken(t, { user: 'admin', directoryRoles: [] })];
    const calls: Array<[string, string, unknown]> = [
      ['POST', SP_BROWSE, { restorePointId: seedRestorePointId(SITE, 0) }],
      ['GET', SP_BROWSE, undefined],
      ['GET', `${SP_BROWSE}/${id}`, undefined],
      ['POST', `${SP_BROWSE}/${id}/browse`, {}],
      ['GET', OD_BROWSE, undefined],
      ['GET', `${ROOT}/browseSessions`, undefined],
    ];
    for (const [method, path, body] of calls) {
      for (const token of withoutRole) {
        const res = await t.graph<Err>(method, path, { body, token });
        expectError(res, 403, 'Forbidden');
        expect(res.body.error.message).toContain('SharePoint Backup Administrator');
      }
      const ok = await t.graph(method, path, { body, token: admin });
      expect(ok.status, `${method} ${path}`).toBeLessThan(300);
      expect((await t.graph(method, path, { body })).status).toBeLessThan(300);
    }
    // The role alone is not enough: the permission is asked first.
    const roleOnly = await graphToken(t, { user: 'reader', directoryRoles: [SHAREPOINT_BACKUP_ADMINISTRATOR_ROLE] });
    const readOnly = await t.graph<Err>('GET', SP_BROWSE, { token: roleOnly });
    expect(readOnly.status).toBe(403);
    expect(readOnly.body.error.message).toContain('BackupRestore-Restore.ReadWrite.All');
    expectError(await t.graph('GET', SP_BROWSE, { token: await t.userToken('reader') }), 403, 'Forbidden');
  });
});

describe('browse sessions: strict profile', () => {
  const t = useTestEmulator({ profile: 'strict' });

  it('serves them with no query option, refusing $top on browseSessions too, and follows its own nextLinks', async () => {
    const sp = await browseSession(t, SP_BROWSE, seedRestorePointId(SITE, 0));
    const reports = seedBrowseItem(SITE_UNIT, 'Documents/Reports').itemKey;
    const pages = await browseAll(t, SP_BROWSE, sp, { browseLocationItemKey: reports });
    expect(pages).toHaveLength(3);
    for (const path of [
      `${ROOT}/browseSessions?$top=1`,
      `${ROOT}/browseSessions?$filter=status eq 'created'`,
      `${SP_BROWSE}?$count=true`,
    ]) {
      const res = await t.graph<Err>('GET', path);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('');
      expect(res.body.error.message).toContain('is not allowed');
    }
    expect((await t.graph('GET', `${ROOT}/browseSessions`)).status).toBe(200);
  });
});

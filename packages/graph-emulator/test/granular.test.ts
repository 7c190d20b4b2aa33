import { describe, expect, it } from 'vitest';
import { useTestEmulator, type EmuResponse, type TestEmulator } from '../src/testing/index.js';
import {
  BROWSE_SESSION_LIFETIME_MS,
  LEGAL_HOLD_DRIVE_INDEX,
  LEGAL_HOLD_SITE_INDEX,
  SEED_SESSION_IDS,
  defaultSeed,
  seedBrowseItem,
  seedBrowseTree,
  seedDriveRestorePointId,
  seedDriveUnitId,
  seedRestorePointId,
  seedUnitId,
} from '../src/index.js';
import { type Err, type Json } from './family-support.js';
import {
  OD_BROWSE,
  OD_SESSIONS,
  PREFER_ENUMS,
  RS,
  SP_BROWSE,
  SP_SESSIONS,
  afterVersion,
  browseSession,
  expectError,
  graphToken,
  writerWithoutRole,
} from './granular-support.js';

/**
 * Granular SharePoint and OneDrive restores: sessions made of items chosen in browse sessions, created, changed with
 * `@delta`, listed, and restored to each terminal status (the same lifecycle as standard restores).
 */

const SEED = defaultSeed();
const SITE = 3;
const SITE_UNIT = seedUnitId(SITE);
const site = SEED.protectionUnits[SITE]!;
const SITE_PATH = new URL(site.siteWebUrl).pathname;
const DRIVE = 2;
const DRIVE_UNIT = seedDriveUnitId(DRIVE);
const drive = SEED.driveProtectionUnits![DRIVE]!;

interface Granular {
  id: string;
  browseSessionId: string;
  status: string;
  webUrl: string;
  restoredItemKey: string | null;
  restoredItemPath: string | null;
  restoredItemWebUrl: string | null;
  restorePointDateTime: string;
  startDateTime: string | null;
  completionDateTime: string | null;
  siteId?: string;
  directoryObjectId?: string;
  destinationType?: string;
  error?: { code: string; message: string } | null;
}
interface Session {
  id: string;
  status: string;
  restoreJobType: string;
  restoreSessionArtifactCount: { total: number; inProgress: number; completed: number; failed: number };
}

const reportFiles = (unitId: string): string[] => {
  const parent = seedBrowseItem(unitId, 'Documents/Reports').itemKey;
  return seedBrowseTree(unitId)
    .filter((i) => i.parentKey === parent)
    .map((i) => i.itemKey);
};
const key = (unitId: string, path: string): string => seedBrowseItem(unitId, path).itemKey;

async function createGranular(t: TestEmulator, set: string, body: Json, version: 'beta' | 'v1.0' = 'beta'): Promise<string> {
  const res = await t.graph<Session>('POST', set, { body, version, headers: PREFER_ENUMS });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id;
}

async function granularList(t: TestEmulator, path: string, version: 'beta' | 'v1.0' = 'beta'): Promise<Granular[]> {
  const res = await t.graph<{ value: Granular[]; '@odata.nextLink'?: string }>('GET', path, { version });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  expect(res.body['@odata.nextLink']).toBeUndefined();
  return res.body.value;
}

const session = async (t: TestEmulator, id: string): Promise<Session> =>
  (await t.graph<Session>('GET', `${RS}/${id}`, { headers: PREFER_ENUMS })).body;

describe('granular SharePoint and OneDrive sessions: create and list', () => {
  const t = useTestEmulator();

  it('creates a granular SharePoint session (restoreJobType granular, Prefer-gated) and lists its items as Graph does', async () => {
    const b = await browseSession(t, SP_BROWSE, seedRestorePointId(SITE, 0));
    const items = [key(SITE_UNIT, 'Documents/Budget 2025.xlsx'), key(SITE_UNIT, 'Documents/Projects')];
    const created = await t.graph<Session>('POST', SP_SESSIONS, {
      body: { granularSiteRestoreArtifacts: items.map((id) => ({ browseSessionId: b, id })) },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      status: 'draft',
      restoreJobType: 'unknownFutureValue',
      restoreSessionArtifactCount: { total: 2, inProgress: 0, completed: 0, failed: 0 },
    });
    expect((await session(t, created.body.id)).restoreJobType).toBe('granular');
    const list = await granularList(t, `${SP_SESSIONS}/${created.body.id}/granularSiteRestoreArtifacts`);
    expect(list[0]).toEqual({
      id: items[0],
      browseSessionId: b,
      status: 'added',
      webUrl: `https://contoso.sharepoint.com${SITE_PATH}/Shared Documents/Budget 2025.xlsx`,
      restoredItemKey: null,
      restoredItemPath: null,
      restoredItemWebUrl: null,
      restorePointDateTime: '2025-06-02T00:00:00.000Z',
      startDateTime: null,
      completionDateTime: null,
      siteId: site.siteId,
      destinationType: 'inPlace',
      error: null,
    });
    expect(list.map((g) => g.id)).toEqual(items);
    // v1.0 has neither destinationType nor error; the standard list of a granular session is empty.
    const v1 = await granularList(t, `${SP_SESSIONS}/${created.body.id}/granularSiteRestoreArtifacts`, 'v1.0');
    expect(Object.keys(v1[0]!)).not.toContain('destinationType');
    expect(Object.keys(v1[0]!)).not.toContain('error');
    const standard = await t.graph<{ value: Json[] }>('GET', `${SP_SESSIONS}/${created.body.id}/siteRestoreArtifacts`);
    expect(standard.body.value).toEqual([]);
    const filtered = await t.graph<{ value: Session[] }>('GET', `${RS}?$filter=restoreJobType eq 'granular'`, { headers: PREFER_ENUMS });
    expect(filtered.body.value.map((s) => s.id)).toEqual([created.body.id]);
  });

  it('creates a granular OneDrive session whose items name the OneDrive by directoryObjectId', async () => {
    const b = await browseSession(t, OD_BROWSE, seedDriveRestorePointId(DRIVE, 2));
    const id = await createGranular(t, OD_SESSIONS, {
      granularDriveRestoreArtifacts: [{ browseSessionId: b, id: key(DRIVE_UNIT, 'Documents/Invoices/Archive') }],
    });
    const [item] = await granularList(t, `${OD_SESSIONS}/${id}/granularDriveRestoreArtifacts`);
    expect(item).toMatchObject({
      directoryObjectId: drive.directoryObjectId,
      webUrl: `${drive.siteWebUrl}/Documents/Invoices/Archive`,
      restorePointDateTime: '2025-05-31T00:00:00.000Z',
      destinationType: 'inPlace',
    });
    expect(item!.siteId).toBeUndefined();
  });

  it('refuses a bad create with Graph’s codes', async () => {
    const b = await browseSession(t, SP_BROWSE, seedRestorePointId(SITE, 0));
    const od = await browseSession(t, OD_BROWSE, seedDriveRestorePointId(DRIVE, 0));
    const file = key(SITE_UNIT, 'Documents/Team Charter.docx');
    const post = (body: unknown, set = SP_SESSIONS, version: 'beta' | 'v1.0' = 'beta'): Promise<EmuResponse> =>
      t.graph('POST', set, { body, version });
    const one = (item: Json): Json => ({ granularSiteRestoreArtifacts: [item] });
    expectError(await post(one({ browseSessionId: 'nope', id: file })), 400, 'InvalidArtifactRequest');
    expectError(await post(one({ id: file })), 400, 'InvalidArtifactRequest');
    expectError(await post(one({ browseSessionId: b })), 400, 'InvalidArtifactRequest');
    expectError(await post(one({ browseSessionId: od, id: file })), 400, 'InvalidArtifactRequest');
    const foreign = await post(one({ browseSessionId: b, id: key(seedUnitId(SITE + 1), 'Documents/Team Charter.docx') }));
    expectError(foreign, 400, 'InvalidArtifactRequest');
    expect((foreign.body as Err).error.message).toContain('is not an item of browse session');
    expectError(await post(one({ browseSessionId: b, id: key(SITE_UNIT, '') })), 400, 'InvalidArtifactRequest');
    const twice = await post({
      granularSiteRestoreArtifacts: [
        { browseSessionId: b, id: file },
        { browseSessionId: b, id: file.toUpperCase() },
      ],
    });
    expectError(twice, 400, 'DuplicateArtifactInList');
    expectError(await post(one({ browseSessionId: b, id: file, destinationType: 'inPlace' }), SP_SESSIONS, 'v1.0'), 400, 'BadRequest');
    expectError(await post(one({ browseSessionId: b, id: file, destinationType: 'elsewhere' })), 400, 'InvalidPathType');
    const mixed = [
      { browseSessionId: b, id: file, destinationType: 'new' },
      { browseSessionId: b, id: key(SITE_UNIT, 'Documents/notes.txt') },
    ];
    expectError(await post({ granularSiteRestoreArtifacts: mixed }), 400, 'DifferentRestoreDestinationType');
    expectError(await post({ ...one({ browseSessionId: b, id: file }), '@microsoft.graph.conflictBehavior': 'merge' }), 400, 'BadRequest');
    expectError(await post({ granularSiteRestoreArtifacts: [] }), 400, 'InvalidArtifactRequest');
    expectError(await post({ granularSiteRestoreArtifacts: { browseSessionId: b, id: file } }), 400, 'InvalidArtifactRequest');
    const many = reportFiles(SITE_UNIT)
      .slice(0, 51)
      .map((id) => ({ browseSessionId: b, id }));
    expectError(await post({ granularSiteRestoreArtifacts: many }), 413, 'RestoreArtifactsLimitBreached');
    expectError(
      await post({ granularSiteRestoreArtifacts: [{ browseSessionId: b, id: file }], siteRestoreArtifacts: [] }),
      400,
      'InvalidArtifactRequest',
    );
    // OneDrive: no conflict behaviour and no destinationType (neither is documented for it).
    const driveItem = { browseSessionId: od, id: key(DRIVE_UNIT, 'Documents/notes.txt') };
    const driveConflict = { granularDriveRestoreArtifacts: [driveItem], '@microsoft.graph.conflictBehavior': 'rename' };
    expectError(await post(driveConflict, OD_SESSIONS), 400, 'InvalidArtifactRequest');
    expectError(await post({ granularDriveRestoreArtifacts: [{ ...driveItem, destinationType: 'new' }] }, OD_SESSIONS), 400, 'BadRequest');
    expectError(
      await post({ granularDriveRestoreArtifacts: [{ browseSessionId: b, id: file }] }, OD_SESSIONS),
      400,
      'InvalidArtifactRequest',
    );
    // An expired browse session no longer names items.
    await t.advance(BROWSE_SESSION_LIFETIME_MS + 1);
    expectError(await post(one({ browseSessionId: b, id: file })), 400, 'InvalidArtifactRequest');
    const created = (await t.graph<{ value: Json[] }>('GET', SP_SESSIONS)).body.value.length;
    expect(created).toBe(SEED.sessions.filter((s) => s.kind === 'sharePoint').length);
  });

  it('pages a long granular list at the default page size and takes no query option; delete removes the session', async () => {
    const b = await browseSession(t, SP_BROWSE, seedRestorePointId(SITE, 0));
    const files = reportFiles(SITE_UNIT);
    const id = await createGranular(t, SP_SESSIONS, {
      granularSiteRestoreArtifacts: files.slice(0, 50).map((f) => ({ browseSessionId: b, id: f })),
    });
    const patch = await t.graph('PATCH', `${SP_SESSIONS}/${id}`, {
      body: { 'granularSiteRestoreArtifacts@delta': files.slice(50, 60).map((f) => ({ browseSessionId: b, itemKey: f })) },
    });
    expect(patch.status).toBe(200);
    const seen: string[] = [];
    let url: string | undefined = `${SP_SESSIONS}/${id}/granularSiteRestoreArtifacts`;
    let pages = 0;
    while (url) {
      const res: EmuResponse<{ value: Granular[]; '@odata.nextLink'?: string }> = await t.graph('GET', url);
      expect(res.status).toBe(200);
      seen.push(...res.body.value.map((g) => g.id));
      pages++;
      url = res.body['@odata.nextLink'] === undefined ? undefined : afterVersion(res.body['@odata.nextLink']);
    }
    expect(pages).toBe(3);
    expect(seen).toEqual(files.slice(0, 60));
    for (const option of ['$top=5', "$filter=status eq 'added'", '$count=true', '$select=id']) {
      expectError(await t.graph('GET', `${SP_SESSIONS}/${id}/granularSiteRestoreArtifacts?${option}`), 400, 'BadRequest');
    }
    expect((await t.graph('DELETE', `${RS}/${id}`)).status).toBe(204);
    expectError(await t.graph('GET', `${SP_SESSIONS}/${id}/granularSiteRestoreArtifacts`), 404, 'RestoreSessionNotFound');
  });

  it('asks delegated callers of the granular lists for the SharePoint Backup Administrator role', async () => {
    const b = await browseSession(t, OD_BROWSE, seedDriveRestorePointId(DRIVE, 0));
    const id = await createGranular(t, OD_SESSIONS, {
      granularDriveRestoreArtifacts: [{ browseSessionId: b, id: key(DRIVE_UNIT, 'Documents/readme.md') }],
    });
    const path = `${OD_SESSIONS}/${id}/granularDriveRestoreArtifacts`;
    expect((await t.graph('GET', path, { token: await t.userToken('admin') })).status).toBe(200);
    for (const token of [await writerWithoutRole(t), await graphToken(t, { user: 'admin', directoryRoles: [] })]) {
      expectError(await t.graph('GET', path, { token }), 403, 'Forbidden');
      expectError(
        await t.graph('GET', `${SP_SESSIONS}/${SEED_SESSION_IDS.draft}/granularSiteRestoreArtifacts`, { token }),
        403,
        'Forbidden',
      );
    }
    expectError(await t.graph('GET', path, { token: await t.userToken('reader') }), 403, 'Forbidden');
  });
});

describe('granular sessions: PATCH @delta', () => {
  const t = useTestEmulator();

  it('adds {browseSessionId, itemKey} and removes {"@removed", id}, answering each item inside the 200', async () => {
    const b = await browseSession(t, SP_BROWSE, seedRestorePointId(SITE, 0));
    const [a, c, d] = ['Documents/readme.md', 'Documents/notes.txt', 'Documents/org-chart.png'].map((p) => key(SITE_UNIT, p));
    const id = await createGranular(t, SP_SESSIONS, {
      granularSiteRestoreArtifacts: [
        { browseSessionId: b, id: a },
        { browseSessionId: b, id: c },
      ],
    });
    const res = await t.graph<Json>('PATCH', `${SP_SESSIONS}/${id}`, {
      body: {
        'granularSiteRestoreArtifacts@delta': [
          { browseSessionId: b, itemKey: d },
          { '@removed': { reason: 'changed' }, id: a },
          { browseSessionId: b, itemKey: key(seedUnitId(SITE + 1), 'Documents/readme.md') },
          { browseSessionId: b, itemKey: c },
          { '@removed': { reason: 'changed' }, id: 'a,b,c,d' },
        ],
      },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body['@context']).toBe('#$delta');
    expect(res.body.id).toBe(id);
    const delta = res.body['granularSiteRestoreArtifacts@delta'] as Json[];
    expect(delta[0]).toMatchObject({
      id: d,
      browseSessionId: b,
      status: 'added',
      siteId: site.siteId,
      restorePointDateTime: '2025-06-02T00:00:00.000Z',
    });
    expect(delta[1]).toEqual({ id: a, '@removed': { reason: 'changed' } });
    expect(delta[2]).toMatchObject({
      '@Core.DataModificationException': { info: { code: 'InvalidArtifactRequest' }, failedOperation: 'add', responseCode: 400 },
    });
    expect(delta[3]).toMatchObject({
      '@Core.DataModificationException': { info: { code: 'DuplicateArtifactInList' }, failedOperation: 'add', responseCode: 409 },
      itemKey: c,
    });
    expect(delta[4]).toMatchObject({
      '@Core.DataModificationException': {
        info: { code: 'Invalid', message: 'The identifier to be removed from the Restore Session does not exist' },
        failedOperation: 'remove',
        responseCode: 409,
      },
    });
    const list = await granularList(t, `${SP_SESSIONS}/${id}/granularSiteRestoreArtifacts`);
    expect(list.map((g) => g.id)).toEqual([c, d]);
    expect((await session(t, id)).restoreSessionArtifactCount.total).toBe(2);
  });

  it('refuses a mix of standard and granular, a granular delta on a standard session, and anything after draft', async () => {
    const b = await browseSession(t, SP_BROWSE, seedRestorePointId(SITE, 0));
    const item = { browseSessionId: b, itemKey: key(SITE_UNIT, 'Documents/readme.md') };
    const id = await createGranular(t, SP_SESSIONS, { granularSiteRestoreArtifacts: [{ browseSessionId: b, id: item.itemKey }] });
    const patch = (sessionId: string, body: unknown): Promise<EmuResponse> => t.graph('PATCH', `${SP_SESSIONS}/${sessionId}`, { body });
    const standardAdd = { restorePoint: { id: seedRestorePointId(SITE, 0) }, destinationType: 'inPlace' };
    expectError(
      await patch(id, { 'granularSiteRestoreArtifacts@delta': [item], 'siteRestoreArtifacts@delta': [standardAdd] }),
      400,
      'InvalidPatchRequest',
    );
    expectError(await patch(id, { 'siteRestoreArtifacts@delta': [standardAdd] }), 400, 'InvalidPatchRequest');
    expectError(await patch(SEED_SESSION_IDS.draft, { 'granularSiteRestoreArtifacts@delta': [item] }), 400, 'InvalidPatchRequest');
    expectError(await t.graph('POST', `${SP_SESSIONS}/${id}/siteRestoreArtifacts`, { body: standardAdd }), 400, 'InvalidArtifactRequest');
    expectError(await patch(id, { 'granularSiteRestoreArtifacts@delta': [item, { ...item }] }), 400, 'DuplicateArtifactInList');
    expectError(await patch(id, { 'granularSiteRestoreArtifacts@delta': [] }), 400, 'InvalidArtifactRequest');
    expectError(await patch(id, { 'granularSiteRestoreArtifacts@delta': [{ browseSessionId: b }] }), 400, 'InvalidPatchRequest');
    const tooMany = reportFiles(SITE_UNIT)
      .slice(0, 51)
      .map((f) => ({ browseSessionId: b, itemKey: f }));
    expectError(await patch(id, { 'granularSiteRestoreArtifacts@delta': tooMany }), 400, 'RestoreArtifactsLimitBreached');
    // An empty standard session takes granular items and becomes granular.
    const empty = await patch(SEED_SESSION_IDS.emptyDraft, { 'granularSiteRestoreArtifacts@delta': [item] });
    expect(empty.status).toBe(200);
    expect((await session(t, SEED_SESSION_IDS.emptyDraft)).restoreJobType).toBe('granular');
    expect((await t.graph('POST', `${RS}/${id}/activate`)).status).toBe(200);
    expectError(await patch(id, { 'granularSiteRestoreArtifacts@delta': [item] }), 403, 'RestoreSessionActionNotAllowed');
  });
});

describe('granular sessions: restore', () => {
  const t = useTestEmulator();

  it('restores items in place to completed: a new key, the original folder, dates as the restore moves', async () => {
    const b = await browseSession(t, SP_BROWSE, seedRestorePointId(SITE, 0));
    const items = ['Documents/Budget 2025.xlsx', 'Documents/Projects/Project Beta', 'Site Assets'];
    const id = await createGranular(t, SP_SESSIONS, {
      granularSiteRestoreArtifacts: items.map((p) => ({ browseSessionId: b, id: key(SITE_UNIT, p) })),
    });
    const path = `${SP_SESSIONS}/${id}/granularSiteRestoreArtifacts`;
    const activated = await t.graph<Session>('POST', `${RS}/${id}/activate`);
    expect(activated.body.status).toBe('activating');
    expect((await granularList(t, path)).map((g) => g.status)).toEqual(['scheduling', 'scheduling', 'scheduling']);
    await t.advance(2_500);
    const running = await granularList(t, path);
    expect(running.map((g) => g.status)).toEqual(['inProgress', 'scheduled', 'scheduled']);
    expect(running[0]!.startDateTime).toBe('2025-06-02T09:00:02.000Z');
    expect(running[0]!.restoredItemKey).toBeNull();
    expect((await session(t, id)).status).toBe('active');
    await t.advance(60_000);
    const done = await granularList(t, path);
    expect(done.map((g) => g.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    const [file, folder, library] = done;
    expect(file!.restoredItemPath).toBe(`${SITE_PATH}/Shared Documents`);
    expect(file!.restoredItemWebUrl).toBe(`https://contoso.sharepoint.com${SITE_PATH}/Shared Documents/Budget 2025.xlsx`);
    expect(file!.restoredItemKey!.split(',')).toHaveLength(4);
    expect(file!.restoredItemKey!.split(',').slice(0, 3)).toEqual(file!.id.split(',').slice(0, 3));
    expect(file!.restoredItemKey).not.toBe(file!.id);
    expect(file!.completionDateTime).toBe('2025-06-02T09:00:07.000Z');
    expect(folder!.restoredItemPath).toBe(`${SITE_PATH}/Shared Documents/Projects`);
    expect(library!.restoredItemPath).toBe(SITE_PATH);
    expect(library!.restoredItemKey!.split(',')).toHaveLength(3);
    expect(await session(t, id)).toMatchObject({
      status: 'completed',
      restoreSessionArtifactCount: { total: 3, inProgress: 0, completed: 3, failed: 0 },
    });
  });

  it('renames with conflictBehavior rename, and restores to a new folder with destinationType new (beta)', async () => {
    const b = await browseSession(t, SP_BROWSE, seedRestorePointId(SITE, 1));
    const [budget, reports] = [key(SITE_UNIT, 'Documents/Budget 2025.xlsx'), key(SITE_UNIT, 'Documents/Reports')];
    const renamed = await createGranular(t, SP_SESSIONS, {
      '@microsoft.graph.conflictBehavior': 'rename',
      granularSiteRestoreArtifacts: [
        { browseSessionId: b, id: budget },
        { browseSessionId: b, id: reports },
      ],
    });
    const elsewhere = await createGranular(t, SP_SESSIONS, {
      granularSiteRestoreArtifacts: [{ browseSessionId: b, id: budget, destinationType: 'new' }],
    });
    for (const id of [renamed, elsewhere]) expect((await t.graph('POST', `${RS}/${id}/activate`)).status).toBe(200);
    await t.advance(60_000);
    const [file, folder] = await granularList(t, `${SP_SESSIONS}/${renamed}/granularSiteRestoreArtifacts`);
    expect(file!.restoredItemWebUrl).toBe(`https://contoso.sharepoint.com${SITE_PATH}/Shared Documents/Budget 2025 (1).xlsx`);
    expect(folder!.restoredItemWebUrl).toBe(`https://contoso.sharepoint.com${SITE_PATH}/Shared Documents/Reports (1)`);
    const [moved] = await granularList(t, `${SP_SESSIONS}/${elsewhere}/granularSiteRestoreArtifacts`);
    expect(moved).toMatchObject({
      status: 'succeeded',
      destinationType: 'new',
      restoredItemPath: `${SITE_PATH}/Shared Documents/Restored items 2025-06-02`,
      restoredItemWebUrl: `https://contoso.sharepoint.com${SITE_PATH}/Shared Documents/Restored items 2025-06-02/Budget 2025.xlsx`,
    });
  });

  it('fails a locked file (completedWithError) and every item of a held site or OneDrive (failed), with ArtifactCannotBeRestored', async () => {
    const b = await browseSession(t, SP_BROWSE, seedRestorePointId(SITE, 0));
    const mixed = await createGranular(t, SP_SESSIONS, {
      granularSiteRestoreArtifacts: [
        { browseSessionId: b, id: key(SITE_UNIT, 'Documents/Team Charter.docx') },
        { browseSessionId: b, id: key(SITE_UNIT, 'Documents/Board minutes (locked).docx') },
      ],
    });
    const heldSite = seedUnitId(LEGAL_HOLD_SITE_INDEX);
    const hb = await browseSession(t, SP_BROWSE, seedRestorePointId(LEGAL_HOLD_SITE_INDEX, 0));
    const held = await createGranular(t, SP_SESSIONS, {
      granularSiteRestoreArtifacts: [
        { browseSessionId: hb, id: key(heldSite, 'Documents/readme.md'), destinationType: 'new' },
        { browseSessionId: hb, id: key(heldSite, 'Documents/Reports'), destinationType: 'new' },
      ],
    });
    const heldDrive = seedDriveUnitId(LEGAL_HOLD_DRIVE_INDEX);
    const db = await browseSession(t, OD_BROWSE, seedDriveRestorePointId(LEGAL_HOLD_DRIVE_INDEX, 0));
    const heldOneDrive = await createGranular(t, OD_SESSIONS, {
      granularDriveRestoreArtifacts: [{ browseSessionId: db, id: key(heldDrive, 'Documents/notes.txt') }],
    });
    for (const id of [mixed, held, heldOneDrive]) expect((await t.graph('POST', `${RS}/${id}/activate`)).status).toBe(200);
    await t.advance(60_000);
    expect(await session(t, mixed)).toMatchObject({
      status: 'completedWithError',
      restoreSessionArtifactCount: { total: 2, inProgress: 0, completed: 1, failed: 1 },
    });
    const [, locked] = await granularList(t, `${SP_SESSIONS}/${mixed}/granularSiteRestoreArtifacts`);
    expect(locked).toMatchObject({ status: 'failed', restoredItemKey: null, error: { code: 'ArtifactCannotBeRestored' } });
    expect(locked!.completionDateTime).not.toBeNull();
    expect(await session(t, held)).toMatchObject({ status: 'failed', restoreSessionArtifactCount: { total: 2, failed: 2 } });
    const heldItems = await granularList(t, `${SP_SESSIONS}/${held}/granularSiteRestoreArtifacts`);
    expect(heldItems.every((g) => g.error?.code === 'ArtifactCannotBeRestored')).toBe(true);
    expect(heldItems[0]!.error!.message).toContain("its items can't be restored until the hold is removed");
    expect((await session(t, heldOneDrive)).status).toBe('failed');
    const [driveItem] = await granularList(t, `${OD_SESSIONS}/${heldOneDrive}/granularDriveRestoreArtifacts`);
    expect(driveItem).toMatchObject({ status: 'failed', error: { code: 'ArtifactCannotBeRestored' } });
    // Without the Prefer header the failed session reads as unknownFutureValue.
    expect((await t.graph<Session>('GET', `${RS}/${held}`)).body.status).toBe('unknownFutureValue');
  });

  it('restores OneDrive items whose browse session has expired meanwhile, on v1.0 too', async () => {
    const b = await browseSession(t, OD_BROWSE, seedDriveRestorePointId(DRIVE, 0), 'v1.0');
    const id = await createGranular(
      t,
      OD_SESSIONS,
      { granularDriveRestoreArtifacts: [{ browseSessionId: b, id: key(DRIVE_UNIT, 'Documents/Invoices/Invoice 2025-003.pdf') }] },
      'v1.0',
    );
    await t.advance(BROWSE_SESSION_LIFETIME_MS + 1);
    expect((await t.graph('POST', `${RS}/${id}/activate`, { version: 'v1.0' })).status).toBe(200);
    await t.advance(60_000);
    const [item] = await granularList(t, `${OD_SESSIONS}/${id}/granularDriveRestoreArtifacts`, 'v1.0');
    expect(item).toMatchObject({
      status: 'succeeded',
      restoredItemPath: `${new URL(drive.siteWebUrl).pathname}/Documents/Invoices`,
      directoryObjectId: drive.directoryObjectId,
    });
    expect(item!.destinationType).toBeUndefined();
  });
});

describe('granular sessions: strict profile', () => {
  const t = useTestEmulator({ profile: 'strict' });

  it('lists granular items with no query option, following its own nextLinks', async () => {
    const b = await browseSession(t, SP_BROWSE, seedRestorePointId(SITE, 0));
    const files = reportFiles(SITE_UNIT).slice(0, 25);
    const id = await createGranular(t, SP_SESSIONS, { granularSiteRestoreArtifacts: files.map((f) => ({ browseSessionId: b, id: f })) });
    const first = await t.graph<{ value: Granular[]; '@odata.nextLink'?: string }>(
      'GET',
      `${SP_SESSIONS}/${id}/granularSiteRestoreArtifacts`,
    );
    expect(first.body.value).toHaveLength(20);
    const rest = await t.graph<{ value: Granular[] }>('GET', afterVersion(first.body['@odata.nextLink']!));
    expect(rest.body.value.map((g) => g.id)).toEqual(files.slice(20));
    const refused = await t.graph<Err>('GET', `${SP_SESSIONS}/${id}/granularSiteRestoreArtifacts?$top=5`);
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toContain("Query option 'Top' is not allowed");
  });
});

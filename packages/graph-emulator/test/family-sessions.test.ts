import { describe, expect, it } from 'vitest';
import { useTestEmulator, type EmuResponse, type TestEmulator } from '../src/testing/index.js';
import {
  LEGAL_HOLD_DRIVE_INDEX,
  LEGAL_HOLD_MAILBOX_INDEX,
  OFFBOARD_REQUESTED_DRIVE_INDEX,
  OFFBOARDED_MAILBOX_INDEX,
  REMOVED_DRIVE_INDEX,
  REMOVED_MAILBOX_INDEX,
  SEED_SESSION_ARTIFACT_IDS,
  SEED_SESSION_IDS,
  UNCHANGED_MAILBOX_INDEX,
  defaultSeed,
  seedDriveRestorePointId,
  seedMailboxAddress,
  seedMailboxRestorePointId,
  seedRestorePointId,
} from '../src/index.js';
import { ROOT, PREFER, UNKNOWN_GUID, type Json, type Err, type Page } from './family-support.js';

/**
 * Exchange and OneDrive restore sessions, end to end: create, list, get, PATCH with `@delta`, delete and activate,
 * their artifact lists, and the restore lifecycle with each family's own rules. The same cases run for both families.
 */

const RS = `${ROOT}/restoreSessions`;
const NULL_DATE = '0001-01-01T00:00:00Z';
const SEED = defaultSeed();

interface FamilyCase {
  label: string;
  set: string;
  artifacts: string;
  granular: string;
  type: string;
  seeded: string;
  /** Restore point `day` of unit `index` of this family. */
  point: (index: number, day?: number) => string;
  /** A restore point of another family's unit. */
  foreignPoint: string;
  hold: number;
  removed: number;
  offboarding: number;
  noun: string;
}

const FAMILY_CASES: FamilyCase[] = [
  {
    label: 'Exchange',
    set: `${ROOT}/exchangeRestoreSessions`,
    artifacts: 'mailboxRestoreArtifacts',
    granular: 'granularMailboxRestoreArtifacts',
    type: '#microsoft.graph.exchangeRestoreSession',
    seeded: SEED_SESSION_IDS.exchange,
    point: (i, day = 0) => seedMailboxRestorePointId(i, day),
    foreignPoint: seedDriveRestorePointId(2, 0),
    hold: LEGAL_HOLD_MAILBOX_INDEX,
    removed: REMOVED_MAILBOX_INDEX,
    offboarding: OFFBOARDED_MAILBOX_INDEX,
    noun: 'mailbox',
  },
  {
    label: 'OneDrive',
    set: `${ROOT}/oneDriveForBusinessRestoreSessions`,
    artifacts: 'driveRestoreArtifacts',
    granular: 'granularDriveRestoreArtifacts',
    type: '#microsoft.graph.oneDriveForBusinessRestoreSession',
    seeded: SEED_SESSION_IDS.oneDrive,
    point: (i, day = 0) => seedDriveRestorePointId(i, day),
    foreignPoint: seedMailboxRestorePointId(2, 0),
    hold: LEGAL_HOLD_DRIVE_INDEX,
    removed: REMOVED_DRIVE_INDEX,
    offboarding: OFFBOARD_REQUESTED_DRIVE_INDEX,
    noun: 'OneDrive',
  },
];

function expectError(res: EmuResponse, status: number, code: string): void {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect((res.body as Err).error.code).toBe(code);
}

const art = (point: string, destinationType = 'inPlace'): Json => ({ restorePoint: { id: point }, destinationType });

async function create(t: TestEmulator, f: FamilyCase, artifacts: Json[]): Promise<string> {
  const res = await t.graph<Json>('POST', f.set, { body: artifacts.length === 0 ? {} : { [f.artifacts]: artifacts } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return String(res.body.id);
}

async function artifactsOf(t: TestEmulator, f: FamilyCase, id: string): Promise<Json[]> {
  const res = await t.graph<Page>('GET', `${f.set}/${id}/${f.artifacts}`, { headers: PREFER });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.value;
}

async function sessionOf(t: TestEmulator, id: string, prefer = true): Promise<Json> {
  return (await t.graph<Json>('GET', `${RS}/${id}`, prefer ? { headers: PREFER } : {})).body;
}

/** Activates and lets the restore run to its end (a few artifacts finish within 15 s at time scale 1). */
async function restore(t: TestEmulator, id: string): Promise<void> {
  expect((await t.graph('POST', `${RS}/${id}/activate`)).status).toBe(200);
  await t.advance(30_000);
}

describe.each(FAMILY_CASES)('$label restore sessions', (f) => {
  const t = useTestEmulator();

  it('creates a draft standard session with artifacts, answered as Graph answers a create', async () => {
    const res = await t.graph<Json>('POST', f.set, { body: { [f.artifacts]: [art(f.point(2)), art(f.point(3))] } });
    expect(res.status).toBe(201);
    const id = String(res.body.id);
    expect(res.headers.location).toBe(`${t.emu.origin}/beta${f.set}/${id}`);
    expect(res.body).toMatchObject({
      '@odata.context': `${t.emu.origin}/beta/$metadata#solutions/backupRestore/${f.set.split('/').pop()}/$entity`,
      '@odata.type': f.type,
      status: 'draft',
      restoreJobType: 'standard',
      restoreSessionArtifactCount: { total: 2, inProgress: 0, completed: 0, failed: 0 },
      completedDateTime: NULL_DATE,
      createdBy: { application: { id: t.emu.settings.AZURE_CLIENT_ID } },
      error: null,
    });
    const list = await t.graph<Page>('GET', f.set);
    expect(list.body.value.map((s) => s.id)).toEqual([f.seeded, id]);
    expect(list.body.value.every((s) => s['@odata.type'] === f.type)).toBe(true);
    const all = await t.graph<Page>('GET', `${RS}?$top=100`);
    expect(all.body.value.find((s) => s.id === id)).toMatchObject({ '@odata.type': f.type, status: 'draft' });
    for (const path of [`${f.set}/${id}`, `${RS}/${id}`]) {
      const got = await t.graph<Json>('GET', path);
      expect(got.status).toBe(200);
      expect(got.body).toMatchObject({ id, '@odata.type': f.type, restoreSessionArtifactCount: { total: 2 } });
    }
  });

  it('creates an empty session from {} or no body, and records a user caller', async () => {
    const empty = await t.graph<Json>('POST', f.set, { body: {}, token: await t.userToken('admin') });
    expect(empty.status).toBe(201);
    expect(empty.body).toMatchObject({
      restoreSessionArtifactCount: { total: 0 },
      createdBy: { user: { displayName: 'Adele Vance' } },
    });
    const none = await t.graph<Json>('POST', f.set);
    expect(none.status).toBe(201);
  });

  it("refuses a bad create with Graph's codes", async () => {
    const post = (body: unknown): Promise<EmuResponse> => t.graph('POST', f.set, { body });
    expectError(await post({ [f.artifacts]: [{ restorePoint: { id: f.point(2) } }] }), 400, 'InvalidPathType');
    expectError(await post({ [f.artifacts]: [art(f.point(2), 'sideways')] }), 400, 'InvalidPathType');
    expectError(await post({ [f.artifacts]: [{ destinationType: 'new' }] }), 400, 'InvalidRestorePoint');
    expectError(await post({ [f.artifacts]: [art(`${UNKNOWN_GUID}_1_14_1`)] }), 400, 'InvalidRestorePoint');
    const foreign = await post({ [f.artifacts]: [art(f.foreignPoint)] });
    expectError(foreign, 400, 'InvalidRestorePoint');
    expect((foreign.body as Err).error.message).toContain(`not a restore point of a ${f.noun}`);
    expectError(await post({ [f.artifacts]: [art(seedRestorePointId(3, 0))] }), 400, 'InvalidRestorePoint');
    expectError(await post({ [f.artifacts]: [art(f.point(2), 'new'), art(f.point(3))] }), 400, 'DifferentRestoreDestinationType');
    const twice = await post({ [f.artifacts]: [art(f.point(2, 0)), art(f.point(2, 1))] });
    expectError(twice, 400, 'DuplicateArtifactInList');
    expect((twice.body as Err).error.message).toBe(`The same ${f.noun} can be restored only once in a restore session.`);
    expectError(await post({ [f.artifacts]: [] }), 400, 'InvalidArtifactRequest');
    expectError(await post({ [f.artifacts]: null }), 400, 'InvalidArtifactRequest');
    expectError(await post([]), 400, 'InvalidArtifactRequest');
    expectError(await post({ [f.artifacts]: Array.from({ length: 51 }, () => art(f.point(2))) }), 413, 'RestoreArtifactsLimitBreached');
    expectError(await post({ siteRestoreArtifacts: [] }), 400, 'BadRequest');
    // A granular artifact names a browse session (OneDrive) or a search (Exchange), which this one lacks.
    const granular =
      f.label === 'Exchange' ? { restorePoint: { id: f.point(2) }, destinationType: 'inPlace' } : { restorePoint: { id: f.point(2) } };
    expectError(await post({ [f.granular]: [granular] }), 400, 'InvalidArtifactRequest');
    expectError(await post({ [f.artifacts]: [art(f.point(2))], conflictBehavior: 'rename' }), 400, 'InvalidArtifactRequest');
    expectError(await post({ [f.artifacts]: [art(f.point(2))], [f.granular]: [] }), 400, 'InvalidArtifactRequest');
    const reader = await t.graph('POST', f.set, { body: {}, token: await t.userToken('reader') });
    expect(reader.status).toBe(403);
    expect((await t.graph<Page>('GET', f.set)).body.value).toHaveLength(1);
  });

  it('keeps each session in its own set: 404 in another family’s, 400 for a non-GUID', async () => {
    expectError(await t.graph('GET', `${f.set}/${SEED_SESSION_IDS.draft}`), 404, 'RestoreSessionNotFound');
    expectError(await t.graph('GET', `${f.set}/nope`), 400, 'InvalidRestoreSessionId');
    expectError(await t.graph('GET', `${f.set}/${UNKNOWN_GUID}/${f.artifacts}`), 404, 'RestoreSessionNotFound');
    expectError(await t.graph('PATCH', `${f.set}/${SEED_SESSION_IDS.draft}`, { body: {} }), 404, 'RestoreSessionNotFound');
  });

  it('adds and removes artifacts with @delta, each failure inside the 200', async () => {
    const id = await create(t, f, [art(f.point(2)), art(f.point(3))]);
    const [first] = await artifactsOf(t, f, id);
    const res = await t.graph<Json>('PATCH', `${f.set}/${id}`, {
      body: {
        [`${f.artifacts}@delta`]: [
          art(f.point(4)),
          { '@removed': { reason: 'changed' }, id: first!.id },
          { '@removed': { reason: 'changed' }, id: UNKNOWN_GUID },
          art(f.point(3, 2)),
          art(f.foreignPoint),
          art(f.point(6), 'new'),
        ],
      },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const items = res.body[`${f.artifacts}@delta`] as Json[];
    expect(res.body).toMatchObject({ '@context': '#$delta', id });
    expect(items[0]).toMatchObject({ restorePoint: { id: f.point(4) }, destinationType: 'inPlace', status: 'added' });
    expect(items[1]).toEqual({ id: first!.id, '@removed': { reason: 'changed' } });
    const failure = (i: number): Json => (items[i]!['@Core.DataModificationException'] as Json) ?? {};
    expect(failure(2)).toMatchObject({ info: { code: 'Invalid' }, failedOperation: 'remove', responseCode: 409 });
    expect(failure(3)).toMatchObject({ info: { code: 'DuplicateArtifactInList' }, failedOperation: 'add', responseCode: 409 });
    expect(failure(4)).toMatchObject({ info: { code: 'InvalidRestorePoint' }, responseCode: 400 });
    expect(failure(5)).toMatchObject({ info: { code: 'DifferentRestoreDestinationType' }, responseCode: 400 });
    const after = await artifactsOf(t, f, id);
    expect(after.map((a) => (a.restorePoint as Json).id)).toEqual([f.point(3), f.point(4)]);
    expect((await sessionOf(t, id)).restoreSessionArtifactCount).toMatchObject({ total: 2 });
  });

  it('refuses a bad PATCH as a whole, and any PATCH once the session left draft', async () => {
    const id = await create(t, f, [art(f.point(2))]);
    const patch = (body: unknown): Promise<EmuResponse> => t.graph('PATCH', `${f.set}/${id}`, { body });
    expectError(await patch({ siteRestoreArtifacts: [] }), 400, 'InvalidPatchRequest');
    expectError(await patch({}), 400, 'InvalidPatchRequest');
    expectError(await patch({ [`${f.artifacts}@delta`]: [] }), 400, 'InvalidArtifactRequest');
    expectError(await patch({ [`${f.artifacts}@delta`]: [{ foo: 1 }] }), 400, 'InvalidPatchRequest');
    const tooMany = Array.from({ length: 51 }, (_, i) => art(f.point(i % 20, 0)));
    expectError(await patch({ [`${f.artifacts}@delta`]: tooMany }), 400, 'RestoreArtifactsLimitBreached');
    // No page documents granularMailboxRestoreArtifacts@delta; OneDrive's granular delta is refused on a standard session.
    if (f.label === 'Exchange') expectError(await patch({ [`${f.granular}@delta`]: [] }), 501, 'notSupported');
    else expectError(await patch({ [`${f.granular}@delta`]: [{ '@removed': {}, id: 'x' }] }), 400, 'InvalidPatchRequest');
    expectError(await patch({ [`${f.artifacts}@delta`]: [art(f.point(3)), art(f.point(3, 1))] }), 400, 'DuplicateArtifactInList');
    expect((await t.graph('POST', `${RS}/${id}/activate`)).status).toBe(200);
    expectError(await patch({ [`${f.artifacts}@delta`]: [art(f.point(3))] }), 403, 'RestoreSessionActionNotAllowed');
  });

  it('deletes a draft through either set, and refuses to delete or activate a session that left draft', async () => {
    const a = await create(t, f, [art(f.point(2))]);
    const b = await create(t, f, []);
    expect((await t.graph('DELETE', `${f.set}/${a}`)).status).toBe(204);
    expect((await t.graph('DELETE', `${RS}/${b}`)).status).toBe(204);
    expectError(await t.graph('GET', `${RS}/${a}`), 404, 'RestoreSessionNotFound');
    expectError(await t.graph('DELETE', `${RS}/${f.seeded}`), 403, 'RestoreSessionActionNotAllowed');
    expectError(await t.graph('POST', `${RS}/${f.seeded}/activate`), 403, 'RestoreSessionActionNotAllowed');
    const empty = await create(t, f, []);
    const refused = await t.graph<Err>('POST', `${RS}/${empty}/activate`);
    expectError(refused, 400, 'InvalidArtifactRequest');
    expect(refused.body.error.message).toContain(f.artifacts);
  });

  it('restores draft → activating → active → completed, artifact by artifact', async () => {
    const id = await create(t, f, [art(f.point(2)), art(f.point(3)), art(f.point(4))]);
    const activated = await t.graph<Json>('POST', `${RS}/${id}/activate`);
    expect(activated.body).toMatchObject({ '@odata.type': f.type, status: 'activating' });
    expect((await artifactsOf(t, f, id)).map((a) => a.status)).toEqual(['scheduling', 'scheduling', 'scheduling']);
    await t.advance(2_500);
    expect(await sessionOf(t, id)).toMatchObject({ status: 'active', restoreSessionArtifactCount: { inProgress: 3 } });
    await t.advance(10_000);
    const done = await sessionOf(t, id);
    expect(done).toMatchObject({ status: 'completed', restoreSessionArtifactCount: { total: 3, completed: 3 }, error: null });
    expect(done.completedDateTime).not.toBe(NULL_DATE);
    const artifacts = await artifactsOf(t, f, id);
    expect(artifacts.map((a) => a.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    expect(artifacts.every((a) => a.startDateTime !== NULL_DATE && a.completionDateTime !== NULL_DATE)).toBe(true);
  });

  it('ends completedWithError with a held unit, and failed (a Prefer-gated member) when every artifact fails', async () => {
    const mixed = await create(t, f, [art(f.point(2)), art(f.point(f.hold))]);
    const failing = await create(t, f, [art(f.point(f.hold), 'new'), art(f.point(f.removed), 'new'), art(f.point(f.offboarding), 'new')]);
    await t.graph('POST', `${RS}/${mixed}/activate`);
    await restore(t, failing);
    expect(await sessionOf(t, mixed)).toMatchObject({
      status: 'completedWithError',
      restoreSessionArtifactCount: { total: 2, completed: 1, failed: 1 },
      error: { code: 'RestoreSessionCompletedWithErrors' },
    });
    expect((await sessionOf(t, failing, false)).status).toBe('unknownFutureValue');
    expect(await sessionOf(t, failing)).toMatchObject({ status: 'failed', error: { code: 'RestoreSessionFailed' } });
    const [held, removed, offboarding] = await artifactsOf(t, f, failing);
    // Unlike a SharePoint site, a held mailbox or OneDrive can't be restored to a new location either.
    expect(held).toMatchObject({ status: 'failed', error: { code: 'ArtifactCannotBeRestored' } });
    expect(removed).toMatchObject({ status: 'failed', error: { code: 'ArtifactNotFound' } });
    expect(offboarding).toMatchObject({ status: 'failed', error: { code: 'ArtifactNotFound' } });
  });

  it('pages, filters, selects and counts the artifact list, and reads one artifact and its restore point', async () => {
    const id = await create(t, f, [art(f.point(2)), art(f.point(3)), art(f.point(4))]);
    const page = await t.graph<Page>('GET', `${f.set}/${id}/${f.artifacts}?$top=2&$count=true`);
    expect(page.body['@odata.context']).toBe(
      `${t.emu.origin}/beta/$metadata#solutions/backupRestore/${f.set.split('/').pop()}('${id}')/${f.artifacts}`,
    );
    expect(page.body['@odata.count']).toBe(3);
    expect(page.body.value).toHaveLength(2);
    const next = page.body['@odata.nextLink']!;
    const rest = await t.call<Page>('GET', next.slice(t.emu.origin.length), { token: await t.appToken() });
    expect(rest.body.value).toHaveLength(1);
    const filtered = await t.graph<Page>('GET', `${f.set}/${id}/${f.artifacts}?$filter=${encodeURIComponent("status eq 'added'")}`);
    expect(filtered.body.value).toHaveLength(3);
    const selected = await t.graph<Page>('GET', `${f.set}/${id}/${f.artifacts}?$select=id,status`);
    expect(Object.keys(selected.body.value[0]!)).toEqual(['id', 'status']);
    expectError(await t.graph('GET', `${f.set}/${id}/${f.artifacts}?$select=color`), 400, 'BadRequest');
    expectError(await t.graph('GET', `${f.set}/${id}/${f.artifacts}?$orderby=id`), 400, 'BadRequest');
    const artifactId = String(page.body.value[0]!.id);
    const one = await t.graph<Json>('GET', `${f.set}/${id}/${f.artifacts}/${artifactId}`);
    expect(one.body).toMatchObject({ id: artifactId, status: 'added', restorePoint: { id: f.point(2) } });
    expect(String(one.body['@odata.context'])).toMatch(new RegExp(`/${f.artifacts}/\\$entity$`));
    const point = await t.graph<Json>('GET', `${f.set}/${id}/${f.artifacts}/${artifactId}/restorePoint?$expand=protectionUnit`);
    expect(point.body).toMatchObject({
      id: f.point(2),
      protectionUnit: { '@odata.type': `#microsoft.graph.${f.noun === 'mailbox' ? 'mailbox' : 'drive'}ProtectionUnit` },
    });
    expectError(await t.graph('GET', `${f.set}/${id}/${f.artifacts}/${UNKNOWN_GUID}`), 404, 'ArtifactNotFound');
    expectError(await t.graph('GET', `${f.set}/${f.seeded}/${f.artifacts}/${artifactId}`), 404, 'ArtifactNotFound');
  });

  it('answers 501 to single-artifact writes: Exchange and OneDrive artifacts change through PATCH @delta', async () => {
    const id = await create(t, f, [art(f.point(2))]);
    const [a] = await artifactsOf(t, f, id);
    expectError(await t.graph('POST', `${f.set}/${id}/${f.artifacts}`, { body: art(f.point(3)) }), 501, 'notSupported');
    expectError(await t.graph('PATCH', `${f.set}/${id}/${f.artifacts}/${String(a!.id)}`, { body: {} }), 501, 'notSupported');
    expectError(await t.graph('DELETE', `${f.set}/${id}/${f.artifacts}/${String(a!.id)}`), 501, 'notSupported');
  });

  it('lets a reader read sessions and artifacts but not write them', async () => {
    const reader = await t.userToken('reader');
    expect((await t.graph('GET', f.set, { token: reader })).status).toBe(200);
    expect((await t.graph('GET', `${f.set}/${f.seeded}/${f.artifacts}`, { token: reader })).status).toBe(200);
    expect((await t.graph('PATCH', `${f.set}/${f.seeded}`, { body: {}, token: reader })).status).toBe(403);
    expect((await t.graph('GET', f.set, { token: null })).status).toBe(401);
  });
});

describe('the seeded Exchange and OneDrive sessions', () => {
  const t = useTestEmulator();

  it('keep their fixed answers, and their artifacts agree with their counts', async () => {
    const ex = await t.graph<Json>('GET', `${RS}/${SEED_SESSION_IDS.exchange}`);
    const seededEx = SEED.sessions.find((s) => s.id === SEED_SESSION_IDS.exchange)!;
    expect(ex.body).toMatchObject({
      status: 'completed',
      restoreSessionArtifactCount: { total: 4, inProgress: 0, completed: 4, failed: 0 },
      createdDateTime: seededEx.createdDateTime,
      lastModifiedDateTime: seededEx.createdDateTime,
      completedDateTime: seededEx.fixed!.completedDateTime,
      error: null,
    });
    const exArtifacts = await t.graph<Page>('GET', `${ROOT}/exchangeRestoreSessions/${SEED_SESSION_IDS.exchange}/mailboxRestoreArtifacts`);
    expect(exArtifacts.body.value.map((a) => a.id)).toEqual(SEED_SESSION_ARTIFACT_IDS.exchange);
    expect(exArtifacts.body.value.map((a) => a.status)).toEqual(['succeeded', 'succeeded', 'succeeded', 'succeeded']);
    for (const a of exArtifacts.body.value) {
      expect(Date.parse(String(a.completionDateTime))).toBeLessThanOrEqual(Date.parse(seededEx.fixed!.completedDateTime!));
    }
    expect(exArtifacts.body.value[0]).toMatchObject({ destinationType: 'inPlace', restoredFolderName: 'alexw' });

    const od = await t.graph<Json>('GET', `${RS}/${SEED_SESSION_IDS.oneDrive}`);
    expect(od.body).toMatchObject({ status: 'completedWithError', restoreSessionArtifactCount: { total: 3, completed: 2, failed: 1 } });
    const odArtifacts = await t.graph<Page>(
      'GET',
      `${ROOT}/oneDriveForBusinessRestoreSessions/${SEED_SESSION_IDS.oneDrive}/driveRestoreArtifacts`,
    );
    expect(odArtifacts.body.value.map((a) => a.status)).toEqual(['succeeded', 'succeeded', 'failed']);
    expect(odArtifacts.body.value[2]).toMatchObject({ error: { code: 'ArtifactCannotBeRestored' }, restoredSiteId: null });
  });
});

describe('what a restore restores to', () => {
  const t = useTestEmulator();

  it('Exchange: in place into the mailbox itself, new into a new folder named once complete; an unchanged mailbox restores no item', async () => {
    const ex = FAMILY_CASES[0]!;
    const inPlace = await create(t, ex, [art(ex.point(2)), art(ex.point(UNCHANGED_MAILBOX_INDEX))]);
    const toNew = await create(t, ex, [art(ex.point(3), 'new')]);
    await t.graph('POST', `${RS}/${inPlace}/activate`);
    await t.graph('POST', `${RS}/${toNew}/activate`);
    await t.advance(2_500);
    const [running] = await artifactsOf(t, ex, inPlace);
    expect(running).toMatchObject({ status: 'inProgress', restoredFolderName: 'alexw', restoredFolderId: expect.any(String) });
    expect(typeof running!.restoredItemCount).toBe('number');
    const [pending] = await artifactsOf(t, ex, toNew);
    expect(pending).toMatchObject({ status: 'inProgress', restoredFolderId: null, restoredFolderName: null, restoredItemCount: null });
    await t.advance(20_000);
    const [, unchanged] = await artifactsOf(t, ex, inPlace);
    expect(unchanged).toMatchObject({
      status: 'succeeded',
      restoredFolderName: seedMailboxAddress(UNCHANGED_MAILBOX_INDEX).split('@')[0],
      restoredItemCount: 0,
    });
    const [done] = await artifactsOf(t, ex, toNew);
    expect(done).toMatchObject({ status: 'succeeded', restoredFolderName: 'diegosR1' });
    expect(done!.restoredFolderId).not.toBe(running!.restoredFolderId);
    expect(Object.keys(done!)).toEqual([
      'id',
      'destinationType',
      'status',
      'startDateTime',
      'completionDateTime',
      'error',
      'restoredFolderId',
      'restoredFolderName',
      'restoredItemCount',
      'restorePoint',
    ]);
  });

  it('OneDrive: in place into its personal site, new into a new site named once complete', async () => {
    const od = FAMILY_CASES[1]!;
    const drive = SEED.driveProtectionUnits![2]!;
    const inPlace = await create(t, od, [art(od.point(2))]);
    const toNew = await create(t, od, [art(od.point(2), 'new')]);
    await t.graph('POST', `${RS}/${inPlace}/activate`);
    await t.graph('POST', `${RS}/${toNew}/activate`);
    await t.advance(2_500);
    expect((await artifactsOf(t, od, inPlace))[0]).toMatchObject({
      restoredSiteId: drive.siteId,
      restoredSiteName: drive.siteName,
      restoredSiteWebUrl: drive.siteWebUrl,
    });
    expect((await artifactsOf(t, od, toNew))[0]).toMatchObject({ restoredSiteId: null, restoredSiteWebUrl: null });
    await t.advance(20_000);
    const [done] = await artifactsOf(t, od, toNew);
    expect(done).toMatchObject({
      status: 'succeeded',
      restoredSiteName: `${drive.siteName}R1`,
      restoredSiteWebUrl: `${drive.siteWebUrl}R1`,
    });
    expect(String(done!.restoredSiteId)).toMatch(/^contoso-my\.sharepoint\.com,/);
    expect(done!.restoredSiteId).not.toBe(drive.siteId);
  });

  it('counts Exchange and OneDrive sessions against the 25 sessions restoring at once', async () => {
    const emu = t.emu;
    const ex = FAMILY_CASES[0]!;
    const od = FAMILY_CASES[1]!;
    // Two SharePoint sessions of the seed are running; 23 more fill the 25.
    for (let i = 0; i < 23; i++) {
      const f = i % 2 === 0 ? ex : od;
      const id = await create(t, f, [art(f.point(i % 20))]);
      expect((await t.graph('POST', `${RS}/${id}/activate`)).status).toBe(200);
    }
    const last = await create(t, ex, [art(ex.point(2))]);
    expectError(await t.graph('POST', `${RS}/${last}/activate`), 500, 'TooManyActiveRestoreSessions');
    expect(emu.context.state.session(last)!.activatedAt).toBeNull();
  });
});

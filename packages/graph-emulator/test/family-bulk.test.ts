import { describe, expect, it } from 'vitest';
import { useTestEmulator, type EmuResponse, type TestEmulator } from '../src/testing/index.js';
import {
  SEED_SESSION_IDS,
  defaultSeed,
  seedDriveRestorePointId,
  seedMailboxAddress,
  seedMailboxRestorePointId,
  seedPerson,
} from '../src/index.js';
import { ROOT, PREFER, UNKNOWN_GUID, type Json, type Err } from './family-support.js';

/**
 * Bulk addition requests of Exchange sessions (mailboxes by SMTP address) and OneDrive sessions (drives by owner
 * e-mail), both also by directory object id: create, list, get, delete, and their resolution at activation.
 */

const RS = `${ROOT}/restoreSessions`;
const SEED = defaultSeed();
const LEE_GU = SEED.users.find((u) => u.name === 'noconsent')!;
/** Midnight `n` days before the clock start (the seed's restore points are taken then). */
const day = (n: number): string => new Date(Date.parse('2025-06-02T00:00:00Z') - n * 86_400_000).toISOString();

interface BulkCase {
  label: string;
  set: string;
  collection: string;
  artifacts: string;
  field: 'mailboxes' | 'drives';
  type: string;
  seeded: string;
  /** What the request names unit `i` with: a mailbox's SMTP address, a OneDrive's owner e-mail. */
  address: (i: number) => string;
  point: (i: number, day: number) => string;
  noun: string;
}

const CASES: BulkCase[] = [
  {
    label: 'Exchange',
    set: `${ROOT}/exchangeRestoreSessions`,
    collection: 'mailboxRestoreArtifactsBulkAdditionRequests',
    artifacts: 'mailboxRestoreArtifacts',
    field: 'mailboxes',
    type: 'mailboxRestoreArtifactsBulkAdditionRequest',
    seeded: SEED_SESSION_IDS.exchange,
    address: (i) => seedMailboxAddress(i),
    point: (i, d) => seedMailboxRestorePointId(i, d),
    noun: 'mailbox',
  },
  {
    label: 'OneDrive',
    set: `${ROOT}/oneDriveForBusinessRestoreSessions`,
    collection: 'driveRestoreArtifactsBulkAdditionRequests',
    artifacts: 'driveRestoreArtifacts',
    field: 'drives',
    type: 'driveRestoreArtifactsBulkAdditionRequest',
    seeded: SEED_SESSION_IDS.oneDrive,
    address: (i) => seedPerson(i).email,
    point: (i, d) => seedDriveRestorePointId(i, d),
    noun: 'OneDrive',
  },
];

function expectError(res: EmuResponse, status: number, code: string): void {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect((res.body as Err).error.code).toBe(code);
}

describe.each(CASES)('$label bulk addition requests', (c) => {
  const t = useTestEmulator();
  const bulkPath = (sessionId: string): string => `${c.set}/${sessionId}/${c.collection}`;
  const body = (overrides: Json = {}): Json => ({
    displayName: `${c.label}-BulkRestoreArtifacts`,
    [c.field]: [c.address(2), c.address(3)],
    directoryObjectIds: [],
    protectionTimePeriod: { startDateTime: day(8), endDateTime: day(3) },
    destinationType: 'new',
    tags: 'none',
    restorePointPreference: 'latest',
    ...overrides,
  });
  const newSession = async (): Promise<string> => {
    const res = await t.graph<Json>('POST', c.set, { body: {} });
    expect(res.status).toBe(201);
    return String(res.body.id);
  };
  const createBulk = async (sessionId: string, b: Json, opts: { headers?: Record<string, string> } = {}): Promise<Json> => {
    const res = await t.graph<Json>('POST', bulkPath(sessionId), { body: b, ...opts });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body;
  };
  const artifacts = async (t2: TestEmulator, sessionId: string): Promise<Json[]> =>
    (await t2.graph<{ value: Json[] }>('GET', `${c.set}/${sessionId}/${c.artifacts}`)).body.value;

  it('creates an active request, with what it names left empty, and makes the session a bulk session', async () => {
    const sessionId = await newSession();
    const res = await t.graph<Json>('POST', bulkPath(sessionId), { body: body(), token: await t.userToken('admin') });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const id = String(res.body.id);
    expect(res.headers.location).toBe(`${t.emu.origin}/beta${bulkPath(sessionId)}/${id}`);
    expect(res.body).toMatchObject({
      '@odata.context': `${t.emu.origin}/beta/$metadata#solutions/backupRestore/${c.set.split('/').pop()}('${sessionId}')/${c.collection}/$entity`,
      displayName: `${c.label}-BulkRestoreArtifacts`,
      status: 'active',
      destinationType: 'new',
      protectionTimePeriod: { startDateTime: day(8), endDateTime: day(3) },
      restorePointPreference: 'latest',
      tags: 'none',
      [c.field]: [],
      directoryObjectIds: [],
      createdBy: { user: { displayName: 'Adele Vance' } },
      error: null,
    });
    expect(res.body).not.toHaveProperty('siteWebUrls');
    const got = await t.graph<Json>('GET', `${bulkPath(sessionId)}/${id}`);
    expect(got.body).toMatchObject({ id, [c.field]: [c.address(2), c.address(3)], directoryObjectIds: [] });
    const list = await t.graph<{ value: Json[] }>('GET', bulkPath(sessionId));
    expect(list.body.value).toHaveLength(1);
    expect(list.body.value[0]).toMatchObject({ id, [c.field]: [] });
    expect((await t.graph<Json>('GET', `${RS}/${sessionId}`)).body).toMatchObject({ restoreJobType: 'bulk', status: 'draft' });
  });

  it("refuses a bad request with Graph's codes", async () => {
    const sessionId = await newSession();
    const post = (b: unknown): Promise<EmuResponse> => t.graph('POST', bulkPath(sessionId), { body: b });
    expectError(await post(body({ [c.field]: ['not-an-address'] })), 400, 'BulkRestoreInvalidCreateRequestUserEmail');
    expectError(await post(body({ [c.field]: [42] })), 400, 'BulkRestoreInvalidCreateRequestUserEmail');
    expectError(await post(body({ directoryObjectIds: ['user-1'] })), 400, 'BulkRestoreInvalidCreateRequest');
    expectError(await post(body({ [c.field]: [], directoryObjectIds: [] })), 400, 'BulkRestoreInvalidCreateRequest');
    expectError(await post(body({ [c.field]: 'a@b.com' })), 400, 'BulkRestoreInvalidCreateRequest');
    const many = Array.from({ length: 10_001 }, (_, i) => `user${i}@contoso.com`);
    expectError(await post(body({ [c.field]: many })), 400, 'BulkRestoreRestorationResourcesCountExceedsLimit');
    expectError(await post(body({ protectionUnitIds: [UNKNOWN_GUID] })), 400, 'BulkRestoreInvalidCreateRequest');
    expectError(
      await post(body({ siteWebUrls: ['https://contoso.sharepoint.com/sites/Finance01'] })),
      400,
      'BulkRestoreInvalidCreateRequest',
    );
    expectError(await post(body({ destinationType: undefined })), 400, 'BulkRestoreInvalidCreateRequest');
    expectError(
      await post(body({ protectionTimePeriod: { startDateTime: day(1), endDateTime: day(3) } })),
      400,
      'BulkRestoreInvalidCreateRequest',
    );
    expectError(await post(body({ tags: 'includeNewerItems' })), 400, 'BulkRestoreInvalidCreateRequest');
    expectError(await post([]), 400, 'BulkRestoreInvalidCreateRequest');
    await createBulk(sessionId, body());
    expectError(await post(body()), 400, 'BulkRestoreInvalidCreateRequest');
    const patched = await t.graph('PATCH', `${c.set}/${sessionId}`, { body: { [`${c.artifacts}@delta`]: [] } });
    expectError(patched, 400, 'InvalidPatchRequest');
    expectError(await t.graph('POST', bulkPath(c.seeded), { body: body() }), 403, 'RestoreSessionActionNotAllowed');
    const manual = await t.graph<Json>('POST', c.set, {
      body: { [c.artifacts]: [{ restorePoint: { id: c.point(2, 0) }, destinationType: 'new' }] },
    });
    expectError(await t.graph('POST', bulkPath(String(manual.body.id)), { body: body() }), 400, 'BulkRestoreInvalidCreateRequest');
    expect((await t.graph('POST', bulkPath(sessionId), { body: body(), token: await t.userToken('reader') })).status).toBe(403);
  });

  it('takes the beta-only includeNewerItems tag with the Prefer header, on beta only', async () => {
    const created = await createBulk(await newSession(), body({ tags: 'includeNewerItems' }), { headers: PREFER });
    expect(created.tags).toBe('includeNewerItems');
    const v1 = await t.graph('POST', bulkPath(await newSession()), {
      body: body({ tags: 'includeNewerItems' }),
      headers: PREFER,
      version: 'v1.0',
    });
    expectError(v1, 400, 'BulkRestoreInvalidCreateRequest');
  });

  it('resolves addresses and directory object ids at activation, and lists what it could not resolve', async () => {
    const sessionId = await newSession();
    const person = seedPerson(4);
    const b = await createBulk(
      sessionId,
      body({
        [c.field]: [c.address(2), c.address(3).toUpperCase(), LEE_GU.email, 'nobody@fabrikam.com'],
        // Unit 2 again (by its owner's id) is added once; an unknown id is not backed up.
        directoryObjectIds: [seedPerson(2).id, person.id, UNKNOWN_GUID],
        protectionTimePeriod: { startDateTime: day(8), endDateTime: day(3) },
        restorePointPreference: 'oldest',
      }),
    );
    const bulkId = String(b.id);
    expectError(await t.graph('DELETE', `${bulkPath(sessionId)}/${bulkId}`), 403, 'InvalidStateForBulkRequestDeletion');
    expect((await t.graph<Json>('POST', `${RS}/${sessionId}/activate`)).body).toMatchObject({ status: 'activating' });
    expect((await t.graph<Json>('GET', `${bulkPath(sessionId)}/${bulkId}`)).body.status).toBe('active');
    expect(await artifacts(t, sessionId)).toEqual([]);
    await t.advance(600);
    const resolved = await t.graph<Json>('GET', `${bulkPath(sessionId)}/${bulkId}`);
    expect(resolved.body).toMatchObject({
      status: 'completedWithErrors',
      error: {
        code: 'BulkRestoreArtifactsNotResolved',
        message: `3 of 7 ${c.noun === 'mailbox' ? 'mailboxes' : 'OneDrives'} of the bulk addition request could not be resolved.`,
        details: [
          { code: 'UserNotBackedup', target: LEE_GU.email },
          { code: 'UserNotBackedup', target: 'nobody@fabrikam.com' },
          { code: 'UserNotBackedup', target: UNKNOWN_GUID },
        ],
      },
    });
    const added = await artifacts(t, sessionId);
    expect(added.map((a) => (a.restorePoint as Json).id)).toEqual([c.point(2, 8), c.point(3, 8), c.point(4, 8)]);
    expect(added.every((a) => a.destinationType === 'new')).toBe(true);
    await t.advance(30_000);
    expect((await t.graph<Json>('GET', `${RS}/${sessionId}`)).body).toMatchObject({
      status: 'completed',
      restoreJobType: 'bulk',
      restoreSessionArtifactCount: { total: 3, completed: 3 },
    });
    expect((await t.graph('DELETE', `${bulkPath(sessionId)}/${bulkId}`)).status).toBe(204);
    expectError(await t.graph('GET', `${bulkPath(sessionId)}/${bulkId}`), 404, 'BulkRestoreArtifactsNotFound');
  });

  it('completes when everything resolves, picking by preference and tags; a period without points is RestorePointNotFound', async () => {
    const sessionId = await newSession();
    const b = await createBulk(
      sessionId,
      body({ protectionTimePeriod: { startDateTime: day(13) }, tags: 'fastRestore', restorePointPreference: 'oldest' }),
    );
    await t.graph('POST', `${RS}/${sessionId}/activate`);
    await t.advance(600);
    expect((await t.graph<Json>('GET', `${bulkPath(sessionId)}/${String(b.id)}`)).body).toMatchObject({ status: 'completed', error: null });
    // The oldest fast-restore point is day 6 (the newest 7 are fast-restore points).
    expect((await artifacts(t, sessionId)).map((a) => (a.restorePoint as Json).id)).toEqual([c.point(2, 6), c.point(3, 6)]);

    const empty = await newSession();
    const none = await createBulk(empty, body({ protectionTimePeriod: { startDateTime: day(40), endDateTime: day(30) } }));
    await t.graph('POST', `${RS}/${empty}/activate`);
    await t.advance(600);
    const res = await t.graph<Json>('GET', `${bulkPath(empty)}/${String(none.id)}`);
    expect(res.body).toMatchObject({
      status: 'completedWithErrors',
      error: {
        details: [
          { code: 'RestorePointNotFound', target: c.address(2) },
          { code: 'RestorePointNotFound', target: c.address(3) },
        ],
      },
    });
    expect((await t.graph<Json>('GET', `${RS}/${empty}`, { headers: PREFER })).body).toMatchObject({ status: 'failed' });
  });

  it('answers 400 and 404 for bad request ids, and 501 to PATCH (no page documents it)', async () => {
    const sessionId = await newSession();
    expectError(await t.graph('GET', `${bulkPath(sessionId)}/nope`), 400, 'InvalidBulkRestoreArtifactId');
    expectError(await t.graph('GET', `${bulkPath(sessionId)}/${UNKNOWN_GUID}`), 404, 'BulkRestoreArtifactsNotFound');
    expectError(await t.graph('DELETE', `${bulkPath(sessionId)}/${UNKNOWN_GUID}`), 404, 'BulkRestoreArtifactsNotFound');
    const b = await createBulk(sessionId, body());
    expectError(await t.graph('PATCH', `${bulkPath(sessionId)}/${String(b.id)}`, { body: {} }), 501, 'notSupported');
    expectError(await t.graph('GET', `${bulkPath(UNKNOWN_GUID)}`), 404, 'RestoreSessionNotFound');
    expect((await t.graph<{ value: unknown[] }>('GET', bulkPath(c.seeded))).body.value).toEqual([]);
  });
});

import { beforeAll, describe, expect, it } from 'vitest';
import { useTestEmulator, type EmuResponse } from '../src/testing/index.js';
import { SEED_SESSION_IDS, defaultSeed, seedRestorePointId } from '../src/index.js';

type Json = Record<string, unknown>;
type Err = { error: { code: string; message: string } };

const ROOT = '/solutions/backupRestore';
const SP = `${ROOT}/sharePointRestoreSessions`;
const RS = `${ROOT}/restoreSessions`;
const PREFER = { prefer: 'include-unknown-enum-members' };
const UNKNOWN_GUID = '00000000-1111-4222-a333-444444444444';
const SITE_URLS = defaultSeed().protectionUnits.map((u) => u.siteWebUrl);
const url = (i: number): string => SITE_URLS[i]!;

function expectError(res: EmuResponse, status: number, code: string): void {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect((res.body as Err).error.code).toBe(code);
}

const t = useTestEmulator();
let adminToken: string;

beforeAll(async () => {
  adminToken = await t.userToken('admin');
});

const bulkPath = (sessionId: string): string => `${SP}/${sessionId}/siteRestoreArtifactsBulkAdditionRequests`;

/** Days-ago midnight of the seed's restore points (day 0 is the morning of the clock start). */
const day = (n: number): string => new Date(Date.parse('2025-06-02T00:00:00Z') - n * 86_400_000).toISOString();

function bulkBody(overrides: Json = {}): Json {
  return {
    displayName: 'SPO-BulkRestoreArtifacts',
    siteWebUrls: [url(20), url(21)],
    protectionTimePeriod: { startDateTime: day(8), endDateTime: day(3) },
    destinationType: 'new',
    tags: 'none',
    restorePointPreference: 'latest',
    ...overrides,
  };
}

async function newEmptySession(): Promise<string> {
  const res = await t.graph<Json>('POST', SP, { body: {} });
  expect(res.status).toBe(201);
  return String(res.body.id);
}

async function createBulk(sessionId: string, body: Json, token?: string): Promise<Json> {
  const res = await t.graph<Json>('POST', bulkPath(sessionId), { body, ...(token ? { token } : {}) });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

describe('POST siteRestoreArtifactsBulkAdditionRequests', () => {
  it('creates an active request (siteWebUrls left empty) and makes the session a bulk session', async () => {
    const sessionId = await newEmptySession();
    const res = await t.graph<Json>('POST', bulkPath(sessionId), { body: bulkBody(), token: adminToken });
    expect(res.status).toBe(201);
    const id = String(res.body.id);
    expect(res.headers.location).toBe(`${t.emu.origin}/beta${bulkPath(sessionId)}/${id}`);
    expect(res.body).toMatchObject({
      '@odata.context': `${t.emu.origin}/beta/$metadata#solutions/backupRestore/sharePointRestoreSessions('${sessionId}')/siteRestoreArtifactsBulkAdditionRequests/$entity`,
      displayName: 'SPO-BulkRestoreArtifacts',
      status: 'active',
      destinationType: 'new',
      protectionTimePeriod: { startDateTime: day(8), endDateTime: day(3) },
      restorePointPreference: 'latest',
      tags: 'none',
      siteWebUrls: [],
      createdBy: { user: { displayName: 'Adele Vance' } },
      error: null,
    });
    const session = await t.graph<Json>('GET', `${SP}/${sessionId}`);
    expect(session.body).toMatchObject({ restoreJobType: 'bulk', status: 'draft', restoreSessionArtifactCount: { total: 0 } });
    const filtered = await t.graph<{ value: Json[] }>('GET', `${RS}?$filter=${encodeURIComponent("restoreJobType eq 'bulk'")}`);
    expect(filtered.body.value.map((s) => s.id)).toEqual([sessionId]);

    const list = await t.graph<{ value: Json[] }>('GET', bulkPath(sessionId));
    expect(list.status).toBe(200);
    expect(list.body.value).toHaveLength(1);
    expect(list.body.value[0]).toMatchObject({ id, status: 'active', siteWebUrls: [] });
    const one = await t.graph<Json>('GET', `${bulkPath(sessionId)}/${id}`);
    expect(one.body).toMatchObject({ id, siteWebUrls: [url(20), url(21)] });
  });

  it('allows one bulk request per session and no mixing with manual artifacts', async () => {
    const sessionId = await newEmptySession();
    await createBulk(sessionId, bulkBody());
    expectError(await t.graph('POST', bulkPath(sessionId), { body: bulkBody() }), 400, 'BulkRestoreInvalidCreateRequest');
    expectError(await t.graph('POST', bulkPath(SEED_SESSION_IDS.draft), { body: bulkBody() }), 400, 'BulkRestoreInvalidCreateRequest');
    expectError(
      await t.graph('PATCH', `${SP}/${sessionId}`, {
        body: { 'siteRestoreArtifacts@delta': [{ restorePoint: { id: seedRestorePointId(1, 0) }, destinationType: 'new' }] },
      }),
      400,
      'InvalidPatchRequest',
    );
    expectError(
      await t.graph('POST', `${SP}/${sessionId}/siteRestoreArtifacts`, {
        body: { restorePoint: { id: seedRestorePointId(1, 0) }, destinationType: 'new' },
      }),
      400,
      'InvalidArtifactRequest',
    );
    expectError(await t.graph('POST', bulkPath(SEED_SESSION_IDS.active), { body: bulkBody() }), 403, 'RestoreSessionActionNotAllowed');
    expectError(await t.graph('POST', bulkPath(SEED_SESSION_IDS.exchange), { body: bulkBody() }), 404, 'RestoreSessionNotFound');
  });

  it('validates the body', async () => {
    const sessionId = await newEmptySession();
    const post = (body: unknown): Promise<EmuResponse> => t.graph('POST', bulkPath(sessionId), { body });
    const tooMany = Array.from({ length: 10_001 }, (_, i) => `https://contoso.sharepoint.com/sites/s${i}`);
    expectError(await post(bulkBody({ siteWebUrls: tooMany })), 400, 'BulkRestoreRestorationResourcesCountExceedsLimit');
    expectError(await post(bulkBody({ siteWebUrls: ['https: //contoso1.sharepoint.com'] })), 400, 'BulkRestoreInvalidCreateRequestSiteUrl');
    expectError(await post(bulkBody({ siteWebUrls: ['contoso.sharepoint.com/sites/x'] })), 400, 'BulkRestoreInvalidCreateRequestSiteUrl');
    expectError(await post(bulkBody({ siteWebUrls: ['ftp://contoso.sharepoint.com/x'] })), 400, 'BulkRestoreInvalidCreateRequestSiteUrl');
    expectError(await post(bulkBody({ siteWebUrls: [42] })), 400, 'BulkRestoreInvalidCreateRequestSiteUrl');
    expectError(await post(bulkBody({ siteWebUrls: [] })), 400, 'BulkRestoreInvalidCreateRequest');
    expectError(await post(bulkBody({ siteWebUrls: 'https://contoso.sharepoint.com' })), 400, 'BulkRestoreInvalidCreateRequest');
    expectError(await post(bulkBody({ siteWebUrls: undefined })), 400, 'BulkRestoreInvalidCreateRequest');
    expectError(await post(bulkBody({ destinationType: undefined })), 400, 'BulkRestoreInvalidCreateRequest');
    expectError(await post(bulkBody({ destinationType: 'elsewhere' })), 400, 'BulkRestoreInvalidCreateRequest');
    expectError(await post(bulkBody({ tags: 'slow' })), 400, 'BulkRestoreInvalidCreateRequest');
    expectError(await post(bulkBody({ restorePointPreference: 'unknownFutureValue' })), 400, 'BulkRestoreInvalidCreateRequest');
    expectError(await post(bulkBody({ protectionTimePeriod: undefined })), 400, 'BulkRestoreInvalidCreateRequest');
    expectError(await post(bulkBody({ protectionTimePeriod: { startDateTime: 'yesterday' } })), 400, 'BulkRestoreInvalidCreateRequest');
    expectError(
      await post(bulkBody({ protectionTimePeriod: { startDateTime: day(1), endDateTime: day(2) } })),
      400,
      'BulkRestoreInvalidCreateRequest',
    );
    expectError(await post(bulkBody({ siteIds: ['contoso.sharepoint.com,a,b'] })), 400, 'BulkRestoreInvalidCreateRequest');
    expectError(await post(bulkBody({ displayName: 7 })), 400, 'BulkRestoreInvalidCreateRequest');
    expectError(await post(bulkBody({ colour: 'blue' })), 400, 'BulkRestoreInvalidCreateRequest');
    expectError(await post([bulkBody()]), 400, 'BulkRestoreInvalidCreateRequest');
    // None of the failures attached a request; exactly 10,000 sites is allowed.
    expect((await t.graph<{ value: Json[] }>('GET', bulkPath(sessionId))).body.value).toHaveLength(0);
    const atLimit = tooMany.slice(0, 10_000);
    expect((await post(bulkBody({ siteWebUrls: atLimit }))).status).toBe(201);
  });

  it('answers 400 InvalidBulkRestoreArtifactId and 404 BulkRestoreArtifactsNotFound', async () => {
    const sessionId = await newEmptySession();
    const bulk = await createBulk(sessionId, bulkBody());
    expectError(await t.graph('GET', `${bulkPath(sessionId)}/not-a-guid`), 400, 'InvalidBulkRestoreArtifactId');
    expectError(await t.graph('GET', `${bulkPath(sessionId)}/${UNKNOWN_GUID}`), 404, 'BulkRestoreArtifactsNotFound');
    // A request of another session is not found through this one.
    expectError(await t.graph('GET', `${bulkPath(SEED_SESSION_IDS.emptyDraft)}/${String(bulk.id)}`), 404, 'BulkRestoreArtifactsNotFound');
    expectError(await t.graph('DELETE', `${bulkPath(sessionId)}/${UNKNOWN_GUID}`), 404, 'BulkRestoreArtifactsNotFound');
    expectError(await t.graph('GET', `${bulkPath(sessionId)}?$top=1`), 400, 'BadRequest');
  });
});

describe('resolution at activation', () => {
  it('resolves sites into artifacts, reports unknown URLs per site, and ends completedWithErrors', async () => {
    const sessionId = await newEmptySession();
    const bulk = await createBulk(
      sessionId,
      bulkBody({
        siteWebUrls: [`${url(20).toUpperCase()}/`, url(21), 'https://contoso.sharepoint.com/sites/Nowhere', url(22), url(21)],
      }),
    );
    const bulkId = String(bulk.id);
    expectError(await t.graph('DELETE', `${bulkPath(sessionId)}/${bulkId}`), 403, 'InvalidStateForBulkRequestDeletion');

    const activated = await t.graph<Json>('POST', `${RS}/${sessionId}/activate`);
    expect(activated.status).toBe(200);
    expect(activated.body).toMatchObject({ status: 'activating', restoreJobType: 'bulk' });
    // Still resolving: the request reads active and no artifact is visible yet.
    expect((await t.graph<Json>('GET', `${bulkPath(sessionId)}/${bulkId}`)).body.status).toBe('active');
    expect((await t.graph<{ value: Json[] }>('GET', `${SP}/${sessionId}/siteRestoreArtifacts`)).body.value).toHaveLength(0);
    expectError(await t.graph('DELETE', `${bulkPath(sessionId)}/${bulkId}`), 403, 'InvalidStateForBulkRequestDeletion');

    await t.advance(500);
    const resolved = await t.graph<Json>('GET', `${bulkPath(sessionId)}/${bulkId}`);
    expect(resolved.body).toMatchObject({
      status: 'completedWithErrors',
      error: {
        code: 'BulkRestoreArtifactsNotResolved',
        details: [
          {
            code: 'SiteUrlNotFound',
            message: "Site url 'https://contoso.sharepoint.com/sites/Nowhere' could not be resolved",
            target: 'https://contoso.sharepoint.com/sites/Nowhere',
          },
        ],
      },
    });
    const artifacts = await t.graph<{ value: Json[] }>('GET', `${SP}/${sessionId}/siteRestoreArtifacts`);
    // Three distinct known sites (the duplicate URL counts once), each at the latest point inside the period.
    expect(artifacts.body.value.map((a) => (a.restorePoint as Json).id)).toEqual([
      seedRestorePointId(20, 3),
      seedRestorePointId(21, 3),
      seedRestorePointId(22, 3),
    ]);
    expect(artifacts.body.value.every((a) => a.destinationType === 'new' && a.status === 'scheduling')).toBe(true);
    expect((await t.graph<Json>('GET', `${SP}/${sessionId}`)).body).toMatchObject({
      status: 'activating',
      restoreSessionArtifactCount: { total: 3, inProgress: 3 },
    });

    await t.advance(10_000);
    const done = await t.graph<Json>('GET', `${SP}/${sessionId}`);
    expect(done.body).toMatchObject({ status: 'completed', restoreSessionArtifactCount: { total: 3, completed: 3 } });
    const del = await t.graph('DELETE', `${bulkPath(sessionId)}/${bulkId}`);
    expect(del.status).toBe(204);
    expectError(await t.graph('GET', `${bulkPath(sessionId)}/${bulkId}`), 404, 'BulkRestoreArtifactsNotFound');
    // The artifacts it produced stay.
    expect((await t.graph<{ value: Json[] }>('GET', `${SP}/${sessionId}/siteRestoreArtifacts`)).body.value).toHaveLength(3);
  });

  it('picks the oldest fast-restore point when asked, and completes without errors', async () => {
    const sessionId = await newEmptySession();
    const bulk = await createBulk(
      sessionId,
      bulkBody({
        siteWebUrls: [url(30)],
        protectionTimePeriod: { startDateTime: day(13) },
        tags: 'fastRestore',
        restorePointPreference: 'oldest',
        destinationType: 'inPlace',
      }),
    );
    await t.graph('POST', `${RS}/${sessionId}/activate`);
    await t.advance(500);
    const got = await t.graph<Json>('GET', `${bulkPath(sessionId)}/${String(bulk.id)}`);
    expect(got.body).toMatchObject({ status: 'completed', error: null, protectionTimePeriod: { endDateTime: null } });
    const artifacts = await t.graph<{ value: Json[] }>('GET', `${SP}/${sessionId}/siteRestoreArtifacts`);
    // Points 0–6 are fast-restore points: the oldest of them is day 6.
    expect(artifacts.body.value.map((a) => (a.restorePoint as Json).id)).toEqual([seedRestorePointId(30, 6)]);
  });

  it('fails the session when no site resolves (RestorePointNotFound), instead of leaving it activating', async () => {
    const sessionId = await newEmptySession();
    // Fast-restore points are the newest 7 days only: nothing in days 13..8 qualifies.
    const bulk = await createBulk(
      sessionId,
      bulkBody({
        siteWebUrls: [url(40), url(41)],
        protectionTimePeriod: { startDateTime: day(13), endDateTime: day(8) },
        tags: 'fastRestore',
      }),
    );
    await t.graph('POST', `${RS}/${sessionId}/activate`);
    const activatedAt = t.emu.clock.now();
    expect((await t.graph<Json>('GET', `${SP}/${sessionId}`)).body.status).toBe('activating');
    await t.advance(499);
    expect((await t.graph<Json>('GET', `${SP}/${sessionId}`)).body.status).toBe('activating');
    await t.advance(1);
    const failed = await t.graph<Json>('GET', `${SP}/${sessionId}`, { headers: PREFER });
    expect(failed.body).toMatchObject({
      status: 'failed',
      restoreSessionArtifactCount: { total: 0, inProgress: 0, completed: 0, failed: 0 },
      completedDateTime: new Date(activatedAt).toISOString(),
      lastModifiedDateTime: new Date(activatedAt + 500).toISOString(),
      error: { code: 'RestoreSessionFailed' },
    });
    expect((await t.graph<Json>('GET', `${SP}/${sessionId}`)).body.status).toBe('unknownFutureValue');
    const got = await t.graph<Json>('GET', `${bulkPath(sessionId)}/${String(bulk.id)}`);
    expect(got.body).toMatchObject({
      status: 'completedWithErrors',
      error: {
        code: 'BulkRestoreArtifactsNotResolved',
        details: [
          { code: 'RestorePointNotFound', target: url(40) },
          { code: 'RestorePointNotFound', target: url(41) },
        ],
      },
    });
    // Deleting the finished request changes nothing about the session's end.
    expect((await t.graph('DELETE', `${bulkPath(sessionId)}/${String(bulk.id)}`)).status).toBe(204);
    expect((await t.graph<Json>('GET', `${SP}/${sessionId}`, { headers: PREFER })).body).toMatchObject({
      status: 'failed',
      completedDateTime: new Date(activatedAt).toISOString(),
    });
    // A failed bulk session does not count as active.
    const again = await newEmptySession();
    await createBulk(again, bulkBody());
    expect((await t.graph('POST', `${RS}/${again}/activate`)).status).toBe(200);
  });

  it('can be deleted with its draft session', async () => {
    const sessionId = await newEmptySession();
    const bulk = await createBulk(sessionId, bulkBody());
    expect((await t.graph('DELETE', `${SP}/${sessionId}`)).status).toBe(204);
    expect(t.emu.context.state.bulkRequest(String(bulk.id))).toBeUndefined();
  });
});

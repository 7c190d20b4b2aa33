import { beforeAll, describe, expect, it } from 'vitest';
import { useTestEmulator, type EmuResponse } from '../src/testing/index.js';
import { SEED_SESSION_IDS, seedRestorePointId } from '../src/index.js';

type Json = Record<string, unknown>;
type Err = { error: { code: string; message: string; innerError: Record<string, string> } };

const ROOT = '/solutions/backupRestore';
const SP = `${ROOT}/sharePointRestoreSessions`;
const RS = `${ROOT}/restoreSessions`;
const PREFER = { prefer: 'include-unknown-enum-members' };
const UNKNOWN_GUID = '00000000-1111-4222-a333-444444444444';

function expectError(res: EmuResponse, status: number, code: string): void {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  const body = res.body as Err;
  expect(body.error.code).toBe(code);
  expect(typeof body.error.message).toBe('string');
  expect(body.error.innerError['request-id']).toMatch(/^[0-9a-f-]{36}$/);
}

const art = (site: number, destinationType: string, day = 0): Json => ({
  restorePoint: { id: seedRestorePointId(site, day) },
  destinationType,
});

const t = useTestEmulator();
let adminToken: string;
let readerToken: string;

beforeAll(async () => {
  adminToken = await t.userToken('admin');
  readerToken = await t.userToken('reader');
});

describe('GET restoreSessions (polymorphic list)', () => {
  it('lists every kind with its @odata.type, in the doc key order', async () => {
    const res = await t.graph<{ value: Json[]; '@odata.context': string }>('GET', RS, { headers: PREFER });
    expect(res.status).toBe(200);
    expect(res.body['@odata.context']).toBe(`${t.emu.origin}/beta/$metadata#solutions/backupRestore/restoreSessions`);
    const types = new Set(res.body.value.map((s) => s['@odata.type']));
    expect(types).toEqual(
      new Set([
        '#microsoft.graph.sharePointRestoreSession',
        '#microsoft.graph.exchangeRestoreSession',
        '#microsoft.graph.oneDriveForBusinessRestoreSession',
      ]),
    );
    const draft = res.body.value.find((s) => s.id === SEED_SESSION_IDS.draft)!;
    expect(Object.keys(draft)).toEqual([
      '@odata.type',
      'id',
      'status',
      'restoreJobType',
      'restoreSessionArtifactCount',
      'createdDateTime',
      'createdBy',
      'completedDateTime',
      'lastModifiedDateTime',
      'lastModifiedBy',
      'error',
    ]);
    expect(draft).toMatchObject({
      status: 'draft',
      restoreJobType: 'standard',
      restoreSessionArtifactCount: { total: 3, inProgress: 0, completed: 0, failed: 0 },
      completedDateTime: '0001-01-01T00:00:00Z',
      error: null,
      createdBy: { user: { displayName: 'Adele Vance' } },
    });
    const exchange = res.body.value.find((s) => s.id === SEED_SESSION_IDS.exchange)!;
    expect(exchange).toMatchObject({ status: 'completed', restoreSessionArtifactCount: { total: 4, completed: 4 } });
    const completed = res.body.value.find((s) => s.id === SEED_SESSION_IDS.completed)!;
    expect(completed.status).toBe('completed');
    expect(completed.completedDateTime).not.toBe('0001-01-01T00:00:00Z');
  });

  it('shows failed only with Prefer: include-unknown-enum-members, and says so in Preference-Applied', async () => {
    const plain = await t.graph<{ value: Json[] }>('GET', RS);
    expect(plain.headers['preference-applied']).toBeUndefined();
    expect(plain.body.value.find((s) => s.id === SEED_SESSION_IDS.failed)!.status).toBe('unknownFutureValue');
    expect(plain.body.value.some((s) => s.status === 'failed')).toBe(false);
    const preferred = await t.graph<{ value: Json[] }>('GET', RS, { headers: PREFER });
    expect(preferred.headers['preference-applied']).toBe('include-unknown-enum-members');
    expect(preferred.body.value.find((s) => s.id === SEED_SESSION_IDS.failed)).toMatchObject({
      status: 'failed',
      restoreSessionArtifactCount: { total: 2, failed: 2, completed: 0, inProgress: 0 },
      error: { code: 'RestoreSessionFailed' },
    });
  });

  it('filters on status and restoreJobType (eq, in, and/or), with Prefer gating', async () => {
    const ids = async (filter: string, headers: Record<string, string> = {}): Promise<string[]> => {
      const res = await t.graph<{ value: Json[] }>('GET', `${RS}?$filter=${encodeURIComponent(filter)}`, { headers });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res.body.value.map((s) => String(s.id));
    };
    expect(await ids("status eq 'draft'")).toEqual([SEED_SESSION_IDS.draft, SEED_SESSION_IDS.emptyDraft]);
    expect(await ids("status in ('completed', 'active')")).toEqual(
      expect.arrayContaining([SEED_SESSION_IDS.completed, SEED_SESSION_IDS.active, SEED_SESSION_IDS.large, SEED_SESSION_IDS.exchange]),
    );
    expect(await ids("status eq 'failed'", PREFER)).toEqual([SEED_SESSION_IDS.failed]);
    expect(await ids("status eq 'unknownFutureValue'")).toEqual([SEED_SESSION_IDS.failed]);
    expect(await ids("status eq 'unknownFutureValue'", PREFER)).toEqual([]);
    expect(await ids("restoreJobType eq 'standard' and (status eq 'draft' or status eq 'completedWithError')")).toEqual([
      SEED_SESSION_IDS.completedWithError,
      SEED_SESSION_IDS.draft,
      SEED_SESSION_IDS.emptyDraft,
      SEED_SESSION_IDS.oneDrive,
    ]);
    expect(await ids("restoreJobType eq 'granular'", PREFER)).toEqual([]);
  });

  it('rejects a filter on a gated member without the Prefer header, and malformed filters', async () => {
    expectError(await t.graph('GET', `${RS}?$filter=${encodeURIComponent("status eq 'failed'")}`), 400, 'BadRequest');
    expectError(await t.graph('GET', `${RS}?$filter=${encodeURIComponent("restoreJobType eq 'granular'")}`), 400, 'BadRequest');
    expectError(await t.graph('GET', `${RS}?$filter=${encodeURIComponent("status eq 'sleeping'")}`), 400, 'BadRequest');
    expectError(await t.graph('GET', `${RS}?$filter=${encodeURIComponent("displayName eq 'x'")}`), 400, 'BadRequest');
    expectError(await t.graph('GET', `${RS}?$filter=${encodeURIComponent('status eq')}`), 400, 'BadRequest');
    expectError(await t.graph('GET', `${RS}?$filter=${encodeURIComponent("status gt 'draft'")}`), 400, 'BadRequest');
    expectError(await t.graph('GET', `${RS}?$orderby=createdDateTime`), 400, 'BadRequest');
    expectError(await t.graph('GET', `${RS}?$top=0`), 400, 'BadRequest');
  });

  it('supports $select, $count, $top and $skiptoken with absolute nextLinks', async () => {
    const sel = await t.graph<{ value: Json[]; '@odata.context': string }>('GET', `${RS}?$select=id,status`);
    expect(sel.body['@odata.context']).toMatch(/restoreSessions\(id,status\)$/);
    for (const s of sel.body.value) expect(Object.keys(s)).toEqual(['@odata.type', 'id', 'status']);
    expectError(await t.graph('GET', `${RS}?$select=id,nope`), 400, 'BadRequest');

    const seen: string[] = [];
    let path: string | undefined = `${RS}?$top=4&$count=true`;
    let first = true;
    while (path) {
      const page: EmuResponse<{ value: Json[]; '@odata.nextLink'?: string; '@odata.count'?: number }> = await t.graph('GET', path);
      expect(page.status).toBe(200);
      if (first) expect(page.body['@odata.count']).toBe(9);
      first = false;
      expect(page.body.value.length).toBeLessThanOrEqual(4);
      seen.push(...page.body.value.map((s) => String(s.id)));
      const next = page.body['@odata.nextLink'];
      if (next) {
        expect(next.startsWith(`${t.emu.origin}/beta/solutions/backupRestore/restoreSessions?`)).toBe(true);
        expect(next).toContain('$top=4');
      }
      path = next ? next.slice(`${t.emu.origin}/beta`.length) : undefined;
    }
    expect(seen).toHaveLength(9);
    expect(new Set(seen).size).toBe(9);
  });

  it('is served under /v1.0 too', async () => {
    const res = await t.graph<{ value: Json[]; '@odata.context': string }>('GET', RS, { version: 'v1.0' });
    expect(res.status).toBe(200);
    expect(res.body['@odata.context']).toContain('/v1.0/$metadata#');
  });
});

describe('GET one session', () => {
  it('returns the derived type from restoreSessions/{id} and sharePointRestoreSessions/{id}', async () => {
    const a = await t.graph<Json>('GET', `${RS}/${SEED_SESSION_IDS.completedWithError}`);
    expect(a.status).toBe(200);
    expect(a.body).toMatchObject({
      '@odata.context': `${t.emu.origin}/beta/$metadata#solutions/backupRestore/restoreSessions/$entity`,
      '@odata.type': '#microsoft.graph.sharePointRestoreSession',
      status: 'completedWithError',
      restoreSessionArtifactCount: { total: 3, completed: 2, failed: 1, inProgress: 0 },
      error: { code: 'RestoreSessionCompletedWithErrors' },
    });
    const b = await t.graph<Json>('GET', `${SP}/${SEED_SESSION_IDS.completedWithError.toUpperCase()}?$select=status`);
    expect(b.status).toBe(200);
    expect(b.body).toEqual({
      '@odata.context': `${t.emu.origin}/beta/$metadata#solutions/backupRestore/sharePointRestoreSessions(status)/$entity`,
      '@odata.type': '#microsoft.graph.sharePointRestoreSession',
      status: 'completedWithError',
    });
    // Literal segments are case-insensitive, as Graph's are.
    expect((await t.graph('GET', `${ROOT}/sharepointRestoreSessions/${SEED_SESSION_IDS.draft}`)).status).toBe(200);
  });

  it('gates failed on GET as on the list', async () => {
    const plain = await t.graph<Json>('GET', `${RS}/${SEED_SESSION_IDS.failed}`);
    expect(plain.body.status).toBe('unknownFutureValue');
    const preferred = await t.graph<Json>('GET', `${RS}/${SEED_SESSION_IDS.failed}`, { headers: PREFER });
    expect(preferred.body.status).toBe('failed');
    expect(preferred.headers['preference-applied']).toBe('include-unknown-enum-members');
  });

  it('answers 400 InvalidRestoreSessionId and 404 RestoreSessionNotFound', async () => {
    expectError(await t.graph('GET', `${RS}/not-a-guid`), 400, 'InvalidRestoreSessionId');
    expectError(await t.graph('GET', `${RS}/${UNKNOWN_GUID}`), 404, 'RestoreSessionNotFound');
    expectError(await t.graph('GET', `${SP}/${UNKNOWN_GUID}`), 404, 'RestoreSessionNotFound');
    // An Exchange session is not in the SharePoint set.
    expectError(await t.graph('GET', `${SP}/${SEED_SESSION_IDS.exchange}`), 404, 'RestoreSessionNotFound');
    expectError(await t.graph('DELETE', `${RS}/x`), 400, 'InvalidRestoreSessionId');
    expectError(await t.graph('POST', `${RS}/${UNKNOWN_GUID}/activate`), 404, 'RestoreSessionNotFound');
    expectError(await t.graph('PATCH', `${SP}/nope`, { body: {} }), 400, 'InvalidRestoreSessionId');
  });
});

describe('sharePointRestoreSessions, Exchange and OneDrive sets', () => {
  it('lists only SharePoint sessions in sharePointRestoreSessions', async () => {
    const res = await t.graph<{ value: Json[] }>('GET', SP);
    expect(res.status).toBe(200);
    expect(res.body.value).toHaveLength(7);
    expect(res.body.value.every((s) => s['@odata.type'] === '#microsoft.graph.sharePointRestoreSession')).toBe(true);
  });

  it('lists and reads Exchange and OneDrive sessions', async () => {
    const ex = await t.graph<{ value: Json[] }>('GET', `${ROOT}/exchangeRestoreSessions`);
    expect(ex.body.value.map((s) => s.id)).toEqual([SEED_SESSION_IDS.exchange]);
    const od = await t.graph<Json>('GET', `${ROOT}/oneDriveForBusinessRestoreSessions/${SEED_SESSION_IDS.oneDrive}`);
    expect(od.body).toMatchObject({
      '@odata.type': '#microsoft.graph.oneDriveForBusinessRestoreSession',
      status: 'completedWithError',
      restoreSessionArtifactCount: { total: 3, completed: 2, failed: 1 },
    });
    expectError(await t.graph('GET', `${ROOT}/exchangeRestoreSessions/${SEED_SESSION_IDS.oneDrive}`), 404, 'RestoreSessionNotFound');
  });

  it('lists no granular artifact of a standard session of any family, refuses an empty granular create, 404 for an unknown session', async () => {
    const paths = [
      `${SP}/${SEED_SESSION_IDS.draft}/granularSiteRestoreArtifacts`,
      `${ROOT}/exchangeRestoreSessions/${SEED_SESSION_IDS.exchange}/granularMailboxRestoreArtifacts`,
      `${ROOT}/oneDriveForBusinessRestoreSessions/${SEED_SESSION_IDS.oneDrive}/granularDriveRestoreArtifacts`,
    ];
    for (const p of paths) {
      const res = await t.graph<{ value: unknown[] }>('GET', p);
      expect(res.status, p).toBe(200);
      expect(res.body.value).toEqual([]);
    }
    expectError(
      await t.graph('POST', `${ROOT}/exchangeRestoreSessions`, { body: { granularMailboxRestoreArtifacts: [] } }),
      400,
      'InvalidArtifactRequest',
    );
    expectError(
      await t.graph('GET', `${ROOT}/exchangeRestoreSessions/${UNKNOWN_GUID}/mailboxRestoreArtifacts`),
      404,
      'RestoreSessionNotFound',
    );
  });
});

describe('POST sharePointRestoreSessions (create)', () => {
  it('creates an empty standard draft session from no body or {}', async () => {
    for (const body of [undefined, {}]) {
      const res = await t.graph<Json>('POST', SP, body === undefined ? {} : { body });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect(res.body).toMatchObject({
        '@odata.context': `${t.emu.origin}/beta/$metadata#solutions/backupRestore/sharePointRestoreSessions/$entity`,
        '@odata.type': '#microsoft.graph.sharePointRestoreSession',
        status: 'draft',
        restoreJobType: 'standard',
        restoreSessionArtifactCount: { total: 0, inProgress: 0, completed: 0, failed: 0 },
        completedDateTime: '0001-01-01T00:00:00Z',
        createdDateTime: new Date(t.emu.clock.now()).toISOString(),
        error: null,
      });
      expect(res.headers.location).toBe(`${t.emu.origin}/beta/solutions/backupRestore/sharePointRestoreSessions/${String(res.body.id)}`);
      const again = await t.call<Json>('GET', res.headers.location!.slice(t.emu.origin.length), { token: await t.appToken() });
      expect(again.status).toBe(200);
      expect(again.body.id).toBe(res.body.id);
    }
  });

  it('creates a session with artifacts and records the calling user', async () => {
    const res = await t.graph<Json>('POST', SP, {
      token: adminToken,
      body: { siteRestoreArtifacts: [art(20, 'inPlace'), art(21, 'inPlace', 3)] },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      status: 'draft',
      restoreSessionArtifactCount: { total: 2, inProgress: 0, completed: 0, failed: 0 },
      createdBy: { user: { displayName: 'Adele Vance', email: 'adelev@contoso.onmicrosoft.com' }, application: {} },
      lastModifiedBy: { user: { displayName: 'Adele Vance' } },
    });
    const list = await t.graph<{ value: Json[] }>('GET', `${SP}/${String(res.body.id)}/siteRestoreArtifacts`);
    expect(list.body.value.map((a) => (a.restorePoint as Json).id)).toEqual([seedRestorePointId(20, 0), seedRestorePointId(21, 3)]);
    expect(list.body.value.every((a) => a.status === 'added' && a.destinationType === 'inPlace')).toBe(true);
  });

  it('records only the application for an app-only caller', async () => {
    const res = await t.graph<Json>('POST', SP, { body: {} });
    const createdBy = res.body.createdBy as Json;
    expect(createdBy.user).toBeUndefined();
    expect(createdBy.application).toMatchObject({ id: t.emu.settings.AZURE_CLIENT_ID });
  });

  it('accepts the old {"@odata.id": id} restore point reference', async () => {
    const res = await t.graph<Json>('POST', SP, {
      body: { siteRestoreArtifacts: [{ restorePoint: { '@odata.id': seedRestorePointId(22, 1) }, destinationType: 'new' }] },
    });
    expect(res.status).toBe(201);
    expect(res.body.restoreSessionArtifactCount).toMatchObject({ total: 1 });
  });

  it('answers the create errors the docs list', async () => {
    const create = (body: unknown): Promise<EmuResponse> => t.graph('POST', SP, { body });
    expectError(await create({ siteRestoreArtifacts: [{ restorePoint: { id: seedRestorePointId(1, 0) } }] }), 400, 'InvalidPathType');
    expectError(await create({ siteRestoreArtifacts: [art(1, 'sideways')] }), 400, 'InvalidPathType');
    expectError(await create({ siteRestoreArtifacts: [art(1, 'unknownFutureValue')] }), 400, 'InvalidPathType');
    expectError(await create({ siteRestoreArtifacts: [{ destinationType: 'new' }] }), 400, 'InvalidRestorePoint');
    expectError(await create({ siteRestoreArtifacts: [{ restorePoint: { id: '' }, destinationType: 'new' }] }), 400, 'InvalidRestorePoint');
    expectError(
      await create({ siteRestoreArtifacts: [{ restorePoint: { id: 'no-such-point_1_14_1' }, destinationType: 'new' }] }),
      400,
      'InvalidRestorePoint',
    );
    expectError(await create({ siteRestoreArtifacts: [art(1, 'new'), art(2, 'inPlace')] }), 400, 'DifferentRestoreDestinationType');
    expectError(await create({ siteRestoreArtifacts: [art(1, 'new'), art(1, 'new')] }), 400, 'DuplicateArtifactInList');
    expectError(await create({ siteRestoreArtifacts: [art(1, 'new'), art(1, 'new', 4)] }), 400, 'DuplicateArtifactInList');
    const many = Array.from({ length: 51 }, (_, i) => art(i, 'new'));
    expectError(await create({ siteRestoreArtifacts: many }), 413, 'RestoreArtifactsLimitBreached');
    expect((await create({ siteRestoreArtifacts: many.slice(0, 50) })).status).toBe(201);
    expectError(await create({ siteRestoreArtifacts: [] }), 400, 'InvalidArtifactRequest');
    expectError(await create({ siteRestoreArtifacts: null }), 400, 'InvalidArtifactRequest');
    expectError(await create({ siteRestoreArtifacts: 'all of them' }), 400, 'InvalidArtifactRequest');
    expectError(await create({ siteRestoreArtifacts: [42] }), 400, 'InvalidArtifactRequest');
    expectError(await create([1, 2]), 400, 'InvalidArtifactRequest');
    expectError(
      await create({ siteRestoreArtifacts: [art(1, 'new')], '@microsoft.graph.conflictBehavior': 'rename' }),
      400,
      'InvalidArtifactRequest',
    );
    expectError(await create({ granularSiteRestoreArtifacts: [{ browseSessionId: 'x', id: 'y' }] }), 400, 'InvalidArtifactRequest');
    expectError(await create({ siteRestoreArtifacts: [art(1, 'new')], granularSiteRestoreArtifacts: [] }), 400, 'InvalidArtifactRequest');
    expectError(await create({ displayName: 'mine' }), 400, 'BadRequest');
    const raw = await t.graph('POST', SP, { rawBody: '{"siteRestoreArtifacts": [', headers: { 'content-type': 'application/json' } });
    expectError(raw, 400, 'BadRequest');
    // Nothing was created by the failures.
    const list = await t.graph<{ value: Json[] }>('GET', SP);
    expect(list.body.value).toHaveLength(8);
  });
});

describe('PATCH sharePointRestoreSessions/{id} (siteRestoreArtifacts@delta)', () => {
  async function newSession(artifacts: Json[]): Promise<{ id: string; artifactIds: string[] }> {
    const res = await t.graph<Json>('POST', SP, { body: { siteRestoreArtifacts: artifacts } });
    expect(res.status).toBe(201);
    const id = String(res.body.id);
    const list = await t.graph<{ value: Json[] }>('GET', `${SP}/${id}/siteRestoreArtifacts`);
    return { id, artifactIds: list.body.value.map((a) => String(a.id)) };
  }

  it('adds and removes artifacts and answers the delta payload with per-item failures inside the 200', async () => {
    const s = await newSession([art(30, 'inPlace'), art(31, 'inPlace')]);
    t.emu.advanceClock(5_000);
    const res = await t.graph<Json>('PATCH', `${SP}/${s.id}`, {
      token: adminToken,
      body: {
        'siteRestoreArtifacts@delta': [
          art(32, 'inPlace'),
          { '@removed': { reason: 'changed' }, id: s.artifactIds[0] },
          { '@removed': { reason: 'changed' }, id: UNKNOWN_GUID, '@contentId': 'c-1' },
          { restorePoint: { id: 'missing-point_1_14_1' }, destinationType: 'inPlace' },
          art(33, 'new'),
          art(31, 'inPlace', 2),
        ],
      },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body['@context']).toBe('#$delta');
    expect(res.body.id).toBe(s.id);
    const delta = res.body['siteRestoreArtifacts@delta'] as Json[];
    expect(delta).toHaveLength(6);
    expect(delta[0]).toMatchObject({
      restorePoint: { id: seedRestorePointId(32, 0) },
      destinationType: 'inPlace',
      status: 'added',
      createdDateTime: new Date(t.emu.clock.now()).toISOString(),
    });
    expect(Object.keys(delta[0]!)).toEqual(['id', 'restorePoint', 'destinationType', 'status', 'createdDateTime']);
    expect(delta[1]).toEqual({ id: s.artifactIds[0], '@removed': { reason: 'changed' } });
    expect(delta[2]).toEqual({
      '@contentId': 'c-1',
      '@Core.DataModificationException': {
        info: { code: 'Invalid', message: 'The identifier to be removed from the Restore Session does not exist' },
        failedOperation: 'remove',
        responseCode: 409,
      },
      id: UNKNOWN_GUID,
    });
    expect(delta[3]).toMatchObject({
      '@Core.DataModificationException': { info: { code: 'InvalidRestorePoint' }, failedOperation: 'add', responseCode: 400 },
    });
    expect(typeof delta[3]!['@contentId']).toBe('string');
    expect(delta[4]).toMatchObject({
      '@Core.DataModificationException': { info: { code: 'DifferentRestoreDestinationType' }, failedOperation: 'add', responseCode: 400 },
    });
    // Site 31 is still in the session: the same site can't be added twice.
    expect(delta[5]).toMatchObject({
      '@Core.DataModificationException': { info: { code: 'DuplicateArtifactInList' }, failedOperation: 'add', responseCode: 409 },
    });
    const session = await t.graph<Json>('GET', `${SP}/${s.id}`);
    expect(session.body).toMatchObject({
      restoreSessionArtifactCount: { total: 2 },
      lastModifiedDateTime: new Date(t.emu.clock.now()).toISOString(),
      lastModifiedBy: { user: { displayName: 'Adele Vance' } },
    });
    expect(session.body.createdDateTime).not.toBe(session.body.lastModifiedDateTime);
  });

  it('lets one request swap every artifact to the other destination type', async () => {
    const s = await newSession([art(30, 'inPlace')]);
    const res = await t.graph<Json>('PATCH', `${SP}/${s.id}`, {
      body: { 'siteRestoreArtifacts@delta': [art(30, 'new'), { '@removed': { reason: 'changed' }, id: s.artifactIds[0] }] },
    });
    const delta = res.body['siteRestoreArtifacts@delta'] as Json[];
    expect(delta[0]).toMatchObject({ status: 'added', destinationType: 'new' });
    expect(delta[1]).toMatchObject({ '@removed': { reason: 'changed' } });
  });

  it('answers the patch errors the docs list', async () => {
    const s = await newSession([art(30, 'inPlace')]);
    const patch = (body: unknown): Promise<EmuResponse> => t.graph('PATCH', `${SP}/${s.id}`, { body });
    expectError(await patch({ 'siteRestoreArtifacts@delta': [] }), 400, 'InvalidArtifactRequest');
    const many = Array.from({ length: 51 }, (_, i) => art(i, 'inPlace'));
    expectError(await patch({ 'siteRestoreArtifacts@delta': many }), 400, 'RestoreArtifactsLimitBreached');
    expectError(await patch({ 'siteRestoreArtifacts@delta': 'yes' }), 400, 'InvalidPatchRequest');
    expectError(await patch({}), 400, 'InvalidPatchRequest');
    expectError(await patch([]), 400, 'InvalidPatchRequest');
    expectError(await patch({ status: 'completed' }), 400, 'InvalidPatchRequest');
    expectError(await patch({ 'siteRestoreArtifacts@delta': [7] }), 400, 'InvalidPatchRequest');
    expectError(await patch({ 'siteRestoreArtifacts@delta': [{ foo: 1 }] }), 400, 'InvalidPatchRequest');
    expectError(await patch({ 'siteRestoreArtifacts@delta': [{ '@removed': {} }] }), 400, 'InvalidPatchRequest');
    expectError(await patch({ 'siteRestoreArtifacts@delta': [{ restorePoint: 'x', destinationType: 'new' }] }), 400, 'InvalidPatchRequest');
    expectError(await patch({ 'siteRestoreArtifacts@delta': [art(40, 'inPlace'), art(40, 'inPlace', 1)] }), 400, 'DuplicateArtifactInList');
    const rm = { '@removed': { reason: 'changed' }, id: s.artifactIds[0] };
    expectError(await patch({ 'siteRestoreArtifacts@delta': [rm, rm] }), 400, 'DuplicateArtifactInList');
    expectError(
      await t.graph('PATCH', `${SP}/${UNKNOWN_GUID}`, { body: { 'siteRestoreArtifacts@delta': [rm] } }),
      404,
      'RestoreSessionNotFound',
    );
    // None of these changed the session.
    const list = await t.graph<{ value: Json[] }>('GET', `${SP}/${s.id}/siteRestoreArtifacts`);
    expect(list.body.value.map((a) => a.id)).toEqual(s.artifactIds);
  });

  it('is draft-only: 403 RestoreSessionActionNotAllowed once activated', async () => {
    const res = await t.graph('PATCH', `${SP}/${SEED_SESSION_IDS.active}`, {
      body: { 'siteRestoreArtifacts@delta': [art(40, 'inPlace')] },
    });
    expectError(res, 403, 'RestoreSessionActionNotAllowed');
    expect((res.body as Err).error.message).toBe('Restore session can only be patched in Draft state.');
  });
});

describe('DELETE and activate', () => {
  it('deletes a draft session (204) through either set', async () => {
    const del = await t.graph('DELETE', `${RS}/${SEED_SESSION_IDS.draft}`);
    expect(del.status).toBe(204);
    expect(del.body).toBeUndefined();
    expectError(await t.graph('GET', `${RS}/${SEED_SESSION_IDS.draft}`), 404, 'RestoreSessionNotFound');
    expect((await t.graph('DELETE', `${SP}/${SEED_SESSION_IDS.emptyDraft}`)).status).toBe(204);
  });

  it('refuses to delete a session that is not a draft', async () => {
    for (const id of [SEED_SESSION_IDS.active, SEED_SESSION_IDS.completed, SEED_SESSION_IDS.failed, SEED_SESSION_IDS.exchange]) {
      const res = await t.graph('DELETE', `${RS}/${id}`);
      expectError(res, 403, 'RestoreSessionActionNotAllowed');
      expect((res.body as Err).error.message).toBe('Restore session can only be deleted in Draft state.');
    }
  });

  it('activates a draft: 200 in activating, then draft-only rules apply', async () => {
    const res = await t.graph<Json>('POST', `${RS}/${SEED_SESSION_IDS.draft}/activate`, { token: adminToken });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      '@odata.type': '#microsoft.graph.sharePointRestoreSession',
      id: SEED_SESSION_IDS.draft,
      status: 'activating',
      restoreSessionArtifactCount: { total: 3, inProgress: 3, completed: 0, failed: 0 },
      lastModifiedBy: { user: { displayName: 'Adele Vance' } },
    });
    const again = await t.graph('POST', `${RS}/${SEED_SESSION_IDS.draft}/activate`);
    expectError(again, 403, 'RestoreSessionActionNotAllowed');
    expect((again.body as Err).error.message).toBe('Restore session can only be activated in Draft state.');
    expectError(await t.graph('DELETE', `${RS}/${SEED_SESSION_IDS.draft}`), 403, 'RestoreSessionActionNotAllowed');
    expectError(
      await t.graph('PATCH', `${SP}/${SEED_SESSION_IDS.draft}`, { body: { 'siteRestoreArtifacts@delta': [art(40, 'inPlace')] } }),
      403,
      'RestoreSessionActionNotAllowed',
    );
  });

  it('refuses to activate an empty session with 400 InvalidArtifactRequest', async () => {
    expectError(await t.graph('POST', `${RS}/${SEED_SESSION_IDS.emptyDraft}/activate`), 400, 'InvalidArtifactRequest');
    expectError(await t.graph('POST', `${RS}/${SEED_SESSION_IDS.completed}/activate`), 403, 'RestoreSessionActionNotAllowed');
    expectError(await t.graph('POST', `${RS}/${SEED_SESSION_IDS.exchange}/activate`), 403, 'RestoreSessionActionNotAllowed');
  });
});

describe('permissions', () => {
  it('lets a reader read and answers 403 on every write', async () => {
    expect((await t.graph('GET', RS, { token: readerToken })).status).toBe(200);
    expect((await t.graph('GET', `${SP}/${SEED_SESSION_IDS.draft}`, { token: readerToken })).status).toBe(200);
    expect((await t.graph('GET', `${SP}/${SEED_SESSION_IDS.draft}/siteRestoreArtifacts`, { token: readerToken })).status).toBe(200);
    const writes: Array<[string, string, unknown]> = [
      ['POST', SP, {}],
      ['PATCH', `${SP}/${SEED_SESSION_IDS.draft}`, { 'siteRestoreArtifacts@delta': [art(40, 'inPlace')] }],
      ['DELETE', `${RS}/${SEED_SESSION_IDS.draft}`, undefined],
      ['POST', `${RS}/${SEED_SESSION_IDS.draft}/activate`, undefined],
      ['POST', `${SP}/${SEED_SESSION_IDS.draft}/siteRestoreArtifacts`, art(40, 'inPlace')],
      ['POST', `${SP}/${SEED_SESSION_IDS.emptyDraft}/siteRestoreArtifactsBulkAdditionRequests`, {}],
    ];
    for (const [method, path, body] of writes) {
      expectError(await t.graph(method, path, { token: readerToken, body }), 403, 'Forbidden');
    }
    // Nothing changed.
    const draft = await t.graph<Json>('GET', `${SP}/${SEED_SESSION_IDS.draft}`);
    expect(draft.body.status).toBe('draft');
  });
});

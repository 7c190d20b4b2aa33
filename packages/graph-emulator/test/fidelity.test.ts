import { describe, expect, it } from 'vitest';
import { useTestEmulator } from '../src/testing/index.js';
import { SEED_SESSION_IDS, seedRestorePointId, seedUnitId } from '../src/index.js';

/**
 * Fidelity replay: the request/response examples of Microsoft's Graph reference pages for these resources (numbered
 * here ex.1, ex.2, …), sent to the emulator, must come back with the same status codes and the same property names and
 * shapes (ids and timestamps aside). Where the docs contradict themselves, the comment says which reading the emulator
 * takes (the README's "Fidelity choices" lists them).
 */

const ROOT = '/solutions/backupRestore';
const IDENTITY_SET = { application: ['displayName', 'id'], user: ['displayName', 'email', 'id'] };

const t = useTestEmulator();

const keys = (o: unknown): string[] => Object.keys(o as Record<string, unknown>).sort();

function expectSession(s: Record<string, unknown>): void {
  expect(keys(s)).toEqual(
    [
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
    ].sort(),
  );
  expect(keys(s.restoreSessionArtifactCount)).toEqual(['completed', 'failed', 'inProgress', 'total']);
  expect(s.createdDateTime).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/);
}

describe("the Graph docs' examples replayed", () => {
  it('ex.1 create a SharePoint restore session with two in-place artifacts → 201, status draft', async () => {
    const res = await t.graph<Record<string, unknown>>('POST', `${ROOT}/sharePointRestoreSessions`, {
      token: await t.userToken('admin'),
      body: {
        siteRestoreArtifacts: [
          { restorePoint: { id: seedRestorePointId(20, 0) }, destinationType: 'inPlace' },
          { restorePoint: { id: seedRestorePointId(21, 0) }, destinationType: 'inPlace' },
        ],
      },
    });
    expect(res.status).toBe(201);
    expect(res.body['@odata.context']).toMatch(/\$metadata#/);
    const { ['@odata.context']: _ctx, ...session } = res.body;
    expectSession(session);
    // The docs disagree: newest beta answers `draft` (v1.0/old beta: `activating`, with inProgress 2 on a draft); we take draft.
    expect(session.status).toBe('draft');
    expect(session.restoreJobType).toBe('standard');
    expect(session.restoreSessionArtifactCount).toEqual({ total: 2, inProgress: 0, completed: 0, failed: 0 });
    expect(keys((session.createdBy as Record<string, unknown>).user)).toEqual(IDENTITY_SET.user);
    expect(keys((session.createdBy as Record<string, unknown>).application)).toEqual(IDENTITY_SET.application);
  });

  it('ex.1 (oldest beta form) accepts a restore point given as {"@odata.id": id} (the docs show both forms)', async () => {
    const res = await t.graph('POST', `${ROOT}/sharePointRestoreSessions`, {
      body: { siteRestoreArtifacts: [{ restorePoint: { '@odata.id': seedRestorePointId(22, 0) }, destinationType: 'new' }] },
    });
    expect(res.status).toBe(201);
  });

  it("ex.4 PATCH with siteRestoreArtifacts@delta → 200 delta payload, per-item failure inside it (the example's answer, where the page's text promises the updated session)", async () => {
    const res = await t.graph<Record<string, unknown>>('PATCH', `${ROOT}/sharePointRestoreSessions/${SEED_SESSION_IDS.draft}`, {
      body: {
        'siteRestoreArtifacts@delta': [
          { restorePoint: { id: seedRestorePointId(30, 0) }, destinationType: 'inPlace' },
          { restorePoint: { id: seedRestorePointId(31, 0) }, destinationType: 'inPlace' },
          { '@removed': { reason: 'changed' }, id: '4267e382-71fe-4d00-a01a-31850bc5b42c' },
        ],
      },
    });
    expect(res.status).toBe(200);
    const delta = res.body['siteRestoreArtifacts@delta'] as Array<Record<string, unknown>>;
    const added = delta.filter((d) => d.status === 'added');
    expect(added).toHaveLength(2);
    for (const a of added) {
      expect(keys(a)).toEqual(['createdDateTime', 'destinationType', 'id', 'restorePoint', 'status']);
      expect(keys(a.restorePoint)).toEqual(['id']);
    }
    const failure = delta.find((d) => '@Core.DataModificationException' in d)!;
    expect(keys(failure)).toEqual(['@Core.DataModificationException', '@contentId', 'id']);
    const ex = failure['@Core.DataModificationException'] as Record<string, unknown>;
    expect(keys(ex)).toEqual(['failedOperation', 'info', 'responseCode']);
    expect(ex.failedOperation).toBe('remove');
    expect(ex.responseCode).toBe(409);
    expect(keys(ex.info)).toEqual(['code', 'message']);
  });

  it('ex.6 activate → 200, the session in activating', async () => {
    const res = await t.graph<Record<string, unknown>>('POST', `${ROOT}/restoreSessions/${SEED_SESSION_IDS.draft}/activate`);
    expect(res.status).toBe(200);
    const { ['@odata.context']: _ctx, ...session } = res.body;
    expectSession(session);
    expect(session.status).toBe('activating');
  });

  it('ex.7 get a restore session → 200 with the derived @odata.type', async () => {
    const res = await t.graph<Record<string, unknown>>('GET', `${ROOT}/restoreSessions/${SEED_SESSION_IDS.active}`);
    expect(res.status).toBe(200);
    const { ['@odata.context']: _ctx, ...session } = res.body;
    expectSession(session);
    // The examples spell it `sharepointRestoreSession`; the emulator uses the metadata's `sharePointRestoreSession`.
    expect(session['@odata.type']).toBe('#microsoft.graph.sharePointRestoreSession');
    expect(session.status).toBe('active');
    // The docs disagree: createdDateTime is the creation time and completedDateTime the completion (the base type's reading);
    // an active session has Graph's placeholder date.
    expect(session.completedDateTime).toBe('0001-01-01T00:00:00Z');
  });

  it('ex.8 delete a draft session → 204 with no body', async () => {
    const res = await t.graph('DELETE', `${ROOT}/restoreSessions/${SEED_SESSION_IDS.draft}`);
    expect(res.status).toBe(204);
    expect(res.body).toBeUndefined();
  });

  it('ex.9 list restore sessions → value (not `values`, as one example spells it), polymorphic, with a nextLink when it pages', async () => {
    const res = await t.graph<Record<string, unknown>>('GET', `${ROOT}/restoreSessions?$top=5`, {
      headers: { prefer: 'include-unknown-enum-members' },
    });
    expect(res.status).toBe(200);
    expect(keys(res.body)).toEqual(['@odata.context', '@odata.nextLink', 'value']);
    const value = res.body.value as Array<Record<string, unknown>>;
    value.forEach(expectSession);
    const all = await t.graph<{ value: Array<Record<string, unknown>> }>('GET', `${ROOT}/restoreSessions?$top=100`, {
      headers: { prefer: 'include-unknown-enum-members' },
    });
    const types = new Set(all.body.value.map((s) => s['@odata.type']));
    expect(types).toEqual(
      new Set([
        '#microsoft.graph.sharePointRestoreSession',
        '#microsoft.graph.exchangeRestoreSession',
        '#microsoft.graph.oneDriveForBusinessRestoreSession',
      ]),
    );
    // `failed` appears in the doc example without the Prefer header; the emulator gates it (here it was sent).
    expect(all.body.value.find((s) => s.id === SEED_SESSION_IDS.failed)?.status).toBe('failed');
    // The doc's nextLink points at sharepointRestoreSessions; the emulator's points back at the same collection.
    expect(res.body['@odata.nextLink']).toMatch(/\/beta\/solutions\/backupRestore\/restoreSessions\?.*\$skiptoken=/);
  });

  it('ex.10 list siteRestoreArtifacts → artifacts with the restore point inlined without $expand (as the list example shows it)', async () => {
    const res = await t.graph<Record<string, unknown>>(
      'GET',
      `${ROOT}/sharePointRestoreSessions/${SEED_SESSION_IDS.completed}/siteRestoreArtifacts`,
    );
    expect(res.status).toBe(200);
    const value = res.body.value as Array<Record<string, unknown>>;
    expect(value).toHaveLength(2);
    for (const a of value) {
      expect(keys(a)).toEqual([
        'completionDateTime',
        'destinationType',
        'error',
        'id',
        'restorePoint',
        'restoredSiteId',
        'restoredSiteName',
        'restoredSiteWebUrl',
        'startDateTime',
        'status',
      ]);
      expect(keys(a.restorePoint)).toEqual(['expirationDateTime', 'id', 'protectionDateTime']);
      expect(a.status).toBe('succeeded');
      expect(a.restoredSiteWebUrl).toMatch(/^https:\/\/contoso\.sharepoint\.com\/sites\//);
    }
  });

  it('ex.11 list restore points of a protection unit before a date → at most 5, newest first, unit expanded', async () => {
    const unit = seedUnitId(3);
    const res = await t.graph<Record<string, unknown>>(
      'GET',
      `${ROOT}/restorePoints?$expand=protectionUnit($filter=id eq '${unit}')&$filter=protectionDateTime lt 2025-06-01T10:01:00Z`,
    );
    expect(res.status).toBe(200);
    const value = res.body.value as Array<Record<string, unknown>>;
    expect(value.length).toBe(5);
    for (const p of value) {
      expect(p['@odata.type']).toBe('#microsoft.graph.restorePoint');
      expect(keys(p)).toEqual(['@odata.type', 'expirationDateTime', 'id', 'protectionDateTime', 'protectionUnit', 'tags']);
      const pu = p.protectionUnit as Record<string, unknown>;
      expect(pu['@odata.type']).toBe('#microsoft.graph.siteProtectionUnit');
      expect(pu.id).toBe(unit);
      expect(pu).toHaveProperty('siteId');
      expect(pu).toHaveProperty('policyId');
    }
    const dates = value.map((p) => Date.parse(String(p.protectionDateTime)));
    expect([...dates].sort((a, b) => b - a)).toEqual(dates);
  });

  it('ex.12 search restore points → searchResponseId, searchResults with expanded units, noResultProtectionUnitIds', async () => {
    const unknownUnit = '63014d8c-71fe-4d00-a01a-31850bc5b42c';
    const res = await t.graph<Record<string, unknown>>('POST', `${ROOT}/restorePoints/search`, {
      body: {
        protectionUnitIds: [seedUnitId(1), seedUnitId(2), seedUnitId(3), unknownUnit],
        protectionTimePeriod: { startDateTime: '2025-05-25T00:00:00Z', endDateTime: '2025-06-01T00:00:00Z' },
        restorePointPreference: 'latest',
        tags: 'fastRestore',
      },
    });
    expect(res.status).toBe(200);
    expect(keys(res.body)).toEqual(['@odata.context', 'noResultProtectionUnitIds', 'searchResponseId', 'searchResults']);
    const results = res.body.searchResults as Array<Record<string, unknown>>;
    expect(results).toHaveLength(3);
    for (const r of results) {
      const point = r.restorePoint as Record<string, unknown>;
      expect(point.tags).toBe('fastRestore');
      expect((point.protectionUnit as Record<string, unknown>)['@odata.type']).toBe('#microsoft.graph.siteProtectionUnit');
    }
    expect(res.body.noResultProtectionUnitIds).toEqual([unknownUnit]);
  });

  it('ex.14–17 bulk addition: create (201, active) → list → get (the entity, not the `value` wrapper one doc version shows) → delete refused while active', async () => {
    const base = `${ROOT}/sharePointRestoreSessions/${SEED_SESSION_IDS.emptyDraft}/siteRestoreArtifactsBulkAdditionRequests`;
    const created = await t.graph<Record<string, unknown>>('POST', base, {
      token: await t.userToken('admin'),
      body: {
        displayName: 'SPO-BulkRestoreArtifacts',
        siteWebUrls: ['https://contoso.sharepoint.com/sites/Finance01', 'https://contoso.sharepoint.com/sites/Nowhere'],
        protectionTimePeriod: { startDateTime: '2025-05-20T00:00:00Z', endDateTime: '2025-06-02T00:00:00Z' },
        destinationType: 'new',
        tags: 'fastRestore',
        restorePointPreference: 'latest',
      },
    });
    expect(created.status).toBe(201);
    expect(created.body.status).toBe('active');
    expect(created.body).toHaveProperty('displayName', 'SPO-BulkRestoreArtifacts');
    expect(created.body).toHaveProperty('protectionTimePeriod');
    const id = String(created.body.id);
    const list = await t.graph<{ value: Array<Record<string, unknown>> }>('GET', base);
    expect(list.status).toBe(200);
    expect(list.body.value.map((b) => b.id)).toEqual([id]);
    // siteWebUrls is left out of list responses on purpose (size).
    expect(list.body.value[0]?.siteWebUrls ?? []).toEqual([]);
    const got = await t.graph<Record<string, unknown>>('GET', `${base}/${id}`);
    expect(got.status).toBe(200);
    expect(got.body).not.toHaveProperty('value');
    expect(got.body.id).toBe(id);
    const refused = await t.graph<{ error: { code: string } }>('DELETE', `${base}/${id}`);
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('InvalidStateForBulkRequestDeletion');
  });

  it("ex.18 get backupRestoreRoot → serviceStatus as a single object (not the old beta page's collection)", async () => {
    const res = await t.graph<Record<string, unknown>>('GET', ROOT);
    expect(res.status).toBe(200);
    const status = res.body.serviceStatus as Record<string, unknown>;
    expect(status.status).toBe('enabled');
    expect(Array.isArray(status)).toBe(false);
  });

  it('error envelope: code, message and innerError with date, request-id and client-request-id', async () => {
    const res = await t.graph<{ error: Record<string, unknown> }>('GET', `${ROOT}/restoreSessions/00000000-0000-0000-0000-000000000001`, {
      headers: { 'client-request-id': 'fidelity-1' },
    });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('RestoreSessionNotFound');
    expect(keys(res.body.error)).toEqual(['code', 'innerError', 'message']);
    expect(keys(res.body.error.innerError)).toEqual(['client-request-id', 'date', 'request-id']);
    expect((res.body.error.innerError as Record<string, string>)['client-request-id']).toBe('fidelity-1');
    expect(res.headers['client-request-id']).toBe('fidelity-1');
  });
});

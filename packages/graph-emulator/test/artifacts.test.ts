import { beforeAll, describe, expect, it } from 'vitest';
import { useTestEmulator, type EmuResponse } from '../src/testing/index.js';
import { SEED_SESSION_IDS, seedRestorePointId, seedUnitId } from '../src/index.js';

type Json = Record<string, unknown>;
type Page = { value: Json[]; '@odata.nextLink'?: string; '@odata.count'?: number; '@odata.context': string };
type Err = { error: { code: string; message: string } };

const ROOT = '/solutions/backupRestore';
const SP = `${ROOT}/sharePointRestoreSessions`;
const UNKNOWN_GUID = '00000000-1111-4222-a333-444444444444';

function expectError(res: EmuResponse, status: number, code: string): void {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect((res.body as Err).error.code).toBe(code);
}

const art = (site: number, destinationType: string, day = 0): Json => ({
  restorePoint: { id: seedRestorePointId(site, day) },
  destinationType,
});

const t = useTestEmulator();
let readerToken: string;

beforeAll(async () => {
  readerToken = await t.userToken('reader');
});

/** Follows absolute nextLinks to the end; returns every page. */
async function allPages(first: string, headers: Record<string, string> = {}): Promise<Page[]> {
  const pages: Page[] = [];
  let path: string | undefined = first;
  while (path) {
    const res: EmuResponse<Page> = await t.graph('GET', path, { headers });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    pages.push(res.body);
    const next = res.body['@odata.nextLink'];
    if (next) expect(next.startsWith(`${t.emu.origin}/beta/`)).toBe(true);
    path = next ? next.slice(`${t.emu.origin}/beta`.length) : undefined;
  }
  return pages;
}

describe('GET siteRestoreArtifacts', () => {
  it('lists a draft session’s artifacts with the inline restore point, in the doc key order', async () => {
    const res = await t.graph<Page>('GET', `${SP}/${SEED_SESSION_IDS.draft}/siteRestoreArtifacts`);
    expect(res.status).toBe(200);
    expect(res.body['@odata.context']).toBe(
      `${t.emu.origin}/beta/$metadata#solutions/backupRestore/sharePointRestoreSessions('${SEED_SESSION_IDS.draft}')/siteRestoreArtifacts`,
    );
    expect(res.body.value).toHaveLength(3);
    const a = res.body.value[0]!;
    expect(Object.keys(a)).toEqual([
      'id',
      'destinationType',
      'status',
      'startDateTime',
      'completionDateTime',
      'error',
      'restoredSiteId',
      'restoredSiteName',
      'restoredSiteWebUrl',
      'restorePoint',
    ]);
    expect(a).toMatchObject({
      destinationType: 'inPlace',
      status: 'added',
      startDateTime: '0001-01-01T00:00:00Z',
      completionDateTime: '0001-01-01T00:00:00Z',
      error: null,
      restoredSiteId: null,
      restoredSiteName: null,
      restoredSiteWebUrl: null,
    });
    const point = a.restorePoint as Json;
    expect(Object.keys(point)).toEqual(['id', 'protectionDateTime', 'expirationDateTime']);
    expect(point.id).toBe(seedRestorePointId(11, 0));
    expect(point.protectionDateTime).toBe('2025-06-02T00:00:00.000Z');
  });

  it('pages the 65-artifact session to the last page through absolute nextLinks (default page 20)', async () => {
    const pages = await allPages(`${SP}/${SEED_SESSION_IDS.large}/siteRestoreArtifacts`);
    expect(pages.map((p) => p.value.length)).toEqual([20, 20, 20, 5]);
    const ids = pages.flatMap((p) => p.value.map((a) => String(a.id)));
    expect(new Set(ids).size).toBe(65);
    expect(pages[3]!['@odata.nextLink']).toBeUndefined();
  });

  it('honours $top up to 100, keeps the query in nextLinks, and counts with $count=true', async () => {
    const pages = await allPages(`${SP}/${SEED_SESSION_IDS.large}/siteRestoreArtifacts?$top=30&$count=true&$select=id,status`);
    expect(pages.map((p) => p.value.length)).toEqual([30, 30, 5]);
    expect(pages.every((p) => p['@odata.count'] === 65)).toBe(true);
    expect(pages[0]!['@odata.nextLink']).toContain('$select=id,status');
    for (const a of pages.flatMap((p) => p.value)) expect(Object.keys(a)).toEqual(['id', 'status']);
    const capped = await t.graph<Page>('GET', `${SP}/${SEED_SESSION_IDS.large}/siteRestoreArtifacts?$top=500`);
    expect(capped.body.value).toHaveLength(65);
    expect(capped.body['@odata.nextLink']).toBeUndefined();
  });

  it('filters on status (eq, in) and destinationType', async () => {
    // The large session is 30 minutes into a slow restore: some artifacts done, some running, some waiting.
    const all = await t.graph<Page>('GET', `${SP}/${SEED_SESSION_IDS.large}/siteRestoreArtifacts?$top=100`);
    const byStatus = new Map<string, number>();
    for (const a of all.body.value) byStatus.set(String(a.status), (byStatus.get(String(a.status)) ?? 0) + 1);
    expect(byStatus.size).toBeGreaterThan(1);
    const succeeded = await allPages(`${SP}/${SEED_SESSION_IDS.large}/siteRestoreArtifacts?$filter=status eq 'succeeded'&$count=true`);
    expect(succeeded[0]!['@odata.count']).toBe(byStatus.get('succeeded'));
    expect(succeeded.flatMap((p) => p.value).every((a) => a.status === 'succeeded')).toBe(true);
    const running = await t.graph<Page>(
      'GET',
      `${SP}/${SEED_SESSION_IDS.large}/siteRestoreArtifacts?$top=100&$filter=${encodeURIComponent("status in ('inProgress','scheduled')")}`,
    );
    expect(running.body.value.length).toBe((byStatus.get('inProgress') ?? 0) + (byStatus.get('scheduled') ?? 0));
    const inPlace = await t.graph<Page>(
      'GET',
      `${SP}/${SEED_SESSION_IDS.completedWithError}/siteRestoreArtifacts?$filter=${encodeURIComponent("status eq 'failed' and destinationType eq 'inPlace'")}`,
    );
    expect(inPlace.body.value).toHaveLength(1);
    expect(inPlace.body.value[0]).toMatchObject({ status: 'failed', error: { code: 'ArtifactCannotBeRestored' } });
  });

  it('rejects bad query options', async () => {
    const base = `${SP}/${SEED_SESSION_IDS.large}/siteRestoreArtifacts`;
    expectError(await t.graph('GET', `${base}?$filter=${encodeURIComponent("status eq 'done'")}`), 400, 'BadRequest');
    expectError(await t.graph('GET', `${base}?$filter=${encodeURIComponent("restoredSiteName eq 'x'")}`), 400, 'BadRequest');
    expectError(await t.graph('GET', `${base}?$filter=status`), 400, 'BadRequest');
    expectError(await t.graph('GET', `${base}?$select=id,colour`), 400, 'BadRequest');
    expectError(await t.graph('GET', `${base}?$top=-1`), 400, 'BadRequest');
    expectError(await t.graph('GET', `${base}?$skiptoken=garbage`), 400, 'BadRequest');
    expectError(await t.graph('GET', `${base}?$expand=restorePoint`), 400, 'BadRequest');
    expectError(await t.graph('GET', `${SP}/not-a-guid/siteRestoreArtifacts`), 400, 'InvalidRestoreSessionId');
    expectError(await t.graph('GET', `${SP}/${UNKNOWN_GUID}/siteRestoreArtifacts`), 404, 'RestoreSessionNotFound');
  });

  it('shows a finished artifact’s dates and restored site', async () => {
    const res = await t.graph<Page>('GET', `${SP}/${SEED_SESSION_IDS.completed}/siteRestoreArtifacts`);
    for (const a of res.body.value) {
      expect(a.status).toBe('succeeded');
      expect(a.startDateTime).not.toBe('0001-01-01T00:00:00Z');
      expect(Date.parse(String(a.completionDateTime))).toBeGreaterThan(Date.parse(String(a.startDateTime)));
      expect(a.restoredSiteId).toMatch(/^contoso\.sharepoint\.com,/);
      expect(a.restoredSiteWebUrl).toMatch(/^https:\/\/contoso\.sharepoint\.com\/sites\//);
    }
  });
});

describe('one artifact', () => {
  async function firstArtifact(sessionId: string): Promise<string> {
    const res = await t.graph<Page>('GET', `${SP}/${sessionId}/siteRestoreArtifacts?$top=1`);
    return String(res.body.value[0]!.id);
  }

  it('gets an artifact of the session and 404s for one of another session', async () => {
    const id = await firstArtifact(SEED_SESSION_IDS.draft);
    const res = await t.graph<Json>('GET', `${SP}/${SEED_SESSION_IDS.draft}/siteRestoreArtifacts/${id}?$select=id,destinationType`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      '@odata.context': `${t.emu.origin}/beta/$metadata#solutions/backupRestore/sharePointRestoreSessions('${SEED_SESSION_IDS.draft}')/siteRestoreArtifacts(id,destinationType)/$entity`,
      id,
      destinationType: 'inPlace',
    });
    expectError(await t.graph('GET', `${SP}/${SEED_SESSION_IDS.active}/siteRestoreArtifacts/${id}`), 404, 'ArtifactNotFound');
    expectError(await t.graph('GET', `${SP}/${SEED_SESSION_IDS.draft}/siteRestoreArtifacts/${UNKNOWN_GUID}`), 404, 'ArtifactNotFound');
  });

  it('GETs the restore point, with its protection unit only on $expand=protectionUnit', async () => {
    const id = await firstArtifact(SEED_SESSION_IDS.draft);
    const path = `${SP}/${SEED_SESSION_IDS.draft}/siteRestoreArtifacts/${id}/restorePoint`;
    const plain = await t.graph<Json>('GET', path);
    expect(plain.status).toBe(200);
    expect(plain.body).toMatchObject({
      '@odata.type': '#microsoft.graph.restorePoint',
      id: seedRestorePointId(11, 0),
      protectionDateTime: '2025-06-02T00:00:00.000Z',
      tags: 'fastRestore',
    });
    expect(plain.body.protectionUnit).toBeUndefined();
    const expanded = await t.graph<Json>('GET', `${path}?$expand=protectionUnit`);
    expect(expanded.body.protectionUnit).toMatchObject({ '@odata.type': '#microsoft.graph.siteProtectionUnit', id: seedUnitId(11) });
    const selected = await t.graph<Json>('GET', `${path}?$expand=protectionUnit&$select=id`);
    expect(Object.keys(selected.body).sort()).toEqual(['@odata.context', '@odata.type', 'id', 'protectionUnit']);
    expectError(await t.graph('GET', `${path}?$expand=policy`), 400, 'BadRequest');
    expectError(
      await t.graph('GET', `${SP}/${SEED_SESSION_IDS.draft}/siteRestoreArtifacts/${UNKNOWN_GUID}/restorePoint`),
      404,
      'ArtifactNotFound',
    );
  });

  it('adds one artifact to a draft (201) with the create validation', async () => {
    const path = `${SP}/${SEED_SESSION_IDS.draft}/siteRestoreArtifacts`;
    const res = await t.graph<Json>('POST', path, { body: art(40, 'inPlace', 2) });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ status: 'added', destinationType: 'inPlace', restorePoint: { id: seedRestorePointId(40, 2) } });
    expect(res.headers.location).toBe(
      `${t.emu.origin}/beta/solutions/backupRestore/sharePointRestoreSessions/${SEED_SESSION_IDS.draft}/siteRestoreArtifacts/${String(res.body.id)}`,
    );
    expect((await t.graph<Page>('GET', path)).body.value).toHaveLength(4);
    expectError(await t.graph('POST', path, { body: art(41, 'new') }), 400, 'DifferentRestoreDestinationType');
    expectError(await t.graph('POST', path, { body: art(40, 'inPlace', 5) }), 400, 'DuplicateArtifactInList');
    expectError(await t.graph('POST', path, { body: { restorePoint: { id: seedRestorePointId(41, 0) } } }), 400, 'InvalidPathType');
    expectError(await t.graph('POST', path, { body: { destinationType: 'inPlace' } }), 400, 'InvalidRestorePoint');
    expectError(await t.graph('POST', path, { body: 'x' }), 400, 'InvalidArtifactRequest');
    const empty = `${SP}/${SEED_SESSION_IDS.emptyDraft}/siteRestoreArtifacts`;
    expect((await t.graph('POST', empty, { body: art(41, 'new') })).status).toBe(201);
    expectError(
      await t.graph('POST', `${SP}/${SEED_SESSION_IDS.active}/siteRestoreArtifacts`, { body: art(41, 'new') }),
      403,
      'RestoreSessionActionNotAllowed',
    );
    expectError(await t.graph('POST', path, { body: art(42, 'inPlace'), token: readerToken }), 403, 'Forbidden');
  });

  it('removes an artifact from a draft (204), and only from a draft', async () => {
    const id = await firstArtifact(SEED_SESSION_IDS.draft);
    const path = `${SP}/${SEED_SESSION_IDS.draft}/siteRestoreArtifacts/${id}`;
    expectError(await t.graph('DELETE', path, { token: readerToken }), 403, 'Forbidden');
    const del = await t.graph('DELETE', path);
    expect(del.status).toBe(204);
    expectError(await t.graph('GET', path), 404, 'ArtifactNotFound');
    const session = await t.graph<Json>('GET', `${SP}/${SEED_SESSION_IDS.draft}`);
    expect(session.body.restoreSessionArtifactCount).toMatchObject({ total: 2 });
    const active = await firstArtifact(SEED_SESSION_IDS.active);
    expectError(
      await t.graph('DELETE', `${SP}/${SEED_SESSION_IDS.active}/siteRestoreArtifacts/${active}`),
      403,
      'RestoreSessionActionNotAllowed',
    );
  });

  it('lists no granular artifact of a standard session, and answers 501 notSupported for a single granular one', async () => {
    const list = await t.graph<{ value: unknown[] }>('GET', `${SP}/${SEED_SESSION_IDS.draft}/granularSiteRestoreArtifacts`);
    expect(list.status).toBe(200);
    expect(list.body.value).toEqual([]);
    expectError(await t.graph('GET', `${SP}/${SEED_SESSION_IDS.draft}/granularSiteRestoreArtifacts/a,b,c,d`), 501, 'notSupported');
  });
});

import { describe, expect, it } from 'vitest';
import { useTestEmulator, type EmuResponse, type TestEmulator } from '../src/testing/index.js';
import { LEGAL_HOLD_SITE_INDEX, REMOVED_SITE_INDEX, SEED_SESSION_IDS, defaultSeed, seedRestorePointId } from '../src/index.js';

type Json = Record<string, unknown>;
type Err = { error: { code: string; message: string } };

const ROOT = '/solutions/backupRestore';
const SP = `${ROOT}/sharePointRestoreSessions`;
const RS = `${ROOT}/restoreSessions`;
const PREFER = { prefer: 'include-unknown-enum-members' };
const NULL_DATE = '0001-01-01T00:00:00Z';
const UNITS = defaultSeed().protectionUnits;

function expectError(res: EmuResponse, status: number, code: string): void {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect((res.body as Err).error.code).toBe(code);
}

const art = (site: number, destinationType: string, day = 0): Json => ({
  restorePoint: { id: seedRestorePointId(site, day) },
  destinationType,
});

async function createSession(t: TestEmulator, artifacts: Json[]): Promise<string> {
  const res = await t.graph<Json>('POST', SP, { body: { siteRestoreArtifacts: artifacts } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return String(res.body.id);
}

async function session(t: TestEmulator, id: string, prefer = true): Promise<Json> {
  const res = await t.graph<Json>('GET', `${RS}/${id}`, prefer ? { headers: PREFER } : {});
  expect(res.status).toBe(200);
  return res.body;
}

async function artifacts(t: TestEmulator, id: string): Promise<Json[]> {
  const res = await t.graph<{ value: Json[] }>('GET', `${SP}/${id}/siteRestoreArtifacts`);
  expect(res.status).toBe(200);
  return res.body.value;
}

describe('restore lifecycle at time scale 1', () => {
  const t = useTestEmulator();

  it('goes draft → activating → active → completed in about 10 s of virtual time', async () => {
    const id = await createSession(t, [art(20, 'new'), art(21, 'new'), art(22, 'new')]);
    expect((await session(t, id)).status).toBe('draft');
    expect((await artifacts(t, id)).map((a) => a.status)).toEqual(['added', 'added', 'added']);

    const activatedAt = t.emu.clock.now();
    expect((await t.graph('POST', `${RS}/${id}/activate`)).status).toBe(200);
    expect(await session(t, id)).toMatchObject({
      status: 'activating',
      restoreSessionArtifactCount: { total: 3, inProgress: 3, completed: 0, failed: 0 },
      completedDateTime: NULL_DATE,
    });
    expect((await artifacts(t, id)).map((a) => a.status)).toEqual(['scheduling', 'scheduling', 'scheduling']);

    await t.advance(1_000);
    expect((await session(t, id)).status).toBe('active');
    expect((await artifacts(t, id)).map((a) => a.status)).toEqual(['scheduled', 'scheduled', 'scheduled']);

    await t.advance(1_500); // 2.5 s: the first artifact has started
    const running = await artifacts(t, id);
    expect(running.map((a) => a.status)).toEqual(['inProgress', 'scheduled', 'scheduled']);
    expect(running[0]!.startDateTime).toBe(new Date(activatedAt + 2_000).toISOString());
    expect(running[0]!.completionDateTime).toBe(NULL_DATE);
    // A restore to a new URL only knows its new site at the end.
    expect(running[0]!.restoredSiteWebUrl).toBeNull();

    await t.advance(5_000); // 7.5 s: the first is done
    const s75 = await session(t, id);
    expect(s75).toMatchObject({ status: 'active', restoreSessionArtifactCount: { total: 3, inProgress: 2, completed: 1, failed: 0 } });

    await t.advance(2_499); // 9.999 s
    expect((await session(t, id)).status).toBe('active');
    await t.advance(1); // 10 s
    const done = await session(t, id);
    expect(done).toMatchObject({
      status: 'completed',
      restoreSessionArtifactCount: { total: 3, inProgress: 0, completed: 3, failed: 0 },
      completedDateTime: new Date(activatedAt + 10_000).toISOString(),
      lastModifiedDateTime: new Date(activatedAt + 10_000).toISOString(),
      error: null,
    });
    const finished = await artifacts(t, id);
    finished.forEach((a, i) => {
      expect(a.status).toBe('succeeded');
      expect(a.error).toBeNull();
      expect(a.startDateTime).toBe(new Date(activatedAt + 2_000 + 1_000 * i).toISOString());
      expect(a.completionDateTime).toBe(new Date(activatedAt + 7_000 + 1_500 * i).toISOString());
      const unit = UNITS[20 + i]!;
      expect(a.restoredSiteName).toBe(`${unit.siteName}R${i + 1}`);
      expect(a.restoredSiteWebUrl).toBe(`${unit.siteWebUrl}R${i + 1}`);
      expect(String(a.restoredSiteId)).toMatch(/^contoso\.sharepoint\.com,[0-9a-f-]{36},[0-9a-f-]{36}$/);
      expect(a.restoredSiteId).not.toBe(unit.siteId);
    });

    // Terminal: every draft-only operation is refused.
    expectError(await t.graph('POST', `${RS}/${id}/activate`), 403, 'RestoreSessionActionNotAllowed');
    expectError(await t.graph('DELETE', `${RS}/${id}`), 403, 'RestoreSessionActionNotAllowed');
    expectError(
      await t.graph('PATCH', `${SP}/${id}`, { body: { 'siteRestoreArtifacts@delta': [art(23, 'new')] } }),
      403,
      'RestoreSessionActionNotAllowed',
    );
  });

  it('restores in place onto the original site, known from the start', async () => {
    const id = await createSession(t, [art(25, 'inPlace', 4)]);
    await t.graph('POST', `${RS}/${id}/activate`);
    await t.advance(2_000);
    const [a] = await artifacts(t, id);
    expect(a).toMatchObject({ status: 'inProgress', restoredSiteId: UNITS[25]!.siteId, restoredSiteWebUrl: UNITS[25]!.siteWebUrl });
  });

  it('ends completedWithError when a legal-hold site is restored in place next to a normal one', async () => {
    const id = await createSession(t, [art(26, 'inPlace'), art(LEGAL_HOLD_SITE_INDEX, 'inPlace')]);
    await t.graph('POST', `${RS}/${id}/activate`);
    await t.advance(8_500);
    const s = await session(t, id, false);
    expect(s).toMatchObject({
      status: 'completedWithError',
      restoreSessionArtifactCount: { total: 2, inProgress: 0, completed: 1, failed: 1 },
      error: { code: 'RestoreSessionCompletedWithErrors' },
    });
    expect(s.completedDateTime).not.toBe(NULL_DATE);
    const [ok, held] = await artifacts(t, id);
    expect(ok).toMatchObject({ status: 'succeeded', error: null });
    expect(held).toMatchObject({
      status: 'failed',
      error: { code: 'ArtifactCannotBeRestored' },
      restoredSiteId: null,
      restoredSiteWebUrl: null,
    });
    expect(held!.completionDateTime).not.toBe(NULL_DATE);
  });

  it('restores a legal-hold site to a new URL without error', async () => {
    const id = await createSession(t, [art(LEGAL_HOLD_SITE_INDEX, 'new')]);
    await t.graph('POST', `${RS}/${id}/activate`);
    await t.advance(10_000);
    expect((await session(t, id)).status).toBe('completed');
  });

  it('ends failed when every artifact fails, shown as unknownFutureValue without Prefer', async () => {
    const id = await createSession(t, [art(REMOVED_SITE_INDEX, 'inPlace'), art(LEGAL_HOLD_SITE_INDEX, 'inPlace')]);
    await t.graph('POST', `${RS}/${id}/activate`);
    await t.advance(8_500);
    const failed = await session(t, id);
    expect(failed).toMatchObject({
      status: 'failed',
      restoreSessionArtifactCount: { total: 2, inProgress: 0, completed: 0, failed: 2 },
      error: { code: 'RestoreSessionFailed' },
    });
    expect(failed.completedDateTime).not.toBe(NULL_DATE);
    expect((await session(t, id, false)).status).toBe('unknownFutureValue');
    const codes = (await artifacts(t, id)).map((a) => (a.error as Json).code);
    expect(codes).toEqual(['ArtifactNotFound', 'ArtifactCannotBeRestored']);
    const listed = await t.graph<{ value: Json[] }>('GET', `${RS}?$filter=${encodeURIComponent("status eq 'unknownFutureValue'")}`);
    expect(listed.body.value.map((s) => s.id)).toEqual([SEED_SESSION_IDS.failed, id]);
  });

  it('moves the seeded active session to its end as the clock advances', async () => {
    expect((await session(t, SEED_SESSION_IDS.active)).status).toBe('active');
    await t.advance(10 * 60_000);
    const s = await session(t, SEED_SESSION_IDS.active);
    expect(s.status).toBe('completed');
    expect(s.restoreSessionArtifactCount).toMatchObject({ total: 3, completed: 3 });
  });
});

describe('TooManyActiveRestoreSessions', () => {
  const t = useTestEmulator({ maxActiveSessions: 2 });

  it('refuses an activation beyond the limit with 500, and accepts again once sessions finish', async () => {
    // The seed already has two sessions running (active, large): a third can't start.
    const a = await createSession(t, [art(30, 'new')]);
    const refused = await t.graph('POST', `${RS}/${a}/activate`);
    expectError(refused, 500, 'TooManyActiveRestoreSessions');
    expect((await session(t, a)).status).toBe('draft');

    await t.advance(2 * 3_600_000); // both seeded restores are long finished
    const b = await createSession(t, [art(31, 'new')]);
    expect((await t.graph('POST', `${RS}/${a}/activate`)).status).toBe(200);
    expect((await t.graph('POST', `${RS}/${b}/activate`)).status).toBe(200);
    const c = await createSession(t, [art(32, 'new')]);
    expectError(await t.graph('POST', `${RS}/${c}/activate`), 500, 'TooManyActiveRestoreSessions');

    await t.advance(7_000); // a and b (one artifact each) are done
    expect((await t.graph('POST', `${RS}/${c}/activate`)).status).toBe(200);
  });
});

describe('time scale', () => {
  const t = useTestEmulator({ timeScale: 0.01 });

  it('multiplies restore durations: a 3-artifact session finishes in 100 ms at scale 0.01', async () => {
    const id = await createSession(t, [art(20, 'new'), art(21, 'new'), art(22, 'new')]);
    await t.graph('POST', `${RS}/${id}/activate`);
    await t.advance(99);
    expect((await session(t, id)).status).toBe('active');
    await t.advance(1);
    expect((await session(t, id)).status).toBe('completed');
  });
});

import { describe, expect, it } from 'vitest';
import { useTestEmulator, type TestEmulator } from '../src/testing/index.js';
import {
  LEGAL_HOLD_SITE_INDEX,
  REMOVED_SITE_INDEX,
  SEED_SESSION_IDS,
  defaultSeed,
  seedDriveRestorePointId,
  seedMailboxRestorePointId,
  seedRestorePointId,
} from '../src/index.js';
import { ROOT, PREFER, type Json } from './family-support.js';

/**
 * Graph restores at most 1,000 sites, 1,000 OneDrives and 1,000 mailboxes in parallel; the rest wait. Here the limit is
 * 3 (`maxQueuedRestores`), so a handful of artifacts shows the waiting, the order slots are handed out in, and that the
 * families do not share them. At time scale 1, artifact i is scheduled at 1 s, starts at 2 s + i s and ends at
 * 7 s + 1.5 s·i after its session's activation (lifecycle.test.ts).
 */

const RS = `${ROOT}/restoreSessions`;
const NULL_DATE = '0001-01-01T00:00:00Z';
const LIMIT = 3;

interface Family {
  set: string;
  artifacts: string;
  point: (index: number) => string;
}
const SHAREPOINT: Family = {
  set: `${ROOT}/sharePointRestoreSessions`,
  artifacts: 'siteRestoreArtifacts',
  point: (i) => seedRestorePointId(i, 0),
};
const EXCHANGE: Family = {
  set: `${ROOT}/exchangeRestoreSessions`,
  artifacts: 'mailboxRestoreArtifacts',
  point: (i) => seedMailboxRestorePointId(i, 0),
};
const ONEDRIVE: Family = {
  set: `${ROOT}/oneDriveForBusinessRestoreSessions`,
  artifacts: 'driveRestoreArtifacts',
  point: (i) => seedDriveRestorePointId(i, 0),
};

/** A draft session of `family` restoring the units at `indexes` in place. */
async function createSession(t: TestEmulator, family: Family, indexes: number[]): Promise<string> {
  const body = { [family.artifacts]: indexes.map((i) => ({ restorePoint: { id: family.point(i) }, destinationType: 'inPlace' })) };
  const res = await t.graph<Json>('POST', family.set, { body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return String(res.body.id);
}

async function activate(t: TestEmulator, id: string): Promise<void> {
  const res = await t.graph('POST', `${RS}/${id}/activate`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}

async function session(t: TestEmulator, id: string): Promise<Json> {
  const res = await t.graph<Json>('GET', `${RS}/${id}`, { headers: PREFER });
  expect(res.status).toBe(200);
  return res.body;
}

async function artifacts(t: TestEmulator, family: Family, id: string): Promise<Json[]> {
  const res = await t.graph<{ value: Json[] }>('GET', `${family.set}/${id}/${family.artifacts}`, { headers: PREFER });
  expect(res.status).toBe(200);
  return res.body.value;
}

const statuses = (list: Json[]): unknown[] => list.map((a) => a.status);
const starts = (list: Json[]): unknown[] => list.map((a) => a.startDateTime);
const at = (start: number, ms: number): string => new Date(start + ms).toISOString();

/** Moves the manual clock to `ms` after `start`. */
async function advanceTo(t: TestEmulator, start: number, ms: number): Promise<void> {
  await t.advance(start + ms - t.emu.clock.now());
}

// The default seed without its two running SharePoint sessions, so the SharePoint slots start free.
const seed = defaultSeed();
const FREE_SEED = { ...seed, sessions: seed.sessions.filter((s) => s.id !== SEED_SESSION_IDS.large && s.id !== SEED_SESSION_IDS.active) };

describe(`at most ${LIMIT} artifacts of a family restoring at once`, () => {
  const t = useTestEmulator({ maxQueuedRestores: LIMIT, seed: FREE_SEED });

  it('keeps the others scheduled, without a start date, until a slot frees; they then run their usual duration', async () => {
    const id = await createSession(t, SHAREPOINT, [20, 21, 22, 23, 24]);
    const t0 = t.emu.clock.now();
    await activate(t, id);

    await advanceTo(t, t0, 6_500); // every planned start has passed, but only three slots exist
    let list = await artifacts(t, SHAREPOINT, id);
    expect(statuses(list)).toEqual(['inProgress', 'inProgress', 'inProgress', 'scheduled', 'scheduled']);
    expect(starts(list)).toEqual([at(t0, 2_000), at(t0, 3_000), at(t0, 4_000), NULL_DATE, NULL_DATE]);
    expect(await session(t, id)).toMatchObject({
      status: 'active',
      restoreSessionArtifactCount: { total: 5, inProgress: 5, completed: 0, failed: 0 },
    });

    await advanceTo(t, t0, 7_000); // the first one ends: the fourth takes its slot
    list = await artifacts(t, SHAREPOINT, id);
    expect(statuses(list)).toEqual(['succeeded', 'inProgress', 'inProgress', 'inProgress', 'scheduled']);
    expect(list[3]!.startDateTime).toBe(at(t0, 7_000));

    await advanceTo(t, t0, 8_500); // the second ends: the fifth starts
    list = await artifacts(t, SHAREPOINT, id);
    expect(statuses(list)).toEqual(['succeeded', 'succeeded', 'inProgress', 'inProgress', 'inProgress']);
    expect(list[4]!.startDateTime).toBe(at(t0, 8_500));

    // Each waiting one takes its own planned duration from its start: 6.5 s and 7 s.
    await advanceTo(t, t0, 15_499);
    expect((await session(t, id)).status).toBe('active');
    await advanceTo(t, t0, 15_500);
    list = await artifacts(t, SHAREPOINT, id);
    expect(list.map((a) => a.completionDateTime)).toEqual([at(t0, 7_000), at(t0, 8_500), at(t0, 10_000), at(t0, 13_500), at(t0, 15_500)]);
    expect(await session(t, id)).toMatchObject({
      status: 'completed',
      restoreSessionArtifactCount: { total: 5, inProgress: 0, completed: 5, failed: 0 },
      completedDateTime: at(t0, 15_500),
    });
  });

  it('hands freed slots out in activation order, not creation order; a session waiting whole is active', async () => {
    const first = await createSession(t, SHAREPOINT, [20, 21, 22]);
    const createdEarlier = await createSession(t, SHAREPOINT, [30]);
    const createdLater = await createSession(t, SHAREPOINT, [31]);
    const t0 = t.emu.clock.now();
    await activate(t, first);
    await t.advance(100);
    await activate(t, createdLater);
    await t.advance(100);
    await activate(t, createdEarlier);

    await advanceTo(t, t0, 6_900);
    for (const id of [createdLater, createdEarlier]) {
      expect(statuses(await artifacts(t, SHAREPOINT, id))).toEqual(['scheduled']);
      expect(await session(t, id)).toMatchObject({
        status: 'active',
        restoreSessionArtifactCount: { total: 1, inProgress: 1, completed: 0, failed: 0 },
        completedDateTime: NULL_DATE,
      });
    }

    await advanceTo(t, t0, 7_000); // the first slot frees: the session activated second gets it
    expect(starts(await artifacts(t, SHAREPOINT, createdLater))).toEqual([at(t0, 7_000)]);
    expect(starts(await artifacts(t, SHAREPOINT, createdEarlier))).toEqual([NULL_DATE]);
    await advanceTo(t, t0, 8_500);
    expect(starts(await artifacts(t, SHAREPOINT, createdEarlier))).toEqual([at(t0, 8_500)]);

    // A one-artifact restore takes 5 s from its start.
    await advanceTo(t, t0, 13_500);
    expect(await session(t, createdEarlier)).toMatchObject({ status: 'completed', completedDateTime: at(t0, 13_500) });
    expect(await session(t, createdLater)).toMatchObject({ status: 'completed', completedDateTime: at(t0, 12_000) });
  });

  it('keeps each family to its own slots', async () => {
    const sites = await createSession(t, SHAREPOINT, [20, 21, 22, 23]);
    const mailboxes = await createSession(t, EXCHANGE, [2, 3, 4]);
    const oneMore = await createSession(t, EXCHANGE, [6]);
    const drives = await createSession(t, ONEDRIVE, [2, 3, 4]);
    const t0 = t.emu.clock.now();
    for (const id of [sites, mailboxes, oneMore, drives]) await activate(t, id);

    await advanceTo(t, t0, 6_000);
    expect(statuses(await artifacts(t, SHAREPOINT, sites))).toEqual(['inProgress', 'inProgress', 'inProgress', 'scheduled']);
    expect(statuses(await artifacts(t, EXCHANGE, oneMore))).toEqual(['scheduled']);
    // Three of each other family run beside the three sites, each at its planned time.
    for (const [family, id] of [
      [EXCHANGE, mailboxes],
      [ONEDRIVE, drives],
    ] as const) {
      const list = await artifacts(t, family, id);
      expect(statuses(list)).toEqual(['inProgress', 'inProgress', 'inProgress']);
      expect(starts(list)).toEqual([at(t0, 2_000), at(t0, 3_000), at(t0, 4_000)]);
    }

    // At 7 s a site slot and a mailbox slot free: each goes to its own family's waiting artifact.
    await advanceTo(t, t0, 7_000);
    expect(starts(await artifacts(t, SHAREPOINT, sites))[3]).toBe(at(t0, 7_000));
    expect(starts(await artifacts(t, EXCHANGE, oneMore))).toEqual([at(t0, 7_000)]);
    await advanceTo(t, t0, 10_000);
    expect((await session(t, mailboxes)).status).toBe('completed');
    expect((await session(t, drives)).status).toBe('completed');
  });

  it('still ends waiting sessions completedWithError or failed, with their errors', async () => {
    const busy = await createSession(t, SHAREPOINT, [20, 21, 22]);
    const mixed = await createSession(t, SHAREPOINT, [23, LEGAL_HOLD_SITE_INDEX]);
    const lost = await createSession(t, SHAREPOINT, [LEGAL_HOLD_SITE_INDEX, REMOVED_SITE_INDEX]);
    const t0 = t.emu.clock.now();
    for (const id of [busy, mixed, lost]) await activate(t, id);

    await advanceTo(t, t0, 6_000);
    expect(statuses(await artifacts(t, SHAREPOINT, lost))).toEqual(['scheduled', 'scheduled']);

    await advanceTo(t, t0, 60_000);
    expect(await session(t, mixed)).toMatchObject({
      status: 'completedWithError',
      restoreSessionArtifactCount: { total: 2, inProgress: 0, completed: 1, failed: 1 },
      error: { code: 'RestoreSessionCompletedWithErrors' },
    });
    expect(await session(t, lost)).toMatchObject({
      status: 'failed',
      restoreSessionArtifactCount: { total: 2, inProgress: 0, completed: 0, failed: 2 },
      error: { code: 'RestoreSessionFailed' },
    });
    const failed = await artifacts(t, SHAREPOINT, lost);
    expect(failed.map((a) => (a.error as Json | null)?.code)).toEqual(['ArtifactCannotBeRestored', 'ArtifactNotFound']);
    // They waited: for the busy session's last slot (10 s), then for the mixed session's first (7 s + 5 s).
    expect(starts(failed)).toEqual([at(t0, 10_000), at(t0, 12_000)]);
  });
});

describe('the seed', () => {
  const t = useTestEmulator({ maxQueuedRestores: LIMIT });

  it("queues its running sessions too: a new SharePoint restore waits behind them, an Exchange one doesn't", async () => {
    const sites = await createSession(t, SHAREPOINT, [20]);
    const mailboxes = await createSession(t, EXCHANGE, [2]);
    const t0 = t.emu.clock.now();
    await activate(t, sites);
    await activate(t, mailboxes);
    await advanceTo(t, t0, 7_000);
    expect(await session(t, mailboxes)).toMatchObject({ status: 'completed', completedDateTime: at(t0, 7_000) });
    expect(await session(t, sites)).toMatchObject({ status: 'active', restoreSessionArtifactCount: { inProgress: 1 } });
    expect(starts(await artifacts(t, SHAREPOINT, sites))).toEqual([NULL_DATE]);
  });
});

describe('the default limit', () => {
  const t = useTestEmulator();

  it("is Graph's 1,000 per family", () => {
    expect(t.emu.context.state.maxQueuedRestores).toBe(1_000);
  });
});

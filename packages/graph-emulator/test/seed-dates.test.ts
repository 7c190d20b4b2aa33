import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestEmulator, type TestEmulator } from '../src/testing/index.js';
import {
  DEFAULT_CLOCK_START_ISO,
  RESTORE_POINTS_PER_SITE,
  SEED_SESSION_IDS,
  SEED_SITE_COUNT,
  SEED_MAILBOX_COUNT,
  SEED_DRIVE_COUNT,
  defaultSeed,
  seedRestorePointId,
  seedUnitId,
} from '../src/index.js';

// The seed is dated around its clock's start: now for a realtime emulator (so a gateway that judges restore point
// expiry on its own wall clock sees live restore points), the fixed instant for a manual one.

type Json = Record<string, unknown>;

const ROOT = '/solutions/backupRestore';
const DAY = 86_400_000;
const midnightOf = (t: number): number => t - (t % DAY);

interface ClockView {
  now: string;
  start: string;
  mode: string;
}

describe('defaultSeed(clockStart)', () => {
  it('keeps session, unit and artifact ids for every start; restore point ids hold their protection day', () => {
    const fixed = defaultSeed();
    const later = defaultSeed('2026-12-06T08:00:00Z');
    expect(fixed.clockStart).toBe(DEFAULT_CLOCK_START_ISO);
    expect(later.clockStart).toBe('2026-12-06T08:00:00.000Z');
    expect(later.sessions.map((s) => s.id)).toEqual(fixed.sessions.map((s) => s.id));
    expect(later.protectionUnits.map((u) => u.id)).toEqual(fixed.protectionUnits.map((u) => u.id));
    expect(later.sessions.flatMap((s) => s.artifacts ?? []).map((a) => a.id)).toEqual(
      fixed.sessions.flatMap((s) => s.artifacts ?? []).map((a) => a.id),
    );
    const newest = later.restorePoints.find((p) => p.protectionUnitId === seedUnitId(0))!;
    expect(newest).toMatchObject({
      id: `${seedUnitId(0)}_${Date.parse('2026-12-06T00:00:00Z') / 1000}_14_1`,
      protectionDateTime: '2026-12-06T00:00:00.000Z',
      expirationDateTime: '2027-12-06T00:00:00.000Z',
    });
    expect(newest.id).toBe(seedRestorePointId(0, 0, later.clockStart));
    expect(seedRestorePointId(0, 0)).toBe(`${seedUnitId(0)}_1748822400_14_1`);
    // Every artifact of the seed points at a restore point of the same seed.
    const ids = new Set(later.restorePoints.map((p) => p.id));
    for (const a of later.sessions.flatMap((s) => s.artifacts ?? [])) expect(ids.has(a.restorePointId), a.restorePointId).toBe(true);
  });

  it('takes an ISO string, epoch milliseconds or a Date, and the same UTC day gives the same restore point ids', () => {
    const t = Date.parse('2026-12-06T08:00:00Z');
    expect(defaultSeed(t).clockStart).toBe(defaultSeed(new Date(t)).clockStart);
    expect(seedRestorePointId(5, 3, t)).toBe(seedRestorePointId(5, 3, '2026-12-06T23:59:59Z'));
    expect(seedRestorePointId(5, 3, t)).not.toBe(seedRestorePointId(5, 3, '2026-12-07T00:00:00Z'));
    expect(() => defaultSeed('yesterday')).toThrow(RangeError);
  });
});

describe('a realtime emulator', () => {
  let t: TestEmulator;
  let startedAfter: number;
  let startedBefore: number;
  beforeAll(async () => {
    startedAfter = Date.now();
    t = await startTestEmulator({ clock: 'realtime' });
    startedBefore = Date.now();
  });
  afterAll(async () => {
    await t.close();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('dates its seed at the moment it starts, and none of its restore points has expired', async () => {
    const start = Date.parse(t.emu.seed.clockStart);
    expect(start).toBeGreaterThanOrEqual(startedAfter);
    expect(start).toBeLessThanOrEqual(startedBefore);
    expect(t.emu.clock.start()).toBe(start);
    const clock = await t.call<ClockView>('GET', '/_emulator/clock');
    expect(clock.body).toMatchObject({ mode: 'realtime', start: t.emu.seed.clockStart });
    expect(Math.abs(Date.parse(clock.body.now) - Date.now())).toBeLessThan(5_000);

    const points = t.emu.seed.restorePoints;
    expect(points).toHaveLength((SEED_SITE_COUNT + SEED_MAILBOX_COUNT + SEED_DRIVE_COUNT) * RESTORE_POINTS_PER_SITE);
    for (const p of points) expect(Date.parse(p.expirationDateTime)).toBeGreaterThan(Date.now() + 300 * DAY);
    const newest = await t.graph<Json>('GET', `${ROOT}/restorePoints/${seedRestorePointId(3, 0, start)}`);
    expect(newest.status).toBe(200);
    expect(newest.body.protectionDateTime).toBe(new Date(midnightOf(start)).toISOString());
    const oldest = seedRestorePointId(3, RESTORE_POINTS_PER_SITE - 1, start);
    expect((await t.graph('GET', `${ROOT}/restorePoints/${oldest}`)).status).toBe(200);
    // The fixed instant's ids do not exist on it (unless it runs on that very day).
    if (midnightOf(start) !== midnightOf(Date.parse(DEFAULT_CLOCK_START_ISO))) {
      expect((await t.graph('GET', `${ROOT}/restorePoints/${seedRestorePointId(3, 0)}`)).status).toBe(404);
    }
  });

  it('restores from its oldest seeded restore point, and its seeded sessions are where the seed says, relative to now', async () => {
    const start = Date.parse(t.emu.seed.clockStart);
    const active = await t.graph<Json>('GET', `${ROOT}/restoreSessions/${SEED_SESSION_IDS.active}`);
    expect(active.body.status).toBe('active');
    const completed = await t.graph<Json>('GET', `${ROOT}/restoreSessions/${SEED_SESSION_IDS.completed}`);
    expect(completed.body.status).toBe('completed');
    expect(Date.parse(String(completed.body.completedDateTime))).toBeLessThan(start);
    expect(Date.parse(String(completed.body.completedDateTime))).toBeGreaterThan(start - 4 * DAY);

    const created = await t.graph<Json>('POST', `${ROOT}/sharePointRestoreSessions`, {
      body: {
        siteRestoreArtifacts: [
          { restorePoint: { id: seedRestorePointId(40, RESTORE_POINTS_PER_SITE - 1, start) }, destinationType: 'new' },
        ],
      },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect((await t.graph('POST', `${ROOT}/restoreSessions/${String(created.body.id)}/activate`)).status).toBe(200);
    await t.advance(60_000);
    const done = await t.graph<Json>('GET', `${ROOT}/restoreSessions/${String(created.body.id)}`);
    expect(done.body.status).toBe('completed');
  });

  it('dates the default seed anew on reset, as a restart would: its clock reads the wall clock again', async () => {
    await t.advance(3 * DAY);
    const tomorrow = Date.now() + DAY;
    vi.useFakeTimers({ toFake: ['Date'], now: tomorrow });
    t.emu.reset();
    expect(t.emu.seed.clockStart).toBe(new Date(tomorrow).toISOString());
    expect(t.emu.clock.now()).toBe(tomorrow);
    const ids = new Set(t.emu.context.state.fixture.restorePoints.map((p) => p.id));
    expect(ids.has(seedRestorePointId(0, 0, tomorrow))).toBe(true);
    expect(ids.has(seedRestorePointId(0, RESTORE_POINTS_PER_SITE - 1, tomorrow - DAY))).toBe(false);
    vi.useRealTimers();
    t.emu.reset();
    expect(Math.abs(t.emu.clock.now() - Date.now())).toBeLessThan(5_000);
  });

  it("takes a posted seed's clockStart, and resets return to that seed and that start", async () => {
    const res = await t.call('POST', '/_emulator/seed', { body: defaultSeed() });
    expect(res.status).toBe(200);
    expect(t.emu.clock.start()).toBe(Date.parse(DEFAULT_CLOCK_START_ISO));
    expect(t.emu.clock.now() - Date.parse(DEFAULT_CLOCK_START_ISO)).toBeLessThan(5_000);
    await t.advance(DAY);
    const reset = await t.call<{ clock: string }>('POST', '/_emulator/reset');
    expect(Date.parse(reset.body.clock) - Date.parse(DEFAULT_CLOCK_START_ISO)).toBeLessThan(5_000);
    expect(t.emu.seed.clockStart).toBe(DEFAULT_CLOCK_START_ISO);
    expect((await t.graph('GET', `${ROOT}/restorePoints/${seedRestorePointId(3, 0)}`)).status).toBe(200);
  });
});

describe('a manual emulator', () => {
  let t: TestEmulator;
  beforeAll(async () => {
    t = await startTestEmulator();
  });
  afterAll(async () => {
    await t.close();
  });

  it('keeps the fixed instant, and a posted seed moves its clock to that seed', async () => {
    expect(t.emu.seed.clockStart).toBe(DEFAULT_CLOCK_START_ISO);
    expect(t.emu.clock.now()).toBe(Date.parse(DEFAULT_CLOCK_START_ISO));
    const at = '2026-12-06T08:00:00.000Z';
    expect((await t.call('POST', '/_emulator/seed', { body: defaultSeed(at) })).status).toBe(200);
    expect((await t.call<ClockView>('GET', '/_emulator/clock')).body).toMatchObject({ now: at, start: at, mode: 'manual' });
    expect((await t.graph('GET', `${ROOT}/restorePoints/${seedRestorePointId(3, 0, at)}`)).status).toBe(200);
  });
});

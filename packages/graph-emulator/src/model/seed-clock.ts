/** The instants the default seed is dated around, shared by the SharePoint, Exchange and OneDrive parts of the seed. */

export const DAY = 86_400_000;

/**
 * The fixed instant of the manual-clock seed, so tests and golden files see the same ids and dates on every run.
 * A realtime emulator dates its seed at the moment it starts instead.
 */
export const DEFAULT_CLOCK_START_ISO = '2025-06-02T09:00:00.000Z';
/** Daily restore points per protected site, drive and mailbox, the newest 7 tagged `fastRestore`. */
export const RESTORE_POINTS_PER_SITE = 14;

/** An instant: an ISO date-time string, epoch milliseconds or a `Date`. */
export type SeedClockStart = string | number | Date;

export function isoInstant(value: SeedClockStart): string {
  const t = value instanceof Date ? value.getTime() : typeof value === 'number' ? value : Date.parse(value);
  if (!Number.isFinite(t)) throw new RangeError(`not a date-time: '${String(value)}'`);
  return new Date(t).toISOString();
}

/** Restore points are taken at midnight UTC: day 0 is the start's own day. */
export function restorePointTime(day: number, clockStart: string): number {
  const start = Date.parse(clockStart);
  const midnight = start - (start % DAY);
  return midnight - day * DAY;
}

/** Like Graph's, a restore point id holds the time the point was taken: `{unitId}_{epochSeconds}_14_1`. */
export function restorePointIdOf(unitId: string, day: number, clockStart: SeedClockStart): string {
  const t = restorePointTime(day, isoInstant(clockStart));
  return `${unitId}_${Math.floor(t / 1000)}_14_1`;
}

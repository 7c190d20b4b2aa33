/**
 * The emulator's virtual clock. It drives the restore lifecycle only: tokens and Retry-After stay on real time.
 *
 * - `manual`: time moves only through `advance()` (tests never sleep and never race the wall clock).
 * - `realtime`: time flows with the wall clock from `start`, plus whatever `advance()` added.
 */
export type ClockMode = 'manual' | 'realtime';

export interface Clock {
  readonly mode: ClockMode;
  /** Virtual epoch milliseconds. */
  now(): number;
  /** Moves virtual time forward by `ms` (>= 0). */
  advance(ms: number): void;
  /** Back to the start instant (used by reset). */
  reset(): void;
}

/** The instant the seed data is built around: fixed, so ids and dates are the same on every start. */
export const DEFAULT_CLOCK_START = Date.parse('2025-06-02T09:00:00.000Z');

export function createClock(mode: ClockMode, start: number = DEFAULT_CLOCK_START): Clock {
  let offset = 0;
  let realStart = Date.now();
  return {
    mode,
    now: () => start + offset + (mode === 'realtime' ? Date.now() - realStart : 0),
    advance(ms: number) {
      if (!Number.isFinite(ms) || ms < 0) throw new RangeError('advance() takes a non-negative number of milliseconds');
      offset += ms;
    },
    reset() {
      offset = 0;
      realStart = Date.now();
    },
  };
}

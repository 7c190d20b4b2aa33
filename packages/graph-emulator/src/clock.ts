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
  /** The instant the clock started from (or last restarted from): the seed is dated around it. */
  start(): number;
  /** Moves virtual time forward by `ms` (>= 0). */
  advance(ms: number): void;
  /** Back to the start instant, or to a new one (a reset that dates the seed anew, a seed of its own). */
  reset(start?: number): void;
}

/** `start` is the seed's `clockStart`: the seed decides the instant, so the clock and the data never disagree. */
export function createClock(mode: ClockMode, start: number): Clock {
  let origin = start;
  let offset = 0;
  let realStart = Date.now();
  return {
    mode,
    now: () => origin + offset + (mode === 'realtime' ? Date.now() - realStart : 0),
    start: () => origin,
    advance(ms: number) {
      if (!Number.isFinite(ms) || ms < 0) throw new RangeError('advance() takes a non-negative number of milliseconds');
      offset += ms;
    },
    reset(next = origin) {
      if (!Number.isFinite(next)) throw new RangeError('reset() takes an instant in epoch milliseconds');
      origin = next;
      offset = 0;
      realStart = Date.now();
    },
  };
}

/**
 * A counting semaphore shared fairly: at most `max` tasks at once, and a finished task hands its slot straight to a
 * waiting one. Waiting tasks queue by share (a caller), and a freed slot goes to the waiting share that holds the
 * fewest slots (ties in turn order), so while others wait no share keeps more than its part of the slots: one large
 * dashboard may fill every slot while it is alone, and gives them back, one answer at a time, as soon as another
 * caller asks. Running tasks are never preempted, so a newcomer waits at most until the next slot frees (with every
 * slot busy, that is a fraction of one Graph round trip). Within a share the order is kept.
 *
 * The gateway keeps one for all of its Graph clients (what Graph sees from this instance), where each caller's client
 * waits in its own share; a `$batch` scheduler may keep one of its own as a per-caller cap.
 */

export interface ConcurrencyLimiter {
  /** Runs `task` in a slot; while none is free it waits in `share`'s queue (default: one common share). */
  run<T>(task: () => Promise<T>, share?: string): Promise<T>;
  /** Tasks running now. */
  readonly active: number;
  /** Tasks waiting for a slot. */
  readonly waiting: number;
  readonly max: number;
  /** Tasks `share` runs now. */
  activeOf(share?: string): number;
}

const COMMON = '';

export function createConcurrencyLimiter(max: number): ConcurrencyLimiter {
  const limit = Math.max(1, Math.floor(max));
  let active = 0;
  let waiting = 0;
  /** Shares with waiting tasks, in turn order (a Map keeps insertion order; a share served goes to the back). */
  const queues = new Map<string, Array<() => void>>();
  /** Slots each share holds; a share holding none has no entry. */
  const held = new Map<string, number>();

  const take = (share: string): void => {
    active++;
    held.set(share, (held.get(share) ?? 0) + 1);
  };
  const give = (share: string): void => {
    active--;
    const n = (held.get(share) ?? 1) - 1;
    if (n === 0) held.delete(share);
    else held.set(share, n);
  };
  /** The waiting share holding the fewest slots; the first in turn order among equals. */
  const nextShare = (): string | undefined => {
    let best: string | undefined;
    let fewest = Infinity;
    for (const share of queues.keys()) {
      const n = held.get(share) ?? 0;
      if (n < fewest) [best, fewest] = [share, n];
      if (n === 0) break;
    }
    return best;
  };
  const handOver = (): void => {
    const share = nextShare();
    if (share === undefined) return;
    const queue = queues.get(share)!;
    const wake = queue.shift()!;
    queues.delete(share);
    if (queue.length > 0) queues.set(share, queue);
    waiting--;
    take(share);
    wake();
  };

  return {
    async run<T>(task: () => Promise<T>, share = COMMON): Promise<T> {
      if (active < limit) take(share);
      else {
        await new Promise<void>((resolve) => {
          const queue = queues.get(share);
          if (queue) queue.push(resolve);
          else queues.set(share, [resolve]);
          waiting++;
        });
      }
      try {
        return await task();
      } finally {
        give(share);
        handOver();
      }
    },
    get active() {
      return active;
    },
    get waiting() {
      return waiting;
    },
    max: limit,
    activeOf: (share = COMMON) => held.get(share) ?? 0,
  };
}

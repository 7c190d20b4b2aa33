/**
 * A counting semaphore: at most `max` tasks at once; a finished task hands its slot straight to a waiting one. Waiting
 * tasks queue by share (a caller) and the shares take turns, so a caller with a thousand calls queued holds up another
 * caller's one call by one slot's turn, not by its whole queue; within a share the order is kept. The `$batch`
 * scheduler keeps one per client (one caller's share, a single queue) and the gateway one for all clients together
 * (what Graph sees from this instance), where each caller's client waits in its own share.
 */

export interface ConcurrencyLimiter {
  /** Runs `task` in a slot; while none is free it waits in `share`'s queue (default: one common share). */
  run<T>(task: () => Promise<T>, share?: string): Promise<T>;
  /** Tasks running now. */
  readonly active: number;
  /** Tasks waiting for a slot. */
  readonly waiting: number;
  readonly max: number;
}

const COMMON = '';

export function createConcurrencyLimiter(max: number): ConcurrencyLimiter {
  const limit = Math.max(1, Math.floor(max));
  let active = 0;
  let waiting = 0;
  /** Shares with waiting tasks, in turn order (a Map keeps insertion order; a share served goes to the back). */
  const queues = new Map<string, Array<() => void>>();

  const handOver = (): void => {
    const next = queues.entries().next();
    if (next.done) {
      active--;
      return;
    }
    const [share, queue] = next.value;
    const wake = queue.shift()!;
    queues.delete(share);
    if (queue.length > 0) queues.set(share, queue);
    waiting--;
    wake();
  };

  return {
    async run<T>(task: () => Promise<T>, share = COMMON): Promise<T> {
      if (active < limit) active++;
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
  };
}

/**
 * Collects the calls asked for in one turn of the event loop and hands them over together. DataLoaders of one nesting
 * level dispatch over several microtask turns, so the hand-over waits for the next macrotask (`setImmediate`), not a
 * microtask: all of them then share the envelopes. Calls with the same key (identical GETs) are sent once: the later
 * one's waiters join the first.
 */

export interface Coalescable {
  /** Calls with the same key are one call; undefined: never merged (writes). */
  key: string | undefined;
  waiters: unknown[];
}

export interface Coalescer<C> {
  add(call: C): void;
}

export interface CoalescerOptions<C> {
  /** Receives the calls of one turn, in the order they were added. */
  flush(calls: C[]): void;
  /** Runs the flush after this turn; `setImmediate` unless a test's clock says otherwise. */
  defer?: (run: () => void) => void;
}

export function createCoalescer<C extends Coalescable>({ flush, defer = (run) => setImmediate(run) }: CoalescerOptions<C>): Coalescer<C> {
  let queue: C[] = [];
  const byKey = new Map<string, C>();
  let scheduled = false;

  const handOver = (): void => {
    scheduled = false;
    const calls = queue;
    queue = [];
    byKey.clear();
    flush(calls);
  };

  return {
    add(call) {
      if (call.key !== undefined) {
        const twin = byKey.get(call.key);
        if (twin) {
          twin.waiters.push(...call.waiters);
          return;
        }
        byKey.set(call.key, call);
      }
      queue.push(call);
      if (!scheduled) {
        scheduled = true;
        defer(handOver);
      }
    },
  };
}

/**
 * At most `perKey` subscription starts in progress at once for one caller (on this instance); the rest wait their turn
 * in order. A start is the expensive part of a subscription: token validation, the on-behalf-of token, the access check
 * and the baseline read. Without a gate one caller opening hundreds at once (a reconnect storm, or churn) spends its
 * whole quota in a second and holds the event loop and the Graph slots meanwhile; with it, its starts go a few at a
 * time while everybody else's run between them.
 */

export interface StartGate {
  /** Waits for a turn of `key`; call the answer once the start is over (idempotent). */
  enter(key: string): Promise<() => void>;
  /** Starts in progress and waiting, for `key`. */
  count(key: string): { active: number; waiting: number };
}

interface Gate {
  active: number;
  queue: Array<() => void>;
}

export function createStartGate(perKey: number): StartGate {
  const limit = Math.max(1, Math.floor(perKey));
  const gates = new Map<string, Gate>();
  return {
    async enter(key) {
      let gate = gates.get(key);
      if (!gate) {
        gate = { active: 0, queue: [] };
        gates.set(key, gate);
      }
      const mine = gate;
      if (mine.active < limit) mine.active++;
      else await new Promise<void>((resolve) => mine.queue.push(resolve));
      let left = false;
      return () => {
        if (left) return;
        left = true;
        const next = mine.queue.shift();
        if (next) next();
        else if (--mine.active === 0) gates.delete(key);
      };
    },
    count(key) {
      const gate = gates.get(key);
      return { active: gate?.active ?? 0, waiting: gate?.queue.length ?? 0 };
    },
  };
}

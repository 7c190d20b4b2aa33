import type { ArtifactPlan } from './types.js';

/**
 * Graph restores at most 1,000 sites, 1,000 OneDrives and 1,000 mailboxes in parallel (restoresessionbase-activate);
 * it documents no error for more, so the rest wait their turn. One queue per family holds that limit.
 *
 * An artifact holds one of the family's slots from its activation (or, once it has waited, from the moment a slot
 * freed) until its restore ends. One that finds every slot held waits in `scheduling`/`scheduled` with no start date,
 * and starts when the earliest slot frees (or at its own planned start, if that is later), then takes its planned
 * duration. Slots go to waiting artifacts in activation order.
 *
 * The queue is settled once, at activation: slots free only at restore ends, which are known from the plans, and a
 * later activation never overtakes an earlier one, so the admission of every artifact can be decided when it
 * arrives. Reads stay a pure function of each plan and the clock, and an activation costs O(log limit) per artifact.
 */
export interface RestoreQueue {
  /** `plan` as it runs once it gets a slot; arrivals come in activation order. */
  admit(activatedAt: number, plan: ArtifactPlan): ArtifactPlan;
}

/** Graph's number, for each family. */
export const GRAPH_MAX_QUEUED_RESTORES = 1_000;

export function createRestoreQueue(limit: number): RestoreQueue {
  // When each held slot frees (a min-heap): at most `limit` of them; a slot not yet in it was never held.
  const frees = createMinHeap();
  return {
    admit(activatedAt, plan) {
      const admittedAt = frees.size < limit ? activatedAt : Math.max(activatedAt, frees.pop());
      const startAt = Math.max(plan.startAt, admittedAt);
      const admitted = startAt === plan.startAt ? plan : { ...plan, startAt, endAt: startAt + (plan.endAt - plan.startAt) };
      frees.push(admitted.endAt);
      return admitted;
    },
  };
}

interface MinHeap {
  readonly size: number;
  push(value: number): void;
  /** The smallest value, removed; only called when not empty. */
  pop(): number;
}

function createMinHeap(): MinHeap {
  const a: number[] = [];
  const swap = (i: number, j: number): void => {
    const t = a[i]!;
    a[i] = a[j]!;
    a[j] = t;
  };
  return {
    get size() {
      return a.length;
    },
    push(value) {
      a.push(value);
      for (let i = a.length - 1; i > 0;) {
        const parent = (i - 1) >> 1;
        if (a[parent]! <= a[i]!) break;
        swap(i, parent);
        i = parent;
      }
    },
    pop() {
      const top = a[0]!;
      const last = a.pop()!;
      if (a.length === 0) return top;
      a[0] = last;
      for (let i = 0; ;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && a[l]! < a[m]!) m = l;
        if (r < a.length && a[r]! < a[m]!) m = r;
        if (m === i) break;
        swap(i, m);
        i = m;
      }
      return top;
    },
  };
}

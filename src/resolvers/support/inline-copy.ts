/**
 * Copies Graph inlines in another resource: an artifact list's restore point (its id and dates only) and a restore
 * point's expanded protection unit (whose fields Graph's examples show only in part). A copy answers every field it
 * carries; a field it lacks may exist on the resource itself, so it is read from there (one loader call, shared with
 * every other field that needs it). An object read as itself is complete: a field it lacks is one Graph left out, and
 * asking again would only cost a call.
 */

const copies = new WeakSet<object>();

/** Marks `value` as an inline copy and returns it. */
export function inlineCopy<T extends object>(value: T): T {
  copies.add(value);
  return value;
}

/**
 * `key` of `value` through `map`; read from `loadFull()` when `value` is an inline copy that lacks it. Synchronous when
 * the value is in hand (most fields of a large list), so answering it costs no promise.
 */
export function fieldOf<T extends object, K extends keyof T, R>(
  value: T,
  key: K,
  loadFull: () => Promise<T | null>,
  map: (field: T[K] | undefined) => R,
): R | Promise<Awaited<R>> {
  if (value[key] !== undefined || !copies.has(value)) return map(value[key]);
  return loadFull().then(async (full): Promise<Awaited<R>> => await map(full?.[key]));
}

import { LRUCache } from 'lru-cache';

/**
 * The bounded store behind the per-caller cache of what cannot change (`caching-client.ts`): one LRU for the whole
 * instance, bounded in bytes, split into partitions that never see each other's entries (in OBO mode one per user; the
 * app's view is one more). Every entry carries the wall-clock instant it stops being true and is never answered after
 * it. Entries that describe a restore session are indexed by that session, so one write drops them in every partition
 * at once: a write reveals nothing to anyone, while another caller seeing a session this instance has just deleted
 * would be a lie.
 */

/** What an entry holds; named in the hit and miss metrics. */
export type CacheKind = 'session' | 'artifact_page' | 'artifact' | 'restore_point' | 'unit_copy' | 'protection_unit';

export interface GraphCacheOptions {
  /** Bytes of entries held at most (estimated from their JSON size), all partitions together. */
  maxBytes: number;
  /** The wall clock entries expire on (Date.now). */
  now?: () => number;
  /** Told of every lookup (metrics). */
  onLookup?: ((kind: CacheKind, hit: boolean) => void) | undefined;
}

export interface GraphCache {
  /** One caller's view. */
  partition(key: string): CachePartition;
  /**
   * A write to this session is about to be made, or was made: its entries go, in every partition, and a read that was
   * already under way when this was called does not store what it read.
   */
  invalidateSession(sessionId: string): void;
  readonly stats: { entries: number; bytes: number };
  readonly now: () => number;
  clear(): void;
}

export interface CachePartition {
  get<T>(kind: CacheKind, key: string): T | undefined;
  /** The moment a read begins: pass it to {@link set} so a write made meanwhile wins. */
  mark(): number;
  /**
   * Holds `value` until `expiresAt` (wall-clock ms); nothing is stored when that has passed, or when `sessionId` was
   * written since `readSince`.
   */
  set(kind: CacheKind, key: string, value: unknown, expiresAt: number, scope?: { sessionId: string; readSince: number }): void;
  /** When the entry stops being true, if there is one. */
  expiresAt(kind: CacheKind, key: string): number | undefined;
}

interface Entry {
  value: unknown;
  expiresAt: number;
  size: number;
  sessionId: string | undefined;
}

/** Sessions whose last write is remembered (for reads under way); the oldest half goes past this. */
const MAX_REMEMBERED_WRITES = 10_000;
/** Per-entry overhead beyond the JSON text: key, entry object, LRU bookkeeping. */
const ENTRY_OVERHEAD = 200;

export function createGraphCache({ maxBytes, now = Date.now, onLookup }: GraphCacheOptions): GraphCache {
  const bySession = new Map<string, Set<string>>();
  const entries = new LRUCache<string, Entry>({
    maxSize: Math.max(1, Math.floor(maxBytes)),
    sizeCalculation: (entry) => entry.size,
    dispose: (entry, key) => unindex(entry.sessionId, key),
  });
  let writeSeq = 0;
  const lastWrite = new Map<string, number>();

  function unindex(sessionId: string | undefined, key: string): void {
    if (sessionId === undefined) return;
    const keys = bySession.get(sessionId);
    keys?.delete(key);
    if (keys?.size === 0) bySession.delete(sessionId);
  }

  function rememberWrite(sessionId: string): void {
    lastWrite.delete(sessionId);
    lastWrite.set(sessionId, ++writeSeq);
    if (lastWrite.size <= MAX_REMEMBERED_WRITES) return;
    let drop = lastWrite.size / 2;
    for (const id of lastWrite.keys()) {
      if (drop-- <= 0) break;
      lastWrite.delete(id);
    }
  }

  const live = (key: string): Entry | undefined => {
    const entry = entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt > now()) return entry;
    entries.delete(key);
    return undefined;
  };

  function partition(name: string): CachePartition {
    const keyOf = (kind: CacheKind, key: string): string => `${name}\u0000${kind}\u0000${key}`;
    return {
      get<T>(kind: CacheKind, key: string): T | undefined {
        const entry = live(keyOf(kind, key));
        onLookup?.(kind, entry !== undefined);
        return entry?.value as T | undefined;
      },
      mark: () => writeSeq,
      set(kind, key, value, expiresAt, scope) {
        if (!(expiresAt > now())) return;
        if (scope && (lastWrite.get(scope.sessionId) ?? 0) > scope.readSince) return;
        const full = keyOf(kind, key);
        const size = JSON.stringify(value).length * 2 + full.length * 2 + ENTRY_OVERHEAD;
        entries.set(full, { value, expiresAt, size, sessionId: scope?.sessionId });
        if (scope && entries.has(full)) {
          const keys = bySession.get(scope.sessionId) ?? new Set<string>();
          keys.add(full);
          bySession.set(scope.sessionId, keys);
        }
      },
      expiresAt: (kind, key) => live(keyOf(kind, key))?.expiresAt,
    };
  }

  return {
    partition,
    invalidateSession(sessionId) {
      rememberWrite(sessionId);
      for (const key of [...(bySession.get(sessionId) ?? [])]) entries.delete(key);
      bySession.delete(sessionId);
    },
    get stats() {
      return { entries: entries.size, bytes: entries.calculatedSize };
    },
    now,
    clear() {
      entries.clear();
      bySession.clear();
    },
  };
}

import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { describe } from 'vitest';
import { seedRestorePointId } from '@restore-session-gateway/graph-emulator';
import { graphCalls, type TestEmulator } from '@restore-session-gateway/graph-emulator/testing';

/**
 * Helpers for the live-status suites. Tests that need Redis read REDIS_URL: unset, they are skipped
 * (a laptop without Redis); set, they run, and fail when that Redis cannot be reached, so CI (which
 * sets it) can never pass by skipping them.
 */

export const REDIS_URL = process.env.REDIS_URL?.trim() || undefined;

/** `describe` when REDIS_URL is set, `describe.skip` otherwise. */
export const describeRedis = REDIS_URL ? describe : describe.skip;

/** A key prefix no other test file (or run) shares. */
export function uniquePrefix(): string {
  return `test:${randomUUID()}:`;
}

/** A plain connection to the test Redis; throws (failing the suite) when REDIS_URL is set but unreachable. */
export async function connectTestRedis(): Promise<Redis> {
  if (!REDIS_URL) throw new Error('REDIS_URL is not set');
  const redis = new Redis(REDIS_URL, { lazyConnect: true, connectTimeout: 3_000, maxRetriesPerRequest: 1, retryStrategy: () => null });
  try {
    await redis.connect();
    await redis.ping();
  } catch (err) {
    redis.disconnect();
    throw new Error(`REDIS_URL is set (${REDIS_URL}) but Redis cannot be reached: ${err instanceof Error ? err.message : String(err)}`);
  }
  return redis;
}

/** Deletes every key under `prefix`. */
export async function deletePrefix(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    cursor = next;
    if (keys.length > 0) await redis.del(...keys);
  } while (cursor !== '0');
}

/** Polls `predicate` until it holds or `timeoutMs` passes (real-time waits are for the gateway's own timers, never for a restore). */
export async function waitFor(predicate: () => boolean, timeoutMs = 5_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Collects what an async iterator yields, and whether (and how) it ended. */
export interface Collector<T> {
  values: T[];
  done: boolean;
  error: unknown;
  /** Waits until at least `n` values arrived. */
  next(n: number, timeoutMs?: number): Promise<T[]>;
  ended(timeoutMs?: number): Promise<void>;
}

export function collect<T>(iterator: AsyncIterableIterator<T>): Collector<T> {
  const c: Collector<T> = {
    values: [],
    done: false,
    error: undefined,
    async next(n, timeoutMs = 5_000) {
      await waitFor(() => c.values.length >= n || c.done, timeoutMs, `${n} values (have ${c.values.length})`);
      if (c.values.length < n) throw new Error(`ended after ${c.values.length} values, expected ${n}`);
      return c.values;
    },
    async ended(timeoutMs = 5_000) {
      await waitFor(() => c.done, timeoutMs, 'the end of the stream');
    },
  };
  void (async () => {
    try {
      for await (const v of iterator) c.values.push(v);
    } catch (err) {
      c.error = err;
    } finally {
      c.done = true;
    }
  })();
  return c;
}

export const SESSIONS_PATH = 'solutions/backupRestore/restoreSessions';

/** The restores the lifecycle tests run: which seeded sites, and how each one ends (see the emulator's seed). */
export const RESTORES = {
  completed: [0, 1, 2],
  /** Site 6 is under legal hold: restoring it in place fails (ArtifactCannotBeRestored). */
  completedWithError: [0, 6, 2],
  /** Site 6 in place, and site 71, which was removed (ArtifactNotFound). */
  failed: [6, 71],
} as const;

/** Creates a draft SharePoint session restoring `sites` in place from their newest restore point, through Graph REST. */
export async function createDraft(t: TestEmulator, sites: readonly number[]): Promise<string> {
  const res = await t.graph<{ id: string }>('POST', '/solutions/backupRestore/sharePointRestoreSessions', {
    body: { siteRestoreArtifacts: sites.map((s) => ({ restorePoint: { id: seedRestorePointId(s, 0) }, destinationType: 'inPlace' })) },
  });
  if (res.status !== 201) throw new Error(`create failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id;
}

export async function activate(t: TestEmulator, id: string): Promise<void> {
  const res = await t.graph('POST', `/solutions/backupRestore/restoreSessions/${id}/activate`);
  if (res.status !== 200) throw new Error(`activate failed: ${res.status} ${JSON.stringify(res.body)}`);
}

/** GETs of one session in the emulator's journal (lone or inside a `$batch`). */
export function sessionPolls(t: TestEmulator, id: string, since = 0): number {
  return graphCalls(t.emu.journal.list(since)).filter(
    (e) => e.method === 'GET' && e.path.toLowerCase() === `${SESSIONS_PATH}/${id}`.toLowerCase(),
  ).length;
}

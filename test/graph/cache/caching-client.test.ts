import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SEED_SESSION_IDS, seedRestorePointId, seedUnitId } from '@restore-session-gateway/graph-emulator';
import { withGraphCache, type CacheLifetimes } from '../../../src/graph/cache/caching-client.js';
import { createGraphCache, type CacheKind, type GraphCache } from '../../../src/graph/cache/store.js';
import type { GraphClient } from '../../../src/graph/client.js';
import { createOperationScope } from '../../../src/resilience/operation.js';
import { startGraphFixture, type GraphFixture } from '../support.js';

// The cache in front of a real Graph client against the emulator, on a wall clock the test sets: what is kept, for how
// long, for whom, and what a write drops. Calls are counted on the emulator's journal.

const LIFETIMES: CacheLifetimes = { unitTtlMs: 60_000, terminalTtlMs: 300_000 };
/** The emulator's (manual) clock start: the seeded restore points were taken the day before and expire a year later. */
const SEED_NOW = Date.parse('2025-06-02T09:00:00.000Z');

let f: GraphFixture;
let wallClock = SEED_NOW;
let lookups: Array<[CacheKind, boolean]> = [];
let cache: GraphCache;
const cachedClient = (partition = 'user:t:alice'): GraphClient => withGraphCache(f.client, cache, partition, LIFETIMES);
const calls = (segment: string): number =>
  f.graphEntries().filter((e) => (e.kind === 'request' || e.kind === 'batchItem') && e.path.split('/')[2] === segment).length;

beforeAll(async () => {
  f = await startGraphFixture();
});
afterAll(async () => {
  await f.close();
});
beforeEach(() => {
  f.t.emu.reset();
  f.resetEmulatorSide();
  wallClock = SEED_NOW;
  lookups = [];
  cache = createGraphCache({ maxBytes: 1024 * 1024, now: () => wallClock, onLookup: (kind, hit) => lookups.push([kind, hit]) });
});

describe('restore points', () => {
  const id = seedRestorePointId(3, 0);

  it('are kept until they expire, and read again once they have', async () => {
    const graph = cachedClient();
    const first = await graph.getRestorePoint(id, { expandUnit: true });
    expect(await graph.getRestorePoint(id, { expandUnit: true })).toEqual(first);
    expect(calls('restorePoints')).toBe(1);
    expect(lookups.filter(([kind]) => kind === 'restore_point')).toEqual([
      ['restore_point', false],
      ['restore_point', true],
    ]);

    // One millisecond before it expires it is still answered; at its expiration it is not.
    const expiresAt = Date.parse(first.expirationDateTime!);
    wallClock = expiresAt - 1;
    // (its unit copy is older than the unit lifetime by then, so that read refreshes the copy)
    await graph.getRestorePoint(id);
    expect(calls('restorePoints')).toBe(1);
    wallClock = expiresAt;
    await graph.getRestorePoint(id);
    expect(calls('restorePoints')).toBe(2);
  });

  it('that have expired already are never kept', async () => {
    wallClock = Date.parse('2030-01-01T00:00:00Z');
    const graph = cachedClient();
    await graph.getRestorePoint(id, { expandUnit: true });
    await graph.getRestorePoint(id, { expandUnit: true });
    expect(calls('restorePoints')).toBe(2);
    expect(cache.stats.entries).toBe(0);
  });

  it('keep their copy of the unit only for the unit lifetime, then read the restore point with its unit again', async () => {
    const graph = cachedClient();
    const first = await graph.getRestorePoint(id, { expandUnit: true });
    expect(first.protectionUnit).toMatchObject({ id: seedUnitId(3) });
    wallClock += LIFETIMES.unitTtlMs - 1;
    expect((await graph.getRestorePoint(id, { expandUnit: true })).protectionUnit).toEqual(first.protectionUnit);
    expect(calls('restorePoints')).toBe(1);
    wallClock += 1;
    expect((await graph.getRestorePoint(id, { expandUnit: true })).protectionUnit).toEqual(first.protectionUnit);
    expect(calls('restorePoints')).toBe(2);
  });
});

describe('protection units', () => {
  it('are kept for the unit lifetime', async () => {
    const graph = cachedClient();
    await graph.getProtectionUnit(seedUnitId(2));
    await graph.getProtectionUnit(seedUnitId(2));
    expect(calls('protectionUnits')).toBe(1);
    wallClock += LIFETIMES.unitTtlMs;
    await graph.getProtectionUnit(seedUnitId(2));
    expect(calls('protectionUnits')).toBe(2);
  });
});

describe('sessions and their artifacts', () => {
  it('are kept once a session is known to be finished, for the terminal lifetime', async () => {
    const graph = cachedClient();
    // Known from a list: the finished sessions' artifacts are then settled, the running ones' are not.
    await graph.listSessions({ first: 50 });
    for (let i = 0; i < 2; i++) {
      await graph.listSiteArtifacts(SEED_SESSION_IDS.completed, { first: 10 });
      await graph.listSiteArtifacts(SEED_SESSION_IDS.active, { first: 10 });
      await graph.getSession(SEED_SESSION_IDS.failed);
      await graph.getSession(SEED_SESSION_IDS.active);
    }
    expect(calls('sharePointRestoreSessions')).toBe(3);
    expect(calls('restoreSessions')).toBe(1 + 2);

    wallClock += LIFETIMES.terminalTtlMs;
    await graph.listSiteArtifacts(SEED_SESSION_IDS.completed, { first: 10 });
    await graph.getSession(SEED_SESSION_IDS.failed);
    expect(calls('sharePointRestoreSessions')).toBe(4);
    expect(calls('restoreSessions')).toBe(4);
  });

  it('are never answered from another partition', async () => {
    const alice = cachedClient('user:t:alice');
    const bob = cachedClient('user:t:bob');
    await alice.getSession(SEED_SESSION_IDS.completed);
    await alice.getSession(SEED_SESSION_IDS.completed);
    expect(calls('restoreSessions')).toBe(1);
    await bob.getSession(SEED_SESSION_IDS.completed);
    expect(calls('restoreSessions')).toBe(2);
  });

  it('drop what they hold about a session on a write to it, in every partition, and do not keep a read that raced it', async () => {
    const alice = cachedClient('user:t:alice');
    const bob = cachedClient('user:t:bob');
    await alice.getSession(SEED_SESSION_IDS.completed);
    await bob.getSession(SEED_SESSION_IDS.completed);
    // Graph refuses to delete a finished session; the cache still forgets it, whatever the answer.
    await expect(alice.deleteSession(SEED_SESSION_IDS.completed)).rejects.toMatchObject({ status: 403 });
    await bob.getSession(SEED_SESSION_IDS.completed);
    await alice.getSession(SEED_SESSION_IDS.completed);
    expect(calls('restoreSessions')).toBe(2 + 1 + 2);

    // A read under way when a write starts does not store its (possibly older) answer.
    f.resetEmulatorSide();
    cache.clear();
    const reading = bob.getSession(SEED_SESSION_IDS.failed);
    cache.invalidateSession(SEED_SESSION_IDS.failed);
    await reading;
    await bob.getSession(SEED_SESSION_IDS.failed);
    expect(calls('restoreSessions')).toBe(2);
  });

  it('operation views share the caller partition', async () => {
    const graph = cachedClient();
    await graph.getSession(SEED_SESSION_IDS.completed);
    const scoped = graph.withOperation(createOperationScope({}));
    await scoped.getSession(SEED_SESSION_IDS.completed);
    expect(calls('restoreSessions')).toBe(1);
  });
});

describe('the store', () => {
  it('stays within its byte bound, dropping the least recently used first', () => {
    const small = createGraphCache({ maxBytes: 20_000, now: () => wallClock });
    const part = small.partition('p');
    for (let i = 0; i < 100; i++) part.set('protection_unit', `u${i}`, { id: `u${i}`, siteName: 'x'.repeat(400) }, wallClock + 1_000);
    expect(small.stats.bytes).toBeLessThanOrEqual(20_000);
    expect(small.stats.entries).toBeGreaterThan(5);
    expect(part.get('protection_unit', 'u0')).toBeUndefined();
    expect(part.get('protection_unit', 'u99')).toEqual({ id: 'u99', siteName: 'x'.repeat(400) });
  });
});

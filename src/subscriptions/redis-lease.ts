import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Lease, LeaseEvents, Leases } from './lease.js';
import { redisScript } from './redis-connection.js';

/**
 * One poller per watched session across all instances: a Redis key per session holding the
 * holder's random token, taken with `SET NX PX ttl`, renewed every third of the TTL by a
 * compare-and-expire script, and released by a compare-and-delete script, so an instance only ever
 * extends or deletes a lease it still holds. When a holder dies its leases lapse after at most one
 * TTL and a standby instance takes them (the watcher retries every third of the TTL, and at once
 * when a holder announces a release).
 *
 * A lease whose renewal did not succeed within its TTL is reported lost: its holder stops polling,
 * and the change feed refuses its writes anyway (they are fenced by the token).
 */

const RENEW = redisScript(`
if redis.call('get', KEYS[1]) == ARGV[1] then
  return redis.call('pexpire', KEYS[1], ARGV[2])
end
return 0`);

const RELEASE = redisScript(`
if redis.call('get', KEYS[1]) == ARGV[1] then
  return redis.call('del', KEYS[1])
end
return 0`);

export interface RedisLeaseOptions extends LeaseEvents {
  redis: Redis;
  /** REDIS_KEY_PREFIX. */
  prefix: string;
  /** LEASE_TTL_MS. Leases are renewed every third of it. */
  ttlMs: number;
}

/** The Redis key of a session's lease (also read by the change feed's fencing). */
export function leaseKey(prefix: string, key: string): string {
  return `${prefix}lease:${key}`;
}

interface RedisLease extends Lease {
  held: boolean;
  /** When the last renewal (or the acquisition) was confirmed. */
  confirmedAt: number;
}

export function createRedisLeases({ redis, prefix, ttlMs, onLost }: RedisLeaseOptions): Leases {
  const held = new Map<string, RedisLease>();
  let timer: NodeJS.Timeout | undefined;
  let closed = false;

  function drop(lease: RedisLease): void {
    lease.held = false;
    if (held.get(lease.key) === lease) held.delete(lease.key);
    if (held.size === 0 && timer) {
      clearInterval(timer);
      timer = undefined;
    }
  }

  function lost(lease: RedisLease): void {
    if (!lease.held) return;
    drop(lease);
    onLost?.(lease);
  }

  const renewAll = (): Promise<void[]> =>
    Promise.all([...held.values()].map((lease) => renew(redis, leaseKey(prefix, lease.key), ttlMs, lease, lost)));

  function hold(key: string, token: string, confirmedAt: number): RedisLease {
    const lease: RedisLease = {
      key,
      token,
      held: true,
      confirmedAt,
      async release() {
        if (!lease.held) return;
        drop(lease);
        // Unreachable: the lease lapses by itself within its TTL.
        await RELEASE(redis, [leaseKey(prefix, key)], [token]).catch(() => undefined);
      },
    };
    held.set(key, lease);
    if (!timer && !closed) {
      timer = setInterval(() => void renewAll(), Math.max(50, Math.floor(ttlMs / 3)));
      timer.unref();
    }
    return lease;
  }

  return {
    async tryAcquire(key) {
      if (closed || held.has(key)) return null;
      const token = randomUUID();
      const startedAt = Date.now();
      const ok = await redis.set(leaseKey(prefix, key), token, 'PX', ttlMs, 'NX');
      if (ok !== 'OK') return null;
      if (closed || held.has(key)) {
        // Raced with close() or a parallel acquisition of the same key: give it back (or let it lapse within its TTL).
        await RELEASE(redis, [leaseKey(prefix, key)], [token]).catch(() => undefined);
        return null;
      }
      return hold(key, token, startedAt);
    },
    async close() {
      closed = true;
      if (timer) clearInterval(timer);
      timer = undefined;
      await Promise.all([...held.values()].map((lease) => lease.release()));
    },
  };
}

/** Extends `lease` by a TTL if it is still ours; reports it lost when it is not, or when Redis was away for a whole TTL. */
async function renew(redis: Redis, key: string, ttlMs: number, lease: RedisLease, lost: (lease: RedisLease) => void): Promise<void> {
  const startedAt = Date.now();
  try {
    const result = await RENEW(redis, [key], [lease.token, ttlMs]);
    if (!lease.held) return;
    if (result === 1) lease.confirmedAt = startedAt;
    else lost(lease);
  } catch {
    // Redis is away: the lease is only surely ours until its TTL runs out from the last confirmation.
    if (Date.now() - lease.confirmedAt >= ttlMs) lost(lease);
  }
}

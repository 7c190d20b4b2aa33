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
  /** LEASE_TTL_MS. */
  ttlMs: number;
  /** Renewal period; default a third of the TTL. */
  renewEveryMs?: number;
}

/** The Redis key of a session's lease (also read by the change feed's fencing). */
export function leaseKey(prefix: string, key: string): string {
  return `${prefix}lease:${key}`;
}

export function createRedisLeases(options: RedisLeaseOptions): Leases {
  const { redis, prefix, ttlMs } = options;
  const renewEveryMs = options.renewEveryMs ?? Math.max(50, Math.floor(ttlMs / 3));
  const held = new Map<string, RedisLease>();
  let timer: NodeJS.Timeout | undefined;
  let closed = false;

  class RedisLease implements Lease {
    held = true;
    /** When the last renewal (or the acquisition) was confirmed. */
    confirmedAt = Date.now();
    constructor(
      readonly key: string,
      readonly token: string,
    ) {}
    async release(): Promise<void> {
      if (!this.held) return;
      drop(this);
      try {
        await RELEASE(redis, [leaseKey(prefix, this.key)], [this.token]);
      } catch {
        // Unreachable: the lease lapses by itself within its TTL.
      }
    }
  }

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
    options.onLost?.(lease);
  }

  async function renewAll(): Promise<void> {
    const leases = [...held.values()];
    const startedAt = Date.now();
    await Promise.all(
      leases.map(async (lease) => {
        try {
          const result = await RENEW(redis, [leaseKey(prefix, lease.key)], [lease.token, ttlMs]);
          if (!lease.held) return;
          if (result === 1) lease.confirmedAt = startedAt;
          else lost(lease);
        } catch {
          // Redis is away: the lease is only surely ours until its TTL runs out from the last confirmation.
          if (Date.now() - lease.confirmedAt >= ttlMs) lost(lease);
        }
      }),
    );
  }

  function ensureTimer(): void {
    if (timer || closed) return;
    timer = setInterval(() => void renewAll(), renewEveryMs);
    timer.unref();
  }

  return {
    async tryAcquire(key) {
      if (closed) return null;
      const existing = held.get(key);
      if (existing) return null;
      const token = randomUUID();
      const startedAt = Date.now();
      const ok = await redis.set(leaseKey(prefix, key), token, 'PX', ttlMs, 'NX');
      if (ok !== 'OK') return null;
      const lease = new RedisLease(key, token);
      lease.confirmedAt = startedAt;
      if (closed || held.has(key)) {
        // Raced with close() or a parallel acquisition of the same key: give it back (or let it lapse within its TTL).
        await RELEASE(redis, [leaseKey(prefix, key)], [token]).catch(() => undefined);
        return null;
      }
      held.set(key, lease);
      ensureTimer();
      return lease;
    },
    async close() {
      closed = true;
      if (timer) clearInterval(timer);
      timer = undefined;
      await Promise.all([...held.values()].map((lease) => lease.release()));
    },
  };
}

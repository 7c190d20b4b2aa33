import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalLeases, type Lease } from '../../src/subscriptions/lease.js';
import { createRedisConnections, type RedisConnections } from '../../src/subscriptions/redis-connection.js';
import { createRedisLeases, leaseKey } from '../../src/subscriptions/redis-lease.js';
import { connectTestRedis, deletePrefix, describeRedis, REDIS_URL, sleep, uniquePrefix, waitFor } from './support.js';

describe('createLocalLeases', () => {
  it('grants one holder per key until it releases', async () => {
    const leases = createLocalLeases();
    const a = await leases.tryAcquire('s1');
    expect(a?.held).toBe(true);
    expect(await leases.tryAcquire('s1')).toBeNull();
    expect(await leases.tryAcquire('s2')).not.toBeNull();
    await a?.release();
    expect(a?.held).toBe(false);
    expect(await leases.tryAcquire('s1')).not.toBeNull();
    await leases.close();
  });
});

describeRedis('createRedisLeases (REDIS_URL)', () => {
  const prefix = uniquePrefix();
  const TTL = 400;
  let admin: Redis;
  const instances: RedisConnections[] = [];
  const instance = async (): Promise<RedisConnections> => {
    const c = createRedisConnections(REDIS_URL!);
    instances.push(c);
    expect(await c.waitUntilReady(3_000)).toBe(true);
    return c;
  };
  beforeAll(async () => {
    admin = await connectTestRedis();
  });
  afterAll(async () => {
    for (const c of instances) await c.close();
    if (admin) {
      await deletePrefix(admin, prefix);
      admin.disconnect();
    }
  });

  it('gives a session to one instance, keeps it there by renewing, and hands it over on release', async () => {
    const one = createRedisLeases({ redis: (await instance()).command, prefix, ttlMs: TTL });
    const two = createRedisLeases({ redis: (await instance()).command, prefix, ttlMs: TTL });
    const lease = await one.tryAcquire('s-renew');
    expect(lease?.held).toBe(true);
    expect(await two.tryAcquire('s-renew')).toBeNull();
    // Well past one TTL: renewals keep it.
    await sleep(TTL * 2.5);
    expect(lease?.held).toBe(true);
    expect(await two.tryAcquire('s-renew')).toBeNull();
    expect(await admin.pttl(leaseKey(prefix, 's-renew'))).toBeGreaterThan(0);
    await lease?.release();
    expect(await admin.exists(leaseKey(prefix, 's-renew'))).toBe(0);
    const taken = await two.tryAcquire('s-renew');
    expect(taken?.held).toBe(true);
    await one.close();
    await two.close();
  });

  it("lets another instance take a dead holder's session within one TTL", async () => {
    const doomed = await instance();
    const one = createRedisLeases({ redis: doomed.command, prefix, ttlMs: TTL });
    const two = createRedisLeases({ redis: (await instance()).command, prefix, ttlMs: TTL });
    expect(await one.tryAcquire('s-crash')).not.toBeNull();
    // The holder dies: no release, no more renewals.
    doomed.command.disconnect();
    doomed.subscriber.disconnect();
    const died = Date.now();
    let taken: Lease | null = null;
    while (!taken && Date.now() - died < TTL * 3) {
      taken = await two.tryAcquire('s-crash');
      if (!taken) await sleep(20);
    }
    expect(taken?.held).toBe(true);
    expect(Date.now() - died).toBeLessThanOrEqual(TTL + 150);
    await two.close();
  });

  it('never releases or renews a lease another instance holds now, and reports it lost', async () => {
    const lost: string[] = [];
    const one = createRedisLeases({ redis: (await instance()).command, prefix, ttlMs: TTL, onLost: (l) => lost.push(l.key) });
    const lease = await one.tryAcquire('s-stolen');
    expect(lease).not.toBeNull();
    // Someone else's token now (as after a lapse and a takeover).
    await admin.set(leaseKey(prefix, 's-stolen'), 'other-token', 'PX', 60_000);
    await waitFor(() => lost.length === 1, 3_000, 'the lease to be reported lost');
    expect(lease?.held).toBe(false);
    await lease?.release();
    expect(await admin.get(leaseKey(prefix, 's-stolen'))).toBe('other-token');
    await one.close();
  });

  it('releases everything it holds on close', async () => {
    const one = createRedisLeases({ redis: (await instance()).command, prefix, ttlMs: 60_000 });
    await one.tryAcquire('s-close-1');
    await one.tryAcquire('s-close-2');
    await one.close();
    expect(await admin.exists(leaseKey(prefix, 's-close-1'), leaseKey(prefix, 's-close-2'))).toBe(0);
  });
});

import { describe, expect, it } from 'vitest';
import { createLeaseKeeper, type LeaseKeeperOptions } from '../../src/subscriptions/lease-keeper.js';
import { createLocalLeases, type Lease, type Leases } from '../../src/subscriptions/lease.js';

// The lease keeper over local leases and hand-made ones: no timers, no Redis.

function keeper(leases: Leases, overrides: Partial<LeaseKeeperOptions> = {}) {
  const announced: string[] = [];
  const errors: unknown[] = [];
  const k = createLeaseKeeper({
    leases,
    feed: { announceReleased: async (id) => void announced.push(id) },
    sessionId: 'S-1',
    key: 's-1',
    onError: (err) => errors.push(err),
    ...overrides,
  });
  return { k, announced, errors };
}

/** A lease whose store can take it away, as a Redis lease that could not be renewed. */
function revocable(key: string): Lease & { revoke(): void } {
  let held = true;
  return {
    key,
    token: 't',
    get held() {
      return held;
    },
    async release() {
      held = false;
    },
    revoke() {
      held = false;
    },
  };
}

describe('createLeaseKeeper', () => {
  it('takes a free lease as the first holder, and gives it back announced', async () => {
    const leases = createLocalLeases();
    const { k, announced } = keeper(leases);
    expect(await k.acquire()).toBe('first');
    expect(k.lease?.held).toBe(true);
    // Already held here: nothing to do.
    expect(await k.acquire()).toBe('none');
    await k.release();
    expect(k.lease).toBeUndefined();
    expect(announced).toEqual(['S-1']);
    // Released: free for others, and never taken again by this keeper.
    expect(await k.acquire()).toBe('none');
    expect(await leases.tryAcquire('s-1')).not.toBeNull();
  });

  it('stands by while another holds the lease, and takes it over (poll at once) when it is free', async () => {
    const leases = createLocalLeases();
    const other = await leases.tryAcquire('s-1');
    const { k } = keeper(leases);
    expect(await k.acquire()).toBe('none');
    await other?.release();
    expect(await k.acquire()).toBe('takeover');
  });

  it('notices a lease its store dropped once, and takes the next one as a takeover', async () => {
    const lease = revocable('s-1');
    let grants = 0;
    const leases: Leases = { tryAcquire: async () => (grants++ === 0 ? lease : revocable('s-1')), close: async () => undefined };
    const { k, announced } = keeper(leases);
    expect(await k.acquire()).toBe('first');
    expect(k.lapsed()).toBe(false);
    lease.revoke();
    expect(k.lease).toBeUndefined();
    expect(k.lapsed()).toBe(true);
    expect(k.lapsed()).toBe(false);
    expect(await k.acquire()).toBe('takeover');
    // A fenced write says the same thing.
    k.lost();
    expect(k.lease).toBeUndefined();
    expect(await k.acquire()).toBe('takeover');
    await k.release();
    expect(announced).toEqual(['S-1']);
  });

  it('reports a store that cannot be reached, and a lease granted after the release that cannot be given back', async () => {
    const unreachable = new Error('lease store unreachable');
    const { k: refused, errors } = keeper({ tryAcquire: () => Promise.reject(unreachable), close: async () => undefined });
    expect(await refused.acquire()).toBe('none');
    expect(errors).toEqual([unreachable]);

    let grant: ((lease: Lease) => void) | undefined;
    const slow = keeper({ tryAcquire: () => new Promise<Lease>((resolve) => (grant = resolve)), close: async () => undefined });
    const acquiring = slow.k.acquire();
    await slow.k.release();
    grant!({ key: 's-1', token: 't', held: true, release: () => Promise.reject(unreachable) });
    expect(await acquiring).toBe('none');
    expect(slow.errors).toEqual([unreachable]);
    expect(slow.announced).toEqual([]);
  });

  it('reports a release that fails, and announces nothing then', async () => {
    const failed = new Error('lease store unreachable');
    const { k, announced, errors } = keeper({
      tryAcquire: async (key) => ({ key, token: 't', held: true, release: () => Promise.reject(failed) }),
      close: async () => undefined,
    });
    expect(await k.acquire()).toBe('first');
    await k.release();
    expect(errors).toEqual([failed]);
    expect(announced).toEqual([]);
  });
});

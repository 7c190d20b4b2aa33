import { randomUUID } from 'node:crypto';

/**
 * Who polls a session. Exactly one poller per watched session: on one instance that is simply the
 * watcher's own bookkeeping ({@link createLocalLeases}); across instances it is a Redis lease with
 * an expiry (`redis-lease.ts`), so a dead holder's sessions are taken over once its lease lapses.
 */

export interface Lease {
  /** The session key it is held on. */
  readonly key: string;
  /** Unique to this holding; the change feed only accepts the holder's writes (fencing). */
  readonly token: string;
  /** False once it was released, or lost because it could not be renewed in time. */
  readonly held: boolean;
  release(): Promise<void>;
}

export interface Leases {
  /**
   * The lease on `key`, or null when another instance holds it. Rejects when the lease store is
   * unreachable (the caller retries later).
   */
  tryAcquire(key: string): Promise<Lease | null>;
  /** Releases everything held here and stops renewing. */
  close(): Promise<void>;
}

export interface LeaseEvents {
  /** A lease could not be renewed before it expired: another instance may hold it now. */
  onLost?: (lease: Lease) => void;
}

/** A single instance: every lease is granted, none is ever lost. */
export function createLocalLeases(): Leases {
  const held = new Map<string, LocalLease>();
  class LocalLease implements Lease {
    held = true;
    readonly token = randomUUID();
    constructor(readonly key: string) {}
    async release(): Promise<void> {
      if (!this.held) return;
      this.held = false;
      if (held.get(this.key) === this) held.delete(this.key);
    }
  }
  return {
    async tryAcquire(key) {
      if (held.has(key)) return null;
      const lease = new LocalLease(key);
      held.set(key, lease);
      return lease;
    },
    async close() {
      for (const lease of [...held.values()]) await lease.release();
    },
  };
}

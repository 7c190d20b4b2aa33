import type { ChangeFeed } from './change-feed.js';
import type { Lease, Leases } from './lease.js';

/**
 * One watched session's poll lease, as its poller sees it: taken when the poller starts (or when
 * the holder elsewhere announces a release, or at the watcher's standby retries), noticed lost when
 * the lease store could not renew it in time or the feed refused a fenced write, and given back —
 * announced, so an instance still interested takes over at once — when the poller stops.
 * Renewal itself is the lease store's (`redis-lease.ts`); a local lease is never lost.
 */

export interface LeaseKeeperOptions {
  leases: Leases;
  feed: Pick<ChangeFeed, 'announceReleased'>;
  /** The session as first asked for (announcements carry it). */
  sessionId: string;
  /** The session key the lease is held on. */
  key: string;
  /** An acquisition or a release failed (nobody awaits either). */
  onError: (error: unknown) => void;
}

/**
 * How an acquisition went: `first` (this instance starts polling the session: poll at the next
 * tick), `takeover` (someone held it before and may have died before publishing a change: poll at
 * once), or `none` (held elsewhere, already held or being taken here, the store unreachable, or the
 * keeper released meanwhile).
 */
export type Acquisition = 'first' | 'takeover' | 'none';

export interface LeaseKeeper {
  /** The lease while this instance holds it. */
  readonly lease: Lease | undefined;
  acquire(): Promise<Acquisition>;
  /** True once after the lease store dropped the lease (not renewed in time): another instance may poll now. */
  lapsed(): boolean;
  /** The lease is gone (the feed refused a write fenced by it, or the feed could not be joined): the next acquisition is a takeover. */
  lost(): void;
  /** Gives the lease back and announces it; no acquisition succeeds after this. */
  release(): Promise<void>;
}

export function createLeaseKeeper({ leases, feed, sessionId, key, onError }: LeaseKeeperOptions): LeaseKeeper {
  let lease: Lease | undefined;
  let acquiring = false;
  /** Failed to take the lease at least once (or lost it): the next acquisition is a takeover. */
  let standby = false;
  let released = false;

  function lost(): void {
    lease = undefined;
    standby = true;
  }

  async function take(): Promise<Lease | null> {
    acquiring = true;
    try {
      return await leases.tryAcquire(key);
    } catch (err) {
      onError(err);
      return null;
    } finally {
      acquiring = false;
    }
  }

  return {
    get lease() {
      return lease?.held ? lease : undefined;
    },
    async acquire() {
      if (acquiring || released || lease?.held) return 'none';
      const granted = await take();
      if (!granted) {
        standby = true;
        return 'none';
      }
      if (released) {
        // Released while this acquisition was pending; nobody awaits an acquisition, so a failed give-back is reported here.
        await granted.release().catch(onError);
        return 'none';
      }
      lease = granted;
      const takeover = standby;
      standby = false;
      return takeover ? 'takeover' : 'first';
    },
    lapsed() {
      if (!lease || lease.held) return false;
      lost();
      return true;
    },
    lost,
    async release() {
      released = true;
      const held = lease;
      lease = undefined;
      if (!held?.held) return;
      try {
        await held.release();
        // Should the announcement fail, instances still interested take the lease at their next standby retry.
        await feed.announceReleased(sessionId).catch(() => undefined);
      } catch (err) {
        onError(err);
      }
    },
  };
}

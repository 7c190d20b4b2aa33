import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';

/**
 * The two Redis connections live status needs across instances: one for commands (leases, the
 * change feed's Lua scripts, PUBLISH) and one dedicated to SUBSCRIBE, because a connection in
 * subscriber mode can run nothing else.
 *
 * Both fail fast instead of queueing: `enableOfflineQueue: false` rejects a command at once while
 * Redis is unreachable, `maxRetriesPerRequest` bounds what is re-sent after a drop, and connect and
 * command timeouts bound the wait. Meanwhile they keep reconnecting in the background, and
 * {@link RedisConnections.check} (readiness) says why Redis is unusable in one line.
 */

/** Redis is unreachable or not answering: live status cannot work on this instance right now. */
export class LiveBackendUnavailableError extends Error {
  override readonly name = 'LiveBackendUnavailableError';
}

export interface RedisConnections {
  /** Commands, Lua scripts and PUBLISH. */
  readonly command: Redis;
  /** SUBSCRIBE only (subscriber mode). */
  readonly subscriber: Redis;
  /** `redis://host:port` without credentials, for messages. */
  readonly where: string;
  /** Resolves when both connections answer; rejects with a {@link LiveBackendUnavailableError} saying why not. */
  check(): Promise<void>;
  /** Waits up to `timeoutMs` for both connections to be ready; false when they are not. */
  waitUntilReady(timeoutMs: number): Promise<boolean>;
  /**
   * `listener` runs each time the subscriber connection is back after a drop, once its channels are
   * subscribed again. Messages published while it was away are lost; the change feed re-reads them.
   */
  onSubscriberReconnect(listener: () => void): void;
  close(): Promise<void>;
}

export interface RedisConnectionOptions {
  /** Per connection attempt (default 2000). */
  connectTimeoutMs?: number;
  /** Per command (default 2000). */
  commandTimeoutMs?: number;
  /** Connection name shown by `CLIENT LIST`. */
  name?: string;
}

export function createRedisConnections(url: string, options: RedisConnectionOptions = {}): RedisConnections {
  const where = describeRedisUrl(url);
  const lastError = new Map<string, string>();
  const make = (role: 'cmd' | 'sub'): Redis => {
    const redis = new Redis(url, {
      connectionName: `${options.name ?? 'restore-gateway'}:${role}`,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: options.connectTimeoutMs ?? 2_000,
      commandTimeout: options.commandTimeoutMs ?? 2_000,
      // Never give up reconnecting; back off to one attempt every 2 s.
      retryStrategy: (times) => Math.min(50 * 2 ** Math.min(times, 6), 2_000),
      autoResubscribe: true,
      lazyConnect: false,
    });
    // Without a listener ioredis logs every failed reconnect; readiness reports the latest instead.
    redis.on('error', (err: Error) => {
      lastError.set(role, err.message);
    });
    redis.on('ready', () => {
      lastError.delete(role);
    });
    return redis;
  };
  const command = make('cmd');
  const subscriber = make('sub');
  const reconnectListeners: Array<() => void> = [];
  let readyOnce = false;
  subscriber.on('ready', () => {
    if (!readyOnce) {
      readyOnce = true;
      return;
    }
    // ioredis re-sends SUBSCRIBE for every channel before 'ready'; a PING on the same connection
    // answers after those, so listeners run once the channels are live again.
    subscriber.ping().then(
      () => {
        for (const listener of reconnectListeners) listener();
      },
      // Dropped again before answering: the next 'ready' runs the listeners, and 'error' recorded why.
      () => undefined,
    );
  });

  const unavailable = (): LiveBackendUnavailableError => {
    const reason = lastError.get('cmd') ?? lastError.get('sub') ?? `connection ${command.status}`;
    return new LiveBackendUnavailableError(`Redis at ${where} is unreachable: ${reason}`);
  };

  return {
    command,
    subscriber,
    where,
    async check() {
      if (command.status !== 'ready' || subscriber.status !== 'ready') throw unavailable();
      try {
        await Promise.all([command.ping(), subscriber.ping()]);
      } catch (err) {
        throw new LiveBackendUnavailableError(`Redis at ${where} is not answering: ${err instanceof Error ? err.message : String(err)}`);
      }
    },
    async waitUntilReady(timeoutMs) {
      const ready = (r: Redis): Promise<boolean> =>
        r.status === 'ready'
          ? Promise.resolve(true)
          : new Promise<boolean>((resolve) => {
              const timer = setTimeout(() => {
                r.off('ready', onReady);
                resolve(false);
              }, timeoutMs);
              const onReady = (): void => {
                clearTimeout(timer);
                resolve(true);
              };
              r.once('ready', onReady);
            });
      const [a, b] = await Promise.all([ready(command), ready(subscriber)]);
      return a && b;
    },
    onSubscriberReconnect(listener) {
      reconnectListeners.push(listener);
    },
    async close() {
      await Promise.all(
        [command, subscriber].map(async (r) => {
          if (r.status === 'ready') {
            try {
              await r.quit();
              return;
            } catch {
              // fall through: drop the socket
            }
          }
          r.disconnect();
        }),
      );
    },
  };
}

/** `redis://host:port/db` without user or password. */
export function describeRedisUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname === '/' ? '' : u.pathname}`;
  } catch {
    return 'redis';
  }
}

/** A Lua script run by its SHA (EVALSHA), loaded on first use or after a Redis restart (NOSCRIPT). */
export type RedisScript = (redis: Redis, keys: readonly string[], args: ReadonlyArray<string | number>) => Promise<unknown>;

export function redisScript(lua: string): RedisScript {
  const sha = createHash('sha1').update(lua).digest('hex');
  return async (redis, keys, args) => {
    try {
      return await redis.evalsha(sha, keys.length, ...keys, ...args);
    } catch (err) {
      if (err instanceof Error && err.message.startsWith('NOSCRIPT')) return redis.eval(lua, keys.length, ...keys, ...args);
      throw err;
    }
  };
}

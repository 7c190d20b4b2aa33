import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';
import { LiveBackendUnavailableError, type LiveBackend } from './live-backend.js';

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

export interface RedisConnections extends LiveBackend {
  /** Commands, Lua scripts and PUBLISH. */
  readonly command: Redis;
  /** SUBSCRIBE only (subscriber mode). */
  readonly subscriber: Redis;
  /** `redis://host:port` without credentials, for messages. */
  readonly where: string;
  /**
   * `listener` runs each time the subscriber connection is back after a drop, once its channels are
   * subscribed again. Messages published while it was away are lost; the change feed re-reads them.
   */
  onSubscriberReconnect(listener: () => void): void;
}

export interface RedisConnectionOptions {
  /** Per connection attempt (default 2000). */
  connectTimeoutMs?: number;
  /** Connection name shown by `CLIENT LIST` (suffixed `:cmd` and `:sub`). */
  name?: string;
}

/** Per command: a command that gets no answer in this time fails rather than waits. */
const COMMAND_TIMEOUT_MS = 2_000;

export function createRedisConnections(
  url: string,
  { connectTimeoutMs = 2_000, name = 'restore-gateway' }: RedisConnectionOptions = {},
): RedisConnections {
  const where = describeRedisUrl(url);
  const lastError = new Map<string, string>();
  const connect = (role: 'cmd' | 'sub'): Redis =>
    connectRedis(url, `${name}:${role}`, connectTimeoutMs, (message) => {
      if (message === undefined) lastError.delete(role);
      else lastError.set(role, message);
    });
  const command = connect('cmd');
  const subscriber = connect('sub');
  const reconnectListeners: Array<() => void> = [];
  const availability = trackAvailability(command, subscriber);
  onReconnect(subscriber, () => {
    availability.subscriberBack();
    for (const listener of reconnectListeners) listener();
  });

  return {
    command,
    subscriber,
    where,
    async check() {
      if (command.status !== 'ready' || subscriber.status !== 'ready') {
        const reason = lastError.get('cmd') ?? lastError.get('sub') ?? `connection ${command.status}`;
        throw new LiveBackendUnavailableError(`Redis at ${where} is unreachable: ${reason}`);
      }
      try {
        await Promise.all([command.ping(), subscriber.ping()]);
      } catch (err) {
        throw new LiveBackendUnavailableError(`Redis at ${where} is not answering: ${err instanceof Error ? err.message : String(err)}`);
      }
    },
    available: () => availability.available(),
    onAvailabilityChange: (listener) => availability.listeners.push(listener),
    async waitUntilReady(timeoutMs) {
      const [a, b] = await Promise.all([whenReady(command, timeoutMs), whenReady(subscriber, timeoutMs)]);
      return a && b;
    },
    onSubscriberReconnect(listener) {
      reconnectListeners.push(listener);
    },
    async close() {
      await Promise.all([command, subscriber].map(quit));
    },
  };
}

/** One connection that fails fast and keeps reconnecting; `onError` gets its latest error (undefined once ready). */
function connectRedis(
  url: string,
  connectionName: string,
  connectTimeoutMs: number,
  onError: (message: string | undefined) => void,
): Redis {
  const redis = new Redis(url, {
    connectionName,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: connectTimeoutMs,
    commandTimeout: COMMAND_TIMEOUT_MS,
    // Never give up reconnecting; back off to one attempt every 2 s.
    retryStrategy: (times) => Math.min(50 * 2 ** Math.min(times, 6), 2_000),
    autoResubscribe: true,
    lazyConnect: false,
  });
  // Without a listener ioredis logs every failed reconnect; readiness reports the latest instead.
  redis.on('error', (err: Error) => onError(err.message));
  redis.on('ready', () => onError(undefined));
  return redis;
}

/**
 * Whether both connections can deliver: the command connection ready, and the subscriber ready with its channels
 * subscribed again (after a drop, only once the PING behind its SUBSCRIBEs answered: `subscriberBack`). Changes are
 * reported on each transition, the drop at once (ioredis sees a closed socket as `close`).
 */
function trackAvailability(command: Redis, subscriber: Redis) {
  const listeners: Array<(available: boolean) => void> = [];
  let subscribed = subscriber.status === 'ready';
  let last: boolean | undefined;
  const now = (): boolean => command.status === 'ready' && subscriber.status === 'ready' && subscribed;
  const update = (): void => {
    const available = now();
    // Nothing to report before the first connection: a start without Redis is readiness's to report, not a change.
    if (last === undefined && !available) return;
    if (available === last) return;
    last = available;
    for (const listener of listeners) listener(available);
  };
  subscriber.once('ready', () => {
    subscribed = true;
    update();
  });
  subscriber.on('close', () => {
    subscribed = false;
    update();
  });
  command.on('close', update);
  command.on('ready', update);
  return {
    listeners,
    available: now,
    subscriberBack(): void {
      subscribed = true;
      update();
    },
  };
}

/** Runs `listener` each time the subscriber connection is ready again after a drop (not the first time). */
function onReconnect(subscriber: Redis, listener: () => void): void {
  let readyOnce = false;
  subscriber.on('ready', () => {
    if (!readyOnce) {
      readyOnce = true;
      return;
    }
    // ioredis re-sends SUBSCRIBE for every channel before 'ready'; a PING on the same connection
    // answers after those, so listeners run once the channels are live again.
    subscriber.ping().then(
      () => listener(),
      // Dropped again before answering: the next 'ready' runs the listeners, and 'error' recorded why.
      () => undefined,
    );
  });
}

function whenReady(redis: Redis, timeoutMs: number): Promise<boolean> {
  if (redis.status === 'ready') return Promise.resolve(true);
  return new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => {
      redis.off('ready', onReady);
      resolve(false);
    }, timeoutMs);
    const onReady = (): void => {
      clearTimeout(timer);
      resolve(true);
    };
    redis.once('ready', onReady);
  });
}

/** QUIT when connected, otherwise (or when QUIT fails) drop the socket. */
async function quit(redis: Redis): Promise<void> {
  if (redis.status === 'ready') {
    try {
      await redis.quit();
      return;
    } catch {
      // fall through: drop the socket
    }
  }
  redis.disconnect();
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

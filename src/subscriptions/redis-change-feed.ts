import { publishers, SESSION_FIELD, sessionTopic, type ChangeFeed, type FeedEntry } from './change-feed.js';
import type { Lease } from './lease.js';
import { LiveBackendUnavailableError } from './live-backend.js';
import { deliver, logHandlerError, type Listener, type Unsubscribe } from './pubsub.js';
import { redisScript, type RedisConnections } from './redis-connection.js';
import { leaseKey } from './redis-lease.js';
import { createRedisPubSub, type RedisPubSub } from './redis-pubsub.js';
import { decodeMessage, encodeMessage, sessionKey, type LiveMessage } from './snapshot.js';

/**
 * The change feed across instances. Each watched session has a Redis hash (its record: the last
 * published mark and message per field) and a channel. A commit is one Lua script that checks the
 * poller's lease (fencing), compares each snapshot with the record, and for each one that is news
 * records it and PUBLISHes it, atomically: either a change is recorded and published, or neither,
 * so the instance that takes a session over after a crash re-polls, compares with the record, and
 * publishes exactly what its predecessor did not (the final status included).
 *
 * Pub/sub is at most once: when this instance's subscriber connection comes back after a drop, it
 * re-reads the records of the sessions it listens to and hands them to its handlers, which drop
 * what they had already seen (per-subscriber marks), so a change published meanwhile is not lost.
 */

// KEYS: lease, record. ARGV: token ('' = not fenced), channel, record TTL (ms), then per snapshot:
// field, rank, fingerprint, message. Marks are stored as "rank|fingerprint" (ranks hold no '|').
const COMMIT = redisScript(`
if ARGV[1] ~= '' and redis.call('get', KEYS[1]) ~= ARGV[1] then return -1 end
local published = 0
for i = 4, #ARGV, 4 do
  local field, rank, fp, msg = ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3]
  local cur = redis.call('hget', KEYS[2], field)
  local news = true
  if cur then
    local sep = string.find(cur, '|', 1, true)
    if string.sub(cur, sep + 1) == fp or tonumber(string.sub(cur, 1, sep - 1)) > tonumber(rank) then news = false end
  end
  if news then
    redis.call('hset', KEYS[2], field, rank .. '|' .. fp, 'm:' .. field, msg)
    redis.call('publish', ARGV[2], msg)
    published = published + 1
  end
end
redis.call('pexpire', KEYS[2], ARGV[3])
return published`);

/**
 * How long a record outlives its last commit. Its loss only costs a re-publish that subscribers drop
 * as already seen.
 */
const RECORD_TTL_MS = 600_000;

export interface RedisChangeFeedOptions {
  redis: RedisConnections;
  /** REDIS_KEY_PREFIX. */
  prefix: string;
}

export function recordKey(prefix: string, sessionId: string): string {
  return `${prefix}state:${sessionKey(sessionId)}`;
}

/** This instance's handlers of one session, behind one channel subscription. */
interface LocalChannel {
  handlers: Set<Listener<LiveMessage>>;
  unsubscribe: Promise<Unsubscribe>;
}

export function createRedisChangeFeed({ redis, prefix }: RedisChangeFeedOptions): ChangeFeed {
  const pubsub = createRedisPubSub({ publisher: redis.command, subscriber: redis.subscriber, prefix });
  /** Local handlers per session key; one channel subscription each. */
  const local = new Map<string, LocalChannel>();
  const dispatch = (key: string, message: LiveMessage): void => {
    const entry = local.get(key);
    if (entry) deliver(entry.handlers, message, logHandlerError);
  };
  redis.onSubscriberReconnect(() => void resync(redis, prefix, [...local.keys()], dispatch));

  async function commit(sessionId: string, entries: readonly FeedEntry[], fence: Lease | undefined): Promise<number | 'fenced'> {
    if (fence && !fence.held) return 'fenced';
    const key = sessionKey(sessionId);
    const args: Array<string | number> = [fence?.token ?? '', pubsub.channel(sessionTopic(key)), RECORD_TTL_MS];
    for (const { field, mark, message } of entries) args.push(field, mark.rank, mark.fingerprint, encodeMessage(message));
    const result = await COMMIT(redis.command, [leaseKey(prefix, key), recordKey(prefix, key)], args);
    return result === -1 ? 'fenced' : Number(result);
  }

  return {
    async subscribe(sessionId, handler) {
      const key = sessionKey(sessionId);
      const channel = local.get(key) ?? joinChannel(pubsub, local, key, dispatch);
      const wrapped: Listener<LiveMessage> = { handler };
      channel.handlers.add(wrapped);
      try {
        await channel.unsubscribe;
      } catch (err) {
        channel.handlers.delete(wrapped);
        // ioredis refuses at once while Redis is away (no offline queue): say so in the live-status vocabulary.
        throw new LiveBackendUnavailableError(
          `Redis at ${redis.where} is unreachable: ${err instanceof Error ? err.message : String(err)}`,
          { cause: err },
        );
      }
      let done = false;
      return async () => {
        if (done) return;
        done = true;
        channel.handlers.delete(wrapped);
        if (channel.handlers.size > 0 || local.get(key) !== channel) return;
        local.delete(key);
        await (
          await channel.unsubscribe
        )();
      };
    },
    ...publishers(commit),
    async announceReleased(sessionId) {
      await pubsub.publish(sessionTopic(sessionId), encodeMessage({ kind: 'released', sessionId }));
    },
    async touchSession(sessionId) {
      await pubsub.publish(sessionTopic(sessionId), encodeMessage({ kind: 'touched', sessionId }));
    },
    async close() {
      local.clear();
      await pubsub.close();
    },
  };
}

/** Subscribes this instance to a session's channel (once, however many local handlers it gets). */
function joinChannel(
  pubsub: RedisPubSub,
  local: Map<string, LocalChannel>,
  key: string,
  dispatch: (key: string, m: LiveMessage) => void,
): LocalChannel {
  const created: LocalChannel = {
    handlers: new Set(),
    unsubscribe: pubsub.subscribe(sessionTopic(key), (text) => {
      const message = decodeMessage(text);
      if (message) dispatch(key, message);
    }),
  };
  local.set(key, created);
  created.unsubscribe.catch(() => {
    if (local.get(key) === created) local.delete(key);
  });
  return created;
}

/** After a reconnect: hands each listened-to session's recorded messages to its handlers again (they drop what they saw). */
async function resync(
  redis: RedisConnections,
  prefix: string,
  keys: readonly string[],
  dispatch: (key: string, m: LiveMessage) => void,
): Promise<void> {
  await Promise.all(
    keys.map(async (key) => {
      let record: Record<string, string>;
      try {
        record = await redis.command.hgetall(recordKey(prefix, key));
      } catch {
        return;
      }
      const messages = Object.entries(record)
        .filter(([field]) => field.startsWith('m:'))
        // Artifacts first: a terminal session message ends artifact subscriptions.
        .sort(([a], [b]) => Number(a === `m:${SESSION_FIELD}`) - Number(b === `m:${SESSION_FIELD}`))
        .map(([, text]) => decodeMessage(text))
        .filter((m): m is LiveMessage => m !== undefined);
      for (const m of messages) dispatch(key, m);
    }),
  );
}

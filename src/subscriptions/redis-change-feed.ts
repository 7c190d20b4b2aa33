import type { GraphRestoreSession, SessionScopedSiteRestoreArtifact } from '../graph/dto.js';
import { artifactField, SESSION_FIELD, sessionTopic, type ChangeFeed, type CommitOutcome } from './change-feed.js';
import type { Lease } from './lease.js';
import { deliver, logHandlerError, type Unsubscribe } from './pubsub.js';
import { LiveBackendUnavailableError, redisScript, type RedisConnections } from './redis-connection.js';
import { leaseKey } from './redis-lease.js';
import { createRedisPubSub } from './redis-pubsub.js';
import { artifactMark, decodeMessage, encodeMessage, GONE_MARK, sessionKey, sessionMark, type LiveMessage, type Mark } from './snapshot.js';

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

export interface RedisChangeFeedOptions {
  redis: RedisConnections;
  /** REDIS_KEY_PREFIX. */
  prefix: string;
  /**
   * How long a record outlives its last commit (default 10 minutes). Its loss only costs a
   * re-publish that subscribers drop as already seen.
   */
  recordTtlMs?: number;
  onHandlerError?: (err: unknown) => void;
}

export function recordKey(prefix: string, sessionId: string): string {
  return `${prefix}state:${sessionKey(sessionId)}`;
}

export function createRedisChangeFeed(options: RedisChangeFeedOptions): ChangeFeed {
  const { redis, prefix } = options;
  const recordTtlMs = options.recordTtlMs ?? 600_000;
  const onHandlerError = options.onHandlerError ?? logHandlerError;
  const pubsub = createRedisPubSub({
    publisher: redis.command,
    subscriber: redis.subscriber,
    prefix,
    onHandlerError,
  });
  /** Local handlers per session key; one channel subscription each. */
  const local = new Map<string, { handlers: Set<(m: LiveMessage) => void>; unsubscribe: Promise<Unsubscribe> }>();

  function dispatch(key: string, message: LiveMessage): void {
    const entry = local.get(key);
    if (entry) deliver(entry.handlers, message, onHandlerError);
  }

  async function resync(): Promise<void> {
    await Promise.all(
      [...local.keys()].map(async (key) => {
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
  redis.onSubscriberReconnect(() => void resync());

  async function commit(sessionId: string, entries: Array<{ field: string; mark: Mark; message: LiveMessage }>, fence: Lease | undefined): Promise<number | 'fenced'> {
    if (fence && !fence.held) return 'fenced';
    const key = sessionKey(sessionId);
    const args: Array<string | number> = [fence?.token ?? '', pubsub.channel(sessionTopic(key)), recordTtlMs];
    for (const { field, mark, message } of entries) args.push(field, mark.rank, mark.fingerprint, encodeMessage(message));
    const result = await COMMIT(redis.command, [leaseKey(prefix, key), recordKey(prefix, key)], args);
    return result === -1 ? 'fenced' : Number(result);
  }
  const outcome = (n: number | 'fenced'): CommitOutcome => (n === 'fenced' ? 'fenced' : n > 0 ? 'published' : 'unchanged');

  return {
    async subscribe(sessionId, handler) {
      const key = sessionKey(sessionId);
      let entry = local.get(key);
      if (!entry) {
        const created = {
          handlers: new Set<(m: LiveMessage) => void>(),
          unsubscribe: pubsub.subscribe(sessionTopic(key), (text) => {
            const message = decodeMessage(text);
            if (message) dispatch(key, message);
          }),
        };
        local.set(key, created);
        created.unsubscribe.catch(() => {
          if (local.get(key) === created) local.delete(key);
        });
        entry = created;
      }
      const mine = entry;
      const wrapped = (m: LiveMessage): void => handler(m);
      mine.handlers.add(wrapped);
      try {
        await mine.unsubscribe;
      } catch (err) {
        mine.handlers.delete(wrapped);
        // ioredis refuses at once while Redis is away (no offline queue): say so in the live-status vocabulary.
        throw new LiveBackendUnavailableError(`Redis at ${redis.where} is unreachable: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
      }
      let done = false;
      return async () => {
        if (done) return;
        done = true;
        mine.handlers.delete(wrapped);
        if (mine.handlers.size > 0 || local.get(key) !== mine) return;
        local.delete(key);
        await (await mine.unsubscribe)();
      };
    },
    async commitSession(session: GraphRestoreSession, fence?: Lease) {
      return outcome(await commit(session.id, [{ field: SESSION_FIELD, mark: sessionMark(session), message: { kind: 'session', session } }], fence));
    },
    async commitArtifacts(sessionId: string, artifacts: readonly SessionScopedSiteRestoreArtifact[], fence?: Lease) {
      if (artifacts.length === 0) return fence && !fence.held ? 'fenced' : 0;
      return commit(
        sessionId,
        artifacts.map((artifact) => ({ field: artifactField(artifact.id), mark: artifactMark(artifact), message: { kind: 'artifact', artifact } })),
        fence,
      );
    },
    async commitGone(sessionId: string, fence?: Lease) {
      return outcome(await commit(sessionId, [{ field: SESSION_FIELD, mark: GONE_MARK, message: { kind: 'gone', sessionId } }], fence));
    },
    async announceReleased(sessionId: string) {
      await pubsub.publish(sessionTopic(sessionId), encodeMessage({ kind: 'released', sessionId }));
    },
    async announceTouched(sessionId: string) {
      await pubsub.publish(sessionTopic(sessionId), encodeMessage({ kind: 'touched', sessionId }));
    },
    async close() {
      local.clear();
      await pubsub.close();
    },
  };
}

import type { GraphRestoreSession, SessionScopedRestoreArtifact } from '../graph/dto.js';
import type { Lease } from './lease.js';
import { createMemoryPubSub, logHandlerError, type PubSub, type Unsubscribe } from './pubsub.js';
import { artifactKey, artifactMark, GONE_MARK, isNews, sessionKey, sessionMark, type LiveMessage, type Mark } from './snapshot.js';

/**
 * The change feed: what the watcher (and a mutation) hands over, and what subscribers receive.
 * Publishing is compare-and-publish: the snapshot is published on the session's channel only when it
 * is news against the last one published (see `snapshot.ts`), and recorded, so the next poll — by
 * this instance, or by the one that takes the session over — publishes only what really changed. A
 * fenced publish (the poller's) goes through only while its lease is held, so an instance that lost
 * its lease can never publish over the new holder.
 *
 * The method names are the actions' names from the Mutation resolvers down (`ctx.live.publishSession`
 * ends in `feed.publishSession`). {@link createMemoryChangeFeed} serves one instance;
 * `redis-change-feed.ts` runs the same rule in one Lua script (compare, record, PUBLISH) so that it
 * holds across instances and a holder dying between recording and publishing cannot happen.
 */

export type PublishOutcome = 'published' | 'unchanged' | 'fenced';

export interface ChangeFeed {
  /**
   * `handler` receives every message of the session's channel from the moment the returned
   * promise resolves. Rejects with a `LiveBackendUnavailableError` when the feed's backend is unreachable.
   */
  subscribe(sessionId: string, handler: (message: LiveMessage) => void): Promise<Unsubscribe>;
  /** Publishes the session if its status or counts are news. */
  publishSession(session: GraphRestoreSession, fence?: Lease): Promise<PublishOutcome>;
  /** Publishes, in order, each artifact whose status is news; resolves with how many were. */
  publishArtifacts(sessionId: string, artifacts: readonly SessionScopedRestoreArtifact[], fence?: Lease): Promise<number | 'fenced'>;
  /** Graph no longer knows the session (deleted through this gateway, or a poll's 404). */
  publishSessionDeleted(sessionId: string, fence?: Lease): Promise<PublishOutcome>;
  /** Tells the other instances that nobody polls the session any more (its lease was released). */
  announceReleased(sessionId: string): Promise<void>;
  /** Asks the session's poller, wherever it runs, to read it at its next tick (a write Graph did not answer with the session). */
  touchSession(sessionId: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * What a session's record holds: the last published mark per field (`s` for the session, and per artifact its
 * `artifactKey`: `a:<id>` for a site, `a.mailbox:<id>` or `a.drive:<id>`).
 */
export const SESSION_FIELD = 's';

export function sessionTopic(sessionId: string): string {
  return `session:${sessionKey(sessionId)}`;
}

/** One snapshot to compare with a session's record, and publish when it is news. */
export interface FeedEntry {
  field: string;
  mark: Mark;
  message: LiveMessage;
}

/** A feed's compare-and-publish step: how many entries were news, or 'fenced' when `fence` is no longer held. */
export type Commit = (
  sessionId: string,
  entries: readonly FeedEntry[],
  fence: Lease | undefined,
) => number | 'fenced' | Promise<number | 'fenced'>;

/** The publishing methods every feed has, over its own compare-and-publish step. */
export function publishers(commit: Commit): Pick<ChangeFeed, 'publishSession' | 'publishArtifacts' | 'publishSessionDeleted'> {
  const outcome = (n: number | 'fenced'): PublishOutcome => (n === 'fenced' ? 'fenced' : n > 0 ? 'published' : 'unchanged');
  return {
    async publishSession(session, fence) {
      return outcome(
        await commit(session.id, [{ field: SESSION_FIELD, mark: sessionMark(session), message: { kind: 'session', session } }], fence),
      );
    },
    async publishArtifacts(sessionId, artifacts, fence) {
      if (artifacts.length === 0) return fence && !fence.held ? 'fenced' : 0;
      const entries = artifacts.map((artifact): FeedEntry => ({
        field: artifactKey(artifact),
        mark: artifactMark(artifact),
        message: { kind: 'artifact', artifact },
      }));
      return commit(sessionId, entries, fence);
    },
    async publishSessionDeleted(sessionId, fence) {
      return outcome(await commit(sessionId, [{ field: SESSION_FIELD, mark: GONE_MARK, message: { kind: 'gone', sessionId } }], fence));
    },
  };
}

/** One process. Records are kept only while someone here listens to the session: nobody else could want them. */
export function createMemoryChangeFeed(pubsub: PubSub<LiveMessage> = createMemoryPubSub<LiveMessage>()): ChangeFeed {
  const records = new Map<string, Map<string, Mark>>();
  const listeners = new Map<string, number>();

  function commit(sessionId: string, entries: readonly FeedEntry[], fence: Lease | undefined): number | 'fenced' {
    if (fence && !fence.held) return 'fenced';
    const key = sessionKey(sessionId);
    const record = records.get(key);
    if (!record) return 0;
    const news = entries.filter(({ field, mark }) => {
      if (!isNews(record.get(field), mark)) return false;
      record.set(field, mark);
      return true;
    });
    // Not awaited, so that comparing, recording and publishing stay one step; a publish that fails is logged as a
    // subscriber failure would be (the memory pub/sub only rejects when its own error hook throws).
    for (const { message } of news) pubsub.publish(sessionTopic(key), message).catch(logHandlerError);
    return news.length;
  }

  return {
    async subscribe(sessionId, handler) {
      const key = sessionKey(sessionId);
      const unsubscribe = await pubsub.subscribe(sessionTopic(key), handler);
      listeners.set(key, (listeners.get(key) ?? 0) + 1);
      if (!records.has(key)) records.set(key, new Map());
      let done = false;
      return async () => {
        if (done) return;
        done = true;
        await unsubscribe();
        const left = (listeners.get(key) ?? 1) - 1;
        if (left > 0) {
          listeners.set(key, left);
          return;
        }
        listeners.delete(key);
        records.delete(key);
      };
    },
    ...publishers(commit),
    async announceReleased(sessionId) {
      await pubsub.publish(sessionTopic(sessionId), { kind: 'released', sessionId });
    },
    async touchSession(sessionId) {
      await pubsub.publish(sessionTopic(sessionId), { kind: 'touched', sessionId });
    },
    async close() {
      records.clear();
      listeners.clear();
      await pubsub.close();
    },
  };
}

import type { GraphClient } from '../graph/client.js';
import type { GraphRestoreSession, SessionScopedRestoreArtifact } from '../graph/dto.js';
import { artifactRestoreStatus, isTerminalArtifactStatus } from '../graph/enums.js';
import { GraphRequestError } from '../graph/errors.js';
import type { RestoreSessionStatus } from '../generated/graphql.js';
import { readSessionArtifacts, type ArtifactGraph } from './artifact-pages.js';
import type { ChangeFeed } from './change-feed.js';
import type { Lease } from './lease.js';
import { isRunningStatus } from './poll-schedule.js';
import { artifactFamilyOf, isNews, isTerminalSession, sessionMark, sessionStatusOf, type ArtifactFamily, type Mark } from './snapshot.js';

/**
 * One poll of one session: read it from Graph (and its artifacts, for sessions someone follows
 * artifact by artifact), and publish what is news through the change feed, fenced by the poller's
 * lease. When the session will be polled again is the poller's business, not this one's.
 *
 * Which artifacts a session has (sites, mailboxes or OneDrive accounts, each in its own Graph set) is
 * known from its `@odata.type`, so the first poll reads the session before its artifacts; later polls
 * read both in the same turn. A session of a family this gateway does not know has none to read.
 *
 * Artifacts are read only while the session runs, or when its status or counts just changed (an
 * artifact in a draft does not change status). A terminal session's artifacts are published before
 * it, so artifact subscribers see the last artifact changes before their subscription completes.
 */

export type PollOutcome =
  /** The session was read (and published when it was news); `observedAt` is when Graph's answer arrived. */
  | { kind: 'polled'; session: GraphRestoreSession; published: boolean; observedAt: number }
  /** Graph no longer knows the session; that was published. */
  | { kind: 'gone' }
  /** The feed refused a write: the lease is no longer this instance's. */
  | { kind: 'fenced' }
  /** Graph or the feed failed; `retryAfterMs` when Graph asked to wait (429/503 with Retry-After). */
  | { kind: 'failed'; error: unknown; retryAfterMs: number | undefined };

/** What the poller knows of its session; the poll reads it as it is when each step runs. */
export interface PollTarget {
  readonly id: string;
  /** Subscribers here that follow the session's artifacts. */
  readonly artifactInterest: number;
  /**
   * The family of the session's artifacts, learnt by the first read (undefined until then); null for a session family
   * this gateway does not know, whose artifacts are never read.
   */
  family: ArtifactFamily | null | undefined;
  /** The status last seen here. */
  readonly status: RestoreSessionStatus | undefined;
  /** Mark of the last session this instance polled. */
  readonly polled: Mark | undefined;
}

export interface SessionPollDeps {
  graph: Pick<GraphClient, 'getSession'> & ArtifactGraph;
  feed: Pick<ChangeFeed, 'publishSession' | 'publishArtifacts' | 'publishSessionDeleted'>;
  /** When Graph's answer arrived (`performance.now()` by default). */
  now(): number;
  /** A failure that does not fail the poll (a running session's artifacts could not be read). */
  onPollError(sessionId: string, error: unknown): void;
}

const FENCED: PollOutcome = { kind: 'fenced' };

export async function pollSession(deps: SessionPollDeps, target: PollTarget, lease: Lease): Promise<PollOutcome> {
  const { graph, feed } = deps;
  // Unknown before the first read: that poll reads the artifacts once it knows the session's family.
  const known = target.family ?? undefined;
  const alongside = target.artifactInterest > 0 && (target.status === undefined || isRunningStatus(target.status));
  // Both requests are queued in this same turn, so they share a `$batch` with the other due polls.
  const sessionRead = graph.getSession(target.id);
  const artifactRead = alongside && known ? readSessionArtifacts(graph, target.id, known) : undefined;
  // Awaited only on some paths below; where its failure matters the artifacts are read again, and that failure is reported.
  artifactRead?.catch(() => undefined);
  try {
    let session: GraphRestoreSession;
    try {
      session = await sessionRead;
    } catch (err) {
      if (!(err instanceof GraphRequestError && (err.status === 404 || err.status === 410))) return failed(err);
      return (await feed.publishSessionDeleted(target.id, lease)) === 'fenced' ? FENCED : { kind: 'gone' };
    }
    const observedAt = deps.now();
    const family = artifactFamilyOf(session) ?? null;
    target.family = family;
    if (target.artifactInterest > 0 && family !== null) {
      const artifacts = await currentArtifacts(deps, { target, family }, session, artifactRead);
      if (artifacts && (await feed.publishArtifacts(target.id, artifacts, lease)) === 'fenced') return FENCED;
    }
    const outcome = await feed.publishSession(session, lease);
    return outcome === 'fenced' ? FENCED : { kind: 'polled', session, published: outcome === 'published', observedAt };
  } catch (err) {
    // The feed could not publish (Redis away), or a terminal session's artifacts could not be read: try again later.
    return failed(err);
  }
}

function failed(error: unknown): PollOutcome {
  const throttled = error instanceof GraphRequestError && (error.status === 429 || error.status === 503);
  return { kind: 'failed', error, retryAfterMs: throttled ? error.retryAfterMs : undefined };
}

/**
 * The artifacts to publish with `session`: what was read alongside it, read again when that is
 * missing while something may have changed, or when the session ended with artifacts not yet
 * final. Rejects when a terminal session's artifacts cannot be read, so nothing ends before them.
 */
async function currentArtifacts(
  deps: SessionPollDeps,
  { target, family }: { target: PollTarget; family: ArtifactFamily },
  session: GraphRestoreSession,
  alongside: Promise<SessionScopedRestoreArtifact[]> | undefined,
): Promise<readonly SessionScopedRestoreArtifact[] | undefined> {
  const artifacts = alongside ? await alongside.catch(() => undefined) : undefined;
  const terminal = isTerminalSession(session);
  const changed = target.polled === undefined || isNews(target.polled, sessionMark(session));
  const stale =
    artifacts === undefined
      ? changed || isRunningStatus(sessionStatusOf(session))
      : terminal && artifacts.some((a) => !isTerminalArtifactStatus(artifactRestoreStatus.fromGraph(String(a.status))));
  if (!stale) return artifacts;
  try {
    return await readSessionArtifacts(deps.graph, target.id, family);
  } catch (err) {
    if (terminal) throw err;
    deps.onPollError(target.id, err);
    return artifacts;
  }
}

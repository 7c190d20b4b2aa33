import type { GraphClient } from '../graph/client.js';
import type { GraphRestoreSession, SessionScopedSiteRestoreArtifact } from '../graph/dto.js';
import { artifactRestoreStatus, isTerminalArtifactStatus } from '../graph/enums.js';
import { GraphRequestError } from '../graph/errors.js';
import type { RestoreSessionStatus } from '../generated/graphql.js';
import { readSiteArtifacts } from './artifact-pages.js';
import type { ChangeFeed } from './change-feed.js';
import type { Lease } from './lease.js';
import { isRunningStatus } from './poll-schedule.js';
import { isNews, isSharePointSession, isTerminalSession, sessionMark, sessionStatusOf, type Mark } from './snapshot.js';

/**
 * One poll of one session: read it from Graph (and its artifacts, for sessions someone follows
 * artifact by artifact), and publish what is news through the change feed, fenced by the poller's
 * lease. When the session will be polled again is the poller's business, not this one's.
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
  /** Whether it is a SharePoint session (only those have site artifacts); learnt by the first read. */
  sharePoint: boolean | undefined;
  /** The status last seen here. */
  readonly status: RestoreSessionStatus | undefined;
  /** Mark of the last session this instance polled. */
  readonly polled: Mark | undefined;
}

export interface SessionPollDeps {
  graph: Pick<GraphClient, 'getSession' | 'listSiteArtifacts'>;
  feed: Pick<ChangeFeed, 'publishSession' | 'publishArtifacts' | 'publishSessionDeleted'>;
  /** When Graph's answer arrived (`performance.now()` by default). */
  now(): number;
  /** A failure that does not fail the poll (a running session's artifacts could not be read). */
  onPollError(sessionId: string, error: unknown): void;
}

const FENCED: PollOutcome = { kind: 'fenced' };

export async function pollSession(deps: SessionPollDeps, target: PollTarget, lease: Lease): Promise<PollOutcome> {
  const { graph, feed } = deps;
  const alongside =
    target.artifactInterest > 0 && target.sharePoint !== false && (target.status === undefined || isRunningStatus(target.status));
  // Both requests are queued in this same turn, so they share a `$batch` with the other due polls.
  const sessionRead = graph.getSession(target.id);
  const artifactRead = alongside ? readSiteArtifacts(graph, target.id) : undefined;
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
    target.sharePoint = isSharePointSession(session);
    if (target.artifactInterest > 0 && target.sharePoint) {
      const artifacts = await currentArtifacts(deps, target, session, artifactRead);
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
  target: PollTarget,
  session: GraphRestoreSession,
  alongside: Promise<SessionScopedSiteRestoreArtifact[]> | undefined,
): Promise<readonly SessionScopedSiteRestoreArtifact[] | undefined> {
  const artifacts = alongside ? await alongside.catch(() => undefined) : undefined;
  const terminal = isTerminalSession(session);
  const changed = target.polled === undefined || isNews(target.polled, sessionMark(session));
  const stale =
    artifacts === undefined
      ? changed || isRunningStatus(sessionStatusOf(session))
      : terminal && artifacts.some((a) => !isTerminalArtifactStatus(artifactRestoreStatus.fromGraph(String(a.status))));
  if (!stale) return artifacts;
  try {
    return await readSiteArtifacts(deps.graph, target.id);
  } catch (err) {
    if (terminal) throw err;
    deps.onPollError(target.id, err);
    return artifacts;
  }
}

import type { GraphRestoreSession, SessionScopedRestoreArtifact } from '../graph/dto.js';
import {
  artifactRestoreStatus,
  isTerminalSessionStatus,
  restoreJobType,
  restoreSessionKind,
  restoreSessionStatus,
} from '../graph/enums.js';
import type { RestoreSessionStatus } from '../generated/graphql.js';

/**
 * What travels between the watcher and the subscribers, and the two functions every hop uses to
 * decide whether a snapshot is news: its fingerprint (what a subscriber would see change) and its
 * rank (how far along the lifecycle it is, which never goes back). A snapshot is delivered when its
 * fingerprint differs from the last one delivered and its rank is not lower. The same rule runs in
 * the change feed (in memory, or in Redis inside one Lua script) and again per subscriber, so a
 * duplicate from a takeover, a resync or a mutation racing a poll is dropped wherever it shows up.
 */

/** A message on one session's channel. */
export type LiveMessage =
  /** The session as Graph reported it, when its status or artifact counts changed. */
  | { kind: 'session'; session: GraphRestoreSession }
  /** One artifact of the session (of its family: site, mailbox or drive, or a granular one), when its status changed. */
  | { kind: 'artifact'; artifact: SessionScopedRestoreArtifact }
  /** Graph no longer knows the session (it was deleted). */
  | { kind: 'gone'; sessionId: string }
  /** The instance that polled this session stopped; anyone still interested may take the lease now. */
  | { kind: 'released'; sessionId: string }
  /** A mutation changed the session in a way its answer does not show (artifacts added or removed): poll it now. */
  | { kind: 'touched'; sessionId: string };

/** Where a snapshot stands: `fingerprint` says what changed, `rank` that it is not older than what was seen. */
export interface Mark {
  fingerprint: string;
  rank: number;
}

const SESSION_RANK: Readonly<Record<string, number>> = {
  DRAFT: 0,
  ACTIVATING: 1,
  ACTIVE: 2,
  // Possibly still running: ranked with ACTIVE so a later known status still counts as news.
  UNKNOWN_FUTURE_VALUE: 2,
  COMPLETED: 3,
  COMPLETED_WITH_ERROR: 3,
  FAILED: 3,
};

const ARTIFACT_RANK: Readonly<Record<string, number>> = {
  ADDED: 0,
  SCHEDULING: 1,
  SCHEDULED: 2,
  IN_PROGRESS: 3,
  UNKNOWN_FUTURE_VALUE: 3,
  SUCCEEDED: 4,
  FAILED: 4,
};

/** Above any session rank: a deleted session stays deleted. */
export const GONE_RANK = 9_000_000_000;

/** Finished artifacts never go back to running, so they order snapshots of the same status. */
const FINISHED_SCALE = 1_000_000_000;

export function sessionStatusOf(session: GraphRestoreSession): RestoreSessionStatus {
  return restoreSessionStatus.fromGraph(typeof session.status === 'string' ? session.status : '');
}

export function isTerminalSession(session: GraphRestoreSession): boolean {
  return isTerminalSessionStatus(restoreSessionStatus.fromGraph(typeof session.status === 'string' ? session.status : ''));
}

/**
 * The families of artifacts live status follows: SharePoint sites, Exchange mailboxes, OneDrive accounts, and the items
 * of granular sessions of each (browse items of a site or OneDrive, the mail items of a search).
 */
export type ArtifactFamily = 'site' | 'mailbox' | 'drive' | 'granularSite' | 'granularMailbox' | 'granularDrive';

const ARTIFACT_FAMILIES: ReadonlySet<unknown> = new Set<ArtifactFamily>([
  'site',
  'mailbox',
  'drive',
  'granularSite',
  'granularMailbox',
  'granularDrive',
]);

/**
 * The family of a session's artifacts, from the `@odata.type` Graph answers a session read with (a read through the
 * SharePoint set may leave it out) and its `restoreJobType`: a granular session keeps its artifacts in its family's
 * granular list. Undefined for a session family this gateway does not know: it has no artifacts to follow.
 */
export function artifactFamilyOf(session: GraphRestoreSession): ArtifactFamily | undefined {
  const granular = typeof session.restoreJobType === 'string' && restoreJobType.fromGraph(session.restoreJobType) === 'GRANULAR';
  switch (restoreSessionKind(session['@odata.type'], 'sharePoint')) {
    case 'sharePoint':
      return granular ? 'granularSite' : 'site';
    case 'exchange':
      return granular ? 'granularMailbox' : 'mailbox';
    case 'oneDriveForBusiness':
      return granular ? 'granularDrive' : 'drive';
    default:
      return undefined;
  }
}

/** Site artifacts are read without a family marker; every other family's carry theirs (the GraphQL type hangs on it). */
export function familyOfArtifact(artifact: SessionScopedRestoreArtifact): ArtifactFamily {
  return artifact.restoreArtifactFamily ?? 'site';
}

/**
 * The name an artifact's last published state is recorded and deduplicated under, in the change feed and per
 * subscriber. Ids are only unique within a session (and granular ones are the restored item's key), so the family is
 * part of the name: `a:<id>` for a site (the name it always had, so records written before other families were
 * followed still match), `a.<family>:<id>` (`a.mailbox:…`, `a.granularSite:…`) for the others, which no site id can
 * spell.
 */
export function artifactKey(artifact: SessionScopedRestoreArtifact): string {
  const family = familyOfArtifact(artifact);
  const id = artifact.id.toLowerCase();
  return family === 'site' ? `a:${id}` : `a.${family}:${id}`;
}

/** Status and artifact counts: the contract's "change" of a session. */
export function sessionMark(session: GraphRestoreSession): Mark {
  const status = sessionStatusOf(session);
  const c = session.restoreSessionArtifactCount;
  const n = (x: number | undefined): number => (typeof x === 'number' && Number.isFinite(x) ? x : 0);
  const finished = n(c?.completed) + n(c?.failed);
  return {
    // join, not a template: every subscriber keeps the mark it delivered last, and a template's result is a tree of
    // string pieces several times the size of the one flat string join makes.
    fingerprint: [status, n(c?.total), n(c?.inProgress), n(c?.completed), n(c?.failed)].join('|'),
    rank: (SESSION_RANK[status] ?? 2) * FINISHED_SCALE + Math.min(finished, FINISHED_SCALE - 1),
  };
}

export function artifactMark(artifact: SessionScopedRestoreArtifact): Mark {
  const status = artifactRestoreStatus.fromGraph(typeof artifact.status === 'string' ? artifact.status : '');
  return { fingerprint: status, rank: ARTIFACT_RANK[status] ?? 3 };
}

export const GONE_MARK: Mark = { fingerprint: 'GONE', rank: GONE_RANK };

/** Whether `next` is news after `last` (nothing seen yet: always). */
export function isNews(last: Mark | undefined, next: Mark): boolean {
  return last === undefined || (last.fingerprint !== next.fingerprint && next.rank >= last.rank);
}

export function encodeMessage(message: LiveMessage): string {
  return JSON.stringify(message);
}

/** Parses a message from Redis; anything malformed (another version, another writer) is ignored as undefined. */
export function decodeMessage(text: string): LiveMessage | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const m = value as Record<string, unknown>;
  const isObjectWithId = (x: unknown): boolean => typeof x === 'object' && x !== null && typeof (x as { id?: unknown }).id === 'string';
  switch (m.kind) {
    case 'session':
      return isObjectWithId(m.session) ? (value as LiveMessage) : undefined;
    case 'artifact':
      return isArtifact(m.artifact) ? (value as LiveMessage) : undefined;
    case 'gone':
    case 'released':
    case 'touched':
      return typeof m.sessionId === 'string' ? (value as LiveMessage) : undefined;
    default:
      return undefined;
  }
}

/**
 * An artifact as JSON carries it: its family marker survives the trip (site artifacts have none); one of a family this
 * version does not know (another version's writer) could not be resolved to a GraphQL type, so it is ignored.
 */
function isArtifact(x: unknown): boolean {
  if (typeof x !== 'object' || x === null) return false;
  const a = x as { id?: unknown; restoreSessionId?: unknown; restoreArtifactFamily?: unknown };
  return (
    typeof a.id === 'string' &&
    typeof a.restoreSessionId === 'string' &&
    (a.restoreArtifactFamily === undefined || ARTIFACT_FAMILIES.has(a.restoreArtifactFamily))
  );
}

/**
 * The key a session is watched and published under. Graph ids are GUIDs and Graph matches them
 * case-insensitively, so `ABC…` and `abc…` must share one poller and one channel.
 */
export function sessionKey(id: string): string {
  return id.toLowerCase();
}

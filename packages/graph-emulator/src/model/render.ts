import { evolvable, isoDate, type EnumRequest } from '../http/odata.js';
import type { EmulatorState } from './state.js';
import type {
  ArtifactPlan,
  BulkAdditionRequest,
  BulkRequestStatus,
  IdentitySet,
  PublicError,
  RestoreSession,
  SessionKind,
  RestoreArtifact,
} from './types.js';
import { artifactStatus, viewSession, type SessionView } from './lifecycle.js';

/**
 * Graph JSON for restore sessions, site restore artifacts and bulk-addition requests, in the key order of the doc
 * examples. Restore points and protection units are rendered in render-protection.ts.
 * Every render reads the lifecycle at the given virtual instant; nothing here mutates the model.
 */

type EnumView = EnumRequest;

export const SESSION_TYPES: Record<SessionKind, string> = {
  sharePoint: '#microsoft.graph.sharePointRestoreSession',
  exchange: '#microsoft.graph.exchangeRestoreSession',
  oneDriveForBusiness: '#microsoft.graph.oneDriveForBusinessRestoreSession',
};

/** The entity set each kind of session lives in (besides the polymorphic `restoreSessions`). */
export const SESSION_SETS: Record<SessionKind, string> = {
  sharePoint: 'sharePointRestoreSessions',
  exchange: 'exchangeRestoreSessions',
  oneDriveForBusiness: 'oneDriveForBusinessRestoreSessions',
};

/** Properties a `$select` on a restore session may name (doc key order). */
export const SESSION_PROPERTIES = [
  'id',
  'status',
  'restoreJobType',
  'restoreSessionArtifactCount',
  'createdDateTime',
  'createdBy',
  'completedDateTime',
  'lastModifiedDateTime',
  'lastModifiedBy',
  'error',
] as const;

/** Properties a `$select` on a site restore artifact may name (doc key order). */
export const ARTIFACT_PROPERTIES = [
  'id',
  'destinationType',
  'status',
  'startDateTime',
  'completionDateTime',
  'error',
  'restoredSiteId',
  'restoredSiteName',
  'restoredSiteWebUrl',
  'restorePoint',
] as const;

/** Properties a `$select` on a mailbox restore artifact may name (doc key order). */
export const MAILBOX_ARTIFACT_PROPERTIES = [
  'id',
  'destinationType',
  'status',
  'startDateTime',
  'completionDateTime',
  'error',
  'restoredFolderId',
  'restoredFolderName',
  'restoredItemCount',
  'restorePoint',
] as const;

// ---------------------------------------------------------------------------------------------- shared pieces

export function renderIdentitySet(set: IdentitySet): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (set.application) out.application = { id: set.application.id, displayName: set.application.displayName };
  if (set.user) {
    const user: Record<string, unknown> = { id: set.user.id, displayName: set.user.displayName };
    if (set.user.email) user.email = set.user.email;
    out.user = user;
  }
  return out;
}

export function renderPublicError(error: PublicError | null): Record<string, unknown> | null {
  if (!error) return null;
  const out: Record<string, unknown> = { code: error.code, message: error.message };
  if (error.target !== undefined) out.target = error.target;
  if (error.details) out.details = error.details.map((d) => (d.target === undefined ? { code: d.code, message: d.message } : { ...d }));
  return out;
}

// ---------------------------------------------------------------------------------------------- sessions

/**
 * The artifacts a caller can see at `now`. Artifacts a bulk-addition request resolves are created at activation
 * but dated at the request's resolution instant, and stay hidden until then, while the request still reads `active`.
 */
export function visibleArtifacts(state: EmulatorState, session: RestoreSession, now: number): RestoreArtifact[] {
  const all = state.sessionArtifacts(session);
  for (const a of all) if (a.createdDateTime > now) return all.filter((x) => x.createdDateTime <= now);
  return all;
}

/** When the session's bulk-addition request finishes resolving sites into artifacts; null when not resolving. */
export function bulkResolvingUntil(state: EmulatorState, session: RestoreSession): number | null {
  let until: number | null = null;
  for (const id of session.bulkRequestIds) {
    const at = state.bulkRequest(id)?.resolution?.at;
    if (at !== undefined && (until === null || at > until)) until = at;
  }
  return until;
}

/** The session's aggregate state (status, counts, dates, error) at `now`. */
export function sessionView(state: EmulatorState, session: RestoreSession, now: number): SessionView {
  if (session.fixed) return viewSession(session, [], now);
  return viewSession(session, visibleArtifacts(state, session, now), now, bulkResolvingUntil(state, session));
}

/** A restore session, with its derived `@odata.type`, in the key order of the restoreSessionBase page's JSON. */
export function renderSession(session: RestoreSession, view: SessionView, req: EnumView): Record<string, unknown> {
  const c = view.counts;
  return {
    '@odata.type': SESSION_TYPES[session.kind],
    id: session.id,
    status: evolvable('restoreSessionStatus', view.status, req),
    restoreJobType: evolvable('restoreJobType', session.restoreJobType, req),
    restoreSessionArtifactCount: { total: c.total, inProgress: c.inProgress, completed: c.completed, failed: c.failed },
    createdDateTime: isoDate(session.createdDateTime),
    createdBy: renderIdentitySet(session.createdBy),
    completedDateTime: isoDate(view.completedDateTime),
    lastModifiedDateTime: isoDate(view.lastModifiedDateTime),
    lastModifiedBy: renderIdentitySet(session.lastModifiedBy),
    error: renderPublicError(view.error),
  };
}

// ---------------------------------------------------------------------------------------------- artifacts

/** The restore point as Graph's siteRestoreArtifacts list example inlines it (no `$expand`): id and its two dates. */
export function renderInlineRestorePoint(state: EmulatorState, restorePointId: string): Record<string, unknown> {
  const point = state.restorePoint(restorePointId);
  return {
    id: point?.id ?? restorePointId,
    protectionDateTime: isoDate(point?.protectionDateTime),
    expirationDateTime: isoDate(point?.expirationDateTime),
  };
}

/** What every artifact shows at `now`, and when its restored location is known (see renderArtifact). */
function artifactProgress(a: RestoreArtifact, now: number): { started: boolean; ended: boolean; restored: ArtifactPlan | null } {
  const p = a.plan;
  const started = p !== null && now >= p.startAt;
  const ended = p !== null && now >= p.endAt;
  return { started, ended, restored: p !== null && (a.destinationType === 'inPlace' ? started : ended) ? p : null };
}

export function artifactBase(a: RestoreArtifact, now: number, req: EnumView): Record<string, unknown> {
  const p = a.plan;
  const { started, ended } = artifactProgress(a, now);
  return {
    id: a.id,
    destinationType: evolvable('destinationType', a.destinationType, req),
    status: evolvable('artifactRestoreStatus', artifactStatus(a, now), req),
    startDateTime: isoDate(started && p ? p.startAt : null),
    completionDateTime: isoDate(ended && p ? p.endAt : null),
    error: ended && p && p.outcome === 'failed' ? renderPublicError(p.error) : null,
  };
}

/**
 * A siteRestoreArtifact or driveRestoreArtifact at `now`. Start and completion dates appear once reached (Graph's
 * `0001-01-01` placeholder before). The restored site is known from the start of an in-place restore (it is the
 * original site) and only once a restore to a new location has completed (the new site's details come last).
 */
export function renderArtifact(state: EmulatorState, a: RestoreArtifact, now: number, req: EnumView): Record<string, unknown> {
  const site = artifactProgress(a, now).restored;
  return {
    ...artifactBase(a, now, req),
    restoredSiteId: site?.restoredSiteId || null,
    restoredSiteName: site?.restoredSiteName || null,
    restoredSiteWebUrl: site?.restoredSiteWebUrl || null,
    restorePoint: renderInlineRestorePoint(state, a.restorePointId),
  };
}

/** A mailboxRestoreArtifact at `now`: the restored folder and its item count follow the restored-site rule above. */
export function renderMailboxArtifact(state: EmulatorState, a: RestoreArtifact, now: number, req: EnumView): Record<string, unknown> {
  const folder = artifactProgress(a, now).restored;
  return {
    ...artifactBase(a, now, req),
    restoredFolderId: folder?.restoredFolderId || null,
    restoredFolderName: folder?.restoredFolderName || null,
    restoredItemCount: folder?.restoredItemCount ?? null,
    restorePoint: renderInlineRestorePoint(state, a.restorePointId),
  };
}

// ---------------------------------------------------------------------------------------------- bulk requests

/** `active` until the owning session's activation has resolved the request, then its outcome. */
export function bulkStatus(b: BulkAdditionRequest, now: number): BulkRequestStatus {
  if (!b.resolution || now < b.resolution.at) return 'active';
  return b.resolution.status;
}

/**
 * A bulk addition request of any family. What it names (`siteWebUrls`; `mailboxes` or `drives` and
 * `directoryObjectIds`) is only filled when `withTargets` (get by id): list and create responses leave it empty on
 * purpose (its size), as Graph does.
 */
export function renderBulkRequest(
  b: BulkAdditionRequest,
  now: number,
  req: EnumView,
  withTargets: boolean,
  kind: SessionKind = 'sharePoint',
): Record<string, unknown> {
  const resolved = b.resolution !== null && now >= b.resolution.at;
  const list = (values: string[]): string[] => (withTargets ? [...values] : []);
  const targets: Record<string, string[]> =
    kind === 'sharePoint'
      ? { siteWebUrls: list(b.siteWebUrls) }
      : { [kind === 'exchange' ? 'mailboxes' : 'drives']: list(b.addresses), directoryObjectIds: list(b.directoryObjectIds) };
  return {
    id: b.id,
    displayName: b.displayName,
    status: evolvable('restoreArtifactsBulkRequestStatus', bulkStatus(b, now), req),
    destinationType: evolvable('destinationType', b.destinationType, req),
    protectionTimePeriod: {
      startDateTime: isoDate(b.protectionTimePeriod.startDateTime),
      endDateTime: b.protectionTimePeriod.endDateTime === null ? null : isoDate(b.protectionTimePeriod.endDateTime),
    },
    restorePointPreference: evolvable('restorePointPreference', b.restorePointPreference, req),
    tags: evolvable('restorePointTags', b.tags, req),
    ...targets,
    createdDateTime: isoDate(b.createdDateTime),
    createdBy: renderIdentitySet(b.createdBy),
    lastModifiedDateTime: isoDate(resolved && b.resolution ? Math.max(b.lastModifiedDateTime, b.resolution.at) : b.lastModifiedDateTime),
    lastModifiedBy: renderIdentitySet(b.lastModifiedBy),
    error: resolved && b.resolution ? renderPublicError(b.resolution.error) : null,
  };
}

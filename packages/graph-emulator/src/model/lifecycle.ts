import type {
  ArtifactCounts,
  ArtifactPlan,
  ArtifactRestoreStatus,
  ProtectionUnit,
  RestorePoint,
  RestoreSession,
  RestoreSessionStatus,
  SiteRestoreArtifact,
  PublicError,
} from './types.js';
import { stableGuid } from './ids.js';

/**
 * Restore timing, in unscaled milliseconds after activation. With scale 1 a 3-artifact session finishes
 * 10 seconds after activation: scheduled at 1 s, artifact i starts at 2 s + i s and ends at 7 s + 1.5 s·i.
 */
export const TIMING = { scheduled: 1_000, start: 2_000, startStep: 1_000, end: 7_000, endStep: 1_500 } as const;

/** Decides, from the seed, how an artifact's restore ends and when each transition happens. */
export function planArtifact(
  artifact: SiteRestoreArtifact,
  index: number,
  activatedAt: number,
  scale: number,
  point: RestorePoint | undefined,
  unit: ProtectionUnit | undefined,
): ArtifactPlan {
  const at = (ms: number): number => activatedAt + Math.round(ms * scale);
  const plan: ArtifactPlan = {
    scheduledAt: at(TIMING.scheduled),
    startAt: at(TIMING.start + TIMING.startStep * index),
    endAt: at(TIMING.end + TIMING.endStep * index),
    outcome: 'succeeded',
    error: null,
    restoredSiteId: '',
    restoredSiteName: '',
    restoredSiteWebUrl: '',
  };
  const fail = (error: PublicError): ArtifactPlan => ({ ...plan, outcome: 'failed', error });
  if (!point || !unit) {
    return fail({ code: 'ArtifactNotFound', message: 'The restore point or its protection unit no longer exists.' });
  }
  if (unit.status === 'removeRequested' || unit.status === 'unprotected') {
    return fail({ code: 'ArtifactNotFound', message: `The site '${unit.siteWebUrl}' no longer exists.`, target: unit.siteWebUrl });
  }
  if (point.expirationDateTime <= activatedAt) {
    return fail({ code: 'InvalidRestoreTime', message: 'The restore point is outside the retention period.', target: point.id });
  }
  if (unit.legalHold && artifact.destinationType === 'inPlace') {
    return fail({
      code: 'ArtifactCannotBeRestored',
      message: 'The site is under legal hold and can only be restored to a new URL.',
      target: unit.siteWebUrl,
    });
  }
  if (artifact.destinationType === 'inPlace') {
    return { ...plan, restoredSiteId: unit.siteId, restoredSiteName: unit.siteName, restoredSiteWebUrl: unit.siteWebUrl };
  }
  const suffix = `R${(index % 9) + 1}`;
  const [host] = unit.siteId.split(',');
  return {
    ...plan,
    restoredSiteId: `${host},${stableGuid(`restored-site:${artifact.id}`)},${stableGuid(`restored-web:${artifact.id}`)}`,
    restoredSiteName: `${unit.siteName}${suffix}`,
    restoredSiteWebUrl: `${unit.siteWebUrl}${suffix}`,
  };
}

export function artifactStatus(artifact: SiteRestoreArtifact, now: number): ArtifactRestoreStatus {
  const p = artifact.plan;
  if (!p) return 'added';
  if (now < p.scheduledAt) return 'scheduling';
  if (now < p.startAt) return 'scheduled';
  if (now < p.endAt) return 'inProgress';
  return p.outcome;
}

export function isTerminalArtifact(status: ArtifactRestoreStatus): boolean {
  return status === 'succeeded' || status === 'failed';
}

/** The virtual time of the artifact's latest transition at or before `now`. */
export function artifactLastChange(artifact: SiteRestoreArtifact, activatedAt: number | null, now: number): number {
  const p = artifact.plan;
  if (!p || activatedAt === null) return artifact.createdDateTime;
  const times = [activatedAt, p.scheduledAt, p.startAt, p.endAt].filter((t) => t <= now);
  return Math.max(artifact.createdDateTime, ...times);
}

export interface SessionView {
  status: RestoreSessionStatus;
  counts: ArtifactCounts;
  completedDateTime: number | null;
  lastModifiedDateTime: number;
  error: PublicError | null;
}

/**
 * The session status is Graph's aggregate of its artifacts' statuses at `now` (the restoreSessionStatus values: `active`
 * while any artifact is scheduled or in progress, `completed` when all succeeded, `failed` when all failed).
 *
 * `resolvingUntil` is when a bulk-addition request of the session finishes resolving its sites into artifacts
 * (null when there is none): until then the activated session stays `activating`. An activated session left
 * with no artifact at all (a bulk request that resolved no site) is `failed`, not stuck in `activating`.
 */
export function viewSession(
  session: RestoreSession,
  artifacts: SiteRestoreArtifact[],
  now: number,
  resolvingUntil: number | null = null,
): SessionView {
  if (session.fixed) {
    return {
      status: session.fixed.status,
      counts: session.fixed.counts,
      completedDateTime: session.fixed.completedDateTime,
      lastModifiedDateTime: session.lastModifiedDateTime,
      error: fixedError(session.fixed.status, session.fixed.counts),
    };
  }
  const counts: ArtifactCounts = { total: artifacts.length, inProgress: 0, completed: 0, failed: 0 };
  let scheduling = 0;
  let running = 0;
  let lastModified = session.lastModifiedDateTime;
  let completedAt = 0;
  for (const a of artifacts) {
    const s = artifactStatus(a, now);
    if (s === 'succeeded') counts.completed++;
    else if (s === 'failed') counts.failed++;
    else if (s === 'scheduling') scheduling++;
    else if (s === 'scheduled' || s === 'inProgress') running++;
    if (s === 'scheduling' || s === 'scheduled' || s === 'inProgress') counts.inProgress++;
    lastModified = Math.max(lastModified, artifactLastChange(a, session.activatedAt, now));
    if (a.plan) completedAt = Math.max(completedAt, a.plan.endAt);
  }
  const resolving = resolvingUntil !== null && now < resolvingUntil;
  if (resolvingUntil !== null && !resolving) lastModified = Math.max(lastModified, resolvingUntil);
  // Nothing was ever restored: the session ends at its activation (stable even once the bulk request is deleted).
  if (artifacts.length === 0 && session.activatedAt !== null) completedAt = session.activatedAt;
  let status: RestoreSessionStatus;
  if (session.activatedAt === null || session.activatedAt > now) status = 'draft';
  else if (running > 0) status = 'active';
  else if (scheduling > 0 || resolving) status = 'activating';
  else if (artifacts.length === 0) status = 'failed';
  else if (counts.failed === 0) status = 'completed';
  else if (counts.completed === 0) status = 'failed';
  else status = 'completedWithError';
  const terminal = status === 'completed' || status === 'failed' || status === 'completedWithError';
  return {
    status,
    counts,
    completedDateTime: terminal ? completedAt : null,
    lastModifiedDateTime: lastModified,
    error: terminal ? fixedError(status, counts) : null,
  };
}

function fixedError(status: RestoreSessionStatus, counts: ArtifactCounts): PublicError | null {
  if (status === 'failed' && counts.total === 0) {
    return {
      code: 'RestoreSessionFailed',
      message: 'The restore session has no artifact to restore: no site of its bulk addition request could be resolved.',
    };
  }
  if (status === 'failed') {
    return { code: 'RestoreSessionFailed', message: `All ${counts.total} artifacts of the restore session failed to restore.` };
  }
  if (status === 'completedWithError') {
    return {
      code: 'RestoreSessionCompletedWithErrors',
      message: `${counts.failed} of ${counts.total} artifacts of the restore session failed to restore.`,
    };
  }
  return null;
}

export function isTerminalSession(status: RestoreSessionStatus): boolean {
  return status === 'completed' || status === 'completedWithError' || status === 'failed';
}

import type {
  ArtifactCounts,
  ArtifactPlan,
  ArtifactRestoreStatus,
  ProtectionUnit,
  RestorePoint,
  RestoreSession,
  RestoreSessionStatus,
  RestoreArtifact,
  PublicError,
} from './types.js';
import { createHash } from 'node:crypto';
import { stableGuid } from './ids.js';

/**
 * Restore timing, in unscaled milliseconds after activation. With scale 1 a 3-artifact session finishes
 * 10 seconds after activation: scheduled at 1 s, artifact i starts at 2 s + i s and ends at 7 s + 1.5 s·i.
 */
export const TIMING = { scheduled: 1_000, start: 2_000, startStep: 1_000, end: 7_000, endStep: 1_500 } as const;

/** Decides, from the seed, how an artifact's restore ends and when each transition happens. */
export function planArtifact(
  artifact: RestoreArtifact,
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
    restoredFolderId: '',
    restoredFolderName: '',
    restoredItemCount: null,
  };
  const error = !point || !unit ? missingError() : restoreError(artifact, activatedAt, point, unit);
  if (error || !unit) return { ...plan, outcome: 'failed', error };
  // Graph does not say how it names what it restores to; the examples add a short suffix (`…R0`) to the original.
  const suffix = `R${(index % 9) + 1}`;
  if (unit.kind === 'mailbox') return { ...plan, ...restoredFolder(artifact, unit, suffix) };
  if (artifact.destinationType === 'inPlace') {
    return { ...plan, restoredSiteId: unit.siteId, restoredSiteName: unit.siteName, restoredSiteWebUrl: unit.siteWebUrl };
  }
  // A restore to a new location creates a new site (for a OneDrive too), on the original's host.
  const [host] = unit.siteId.split(',');
  return {
    ...plan,
    restoredSiteId: `${host},${stableGuid(`restored-site:${artifact.id}`)},${stableGuid(`restored-web:${artifact.id}`)}`,
    restoredSiteName: `${unit.siteName}${suffix}`,
    restoredSiteWebUrl: `${unit.siteWebUrl}${suffix}`,
  };
}

function missingError(): PublicError {
  return { code: 'ArtifactNotFound', message: 'The restore point or its protection unit no longer exists.' };
}

/** What a unit is called in messages: a site by its URL, a mailbox or OneDrive by its owner's address. */
function unitName(unit: ProtectionUnit): string {
  if (unit.kind === 'site') return `site '${unit.siteWebUrl}'`;
  return unit.kind === 'mailbox' ? `mailbox '${unit.email}'` : `OneDrive of '${unit.email}'`;
}

const GONE: ReadonlySet<string> = new Set(['removeRequested', 'unprotected', 'offboardRequested', 'offboarded']);

/**
 * Why a restore fails, or null when it succeeds. Removed and offboarded units have nothing left to restore; a point
 * past its retention is refused; a held mailbox or OneDrive can't be restored at all until the hold is removed, a held
 * site only in place (restoresessionbase-activate).
 */
function restoreError(artifact: RestoreArtifact, activatedAt: number, point: RestorePoint, unit: ProtectionUnit): PublicError | null {
  const target = unit.kind === 'site' ? unit.siteWebUrl : unit.email;
  if (GONE.has(unit.status)) {
    const what = unit.kind === 'site' ? `The ${unitName(unit)} no longer exists.` : `The ${unitName(unit)} is no longer protected.`;
    return { code: 'ArtifactNotFound', message: what, target };
  }
  if (point.expirationDateTime <= activatedAt) {
    return { code: 'InvalidRestoreTime', message: 'The restore point is outside the retention period.', target: point.id };
  }
  if (unit.legalHold && unit.kind === 'site' && artifact.destinationType === 'inPlace') {
    return {
      code: 'ArtifactCannotBeRestored',
      message: 'The site is under legal hold and can only be restored to a new URL.',
      target,
    };
  }
  if (unit.legalHold && unit.kind !== 'site') {
    return {
      code: 'ArtifactCannotBeRestored',
      message: `The ${unitName(unit)} is under legal hold and can't be restored until the hold is removed.`,
      target,
    };
  }
  return null;
}

/**
 * An Exchange restore goes to a folder of the same mailbox: in place, the mailbox's own folders (named after the
 * mailbox, as the examples show it); to a new location, a new folder. A mailbox that has not changed since the point
 * in time restores no item, as Graph skips such a restore.
 */
function restoredFolder(
  artifact: RestoreArtifact,
  unit: Extract<ProtectionUnit, { kind: 'mailbox' }>,
  suffix: string,
): Pick<ArtifactPlan, 'restoredFolderId' | 'restoredFolderName' | 'restoredItemCount'> {
  const alias = unit.email.split('@')[0] ?? unit.email;
  const inPlace = artifact.destinationType === 'inPlace';
  const itemCount = unit.unchanged
    ? 0
    : 1 + (createHash('sha256').update(`${unit.id}\n${artifact.restorePointId}`).digest().readUInt32BE(0) % 5000);
  return {
    restoredFolderId: inPlace ? stableGuid(`mailbox-folder:${unit.id}`) : stableGuid(`restored-folder:${artifact.id}`),
    restoredFolderName: inPlace ? alias : `${alias}${suffix}`,
    restoredItemCount: itemCount,
  };
}

export function artifactStatus(artifact: RestoreArtifact, now: number): ArtifactRestoreStatus {
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
export function artifactLastChange(artifact: RestoreArtifact, activatedAt: number | null, now: number): number {
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
  artifacts: RestoreArtifact[],
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

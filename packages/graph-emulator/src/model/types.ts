/** The emulator's in-memory model. Dates are virtual epoch milliseconds; serializers turn them into Graph JSON. */

export type SessionKind = 'sharePoint' | 'exchange' | 'oneDriveForBusiness';
export type RestoreSessionStatus = 'draft' | 'activating' | 'active' | 'completedWithError' | 'completed' | 'failed';
export type ArtifactRestoreStatus = 'added' | 'scheduling' | 'scheduled' | 'inProgress' | 'succeeded' | 'failed';
export type DestinationType = 'new' | 'inPlace';
export type RestoreJobType = 'standard' | 'bulk' | 'granular';
export type RestorePointTags = 'none' | 'fastRestore';
export type BulkRequestStatus = 'unknown' | 'active' | 'completed' | 'completedWithErrors';
export type RestorePointPreference = 'latest' | 'oldest';

export interface Identity {
  id: string;
  displayName: string;
  email?: string;
}
export interface IdentitySet {
  application?: Identity;
  user?: Identity;
}

export interface PublicErrorDetail {
  code: string;
  message: string;
  target?: string;
}
export interface PublicError {
  code: string;
  message: string;
  target?: string;
  details?: PublicErrorDetail[];
}

export interface ProtectionUnit {
  id: string;
  policyId: string;
  siteId: string;
  siteName: string;
  siteWebUrl: string;
  status: 'protectRequested' | 'protected' | 'unprotectRequested' | 'unprotected' | 'removeRequested';
  createdBy: IdentitySet;
  createdDateTime: number;
  lastModifiedBy: IdentitySet;
  lastModifiedDateTime: number;
  /** Emulator-only: the site is under legal hold, so in-place restores fail with ArtifactCannotBeRestored. */
  legalHold: boolean;
}

export interface RestorePoint {
  id: string;
  protectionUnitId: string;
  protectionDateTime: number;
  expirationDateTime: number;
  tags: RestorePointTags;
}

/** When an artifact reaches each state after its session's activation, and how it ends (decided up front). */
export interface ArtifactPlan {
  scheduledAt: number;
  startAt: number;
  endAt: number;
  outcome: 'succeeded' | 'failed';
  error: PublicError | null;
  restoredSiteId: string;
  restoredSiteName: string;
  restoredSiteWebUrl: string;
}

export interface SiteRestoreArtifact {
  id: string;
  sessionId: string;
  restorePointId: string;
  destinationType: DestinationType;
  createdDateTime: number;
  /** Filled when the session is activated. */
  plan: ArtifactPlan | null;
}

export interface BulkAdditionRequest {
  id: string;
  sessionId: string;
  displayName: string;
  destinationType: DestinationType;
  protectionTimePeriod: { startDateTime: number; endDateTime: number | null };
  restorePointPreference: RestorePointPreference;
  tags: RestorePointTags;
  siteWebUrls: string[];
  siteIds: string[];
  createdBy: IdentitySet;
  createdDateTime: number;
  lastModifiedBy: IdentitySet;
  lastModifiedDateTime: number;
  /** Set when the owning session is activated and the request is resolved into artifacts. */
  resolution: { at: number; status: 'completed' | 'completedWithErrors'; error: PublicError | null } | null;
}

export interface RestoreSession {
  id: string;
  kind: SessionKind;
  restoreJobType: RestoreJobType;
  createdBy: IdentitySet;
  createdDateTime: number;
  lastModifiedBy: IdentitySet;
  lastModifiedDateTime: number;
  /** Virtual time of activation; null while draft. */
  activatedAt: number | null;
  /** Artifact ids in insertion order (SharePoint only). */
  artifactIds: string[];
  bulkRequestIds: string[];
  /** Exchange/OneDrive sessions have no artifacts in the emulator: their status and counts are fixed by the seed. */
  fixed?: { status: RestoreSessionStatus; counts: ArtifactCounts; completedDateTime: number | null };
}

export interface ArtifactCounts {
  total: number;
  inProgress: number;
  completed: number;
  failed: number;
}

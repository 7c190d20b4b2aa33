/** The emulator's in-memory model. Dates are virtual epoch milliseconds; serializers turn them into Graph JSON. */

export type SessionKind = 'sharePoint' | 'exchange' | 'oneDriveForBusiness';
export type RestoreSessionStatus = 'draft' | 'activating' | 'active' | 'completedWithError' | 'completed' | 'failed';
export type ArtifactRestoreStatus = 'added' | 'scheduling' | 'scheduled' | 'inProgress' | 'succeeded' | 'failed';
export type DestinationType = 'new' | 'inPlace';
export type RestoreJobType = 'standard' | 'bulk' | 'granular';
/** `includeNewerItems` is a beta member declared after `unknownFutureValue`, so it is Prefer-gated. */
export type RestorePointTags = 'none' | 'fastRestore' | 'includeNewerItems';
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

/** Which workload a protection unit protects: a SharePoint site, a OneDrive (a drive) or an Exchange mailbox. */
export type UnitKind = 'site' | 'drive' | 'mailbox';

/** protectionUnitStatus in metadata order; the three offboarding members come after `unknownFutureValue`. */
export type ProtectionUnitStatus =
  | 'protectRequested'
  | 'protected'
  | 'unprotectRequested'
  | 'unprotected'
  | 'removeRequested'
  | 'offboardRequested'
  | 'offboarded'
  | 'cancelOffboardRequested';

interface ProtectionUnitBase {
  id: string;
  policyId: string;
  status: ProtectionUnitStatus;
  createdBy: IdentitySet;
  createdDateTime: number;
  lastModifiedBy: IdentitySet;
  lastModifiedDateTime: number;
  /**
   * Emulator-only: the site, drive or mailbox is under legal hold. Restores of a held mailbox or drive fail with
   * ArtifactCannotBeRestored; a held site can still be restored to a new URL.
   */
  legalHold: boolean;
}

export interface SiteProtectionUnit extends ProtectionUnitBase {
  kind: 'site';
  siteId: string;
  siteName: string;
  siteWebUrl: string;
}

/**
 * A OneDrive. `siteId`, `siteName` and `siteWebUrl` are its personal site: Graph does not render them on a
 * driveProtectionUnit, but an in-place restore names that site in its `restoredSite*` properties.
 */
export interface DriveProtectionUnit extends ProtectionUnitBase {
  kind: 'drive';
  directoryObjectId: string;
  displayName: string;
  email: string;
  siteId: string;
  siteName: string;
  siteWebUrl: string;
}

export interface MailboxProtectionUnit extends ProtectionUnitBase {
  kind: 'mailbox';
  directoryObjectId: string;
  displayName: string;
  email: string;
  mailboxType: 'user' | 'shared';
  /** Emulator-only: nothing changed in the mailbox since its backups, so a restore restores no item. */
  unchanged: boolean;
}

export type ProtectionUnit = SiteProtectionUnit | DriveProtectionUnit | MailboxProtectionUnit;

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
  /** Sites and drives: the restored site ('' when the restore fails). */
  restoredSiteId: string;
  restoredSiteName: string;
  restoredSiteWebUrl: string;
  /** Mailboxes: the folder the items are restored to ('' when the restore fails) and how many items. */
  restoredFolderId: string;
  restoredFolderName: string;
  restoredItemCount: number | null;
}

/** A standard restore artifact of any family (site, drive or mailbox): its family is its session's. */
export interface RestoreArtifact {
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
  /** SharePoint: the sites to add. */
  siteWebUrls: string[];
  siteIds: string[];
  /** Exchange: SMTP addresses of the mailboxes; OneDrive: e-mail addresses of the drives' owners. */
  addresses: string[];
  /** Exchange and OneDrive: Entra object ids of the mailboxes' or drives' owners. */
  directoryObjectIds: string[];
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
  /** Artifact ids in insertion order. */
  artifactIds: string[];
  bulkRequestIds: string[];
  /**
   * A seeded session whose status, counts and dates the seed fixes instead of its artifacts' plans (the first Exchange
   * and OneDrive sessions of the default seed predate their artifacts; their artifacts agree with these counts).
   */
  fixed?: { status: RestoreSessionStatus; counts: ArtifactCounts; completedDateTime: number | null };
}

export interface ArtifactCounts {
  total: number;
  inProgress: number;
  completed: number;
  failed: number;
}

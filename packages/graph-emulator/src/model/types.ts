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
  /** Granular site and drive items: where the item was restored (null when the restore fails). */
  restoredItem?: RestoredItem | null;
}

/** Where a granular restore put a file, folder or library. */
export interface RestoredItem {
  key: string;
  /** Server-relative path of the folder it was restored into, e.g. `/sites/Finance01/Shared Documents/Reports`. */
  path: string;
  webUrl: string;
}

/** The `browsableResourceType` / `browseQueryResponseItemType` of a backed-up item. */
export type BrowseItemType = 'site' | 'documentLibrary' | 'folder' | 'file';

/**
 * A granular restore of one backed-up SharePoint or OneDrive item, chosen in a browse session. What the restore needs
 * of the item is kept here, so that it still restores once its browse session has expired.
 */
export interface GranularItemRef {
  kind: 'item';
  browseSessionId: string;
  /** The item's key: the artifact's `id`, unique within its session (not across sessions). */
  itemKey: string;
  name: string;
  type: BrowseItemType;
  webUrl: string;
  /** Server-relative path of the folder (or site) holding the item. */
  parentPath: string;
  /** Server-relative path of the document library the item is in (the site's path for a library itself). */
  libraryPath: string;
  /** The site's URL origin (`https://contoso.sharepoint.com`). */
  origin: string;
  restorePointDateTime: number;
  /** `siteId` of the site, or `directoryObjectId` of the OneDrive, the item is in. */
  ownerId: string;
}

/** A granular restore of the mail items a `restorePoints/search` found in one mailbox restore point. */
export interface GranularMailRef {
  kind: 'mail';
  searchResponseId: string;
  /** How many items of the restore point match the search: `artifactCount` and, once restored, `restoredItemCount`. */
  hitCount: number;
}

/** How a granular SharePoint restore treats an item that exists where it is restored to. */
export type ConflictBehavior = 'fail' | 'replace' | 'rename';

/** A browse session on a fastRestore restore point of a site or a OneDrive. */
export interface BrowseSession {
  /** Opaque and URL-safe; compared exactly. */
  id: string;
  kind: 'sharePoint' | 'oneDriveForBusiness';
  restorePointId: string;
  unitId: string;
  restorePointDateTime: number;
  createdDateTime: number;
  /** Graph deletes it then: it answers 404 from that instant on. */
  expirationDateTime: number;
  backupSizeInBytes: number;
}

/** A `restorePoints/search` with an `artifactQuery`, kept so that a granular Exchange restore can name it. */
export interface MailSearch {
  id: string;
  mailboxUnitId: string;
  /** Matches a mail item; see model/mail-items.ts. */
  query: MailQuery;
  createdDateTime: number;
}

/** A parsed mail item query: an item matches when every clause does, and a clause when any of its entries does. */
export interface MailQuery {
  clauses: MailClause[];
}

export type MailClause =
  | { field: 'subject' | 'sender' | 'participants'; any: MailPattern[] }
  | { field: 'hasAttachment'; value: boolean }
  | { field: 'kind'; any: MailItemKind[] };

/** A case-insensitive pattern: `*` matches any run of characters; `contains` matches anywhere. */
export interface MailPattern {
  pattern: string;
  mode: 'like' | 'contains';
}

export type MailItemKind = 'email' | 'note' | 'contact' | 'task' | 'calendar';

/** A standard restore artifact of any family (site, drive or mailbox): its family is its session's. */
export interface RestoreArtifact {
  id: string;
  sessionId: string;
  restorePointId: string;
  destinationType: DestinationType;
  createdDateTime: number;
  /** Filled when the session is activated. */
  plan: ArtifactPlan | null;
  /**
   * Granular artifacts only (the session's `restoreJobType` is `granular`): the item or mail search it restores. A
   * granular site or drive artifact's `id` here is internal (unique); Graph shows its item key as the id.
   */
  granular?: GranularItemRef | GranularMailRef;
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
  /** Granular SharePoint sessions: `@microsoft.graph.conflictBehavior` (default `fail`). */
  conflictBehavior?: ConflictBehavior;
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

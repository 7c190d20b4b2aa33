/* eslint-disable */
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
export type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
export type MakeOptional<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]?: Maybe<T[SubKey]> };
export type MakeMaybe<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]: Maybe<T[SubKey]> };
export type MakeEmpty<T extends { [key: string]: unknown }, K extends keyof T> = { [_ in K]?: never };
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /**
   * A point in time as an RFC 3339 (ISO 8601) string in UTC, for example `2024-05-12T10:01:00.000Z`.
   * Graph sends up to seven fractional second digits; the gateway keeps millisecond precision.
   * Graph writes `0001-01-01T00:00:00Z` when a date has no value; the gateway turns that placeholder
   * into null, so a non-null date is always a real one.
   */
  DateTime: { input: string; output: string; }
  /** An integer that is zero or greater. Used for counts. */
  NonNegativeInt: { input: number; output: number; }
  /**
   * An integer from -(2^53 - 1) to 2^53 - 1, the range a JSON number keeps exactly in every client. Used for sizes in
   * bytes, which Graph sends as strings and which can exceed the 32-bit range of `Int`.
   */
  SafeInt: { input: number; output: number; }
  /** An absolute URL (RFC 3986), for example `https://contoso.sharepoint.com/sites/finance`. */
  URL: { input: string; output: string; }
};

/** One OneDrive account to add to an existing draft OneDrive for Business restore session. */
export type AddDriveRestoreArtifactInput = {
  /** Where to restore the OneDrive: the same as the session's other artifacts. `UNKNOWN_FUTURE_VALUE` is rejected. */
  destinationType: DestinationType;
  /** The id of the OneDrive's restore point to restore (see `restorePoints` and `searchRestorePoints`). */
  restorePointId: Scalars['ID']['input'];
  /** The id of the OneDrive for Business restore session to add the OneDrive to. It must be a `DRAFT`. */
  restoreSessionId: Scalars['ID']['input'];
};

/** One mailbox to add to an existing draft Exchange restore session. */
export type AddMailboxRestoreArtifactInput = {
  /** Where to restore the mailbox: the same as the session's other artifacts. `UNKNOWN_FUTURE_VALUE` is rejected. */
  destinationType: DestinationType;
  /** The id of the mailbox's restore point to restore (see `restorePoints` and `searchRestorePoints`). */
  restorePointId: Scalars['ID']['input'];
  /** The id of the Exchange restore session to add the mailbox to. It must be a `DRAFT`. */
  restoreSessionId: Scalars['ID']['input'];
};

/** One site to add to an existing draft SharePoint restore session. */
export type AddSiteRestoreArtifactInput = {
  /** Where to restore the site: the same as the session's other artifacts. `UNKNOWN_FUTURE_VALUE` is rejected. */
  destinationType: DestinationType;
  /** The id of the restore point to restore (see `restorePoints` and `searchRestorePoints`). */
  restorePointId: Scalars['ID']['input'];
  /** The id of the SharePoint restore session to add the site to. It must be a `DRAFT`. */
  restoreSessionId: Scalars['ID']['input'];
};

/** How far the restore of one artifact has got (Graph's `artifactRestoreStatus`). */
export type ArtifactRestoreStatus =
  /** In a draft session, waiting for the session to be activated. */
  | 'ADDED'
  /** Terminal. The restore failed; the artifact's `error` says why. */
  | 'FAILED'
  /** The service is restoring it now. */
  | 'IN_PROGRESS'
  /** Scheduled; the service has not picked it up yet. */
  | 'SCHEDULED'
  /** The session was activated; the restore of this artifact is being scheduled. */
  | 'SCHEDULING'
  /** Terminal. Restored successfully. */
  | 'SUCCEEDED'
  /**
   * Graph reported a status that this version of the gateway does not know: Graph adds members to
   * its enums over time. Treat it as an unknown, possibly non-terminal state. Not accepted in filters.
   */
  | 'UNKNOWN_FUTURE_VALUE';

/** What a `BrowseItem` is (Graph's `browseQueryResponseItemType`). */
export type BrowseItemKind =
  /** A document library of a site, for example `Documents`. */
  | 'DOCUMENT_LIBRARY'
  /** A file. */
  | 'FILE'
  /** A folder inside a document library or another folder. */
  | 'FOLDER'
  /** A SharePoint site, or a OneDrive's personal site: the top level of a backup. */
  | 'SITE'
  /**
   * Graph reported a kind that this version of the gateway does not know: Graph adds members to its enums over time.
   * Such an item cannot be opened.
   */
  | 'UNKNOWN_FUTURE_VALUE';

/** How `BrowseSession.items` sorts what it lists (Graph's `browseQueryOrder`). */
export type BrowseItemOrder =
  /** By name, A to Z. */
  | 'NAME_ASC'
  /** By name, Z to A. */
  | 'NAME_DESC'
  /** By path, A to Z (Graph's default). */
  | 'PATH_ASC'
  /** By path, Z to A. */
  | 'PATH_DESC';

/** Whether a browse session is ready to list (Graph's `browseSessionStatus`). */
export type BrowseSessionStatus =
  /** Ready: `items` can be listed until the session expires. */
  | 'CREATED'
  /** Graph is preparing the backup for browsing; `items` cannot be listed yet. Read the session again shortly. */
  | 'CREATING'
  /** The backup could not be prepared for browsing; `error` says why. Open a new browse session to try again. */
  | 'FAILED'
  /**
   * Graph reported a status that this version of the gateway does not know: Graph adds members to its enums over time.
   * Treat the session as not ready.
   */
  | 'UNKNOWN_FUTURE_VALUE';

/**
 * What a granular SharePoint restore does when an item of the same name is already where it restores
 * to (Graph's `@microsoft.graph.conflictBehavior`, for every item of the session).
 */
export type ConflictBehavior =
  /** The item is not restored and fails. Graph's default. */
  | 'FAIL'
  /** The restored item is put beside the existing one under a new name, such as `Budget (1).xlsx`. */
  | 'RENAME'
  /** The existing item is replaced by the restored one. */
  | 'REPLACE';

/** A bulk addition request to create for a draft OneDrive for Business restore session. */
export type CreateDriveRestoreArtifactsBulkAdditionRequestInput = {
  /** Where to restore the OneDrive accounts. `UNKNOWN_FUTURE_VALUE` is rejected. */
  destinationType: DestinationType;
  /**
   * The directory (Entra ID) object ids of the owners of the OneDrive accounts to add, for example
   * `384974e2-2f6a-4a46-9d22-7c2e4c5b1f0a`. Give this, `drives` or both.
   */
  directoryObjectIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  /** A name for the request, shown in lists. */
  displayName: Scalars['String']['input'];
  /** The e-mail addresses of the owners of the OneDrive accounts to add, for example `megan@contoso.com`. Give this, `directoryObjectIds` or both: at most 10,000 together. */
  drives?: InputMaybe<Array<Scalars['String']['input']>>;
  /** The time window in which to pick a restore point for each OneDrive. */
  protectionTimePeriod: TimePeriodInput;
  /** Which restore point to pick when a OneDrive has several in the window. Graph's default applies when left out. `UNKNOWN_FUTURE_VALUE` is rejected. */
  restorePointPreference?: InputMaybe<RestorePointPreference>;
  /** The id of the OneDrive for Business restore session to add the OneDrive accounts to. It must be an empty `DRAFT`. */
  restoreSessionId: Scalars['ID']['input'];
  /** Only pick restore points with this tag, for example `FAST_RESTORE`. Leave it out for any tag. `UNKNOWN_FUTURE_VALUE` is rejected. */
  tags?: InputMaybe<RestorePointTags>;
};

/** What to put in a new Exchange restore session. */
export type CreateExchangeRestoreSessionInput = {
  /**
   * The mailboxes to restore, one artifact per restore point. All artifacts of a session must use the
   * same `destinationType`. Leave it out, or pass an empty list, to create an empty draft, for
   * example to fill through a bulk addition request.
   */
  mailboxRestoreArtifacts?: InputMaybe<Array<MailboxRestoreArtifactInput>>;
};

/** What to put in a new granular Exchange restore session. */
export type CreateGranularExchangeRestoreSessionInput = {
  /**
   * The searches to restore, at least one, each restore point and search named once, all with the
   * same `destinationType`.
   */
  mailboxItems: Array<GranularMailboxItemInput>;
};

/** What to put in a new granular OneDrive for Business restore session. */
export type CreateGranularOneDriveForBusinessRestoreSessionInput = {
  /**
   * The items to restore, at least one, each named once (an item key can be in a session once).
   * Granular and whole-OneDrive artifacts never share a session.
   */
  items: Array<GranularItemInput>;
};

/** What to put in a new granular SharePoint restore session. */
export type CreateGranularSharePointRestoreSessionInput = {
  /** What to do when an item of the same name exists where an item is restored to. Graph's default is `FAIL`. */
  conflictBehavior?: InputMaybe<ConflictBehavior>;
  /**
   * Where to restore every item. Graph takes it on beta only (and restores in place without it): on a
   * v1.0 Graph, leave it out, or the create is refused with `BAD_USER_INPUT`. `UNKNOWN_FUTURE_VALUE` is
   * rejected.
   */
  destinationType?: InputMaybe<DestinationType>;
  /**
   * The items to restore, at least one, each named once (an item key can be in a session once).
   * Granular and whole-site artifacts never share a session.
   */
  items: Array<GranularItemInput>;
};

/** A bulk addition request to create for a draft Exchange restore session. */
export type CreateMailboxRestoreArtifactsBulkAdditionRequestInput = {
  /** Where to restore the mailboxes. `UNKNOWN_FUTURE_VALUE` is rejected. */
  destinationType: DestinationType;
  /**
   * The directory (Entra ID) object ids of the owners of the mailboxes to add, for example
   * `384974e2-2f6a-4a46-9d22-7c2e4c5b1f0a`. Give this, `mailboxes` or both.
   */
  directoryObjectIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  /** A name for the request, shown in lists. */
  displayName: Scalars['String']['input'];
  /** The SMTP addresses of the mailboxes to add, for example `megan@contoso.com`. Give this, `directoryObjectIds` or both: at most 10,000 together. */
  mailboxes?: InputMaybe<Array<Scalars['String']['input']>>;
  /** The time window in which to pick a restore point for each mailbox. */
  protectionTimePeriod: TimePeriodInput;
  /** Which restore point to pick when a mailbox has several in the window. Graph's default applies when left out. `UNKNOWN_FUTURE_VALUE` is rejected. */
  restorePointPreference?: InputMaybe<RestorePointPreference>;
  /** The id of the Exchange restore session to add the mailboxes to. It must be an empty `DRAFT`. */
  restoreSessionId: Scalars['ID']['input'];
  /** Only pick restore points with this tag, for example `FAST_RESTORE`. Leave it out for any tag. `UNKNOWN_FUTURE_VALUE` is rejected. */
  tags?: InputMaybe<RestorePointTags>;
};

/** Which backup of a OneDrive for Business account to browse. */
export type CreateOneDriveForBusinessBrowseSessionInput = {
  /**
   * The id of a restore point of a OneDrive account (see `restorePoints` and `searchRestorePoints`). It must be a
   * fast-restore point (`tags` `FAST_RESTORE`): Graph refuses others (`BAD_USER_INPUT` with `extensions.graph.code`).
   */
  restorePointId: Scalars['ID']['input'];
};

/** What to put in a new OneDrive for Business restore session. */
export type CreateOneDriveForBusinessRestoreSessionInput = {
  /**
   * The OneDrive accounts to restore, one artifact per restore point. All artifacts of a session must
   * use the same `destinationType`. Leave it out, or pass an empty list, to create an empty draft,
   * for example to fill through a bulk addition request.
   */
  driveRestoreArtifacts?: InputMaybe<Array<DriveRestoreArtifactInput>>;
};

/** Which backup of a SharePoint site to browse. */
export type CreateSharePointBrowseSessionInput = {
  /**
   * The id of a restore point of a SharePoint site (see `restorePoints` and `searchRestorePoints`). It must be a
   * fast-restore point (`tags` `FAST_RESTORE`): Graph refuses others (`BAD_USER_INPUT` with `extensions.graph.code`).
   */
  restorePointId: Scalars['ID']['input'];
};

/** What to put in a new SharePoint restore session. */
export type CreateSharePointRestoreSessionInput = {
  /**
   * The sites to restore, one artifact per restore point. All artifacts of a session must use the
   * same `destinationType`. Leave it out, or pass an empty list, to create an empty draft, for
   * example to fill through a bulk addition request.
   */
  siteRestoreArtifacts?: InputMaybe<Array<SiteRestoreArtifactInput>>;
};

/** A bulk addition request to create for a draft SharePoint restore session. */
export type CreateSiteRestoreArtifactsBulkAdditionRequestInput = {
  /** Where to restore the sites. `UNKNOWN_FUTURE_VALUE` is rejected. */
  destinationType: DestinationType;
  /** A name for the request, shown in lists. */
  displayName: Scalars['String']['input'];
  /** The time window in which to pick a restore point for each site. */
  protectionTimePeriod: TimePeriodInput;
  /** Which restore point to pick when a site has several in the window. Graph's default applies when left out. `UNKNOWN_FUTURE_VALUE` is rejected. */
  restorePointPreference?: InputMaybe<RestorePointPreference>;
  /** The id of the SharePoint restore session to add the sites to. It must be an empty `DRAFT`. */
  restoreSessionId: Scalars['ID']['input'];
  /** The addresses of the sites to add, for example `https://contoso.sharepoint.com/sites/finance`. At most 10,000. */
  siteWebUrls: Array<Scalars['String']['input']>;
  /** Only pick restore points with this tag, for example `FAST_RESTORE`. Leave it out for any tag. `UNKNOWN_FUTURE_VALUE` is rejected. */
  tags?: InputMaybe<RestorePointTags>;
};

/**
 * Where an artifact is restored to (Graph's `destinationType`). All artifacts of one restore session
 * must use the same destination type.
 */
export type DestinationType =
  /** Over the original site, replacing its content with the restore point's. Permissions are kept. */
  | 'IN_PLACE'
  /**
   * To a new location: a new site is created next to the original, which stays untouched. Only
   * administrators get access to the new site at first. Sites under legal hold can only be restored
   * this way.
   */
  | 'NEW'
  /**
   * Graph reported a destination type that this version of the gateway does not know: Graph adds
   * members to its enums over time. Output only: inputs that send it are rejected.
   */
  | 'UNKNOWN_FUTURE_VALUE';

/** Narrows a list of OneDrive restore artifacts. Leave a field out, or pass null, to not filter on it. */
export type DriveRestoreArtifactFilter = {
  /** Only artifacts in one of these statuses. `UNKNOWN_FUTURE_VALUE` is not accepted here. */
  status?: InputMaybe<Array<ArtifactRestoreStatus>>;
};

/**
 * One OneDrive account to restore: the restore point to restore it from (a restore point of a
 * `DriveProtectionUnit`), and where to.
 */
export type DriveRestoreArtifactInput = {
  /**
   * Where to restore the OneDrive: `NEW` restores into a new site, `IN_PLACE` over the OneDrive itself.
   * `UNKNOWN_FUTURE_VALUE` is rejected.
   */
  destinationType: DestinationType;
  /** The id of the OneDrive's restore point to restore (see `restorePoints` and `searchRestorePoints`). */
  restorePointId: Scalars['ID']['input'];
};

/**
 * The values of `extensions.code` on GraphQL errors returned by this gateway. No field returns this
 * enum: it is declared so that the codes are documented here and typed for the gateway's code.
 * Codes are stable; branch on them rather than on error messages. When Microsoft Graph answered,
 * errors also carry `extensions.graph { status, code, requestId, clientRequestId }` for support cases.
 */
export type GatewayErrorCode =
  /**
   * The operation is not allowed in the item's current state, for example updating, activating or
   * deleting a restore session that is no longer a draft (Graph's `RestoreSessionActionNotAllowed`).
   */
  | 'ACTION_NOT_ALLOWED'
  /**
   * The request itself was refused before any operation ran: a body that is not a GraphQL request,
   * a batch larger than MAX_BATCH_OPERATIONS allows, a document larger than MAX_QUERY_BYTES (HTTP 413),
   * a subscription sent as a plain HTTP request (not as SSE or multipart), a query or mutation sent
   * over WebSocket, SSE or multipart, a mutation sent over GET
   * (HTTP 405), or an automatic persisted query whose `extensions.persistedQuery.sha256Hash` is not
   * the SHA-256 (lowercase hex) of the `query` sent with it, or whose `version` is not 1. HTTP 400
   * otherwise. Fix the request as the message says; sent again unchanged, it fails the same way.
   */
  | 'BAD_REQUEST'
  /** An argument is invalid: a malformed id, an out-of-range page size, an unsupported value. */
  | 'BAD_USER_INPUT'
  /** The caller, or the gateway acting for them, lacks the permission the operation needs. */
  | 'FORBIDDEN'
  /**
   * The document is not valid GraphQL syntax, or holds more lexical tokens than MAX_QUERY_TOKENS
   * (HTTP 400). Nothing ran; fix the document (`locations` points at the spot).
   */
  | 'GRAPHQL_PARSE_FAILED'
  /**
   * The document does not validate against this schema (an unknown field, argument or type, a value
   * of the wrong type), a variable's value does not fit its type, or the document goes beyond the
   * depth, alias, directive or cost limits (MAX_QUERY_DEPTH, MAX_QUERY_ALIASES, MAX_QUERY_COST); HTTP
   * 400. Nothing ran: fix the document or its variables, or ask for less (a smaller `first`, fewer
   * levels) and split it into several operations.
   */
  | 'GRAPHQL_VALIDATION_FAILED'
  /** An unexpected failure inside the gateway or Graph. The error carries no internal detail. */
  | 'INTERNAL_SERVER_ERROR'
  /** The restore session, artifact, restore point or request does not exist (or no longer exists). */
  | 'NOT_FOUND'
  /**
   * The gateway could not tell which operation to run (HTTP 400): the document holds several
   * operations and `operationName` is missing, or `operationName` names none of the document's
   * operations. Send the name of the operation to run.
   */
  | 'OPERATION_RESOLUTION_FAILURE'
  /**
   * A write was sent to Microsoft Graph but its answer was lost (a dropped connection, a timeout, a 5xx
   * from a proxy), and reading back could not tell whether it happened. It may have. Do not repeat it
   * blindly: read the state first (for a create, list the draft sessions), then decide.
   */
  | 'OUTCOME_UNKNOWN'
  /**
   * An automatic persisted query was sent by its hash alone and the gateway does not hold it (never
   * registered, expired, or registered on another replica). Send it again with its `query` and the
   * same hash; Apollo Client's persisted-query link does this on its own.
   */
  | 'PERSISTED_QUERY_NOT_FOUND'
  /**
   * Automatic persisted queries are turned off on this gateway (APQ_CACHE_MB=0). Send the full
   * `query` without the `persistedQuery` extension.
   */
  | 'PERSISTED_QUERY_NOT_SUPPORTED'
  /**
   * This caller used up their share of the gateway's Microsoft Graph quota. Try again after
   * `extensions.retryAfterSeconds` (the HTTP answer also carries `Retry-After`).
   */
  | 'RATE_LIMITED'
  /** No caller token, or one that is invalid or expired. Sign in again. */
  | 'UNAUTHENTICATED'
  /** Microsoft Graph kept throttling the request (HTTP 429) after the gateway's retries. Try again later. */
  | 'UPSTREAM_THROTTLED'
  /** Microsoft Graph was unavailable or timed out after the gateway's retries. Try again later. */
  | 'UPSTREAM_UNAVAILABLE';

/** Narrows a list of granular OneDrive restore artifacts. Leave a field out, or pass null, to not filter on it. */
export type GranularDriveRestoreArtifactFilter = {
  /** Only artifacts in one of these statuses. `UNKNOWN_FUTURE_VALUE` is not accepted here. */
  status?: InputMaybe<Array<ArtifactRestoreStatus>>;
};

/**
 * One item to restore on its own: a site, document library, folder or file that a browse session
 * listed (`BrowseItem`), named by the browse session and the item's key.
 */
export type GranularItemInput = {
  /**
   * The id of the browse session that listed the item. It must be a browse session of the same family
   * (SharePoint for a SharePoint session, OneDrive for a OneDrive one) that has not expired.
   */
  browseSessionId: Scalars['ID']['input'];
  /** The item's key (`BrowseItem.itemKey`), which becomes the artifact's id. */
  itemKey: Scalars['ID']['input'];
};

/**
 * The mail items one search found in one mailbox, to restore: the search and the mailbox's restore
 * point it found them in.
 */
export type GranularMailboxItemInput = {
  /**
   * Where to restore the items: `NEW` restores them into a new folder of the same mailbox, `IN_PLACE`
   * into its own folders. The same for every item of the session. `UNKNOWN_FUTURE_VALUE` is rejected.
   */
  destinationType: DestinationType;
  /**
   * The id of the mailbox's restore point to restore the items from: a `RestorePointSearchHit.restorePoint.id`
   * of the search.
   */
  restorePointId: Scalars['ID']['input'];
  /**
   * The search's id, `RestorePointSearchResult.searchResponseId` of a `searchRestorePoints` with
   * `mailItems` on this mailbox.
   */
  searchResponseId: Scalars['String']['input'];
};

/** Narrows a list of granular Exchange restore artifacts. Leave a field out, or pass null, to not filter on it. */
export type GranularMailboxRestoreArtifactFilter = {
  /** Only artifacts in one of these statuses. `UNKNOWN_FUTURE_VALUE` is not accepted here. */
  status?: InputMaybe<Array<ArtifactRestoreStatus>>;
};

/** Narrows a list of granular SharePoint restore artifacts. Leave a field out, or pass null, to not filter on it. */
export type GranularSiteRestoreArtifactFilter = {
  /** Only artifacts in one of these statuses. `UNKNOWN_FUTURE_VALUE` is not accepted here. */
  status?: InputMaybe<Array<ArtifactRestoreStatus>>;
};

/**
 * The kinds of mailbox items a mail search can look for (Graph's `granularRestoreItems`, and the
 * `MessageKind` of its query expressions).
 */
export type MailItemKind =
  /** Calendar items. */
  | 'CALENDAR'
  /** Contacts. */
  | 'CONTACT'
  /** E-mail messages. */
  | 'EMAIL'
  /** Notes. */
  | 'NOTE'
  /** Tasks. */
  | 'TASK';

/**
 * What a mail search looks for in one mailbox's backups (`SearchRestorePointsInput.mailItems`). Every
 * criterion given must match (AND); leave one out, or pass null, not to search on it. At least one is
 * needed. The gateway sends it as Graph's `artifactQuery`: a `structuredQueryExpression` on a beta
 * Graph, a `queryExpression` (`Subject -like 'Budget*' -and HasAttachment -eq 'true'`) on v1.0.
 */
export type MailItemQueryInput = {
  /** True: only items with an attachment. False: only items without one. Leave it out for either. */
  hasAttachment?: InputMaybe<Scalars['Boolean']['input']>;
  /**
   * Only items of these kinds. Several kinds are accepted on a beta Graph only: on v1.0 at most 1, since
   * Graph joins criteria with AND and an item has one kind.
   */
  kinds?: InputMaybe<Array<MailItemKind>>;
  /** Items sent to each of these recipients (To, Cc or Bcc): names, aliases or SMTP addresses, at most 3. */
  recipients?: InputMaybe<Array<Scalars['String']['input']>>;
  /**
   * Items sent by this sender: a name, alias or SMTP address. At most 3 on a beta Graph; on v1.0 at most
   * 1, since an item has one sender and Graph joins criteria with AND.
   */
  senders?: InputMaybe<Array<Scalars['String']['input']>>;
  /**
   * Items whose subject starts with each of these texts (a trailing `*` may be given; none inside), at
   * most 3. Graph compares without regard to case.
   */
  subjects?: InputMaybe<Array<Scalars['String']['input']>>;
};

/** Narrows a list of mailbox restore artifacts. Leave a field out, or pass null, to not filter on it. */
export type MailboxRestoreArtifactFilter = {
  /** Only artifacts in one of these statuses. `UNKNOWN_FUTURE_VALUE` is not accepted here. */
  status?: InputMaybe<Array<ArtifactRestoreStatus>>;
};

/**
 * One mailbox to restore: the restore point to restore it from (a restore point of a
 * `MailboxProtectionUnit`), and where to.
 */
export type MailboxRestoreArtifactInput = {
  /**
   * Where to restore the mailbox: `NEW` restores into a new folder of the same mailbox, `IN_PLACE` into
   * its own folders. `UNKNOWN_FUTURE_VALUE` is rejected.
   */
  destinationType: DestinationType;
  /** The id of the mailbox's restore point to restore (see `restorePoints` and `searchRestorePoints`). */
  restorePointId: Scalars['ID']['input'];
};

/** The kind of a protected mailbox (Graph's `mailboxType`, beta only). */
export type MailboxType =
  /** A shared mailbox. */
  | 'SHARED'
  /** Graph's own `unknown`: Graph could not tell the mailbox's kind (distinct from a member this gateway does not know). */
  | 'UNKNOWN'
  /**
   * Graph reported a mailbox type that this version of the gateway does not know: Graph adds members to its enums over
   * time.
   */
  | 'UNKNOWN_FUTURE_VALUE'
  /** A user's own mailbox. */
  | 'USER';

/** Where a protection unit is in its protection lifecycle (Graph's `protectionUnitStatus`). */
export type ProtectionUnitStatus =
  /** A requested offboarding is being cancelled. */
  | 'CANCEL_OFFBOARD_REQUESTED'
  /** Offboarded from the backup service. */
  | 'OFFBOARDED'
  /** Offboarding the unit from the backup service was requested. */
  | 'OFFBOARD_REQUESTED'
  /** Protected: restore points are being taken. */
  | 'PROTECTED'
  /** Protection was requested and is being set up. */
  | 'PROTECT_REQUESTED'
  /** Removing the unit from its policy was requested. */
  | 'REMOVE_REQUESTED'
  /**
   * Graph reported a status that this version of the gateway does not know: Graph adds members to
   * its enums over time. Treat the unit's state as unknown.
   */
  | 'UNKNOWN_FUTURE_VALUE'
  /** Not protected: no new restore points are taken; existing ones stay until they expire. */
  | 'UNPROTECTED'
  /** Removing protection was requested. */
  | 'UNPROTECT_REQUESTED';

/** The kind of artifact change in an update of a restore session. */
export type RestoreArtifactChangeOperation =
  /** Adding an artifact to the session. */
  | 'ADD'
  /** Removing an artifact from the session. */
  | 'REMOVE';

/** How far a bulk addition request has got (Graph's `restoreArtifactsBulkRequestStatus`). */
export type RestoreArtifactsBulkRequestStatus =
  /** Created and waiting: it stays here until its restore session is activated. */
  | 'ACTIVE'
  /** Terminal. Every site was resolved and added to the session. */
  | 'COMPLETED'
  /** Terminal. Some sites could not be resolved or added; `error.details` lists them. */
  | 'COMPLETED_WITH_ERRORS'
  /** Graph cannot tell the state right now, for example after a transient fault. Check again later. */
  | 'UNKNOWN'
  /**
   * Graph reported a status that this version of the gateway does not know: Graph adds members to
   * its enums over time. Treat it as an unknown, possibly non-terminal state.
   */
  | 'UNKNOWN_FUTURE_VALUE';

/** How a restore session was built (Graph's `restoreJobType`). */
export type RestoreJobType =
  /** By a bulk addition request that resolves site URLs to restore points. */
  | 'BULK'
  /**
   * From individual files, folders or items picked in a browse session. Graph declares this member
   * after its `unknownFutureValue` sentinel, so it only reports it to callers that send
   * `Prefer: include-unknown-enum-members`; the gateway always sends that header.
   */
  | 'GRANULAR'
  /** From artifacts added one by one, each naming a restore point. */
  | 'STANDARD'
  /**
   * Graph reported a job type that this version of the gateway does not know: Graph adds members to
   * its enums over time. Not accepted in filters.
   */
  | 'UNKNOWN_FUTURE_VALUE';

/** Which restore point to pick when several fall inside a time window (Graph's `restorePointPreference`). */
export type RestorePointPreference =
  /** The newest restore point in the window. */
  | 'LATEST'
  /** The oldest restore point in the window. */
  | 'OLDEST'
  /**
   * Graph reported a preference that this version of the gateway does not know: Graph adds members
   * to its enums over time. Output only: inputs that send it are rejected.
   */
  | 'UNKNOWN_FUTURE_VALUE';

/** Tags on a restore point (Graph's `restorePointTags`). */
export type RestorePointTags =
  /**
   * A fast-restore point: Microsoft 365 Backup can restore from it faster than from a regular one,
   * which matters for large restores.
   */
  | 'FAST_RESTORE'
  /** No tag: a regular restore point. */
  | 'NONE'
  /**
   * Graph reported a tag that this version of the gateway does not know: Graph adds members to its
   * enums over time. Output only: inputs that send it are rejected.
   */
  | 'UNKNOWN_FUTURE_VALUE';

/**
 * Narrows a list of restore sessions. Every field given must match (AND); the values inside one
 * field are alternatives (OR). Leave a field out, or pass null, to not filter on it.
 */
export type RestoreSessionFilter = {
  /** Only sessions built in one of these ways. `UNKNOWN_FUTURE_VALUE` is not accepted here. */
  restoreJobType?: InputMaybe<Array<RestoreJobType>>;
  /** Only sessions in one of these statuses. `UNKNOWN_FUTURE_VALUE` is not accepted here. */
  status?: InputMaybe<Array<RestoreSessionStatus>>;
};

/**
 * Where a restore session is in its lifecycle (Graph's `restoreSessionStatus`). Graph derives it from
 * the statuses of the session's artifacts.
 */
export type RestoreSessionStatus =
  /** Activation was requested: the artifacts are being scheduled (`SCHEDULING`). */
  | 'ACTIVATING'
  /** Restoring: at least one artifact is `SCHEDULED` or `IN_PROGRESS`. */
  | 'ACTIVE'
  /** Terminal. Every artifact was restored successfully. */
  | 'COMPLETED'
  /** Terminal. Every artifact has finished; some succeeded and some failed. Graph's `completedWithError`. */
  | 'COMPLETED_WITH_ERROR'
  /** Being put together: every artifact is `ADDED`. Only a draft can be updated, activated or deleted. */
  | 'DRAFT'
  /**
   * Terminal. Every artifact failed. Graph declares this member after its `unknownFutureValue`
   * sentinel, so it only reports it to callers that send `Prefer: include-unknown-enum-members`;
   * the gateway always sends that header, so you see `FAILED` rather than `UNKNOWN_FUTURE_VALUE`.
   */
  | 'FAILED'
  /**
   * Graph reported a status that this version of the gateway does not know: Graph adds members to
   * its enums over time. Treat the session as in an unknown, possibly non-terminal state; a newer
   * gateway version will name it. Never sent by Graph for the statuses above.
   */
  | 'UNKNOWN_FUTURE_VALUE';

/** What to search restore points for: which protection units, and in which time window. */
export type SearchRestorePointsInput = {
  /** End of the time window to search. Leave it out to search up to now. */
  endDateTime?: InputMaybe<Scalars['DateTime']['input']>;
  /**
   * Search inside one mailbox's backups for mail items (a granular Exchange restore): then
   * `protectionUnitIds` must name exactly one protection unit, a mailbox, and each hit's
   * `artifactHitCount` says how many items match. Pass the answer's `searchResponseId` to
   * `createGranularExchangeRestoreSession`. Because the answer reveals what a mailbox holds, such a
   * search needs the caller's write permission (else `FORBIDDEN`) and is written to the audit log.
   */
  mailItems?: InputMaybe<MailItemQueryInput>;
  /** Which restore point to return when a unit has several in the window. Graph's default applies when left out. */
  preference?: InputMaybe<RestorePointPreference>;
  /** The protection units (protected sites, mailboxes or OneDrive accounts) to search: 1 to 20 ids, exactly 1 with `mailItems`. */
  protectionUnitIds: Array<Scalars['ID']['input']>;
  /** Start of the time window to search (inclusive). */
  startDateTime: Scalars['DateTime']['input'];
  /** Only restore points with this tag, for example `FAST_RESTORE`. Leave it out for any tag. */
  tags?: InputMaybe<RestorePointTags>;
};

/** Narrows a list of site restore artifacts. Leave a field out, or pass null, to not filter on it. */
export type SiteRestoreArtifactFilter = {
  /** Only artifacts in one of these statuses. `UNKNOWN_FUTURE_VALUE` is not accepted here. */
  status?: InputMaybe<Array<ArtifactRestoreStatus>>;
};

/** One site to restore: the restore point to restore it from, and where to. */
export type SiteRestoreArtifactInput = {
  /** Where to restore the site. `UNKNOWN_FUTURE_VALUE` is rejected. */
  destinationType: DestinationType;
  /** The id of the restore point to restore (see `restorePoints` and `searchRestorePoints`). */
  restorePointId: Scalars['ID']['input'];
};

/** A time window to pick restore points from. */
export type TimePeriodInput = {
  /** End of the window. Leave it out for an open-ended window that runs until now. */
  endDateTime?: InputMaybe<Scalars['DateTime']['input']>;
  /** Start of the window (inclusive). */
  startDateTime: Scalars['DateTime']['input'];
};

/**
 * Changes to a draft Exchange restore session. Graph applies additions and removals item by item,
 * so some can succeed while others fail; failures are listed in the payload, not raised as errors.
 * Graph accepts at most 50 changes per update.
 */
export type UpdateExchangeRestoreSessionInput = {
  /** Artifacts to add, one per mailbox and restore point, with the same `destinationType` as the session's other artifacts. */
  addMailboxRestoreArtifacts?: InputMaybe<Array<MailboxRestoreArtifactInput>>;
  /** The id of the Exchange restore session to change. It must be a `DRAFT`. */
  id: Scalars['ID']['input'];
  /** Ids of the session's artifacts to remove. */
  removeMailboxRestoreArtifactIds?: InputMaybe<Array<Scalars['ID']['input']>>;
};

/**
 * Changes to a draft granular OneDrive for Business restore session. Graph applies additions and
 * removals item by item, so some can succeed while others fail; failures are listed in the payload,
 * not raised as errors. Graph accepts at most 50 changes per update.
 */
export type UpdateGranularOneDriveForBusinessRestoreSessionInput = {
  /** Items to add, each named once. */
  addItems?: InputMaybe<Array<GranularItemInput>>;
  /** The id of the granular OneDrive for Business restore session to change. It must be a `DRAFT`. */
  id: Scalars['ID']['input'];
  /** Keys of the items to remove: the ids of the session's artifacts. */
  removeItemKeys?: InputMaybe<Array<Scalars['ID']['input']>>;
};

/**
 * Changes to a draft granular SharePoint restore session. Graph applies additions and removals item by
 * item, so some can succeed while others fail; failures are listed in the payload, not raised as
 * errors. Graph accepts at most 50 changes per update.
 */
export type UpdateGranularSharePointRestoreSessionInput = {
  /** Items to add, each named once. */
  addItems?: InputMaybe<Array<GranularItemInput>>;
  /** The id of the granular SharePoint restore session to change. It must be a `DRAFT`. */
  id: Scalars['ID']['input'];
  /** Keys of the items to remove: the ids of the session's artifacts. */
  removeItemKeys?: InputMaybe<Array<Scalars['ID']['input']>>;
};

/**
 * Changes to a draft OneDrive for Business restore session. Graph applies additions and removals item
 * by item, so some can succeed while others fail; failures are listed in the payload, not raised as
 * errors. Graph accepts at most 50 changes per update.
 */
export type UpdateOneDriveForBusinessRestoreSessionInput = {
  /** Artifacts to add, one per OneDrive and restore point, with the same `destinationType` as the session's other artifacts. */
  addDriveRestoreArtifacts?: InputMaybe<Array<DriveRestoreArtifactInput>>;
  /** The id of the OneDrive for Business restore session to change. It must be a `DRAFT`. */
  id: Scalars['ID']['input'];
  /** Ids of the session's artifacts to remove. */
  removeDriveRestoreArtifactIds?: InputMaybe<Array<Scalars['ID']['input']>>;
};

/**
 * Changes to a draft SharePoint restore session. Graph applies additions and removals item by item,
 * so some can succeed while others fail; failures are listed in the payload, not raised as errors.
 * Graph accepts at most 50 changes per update.
 */
export type UpdateSharePointRestoreSessionInput = {
  /** Artifacts to add, one per site and restore point, with the same `destinationType` as the session's other artifacts. */
  addSiteRestoreArtifacts?: InputMaybe<Array<SiteRestoreArtifactInput>>;
  /** The id of the SharePoint restore session to change. It must be a `DRAFT`. */
  id: Scalars['ID']['input'];
  /** Ids of the session's artifacts to remove. */
  removeSiteRestoreArtifactIds?: InputMaybe<Array<Scalars['ID']['input']>>;
};

type SessionSummary_ExchangeRestoreSession_Fragment = { __typename: 'ExchangeRestoreSession', id: string, status: RestoreSessionStatus, isTerminal: boolean, restoreJobType: RestoreJobType | null, createdDateTime: string | null, completedDateTime: string | null, progress: { __typename: 'RestoreProgress', total: number, inProgress: number, completed: number, failed: number, percentComplete: number }, error: { __typename: 'PublicError', code: string, message: string | null } | null };

type SessionSummary_OneDriveForBusinessRestoreSession_Fragment = { __typename: 'OneDriveForBusinessRestoreSession', id: string, status: RestoreSessionStatus, isTerminal: boolean, restoreJobType: RestoreJobType | null, createdDateTime: string | null, completedDateTime: string | null, progress: { __typename: 'RestoreProgress', total: number, inProgress: number, completed: number, failed: number, percentComplete: number }, error: { __typename: 'PublicError', code: string, message: string | null } | null };

type SessionSummary_SharePointRestoreSession_Fragment = { __typename: 'SharePointRestoreSession', id: string, status: RestoreSessionStatus, isTerminal: boolean, restoreJobType: RestoreJobType | null, createdDateTime: string | null, completedDateTime: string | null, progress: { __typename: 'RestoreProgress', total: number, inProgress: number, completed: number, failed: number, percentComplete: number }, error: { __typename: 'PublicError', code: string, message: string | null } | null };

export type SessionSummaryFragment = SessionSummary_ExchangeRestoreSession_Fragment | SessionSummary_OneDriveForBusinessRestoreSession_Fragment | SessionSummary_SharePointRestoreSession_Fragment;

type UnitName_DriveProtectionUnit_Fragment = { __typename: 'DriveProtectionUnit', displayName: string | null, email: string | null, id: string };

type UnitName_MailboxProtectionUnit_Fragment = { __typename: 'MailboxProtectionUnit', displayName: string | null, email: string | null, id: string };

type UnitName_SiteProtectionUnit_Fragment = { __typename: 'SiteProtectionUnit', siteName: string | null, siteWebUrl: string | null, id: string };

export type UnitNameFragment = UnitName_DriveProtectionUnit_Fragment | UnitName_MailboxProtectionUnit_Fragment | UnitName_SiteProtectionUnit_Fragment;

type ArtifactRow_DriveRestoreArtifact_Fragment = { __typename: 'DriveRestoreArtifact', restoredSiteName: string | null, restoredSiteWebUrl: string | null, id: string, restoreSessionId: string, status: ArtifactRestoreStatus, isTerminal: boolean, destinationType: DestinationType, startDateTime: string | null, completionDateTime: string | null, error: { __typename: 'PublicError', code: string, message: string | null } | null, restorePoint: { __typename: 'RestorePoint', id: string, protectionDateTime: string | null, protectionUnit: { __typename: 'DriveProtectionUnit', displayName: string | null, email: string | null, id: string } | { __typename: 'MailboxProtectionUnit', displayName: string | null, email: string | null, id: string } | { __typename: 'SiteProtectionUnit', siteName: string | null, siteWebUrl: string | null, id: string } | null } | null };

type ArtifactRow_GranularDriveRestoreArtifact_Fragment = { __typename: 'GranularDriveRestoreArtifact', id: string, restoreSessionId: string, status: ArtifactRestoreStatus, isTerminal: boolean, destinationType: DestinationType | null, startDateTime: string | null, completionDateTime: string | null, error: { __typename: 'PublicError', code: string, message: string | null } | null, restorePoint: { __typename: 'RestorePoint', id: string, protectionDateTime: string | null, protectionUnit: { __typename: 'DriveProtectionUnit', displayName: string | null, email: string | null, id: string } | { __typename: 'MailboxProtectionUnit', displayName: string | null, email: string | null, id: string } | { __typename: 'SiteProtectionUnit', siteName: string | null, siteWebUrl: string | null, id: string } | null } | null };

type ArtifactRow_GranularMailboxRestoreArtifact_Fragment = { __typename: 'GranularMailboxRestoreArtifact', id: string, restoreSessionId: string, status: ArtifactRestoreStatus, isTerminal: boolean, destinationType: DestinationType, startDateTime: string | null, completionDateTime: string | null, error: { __typename: 'PublicError', code: string, message: string | null } | null, restorePoint: { __typename: 'RestorePoint', id: string, protectionDateTime: string | null, protectionUnit: { __typename: 'DriveProtectionUnit', displayName: string | null, email: string | null, id: string } | { __typename: 'MailboxProtectionUnit', displayName: string | null, email: string | null, id: string } | { __typename: 'SiteProtectionUnit', siteName: string | null, siteWebUrl: string | null, id: string } | null } | null };

type ArtifactRow_GranularSiteRestoreArtifact_Fragment = { __typename: 'GranularSiteRestoreArtifact', id: string, restoreSessionId: string, status: ArtifactRestoreStatus, isTerminal: boolean, destinationType: DestinationType | null, startDateTime: string | null, completionDateTime: string | null, error: { __typename: 'PublicError', code: string, message: string | null } | null, restorePoint: { __typename: 'RestorePoint', id: string, protectionDateTime: string | null, protectionUnit: { __typename: 'DriveProtectionUnit', displayName: string | null, email: string | null, id: string } | { __typename: 'MailboxProtectionUnit', displayName: string | null, email: string | null, id: string } | { __typename: 'SiteProtectionUnit', siteName: string | null, siteWebUrl: string | null, id: string } | null } | null };

type ArtifactRow_MailboxRestoreArtifact_Fragment = { __typename: 'MailboxRestoreArtifact', restoredFolderName: string | null, restoredItemCount: number | null, id: string, restoreSessionId: string, status: ArtifactRestoreStatus, isTerminal: boolean, destinationType: DestinationType, startDateTime: string | null, completionDateTime: string | null, error: { __typename: 'PublicError', code: string, message: string | null } | null, restorePoint: { __typename: 'RestorePoint', id: string, protectionDateTime: string | null, protectionUnit: { __typename: 'DriveProtectionUnit', displayName: string | null, email: string | null, id: string } | { __typename: 'MailboxProtectionUnit', displayName: string | null, email: string | null, id: string } | { __typename: 'SiteProtectionUnit', siteName: string | null, siteWebUrl: string | null, id: string } | null } | null };

type ArtifactRow_SiteRestoreArtifact_Fragment = { __typename: 'SiteRestoreArtifact', restoredSiteName: string | null, restoredSiteWebUrl: string | null, id: string, restoreSessionId: string, status: ArtifactRestoreStatus, isTerminal: boolean, destinationType: DestinationType, startDateTime: string | null, completionDateTime: string | null, error: { __typename: 'PublicError', code: string, message: string | null } | null, restorePoint: { __typename: 'RestorePoint', id: string, protectionDateTime: string | null, protectionUnit: { __typename: 'DriveProtectionUnit', displayName: string | null, email: string | null, id: string } | { __typename: 'MailboxProtectionUnit', displayName: string | null, email: string | null, id: string } | { __typename: 'SiteProtectionUnit', siteName: string | null, siteWebUrl: string | null, id: string } | null } | null };

export type ArtifactRowFragment = ArtifactRow_DriveRestoreArtifact_Fragment | ArtifactRow_GranularDriveRestoreArtifact_Fragment | ArtifactRow_GranularMailboxRestoreArtifact_Fragment | ArtifactRow_GranularSiteRestoreArtifact_Fragment | ArtifactRow_MailboxRestoreArtifact_Fragment | ArtifactRow_SiteRestoreArtifact_Fragment;

export type ConsoleDashboardQueryVariables = Exact<{
  first: Scalars['Int']['input'];
  after?: InputMaybe<Scalars['String']['input']>;
}>;


export type ConsoleDashboardQuery = { restoreSessions: { __typename: 'RestoreSessionConnection', totalCount: number | null, pageInfo: { __typename: 'PageInfo', hasNextPage: boolean, endCursor: string | null }, nodes: Array<{ __typename: 'ExchangeRestoreSession', id: string, status: RestoreSessionStatus, isTerminal: boolean, restoreJobType: RestoreJobType | null, createdDateTime: string | null, completedDateTime: string | null, progress: { __typename: 'RestoreProgress', total: number, inProgress: number, completed: number, failed: number, percentComplete: number }, error: { __typename: 'PublicError', code: string, message: string | null } | null } | { __typename: 'OneDriveForBusinessRestoreSession', id: string, status: RestoreSessionStatus, isTerminal: boolean, restoreJobType: RestoreJobType | null, createdDateTime: string | null, completedDateTime: string | null, progress: { __typename: 'RestoreProgress', total: number, inProgress: number, completed: number, failed: number, percentComplete: number }, error: { __typename: 'PublicError', code: string, message: string | null } | null } | { __typename: 'SharePointRestoreSession', id: string, status: RestoreSessionStatus, isTerminal: boolean, restoreJobType: RestoreJobType | null, createdDateTime: string | null, completedDateTime: string | null, progress: { __typename: 'RestoreProgress', total: number, inProgress: number, completed: number, failed: number, percentComplete: number }, error: { __typename: 'PublicError', code: string, message: string | null } | null }> } | null };

export type ConsoleSessionQueryVariables = Exact<{
  id: Scalars['ID']['input'];
  first: Scalars['Int']['input'];
}>;


export type ConsoleSessionQuery = { restoreSession: { __typename: 'ExchangeRestoreSession', id: string, status: RestoreSessionStatus, isTerminal: boolean, restoreJobType: RestoreJobType | null, createdDateTime: string | null, completedDateTime: string | null, mailboxRestoreArtifacts: { __typename: 'MailboxRestoreArtifactConnection', totalCount: number | null, nodes: Array<{ __typename: 'MailboxRestoreArtifact', restoredFolderName: string | null, restoredItemCount: number | null, id: string, restoreSessionId: string, status: ArtifactRestoreStatus, isTerminal: boolean, destinationType: DestinationType, startDateTime: string | null, completionDateTime: string | null, error: { __typename: 'PublicError', code: string, message: string | null } | null, restorePoint: { __typename: 'RestorePoint', id: string, protectionDateTime: string | null, protectionUnit: { __typename: 'DriveProtectionUnit', displayName: string | null, email: string | null, id: string } | { __typename: 'MailboxProtectionUnit', displayName: string | null, email: string | null, id: string } | { __typename: 'SiteProtectionUnit', siteName: string | null, siteWebUrl: string | null, id: string } | null } | null }> } | null, progress: { __typename: 'RestoreProgress', total: number, inProgress: number, completed: number, failed: number, percentComplete: number }, error: { __typename: 'PublicError', code: string, message: string | null } | null } | { __typename: 'OneDriveForBusinessRestoreSession', id: string, status: RestoreSessionStatus, isTerminal: boolean, restoreJobType: RestoreJobType | null, createdDateTime: string | null, completedDateTime: string | null, driveRestoreArtifacts: { __typename: 'DriveRestoreArtifactConnection', totalCount: number | null, nodes: Array<{ __typename: 'DriveRestoreArtifact', restoredSiteName: string | null, restoredSiteWebUrl: string | null, id: string, restoreSessionId: string, status: ArtifactRestoreStatus, isTerminal: boolean, destinationType: DestinationType, startDateTime: string | null, completionDateTime: string | null, error: { __typename: 'PublicError', code: string, message: string | null } | null, restorePoint: { __typename: 'RestorePoint', id: string, protectionDateTime: string | null, protectionUnit: { __typename: 'DriveProtectionUnit', displayName: string | null, email: string | null, id: string } | { __typename: 'MailboxProtectionUnit', displayName: string | null, email: string | null, id: string } | { __typename: 'SiteProtectionUnit', siteName: string | null, siteWebUrl: string | null, id: string } | null } | null }> } | null, progress: { __typename: 'RestoreProgress', total: number, inProgress: number, completed: number, failed: number, percentComplete: number }, error: { __typename: 'PublicError', code: string, message: string | null } | null } | { __typename: 'SharePointRestoreSession', id: string, status: RestoreSessionStatus, isTerminal: boolean, restoreJobType: RestoreJobType | null, createdDateTime: string | null, completedDateTime: string | null, siteRestoreArtifacts: { __typename: 'SiteRestoreArtifactConnection', totalCount: number | null, nodes: Array<{ __typename: 'SiteRestoreArtifact', restoredSiteName: string | null, restoredSiteWebUrl: string | null, id: string, restoreSessionId: string, status: ArtifactRestoreStatus, isTerminal: boolean, destinationType: DestinationType, startDateTime: string | null, completionDateTime: string | null, error: { __typename: 'PublicError', code: string, message: string | null } | null, restorePoint: { __typename: 'RestorePoint', id: string, protectionDateTime: string | null, protectionUnit: { __typename: 'DriveProtectionUnit', displayName: string | null, email: string | null, id: string } | { __typename: 'MailboxProtectionUnit', displayName: string | null, email: string | null, id: string } | { __typename: 'SiteProtectionUnit', siteName: string | null, siteWebUrl: string | null, id: string } | null } | null }> } | null, progress: { __typename: 'RestoreProgress', total: number, inProgress: number, completed: number, failed: number, percentComplete: number }, error: { __typename: 'PublicError', code: string, message: string | null } | null } | null };

export type ConsoleSessionArtifactsQueryVariables = Exact<{
  id: Scalars['ID']['input'];
  first: Scalars['Int']['input'];
}>;


export type ConsoleSessionArtifactsQuery = { restoreSession: { __typename: 'ExchangeRestoreSession', id: string, mailboxRestoreArtifacts: { __typename: 'MailboxRestoreArtifactConnection', totalCount: number | null, nodes: Array<{ __typename: 'MailboxRestoreArtifact', restoredFolderName: string | null, restoredItemCount: number | null, id: string, restoreSessionId: string, status: ArtifactRestoreStatus, isTerminal: boolean, destinationType: DestinationType, startDateTime: string | null, completionDateTime: string | null, error: { __typename: 'PublicError', code: string, message: string | null } | null, restorePoint: { __typename: 'RestorePoint', id: string, protectionDateTime: string | null, protectionUnit: { __typename: 'DriveProtectionUnit', displayName: string | null, email: string | null, id: string } | { __typename: 'MailboxProtectionUnit', displayName: string | null, email: string | null, id: string } | { __typename: 'SiteProtectionUnit', siteName: string | null, siteWebUrl: string | null, id: string } | null } | null }> } | null } | { __typename: 'OneDriveForBusinessRestoreSession', id: string, driveRestoreArtifacts: { __typename: 'DriveRestoreArtifactConnection', totalCount: number | null, nodes: Array<{ __typename: 'DriveRestoreArtifact', restoredSiteName: string | null, restoredSiteWebUrl: string | null, id: string, restoreSessionId: string, status: ArtifactRestoreStatus, isTerminal: boolean, destinationType: DestinationType, startDateTime: string | null, completionDateTime: string | null, error: { __typename: 'PublicError', code: string, message: string | null } | null, restorePoint: { __typename: 'RestorePoint', id: string, protectionDateTime: string | null, protectionUnit: { __typename: 'DriveProtectionUnit', displayName: string | null, email: string | null, id: string } | { __typename: 'MailboxProtectionUnit', displayName: string | null, email: string | null, id: string } | { __typename: 'SiteProtectionUnit', siteName: string | null, siteWebUrl: string | null, id: string } | null } | null }> } | null } | { __typename: 'SharePointRestoreSession', id: string, siteRestoreArtifacts: { __typename: 'SiteRestoreArtifactConnection', totalCount: number | null, nodes: Array<{ __typename: 'SiteRestoreArtifact', restoredSiteName: string | null, restoredSiteWebUrl: string | null, id: string, restoreSessionId: string, status: ArtifactRestoreStatus, isTerminal: boolean, destinationType: DestinationType, startDateTime: string | null, completionDateTime: string | null, error: { __typename: 'PublicError', code: string, message: string | null } | null, restorePoint: { __typename: 'RestorePoint', id: string, protectionDateTime: string | null, protectionUnit: { __typename: 'DriveProtectionUnit', displayName: string | null, email: string | null, id: string } | { __typename: 'MailboxProtectionUnit', displayName: string | null, email: string | null, id: string } | { __typename: 'SiteProtectionUnit', siteName: string | null, siteWebUrl: string | null, id: string } | null } | null }> } | null } | null };

export type ConsoleFollowSessionSubscriptionVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type ConsoleFollowSessionSubscription = { restoreSessionStatusChanged: { __typename: 'ExchangeRestoreSession', id: string, status: RestoreSessionStatus, isTerminal: boolean, restoreJobType: RestoreJobType | null, createdDateTime: string | null, completedDateTime: string | null, progress: { __typename: 'RestoreProgress', total: number, inProgress: number, completed: number, failed: number, percentComplete: number }, error: { __typename: 'PublicError', code: string, message: string | null } | null } | { __typename: 'OneDriveForBusinessRestoreSession', id: string, status: RestoreSessionStatus, isTerminal: boolean, restoreJobType: RestoreJobType | null, createdDateTime: string | null, completedDateTime: string | null, progress: { __typename: 'RestoreProgress', total: number, inProgress: number, completed: number, failed: number, percentComplete: number }, error: { __typename: 'PublicError', code: string, message: string | null } | null } | { __typename: 'SharePointRestoreSession', id: string, status: RestoreSessionStatus, isTerminal: boolean, restoreJobType: RestoreJobType | null, createdDateTime: string | null, completedDateTime: string | null, progress: { __typename: 'RestoreProgress', total: number, inProgress: number, completed: number, failed: number, percentComplete: number }, error: { __typename: 'PublicError', code: string, message: string | null } | null } };

export type ConsoleFollowArtifactsSubscriptionVariables = Exact<{
  restoreSessionId: Scalars['ID']['input'];
}>;


export type ConsoleFollowArtifactsSubscription = { restoreArtifactStatusChanged: { __typename: 'DriveRestoreArtifact', restoredSiteName: string | null, restoredSiteWebUrl: string | null, id: string, restoreSessionId: string, status: ArtifactRestoreStatus, isTerminal: boolean, destinationType: DestinationType, startDateTime: string | null, completionDateTime: string | null, error: { __typename: 'PublicError', code: string, message: string | null } | null, restorePoint: { __typename: 'RestorePoint', id: string, protectionDateTime: string | null, protectionUnit: { __typename: 'DriveProtectionUnit', displayName: string | null, email: string | null, id: string } | { __typename: 'MailboxProtectionUnit', displayName: string | null, email: string | null, id: string } | { __typename: 'SiteProtectionUnit', siteName: string | null, siteWebUrl: string | null, id: string } | null } | null } | { __typename: 'GranularDriveRestoreArtifact', id: string, restoreSessionId: string, status: ArtifactRestoreStatus, isTerminal: boolean, destinationType: DestinationType | null, startDateTime: string | null, completionDateTime: string | null, error: { __typename: 'PublicError', code: string, message: string | null } | null, restorePoint: { __typename: 'RestorePoint', id: string, protectionDateTime: string | null, protectionUnit: { __typename: 'DriveProtectionUnit', displayName: string | null, email: string | null, id: string } | { __typename: 'MailboxProtectionUnit', displayName: string | null, email: string | null, id: string } | { __typename: 'SiteProtectionUnit', siteName: string | null, siteWebUrl: string | null, id: string } | null } | null } | { __typename: 'GranularMailboxRestoreArtifact', id: string, restoreSessionId: string, status: ArtifactRestoreStatus, isTerminal: boolean, destinationType: DestinationType, startDateTime: string | null, completionDateTime: string | null, error: { __typename: 'PublicError', code: string, message: string | null } | null, restorePoint: { __typename: 'RestorePoint', id: string, protectionDateTime: string | null, protectionUnit: { __typename: 'DriveProtectionUnit', displayName: string | null, email: string | null, id: string } | { __typename: 'MailboxProtectionUnit', displayName: string | null, email: string | null, id: string } | { __typename: 'SiteProtectionUnit', siteName: string | null, siteWebUrl: string | null, id: string } | null } | null } | { __typename: 'GranularSiteRestoreArtifact', id: string, restoreSessionId: string, status: ArtifactRestoreStatus, isTerminal: boolean, destinationType: DestinationType | null, startDateTime: string | null, completionDateTime: string | null, error: { __typename: 'PublicError', code: string, message: string | null } | null, restorePoint: { __typename: 'RestorePoint', id: string, protectionDateTime: string | null, protectionUnit: { __typename: 'DriveProtectionUnit', displayName: string | null, email: string | null, id: string } | { __typename: 'MailboxProtectionUnit', displayName: string | null, email: string | null, id: string } | { __typename: 'SiteProtectionUnit', siteName: string | null, siteWebUrl: string | null, id: string } | null } | null } | { __typename: 'MailboxRestoreArtifact', restoredFolderName: string | null, restoredItemCount: number | null, id: string, restoreSessionId: string, status: ArtifactRestoreStatus, isTerminal: boolean, destinationType: DestinationType, startDateTime: string | null, completionDateTime: string | null, error: { __typename: 'PublicError', code: string, message: string | null } | null, restorePoint: { __typename: 'RestorePoint', id: string, protectionDateTime: string | null, protectionUnit: { __typename: 'DriveProtectionUnit', displayName: string | null, email: string | null, id: string } | { __typename: 'MailboxProtectionUnit', displayName: string | null, email: string | null, id: string } | { __typename: 'SiteProtectionUnit', siteName: string | null, siteWebUrl: string | null, id: string } | null } | null } | { __typename: 'SiteRestoreArtifact', restoredSiteName: string | null, restoredSiteWebUrl: string | null, id: string, restoreSessionId: string, status: ArtifactRestoreStatus, isTerminal: boolean, destinationType: DestinationType, startDateTime: string | null, completionDateTime: string | null, error: { __typename: 'PublicError', code: string, message: string | null } | null, restorePoint: { __typename: 'RestorePoint', id: string, protectionDateTime: string | null, protectionUnit: { __typename: 'DriveProtectionUnit', displayName: string | null, email: string | null, id: string } | { __typename: 'MailboxProtectionUnit', displayName: string | null, email: string | null, id: string } | { __typename: 'SiteProtectionUnit', siteName: string | null, siteWebUrl: string | null, id: string } | null } | null } };

export type ConsoleProtectedSitesQueryVariables = Exact<{
  first: Scalars['Int']['input'];
  after?: InputMaybe<Scalars['String']['input']>;
}>;


export type ConsoleProtectedSitesQuery = { siteProtectionUnits: { __typename: 'SiteProtectionUnitConnection', totalCount: number | null, pageInfo: { __typename: 'PageInfo', hasNextPage: boolean, endCursor: string | null }, nodes: Array<{ __typename: 'SiteProtectionUnit', id: string, siteName: string | null, siteWebUrl: string | null, status: ProtectionUnitStatus }> } | null };

export type ConsoleRestorePointsQueryVariables = Exact<{
  protectionUnitId: Scalars['ID']['input'];
  before?: InputMaybe<Scalars['DateTime']['input']>;
}>;


export type ConsoleRestorePointsQuery = { restorePoints: Array<{ __typename: 'RestorePoint', id: string, protectionDateTime: string | null, expirationDateTime: string | null, tags: RestorePointTags | null }> | null };

export type ConsoleCreateSiteRestoreMutationVariables = Exact<{
  input: CreateSharePointRestoreSessionInput;
}>;


export type ConsoleCreateSiteRestoreMutation = { createSharePointRestoreSession: { __typename: 'CreateSharePointRestoreSessionPayload', restoreSession: { __typename: 'SharePointRestoreSession', id: string, status: RestoreSessionStatus, isTerminal: boolean, restoreJobType: RestoreJobType | null, createdDateTime: string | null, completedDateTime: string | null, progress: { __typename: 'RestoreProgress', total: number, inProgress: number, completed: number, failed: number, percentComplete: number }, error: { __typename: 'PublicError', code: string, message: string | null } | null } } | null };

export type ConsoleActivateMutationVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type ConsoleActivateMutation = { activateRestoreSession: { __typename: 'ActivateRestoreSessionPayload', restoreSession: { __typename: 'ExchangeRestoreSession', id: string, status: RestoreSessionStatus, isTerminal: boolean, restoreJobType: RestoreJobType | null, createdDateTime: string | null, completedDateTime: string | null, progress: { __typename: 'RestoreProgress', total: number, inProgress: number, completed: number, failed: number, percentComplete: number }, error: { __typename: 'PublicError', code: string, message: string | null } | null } | { __typename: 'OneDriveForBusinessRestoreSession', id: string, status: RestoreSessionStatus, isTerminal: boolean, restoreJobType: RestoreJobType | null, createdDateTime: string | null, completedDateTime: string | null, progress: { __typename: 'RestoreProgress', total: number, inProgress: number, completed: number, failed: number, percentComplete: number }, error: { __typename: 'PublicError', code: string, message: string | null } | null } | { __typename: 'SharePointRestoreSession', id: string, status: RestoreSessionStatus, isTerminal: boolean, restoreJobType: RestoreJobType | null, createdDateTime: string | null, completedDateTime: string | null, progress: { __typename: 'RestoreProgress', total: number, inProgress: number, completed: number, failed: number, percentComplete: number }, error: { __typename: 'PublicError', code: string, message: string | null } | null } } | null };

export const SessionSummaryFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"SessionSummary"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"RestoreSession"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"isTerminal"}},{"kind":"Field","name":{"kind":"Name","value":"restoreJobType"}},{"kind":"Field","name":{"kind":"Name","value":"createdDateTime"}},{"kind":"Field","name":{"kind":"Name","value":"completedDateTime"}},{"kind":"Field","name":{"kind":"Name","value":"progress"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"total"}},{"kind":"Field","name":{"kind":"Name","value":"inProgress"}},{"kind":"Field","name":{"kind":"Name","value":"completed"}},{"kind":"Field","name":{"kind":"Name","value":"failed"}},{"kind":"Field","name":{"kind":"Name","value":"percentComplete"}}]}},{"kind":"Field","name":{"kind":"Name","value":"error"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]} as unknown as DocumentNode<SessionSummaryFragment, unknown>;
export const UnitNameFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"UnitName"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ProtectionUnit"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"SiteProtectionUnit"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"siteName"}},{"kind":"Field","name":{"kind":"Name","value":"siteWebUrl"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"MailboxProtectionUnit"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"displayName"}},{"kind":"Field","name":{"kind":"Name","value":"email"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"DriveProtectionUnit"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"displayName"}},{"kind":"Field","name":{"kind":"Name","value":"email"}}]}}]}}]} as unknown as DocumentNode<UnitNameFragment, unknown>;
export const ArtifactRowFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ArtifactRow"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"RestoreArtifact"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"restoreSessionId"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"isTerminal"}},{"kind":"Field","name":{"kind":"Name","value":"destinationType"}},{"kind":"Field","name":{"kind":"Name","value":"startDateTime"}},{"kind":"Field","name":{"kind":"Name","value":"completionDateTime"}},{"kind":"Field","name":{"kind":"Name","value":"error"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}},{"kind":"Field","name":{"kind":"Name","value":"restorePoint"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"protectionDateTime"}},{"kind":"Field","name":{"kind":"Name","value":"protectionUnit"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"UnitName"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"SiteRestoreArtifact"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"restoredSiteName"}},{"kind":"Field","name":{"kind":"Name","value":"restoredSiteWebUrl"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"MailboxRestoreArtifact"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"restoredFolderName"}},{"kind":"Field","name":{"kind":"Name","value":"restoredItemCount"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"DriveRestoreArtifact"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"restoredSiteName"}},{"kind":"Field","name":{"kind":"Name","value":"restoredSiteWebUrl"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"UnitName"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ProtectionUnit"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"SiteProtectionUnit"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"siteName"}},{"kind":"Field","name":{"kind":"Name","value":"siteWebUrl"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"MailboxProtectionUnit"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"displayName"}},{"kind":"Field","name":{"kind":"Name","value":"email"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"DriveProtectionUnit"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"displayName"}},{"kind":"Field","name":{"kind":"Name","value":"email"}}]}}]}}]} as unknown as DocumentNode<ArtifactRowFragment, unknown>;
export const ConsoleDashboardDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ConsoleDashboard"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"restoreSessions"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}},{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"SessionSummary"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"SessionSummary"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"RestoreSession"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"isTerminal"}},{"kind":"Field","name":{"kind":"Name","value":"restoreJobType"}},{"kind":"Field","name":{"kind":"Name","value":"createdDateTime"}},{"kind":"Field","name":{"kind":"Name","value":"completedDateTime"}},{"kind":"Field","name":{"kind":"Name","value":"progress"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"total"}},{"kind":"Field","name":{"kind":"Name","value":"inProgress"}},{"kind":"Field","name":{"kind":"Name","value":"completed"}},{"kind":"Field","name":{"kind":"Name","value":"failed"}},{"kind":"Field","name":{"kind":"Name","value":"percentComplete"}}]}},{"kind":"Field","name":{"kind":"Name","value":"error"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]} as unknown as DocumentNode<ConsoleDashboardQuery, ConsoleDashboardQueryVariables>;
export const ConsoleSessionDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ConsoleSession"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"restoreSession"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"SessionSummary"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"SharePointRestoreSession"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"siteRestoreArtifacts"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ArtifactRow"}}]}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ExchangeRestoreSession"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"mailboxRestoreArtifacts"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ArtifactRow"}}]}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"OneDriveForBusinessRestoreSession"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"driveRestoreArtifacts"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ArtifactRow"}}]}}]}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"UnitName"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ProtectionUnit"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"SiteProtectionUnit"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"siteName"}},{"kind":"Field","name":{"kind":"Name","value":"siteWebUrl"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"MailboxProtectionUnit"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"displayName"}},{"kind":"Field","name":{"kind":"Name","value":"email"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"DriveProtectionUnit"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"displayName"}},{"kind":"Field","name":{"kind":"Name","value":"email"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"SessionSummary"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"RestoreSession"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"isTerminal"}},{"kind":"Field","name":{"kind":"Name","value":"restoreJobType"}},{"kind":"Field","name":{"kind":"Name","value":"createdDateTime"}},{"kind":"Field","name":{"kind":"Name","value":"completedDateTime"}},{"kind":"Field","name":{"kind":"Name","value":"progress"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"total"}},{"kind":"Field","name":{"kind":"Name","value":"inProgress"}},{"kind":"Field","name":{"kind":"Name","value":"completed"}},{"kind":"Field","name":{"kind":"Name","value":"failed"}},{"kind":"Field","name":{"kind":"Name","value":"percentComplete"}}]}},{"kind":"Field","name":{"kind":"Name","value":"error"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ArtifactRow"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"RestoreArtifact"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"restoreSessionId"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"isTerminal"}},{"kind":"Field","name":{"kind":"Name","value":"destinationType"}},{"kind":"Field","name":{"kind":"Name","value":"startDateTime"}},{"kind":"Field","name":{"kind":"Name","value":"completionDateTime"}},{"kind":"Field","name":{"kind":"Name","value":"error"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}},{"kind":"Field","name":{"kind":"Name","value":"restorePoint"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"protectionDateTime"}},{"kind":"Field","name":{"kind":"Name","value":"protectionUnit"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"UnitName"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"SiteRestoreArtifact"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"restoredSiteName"}},{"kind":"Field","name":{"kind":"Name","value":"restoredSiteWebUrl"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"MailboxRestoreArtifact"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"restoredFolderName"}},{"kind":"Field","name":{"kind":"Name","value":"restoredItemCount"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"DriveRestoreArtifact"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"restoredSiteName"}},{"kind":"Field","name":{"kind":"Name","value":"restoredSiteWebUrl"}}]}}]}}]} as unknown as DocumentNode<ConsoleSessionQuery, ConsoleSessionQueryVariables>;
export const ConsoleSessionArtifactsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ConsoleSessionArtifacts"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"restoreSession"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"SharePointRestoreSession"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"siteRestoreArtifacts"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ArtifactRow"}}]}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ExchangeRestoreSession"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"mailboxRestoreArtifacts"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ArtifactRow"}}]}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"OneDriveForBusinessRestoreSession"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"driveRestoreArtifacts"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ArtifactRow"}}]}}]}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"UnitName"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ProtectionUnit"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"SiteProtectionUnit"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"siteName"}},{"kind":"Field","name":{"kind":"Name","value":"siteWebUrl"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"MailboxProtectionUnit"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"displayName"}},{"kind":"Field","name":{"kind":"Name","value":"email"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"DriveProtectionUnit"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"displayName"}},{"kind":"Field","name":{"kind":"Name","value":"email"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ArtifactRow"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"RestoreArtifact"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"restoreSessionId"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"isTerminal"}},{"kind":"Field","name":{"kind":"Name","value":"destinationType"}},{"kind":"Field","name":{"kind":"Name","value":"startDateTime"}},{"kind":"Field","name":{"kind":"Name","value":"completionDateTime"}},{"kind":"Field","name":{"kind":"Name","value":"error"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}},{"kind":"Field","name":{"kind":"Name","value":"restorePoint"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"protectionDateTime"}},{"kind":"Field","name":{"kind":"Name","value":"protectionUnit"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"UnitName"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"SiteRestoreArtifact"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"restoredSiteName"}},{"kind":"Field","name":{"kind":"Name","value":"restoredSiteWebUrl"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"MailboxRestoreArtifact"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"restoredFolderName"}},{"kind":"Field","name":{"kind":"Name","value":"restoredItemCount"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"DriveRestoreArtifact"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"restoredSiteName"}},{"kind":"Field","name":{"kind":"Name","value":"restoredSiteWebUrl"}}]}}]}}]} as unknown as DocumentNode<ConsoleSessionArtifactsQuery, ConsoleSessionArtifactsQueryVariables>;
export const ConsoleFollowSessionDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"ConsoleFollowSession"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"restoreSessionStatusChanged"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"SessionSummary"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"SessionSummary"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"RestoreSession"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"isTerminal"}},{"kind":"Field","name":{"kind":"Name","value":"restoreJobType"}},{"kind":"Field","name":{"kind":"Name","value":"createdDateTime"}},{"kind":"Field","name":{"kind":"Name","value":"completedDateTime"}},{"kind":"Field","name":{"kind":"Name","value":"progress"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"total"}},{"kind":"Field","name":{"kind":"Name","value":"inProgress"}},{"kind":"Field","name":{"kind":"Name","value":"completed"}},{"kind":"Field","name":{"kind":"Name","value":"failed"}},{"kind":"Field","name":{"kind":"Name","value":"percentComplete"}}]}},{"kind":"Field","name":{"kind":"Name","value":"error"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]} as unknown as DocumentNode<ConsoleFollowSessionSubscription, ConsoleFollowSessionSubscriptionVariables>;
export const ConsoleFollowArtifactsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"ConsoleFollowArtifacts"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"restoreSessionId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"restoreArtifactStatusChanged"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"restoreSessionId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"restoreSessionId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ArtifactRow"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"UnitName"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ProtectionUnit"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"SiteProtectionUnit"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"siteName"}},{"kind":"Field","name":{"kind":"Name","value":"siteWebUrl"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"MailboxProtectionUnit"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"displayName"}},{"kind":"Field","name":{"kind":"Name","value":"email"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"DriveProtectionUnit"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"displayName"}},{"kind":"Field","name":{"kind":"Name","value":"email"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ArtifactRow"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"RestoreArtifact"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"restoreSessionId"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"isTerminal"}},{"kind":"Field","name":{"kind":"Name","value":"destinationType"}},{"kind":"Field","name":{"kind":"Name","value":"startDateTime"}},{"kind":"Field","name":{"kind":"Name","value":"completionDateTime"}},{"kind":"Field","name":{"kind":"Name","value":"error"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}},{"kind":"Field","name":{"kind":"Name","value":"restorePoint"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"protectionDateTime"}},{"kind":"Field","name":{"kind":"Name","value":"protectionUnit"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"UnitName"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"SiteRestoreArtifact"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"restoredSiteName"}},{"kind":"Field","name":{"kind":"Name","value":"restoredSiteWebUrl"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"MailboxRestoreArtifact"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"restoredFolderName"}},{"kind":"Field","name":{"kind":"Name","value":"restoredItemCount"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"DriveRestoreArtifact"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"restoredSiteName"}},{"kind":"Field","name":{"kind":"Name","value":"restoredSiteWebUrl"}}]}}]}}]} as unknown as DocumentNode<ConsoleFollowArtifactsSubscription, ConsoleFollowArtifactsSubscriptionVariables>;
export const ConsoleProtectedSitesDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ConsoleProtectedSites"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"siteProtectionUnits"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}},{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"siteName"}},{"kind":"Field","name":{"kind":"Name","value":"siteWebUrl"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}}]}}]}}]} as unknown as DocumentNode<ConsoleProtectedSitesQuery, ConsoleProtectedSitesQueryVariables>;
export const ConsoleRestorePointsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ConsoleRestorePoints"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"protectionUnitId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"before"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"DateTime"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"restorePoints"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"protectionUnitId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"protectionUnitId"}}},{"kind":"Argument","name":{"kind":"Name","value":"before"},"value":{"kind":"Variable","name":{"kind":"Name","value":"before"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"protectionDateTime"}},{"kind":"Field","name":{"kind":"Name","value":"expirationDateTime"}},{"kind":"Field","name":{"kind":"Name","value":"tags"}}]}}]}}]} as unknown as DocumentNode<ConsoleRestorePointsQuery, ConsoleRestorePointsQueryVariables>;
export const ConsoleCreateSiteRestoreDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ConsoleCreateSiteRestore"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CreateSharePointRestoreSessionInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createSharePointRestoreSession"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"restoreSession"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"SessionSummary"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"SessionSummary"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"RestoreSession"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"isTerminal"}},{"kind":"Field","name":{"kind":"Name","value":"restoreJobType"}},{"kind":"Field","name":{"kind":"Name","value":"createdDateTime"}},{"kind":"Field","name":{"kind":"Name","value":"completedDateTime"}},{"kind":"Field","name":{"kind":"Name","value":"progress"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"total"}},{"kind":"Field","name":{"kind":"Name","value":"inProgress"}},{"kind":"Field","name":{"kind":"Name","value":"completed"}},{"kind":"Field","name":{"kind":"Name","value":"failed"}},{"kind":"Field","name":{"kind":"Name","value":"percentComplete"}}]}},{"kind":"Field","name":{"kind":"Name","value":"error"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]} as unknown as DocumentNode<ConsoleCreateSiteRestoreMutation, ConsoleCreateSiteRestoreMutationVariables>;
export const ConsoleActivateDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ConsoleActivate"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"activateRestoreSession"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"restoreSession"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"SessionSummary"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"SessionSummary"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"RestoreSession"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"isTerminal"}},{"kind":"Field","name":{"kind":"Name","value":"restoreJobType"}},{"kind":"Field","name":{"kind":"Name","value":"createdDateTime"}},{"kind":"Field","name":{"kind":"Name","value":"completedDateTime"}},{"kind":"Field","name":{"kind":"Name","value":"progress"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"total"}},{"kind":"Field","name":{"kind":"Name","value":"inProgress"}},{"kind":"Field","name":{"kind":"Name","value":"completed"}},{"kind":"Field","name":{"kind":"Name","value":"failed"}},{"kind":"Field","name":{"kind":"Name","value":"percentComplete"}}]}},{"kind":"Field","name":{"kind":"Name","value":"error"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]} as unknown as DocumentNode<ConsoleActivateMutation, ConsoleActivateMutationVariables>;
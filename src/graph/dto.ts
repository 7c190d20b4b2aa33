/**
 * Microsoft Graph's JSON wire shapes for the backup-storage API (`/solutions/backupRestore`), beta
 * and v1.0 alike. These describe what Graph sends and accepts, not what the gateway exposes; the
 * GraphQL types are mapped onto them by codegen (`mappers` in codegen.yml).
 *
 * Graph only promises `id` on entities: any other property may be missing or null (older responses,
 * `$select`, inline `$expand` fragments), so they are optional. Evolvable enums are typed `string`
 * because Graph adds members over time; the `Known…` unions list the members documented today and
 * type the tables in `enums.ts`, where unknown values are handled.
 */

/** An ISO 8601 date-time as Graph writes it, with up to seven fractional digits. */
export type GraphDateTime = string;

// --- evolvable enum members documented today ---------------------------------------------------

export type KnownRestoreSessionStatus =
  'draft' | 'activating' | 'active' | 'completedWithError' | 'completed' | 'unknownFutureValue' | 'failed';
export type KnownArtifactRestoreStatus =
  'added' | 'scheduling' | 'scheduled' | 'inProgress' | 'succeeded' | 'failed' | 'unknownFutureValue';
export type KnownDestinationType = 'new' | 'inPlace' | 'unknownFutureValue';
export type KnownRestoreJobType = 'standard' | 'bulk' | 'unknownFutureValue' | 'granular';
export type KnownRestorePointTags = 'none' | 'fastRestore' | 'unknownFutureValue';
export type KnownRestorePointPreference = 'latest' | 'oldest' | 'unknownFutureValue';
export type KnownRestoreArtifactsBulkRequestStatus = 'unknown' | 'active' | 'completed' | 'completedWithErrors' | 'unknownFutureValue';
export type KnownProtectionUnitStatus =
  | 'protectRequested'
  | 'protected'
  | 'unprotectRequested'
  | 'unprotected'
  | 'removeRequested'
  | 'offboardRequested'
  | 'offboarded'
  | 'cancelOffboardRequested'
  | 'unknownFutureValue';

// --- OData annotations --------------------------------------------------------------------------

/** Control information Graph may put on any entity. */
export interface ODataAnnotations {
  /** Derived type, e.g. `#microsoft.graph.sharePointRestoreSession` (also spelled `sharepoint…`). */
  '@odata.type'?: string;
  '@odata.context'?: string;
  '@odata.id'?: string;
  '@odata.etag'?: string;
}

/** A reference to an entity by id, as used when binding a restore point to a new artifact. */
export interface GraphEntityReference {
  id: string;
}

// --- identities and errors ---------------------------------------------------------------------

/** Graph's `identity`, an open type: every member is optional and examples add `email`. */
export interface GraphIdentity {
  '@odata.type'?: string;
  id?: string | null;
  displayName?: string | null;
  email?: string | null;
  tenantId?: string | null;
  /** Some bulk-request examples carry the user's object id here instead of in `id`. */
  identity?: string | null;
}

/** Graph's `identitySet`. */
export interface GraphIdentitySet {
  '@odata.type'?: string;
  user?: GraphIdentity | null;
  application?: GraphIdentity | null;
  applicationInstance?: GraphIdentity | null;
  device?: GraphIdentity | null;
  conversation?: GraphIdentity | null;
  conversationIdentityType?: GraphIdentity | null;
  encrypted?: GraphIdentity | null;
  guest?: GraphIdentity | null;
  phone?: GraphIdentity | null;
}

/** Graph's `publicErrorDetail`. */
export interface GraphPublicErrorDetail {
  code?: string | null;
  message?: string | null;
  target?: string | null;
}

/** Graph's `publicInnerError`. */
export interface GraphPublicInnerError {
  code?: string | null;
  message?: string | null;
  target?: string | null;
  details?: GraphPublicErrorDetail[] | null;
}

/** Graph's `publicError`: an error reported as data on a session, artifact or bulk request. */
export interface GraphPublicError {
  code?: string | null;
  message?: string | null;
  target?: string | null;
  details?: GraphPublicErrorDetail[] | null;
  innerError?: GraphPublicInnerError | null;
}

/** Graph's `timePeriod`. */
export interface GraphTimePeriod {
  startDateTime?: GraphDateTime | null;
  endDateTime?: GraphDateTime | null;
}

// --- restore sessions --------------------------------------------------------------------------

/** Graph's `restoreSessionArtifactCount`. */
export interface GraphRestoreSessionArtifactCount {
  total: number;
  inProgress: number;
  completed: number;
  failed: number;
}

/**
 * Graph's `restoreSessionBase` as any of its derived types. Lists over `restoreSessions` mix
 * families; `@odata.type` tells them apart (see `enums.ts`), and may be missing when the type is
 * the one of the entity set it was read from.
 */
export interface GraphRestoreSession extends ODataAnnotations {
  id: string;
  /** {@link KnownRestoreSessionStatus} or a newer member. */
  status: string;
  /** {@link KnownRestoreJobType} or a newer member; missing on some older responses. */
  restoreJobType?: string | null;
  restoreSessionArtifactCount?: GraphRestoreSessionArtifactCount | null;
  createdDateTime?: GraphDateTime | null;
  createdBy?: GraphIdentitySet | null;
  completedDateTime?: GraphDateTime | null;
  lastModifiedDateTime?: GraphDateTime | null;
  lastModifiedBy?: GraphIdentitySet | null;
  error?: GraphPublicError | null;
}

/** Graph's `sharePointRestoreSession`; its collections only appear when expanded. */
export interface GraphSharePointRestoreSession extends GraphRestoreSession {
  siteRestoreArtifacts?: GraphSiteRestoreArtifact[];
  siteRestoreArtifactsBulkAdditionRequests?: GraphSiteRestoreArtifactsBulkAdditionRequest[];
}

/** One artifact (of any family) in a create request or in the additions of a `@delta` update. */
export interface GraphRestoreArtifactCreate {
  restorePoint: GraphEntityReference;
  /** {@link KnownDestinationType} */
  destinationType: string;
}

/** A removal inside a `@delta` update. */
export interface GraphDeltaRemoval {
  '@removed': { reason: 'changed' | 'deleted' };
  id: string;
}

/** An item of a `@delta` update that Graph refused; the HTTP answer is still 200. */
export interface GraphDeltaItemFailure {
  '@contentId'?: string;
  '@Core.DataModificationException': {
    info?: { code?: string | null; message?: string | null } | null;
    /** `add` or `remove` as far as the docs show. */
    failedOperation?: string | null;
    responseCode?: number | null;
  };
  id?: string | null;
}

/**
 * The items of Graph's answer to a `@delta` update (`<family artifacts>@delta`): the docs promise the session but show
 * only the changed items, each an added artifact, a removal, or a refused change.
 */
export type GraphDeltaAnswerItem = GraphRestoreArtifact | GraphDeltaItemFailure | GraphDeltaRemoval;

/** Graph's answer to a `@delta` update: its items, and the ids of the exchange (a refused item carries none of its own). */
export interface GraphDeltaAnswer {
  items: GraphDeltaAnswerItem[];
  requestId: string | undefined;
  clientRequestId: string | undefined;
}

// --- site restore artifacts --------------------------------------------------------------------

/** Graph's `restoreArtifactBase`: what the artifacts of every family share. */
export interface GraphRestoreArtifact extends ODataAnnotations {
  id: string;
  /** {@link KnownDestinationType} or a newer member. */
  destinationType: string;
  /** {@link KnownArtifactRestoreStatus} or a newer member. */
  status: string;
  startDateTime?: GraphDateTime | null;
  completionDateTime?: GraphDateTime | null;
  error?: GraphPublicError | null;
  /** Lists inline it (id and dates) without `$expand`; updates return only its id. */
  restorePoint?: (GraphEntityReference & Partial<GraphRestorePoint>) | null;
  /** Not in the resource definition, but update answers carry it. */
  createdDateTime?: GraphDateTime | null;
}

/** Graph's `siteRestoreArtifact`. */
export interface GraphSiteRestoreArtifact extends GraphRestoreArtifact {
  restoredSiteId?: string | null;
  restoredSiteName?: string | null;
  restoredSiteWebUrl?: string | null;
}

/** Graph's `mailboxRestoreArtifact`: restored into a folder of the same mailbox. */
export interface GraphMailboxRestoreArtifact extends GraphRestoreArtifact {
  restoredFolderId?: string | null;
  restoredFolderName?: string | null;
  /** Absent on older beta answers. */
  restoredItemCount?: number | null;
}

/** Graph's `driveRestoreArtifact`: restored to a site (the OneDrive's own, or a new one). */
export interface GraphDriveRestoreArtifact extends GraphRestoreArtifact {
  restoredSiteId?: string | null;
  restoredSiteName?: string | null;
  restoredSiteWebUrl?: string | null;
}

/**
 * Not a wire shape: an artifact together with the id of the session it was read under. Graph
 * leaves that id implicit in the URL, but the gateway needs it for the entity key and for every
 * follow-up call on the artifact.
 */
export type SessionScopedSiteRestoreArtifact = GraphSiteRestoreArtifact & { restoreSessionId: string; restoreArtifactFamily?: 'site' };

/**
 * Not wire shapes: a mailbox or drive artifact with its session's id, and the family it was read as. Graph's list
 * items carry no `@odata.type` (the set names it), and `RestoreArtifact.__resolveType` needs to tell them apart.
 */
export type SessionScopedMailboxRestoreArtifact = GraphMailboxRestoreArtifact & {
  restoreSessionId: string;
  restoreArtifactFamily: 'mailbox';
};
export type SessionScopedDriveRestoreArtifact = GraphDriveRestoreArtifact & { restoreSessionId: string; restoreArtifactFamily: 'drive' };

/** An artifact of any family, as `RestoreArtifact` resolves it (site artifacts leave the family out). */
export type SessionScopedRestoreArtifact =
  | SessionScopedSiteRestoreArtifact
  | SessionScopedMailboxRestoreArtifact
  | SessionScopedDriveRestoreArtifact
  | SessionScopedGranularSiteRestoreArtifact
  | SessionScopedGranularDriveRestoreArtifact
  | SessionScopedGranularMailboxRestoreArtifact;

// --- granular restore artifacts ----------------------------------------------------------------

/**
 * Graph's `granularRestoreArtifactBase`: one item picked in a browse session (SharePoint, OneDrive). Its id is the
 * item's key. Graph's examples write `""` for strings and `0001-01-01T00:00:00Z` for dates it does not know yet.
 */
export interface GraphGranularRestoreArtifact extends ODataAnnotations {
  id: string;
  browseSessionId?: string | null;
  /** {@link KnownArtifactRestoreStatus} or a newer member (one doc example writes `unknown`). */
  status: string;
  webUrl?: string | null;
  restoredItemKey?: string | null;
  /** The folder the item was restored into. */
  restoredItemPath?: string | null;
  restoredItemWebUrl?: string | null;
  restorePointDateTime?: GraphDateTime | null;
  startDateTime?: GraphDateTime | null;
  completionDateTime?: GraphDateTime | null;
  /** Beta only, and documented for SharePoint only: {@link KnownDestinationType} or a newer member. */
  destinationType?: string | null;
  /** Beta only. */
  error?: GraphPublicError | null;
}

/** Graph's `granularSiteRestoreArtifact`. */
export interface GraphGranularSiteRestoreArtifact extends GraphGranularRestoreArtifact {
  siteId?: string | null;
}

/** Graph's `granularDriveRestoreArtifact`. */
export interface GraphGranularDriveRestoreArtifact extends GraphGranularRestoreArtifact {
  /** "Id of the drive in which artifact is present": the owner's directory object id. */
  directoryObjectId?: string | null;
}

/** Graph's `granularMailboxRestoreArtifact`: a mailbox artifact restoring the items one search found. */
export interface GraphGranularMailboxRestoreArtifact extends GraphMailboxRestoreArtifact {
  searchResponseId?: string | null;
  /** "Will be deprecated soon. Don't use." */
  artifactCount?: number | null;
}

/** One item of a granular SharePoint or OneDrive create body. */
export interface GraphGranularItemCreate {
  browseSessionId: string;
  /** The browse item's key. */
  id: string;
  /** SharePoint on beta only: {@link KnownDestinationType}. */
  destinationType?: string;
}

/** An addition inside a granular `@delta` update (removals are {@link GraphDeltaRemoval}s by item key). */
export interface GraphGranularItemAddition {
  browseSessionId: string;
  itemKey: string;
}

/** One search of a granular Exchange create body. */
export interface GraphGranularMailboxArtifactCreate extends GraphRestoreArtifactCreate {
  searchResponseId: string;
}

/** Graph's answer to a granular `@delta` update: added items, removals and refusals. */
export interface GraphGranularDeltaAnswer {
  items: Array<GraphGranularRestoreArtifact | GraphDeltaItemFailure | GraphDeltaRemoval>;
  requestId: string | undefined;
  clientRequestId: string | undefined;
}

/** Not wire shapes: granular artifacts with their session's id and the family they were read as (see above). */
export type SessionScopedGranularSiteRestoreArtifact = GraphGranularSiteRestoreArtifact & {
  restoreSessionId: string;
  restoreArtifactFamily: 'granularSite';
};
export type SessionScopedGranularDriveRestoreArtifact = GraphGranularDriveRestoreArtifact & {
  restoreSessionId: string;
  restoreArtifactFamily: 'granularDrive';
};
export type SessionScopedGranularMailboxRestoreArtifact = GraphGranularMailboxRestoreArtifact & {
  restoreSessionId: string;
  restoreArtifactFamily: 'granularMailbox';
};

// --- restore points and protection units -------------------------------------------------------

/** Graph's `protectionUnitBase` and its derived types, as read from `protectionUnits/{id}`. */
export interface GraphProtectionUnit extends ODataAnnotations {
  id: string;
  policyId?: string | null;
  /** {@link KnownProtectionUnitStatus} or a newer member. */
  status: string;
  /** Flags, written comma-separated, e.g. `manual,dynamicRule`. */
  protectionSources?: string | null;
  createdDateTime?: GraphDateTime | null;
  createdBy?: GraphIdentitySet | null;
  lastModifiedDateTime?: GraphDateTime | null;
  lastModifiedBy?: GraphIdentitySet | null;
  error?: GraphPublicError | null;
  /** `0001-01-01T00:00:00.0000000Z` when never requested. */
  offboardRequestedDateTime?: GraphDateTime | null;
}

/** Graph's `siteProtectionUnit`. */
export interface GraphSiteProtectionUnit extends GraphProtectionUnit {
  siteId?: string | null;
  siteName?: string | null;
  siteWebUrl?: string | null;
}

/** Graph's `mailboxProtectionUnit`. */
export interface GraphMailboxProtectionUnit extends GraphProtectionUnit {
  directoryObjectId?: string | null;
  displayName?: string | null;
  email?: string | null;
  /** Beta only: {@link KnownMailboxType} or a newer member. */
  mailboxType?: string | null;
}

/** Graph's `driveProtectionUnit`. */
export interface GraphDriveProtectionUnit extends GraphProtectionUnit {
  directoryObjectId?: string | null;
  displayName?: string | null;
  email?: string | null;
}

export type KnownMailboxType = 'unknown' | 'user' | 'shared' | 'unknownFutureValue';

/**
 * A protection unit expanded inside a restore point. Graph's examples only carry the id, the site
 * id and the policy id there, so it is not a full unit of any family.
 */
export type GraphProtectionUnitReference = GraphEntityReference &
  Partial<GraphSiteProtectionUnit> &
  Partial<GraphMailboxProtectionUnit> &
  Partial<GraphDriveProtectionUnit>;

/** Graph's `restorePoint`. */
export interface GraphRestorePoint extends ODataAnnotations {
  id: string;
  protectionDateTime?: GraphDateTime | null;
  expirationDateTime?: GraphDateTime | null;
  /** {@link KnownRestorePointTags} or a newer member. */
  tags?: string | null;
  /** Present with `$expand=protectionUnit` and in search results. */
  protectionUnit?: GraphProtectionUnitReference | null;
}

/** Graph's `restoreSearchArtifactQueryExpression` (beta): every member optional. */
export interface GraphStructuredQueryExpression {
  subjects?: string[];
  senders?: string[];
  recipients?: string[];
  hasAttachment?: boolean;
  /** Graph's `granularRestoreItems` members: `email`, `note`, `contact`, `task`, `calendar`. */
  items?: string[];
}

/** Graph's `artifactQuery` (search within one protection unit's items). */
export interface GraphArtifactQuery {
  /** The concept page's grammar (`Subject -like 'x*' -and …`); deprecated on beta for `structuredQueryExpression`. */
  queryExpression?: string;
  /** Beta only. */
  structuredQueryExpression?: GraphStructuredQueryExpression;
  /** `message` or a newer member. */
  artifactType: string;
}

/** Body of `POST /solutions/backupRestore/restorePoints/search`. */
export interface GraphRestorePointSearchRequest {
  protectionUnitIds: string[];
  protectionTimePeriod: GraphTimePeriod;
  /** {@link KnownRestorePointPreference} */
  restorePointPreference?: string;
  /** {@link KnownRestorePointTags} */
  tags?: string;
  artifactQuery?: GraphArtifactQuery;
}

/** Graph's `restorePointSearchResult`. */
export interface GraphRestorePointSearchResult {
  restorePoint: GraphRestorePoint;
  artifactHitCount?: number | null;
}

/** Graph's `restorePointSearchResponse`. Not paged. */
export interface GraphRestorePointSearchResponse {
  '@odata.context'?: string;
  searchResponseId?: string | null;
  searchResults?: GraphRestorePointSearchResult[] | null;
  noResultProtectionUnitIds?: string[] | null;
}

// --- bulk addition requests --------------------------------------------------------------------

/** Graph's `restoreArtifactsBulkRequestBase`: what the bulk addition requests of every family share. */
export interface GraphRestoreArtifactsBulkRequest extends ODataAnnotations {
  id: string;
  displayName?: string | null;
  /** {@link KnownDestinationType} or a newer member. */
  destinationType?: string | null;
  protectionTimePeriod?: GraphTimePeriod | null;
  /** {@link KnownRestorePointPreference} or a newer member. */
  restorePointPreference?: string | null;
  /** {@link KnownRestorePointTags} or a newer member. */
  tags?: string | null;
  /** {@link KnownRestoreArtifactsBulkRequestStatus} or a newer member; one example writes `CompletedWithErrors`. */
  status: string;
  /** An object on one doc page, an array on another. */
  error?: GraphPublicError | GraphPublicError[] | null;
  /** One doc example sends an empty string instead of an identity set. */
  createdBy?: GraphIdentitySet | string | null;
  createdDateTime?: GraphDateTime | null;
  lastModifiedBy?: GraphIdentitySet | string | null;
  lastModifiedDateTime?: GraphDateTime | null;
  /** Graph's docs say Graph ignores it today: the gateway never sends it. */
  protectionUnitIds?: string[] | null;
  /** Undocumented, but one list example carries it. */
  restoreSessionId?: string | null;
}

/** Graph's `siteRestoreArtifactsBulkAdditionRequest`. */
export interface GraphSiteRestoreArtifactsBulkAdditionRequest extends GraphRestoreArtifactsBulkRequest {
  /** Left out (or empty) in list and create answers. */
  siteWebUrls?: string[] | null;
  /** Graph's beta docs say Graph ignores it today: the gateway names sites by URL instead. */
  siteIds?: string[] | null;
}

/** Graph's `mailboxRestoreArtifactsBulkAdditionRequest`. */
export interface GraphMailboxRestoreArtifactsBulkAdditionRequest extends GraphRestoreArtifactsBulkRequest {
  /** SMTP addresses; left out (or empty) in list and create answers. */
  mailboxes?: string[] | null;
  /** Owners' Entra object ids: the beta resource page calls them a future value, the create pages accept them (sent). */
  directoryObjectIds?: string[] | null;
}

/** Graph's `driveRestoreArtifactsBulkAdditionRequest`. */
export interface GraphDriveRestoreArtifactsBulkAdditionRequest extends GraphRestoreArtifactsBulkRequest {
  /** The owners' e-mail addresses; left out (or empty) in list and create answers. */
  drives?: string[] | null;
  directoryObjectIds?: string[] | null;
}

/** What every family's create body shares. */
interface GraphCreateBulkRequestBase {
  displayName: string;
  /** {@link KnownDestinationType} */
  destinationType: string;
  protectionTimePeriod: GraphTimePeriod;
  /** {@link KnownRestorePointPreference} */
  restorePointPreference?: string;
  /** {@link KnownRestorePointTags} */
  tags?: string;
}

/** Body of `POST …/sharePointRestoreSessions/{id}/siteRestoreArtifactsBulkAdditionRequests`. */
export interface GraphCreateSiteRestoreArtifactsBulkAdditionRequest extends GraphCreateBulkRequestBase {
  siteWebUrls: string[];
}

/** Body of `POST …/exchangeRestoreSessions/{id}/mailboxRestoreArtifactsBulkAdditionRequests`. */
export interface GraphCreateMailboxRestoreArtifactsBulkAdditionRequest extends GraphCreateBulkRequestBase {
  mailboxes?: string[];
  directoryObjectIds?: string[];
}

/** Body of `POST …/oneDriveForBusinessRestoreSessions/{id}/driveRestoreArtifactsBulkAdditionRequests`. */
export interface GraphCreateDriveRestoreArtifactsBulkAdditionRequest extends GraphCreateBulkRequestBase {
  drives?: string[];
  directoryObjectIds?: string[];
}

/**
 * Not wire shapes: a bulk addition request together with the id of the session it was read under, which Graph leaves
 * implicit in the URL, and the family it was read as (its `@odata.type` is often left out, the set naming it).
 */
export type SessionScopedBulkAdditionRequest = GraphSiteRestoreArtifactsBulkAdditionRequest & {
  restoreSessionId: string;
  restoreFamily: 'sharePoint';
};
export type SessionScopedMailboxBulkAdditionRequest = GraphMailboxRestoreArtifactsBulkAdditionRequest & {
  restoreSessionId: string;
  restoreFamily: 'exchange';
};
export type SessionScopedDriveBulkAdditionRequest = GraphDriveRestoreArtifactsBulkAdditionRequest & {
  restoreSessionId: string;
  restoreFamily: 'oneDriveForBusiness';
};
/** Each family's bulk addition request, as the Graph client returns it. */
export interface BulkAdditionRequestByFamily {
  sharePoint: SessionScopedBulkAdditionRequest;
  exchange: SessionScopedMailboxBulkAdditionRequest;
  oneDriveForBusiness: SessionScopedDriveBulkAdditionRequest;
}

/** Each family's bulk addition request create body. */
export interface CreateBulkRequestByFamily {
  sharePoint: GraphCreateSiteRestoreArtifactsBulkAdditionRequest;
  exchange: GraphCreateMailboxRestoreArtifactsBulkAdditionRequest;
  oneDriveForBusiness: GraphCreateDriveRestoreArtifactsBulkAdditionRequest;
}

export type SessionScopedAnyBulkAdditionRequest =
  SessionScopedBulkAdditionRequest | SessionScopedMailboxBulkAdditionRequest | SessionScopedDriveBulkAdditionRequest;

// --- browse sessions ---------------------------------------------------------------------------

export type KnownBrowseSessionStatus = 'creating' | 'created' | 'failed' | 'unknownFutureValue';
export type KnownBrowseQueryResponseItemType = 'none' | 'site' | 'documentLibrary' | 'folder' | 'file' | 'unknownFutureValue';
export type KnownBrowseQueryOrder = 'pathAsc' | 'pathDsc' | 'nameAsc' | 'nameDsc' | 'unknownFutureValue';
/** Graph's `browsableResourceType`: the containers a browse can list. */
export type BrowsableResourceType = 'site' | 'documentLibrary' | 'folder';

/** Graph's `browseSessionBase` as either derived type (`sharePointBrowseSession`, `oneDriveForBusinessBrowseSession`). */
export interface GraphBrowseSession extends ODataAnnotations {
  id: string;
  /** {@link KnownBrowseSessionStatus} or a newer member. */
  status: string;
  restorePointDateTime?: GraphDateTime | null;
  createdDateTime?: GraphDateTime | null;
  expirationDateTime?: GraphDateTime | null;
  /** A string on the wire (`"584316"`). */
  backupSizeInBytes?: string | number | null;
  error?: GraphPublicError | null;
  /** SharePoint only. */
  siteId?: string | null;
  /** OneDrive only: the owner's Entra object id. */
  directoryObjectId?: string | null;
}

/** Body of `POST …/sharePointBrowseSessions` and `…/oneDriveForBusinessBrowseSessions`. */
export interface GraphCreateBrowseSessionRequest {
  restorePointId: string;
}

/** Body of `POST …/{browse session}/browse`: empty for the top level. */
export interface GraphBrowseRequest {
  browseLocationItemKey?: string;
  browseResourceType?: BrowsableResourceType;
  /** Only `(name -contains '…')` is documented. */
  filter?: string;
  /** {@link KnownBrowseQueryOrder} */
  orderBy?: string;
}

/** Graph's `browseQueryResponseItem`. */
export interface GraphBrowseQueryResponseItem {
  itemKey: string;
  name?: string | null;
  /** {@link KnownBrowseQueryResponseItemType} or a newer member. */
  type?: string | null;
  webUrl?: string | null;
  itemsCount?: number | null;
  /** A string on the wire (`"2594"`). */
  sizeInBytes?: string | number | null;
  /** Beta only, and only for files and folders. */
  createdDateTime?: GraphDateTime | null;
  createdBy?: GraphIdentitySet | null;
  lastModifiedDateTime?: GraphDateTime | null;
  lastModifiedBy?: GraphIdentitySet | null;
}

/**
 * Not a wire shape: a browse session with the family it was read as (a family set's answers may leave `@odata.type`
 * out, the set naming it).
 */
export type FamilyBrowseSession = GraphBrowseSession & { browseFamily: 'sharePoint' | 'oneDriveForBusiness' };

/**
 * Not a wire shape: a listed item with what Graph leaves implicit: the browse session it was listed in, that session's
 * family, and its path from the top of the backup (Graph sends names only; the gateway carries the path down).
 */
export type ListedBrowseItem = GraphBrowseQueryResponseItem & {
  browseSessionId: string;
  browseFamily: 'sharePoint' | 'oneDriveForBusiness';
  path: string;
};

// --- collections, batching and errors ----------------------------------------------------------

/** One page of a Graph collection. */
export interface GraphCollectionPage<T> {
  '@odata.context'?: string;
  /** Absolute (sometimes relative) URL of the next page; absent on the last page. */
  '@odata.nextLink'?: string;
  /** Only with `$count=true`, and only where the API supports it. */
  '@odata.count'?: number;
  value: T[];
}

export type GraphHttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/** One request inside `POST /$batch`. */
export interface GraphBatchRequestItem {
  /** Unique within the batch, compared case-insensitively. */
  id: string;
  method: GraphHttpMethod;
  /** Relative to the version root, e.g. `/solutions/backupRestore/restoreSessions/{id}`. */
  url: string;
  /** Required with a body, and must then hold `Content-Type`. */
  headers?: Record<string, string>;
  body?: unknown;
  dependsOn?: string[];
}

/** Body of `POST /$batch`: at most 20 requests. */
export interface GraphBatchRequest {
  requests: GraphBatchRequestItem[];
}

/** One answer inside a `$batch` response; answers may come in any order. */
export interface GraphBatchResponseItem {
  id: string;
  status: number;
  headers?: Record<string, string>;
  /** A JSON value, a base64 string for binary bodies, or absent (e.g. 204). */
  body?: unknown;
}

/** Body of a `$batch` response. */
export interface GraphBatchResponse {
  responses: GraphBatchResponseItem[];
  '@odata.nextLink'?: string;
}

/** Graph's `innerError`, which can nest. Key spellings vary across services and doc versions. */
export interface GraphInnerError {
  code?: string;
  message?: string;
  date?: string;
  'request-id'?: string;
  'client-request-id'?: string;
  requestId?: string;
  status?: string;
  innerError?: GraphInnerError;
}

/** Graph's error object inside the error envelope. */
export interface GraphError {
  code: string;
  message?: string;
  target?: string;
  details?: Array<{ code?: string; message?: string; target?: string }>;
  innerError?: GraphInnerError;
  /** The error resource block spells it in lower case. */
  innererror?: GraphInnerError;
}

/** Body of every non-2xx Graph answer, including `$batch` items. */
export interface GraphErrorEnvelope {
  error: GraphError;
}

/**
 * The one place that maps GraphQL enum values (SCREAMING_SNAKE_CASE, the GraphQL names themselves:
 * codegen runs with `enumsAsTypes` and no `enumValues`) onto Graph's camelCase members, and Graph
 * `@odata.type` discriminators onto restore session kinds.
 *
 * Both directions are total. GraphQL → Graph is checked by the compiler: every table is a `Record`
 * over the generated enum type. Graph → GraphQL accepts any string: Graph adds members to its
 * evolvable enums, and one doc example even writes `CompletedWithErrors`, so lookups ignore case and
 * everything unknown becomes `UNKNOWN_FUTURE_VALUE`.
 *
 * `GatewayErrorCode` and `RestoreArtifactChangeOperation` are the gateway's own enums with no Graph
 * counterpart, so they have no table here.
 */
import type {
  ArtifactRestoreStatus,
  DestinationType,
  MailboxType,
  ProtectionUnitStatus,
  RestoreArtifactsBulkRequestStatus,
  RestoreJobType,
  RestorePointPreference,
  RestorePointTags,
  RestoreSessionStatus,
} from '../generated/graphql.js';
import type {
  KnownArtifactRestoreStatus,
  KnownDestinationType,
  KnownMailboxType,
  KnownProtectionUnitStatus,
  KnownRestoreArtifactsBulkRequestStatus,
  KnownRestoreJobType,
  KnownRestorePointPreference,
  KnownRestorePointTags,
  KnownRestoreSessionStatus,
} from './dto.js';
import type { BrowseItemKind, BrowseItemOrder, BrowseSessionStatus } from '../generated/graphql.js';
import type { ConflictBehavior, MailItemKind } from '../generated/graphql.js';
import type { KnownBrowseQueryOrder, KnownBrowseQueryResponseItemType, KnownBrowseSessionStatus } from './dto.js';

/** A total, two-way mapping between one GraphQL enum and its Graph counterpart. */
export interface EnumMapping<GqlValue extends string, GraphValue extends string> {
  /** Every GraphQL value, in SDL order. */
  readonly values: readonly GqlValue[];
  /** The Graph member for a GraphQL value. */
  toGraph(value: GqlValue): GraphValue;
  /** The GraphQL value for whatever Graph sent; unknown members become `UNKNOWN_FUTURE_VALUE`. */
  fromGraph(value: string): GqlValue;
}

/** Every Graph-backed enum has this member; whatever Graph sends that no table knows maps to it. */
const UNKNOWN_FUTURE_VALUE = 'UNKNOWN_FUTURE_VALUE';

function createEnumMapping<GqlValue extends string, GraphValue extends string>(
  name: string,
  table: Readonly<Record<GqlValue, GraphValue>> & Readonly<Record<typeof UNKNOWN_FUTURE_VALUE, GraphValue>>,
): EnumMapping<GqlValue, GraphValue> {
  // The table's type guarantees the member exists among GqlValue.
  const unknown = UNKNOWN_FUTURE_VALUE as GqlValue;
  const values = Object.keys(table) as GqlValue[];
  const reverse = new Map<string, GqlValue>();
  for (const value of values) {
    const key = table[value].toLowerCase();
    // A duplicate would make fromGraph(toGraph(x)) !== x for one of the two values.
    if (reverse.has(key)) throw new Error(`${name}: Graph member ${table[value]} is mapped twice`);
    reverse.set(key, value);
  }
  return {
    values,
    toGraph: (value) => table[value],
    fromGraph: (value) => reverse.get(value.toLowerCase()) ?? unknown,
  };
}

export const restoreSessionStatus = createEnumMapping<RestoreSessionStatus, KnownRestoreSessionStatus>('RestoreSessionStatus', {
  DRAFT: 'draft',
  ACTIVATING: 'activating',
  ACTIVE: 'active',
  COMPLETED_WITH_ERROR: 'completedWithError',
  COMPLETED: 'completed',
  FAILED: 'failed',
  UNKNOWN_FUTURE_VALUE: 'unknownFutureValue',
});

export const artifactRestoreStatus = createEnumMapping<ArtifactRestoreStatus, KnownArtifactRestoreStatus>('ArtifactRestoreStatus', {
  ADDED: 'added',
  SCHEDULING: 'scheduling',
  SCHEDULED: 'scheduled',
  IN_PROGRESS: 'inProgress',
  SUCCEEDED: 'succeeded',
  FAILED: 'failed',
  UNKNOWN_FUTURE_VALUE: 'unknownFutureValue',
});

export const destinationType = createEnumMapping<DestinationType, KnownDestinationType>('DestinationType', {
  NEW: 'new',
  IN_PLACE: 'inPlace',
  UNKNOWN_FUTURE_VALUE: 'unknownFutureValue',
});

export const restoreJobType = createEnumMapping<RestoreJobType, KnownRestoreJobType>('RestoreJobType', {
  STANDARD: 'standard',
  BULK: 'bulk',
  GRANULAR: 'granular',
  UNKNOWN_FUTURE_VALUE: 'unknownFutureValue',
});

export const restorePointTags = createEnumMapping<RestorePointTags, KnownRestorePointTags>('RestorePointTags', {
  NONE: 'none',
  FAST_RESTORE: 'fastRestore',
  UNKNOWN_FUTURE_VALUE: 'unknownFutureValue',
});

export const restorePointPreference = createEnumMapping<RestorePointPreference, KnownRestorePointPreference>('RestorePointPreference', {
  LATEST: 'latest',
  OLDEST: 'oldest',
  UNKNOWN_FUTURE_VALUE: 'unknownFutureValue',
});

export const restoreArtifactsBulkRequestStatus = createEnumMapping<
  RestoreArtifactsBulkRequestStatus,
  KnownRestoreArtifactsBulkRequestStatus
>('RestoreArtifactsBulkRequestStatus', {
  // Graph's own `unknown` (a transient, indeterminate state) is a real member, distinct from the
  // sentinel for members this gateway does not know.
  UNKNOWN: 'unknown',
  ACTIVE: 'active',
  COMPLETED: 'completed',
  COMPLETED_WITH_ERRORS: 'completedWithErrors',
  UNKNOWN_FUTURE_VALUE: 'unknownFutureValue',
});

export const protectionUnitStatus = createEnumMapping<ProtectionUnitStatus, KnownProtectionUnitStatus>('ProtectionUnitStatus', {
  PROTECT_REQUESTED: 'protectRequested',
  PROTECTED: 'protected',
  UNPROTECT_REQUESTED: 'unprotectRequested',
  UNPROTECTED: 'unprotected',
  REMOVE_REQUESTED: 'removeRequested',
  OFFBOARD_REQUESTED: 'offboardRequested',
  OFFBOARDED: 'offboarded',
  CANCEL_OFFBOARD_REQUESTED: 'cancelOffboardRequested',
  UNKNOWN_FUTURE_VALUE: 'unknownFutureValue',
});

export const mailboxType = createEnumMapping<MailboxType, KnownMailboxType>('MailboxType', {
  // Graph's own `unknown` is a real member, distinct from the sentinel for members this gateway does not know.
  UNKNOWN: 'unknown',
  USER: 'user',
  SHARED: 'shared',
  UNKNOWN_FUTURE_VALUE: 'unknownFutureValue',
});

export const browseSessionStatus = createEnumMapping<BrowseSessionStatus, KnownBrowseSessionStatus>('BrowseSessionStatus', {
  CREATING: 'creating',
  CREATED: 'created',
  FAILED: 'failed',
  UNKNOWN_FUTURE_VALUE: 'unknownFutureValue',
});

// Graph's `none` member names no kind of item: it reads as unknown, and such an item cannot be opened.
export const browseItemKind = createEnumMapping<BrowseItemKind, KnownBrowseQueryResponseItemType>('BrowseItemKind', {
  SITE: 'site',
  DOCUMENT_LIBRARY: 'documentLibrary',
  FOLDER: 'folder',
  FILE: 'file',
  UNKNOWN_FUTURE_VALUE: 'unknownFutureValue',
});

/**
 * `BrowseItemOrder` only travels to Graph (an argument, never a value Graph sends back), so it has no sentinel and no
 * reverse direction: one total table over the GraphQL enum. Graph spells the descending orders `…Dsc`.
 */
export const browseItemOrder: Readonly<Record<BrowseItemOrder, Exclude<KnownBrowseQueryOrder, 'unknownFutureValue'>>> = {
  PATH_ASC: 'pathAsc',
  PATH_DESC: 'pathDsc',
  NAME_ASC: 'nameAsc',
  NAME_DESC: 'nameDsc',
};

/**
 * `ConflictBehavior` and `MailItemKind` only travel to Graph (arguments, never values Graph sends back), so, like
 * `BrowseItemOrder`, each is one total table over its GraphQL enum, with no sentinel and no reverse direction.
 * Graph's conflict behaviour is an instance annotation (`@microsoft.graph.conflictBehavior`) on a granular SharePoint
 * create; the kinds are Graph's `granularRestoreItems` members (beta's `structuredQueryExpression.items`), which v1.0's
 * query expressions write capitalised (`MessageKind -eq 'Email'`).
 */
export const conflictBehavior: Readonly<Record<ConflictBehavior, 'fail' | 'replace' | 'rename'>> = {
  FAIL: 'fail',
  REPLACE: 'replace',
  RENAME: 'rename',
};

export const mailItemKind: Readonly<Record<MailItemKind, 'email' | 'note' | 'contact' | 'task' | 'calendar'>> = {
  EMAIL: 'email',
  NOTE: 'note',
  CONTACT: 'contact',
  TASK: 'task',
  CALENDAR: 'calendar',
};

/**
 * Every Graph-backed GraphQL enum by its GraphQL type name, so tests can check the tables against
 * the schema and nothing is left unmapped.
 */
export const graphEnumMappings = {
  RestoreSessionStatus: restoreSessionStatus,
  ArtifactRestoreStatus: artifactRestoreStatus,
  DestinationType: destinationType,
  RestoreJobType: restoreJobType,
  RestorePointTags: restorePointTags,
  RestorePointPreference: restorePointPreference,
  RestoreArtifactsBulkRequestStatus: restoreArtifactsBulkRequestStatus,
  ProtectionUnitStatus: protectionUnitStatus,
  MailboxType: mailboxType,
  BrowseSessionStatus: browseSessionStatus,
  BrowseItemKind: browseItemKind,
} as const;

// --- terminal states ---------------------------------------------------------------------------

// UNKNOWN_FUTURE_VALUE is deliberately not terminal: a watcher that stops on it could miss the
// real end of a restore, while one that keeps polling only costs calls.
const terminalSessionStatuses: ReadonlySet<RestoreSessionStatus> = new Set<RestoreSessionStatus>([
  'COMPLETED',
  'COMPLETED_WITH_ERROR',
  'FAILED',
]);
const terminalArtifactStatuses: ReadonlySet<ArtifactRestoreStatus> = new Set<ArtifactRestoreStatus>(['SUCCEEDED', 'FAILED']);
const terminalBulkRequestStatuses: ReadonlySet<RestoreArtifactsBulkRequestStatus> = new Set<RestoreArtifactsBulkRequestStatus>([
  'COMPLETED',
  'COMPLETED_WITH_ERRORS',
]);

export function isTerminalSessionStatus(status: RestoreSessionStatus): boolean {
  return terminalSessionStatuses.has(status);
}

export function isTerminalArtifactStatus(status: ArtifactRestoreStatus): boolean {
  return terminalArtifactStatuses.has(status);
}

export function isTerminalBulkRequestStatus(status: RestoreArtifactsBulkRequestStatus): boolean {
  return terminalBulkRequestStatuses.has(status);
}

// --- restore session kinds (@odata.type) -------------------------------------------------------

/** The restore session families Graph knows today, plus `unknown` for any later one. */
export type RestoreSessionKind = 'sharePoint' | 'exchange' | 'oneDriveForBusiness' | 'unknown';

/** A restore family the gateway can write to. */
export type RestoreFamily = Exclude<RestoreSessionKind, 'unknown'>;

/** Where one family lives in Graph: its session set, its standard artifact collection and its bulk requests. */
export interface RestoreFamilySets {
  sessions: 'sharePointRestoreSessions' | 'exchangeRestoreSessions' | 'oneDriveForBusinessRestoreSessions';
  artifacts: 'siteRestoreArtifacts' | 'mailboxRestoreArtifacts' | 'driveRestoreArtifacts';
  /** The artifacts of a granular session (items of a browse session, or the mail items of a search). */
  granularArtifacts: 'granularSiteRestoreArtifacts' | 'granularMailboxRestoreArtifacts' | 'granularDriveRestoreArtifacts';
  bulkRequests:
    | 'siteRestoreArtifactsBulkAdditionRequests'
    | 'mailboxRestoreArtifactsBulkAdditionRequests'
    | 'driveRestoreArtifactsBulkAdditionRequests';
}

export const RESTORE_FAMILY_SETS: Readonly<Record<RestoreFamily, RestoreFamilySets>> = {
  sharePoint: {
    sessions: 'sharePointRestoreSessions',
    artifacts: 'siteRestoreArtifacts',
    granularArtifacts: 'granularSiteRestoreArtifacts',
    bulkRequests: 'siteRestoreArtifactsBulkAdditionRequests',
  },
  exchange: {
    sessions: 'exchangeRestoreSessions',
    artifacts: 'mailboxRestoreArtifacts',
    granularArtifacts: 'granularMailboxRestoreArtifacts',
    bulkRequests: 'mailboxRestoreArtifactsBulkAdditionRequests',
  },
  oneDriveForBusiness: {
    sessions: 'oneDriveForBusinessRestoreSessions',
    artifacts: 'driveRestoreArtifacts',
    granularArtifacts: 'granularDriveRestoreArtifacts',
    bulkRequests: 'driveRestoreArtifactsBulkAdditionRequests',
  },
};

/** The GraphQL object types implementing `RestoreSession`. */
export type RestoreSessionTypename = 'SharePointRestoreSession' | 'ExchangeRestoreSession' | 'OneDriveForBusinessRestoreSession';

// Keys are lower case: Graph's own examples write `#microsoft.graph.sharepointRestoreSession`.
const sessionKindByODataType: ReadonlyMap<string, Exclude<RestoreSessionKind, 'unknown'>> = new Map([
  ['#microsoft.graph.sharepointrestoresession', 'sharePoint'],
  ['#microsoft.graph.exchangerestoresession', 'exchange'],
  ['#microsoft.graph.onedriveforbusinessrestoresession', 'oneDriveForBusiness'],
]);

/**
 * The session family named by an `@odata.type`, case-insensitively and with or without the leading
 * `#`. Graph leaves `@odata.type` out when an item has the type of the entity set it was read from
 * (e.g. from `sharePointRestoreSessions`); pass that set's kind as `impliedKind` for those.
 */
export function restoreSessionKind(odataType: string | null | undefined, impliedKind: RestoreSessionKind = 'unknown'): RestoreSessionKind {
  if (odataType === null || odataType === undefined || odataType === '') return impliedKind;
  const normalized = odataType.trim().toLowerCase();
  return sessionKindByODataType.get(normalized.startsWith('#') ? normalized : `#${normalized}`) ?? 'unknown';
}

const typenameByKind: Readonly<Record<RestoreSessionKind, RestoreSessionTypename>> = {
  sharePoint: 'SharePointRestoreSession',
  exchange: 'ExchangeRestoreSession',
  oneDriveForBusiness: 'OneDriveForBusinessRestoreSession',
  // A session family Graph adds later must still list as a RestoreSession, and the contract has no
  // type for "other". ExchangeRestoreSession is the stand-in because it carries only the interface's
  // fields: nothing on it makes a family-specific Graph call, whereas SharePointRestoreSession would
  // list site artifacts of a session that has none and fail. Its summary fields (status, progress,
  // dates, actors) stay correct, and activate/delete work because they use the family-agnostic
  // `restoreSessions/{id}` path. Its one family-specific field, `mailboxRestoreArtifacts`, answers such a session with
  // an empty page and no Graph call (`resolvers/exchange-restore-session.ts`).
  unknown: 'ExchangeRestoreSession',
};

/** The GraphQL type `RestoreSession.__resolveType` returns for a session of this family. */
export function restoreSessionTypename(kind: RestoreSessionKind): RestoreSessionTypename {
  return typenameByKind[kind];
}

// --- browse sessions ---------------------------------------------------------------------------

/** The families whose backups can be browsed (Graph has no browse session for mailboxes). */
export type BrowseFamily = Extract<RestoreFamily, 'sharePoint' | 'oneDriveForBusiness'>;

/** Where one family's browse sessions live in Graph, and the `@odata.type` of its sessions. */
export const BROWSE_FAMILY_SETS: Readonly<Record<BrowseFamily, { sessions: string; odataType: string }>> = {
  sharePoint: { sessions: 'sharePointBrowseSessions', odataType: '#microsoft.graph.sharePointBrowseSession' },
  oneDriveForBusiness: { sessions: 'oneDriveForBusinessBrowseSessions', odataType: '#microsoft.graph.oneDriveForBusinessBrowseSession' },
};

/**
 * The family an `@odata.type` names, case-insensitively, with or without the leading `#`; `impliedFamily` when it names
 * none (a family set's answers may leave it out) or one this gateway does not know.
 */
export function browseFamilyOf(odataType: string | null | undefined, impliedFamily: BrowseFamily): BrowseFamily {
  const normalized = (odataType ?? '').trim().toLowerCase().replace(/^#?/, '#');
  for (const family of Object.keys(BROWSE_FAMILY_SETS) as BrowseFamily[]) {
    if (BROWSE_FAMILY_SETS[family].odataType.toLowerCase() === normalized) return family;
  }
  return impliedFamily;
}

import { GraphInputError } from './errors.js';
import { RESTORE_FAMILY_SETS, type RestoreFamily } from './enums.js';
import { BROWSE_FAMILY_SETS, type BrowseFamily } from './enums.js';

/**
 * Every Graph URL the gateway sends is built here, from ids that were checked and encoded one
 * segment at a time, so no argument can reach another Graph path: `a/b` stays one segment
 * (`a%2Fb`), `%2F` is sent as `%252F`, `?$expand=` becomes part of the id, dot segments and
 * control characters are refused, and so is anything longer than 256 characters, all before any
 * call. Paths are relative to the version root (`/solutions/...`), which is exactly what `$batch`
 * items need; the HTTP layer prefixes the configured base for top-level calls.
 *
 * Ids are not checked for their Graph shape (GUIDs for sessions and artifacts, `guid_epoch_n_n`
 * for restore points): Graph answers a malformed one with 400 (`InvalidRestoreSessionId`, …),
 * which maps to BAD_USER_INPUT anyway, and over-validating would break on the next id format.
 */

/** A path relative to Graph's version root, with its query string, made only by this module (or `paging.ts`). */
export type GraphPath = string & { readonly __graphPath: unique symbol };

export const MAX_ID_LENGTH = 256;
const ROOT = '/solutions/backupRestore';

// C0 and C1 controls, DEL, and the Unicode line/paragraph separators.
const UNSAFE = /[\p{Cc}\u2028\u2029]/u;

/** Checks one id argument and percent-encodes it as a single path segment. */
export function encodeId(id: string, argument = 'id'): string {
  if (typeof id !== 'string' || id.length === 0) throw new GraphInputError(argument, `'${argument}' must not be empty.`);
  if (id.length > MAX_ID_LENGTH) throw new GraphInputError(argument, `'${argument}' is longer than ${MAX_ID_LENGTH} characters.`);
  if (UNSAFE.test(id)) throw new GraphInputError(argument, `'${argument}' contains control characters.`);
  // `.` and `..` (raw or encoded, which URL parsers treat alike) would be resolved as dot segments.
  if (/^\.+$/.test(id)) throw new GraphInputError(argument, `'${argument}' is not a valid id.`);
  try {
    return encodeURIComponent(id);
  } catch {
    // A lone surrogate cannot be UTF-8 encoded.
    throw new GraphInputError(argument, `'${argument}' is not valid Unicode text.`);
  }
}

/** An OData string literal (`'it''s'`) for an id used inside `$filter`, checked like a path id. */
export function odataString(value: string, argument = 'id'): string {
  encodeId(value, argument);
  return `'${value.replace(/'/g, "''")}'`;
}

const ENUM_MEMBER = /^[A-Za-z][A-Za-z0-9]{0,63}$/;

/**
 * A `$filter` for `field` equal to any of `values` (`(field eq 'a' or field eq 'b')`, the OData subset every Graph API
 * supports), or undefined for no filter. Values are Graph enum members (the resolvers map GraphQL values with
 * `enums.ts`) and must look like one.
 */
export function anyOf(field: string, values: readonly string[] | null | undefined, argument: string): string | undefined {
  if (values === undefined || values === null || values.length === 0) return undefined;
  const unique = [...new Set(values)];
  for (const v of unique) {
    if (!ENUM_MEMBER.test(v)) throw new GraphInputError(argument, `'${argument}' holds a value that is not an enum member.`);
  }
  const terms = unique.map((v) => `${field} eq '${v}'`);
  return terms.length === 1 ? terms[0] : `(${terms.join(' or ')})`;
}

/** The filters given, joined with `and`; undefined when there are none. */
export function andFilters(parts: Array<string | undefined>): string | undefined {
  const present = parts.filter((p): p is string => p !== undefined);
  return present.length === 0 ? undefined : present.join(' and ');
}

/** An OData DateTimeOffset literal (`2024-05-12T10:01:00Z`) from a Date or an ISO string. */
export function odataDateTime(value: Date | string, argument: string): string {
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) throw new GraphInputError(argument, `'${argument}' is not a valid date-time.`);
  return date.toISOString().replace(/\.000Z$/, 'Z');
}

/** Query options in the order given; undefined values are left out. Values are encoded, `$` names kept. */
export type QueryOptions = ReadonlyArray<readonly [name: string, value: string | number | boolean | undefined]>;

function withQuery(path: string, query: QueryOptions = []): GraphPath {
  const parts: string[] = [];
  for (const [name, value] of query) {
    if (value === undefined) continue;
    parts.push(`${name}=${encodeQueryValue(String(value))}`);
  }
  return (parts.length === 0 ? path : `${path}?${parts.join('&')}`) as GraphPath;
}

/** Percent-encodes a query value; keeps `$`, `,`, `'`, `(`, `)` readable, as Graph's own links do. */
export function encodeQueryValue(value: string): string {
  return encodeURIComponent(value).replace(/%24/g, '$').replace(/%2C/gi, ',');
}

/** Builders for every path the gateway calls. Each takes the raw ids and checks them. */
export const graphPaths = {
  batch: (): GraphPath => '/$batch' as GraphPath,

  restoreSessions: (query?: QueryOptions): GraphPath => withQuery(`${ROOT}/restoreSessions`, query),
  restoreSession: (id: string): GraphPath => withQuery(`${ROOT}/restoreSessions/${encodeId(id)}`),
  activateRestoreSession: (id: string): GraphPath => withQuery(`${ROOT}/restoreSessions/${encodeId(id)}/activate`),

  sharePointRestoreSessions: (query?: QueryOptions): GraphPath => withQuery(`${ROOT}/sharePointRestoreSessions`, query),

  siteRestoreArtifacts: (sessionId: string, query?: QueryOptions): GraphPath =>
    withQuery(`${ROOT}/sharePointRestoreSessions/${encodeId(sessionId, 'restoreSessionId')}/siteRestoreArtifacts`, query),
  siteRestoreArtifact: (sessionId: string, artifactId: string): GraphPath =>
    withQuery(`${ROOT}/sharePointRestoreSessions/${encodeId(sessionId, 'restoreSessionId')}/siteRestoreArtifacts/${encodeId(artifactId)}`),

  mailboxRestoreArtifacts: (sessionId: string, query?: QueryOptions): GraphPath =>
    withQuery(`${ROOT}/exchangeRestoreSessions/${encodeId(sessionId, 'restoreSessionId')}/mailboxRestoreArtifacts`, query),
  mailboxRestoreArtifact: (sessionId: string, artifactId: string): GraphPath =>
    withQuery(`${ROOT}/exchangeRestoreSessions/${encodeId(sessionId, 'restoreSessionId')}/mailboxRestoreArtifacts/${encodeId(artifactId)}`),

  driveRestoreArtifacts: (sessionId: string, query?: QueryOptions): GraphPath =>
    withQuery(`${ROOT}/oneDriveForBusinessRestoreSessions/${encodeId(sessionId, 'restoreSessionId')}/driveRestoreArtifacts`, query),
  driveRestoreArtifact: (sessionId: string, artifactId: string): GraphPath =>
    withQuery(
      `${ROOT}/oneDriveForBusinessRestoreSessions/${encodeId(sessionId, 'restoreSessionId')}/driveRestoreArtifacts/${encodeId(artifactId)}`,
    ),

  /** One family's session set (create), and one of its sessions (`@delta` updates). */
  familySessions: (family: RestoreFamily): GraphPath => withQuery(`${ROOT}/${RESTORE_FAMILY_SETS[family].sessions}`),
  familySession: (family: RestoreFamily, id: string): GraphPath =>
    withQuery(`${ROOT}/${RESTORE_FAMILY_SETS[family].sessions}/${encodeId(id)}`),
  bulkAdditionRequests: (family: RestoreFamily, sessionId: string, query?: QueryOptions): GraphPath =>
    withQuery(
      `${ROOT}/${RESTORE_FAMILY_SETS[family].sessions}/${encodeId(sessionId, 'restoreSessionId')}/${RESTORE_FAMILY_SETS[family].bulkRequests}`,
      query,
    ),
  bulkAdditionRequest: (family: RestoreFamily, sessionId: string, requestId: string): GraphPath =>
    withQuery(
      `${ROOT}/${RESTORE_FAMILY_SETS[family].sessions}/${encodeId(sessionId, 'restoreSessionId')}/${RESTORE_FAMILY_SETS[family].bulkRequests}/${encodeId(requestId)}`,
    ),

  /** One family's granular artifacts under one of its sessions (`granularSiteRestoreArtifacts`, …), and one of them. */
  granularArtifacts: (family: RestoreFamily, sessionId: string, query?: QueryOptions): GraphPath =>
    withQuery(
      `${ROOT}/${RESTORE_FAMILY_SETS[family].sessions}/${encodeId(sessionId, 'restoreSessionId')}/${RESTORE_FAMILY_SETS[family].granularArtifacts}`,
      query,
    ),
  granularArtifact: (family: RestoreFamily, sessionId: string, artifactId: string): GraphPath =>
    withQuery(
      `${ROOT}/${RESTORE_FAMILY_SETS[family].sessions}/${encodeId(sessionId, 'restoreSessionId')}/${RESTORE_FAMILY_SETS[family].granularArtifacts}/${encodeId(artifactId)}`,
    ),

  restorePoints: (query?: QueryOptions): GraphPath => withQuery(`${ROOT}/restorePoints`, query),
  restorePoint: (id: string, query?: QueryOptions): GraphPath => withQuery(`${ROOT}/restorePoints/${encodeId(id)}`, query),
  /** Its `protectionUnit` navigation property: no page lists it; Microsoft's SDK offers it (the `$expand` fallback). */
  restorePointProtectionUnit: (id: string): GraphPath => withQuery(`${ROOT}/restorePoints/${encodeId(id)}/protectionUnit`),
  searchRestorePoints: (): GraphPath => withQuery(`${ROOT}/restorePoints/search`),

  siteProtectionUnits: (query?: QueryOptions): GraphPath => withQuery(`${ROOT}/siteProtectionUnits`, query),
  // The mailbox and drive list pages name the typed casts; the `mailboxProtectionUnits` sets are Microsoft's SDK's only.
  mailboxProtectionUnits: (query?: QueryOptions): GraphPath =>
    withQuery(`${ROOT}/protectionUnits/microsoft.graph.mailboxProtectionUnit`, query),
  driveProtectionUnits: (query?: QueryOptions): GraphPath =>
    withQuery(`${ROOT}/protectionUnits/microsoft.graph.driveProtectionUnit`, query),
  protectionUnit: (id: string): GraphPath => withQuery(`${ROOT}/protectionUnits/${encodeId(id)}`),

  /** Every browse session, of both families (polymorphic). */
  browseSessions: (query?: QueryOptions): GraphPath => withQuery(`${ROOT}/browseSessions`, query),
  /** One family's browse session set (create), one of its sessions, and that session's `browse` action. */
  familyBrowseSessions: (family: BrowseFamily): GraphPath => withQuery(`${ROOT}/${BROWSE_FAMILY_SETS[family].sessions}`),
  familyBrowseSession: (family: BrowseFamily, id: string): GraphPath =>
    withQuery(`${ROOT}/${BROWSE_FAMILY_SETS[family].sessions}/${encodeId(id)}`),
  browse: (family: BrowseFamily, id: string): GraphPath =>
    withQuery(`${ROOT}/${BROWSE_FAMILY_SETS[family].sessions}/${encodeId(id, 'browseSessionId')}/browse`),
} as const;

/** The prefix every path of the backup API shares (what re-rooted nextLinks must stay under). */
export const BACKUP_RESTORE_ROOT = ROOT;

/** Marks a path already checked by `paging.ts` as a {@link GraphPath}. Not for anything else. */
export function trustedPath(path: string): GraphPath {
  return path as GraphPath;
}

import type { Route } from './router.js';
import { GraphError } from './errors.js';

/**
 * The strict profile: each endpoint accepts only the OData query options its Microsoft Graph documentation page lists,
 * and refuses every other one as Graph refuses an option an endpoint does not allow. The default profile accepts what
 * the emulator implements, which is more than the pages promise; the strict one is there so that the gateway is also
 * proven against a Graph that reads the pages' silence as "not supported".
 */

/** `default`: every option the emulator implements; `strict`: only the documented ones (EMULATOR_PROFILE). */
export type EmulatorProfile = 'default' | 'strict';
export const EMULATOR_PROFILES: readonly EmulatorProfile[] = ['default', 'strict'];

type Method = Route['method'];
type Option = '$count' | '$expand' | '$filter' | '$orderby' | '$search' | '$select' | '$skip' | '$top';

/** Where a row comes from: the documentation page (under https://learn.microsoft.com/graph/api/), or why it has none. */
type Source = { page: string } | { undocumented: string; served: boolean };

interface Row {
  method: Method;
  /** After `solutions/backupRestore` (empty for the root itself), `{…}` for a key; the names need not match the route's. */
  path: string;
  /** Options the page lists. Undocumented endpoints list none. */
  options: readonly Option[];
  source: Source;
}

const row = (method: Method, path: string, options: readonly Option[], page: string): Row => ({ method, path, options, source: { page } });
/** An endpoint no page lists but Microsoft's SDK (generated from Graph's metadata) offers; the emulator serves it. */
const sdk = (method: Method, path: string, reason: string): Row => ({
  method,
  path,
  options: [],
  source: { undocumented: reason, served: true },
});
/** Like `sdk`, but the emulator answers it 501 `notSupported`, so it is not listed as served. */
const unserved = (method: Method, path: string): Row => ({
  method,
  path,
  options: [],
  source: { undocumented: "Microsoft's SDK offers it; the emulator answers 501 notSupported", served: false },
});

/** What every artifact list page names in its "Optional query parameters" section. */
const ARTIFACT_LIST: readonly Option[] = ['$count', '$expand', '$filter', '$orderby', '$search', '$select', '$skip', '$top'];
const NO_PAGE_SDK = "no documentation page lists it; Microsoft's SDK offers it";

/** A browse session family's create, list, get and browse (POST, and GET to continue), each on its page. */
function browseRows(kind: 'sharePoint' | 'oneDriveForBusiness'): Row[] {
  const set = `${kind}BrowseSessions`;
  const lower = set.toLowerCase();
  return [
    row('POST', set, [], `backuprestoreroot-post-${lower}`),
    row('GET', set, [], `backuprestoreroot-list-${lower}`),
    row('GET', `${set}/{id}`, [], `${kind.toLowerCase()}browsesession-get`),
    row('POST', `${set}/{id}/browse`, [], 'browsesessionbase-browse'),
    row('GET', `${set}/{id}/browse`, [], 'browsesessionbase-browse'),
  ];
}

/** The one table: endpoint pattern → the OData query options its page documents. */
const TABLE: readonly Row[] = [
  row('GET', '', [], 'backuprestoreroot-get'), // no optional query parameters section
  row('GET', 'restoreSessions', [], 'backuprestoreroot-list-restoresessions'), // pageable, no query options listed
  row('GET', 'restoreSessions/{id}', [], 'restoresessionbase-get'), // none listed
  row('DELETE', 'restoreSessions/{id}', [], 'restoresessionbase-delete'),
  row('POST', 'restoreSessions/{id}/activate', [], 'restoresessionbase-activate'),
  sdk('GET', 'sharePointRestoreSessions', "its early beta page was withdrawn; Microsoft's SDK offers it"),
  row('POST', 'sharePointRestoreSessions', [], 'backuprestoreroot-post-sharepointrestoresessions'),
  sdk(
    'GET',
    'sharePointRestoreSessions/{id}',
    "its early beta page was withdrawn (get through restoreSessions/{id}); Microsoft's SDK offers it",
  ),
  row('PATCH', 'sharePointRestoreSessions/{id}', [], 'sharepointrestoresession-update'),
  sdk(
    'DELETE',
    'sharePointRestoreSessions/{id}',
    "its early beta page was withdrawn (delete through restoreSessions/{id}); Microsoft's SDK offers it",
  ),
  sdk(
    'GET',
    'exchangeRestoreSessions',
    "no page lists it (the resource page's List link points at the artifacts); in Graph's metadata and SDK",
  ),
  row('POST', 'exchangeRestoreSessions', [], 'backuprestoreroot-post-exchangerestoresessions'),
  sdk('GET', 'exchangeRestoreSessions/{id}', "its Get page is withdrawn (get through restoreSessions/{id}); Microsoft's SDK offers it"),
  row('PATCH', 'exchangeRestoreSessions/{id}', [], 'exchangerestoresession-update'),
  sdk('DELETE', 'exchangeRestoreSessions/{id}', "pages delete through restoreSessions/{id}; Microsoft's SDK offers it"),
  sdk(
    'GET',
    'oneDriveForBusinessRestoreSessions',
    "no page lists it (the resource page's List link points at the artifacts); in Graph's metadata and SDK",
  ),
  row('POST', 'oneDriveForBusinessRestoreSessions', [], 'backuprestoreroot-post-onedriveforbusinessrestoresessions'),
  sdk('GET', 'oneDriveForBusinessRestoreSessions/{id}', "pages get through restoreSessions/{id}; Microsoft's SDK offers it"),
  row('PATCH', 'oneDriveForBusinessRestoreSessions/{id}', [], 'onedriveforbusinessrestoresession-update'),
  sdk('DELETE', 'oneDriveForBusinessRestoreSessions/{id}', "pages delete through restoreSessions/{id}; Microsoft's SDK offers it"),
  // $count $expand $filter $orderby $search $select $skip $top, as the page lists them.
  row('GET', 'sharePointRestoreSessions/{id}/siteRestoreArtifacts', ARTIFACT_LIST, 'sharepointrestoresession-list-siterestoreartifacts'),
  sdk(
    'POST',
    'sharePointRestoreSessions/{id}/siteRestoreArtifacts',
    "its Create page is linked but was never published; Microsoft's SDK offers it",
  ),
  sdk('GET', 'sharePointRestoreSessions/{id}/siteRestoreArtifacts/{id}', NO_PAGE_SDK),
  sdk('DELETE', 'sharePointRestoreSessions/{id}/siteRestoreArtifacts/{id}', NO_PAGE_SDK),
  sdk('GET', 'sharePointRestoreSessions/{id}/siteRestoreArtifacts/{id}/restorePoint', NO_PAGE_SDK),
  row(
    'GET',
    'sharePointRestoreSessions/{id}/granularSiteRestoreArtifacts',
    [],
    'sharepointrestoresession-list-granularsiterestoreartifacts',
  ), // none
  unserved('POST', 'sharePointRestoreSessions/{id}/granularSiteRestoreArtifacts'),
  unserved('GET', 'sharePointRestoreSessions/{id}/granularSiteRestoreArtifacts/{id}'),
  unserved('PATCH', 'sharePointRestoreSessions/{id}/granularSiteRestoreArtifacts/{id}'),
  unserved('DELETE', 'sharePointRestoreSessions/{id}/granularSiteRestoreArtifacts/{id}'),
  // The page says "some of the OData query parameters" without naming them: read as its SharePoint sibling's list.
  row('GET', 'exchangeRestoreSessions/{id}/mailboxRestoreArtifacts', ARTIFACT_LIST, 'exchangerestoresession-list-mailboxrestoreartifacts'),
  unserved('POST', 'exchangeRestoreSessions/{id}/mailboxRestoreArtifacts'),
  sdk('GET', 'exchangeRestoreSessions/{id}/mailboxRestoreArtifacts/{id}', NO_PAGE_SDK),
  sdk('GET', 'exchangeRestoreSessions/{id}/mailboxRestoreArtifacts/{id}/restorePoint', NO_PAGE_SDK),
  unserved('PATCH', 'exchangeRestoreSessions/{id}/mailboxRestoreArtifacts/{id}'),
  unserved('DELETE', 'exchangeRestoreSessions/{id}/mailboxRestoreArtifacts/{id}'),
  // Microsoft's SDK offers the granular mailbox artifacts (the resource page's List link points at the standard list).
  sdk('GET', 'exchangeRestoreSessions/{id}/granularMailboxRestoreArtifacts', NO_PAGE_SDK),
  unserved('POST', 'exchangeRestoreSessions/{id}/granularMailboxRestoreArtifacts'),
  sdk('GET', 'exchangeRestoreSessions/{id}/granularMailboxRestoreArtifacts/{id}', NO_PAGE_SDK),
  sdk('GET', 'exchangeRestoreSessions/{id}/granularMailboxRestoreArtifacts/{id}/restorePoint', NO_PAGE_SDK),
  unserved('PATCH', 'exchangeRestoreSessions/{id}/granularMailboxRestoreArtifacts/{id}'),
  unserved('DELETE', 'exchangeRestoreSessions/{id}/granularMailboxRestoreArtifacts/{id}'),
  // "Some of the OData query parameters", as the Exchange page: read as the SharePoint list's.
  row(
    'GET',
    'oneDriveForBusinessRestoreSessions/{id}/driveRestoreArtifacts',
    ARTIFACT_LIST,
    'onedriveforbusinessrestoresession-list-driverestoreartifacts',
  ),
  unserved('POST', 'oneDriveForBusinessRestoreSessions/{id}/driveRestoreArtifacts'),
  sdk('GET', 'oneDriveForBusinessRestoreSessions/{id}/driveRestoreArtifacts/{id}', NO_PAGE_SDK),
  sdk('GET', 'oneDriveForBusinessRestoreSessions/{id}/driveRestoreArtifacts/{id}/restorePoint', NO_PAGE_SDK),
  unserved('PATCH', 'oneDriveForBusinessRestoreSessions/{id}/driveRestoreArtifacts/{id}'),
  unserved('DELETE', 'oneDriveForBusinessRestoreSessions/{id}/driveRestoreArtifacts/{id}'),
  // No query options, the page says.
  row(
    'GET',
    'oneDriveForBusinessRestoreSessions/{id}/granularDriveRestoreArtifacts',
    [],
    'onedriveforbusinessrestoresession-list-granulardriverestoreartifacts',
  ),
  unserved('POST', 'oneDriveForBusinessRestoreSessions/{id}/granularDriveRestoreArtifacts'),
  unserved('GET', 'oneDriveForBusinessRestoreSessions/{id}/granularDriveRestoreArtifacts/{id}'),
  unserved('PATCH', 'oneDriveForBusinessRestoreSessions/{id}/granularDriveRestoreArtifacts/{id}'),
  unserved('DELETE', 'oneDriveForBusinessRestoreSessions/{id}/granularDriveRestoreArtifacts/{id}'),
  // Bulk-request lists take no OData query options, the pages say; the get pages list none either.
  row(
    'GET',
    'sharePointRestoreSessions/{id}/siteRestoreArtifactsBulkAdditionRequests',
    [],
    'sharepointrestoresession-list-siterestoreartifactsbulkadditionrequests',
  ),
  row(
    'POST',
    'sharePointRestoreSessions/{id}/siteRestoreArtifactsBulkAdditionRequests',
    [],
    'sharepointrestoresession-post-siterestoreartifactsbulkadditionrequests',
  ),
  row(
    'GET',
    'sharePointRestoreSessions/{id}/siteRestoreArtifactsBulkAdditionRequests/{id}',
    [],
    'siterestoreartifactsbulkadditionrequest-get',
  ),
  row(
    'DELETE',
    'sharePointRestoreSessions/{id}/siteRestoreArtifactsBulkAdditionRequests/{id}',
    [],
    'siterestoreartifactsbulkadditionrequest-delete',
  ),
  row(
    'GET',
    'exchangeRestoreSessions/{id}/mailboxRestoreArtifactsBulkAdditionRequests',
    [],
    'exchangerestoresession-list-mailboxrestoreartifactsbulkadditionrequests',
  ),
  row(
    'POST',
    'exchangeRestoreSessions/{id}/mailboxRestoreArtifactsBulkAdditionRequests',
    [],
    'exchangerestoresession-post-mailboxrestoreartifactsbulkadditionrequests',
  ),
  row(
    'GET',
    'exchangeRestoreSessions/{id}/mailboxRestoreArtifactsBulkAdditionRequests/{id}',
    [],
    'mailboxrestoreartifactsbulkadditionrequest-get',
  ),
  unserved('PATCH', 'exchangeRestoreSessions/{id}/mailboxRestoreArtifactsBulkAdditionRequests/{id}'),
  row(
    'DELETE',
    'exchangeRestoreSessions/{id}/mailboxRestoreArtifactsBulkAdditionRequests/{id}',
    [],
    'mailboxrestoreartifactsbulkadditionrequest-delete',
  ),
  row(
    'GET',
    'oneDriveForBusinessRestoreSessions/{id}/driveRestoreArtifactsBulkAdditionRequests',
    [],
    'onedriveforbusinessrestoresession-list-driverestoreartifactsbulkadditionrequests',
  ),
  row(
    'POST',
    'oneDriveForBusinessRestoreSessions/{id}/driveRestoreArtifactsBulkAdditionRequests',
    [],
    'onedriveforbusinessrestoresession-post-driverestoreartifactsbulkadditionrequests',
  ),
  row(
    'GET',
    'oneDriveForBusinessRestoreSessions/{id}/driveRestoreArtifactsBulkAdditionRequests/{id}',
    [],
    'driverestoreartifactsbulkadditionrequest-get',
  ),
  unserved('PATCH', 'oneDriveForBusinessRestoreSessions/{id}/driveRestoreArtifactsBulkAdditionRequests/{id}'),
  row(
    'DELETE',
    'oneDriveForBusinessRestoreSessions/{id}/driveRestoreArtifactsBulkAdditionRequests/{id}',
    [],
    'driverestoreartifactsbulkadditionrequest-delete',
  ),
  // Browse sessions: their pages say "doesn't support query parameters", except the polymorphic list's "some of the
  // OData query parameters", which names none and so is read as none here. The GET browse is the continuation of a
  // POST browse (the $skiptoken of its nextLink), documented on the browse page.
  ...browseRows('sharePoint'),
  ...browseRows('oneDriveForBusiness'),
  row('GET', 'browseSessions', [], 'backuprestoreroot-list-browsesessions'),
  // $expand=protectionUnit(…) and $filter (both required by the page), and orderBy; no $top.
  row('GET', 'restorePoints', ['$expand', '$filter', '$orderby'], 'backuprestoreroot-list-restorepoints'),
  sdk('GET', 'restorePoints/{id}', NO_PAGE_SDK),
  sdk('GET', 'restorePoints/{id}/protectionUnit', NO_PAGE_SDK),
  row('POST', 'restorePoints/search', [], 'restorepoint-search'),
  row('GET', 'siteProtectionUnits', [], 'backuprestoreroot-list-siteprotectionunits'), // no optional query parameters section
  sdk(
    'GET',
    'protectionUnits',
    "pages list only the typed casts (protectionUnits/microsoft.graph.…); Microsoft's SDK offers the plain list",
  ),
  row('GET', 'sharePointProtectionPolicies/{id}/siteProtectionUnits', [], 'backuprestoreroot-list-siteprotectionunits'), // its second URL
  sdk('GET', 'siteProtectionUnits/{id}', "pages get a unit through protectionUnits/{id}; Microsoft's SDK offers it"),
  row('GET', 'protectionUnits/{id}', [], 'protectionunitbase-get'), // none listed
  // The mailbox and drive list pages have no optional query parameters section; both name the typed cast and the
  // policy's navigation. The root sets and their gets are in Graph's metadata and Microsoft's SDK only.
  row('GET', 'protectionUnits/microsoft.graph.mailboxProtectionUnit', [], 'backuprestoreroot-list-mailboxprotectionunits'),
  row('GET', 'exchangeProtectionPolicies/{id}/mailboxProtectionUnits', [], 'backuprestoreroot-list-mailboxprotectionunits'),
  sdk(
    'GET',
    'mailboxProtectionUnits',
    "pages list the typed cast protectionUnits/microsoft.graph.mailboxProtectionUnit; Microsoft's SDK offers the set",
  ),
  sdk('GET', 'mailboxProtectionUnits/{id}', "pages get a unit through protectionUnits/{id}; Microsoft's SDK offers it"),
  row('GET', 'protectionUnits/microsoft.graph.driveProtectionUnit', [], 'backuprestoreroot-list-driveprotectionunits'),
  row('GET', 'oneDriveForBusinessProtectionPolicies/{id}/driveProtectionUnits', [], 'backuprestoreroot-list-driveprotectionunits'),
  sdk(
    'GET',
    'driveProtectionUnits',
    "pages list the typed cast protectionUnits/microsoft.graph.driveProtectionUnit; Microsoft's SDK offers the set",
  ),
  sdk('GET', 'driveProtectionUnits/{id}', "pages get a unit through protectionUnits/{id}; Microsoft's SDK offers it"),
];

const ROOT = 'solutions/backupRestore';

/** Placeholders compare by position, literals case-insensitively (as the router matches them). */
function key(method: string, fullPath: string): string {
  return `${method.toUpperCase()} ${fullPath.replace(/\{[^}]*\}/g, '{}').toLowerCase()}`;
}

const fullPath = (r: Row): string => (r.path === '' ? ROOT : `${ROOT}/${r.path}`);
const BY_ENDPOINT = new Map(TABLE.map((r) => [key(r.method, fullPath(r)), r]));

/** An endpoint the emulator serves in both profiles although no documentation page lists it. */
export interface UndocumentedEndpoint {
  method: Method;
  /** After the version root, e.g. `solutions/backupRestore/restorePoints/{id}`. */
  path: string;
  reason: string;
}

/** Served in the strict profile too (with no query options), for a doctor to name what real Graph may not serve. */
export const UNDOCUMENTED_ENDPOINTS: readonly UndocumentedEndpoint[] = TABLE.flatMap((r) =>
  'undocumented' in r.source && r.source.served ? [{ method: r.method, path: fullPath(r), reason: r.source.undocumented }] : [],
);

/** The table as data (endpoint → accepted options → its page), for tests and for a doctor to print. */
export const STRICT_QUERY_OPTIONS: ReadonlyArray<{ method: Method; path: string; options: readonly string[]; page: string | null }> =
  TABLE.map((r) => ({ method: r.method, path: fullPath(r), options: r.options, page: 'page' in r.source ? r.source.page : null }));

/** The strict row of a route; undefined when the table misses it (a test keeps the table complete). */
export function strictRowFor(route: Pick<Route, 'method' | 'path'>): { options: readonly string[] } | undefined {
  return BY_ENDPOINT.get(key(route.method, route.path));
}

/**
 * OData's names of the system query options, as its validator writes them in the refusal. Options outside this list
 * are left to the route's own check, which refuses them in both profiles.
 */
const ODATA_NAMES: Record<string, string> = {
  $apply: 'Apply',
  $compute: 'Compute',
  $count: 'Count',
  $deltatoken: 'DeltaToken',
  $expand: 'Expand',
  $filter: 'Filter',
  $format: 'Format',
  $orderby: 'OrderBy',
  $search: 'Search',
  $select: 'Select',
  $skip: 'Skip',
  $top: 'Top',
};

/**
 * Graph's answer to a query option an endpoint does not allow: the OData validator's message, an empty code, and the
 * message again in `innerError` (with date and request ids). Seen from graph.microsoft.com in
 * https://github.com/microsoftgraph/microsoft-graph-docs/issues/18719 ("Query option 'SkipToken' is not allowed", code
 * ""), and for Select, Expand, Filter and Skip in microsoft-graph-docs-contrib issues 2556 and 94 and pull request 8527;
 * the wording is the validator's (OData/WebApi, OData/AspNetCoreOData: ODataQueryValidator.ValidateQueryOptionAllowed).
 */
export function queryOptionNotAllowed(odataName: string): GraphError {
  const reason = `Query option '${odataName}' is not allowed. To allow it, set the 'AllowedQueryOptions' property on EnableQueryAttribute or QueryValidationSettings.`;
  return new GraphError(400, '', `The query specified in the URI is not valid. ${reason}`, { innerMessage: reason });
}

/**
 * Refuses, for the strict profile, the first system query option the route's row does not list. `$skiptoken` always
 * passes: the emulator's own nextLinks carry it, and following them is how paging continues (the route still checks
 * the token is one it issued). A route missing from the table accepts no option at all.
 */
export function refuseUndocumentedOptions(query: URLSearchParams, route: Pick<Route, 'method' | 'path'>): void {
  const accepted = strictRowFor(route)?.options ?? [];
  for (const name of query.keys()) {
    const lower = name.toLowerCase();
    const odataName = ODATA_NAMES[lower];
    if (odataName === undefined || accepted.includes(lower)) continue;
    throw queryOptionNotAllowed(odataName);
  }
}

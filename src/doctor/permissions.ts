import { graphPaths, odataDateTime, odataString, type GraphPath } from '../graph/url.js';
import type { GraphHttpResponse } from '../graph/http.js';
import { firstId, skipped, type Probe, type ProbeRequest } from './probe.js';
import type { CheckOutcome, PermissionOutcome } from './results.js';

/**
 * Permissions: one plain read of each endpoint family the gateway calls (no query option beyond what the
 * documentation requires), each naming the Microsoft Graph permission it needs (docs/security.md, "The app
 * registration a real deployment needs"). The answers also give the ids the capability checks need.
 */

const READ = 'BackupRestore-Restore.Read.All';
const READ_WRITE = 'BackupRestore-Restore.ReadWrite.All';
const SEARCH = 'BackupRestore-Search.Read.All';
/** The mailbox and OneDrive unit lists name only the Configuration permissions. */
const CONFIGURATION_READ = 'BackupRestore-Configuration.Read.All';

/** What the first reads found, for the checks that need an id. */
export interface Discovered {
  sharePointSessionId: string | undefined;
  unitId: string | undefined;
  restorePointId: string | undefined;
  /** The plain `siteProtectionUnits` answer: its nextLink is the paging check's. */
  units: GraphHttpResponse | undefined;
}

export interface PermissionChecks {
  permissions: Record<string, PermissionOutcome>;
  discovered: Discovered;
  /** Each check's endpoint, `METHOD path` with `{id}` for keys (to match the undocumented endpoints). */
  endpoints: Record<string, string>;
}

const ROOT = 'solutions/backupRestore';

function asPermission(outcome: CheckOutcome, permission: string): PermissionOutcome {
  const denied = outcome.status === 401 || outcome.status === 403;
  return { ...outcome, result: denied ? 'denied' : outcome.result === 'refused' ? 'failed' : outcome.result, permission };
}

export async function checkPermissions(probe: Probe, now: Date): Promise<PermissionChecks> {
  const permissions: Record<string, PermissionOutcome> = {};
  const endpoints: Record<string, string> = {};
  const read = async (
    name: string,
    endpoint: string,
    permission: string,
    request: ProbeRequest,
  ): Promise<GraphHttpResponse | undefined> => {
    endpoints[name] = endpoint;
    const { response, outcome } = await probe.send(request);
    permissions[name] = asPermission(outcome, permission);
    return outcome.result === 'works' ? response : undefined;
  };
  const skip = (name: string, endpoint: string, permission: string, why: string): void => {
    endpoints[name] = endpoint;
    permissions[name] = { ...skipped(why), result: 'skipped', permission };
  };
  const get = (path: GraphPath): ProbeRequest => ({ method: 'GET', path });

  const [, sharePoint, units] = await Promise.all([
    read('restoreSessions', `GET ${ROOT}/restoreSessions`, READ, get(graphPaths.restoreSessions())),
    read('sharePointRestoreSessions', `GET ${ROOT}/sharePointRestoreSessions`, READ, get(graphPaths.sharePointRestoreSessions())),
    read('siteProtectionUnits', `GET ${ROOT}/siteProtectionUnits`, READ, get(graphPaths.siteProtectionUnits())),
    read(
      'mailboxProtectionUnits',
      `GET ${ROOT}/protectionUnits/microsoft.graph.mailboxProtectionUnit`,
      CONFIGURATION_READ,
      get(graphPaths.mailboxProtectionUnits()),
    ),
    read(
      'driveProtectionUnits',
      `GET ${ROOT}/protectionUnits/microsoft.graph.driveProtectionUnit`,
      CONFIGURATION_READ,
      get(graphPaths.driveProtectionUnits()),
    ),
  ]);
  const sessionId = firstId(sharePoint);
  const unitId = firstId(units);
  const artifacts = `GET ${ROOT}/sharePointRestoreSessions/{id}/siteRestoreArtifacts`;
  const bulk = `GET ${ROOT}/sharePointRestoreSessions/{id}/siteRestoreArtifactsBulkAdditionRequests`;
  const noSession = 'the tenant has no SharePoint restore session to read';
  const noUnit = 'the tenant has no site protection unit to read';
  let restorePointId: string | undefined;
  await Promise.all([
    sessionId === undefined
      ? skip('siteRestoreArtifacts', artifacts, READ, noSession)
      : read('siteRestoreArtifacts', artifacts, READ, get(graphPaths.siteRestoreArtifacts(sessionId))),
    sessionId === undefined
      ? skip('bulkAdditionRequests', bulk, READ, noSession)
      : read('bulkAdditionRequests', bulk, READ, get(graphPaths.bulkAdditionRequests('sharePoint', sessionId))),
    unitId === undefined
      ? skip('protectionUnits', `GET ${ROOT}/protectionUnits/{id}`, READ, noUnit)
      : read('protectionUnits', `GET ${ROOT}/protectionUnits/{id}`, READ, get(graphPaths.protectionUnit(unitId))),
    unitId === undefined
      ? skip('restorePoints', `GET ${ROOT}/restorePoints`, READ, noUnit)
      : read('restorePoints', `GET ${ROOT}/restorePoints`, READ, get(restorePointsOf(unitId, now))).then((r) => {
          restorePointId = firstId(r);
        }),
    unitId === undefined
      ? skip('restorePointSearch', `POST ${ROOT}/restorePoints/search`, SEARCH, noUnit)
      : read('restorePointSearch', `POST ${ROOT}/restorePoints/search`, SEARCH, searchOf(unitId, now)),
  ]);
  return { permissions, endpoints, discovered: { sharePointSessionId: sessionId, unitId, restorePointId, units } };
}

/** The restore-point list as the gateway asks for it: the unit expanded by a filter, and the date filter Graph requires. */
function restorePointsOf(unitId: string, now: Date): GraphPath {
  return graphPaths.restorePoints([
    ['$expand', `protectionUnit($filter=id eq ${odataString(unitId, 'protectionUnitId')})`],
    ['$filter', `protectionDateTime lt ${odataDateTime(new Date(Math.ceil(now.getTime() / 60_000) * 60_000), 'before')}`],
  ]);
}

/** A search over the last 30 days of one unit: a read, though Graph takes it as a POST. */
function searchOf(unitId: string, now: Date): ProbeRequest {
  const start = new Date(now.getTime() - 30 * 86_400_000);
  return {
    method: 'POST',
    path: graphPaths.searchRestorePoints(),
    body: { protectionUnitIds: [unitId], protectionTimePeriod: { startDateTime: odataDateTime(start, 'startDateTime') } },
  };
}

/**
 * Whether the token Graph writes would be sent with carries the write permission, from its claims: the doctor writes
 * nothing without `--write`, so this is what it can say about writes then.
 */
export function writePermission(permissions: readonly string[], acting: string): PermissionOutcome {
  const has = permissions.includes(READ_WRITE);
  return {
    result: has ? 'works' : 'denied',
    status: null,
    requestId: null,
    permission: READ_WRITE,
    detail: has
      ? `${acting} token carries it`
      : `${acting} token does not carry it: creating, changing and starting restores will be refused`,
  };
}

/** The session list read with another token: the user's, on their behalf, where the delegated permission applies. */
export async function checkPermissionRead(probe: Probe): Promise<PermissionOutcome> {
  return asPermission((await probe.send({ method: 'GET', path: graphPaths.restoreSessions() })).outcome, READ);
}

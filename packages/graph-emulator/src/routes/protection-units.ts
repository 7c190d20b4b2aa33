import type { Route } from '../http/router.js';
import type { PermissionSet } from '../authority/caller.js';
import type { GraphRequest, GraphResponse } from '../http/types.js';
import type { EmulatorState } from '../model/state.js';
import type { ProtectionUnit, UnitKind } from '../model/types.js';
import { READ_CONFIGURATION, READ_RESTORE_POINTS } from '../authority/caller.js';
import { GraphError } from '../http/errors.js';
import { truncate } from '../http/router.js';
import { collectionPage, filterPredicate, parseSelect, project, type FilterFieldSpec } from '../http/odata.js';
import { isGuid } from '../model/ids.js';
import { PROTECTION_UNIT_PROPERTIES, renderProtectionUnit } from '../model/render-protection.js';

/**
 * Protection units of every workload: the polymorphic `protectionUnits` (list and get), each workload's set
 * (`siteProtectionUnits`, `mailboxProtectionUnits`, `driveProtectionUnits`: list and get), the documented typed casts
 * (`protectionUnits/microsoft.graph.mailboxProtectionUnit`, …) and a policy's units.
 *
 * The mailbox and drive lists need BackupRestore-Configuration.Read.All, as their pages say. The site lists and the
 * gets keep accepting any restore permission too, so that a restore operator can pick restore points.
 */

const ROOT = 'solutions/backupRestore';
const LIST_OPTIONS = ['$top', '$skiptoken', '$count', '$filter', '$select'] as const;
const ENTITY_OPTIONS = ['$select'] as const;

const COMMON_FILTER_FIELDS: Record<string, FilterFieldSpec> = {
  id: { kind: 'string' },
  status: { kind: 'enum', enumName: 'protectionUnitStatus' },
  policyId: { kind: 'string' },
};
const UNIT_FILTER_FIELDS: Record<UnitKind, Record<string, FilterFieldSpec>> = {
  site: { ...COMMON_FILTER_FIELDS, siteId: { kind: 'string' }, siteName: { kind: 'string' }, siteWebUrl: { kind: 'string' } },
  mailbox: { ...COMMON_FILTER_FIELDS, directoryObjectId: { kind: 'string' }, displayName: { kind: 'string' }, email: { kind: 'string' } },
  drive: { ...COMMON_FILTER_FIELDS, directoryObjectId: { kind: 'string' }, displayName: { kind: 'string' }, email: { kind: 'string' } },
};
/** The polymorphic list filters on what every unit has. */
const ANY_FILTER_FIELDS = { ...UNIT_FILTER_FIELDS.site, ...UNIT_FILTER_FIELDS.mailbox };

/** Each workload's unit set, policy set and policy navigation. */
const WORKLOADS: Record<UnitKind, { set: string; policies: string; cast: string }> = {
  site: { set: 'siteProtectionUnits', policies: 'sharePointProtectionPolicies', cast: 'microsoft.graph.siteProtectionUnit' },
  mailbox: { set: 'mailboxProtectionUnits', policies: 'exchangeProtectionPolicies', cast: 'microsoft.graph.mailboxProtectionUnit' },
  drive: { set: 'driveProtectionUnits', policies: 'oneDriveForBusinessProtectionPolicies', cast: 'microsoft.graph.driveProtectionUnit' },
};

interface UnitIndex {
  /** Insertion (seed) order, which is the order lists show. */
  all: ProtectionUnit[];
  byKind: Record<UnitKind, ProtectionUnit[]>;
  /** Keyed by workload and lower-cased policy id. */
  byPolicy: Map<string, ProtectionUnit[]>;
  size: number;
}

// The unit lists are built once per state (state is replaced on reset) and rebuilt if units are added or removed.
const indexes = new WeakMap<EmulatorState, UnitIndex>();

function unitIndex(state: EmulatorState): UnitIndex {
  const cached = indexes.get(state);
  if (cached && cached.size === state.units.size) return cached;
  const all = [...state.units.values()];
  const byKind: Record<UnitKind, ProtectionUnit[]> = { site: [], mailbox: [], drive: [] };
  const byPolicy = new Map<string, ProtectionUnit[]>();
  for (const u of all) {
    byKind[u.kind].push(u);
    const key = `${u.kind}:${u.policyId.toLowerCase()}`;
    const list = byPolicy.get(key);
    if (list) list.push(u);
    else byPolicy.set(key, [u]);
  }
  const index = { all, byKind, byPolicy, size: state.units.size };
  indexes.set(state, index);
  return index;
}

/** The values `$filter` sees of a unit. */
function filterValues(u: ProtectionUnit): Record<string, string> {
  const common = { id: u.id, status: u.status, policyId: u.policyId };
  if (u.kind === 'site') return { ...common, siteId: u.siteId, siteName: u.siteName, siteWebUrl: u.siteWebUrl };
  return { ...common, directoryObjectId: u.directoryObjectId, displayName: u.displayName, email: u.email };
}

function listUnits(
  req: GraphRequest,
  units: readonly ProtectionUnit[],
  context: string,
  fields: Record<string, FilterFieldSpec>,
): GraphResponse {
  const select = parseSelect(req.query, PROTECTION_UNIT_PROPERTIES);
  const predicate = filterPredicate(req, fields);
  const items = predicate ? units.filter((u) => predicate(filterValues(u))) : units;
  const body = collectionPage(req, items, {
    context,
    count: true,
    render: (u) => project(renderProtectionUnit(u, req), select),
  });
  return { status: 200, body };
}

/**
 * 400 InvalidProtectionUnitId for a non-GUID, 404 ProtectionUnitNotFound for an unknown unit (or, with `kind`, one of
 * another workload: a mailbox is not in `siteProtectionUnits`).
 */
export function findUnit(state: EmulatorState, id: string, kind?: UnitKind): ProtectionUnit {
  if (!isGuid(id)) throw new GraphError(400, 'InvalidProtectionUnitId', `'${truncate(id)}' is not a valid protection unit id.`);
  const unit = state.unit(id);
  if (!unit || (kind !== undefined && unit.kind !== kind)) {
    throw new GraphError(404, 'ProtectionUnitNotFound', `The protection unit '${id}' was not found.`);
  }
  return unit;
}

/** The unit `id` as its get renders it (`$select`, evolvable enums), under the entity set `context` names. */
export function getUnit(req: GraphRequest, state: EmulatorState, id: string, context: string, kind?: UnitKind): GraphResponse {
  const select = parseSelect(req.query, PROTECTION_UNIT_PROPERTIES);
  const unit = findUnit(state, id, kind);
  const entity = {
    '@odata.context': `${req.origin}/${req.version}/$metadata#${context}/$entity`,
    ...renderProtectionUnit(unit, req),
  };
  return { status: 200, body: project(entity, select) };
}

/** A policy's units: the emulator has no policy objects of its own, so a policy exists when a seeded unit belongs to it. */
function policyUnits(state: EmulatorState, kind: UnitKind, policyId: string): ProtectionUnit[] {
  if (!isGuid(policyId)) throw new GraphError(400, 'InvalidPolicyId', `'${truncate(policyId)}' is not a valid protection policy id.`);
  const units = unitIndex(state).byPolicy.get(`${kind}:${policyId.toLowerCase()}`);
  if (!units) throw new GraphError(404, 'PolicyNotFound', `The protection policy '${policyId}' was not found.`);
  return units;
}

/**
 * A workload's lists (its set, the typed cast for mailboxes and drives, its policies' navigation) and its get.
 * `permissions` are the lists'.
 */
function workloadRoutes(kind: UnitKind, permissions: PermissionSet): Route[] {
  const { set, policies, cast } = WORKLOADS[kind];
  const fields = UNIT_FILTER_FIELDS[kind];
  const list =
    (context: string): Route['handler'] =>
    (req, _p, ctx) =>
      listUnits(req, unitIndex(ctx.state).byKind[kind], context, fields);
  const routes: Route[] = [
    { method: 'GET', path: `${ROOT}/${set}`, permissions, queryOptions: LIST_OPTIONS, handler: list(`${ROOT}/${set}`) },
    {
      method: 'GET',
      path: `${ROOT}/${policies}/{policyId}/${set}`,
      permissions,
      queryOptions: LIST_OPTIONS,
      handler: (req, { policyId = '' }, ctx) =>
        listUnits(req, policyUnits(ctx.state, kind, policyId), `${ROOT}/${policies}('${policyId}')/${set}`, fields),
    },
    {
      method: 'GET',
      path: `${ROOT}/${set}/{id}`,
      permissions: READ_RESTORE_POINTS,
      queryOptions: ENTITY_OPTIONS,
      handler: (req, { id = '' }, ctx) => getUnit(req, ctx.state, id, `${ROOT}/${set}`, kind),
    },
  ];
  if (kind === 'site') return routes;
  const castPath = `${ROOT}/protectionUnits/${cast}`;
  return [...routes, { method: 'GET', path: castPath, permissions, queryOptions: LIST_OPTIONS, handler: list(castPath) }];
}

export const protectionUnitRoutes: Route[] = [
  ...workloadRoutes('site', READ_RESTORE_POINTS),
  {
    method: 'GET',
    path: `${ROOT}/protectionUnits`,
    permissions: READ_RESTORE_POINTS,
    queryOptions: LIST_OPTIONS,
    handler: (req, _p, ctx) => listUnits(req, unitIndex(ctx.state).all, `${ROOT}/protectionUnits`, ANY_FILTER_FIELDS),
  },
  {
    method: 'GET',
    path: `${ROOT}/protectionUnits/{id}`,
    permissions: READ_RESTORE_POINTS,
    queryOptions: ENTITY_OPTIONS,
    handler: (req, { id = '' }, ctx) => getUnit(req, ctx.state, id, `${ROOT}/protectionUnits`),
  },
  ...workloadRoutes('mailbox', READ_CONFIGURATION),
  ...workloadRoutes('drive', READ_CONFIGURATION),
];

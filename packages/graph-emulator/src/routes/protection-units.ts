import type { Route } from '../http/router.js';
import type { GraphRequest, GraphResponse } from '../http/types.js';
import type { EmulatorState } from '../model/state.js';
import type { ProtectionUnit } from '../model/types.js';
import { READ_RESTORE_POINTS } from '../authority/caller.js';
import { GraphError } from '../http/errors.js';
import { truncate } from '../http/router.js';
import { collectionPage, filterPredicate, parseSelect, project, type FilterFieldSpec } from '../http/odata.js';
import { isGuid } from '../model/ids.js';
import { PROTECTION_UNIT_PROPERTIES, renderProtectionUnit } from '../model/render-protection.js';

/**
 * Protection units: `siteProtectionUnits` (list and get), the polymorphic `protectionUnits`
 * (list and get) and a policy's `siteProtectionUnits`. Only SharePoint is protected in the emulator, so every unit
 * is a siteProtectionUnit.
 */

const ROOT = 'solutions/backupRestore';
const LIST_OPTIONS = ['$top', '$skiptoken', '$count', '$filter', '$select'] as const;
const ENTITY_OPTIONS = ['$select'] as const;

const UNIT_FILTER_FIELDS: Record<string, FilterFieldSpec> = {
  id: { kind: 'string' },
  status: { kind: 'enum', enumName: 'protectionUnitStatus' },
  policyId: { kind: 'string' },
  siteId: { kind: 'string' },
  siteName: { kind: 'string' },
  siteWebUrl: { kind: 'string' },
};

interface UnitIndex {
  /** Insertion (seed) order, which is the order lists show. */
  all: ProtectionUnit[];
  /** Keyed by lower-cased policy id. */
  byPolicy: Map<string, ProtectionUnit[]>;
  size: number;
}

// The unit lists are built once per state (state is replaced on reset) and rebuilt if units are added or removed.
const indexes = new WeakMap<EmulatorState, UnitIndex>();

function unitIndex(state: EmulatorState): UnitIndex {
  const cached = indexes.get(state);
  if (cached && cached.size === state.units.size) return cached;
  const all = [...state.units.values()];
  const byPolicy = new Map<string, ProtectionUnit[]>();
  for (const u of all) {
    const key = u.policyId.toLowerCase();
    const list = byPolicy.get(key);
    if (list) list.push(u);
    else byPolicy.set(key, [u]);
  }
  const index = { all, byPolicy, size: state.units.size };
  indexes.set(state, index);
  return index;
}

function listUnits(req: GraphRequest, units: readonly ProtectionUnit[], context: string): GraphResponse {
  const select = parseSelect(req.query, PROTECTION_UNIT_PROPERTIES);
  const predicate = filterPredicate(req, UNIT_FILTER_FIELDS);
  const items = predicate
    ? units.filter((u) =>
        predicate({
          id: u.id,
          status: u.status,
          policyId: u.policyId,
          siteId: u.siteId,
          siteName: u.siteName,
          siteWebUrl: u.siteWebUrl,
        }),
      )
    : units;
  const body = collectionPage(req, items, {
    context,
    count: true,
    render: (u) => project(renderProtectionUnit(u, req), select),
  });
  return { status: 200, body };
}

/** 400 InvalidProtectionUnitId for a non-GUID, 404 ProtectionUnitNotFound for an unknown unit. */
export function findUnit(state: EmulatorState, id: string): ProtectionUnit {
  if (!isGuid(id)) throw new GraphError(400, 'InvalidProtectionUnitId', `'${truncate(id)}' is not a valid protection unit id.`);
  const unit = state.unit(id);
  if (!unit) throw new GraphError(404, 'ProtectionUnitNotFound', `The protection unit '${id}' was not found.`);
  return unit;
}

/** The unit `id` as its get renders it (`$select`, evolvable enums), under the entity set `context` names. */
export function getUnit(req: GraphRequest, state: EmulatorState, id: string, context: string): GraphResponse {
  const select = parseSelect(req.query, PROTECTION_UNIT_PROPERTIES);
  const unit = findUnit(state, id);
  const entity = {
    '@odata.context': `${req.origin}/${req.version}/$metadata#${context}/$entity`,
    ...renderProtectionUnit(unit, req),
  };
  return { status: 200, body: project(entity, select) };
}

export const protectionUnitRoutes: Route[] = [
  {
    method: 'GET',
    path: `${ROOT}/siteProtectionUnits`,
    permissions: READ_RESTORE_POINTS,
    queryOptions: LIST_OPTIONS,
    handler: (req, _p, ctx) => listUnits(req, unitIndex(ctx.state).all, `${ROOT}/siteProtectionUnits`),
  },
  {
    method: 'GET',
    path: `${ROOT}/protectionUnits`,
    permissions: READ_RESTORE_POINTS,
    queryOptions: LIST_OPTIONS,
    handler: (req, _p, ctx) => listUnits(req, unitIndex(ctx.state).all, `${ROOT}/protectionUnits`),
  },
  {
    method: 'GET',
    path: `${ROOT}/sharePointProtectionPolicies/{policyId}/siteProtectionUnits`,
    permissions: READ_RESTORE_POINTS,
    queryOptions: LIST_OPTIONS,
    handler: (req, { policyId = '' }, ctx) => {
      if (!isGuid(policyId)) throw new GraphError(400, 'InvalidPolicyId', `'${truncate(policyId)}' is not a valid protection policy id.`);
      // The emulator has no policy objects of its own: a policy exists when a seeded unit belongs to it.
      const units = unitIndex(ctx.state).byPolicy.get(policyId.toLowerCase());
      if (!units) throw new GraphError(404, 'PolicyNotFound', `The protection policy '${policyId}' was not found.`);
      return listUnits(req, units, `${ROOT}/sharePointProtectionPolicies('${policyId}')/siteProtectionUnits`);
    },
  },
  {
    method: 'GET',
    path: `${ROOT}/siteProtectionUnits/{id}`,
    permissions: READ_RESTORE_POINTS,
    queryOptions: ENTITY_OPTIONS,
    handler: (req, { id = '' }, ctx) => getUnit(req, ctx.state, id, `${ROOT}/siteProtectionUnits`),
  },
  {
    method: 'GET',
    path: `${ROOT}/protectionUnits/{id}`,
    permissions: READ_RESTORE_POINTS,
    queryOptions: ENTITY_OPTIONS,
    handler: (req, { id = '' }, ctx) => getUnit(req, ctx.state, id, `${ROOT}/protectionUnits`),
  },
];

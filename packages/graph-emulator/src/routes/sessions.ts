import { randomUUID } from 'node:crypto';
import type { Route, RouteHandler } from '../http/router.js';
import type { GraphRequest } from '../http/types.js';
import type { EmulatorContext } from '../context.js';
import type { ConflictBehavior, RestoreSession, SessionKind } from '../model/types.js';
import type { SessionView } from '../model/lifecycle.js';
import { READ_RESTORE, WRITE_RESTORE } from '../authority/caller.js';
import { GraphError, badRequest } from '../http/errors.js';
import { truncate } from '../http/router.js';
import { collectionPage, filterPredicate, parseSelect, project, type FilterFieldSpec } from '../http/odata.js';
import { SESSION_PROPERTIES, SESSION_SETS, renderSession, sessionView } from '../model/render.js';
import {
  MAX_ARTIFACTS_PER_REQUEST,
  addArtifact,
  differentDestination,
  duplicateArtifact,
  parseArtifactInput,
  removeArtifact,
  sessionDestinationType,
  sessionUnitIds,
  type ArtifactInput,
} from './artifacts.js';
import {
  addGranularArtifact,
  createLimitBreached,
  hasGranularArtifacts,
  isGranularDelta,
  parseGranularCreate,
  patchGranular,
  type GranularInput,
} from './granular.js';
import { resolveBulkRequests } from './bulk.js';
import { FAMILIES, FAMILY_LIST, type Family } from './families.js';
import {
  ROOT,
  asObject,
  callerIdentity,
  contentIdOf,
  deltaArray,
  invalidPatch,
  isDraft,
  itemFailure,
  notSupported,
  requireDraft,
  requireSession,
  restorePointReference,
  type DeltaOp,
} from './session-common.js';

/**
 * Restore sessions: the polymorphic `restoreSessions` (list, get, delete, activate) and each family's set
 * (SharePoint, Exchange, OneDrive: list, create, get, PATCH with `…RestoreArtifacts@delta`, delete).
 */

const SESSION_FILTER_FIELDS: Record<string, FilterFieldSpec> = {
  status: { kind: 'enum', enumName: 'restoreSessionStatus' },
  restoreJobType: { kind: 'enum', enumName: 'restoreJobType' },
};
const LIST_OPTIONS = ['$top', '$skiptoken', '$count', '$filter', '$select'] as const;
const ENTITY_OPTIONS = ['$select'] as const;

const withSelect = (name: string, select: string[] | undefined): string => (select ? `${name}(${select.join(',')})` : name);

function listSessions(kind: SessionKind | undefined): RouteHandler {
  const set = kind ? SESSION_SETS[kind] : 'restoreSessions';
  return (req, _params, ctx) => {
    const select = parseSelect(req.query, SESSION_PROPERTIES);
    const predicate = filterPredicate(req, SESSION_FILTER_FIELDS);
    const now = ctx.clock.now();
    const state = ctx.state;
    let sessions: RestoreSession[] = [];
    for (const s of state.sessions.values()) if (kind === undefined || s.kind === kind) sessions.push(s);
    let views: Map<RestoreSession, SessionView> | undefined;
    if (predicate) {
      const seen = new Map<RestoreSession, SessionView>();
      sessions = sessions.filter((s) => {
        const view = sessionView(state, s, now);
        seen.set(s, view);
        return predicate({ status: view.status, restoreJobType: s.restoreJobType });
      });
      views = seen;
    }
    const body = collectionPage(req, sessions, {
      context: withSelect(`${ROOT}/${set}`, select),
      count: true,
      render: (s) => project(renderSession(s, views?.get(s) ?? sessionView(state, s, now), req), select),
    });
    return { status: 200, body };
  };
}

function getSession(kind: SessionKind | undefined): RouteHandler {
  const set = kind ? SESSION_SETS[kind] : 'restoreSessions';
  return (req, params, ctx) => {
    const session = requireSession(ctx, params.id ?? '', kind);
    const select = parseSelect(req.query, SESSION_PROPERTIES);
    const now = ctx.clock.now();
    return { status: 200, body: sessionEntity(req, ctx, session, now, set, select) };
  };
}

function sessionEntity(
  req: GraphRequest,
  ctx: EmulatorContext,
  session: RestoreSession,
  now: number,
  set: string,
  select?: string[],
): Record<string, unknown> {
  const context = `${req.origin}/${req.version}/$metadata#${withSelect(`${ROOT}/${set}`, select)}/$entity`;
  return { '@odata.context': context, ...project(renderSession(session, sessionView(ctx.state, session, now), req), select) };
}

function deleteSession(kind: SessionKind | undefined): RouteHandler {
  return (_req, params, ctx) => {
    const session = requireSession(ctx, params.id ?? '', kind);
    requireDraft(session, ctx.clock.now(), 'deleted');
    ctx.state.deleteSession(session);
    return { status: 204 };
  };
}

// ---------------------------------------------------------------------------------------------- create

/** Session properties Graph sets itself: a client may echo them back in a body; they are ignored. */
const SESSION_READ_ONLY = new Set(['id', ...SESSION_PROPERTIES]);
const CONFLICT_KEYS = ['@microsoft.graph.conflictBehavior', 'conflictBehavior'];

/** What a create body asks for: standard artifacts (possibly none), or granular ones with their conflict behaviour. */
type CreateBody =
  | { granular: false; inputs: ArtifactInput[] }
  | { granular: true; inputs: GranularInput[]; conflictBehavior: ConflictBehavior | undefined };

/**
 * `POST …RestoreSessions`: `{siteRestoreArtifacts: [...]}` (or the family's collection), or no body / `{}` for an empty
 * standard session, or `{granularSiteRestoreArtifacts: [...]}` (the family's granular collection) for a granular one.
 */
function parseCreateBody(ctx: EmulatorContext, req: GraphRequest, family: Family): CreateBody {
  if (req.body === undefined || req.body === null) return { granular: false, inputs: [] };
  const o = asObject(req.body);
  if (!o) throw badRequest(`The request body must be a JSON ${family.sessionType} object.`, 'InvalidArtifactRequest');
  const standard = family.artifacts;
  for (const key of Object.keys(o)) {
    if (key === standard || key === family.granular || CONFLICT_KEYS.includes(key)) continue;
    if (key.startsWith('@') || SESSION_READ_ONLY.has(key)) continue;
    throw badRequest(`The property '${truncate(key)}' does not exist on type 'microsoft.graph.${family.sessionType}'.`, 'BadRequest');
  }
  const hasStandard = standard in o;
  const hasGranular = family.granular in o;
  if (hasStandard && hasGranular) {
    throw badRequest(`Give either ${standard} or ${family.granular}, not both.`, 'InvalidArtifactRequest');
  }
  const conflictBehavior = conflictBehaviorOf(o, family, hasGranular);
  if (hasGranular) return { granular: true, inputs: parseGranularCreate(ctx, req, family, o[family.granular]), conflictBehavior };
  return { granular: false, inputs: hasStandard ? parseStandardCreate(ctx, req, family, o[standard]) : [] };
}

/** `@microsoft.graph.conflictBehavior` (or the property table's `conflictBehavior`): granular SharePoint sessions only. */
function conflictBehaviorOf(o: Record<string, unknown>, family: Family, granular: boolean): ConflictBehavior | undefined {
  const key = CONFLICT_KEYS.find((k) => k in o);
  if (key === undefined) return undefined;
  if (!granular) throw badRequest('conflictBehavior applies to granular restore sessions only.', 'InvalidArtifactRequest');
  if (family.kind !== 'sharePoint') {
    throw badRequest(
      `conflictBehavior applies to granular SharePoint restore sessions only, not ${family.label}.`,
      'InvalidArtifactRequest',
    );
  }
  const value = o[key];
  const match = CONFLICT_BEHAVIORS.find((b) => typeof value === 'string' && b === value.toLowerCase());
  if (!match) throw badRequest(`${key} must be fail, replace or rename.`);
  return match;
}

const CONFLICT_BEHAVIORS: readonly ConflictBehavior[] = ['fail', 'replace', 'rename'];

function parseStandardCreate(ctx: EmulatorContext, req: GraphRequest, family: Family, list: unknown): ArtifactInput[] {
  const standard = family.artifacts;
  if (list === null || !Array.isArray(list)) {
    throw badRequest(`${standard} must be an array of restore artifacts.`, 'InvalidArtifactRequest');
  }
  if (list.length === 0) throw badRequest(`${standard} is empty: omit it to create an empty session.`, 'InvalidArtifactRequest');
  if (list.length > MAX_ARTIFACTS_PER_REQUEST) throw createLimitBreached(list.length);
  const inputs = list.map((item) => parseArtifactInput(ctx, req, item, family));
  const units = new Set<string>();
  for (const input of inputs) {
    if (input.destinationType !== inputs[0]?.destinationType) throw differentDestination();
    if (units.has(input.unitId)) throw duplicateArtifact(400, family.noun);
    units.add(input.unitId);
  }
  return inputs;
}

function createSession(family: Family): RouteHandler {
  return (req, _params, ctx) => {
    const body = parseCreateBody(ctx, req, family);
    const now = ctx.clock.now();
    const by = callerIdentity(ctx, req);
    const session: RestoreSession = {
      id: randomUUID(),
      kind: family.kind,
      restoreJobType: body.granular ? 'granular' : 'standard',
      createdBy: by,
      createdDateTime: now,
      lastModifiedBy: by,
      lastModifiedDateTime: now,
      activatedAt: null,
      artifactIds: [],
      bulkRequestIds: [],
    };
    ctx.state.addSession(session);
    if (body.granular) {
      if (body.conflictBehavior) session.conflictBehavior = body.conflictBehavior;
      for (const input of body.inputs) addGranularArtifact(ctx, session, input, now);
    } else {
      for (const input of body.inputs) addArtifact(ctx, session, input, now);
    }
    const location = `${req.origin}/${req.version}/${ROOT}/${family.set}/${session.id}`;
    return { status: 201, headers: { location }, body: sessionEntity(req, ctx, session, now, family.set) };
  };
}

// ---------------------------------------------------------------------------------------------- PATCH @delta

/** Reads the delta array: shape errors fail the whole request with 400 InvalidPatchRequest, as Graph's do. */
function parseDelta(ctx: EmulatorContext, body: unknown, family: Family): DeltaOp[] {
  const field = `${family.artifacts}@delta`;
  const o = asObject(body);
  if (!o) throw invalidPatch(`The request body must be a JSON object with ${field}.`);
  for (const key of Object.keys(o)) {
    if (key === field || key.startsWith('@')) continue;
    throw invalidPatch(`The property '${truncate(key)}' can't be updated: a restore session is changed through ${field}.`);
  }
  const delta = deltaArray(o, field, MAX_ARTIFACTS_PER_REQUEST);
  const keys = new Set<string>();
  return delta.map((raw, index) => parseDeltaItem(ctx, raw, index, field, keys, family));
}

/** One item of the delta array; `keys` catches the same removal, site, mailbox or OneDrive twice in one request. */
function parseDeltaItem(ctx: EmulatorContext, raw: unknown, index: number, field: string, keys: Set<string>, family: Family): DeltaOp {
  const item = asObject(raw);
  if (!item) throw invalidPatch(`Item ${index} of ${field} is not an object.`);
  const contentId = contentIdOf(item);
  if ('@removed' in item) {
    if (!asObject(item['@removed'])) throw invalidPatch(`Item ${index}: "@removed" must be an object such as {"reason": "changed"}.`);
    if (typeof item.id !== 'string' || item.id.trim() === '') throw invalidPatch(`Item ${index}: a removal needs the artifact "id".`);
    const key = `remove:${item.id.toLowerCase()}`;
    if (keys.has(key)) throw duplicateArtifact(400, family.noun);
    keys.add(key);
    return { kind: 'remove', index, id: item.id, contentId };
  }
  if (!('restorePoint' in item) && !('destinationType' in item)) {
    throw invalidPatch(`Item ${index} is neither an addition {restorePoint: {id}, destinationType} nor a removal {"@removed": {...}, id}.`);
  }
  if (item.restorePoint !== undefined && item.restorePoint !== null && !asObject(item.restorePoint)) {
    throw invalidPatch(`Item ${index}: restorePoint must be an object {id}.`);
  }
  // The same unit (or the same unknown restore point) twice in one request fails the whole request.
  const ref = restorePointReference(item.restorePoint);
  if (ref) {
    const unitId = ctx.state.restorePoint(ref)?.protectionUnitId;
    const key = unitId ? `unit:${unitId.toLowerCase()}` : `point:${ref.toLowerCase()}`;
    if (keys.has(key)) throw duplicateArtifact(400, family.noun);
    keys.add(key);
  }
  return { kind: 'add', index, value: item, contentId };
}

type DeltaResults = Array<Record<string, unknown>>;

/** Removals, answered in place in `results`; true when one removed something. */
function applyRemovals(ctx: EmulatorContext, session: RestoreSession, ops: DeltaOp[], results: DeltaResults): boolean {
  let changed = false;
  for (const op of ops) {
    if (op.kind !== 'remove') continue;
    const artifact = ctx.state.artifact(op.id);
    if (!artifact || artifact.sessionId.toLowerCase() !== session.id.toLowerCase()) {
      results[op.index] = itemFailure(op, 'Invalid', 'The identifier to be removed from the Restore Session does not exist', 409, {
        id: truncate(op.id, 128),
      });
      continue;
    }
    removeArtifact(ctx, session, artifact);
    changed = true;
    results[op.index] = { id: artifact.id, '@removed': { reason: 'changed' } };
  }
  return changed;
}

/** Additions, each refused on its own inside the 200 (bad input, mixed destinations, a unit already in the session). */
function applyAdditions(
  ctx: EmulatorContext,
  req: GraphRequest,
  session: RestoreSession,
  family: Family,
  ops: DeltaOp[],
  results: DeltaResults,
): boolean {
  const now = ctx.clock.now();
  const units = sessionUnitIds(ctx, session);
  let destination = sessionDestinationType(ctx, session);
  let changed = false;
  for (const op of ops) {
    if (op.kind !== 'add') continue;
    const ref = restorePointReference(op.value.restorePoint);
    const subject: Record<string, unknown> = { restorePoint: { id: ref === undefined ? null : truncate(ref, 128) } };
    if (typeof op.value.destinationType === 'string') subject.destinationType = truncate(op.value.destinationType);
    let input: ArtifactInput;
    try {
      input = parseArtifactInput(ctx, req, op.value, family);
    } catch (err) {
      if (!(err instanceof GraphError)) throw err;
      results[op.index] = itemFailure(op, err.code, err.message, err.status, subject);
      continue;
    }
    const refusal =
      destination !== undefined && destination !== input.destinationType
        ? differentDestination()
        : units.has(input.unitId)
          ? duplicateArtifact(409, family.noun)
          : undefined;
    if (refusal) {
      results[op.index] = itemFailure(op, refusal.code, refusal.message, refusal.status, subject);
      continue;
    }
    const artifact = addArtifact(ctx, session, input, now);
    units.add(input.unitId);
    destination = input.destinationType;
    changed = true;
    results[op.index] = {
      id: artifact.id,
      restorePoint: { id: artifact.restorePointId },
      destinationType: artifact.destinationType,
      status: 'added',
      createdDateTime: new Date(artifact.createdDateTime).toISOString(),
    };
  }
  return changed;
}

function patchSession(family: Family): RouteHandler {
  return (req, params, ctx) => {
    const session = requireSession(ctx, params.id ?? '', family.kind);
    const now = ctx.clock.now();
    requireDraft(session, now, 'patched');
    if (session.restoreJobType === 'bulk') {
      throw invalidPatch("PATCH isn't supported on bulk restore sessions: their artifacts come from the bulk addition request.");
    }
    if (isGranularDelta(req.body, family)) {
      // No page documents granularMailboxRestoreArtifacts@delta.
      if (family.kind === 'exchange') throw notSupported(`Granular ${family.label} restore (${family.granular}@delta)`);
      return { status: 200, body: patchGranular(ctx, req, session, family, now) };
    }
    if (hasGranularArtifacts(ctx, session)) {
      throw invalidPatch(`This is a granular restore session: change its artifacts through ${family.granular}@delta.`);
    }
    const ops = parseDelta(ctx, req.body, family);
    const results: DeltaResults = new Array<Record<string, unknown>>(ops.length);
    // Removals first, so that one request can swap artifacts (even to another destination type) whatever its order.
    const removed = applyRemovals(ctx, session, ops, results);
    const added = applyAdditions(ctx, req, session, family, ops, results);
    if (added) session.restoreJobType = 'standard';
    if (removed || added) {
      session.lastModifiedDateTime = now;
      session.lastModifiedBy = callerIdentity(ctx, req);
    }
    return { status: 200, body: { '@context': '#$delta', id: session.id, [`${family.artifacts}@delta`]: results } };
  };
}

// ---------------------------------------------------------------------------------------------- activate

/** How many sessions are activating or active at `now`, other than `except`. */
function activeSessionCount(ctx: EmulatorContext, now: number, except: RestoreSession): number {
  let n = 0;
  for (const s of ctx.state.sessions.values()) {
    if (s === except || isDraft(s, now)) continue;
    const status = sessionView(ctx.state, s, now).status;
    if (status === 'activating' || status === 'active') n++;
  }
  return n;
}

const activateSession: RouteHandler = (req, params, ctx) => {
  const session = requireSession(ctx, params.id ?? '');
  const now = ctx.clock.now();
  requireDraft(session, now, 'activated');
  if (session.artifactIds.length === 0 && session.bulkRequestIds.length === 0) {
    throw badRequest(
      `The restore session has no artifacts to restore: add ${FAMILIES[session.kind].artifacts} or a bulk addition request first.`,
      'InvalidArtifactRequest',
    );
  }
  const max = ctx.options.maxActiveSessions;
  if (activeSessionCount(ctx, now, session) >= max) {
    throw new GraphError(
      500,
      'TooManyActiveRestoreSessions',
      `At most ${max} restore sessions can be activating or active at the same time. Retry once one of them has finished.`,
    );
  }
  resolveBulkRequests(ctx, session, now);
  ctx.state.planSession(session, now);
  session.lastModifiedDateTime = now;
  session.lastModifiedBy = callerIdentity(ctx, req);
  return { status: 200, body: sessionEntity(req, ctx, session, now, 'restoreSessions') };
};

// ---------------------------------------------------------------------------------------------- routes

/** A family's own session set: list, create, get, PATCH and delete. */
function familySet(family: Family): Route[] {
  const base = `${ROOT}/${family.set}`;
  return [
    { method: 'GET', path: base, permissions: READ_RESTORE, queryOptions: LIST_OPTIONS, handler: listSessions(family.kind) },
    { method: 'POST', path: base, permissions: WRITE_RESTORE, handler: createSession(family) },
    { method: 'GET', path: `${base}/{id}`, permissions: READ_RESTORE, queryOptions: ENTITY_OPTIONS, handler: getSession(family.kind) },
    { method: 'PATCH', path: `${base}/{id}`, permissions: WRITE_RESTORE, handler: patchSession(family) },
    { method: 'DELETE', path: `${base}/{id}`, permissions: WRITE_RESTORE, handler: deleteSession(family.kind) },
  ];
}

export const sessionRoutes: Route[] = [
  {
    method: 'GET',
    path: `${ROOT}/restoreSessions`,
    permissions: READ_RESTORE,
    queryOptions: LIST_OPTIONS,
    handler: listSessions(undefined),
  },
  {
    method: 'GET',
    path: `${ROOT}/restoreSessions/{id}`,
    permissions: READ_RESTORE,
    queryOptions: ENTITY_OPTIONS,
    handler: getSession(undefined),
  },
  { method: 'DELETE', path: `${ROOT}/restoreSessions/{id}`, permissions: WRITE_RESTORE, handler: deleteSession(undefined) },
  { method: 'POST', path: `${ROOT}/restoreSessions/{id}/activate`, permissions: WRITE_RESTORE, handler: activateSession },
  ...FAMILY_LIST.flatMap(familySet),
];

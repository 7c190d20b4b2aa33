import { randomUUID } from 'node:crypto';
import type { Route, RouteHandler } from '../http/router.js';
import type { GraphRequest } from '../http/types.js';
import type { EmulatorContext } from '../context.js';
import type { RestoreSession, SessionKind } from '../model/types.js';
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
import { resolveBulkRequests } from './bulk.js';
import {
  ROOT,
  asObject,
  callerIdentity,
  isDraft,
  notSupported,
  requireDraft,
  requireSession,
  restorePointReference,
} from './session-common.js';

/**
 * Restore sessions: the polymorphic `restoreSessions` (list, get, delete, activate), SharePoint sessions
 * (list, create, get, PATCH with `siteRestoreArtifacts@delta`, delete) and the Exchange / OneDrive sets (list, get;
 * writes answer 501 `notSupported`).
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

/** `POST sharePointRestoreSessions`: `{siteRestoreArtifacts: [...]}`, or no body / `{}` for an empty standard session. */
function parseCreateBody(ctx: EmulatorContext, req: GraphRequest): ArtifactInput[] {
  if (req.body === undefined || req.body === null) return [];
  const o = asObject(req.body);
  if (!o) throw badRequest('The request body must be a JSON sharePointRestoreSession object.', 'InvalidArtifactRequest');
  for (const key of Object.keys(o)) {
    if (key === 'siteRestoreArtifacts' || key === 'granularSiteRestoreArtifacts' || CONFLICT_KEYS.includes(key)) continue;
    if (key.startsWith('@') || SESSION_READ_ONLY.has(key)) continue;
    throw badRequest(`The property '${truncate(key)}' does not exist on type 'microsoft.graph.sharePointRestoreSession'.`, 'BadRequest');
  }
  const hasStandard = 'siteRestoreArtifacts' in o;
  const hasGranular = 'granularSiteRestoreArtifacts' in o;
  if (hasStandard && hasGranular) {
    throw badRequest('Give either siteRestoreArtifacts or granularSiteRestoreArtifacts, not both.', 'InvalidArtifactRequest');
  }
  if (hasGranular) throw notSupported('Granular SharePoint restore (granularSiteRestoreArtifacts)');
  if (CONFLICT_KEYS.some((k) => k in o)) {
    throw badRequest('conflictBehavior applies to granular restore sessions only.', 'InvalidArtifactRequest');
  }
  if (!hasStandard) return [];
  const list = o.siteRestoreArtifacts;
  if (list === null || !Array.isArray(list)) {
    throw badRequest('siteRestoreArtifacts must be an array of restore artifacts.', 'InvalidArtifactRequest');
  }
  if (list.length === 0) throw badRequest('siteRestoreArtifacts is empty: omit it to create an empty session.', 'InvalidArtifactRequest');
  if (list.length > MAX_ARTIFACTS_PER_REQUEST) {
    throw new GraphError(
      413,
      'RestoreArtifactsLimitBreached',
      `A request can add at most ${MAX_ARTIFACTS_PER_REQUEST} restore artifacts; this one has ${list.length}.`,
    );
  }
  const inputs = list.map((item) => parseArtifactInput(ctx, req, item));
  const units = new Set<string>();
  for (const input of inputs) {
    if (input.destinationType !== inputs[0]?.destinationType) throw differentDestination();
    if (units.has(input.unitId)) throw duplicateArtifact();
    units.add(input.unitId);
  }
  return inputs;
}

const createSession: RouteHandler = (req, _params, ctx) => {
  const inputs = parseCreateBody(ctx, req);
  const now = ctx.clock.now();
  const by = callerIdentity(ctx, req);
  const session: RestoreSession = {
    id: randomUUID(),
    kind: 'sharePoint',
    restoreJobType: 'standard',
    createdBy: by,
    createdDateTime: now,
    lastModifiedBy: by,
    lastModifiedDateTime: now,
    activatedAt: null,
    artifactIds: [],
    bulkRequestIds: [],
  };
  ctx.state.addSession(session);
  for (const input of inputs) addArtifact(ctx, session, input, now);
  const location = `${req.origin}/${req.version}/${ROOT}/sharePointRestoreSessions/${session.id}`;
  return { status: 201, headers: { location }, body: sessionEntity(req, ctx, session, now, 'sharePointRestoreSessions') };
};

// ---------------------------------------------------------------------------------------------- PATCH @delta

const invalidPatch = (message: string): GraphError => badRequest(message, 'InvalidPatchRequest');

type DeltaOp =
  | { kind: 'remove'; index: number; id: string; contentId: string }
  | { kind: 'add'; index: number; value: Record<string, unknown>; contentId: string };

function itemFailure(
  op: DeltaOp,
  code: string,
  message: string,
  responseCode: number,
  subject: Record<string, unknown>,
): Record<string, unknown> {
  return {
    '@contentId': op.contentId,
    '@Core.DataModificationException': {
      info: { code, message },
      failedOperation: op.kind,
      responseCode,
    },
    ...subject,
  };
}

/** Reads the delta array: shape errors fail the whole request with 400 InvalidPatchRequest, as Graph's do. */
function parseDelta(ctx: EmulatorContext, body: unknown): DeltaOp[] {
  const o = asObject(body);
  if (!o) throw invalidPatch('The request body must be a JSON object with siteRestoreArtifacts@delta.');
  for (const key of Object.keys(o)) {
    if (key === 'siteRestoreArtifacts@delta' || key.startsWith('@')) continue;
    if (key === 'granularSiteRestoreArtifacts@delta')
      throw notSupported('Granular SharePoint restore (granularSiteRestoreArtifacts@delta)');
    throw invalidPatch(
      `The property '${truncate(key)}' can't be updated: a restore session is changed through siteRestoreArtifacts@delta.`,
    );
  }
  const delta = o['siteRestoreArtifacts@delta'];
  if (delta === undefined) throw invalidPatch('siteRestoreArtifacts@delta is required.');
  if (delta === null)
    throw badRequest('siteRestoreArtifacts@delta is null: it must list artifacts to add or remove.', 'InvalidArtifactRequest');
  if (!Array.isArray(delta)) throw invalidPatch('siteRestoreArtifacts@delta must be an array.');
  if (delta.length === 0)
    throw badRequest('siteRestoreArtifacts@delta is empty: it must list artifacts to add or remove.', 'InvalidArtifactRequest');
  if (delta.length > MAX_ARTIFACTS_PER_REQUEST) {
    throw badRequest(
      `A request can add or remove at most ${MAX_ARTIFACTS_PER_REQUEST} restore artifacts; this one has ${delta.length}.`,
      'RestoreArtifactsLimitBreached',
    );
  }
  const ops: DeltaOp[] = [];
  const keys = new Set<string>();
  delta.forEach((raw, index) => {
    const item = asObject(raw);
    if (!item) throw invalidPatch(`Item ${index} of siteRestoreArtifacts@delta is not an object.`);
    const contentId = typeof item['@contentId'] === 'string' && item['@contentId'].length <= 128 ? item['@contentId'] : randomUUID();
    if ('@removed' in item) {
      if (!asObject(item['@removed'])) throw invalidPatch(`Item ${index}: "@removed" must be an object such as {"reason": "changed"}.`);
      if (typeof item.id !== 'string' || item.id.trim() === '') throw invalidPatch(`Item ${index}: a removal needs the artifact "id".`);
      const key = `remove:${item.id.toLowerCase()}`;
      if (keys.has(key)) throw duplicateArtifact();
      keys.add(key);
      ops.push({ kind: 'remove', index, id: item.id, contentId });
      return;
    }
    if (!('restorePoint' in item) && !('destinationType' in item)) {
      throw invalidPatch(
        `Item ${index} is neither an addition {restorePoint: {id}, destinationType} nor a removal {"@removed": {...}, id}.`,
      );
    }
    if (item.restorePoint !== undefined && item.restorePoint !== null && !asObject(item.restorePoint)) {
      throw invalidPatch(`Item ${index}: restorePoint must be an object {id}.`);
    }
    // The same site (or the same unknown restore point) twice in one request fails the whole request.
    const ref = restorePointReference(item.restorePoint);
    if (ref) {
      const unitId = ctx.state.restorePoint(ref)?.protectionUnitId;
      const key = unitId ? `unit:${unitId.toLowerCase()}` : `point:${ref.toLowerCase()}`;
      if (keys.has(key)) throw duplicateArtifact();
      keys.add(key);
    }
    ops.push({ kind: 'add', index, value: item, contentId });
  });
  return ops;
}

const patchSession: RouteHandler = (req, params, ctx) => {
  const session = requireSession(ctx, params.id ?? '', 'sharePoint');
  const now = ctx.clock.now();
  requireDraft(session, now, 'patched');
  if (session.restoreJobType === 'bulk') {
    throw invalidPatch("PATCH isn't supported on bulk restore sessions: their artifacts come from the bulk addition request.");
  }
  const ops = parseDelta(ctx, req.body);
  const results: Array<Record<string, unknown>> = new Array<Record<string, unknown>>(ops.length);
  let changed = false;
  // Removals first, so that one request can swap artifacts (even to another destination type) whatever its order.
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
  const units = sessionUnitIds(ctx, session);
  let destination = sessionDestinationType(ctx, session);
  for (const op of ops) {
    if (op.kind !== 'add') continue;
    const ref = restorePointReference(op.value.restorePoint);
    const subject: Record<string, unknown> = { restorePoint: { id: ref === undefined ? null : truncate(ref, 128) } };
    if (typeof op.value.destinationType === 'string') subject.destinationType = truncate(op.value.destinationType);
    let input: ArtifactInput;
    try {
      input = parseArtifactInput(ctx, req, op.value);
    } catch (err) {
      if (!(err instanceof GraphError)) throw err;
      results[op.index] = itemFailure(op, err.code, err.message, err.status, subject);
      continue;
    }
    if (destination !== undefined && destination !== input.destinationType) {
      const e = differentDestination();
      results[op.index] = itemFailure(op, e.code, e.message, e.status, subject);
      continue;
    }
    if (units.has(input.unitId)) {
      const e = duplicateArtifact(409);
      results[op.index] = itemFailure(op, e.code, e.message, e.status, subject);
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
  if (changed) {
    session.lastModifiedDateTime = now;
    session.lastModifiedBy = callerIdentity(ctx, req);
  }
  return { status: 200, body: { '@context': '#$delta', id: session.id, 'siteRestoreArtifacts@delta': results } };
};

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
      'The restore session has no artifacts to restore: add siteRestoreArtifacts or a bulk addition request first.',
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

const notSupportedWrite =
  (what: string): RouteHandler =>
  () => {
    throw notSupported(what);
  };

function readOnlySet(kind: SessionKind, label: string): Route[] {
  const base = `${ROOT}/${SESSION_SETS[kind]}`;
  return [
    { method: 'GET', path: base, permissions: READ_RESTORE, queryOptions: LIST_OPTIONS, handler: listSessions(kind) },
    { method: 'POST', path: base, permissions: WRITE_RESTORE, handler: notSupportedWrite(`Creating ${label} restore sessions`) },
    { method: 'GET', path: `${base}/{id}`, permissions: READ_RESTORE, queryOptions: ENTITY_OPTIONS, handler: getSession(kind) },
    {
      method: 'PATCH',
      path: `${base}/{id}`,
      permissions: WRITE_RESTORE,
      handler: (_req, params, ctx) => {
        requireSession(ctx, params.id ?? '', kind);
        throw notSupported(`Updating ${label} restore sessions`);
      },
    },
    { method: 'DELETE', path: `${base}/{id}`, permissions: WRITE_RESTORE, handler: deleteSession(kind) },
  ];
}

const SP = `${ROOT}/sharePointRestoreSessions`;

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
  { method: 'GET', path: SP, permissions: READ_RESTORE, queryOptions: LIST_OPTIONS, handler: listSessions('sharePoint') },
  { method: 'POST', path: SP, permissions: WRITE_RESTORE, handler: createSession },
  { method: 'GET', path: `${SP}/{id}`, permissions: READ_RESTORE, queryOptions: ENTITY_OPTIONS, handler: getSession('sharePoint') },
  { method: 'PATCH', path: `${SP}/{id}`, permissions: WRITE_RESTORE, handler: patchSession },
  { method: 'DELETE', path: `${SP}/{id}`, permissions: WRITE_RESTORE, handler: deleteSession('sharePoint') },
  ...readOnlySet('exchange', 'Exchange'),
  ...readOnlySet('oneDriveForBusiness', 'OneDrive'),
];

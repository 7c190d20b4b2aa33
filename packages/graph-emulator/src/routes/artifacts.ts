import { randomUUID } from 'node:crypto';
import type { Route } from '../http/router.js';
import type { GraphRequest } from '../http/types.js';
import type { EmulatorContext } from '../context.js';
import type { DestinationType, RestoreSession, RestoreArtifact } from '../model/types.js';
import type { EmulatorState } from '../model/state.js';
import { FAMILIES, type Family } from './families.js';
import { READ_RESTORE, WRITE_RESTORE } from '../authority/caller.js';
import { GraphError, badRequest } from '../http/errors.js';
import { truncate } from '../http/router.js';
import { collectionPage, enumInput, filterPredicate, parseSelect, project, queryOption, type FilterFieldSpec } from '../http/odata.js';
import { artifactStatus } from '../model/lifecycle.js';
import {
  ARTIFACT_PROPERTIES,
  MAILBOX_ARTIFACT_PROPERTIES,
  renderArtifact,
  renderMailboxArtifact,
  visibleArtifacts,
} from '../model/render.js';
import { RESTORE_POINT_PROPERTIES, renderRestorePoint } from '../model/render-protection.js';
import { GRANULAR_MAILBOX_ARTIFACT_PROPERTIES, renderGranularMailArtifact } from '../model/render-granular.js';
import {
  MIXED_ARTIFACT_SOURCES,
  ROOT,
  asObject,
  callerIdentity,
  notSupportedCollection,
  requireDraft,
  requireSession,
  restorePointReference,
} from './session-common.js';

/**
 * Standard restore artifacts of each family (site, mailbox, drive): list (paged, `$filter` on status and
 * destinationType, `$select`, `$count`), get one, and the artifact's restore point. SharePoint also adds one and
 * removes one (draft only), as its SDK offers; Exchange and OneDrive change their artifacts only through the session's
 * PATCH, and their single-artifact writes answer 501 `notSupported`. Exchange's granular artifacts are read here too
 * (a granularMailboxRestoreArtifact is a mailboxRestoreArtifact); each list shows only its own kind.
 */

/** At most this many artifacts in one create or PATCH request (Graph states 50 for PATCH only; we apply it to create too). */
export const MAX_ARTIFACTS_PER_REQUEST = 50;

const ARTIFACT_FILTER_FIELDS: Record<string, FilterFieldSpec> = {
  status: { kind: 'enum', enumName: 'artifactRestoreStatus' },
  destinationType: { kind: 'enum', enumName: 'destinationType' },
};

// ---------------------------------------------------------------------------------------------- input

/** A validated `{restorePoint: {id}, destinationType}`. */
export interface ArtifactInput {
  restorePointId: string;
  destinationType: DestinationType;
  /** The protected site the restore point belongs to: one artifact per site and session. */
  unitId: string;
}

/**
 * Validates one artifact of a create, POST or PATCH body. Throws Graph's documented codes: 400
 * InvalidArtifactRequest (not an object), InvalidPathType (destinationType missing or unknown), InvalidRestorePoint
 * (missing or unknown point).
 */
export function parseArtifactInput(
  ctx: EmulatorContext,
  req: GraphRequest,
  value: unknown,
  family: Family = FAMILIES.sharePoint,
): ArtifactInput {
  const o = asObject(value);
  if (!o) throw badRequest('Each restore artifact must be a JSON object {restorePoint: {id}, destinationType}.', 'InvalidArtifactRequest');
  if (o.destinationType === undefined || o.destinationType === null) {
    throw badRequest('destinationType is required: "new" or "inPlace".', 'InvalidPathType');
  }
  const destinationType = enumInput('destinationType', o.destinationType, req, 'destinationType', 'InvalidPathType') as DestinationType;
  const ref = restorePointReference(o.restorePoint);
  if (!ref) throw badRequest('restorePoint.id is required.', 'InvalidRestorePoint');
  const point = ctx.state.restorePoint(ref);
  if (!point) throw badRequest(`The restore point '${truncate(ref)}' is not valid or doesn't exist.`, 'InvalidRestorePoint');
  // A session restores one workload: a mailbox's restore point can't go into a SharePoint session.
  const unit = ctx.state.unit(point.protectionUnitId);
  if (unit && unit.kind !== family.unit) {
    throw badRequest(`The restore point '${truncate(ref)}' is not a restore point of a ${family.noun}.`, 'InvalidRestorePoint');
  }
  return { restorePointId: point.id, destinationType, unitId: point.protectionUnitId.toLowerCase() };
}

/** The protected sites (lower-cased unit ids) a session already has artifacts for. */
export function sessionUnitIds(ctx: EmulatorContext, session: RestoreSession): Set<string> {
  const out = new Set<string>();
  for (const a of ctx.state.sessionArtifacts(session)) {
    const unitId = ctx.state.restorePoint(a.restorePointId)?.protectionUnitId;
    if (unitId) out.add(unitId.toLowerCase());
  }
  return out;
}

/** The destination type the session's artifacts already use (a session can't mix them), or undefined. */
export function sessionDestinationType(ctx: EmulatorContext, session: RestoreSession): DestinationType | undefined {
  for (const id of session.artifactIds) {
    const a = ctx.state.artifact(id);
    if (a) return a.destinationType;
  }
  return undefined;
}

export function differentDestination(): GraphError {
  return badRequest(
    "A restore session can't mix restores to a new location with restores to the same URL.",
    'DifferentRestoreDestinationType',
  );
}

export function duplicateArtifact(status = 400, noun = FAMILIES.sharePoint.noun): GraphError {
  return new GraphError(status, 'DuplicateArtifactInList', `The same ${noun} can be restored only once in a restore session.`);
}

/** Adds a validated artifact to a draft session. */
export function addArtifact(ctx: EmulatorContext, session: RestoreSession, input: ArtifactInput, now: number): RestoreArtifact {
  const artifact: RestoreArtifact = {
    id: randomUUID(),
    sessionId: session.id,
    restorePointId: input.restorePointId,
    destinationType: input.destinationType,
    createdDateTime: now,
    plan: null,
  };
  ctx.state.addArtifact(artifact);
  session.artifactIds.push(artifact.id);
  return artifact;
}

/** Removes an artifact from its (draft) session. */
export function removeArtifact(ctx: EmulatorContext, session: RestoreSession, artifact: RestoreArtifact): void {
  const key = artifact.id.toLowerCase();
  ctx.state.artifacts.delete(key);
  session.artifactIds = session.artifactIds.filter((id) => id.toLowerCase() !== key);
}

/** The standard (or, with `granular`, granular) artifact `artifactId` of `session`, visible at `now`, or 404. */
function requireArtifact(
  ctx: EmulatorContext,
  session: RestoreSession,
  artifactId: string,
  now: number,
  granular = false,
): RestoreArtifact {
  const a = ctx.state.artifact(artifactId);
  if (!a || a.sessionId.toLowerCase() !== session.id.toLowerCase() || a.createdDateTime > now || (a.granular !== undefined) !== granular) {
    throw new GraphError(
      404,
      'ArtifactNotFound',
      `The restore artifact '${truncate(artifactId)}' was not found in restore session '${session.id}'.`,
    );
  }
  return a;
}

function artifactsContext(req: GraphRequest, session: RestoreSession, family: Family, nav = family.artifacts): string {
  return `${req.origin}/${req.version}/$metadata#${ROOT}/${family.set}('${session.id}')/${nav}`;
}

function markModified(ctx: EmulatorContext, req: GraphRequest, session: RestoreSession, now: number): void {
  session.lastModifiedDateTime = now;
  session.lastModifiedBy = callerIdentity(ctx, req);
}

/**
 * Which artifacts of a family a read serves (standard ones, or Exchange's granular ones), under which navigation, how
 * Graph renders them, and the properties a `$select` on them may name.
 */
interface ArtifactView {
  nav: string;
  granular: boolean;
  properties: readonly string[];
  render: (state: EmulatorState, a: RestoreArtifact, now: number, req: GraphRequest) => Record<string, unknown>;
}

function artifactView(family: Family, granular = false): ArtifactView {
  if (granular) {
    return { nav: family.granular, granular, properties: GRANULAR_MAILBOX_ARTIFACT_PROPERTIES, render: renderGranularMailArtifact };
  }
  return family.unit === 'mailbox'
    ? { nav: family.artifacts, granular, properties: MAILBOX_ARTIFACT_PROPERTIES, render: renderMailboxArtifact }
    : { nav: family.artifacts, granular, properties: ARTIFACT_PROPERTIES, render: renderArtifact };
}

// ---------------------------------------------------------------------------------------------- routes

function listArtifacts(family: Family, view = artifactView(family)): Route {
  return {
    method: 'GET',
    path: `${ROOT}/${family.set}/{id}/${view.nav}`,
    permissions: READ_RESTORE,
    queryOptions: ['$top', '$skiptoken', '$count', '$filter', '$select'],
    handler: (req, params, ctx) => {
      const session = requireSession(ctx, params.id ?? '', family.kind);
      const select = parseSelect(req.query, view.properties);
      const predicate = filterPredicate(req, ARTIFACT_FILTER_FIELDS);
      const now = ctx.clock.now();
      const state = ctx.state;
      let items = visibleArtifacts(state, session, now).filter((a) => (a.granular !== undefined) === view.granular);
      if (predicate) items = items.filter((a) => predicate({ status: artifactStatus(a, now), destinationType: a.destinationType }));
      const context = `${ROOT}/${family.set}('${session.id}')/${view.nav}${select ? `(${select.join(',')})` : ''}`;
      const body = collectionPage(req, items, {
        context,
        count: true,
        render: (a) => project(view.render(state, a, now, req), select),
      });
      return { status: 200, body };
    },
  };
}

function getArtifact(family: Family, view = artifactView(family)): Route {
  return {
    method: 'GET',
    path: `${ROOT}/${family.set}/{id}/${view.nav}/{artifactId}`,
    permissions: READ_RESTORE,
    queryOptions: ['$select'],
    handler: (req, params, ctx) => {
      const session = requireSession(ctx, params.id ?? '', family.kind);
      const select = parseSelect(req.query, view.properties);
      const now = ctx.clock.now();
      const artifact = requireArtifact(ctx, session, params.artifactId ?? '', now, view.granular);
      const context = `${artifactsContext(req, session, family, view.nav)}${select ? `(${select.join(',')})` : ''}/$entity`;
      return { status: 200, body: { '@odata.context': context, ...project(view.render(ctx.state, artifact, now, req), select) } };
    },
  };
}

function artifactRestorePoint(family: Family, view = artifactView(family)): Route {
  return {
    method: 'GET',
    path: `${ROOT}/${family.set}/{id}/${view.nav}/{artifactId}/restorePoint`,
    permissions: READ_RESTORE,
    queryOptions: ['$select', '$expand'],
    handler: (req, params, ctx) => {
      const session = requireSession(ctx, params.id ?? '', family.kind);
      const select = parseSelect(req.query, RESTORE_POINT_PROPERTIES);
      const expandRaw = queryOption(req.query, '$expand');
      let expand = false;
      if (expandRaw !== undefined) {
        if (expandRaw.trim().toLowerCase() !== 'protectionunit') {
          throw badRequest(
            `Could not find a navigation property named '${truncate(expandRaw)}' for $expand: only protectionUnit can be expanded.`,
          );
        }
        expand = true;
      }
      const now = ctx.clock.now();
      const artifact = requireArtifact(ctx, session, params.artifactId ?? '', now, view.granular);
      const point = ctx.state.restorePoint(artifact.restorePointId);
      if (!point) throw new GraphError(404, 'RestorePointNotFound', `The restore point '${artifact.restorePointId}' no longer exists.`);
      const entity = renderRestorePoint(point, req, expand ? { unit: ctx.state.unit(point.protectionUnitId) } : undefined);
      // `$select` without protectionUnit still shows an expanded unit, as OData does for $expand.
      const selected = select && expand && !select.includes('protectionUnit') ? [...select, 'protectionUnit'] : select;
      return {
        status: 200,
        body: { '@odata.context': `${req.origin}/${req.version}/$metadata#${ROOT}/restorePoints/$entity`, ...project(entity, selected) },
      };
    },
  };
}

/** `POST siteRestoreArtifacts` and `DELETE siteRestoreArtifacts/{id}`: one artifact at a time, in a draft session. */
function siteArtifactWrites(): Route[] {
  const family = FAMILIES.sharePoint;
  const artifacts = `${ROOT}/${family.set}/{id}/${family.artifacts}`;
  return [
    {
      method: 'POST',
      path: artifacts,
      permissions: WRITE_RESTORE,
      handler: (req, params, ctx) => {
        const session = requireSession(ctx, params.id ?? '', family.kind);
        const now = ctx.clock.now();
        requireDraft(session, now, 'modified');
        if (session.restoreJobType === 'bulk') throw badRequest(MIXED_ARTIFACT_SOURCES, 'InvalidArtifactRequest');
        if (ctx.state.sessionArtifacts(session).some((a) => a.granular !== undefined)) {
          throw badRequest(`This is a granular restore session: add items through ${family.granular}@delta.`, 'InvalidArtifactRequest');
        }
        const input = parseArtifactInput(ctx, req, req.body, family);
        const existing = sessionDestinationType(ctx, session);
        if (existing !== undefined && existing !== input.destinationType) throw differentDestination();
        if (sessionUnitIds(ctx, session).has(input.unitId)) throw duplicateArtifact();
        const artifact = addArtifact(ctx, session, input, now);
        session.restoreJobType = 'standard';
        markModified(ctx, req, session, now);
        const location = `${req.origin}/${req.version}/${ROOT}/${family.set}/${session.id}/${family.artifacts}/${artifact.id}`;
        return {
          status: 201,
          headers: { location },
          body: { '@odata.context': `${artifactsContext(req, session, family)}/$entity`, ...renderArtifact(ctx.state, artifact, now, req) },
        };
      },
    },
    {
      method: 'DELETE',
      path: `${artifacts}/{artifactId}`,
      permissions: WRITE_RESTORE,
      handler: (req, params, ctx) => {
        const session = requireSession(ctx, params.id ?? '', family.kind);
        const now = ctx.clock.now();
        const artifact = requireArtifact(ctx, session, params.artifactId ?? '', now);
        requireDraft(session, now, 'modified');
        removeArtifact(ctx, session, artifact);
        markModified(ctx, req, session, now);
        return { status: 204 };
      },
    },
  ];
}

/** Exchange and OneDrive: the list, one artifact and its restore point are read; single-artifact writes are 501. */
function familyArtifactRoutes(family: Family): Route[] {
  const reads = [listArtifacts(family), getArtifact(family), artifactRestorePoint(family)];
  const unserved = notSupportedCollection(
    family.set,
    family.kind,
    family.artifacts,
    `Changing one ${family.label} restore artifact`,
  ).filter((r) => r.method !== 'GET');
  return [...reads, ...unserved];
}

export const artifactRoutes: Route[] = [
  listArtifacts(FAMILIES.sharePoint),
  ...siteArtifactWrites(),
  getArtifact(FAMILIES.sharePoint),
  artifactRestorePoint(FAMILIES.sharePoint),
  ...familyArtifactRoutes(FAMILIES.exchange),
  ...familyArtifactRoutes(FAMILIES.oneDriveForBusiness),
  // Exchange's granular artifacts read like its standard ones (granularMailboxRestoreArtifact derives from them).
  listArtifacts(FAMILIES.exchange, artifactView(FAMILIES.exchange, true)),
  getArtifact(FAMILIES.exchange, artifactView(FAMILIES.exchange, true)),
  artifactRestorePoint(FAMILIES.exchange, artifactView(FAMILIES.exchange, true)),
];

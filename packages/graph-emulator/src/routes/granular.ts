import { randomUUID } from 'node:crypto';
import type { Route } from '../http/router.js';
import type { GraphRequest } from '../http/types.js';
import type { EmulatorContext } from '../context.js';
import type { DestinationType, GranularItemRef, GranularMailRef, RestoreArtifact, RestoreSession } from '../model/types.js';
import { WRITE_RESTORE } from '../authority/caller.js';
import { GraphError, badRequest } from '../http/errors.js';
import { truncate } from '../http/router.js';
import { collectionPage, enumInput } from '../http/odata.js';
import { browseTreeOf, libraryOf } from '../model/browse-tree.js';
import { mailHitCount, mailboxItems } from '../model/mail-items.js';
import { renderGranularItemArtifact } from '../model/render-granular.js';
import { visibleArtifacts } from '../model/render.js';
import {
  MAX_ARTIFACTS_PER_REQUEST,
  differentDestination,
  parseArtifactInput,
  removeArtifact,
  sessionDestinationType,
} from './artifacts.js';
import { browsedUnit } from './browse-sessions.js';
import { FAMILIES, type Family } from './families.js';
import {
  ROOT,
  asObject,
  callerIdentity,
  contentIdOf,
  deltaArray,
  invalidPatch,
  itemFailure,
  notSupportedCollection,
  requireBackupAdministrator,
  requireSession,
  type DeltaOp,
} from './session-common.js';

/**
 * Granular restore artifacts: SharePoint and OneDrive items chosen in a browse session (`granularSiteRestoreArtifacts`,
 * `granularDriveRestoreArtifacts`: create, PATCH `@delta`, list), and Exchange mail items found by a
 * `restorePoints/search` (`granularMailboxRestoreArtifacts`: create; its list is read in artifacts.ts). A session holds
 * either standard or granular artifacts; its `restoreJobType` says which.
 */

/** A validated granular artifact of a create or PATCH body. */
export interface GranularInput {
  ref: GranularItemRef | GranularMailRef;
  restorePointId: string;
  destinationType: DestinationType;
  /** What makes two of them the same artifact: the item key, or the search and restore point. */
  identity: string;
}

const invalidArtifact = (message: string): GraphError => badRequest(message, 'InvalidArtifactRequest');

/** 413 RestoreArtifactsLimitBreached on create: the create page gives the code but no number (PATCH says 50). */
export function createLimitBreached(count: number): GraphError {
  return new GraphError(
    413,
    'RestoreArtifactsLimitBreached',
    `A request can add at most ${MAX_ARTIFACTS_PER_REQUEST} restore artifacts; this one has ${count}.`,
  );
}

/**
 * `{browseSessionId, id}` (create) or `{browseSessionId, itemKey}` (PATCH): an item of a live browse session of the
 * family, never the site itself. SharePoint takes `destinationType` on beta (default `inPlace`); where the property
 * does not exist (OneDrive, v1.0) it is refused rather than ignored, as it would change where the item goes. Other
 * unknown properties are ignored, as for standard artifacts.
 */
function parseItemInput(ctx: EmulatorContext, req: GraphRequest, value: unknown, family: Family): GranularInput {
  const type = family.kind === 'sharePoint' ? 'granularSiteRestoreArtifact' : 'granularDriveRestoreArtifact';
  const o = asObject(value);
  if (!o) throw invalidArtifact(`Each granular restore artifact must be a JSON object {browseSessionId, id}.`);
  if (typeof o.browseSessionId !== 'string' || o.browseSessionId.trim() === '') throw invalidArtifact('browseSessionId is required.');
  const browse = ctx.state.browseSession(o.browseSessionId, ctx.clock.now());
  if (!browse) throw invalidArtifact(`The browse session '${truncate(o.browseSessionId)}' doesn't exist or has expired.`);
  if (browse.kind !== family.kind) throw invalidArtifact(`The browse session '${browse.id}' is not a ${family.label} browse session.`);
  const rawKey = o.itemKey ?? o.id;
  if (typeof rawKey !== 'string' || rawKey.trim() === '') throw invalidArtifact('The item key (id) of the artifact is required.');
  const unit = browsedUnit(ctx, browse);
  const tree = browseTreeOf(unit);
  const node = tree.byKey.get(rawKey.trim().toLowerCase());
  if (!node) throw invalidArtifact(`The item '${truncate(rawKey)}' is not an item of browse session '${browse.id}'.`);
  if (node.type === 'site' || !node.parent) {
    throw invalidArtifact(`'${truncate(rawKey)}' is the ${family.noun} itself: restore it with ${family.artifacts}.`);
  }
  let destinationType: DestinationType = 'inPlace';
  if (o.destinationType !== undefined && o.destinationType !== null) {
    if (family.kind !== 'sharePoint' || req.version !== 'beta') {
      throw badRequest(`The property 'destinationType' does not exist on type 'microsoft.graph.${type}' in ${req.version}.`);
    }
    destinationType = enumInput('destinationType', o.destinationType, req, 'destinationType', 'InvalidPathType') as DestinationType;
  }
  const ref: GranularItemRef = {
    kind: 'item',
    browseSessionId: browse.id,
    itemKey: node.key,
    name: node.name,
    type: node.type,
    webUrl: node.webUrl,
    parentPath: node.parent.path,
    libraryPath: node.type === 'documentLibrary' ? node.parent.path : libraryOf(node).path,
    origin: tree.origin,
    restorePointDateTime: browse.restorePointDateTime,
    ownerId: unit.kind === 'site' ? unit.siteId : unit.directoryObjectId,
  };
  return { ref, restorePointId: browse.restorePointId, destinationType, identity: node.key };
}

/**
 * `{restorePoint: {id}, destinationType, searchResponseId}`: a search the emulator answered for that mailbox, and a
 * restore point of that mailbox (the items it restores are the search's hits in that point).
 */
function parseMailInput(ctx: EmulatorContext, req: GraphRequest, value: unknown): GranularInput {
  const o = asObject(value);
  if (!o)
    throw invalidArtifact(
      'Each granular mailbox restore artifact must be a JSON object {restorePoint: {id}, destinationType, searchResponseId}.',
    );
  const input = parseArtifactInput(ctx, req, o, FAMILIES.exchange);
  const searchId = o.searchResponseId;
  if (typeof searchId !== 'string' || searchId.trim() === '') throw invalidArtifact('searchResponseId is required.');
  const search = ctx.state.mailSearches.get(searchId.trim());
  if (!search)
    throw invalidArtifact(
      `The searchResponseId '${truncate(searchId)}' is not one of a mailbox search (restorePoints/search with an artifactQuery).`,
    );
  if (search.mailboxUnitId.toLowerCase() !== input.unitId) {
    throw invalidArtifact(`The search '${search.id}' was made on another mailbox than restore point '${input.restorePointId}'.`);
  }
  const unit = ctx.state.unit(input.unitId);
  const point = ctx.state.restorePoint(input.restorePointId);
  const hitCount =
    unit?.kind === 'mailbox' && point ? mailHitCount(search.query, mailboxItems(ctx.state, unit), point.protectionDateTime) : 0;
  return {
    ref: { kind: 'mail', searchResponseId: search.id, hitCount },
    restorePointId: input.restorePointId,
    destinationType: input.destinationType,
    identity: `${search.id}\n${input.restorePointId.toLowerCase()}`,
  };
}

function parseGranularInput(ctx: EmulatorContext, req: GraphRequest, value: unknown, family: Family): GranularInput {
  return family.unit === 'mailbox' ? parseMailInput(ctx, req, value) : parseItemInput(ctx, req, value, family);
}

/** The granular collection of a create body: one destination type, each artifact once, at most 50. */
export function parseGranularCreate(ctx: EmulatorContext, req: GraphRequest, family: Family, list: unknown): GranularInput[] {
  if (list === null || !Array.isArray(list)) throw invalidArtifact(`${family.granular} must be an array of granular restore artifacts.`);
  if (list.length === 0) throw invalidArtifact(`${family.granular} is empty: omit it to create an empty session.`);
  if (list.length > MAX_ARTIFACTS_PER_REQUEST) throw createLimitBreached(list.length);
  const inputs = list.map((item) => parseGranularInput(ctx, req, item, family));
  const seen = new Set<string>();
  for (const input of inputs) {
    if (input.destinationType !== inputs[0]?.destinationType) throw differentDestination();
    if (seen.has(input.identity)) throw duplicateGranular(400);
    seen.add(input.identity);
  }
  return inputs;
}

function duplicateGranular(status: number): GraphError {
  return new GraphError(status, 'DuplicateArtifactInList', 'The same item can be restored only once in a restore session.');
}

export function addGranularArtifact(ctx: EmulatorContext, session: RestoreSession, input: GranularInput, now: number): RestoreArtifact {
  const artifact: RestoreArtifact = {
    id: randomUUID(),
    sessionId: session.id,
    restorePointId: input.restorePointId,
    destinationType: input.destinationType,
    createdDateTime: now,
    plan: null,
    granular: input.ref,
  };
  ctx.state.addArtifact(artifact);
  session.artifactIds.push(artifact.id);
  return artifact;
}

export function hasGranularArtifacts(ctx: EmulatorContext, session: RestoreSession): boolean {
  return ctx.state.sessionArtifacts(session).some((a) => a.granular !== undefined);
}

/** The granular artifacts of a session visible at `now`, in the order they were added. */
export function granularArtifacts(ctx: EmulatorContext, session: RestoreSession, now: number): RestoreArtifact[] {
  return visibleArtifacts(ctx.state, session, now).filter((a) => a.granular !== undefined);
}

function identityOf(a: RestoreArtifact): string {
  const g = a.granular;
  if (!g) return a.id.toLowerCase();
  return g.kind === 'item' ? g.itemKey : `${g.searchResponseId}\n${a.restorePointId.toLowerCase()}`;
}

// ---------------------------------------------------------------------------------------------- PATCH @delta

export function isGranularDelta(body: unknown, family: Family): boolean {
  const o = asObject(body);
  return o !== undefined && `${family.granular}@delta` in o;
}

/** The granular delta of a PATCH body; a request can't also carry the standard one. */
function parseGranularDelta(body: unknown, family: Family): DeltaOp[] {
  const field = `${family.granular}@delta`;
  const o = asObject(body) ?? {};
  for (const key of Object.keys(o)) {
    if (key === field || key.startsWith('@')) continue;
    if (key === `${family.artifacts}@delta`) throw invalidPatch(`A request can't change both ${family.artifacts} and ${family.granular}.`);
    throw invalidPatch(`The property '${truncate(key)}' can't be updated: a restore session is changed through ${field}.`);
  }
  const keys = new Set<string>();
  return deltaArray(o, field, MAX_ARTIFACTS_PER_REQUEST).map((raw, index): DeltaOp => {
    const item = asObject(raw);
    if (!item) throw invalidPatch(`Item ${index} of ${field} is not an object.`);
    const contentId = contentIdOf(item);
    const removal = '@removed' in item;
    if (removal && !asObject(item['@removed']))
      throw invalidPatch(`Item ${index}: "@removed" must be an object such as {"reason": "changed"}.`);
    const key = removal ? item.id : (item.itemKey ?? item.id);
    if (typeof key !== 'string' || key.trim() === '') {
      throw invalidPatch(`Item ${index} is neither an addition {browseSessionId, itemKey} nor a removal {"@removed": {...}, id}.`);
    }
    const dedupe = `${removal ? 'remove' : 'add'}:${key.trim().toLowerCase()}`;
    if (keys.has(dedupe)) throw duplicateGranular(400);
    keys.add(dedupe);
    return removal ? { kind: 'remove', index, id: key.trim(), contentId } : { kind: 'add', index, value: item, contentId };
  });
}

/**
 * PATCH with `granularSiteRestoreArtifacts@delta` / `granularDriveRestoreArtifacts@delta`: removals by item key, then
 * additions `{browseSessionId, itemKey}`, each refused on its own inside the 200. A session with standard artifacts or
 * a bulk request takes none; an empty standard session becomes granular.
 */
export function patchGranular(
  ctx: EmulatorContext,
  req: GraphRequest,
  session: RestoreSession,
  family: Family,
  now: number,
): Record<string, unknown> {
  const ops = parseGranularDelta(req.body, family);
  const artifacts = ctx.state.sessionArtifacts(session);
  if (artifacts.some((a) => a.granular === undefined) || session.bulkRequestIds.length > 0) {
    throw invalidPatch(`This is a standard restore session: change its artifacts through ${family.artifacts}@delta.`);
  }
  const results: Array<Record<string, unknown>> = new Array<Record<string, unknown>>(ops.length);
  let changed = false;
  for (const op of ops) {
    if (op.kind !== 'remove') continue;
    const artifact = ctx.state
      .sessionArtifacts(session)
      .find((a) => a.granular?.kind === 'item' && a.granular.itemKey === op.id.toLowerCase());
    if (!artifact) {
      results[op.index] = itemFailure(op, 'Invalid', 'The identifier to be removed from the Restore Session does not exist', 409, {
        id: truncate(op.id, 256),
      });
      continue;
    }
    removeArtifact(ctx, session, artifact);
    changed = true;
    results[op.index] = { id: identityOf(artifact), '@removed': { reason: 'changed' } };
  }
  changed = applyGranularAdditions(ctx, req, session, family, ops, results, now) || changed;
  if (changed) {
    session.lastModifiedDateTime = now;
    session.lastModifiedBy = callerIdentity(ctx, req);
  }
  return { '@context': '#$delta', id: session.id, [`${family.granular}@delta`]: results };
}

function applyGranularAdditions(
  ctx: EmulatorContext,
  req: GraphRequest,
  session: RestoreSession,
  family: Family,
  ops: DeltaOp[],
  results: Array<Record<string, unknown>>,
  now: number,
): boolean {
  const present = new Set(ctx.state.sessionArtifacts(session).map(identityOf));
  let destination = sessionDestinationType(ctx, session);
  let changed = false;
  for (const op of ops) {
    if (op.kind !== 'add') continue;
    const subject = { browseSessionId: op.value.browseSessionId ?? null, itemKey: op.value.itemKey ?? op.value.id ?? null };
    let input: GranularInput;
    try {
      input = parseItemInput(ctx, req, op.value, family);
    } catch (err) {
      if (!(err instanceof GraphError)) throw err;
      results[op.index] = itemFailure(op, err.code, err.message, err.status, subject);
      continue;
    }
    const refusal =
      destination !== undefined && destination !== input.destinationType
        ? differentDestination()
        : present.has(input.identity)
          ? duplicateGranular(409)
          : undefined;
    if (refusal) {
      results[op.index] = itemFailure(op, refusal.code, refusal.message, refusal.status, subject);
      continue;
    }
    const artifact = addGranularArtifact(ctx, session, input, now);
    session.restoreJobType = 'granular';
    present.add(input.identity);
    destination = input.destinationType;
    changed = true;
    results[op.index] = renderGranularItemArtifact(artifact, family.kind, now, req);
  }
  return changed;
}

// ---------------------------------------------------------------------------------------------- routes

/** `GET …/granularSiteRestoreArtifacts` and `…/granularDriveRestoreArtifacts`: paged, no query options. */
function listGranularItems(family: Family): Route {
  return {
    method: 'GET',
    path: `${ROOT}/${family.set}/{id}/${family.granular}`,
    permissions: WRITE_RESTORE,
    queryOptions: ['$skiptoken'],
    handler: (req, params, ctx) => {
      requireBackupAdministrator(req);
      const session = requireSession(ctx, params.id ?? '', family.kind);
      const now = ctx.clock.now();
      const body = collectionPage(req, granularArtifacts(ctx, session, now), {
        context: `${ROOT}/${family.set}('${session.id}')/${family.granular}`,
        render: (a) => renderGranularItemArtifact(a, family.kind, now, req),
      });
      return { status: 200, body };
    },
  };
}

/**
 * SharePoint and OneDrive: the list; single granular artifacts (which Microsoft's SDK offers) answer 501. Exchange's
 * reads are served with the standard artifact reads (artifacts.ts); its single-artifact writes answer 501.
 */
export const granularRoutes: Route[] = [
  listGranularItems(FAMILIES.sharePoint),
  listGranularItems(FAMILIES.oneDriveForBusiness),
  ...[FAMILIES.sharePoint, FAMILIES.oneDriveForBusiness].flatMap((f) =>
    notSupportedCollection(f.set, f.kind, f.granular, `A single granular ${f.label} restore artifact`).filter(
      (r) => r.method !== 'GET' || r.path.endsWith('{itemId}'),
    ),
  ),
  ...notSupportedCollection(
    FAMILIES.exchange.set,
    FAMILIES.exchange.kind,
    FAMILIES.exchange.granular,
    'Changing one granular Exchange restore artifact',
  ).filter((r) => r.method !== 'GET'),
];

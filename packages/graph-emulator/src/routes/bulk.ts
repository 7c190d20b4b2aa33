import { randomUUID } from 'node:crypto';
import type { Route, RouteHandler } from '../http/router.js';
import type { EmulatorState } from '../model/state.js';
import { FAMILIES, FAMILY_LIST, type Family } from './families.js';
import type { GraphRequest } from '../http/types.js';
import type { EmulatorContext } from '../context.js';
import type {
  BulkAdditionRequest,
  DestinationType,
  ProtectionUnit,
  PublicErrorDetail,
  RestorePoint,
  RestorePointPreference,
  RestorePointTags,
  RestoreSession,
  SessionKind,
} from '../model/types.js';
import { READ_RESTORE, WRITE_RESTORE } from '../authority/caller.js';
import { GraphError } from '../http/errors.js';
import { truncate } from '../http/router.js';
import { enumInput } from '../http/odata.js';
import { isGuid } from '../model/ids.js';
import { bulkStatus, renderBulkRequest } from '../model/render.js';
import {
  MIXED_ARTIFACT_SOURCES,
  ROOT,
  asObject,
  callerIdentity,
  notSupportedCollection,
  requireDraft,
  requireSession,
} from './session-common.js';

/**
 * Bulk-addition requests of each family's restore sessions (list, create, get, delete): SharePoint names sites by
 * URL, Exchange mailboxes by SMTP address, OneDrive drives by their owner's e-mail, and both of those also by the
 * owner's Entra object id. A request stays `active` until its session is activated; activation resolves what it names
 * into artifacts (see resolveBulkRequests), and the request shows its outcome from a short, scaled delay after it.
 */

/** At most this many sites per request (Graph's limit). */
export const MAX_BULK_SITES = 10_000;
/** Unscaled time between activation and the bulk request's resolution. */
export const BULK_RESOLUTION_DELAY_MS = 500;

const invalidCreate = (message: string): GraphError => new GraphError(400, 'BulkRestoreInvalidCreateRequest', message);

/** Properties Graph sets itself: accepted in a body (a client may echo an entity back) and ignored. */
const READ_ONLY = new Set(['id', 'status', 'error', 'createdBy', 'createdDateTime', 'lastModifiedBy', 'lastModifiedDateTime']);
const COMMON_WRITABLE = ['displayName', 'destinationType', 'protectionTimePeriod', 'restorePointPreference', 'tags', 'protectionUnitIds'];
/** What a family's request names its resources with. */
const TARGET_FIELDS: Record<SessionKind, readonly string[]> = {
  sharePoint: ['siteWebUrls', 'siteIds'],
  exchange: ['mailboxes', 'directoryObjectIds'],
  oneDriveForBusiness: ['drives', 'directoryObjectIds'],
};

/** An absolute http(s) URL with a dotted host name and nothing after the path. */
function isValidSiteUrl(value: string): boolean {
  if (value.length === 0 || value.length > 2048 || /\s/.test(value)) return false;
  try {
    const u = new URL(value);
    return (
      (u.protocol === 'https:' || u.protocol === 'http:') &&
      u.hostname.includes('.') &&
      u.username === '' &&
      u.password === '' &&
      u.search === '' &&
      u.hash === ''
    );
  } catch {
    return false;
  }
}

/** Site URLs match case-insensitively, with or without a trailing slash. */
export function normalizeSiteUrl(url: string): string {
  return url.trim().toLowerCase().replace(/\/+$/, '');
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2}))?$/;

function parseDate(value: unknown, field: string): number | null {
  if (value === undefined || value === null) return null;
  const t = typeof value === 'string' && ISO_DATE.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(t)) throw invalidCreate(`protectionTimePeriod.${field} must be an ISO 8601 date and time.`);
  return t;
}

/** The writable fields of a bulk addition request, as its create body gives them. */
type BulkInput = Pick<
  BulkAdditionRequest,
  | 'displayName'
  | 'destinationType'
  | 'protectionTimePeriod'
  | 'restorePointPreference'
  | 'tags'
  | 'siteWebUrls'
  | 'addresses'
  | 'directoryObjectIds'
>;
type Targets = Pick<BulkInput, 'siteWebUrls' | 'addresses' | 'directoryObjectIds'>;

/** Validates a create body (`POST …/siteRestoreArtifactsBulkAdditionRequests` or the family's collection). */
function parseBulkInput(req: GraphRequest, family: Family): BulkInput {
  const o = asObject(req.body);
  if (!o) throw invalidCreate(`The request body must be a JSON ${family.bulkType} object.`);
  const writable = new Set([...COMMON_WRITABLE, ...TARGET_FIELDS[family.kind]]);
  for (const key of Object.keys(o)) {
    if (!writable.has(key) && !READ_ONLY.has(key) && !key.startsWith('@')) {
      throw invalidCreate(`The property '${truncate(key)}' does not exist on type 'microsoft.graph.${family.bulkType}'.`);
    }
  }
  let displayName = '';
  if (o.displayName !== undefined && o.displayName !== null) {
    if (typeof o.displayName !== 'string' || o.displayName.length > 1024)
      throw invalidCreate('displayName must be a string of at most 1024 characters.');
    displayName = o.displayName;
  }
  const targets = family.kind === 'sharePoint' ? parseSiteTargets(o) : parseOwnerTargets(o, family);
  return { displayName, ...targets, ...parseRestoreChoice(o, req) };
}

function parseSiteTargets(o: Record<string, unknown>): Targets {
  for (const field of ['siteIds', 'protectionUnitIds'] as const) {
    const v = o[field];
    if (v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0)) {
      throw invalidCreate(`${field} isn't implemented for bulk addition requests: list the sites in siteWebUrls.`);
    }
  }
  const urls = o.siteWebUrls;
  if (urls === undefined || urls === null) throw invalidCreate('siteWebUrls is required.');
  if (!Array.isArray(urls)) throw invalidCreate('siteWebUrls must be an array of site URLs.');
  if (urls.length === 0) throw invalidCreate('siteWebUrls must name at least one site.');
  if (urls.length > MAX_BULK_SITES) throw tooMany(urls.length, 'sites');
  const siteWebUrls: string[] = [];
  for (const url of urls) {
    if (typeof url !== 'string' || !isValidSiteUrl(url)) {
      const shown = typeof url === 'string' ? truncate(url, 256) : (JSON.stringify(url)?.slice(0, 64) ?? typeof url);
      throw new GraphError(400, 'BulkRestoreInvalidCreateRequestSiteUrl', `The site URL '${shown}' is not valid.`);
    }
    siteWebUrls.push(url);
  }
  return { siteWebUrls, addresses: [], directoryObjectIds: [] };
}

function tooMany(count: number, what: string): GraphError {
  return new GraphError(
    400,
    'BulkRestoreRestorationResourcesCountExceedsLimit',
    `A bulk addition request can name at most ${MAX_BULK_SITES} ${what}; this one names ${count}.`,
  );
}

/** A plausible e-mail address: one `@`, a dotted domain, no spaces. */
const EMAIL = /^[^\s@]{1,64}@[^\s@]+\.[^\s@]+$/;

/**
 * Exchange `mailboxes` (SMTP addresses) or OneDrive `drives` (owner e-mails), and `directoryObjectIds` (owners'
 * Entra object ids): together at least one and at most 10,000. The beta resource pages call `directoryObjectIds` not
 * implemented yet, while v1.0 and both create pages take it: it is accepted and resolved on both versions.
 */
function parseOwnerTargets(o: Record<string, unknown>, family: Family): Targets {
  const field = family.kind === 'exchange' ? 'mailboxes' : 'drives';
  const pu = o.protectionUnitIds;
  if (pu !== undefined && pu !== null && !(Array.isArray(pu) && pu.length === 0)) {
    throw invalidCreate(`protectionUnitIds isn't implemented for bulk addition requests: list them in ${field} or directoryObjectIds.`);
  }
  const list = (name: string): unknown[] => {
    const v = o[name];
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) throw invalidCreate(`${name} must be an array.`);
    return v;
  };
  const emails = list(field);
  const ids = list('directoryObjectIds');
  if (emails.length + ids.length === 0) throw invalidCreate(`${field} or directoryObjectIds must name at least one ${family.noun}.`);
  if (emails.length + ids.length > MAX_BULK_SITES)
    throw tooMany(emails.length + ids.length, `${family.noun === 'mailbox' ? 'mailboxes' : 'OneDrives'}`);
  const addresses = emails.map((e) => {
    if (typeof e !== 'string' || e.length > 320 || !EMAIL.test(e)) {
      const shown = typeof e === 'string' ? truncate(e, 256) : typeof e;
      throw new GraphError(400, 'BulkRestoreInvalidCreateRequestUserEmail', `The e-mail address '${shown}' is not valid.`);
    }
    return e;
  });
  const directoryObjectIds = ids.map((id) => {
    if (typeof id !== 'string' || !isGuid(id)) {
      throw invalidCreate(`'${typeof id === 'string' ? truncate(id) : typeof id}' in directoryObjectIds is not a directory object id.`);
    }
    return id;
  });
  return { siteWebUrls: [], addresses, directoryObjectIds };
}

/** Where to restore, and how a restore point is picked for each resource: the same for every family. */
function parseRestoreChoice(
  o: Record<string, unknown>,
  req: GraphRequest,
): Pick<BulkInput, 'destinationType' | 'protectionTimePeriod' | 'restorePointPreference' | 'tags'> {
  if (o.destinationType === undefined || o.destinationType === null)
    throw invalidCreate('destinationType is required: "new" or "inPlace".');
  const destinationType = enumInput(
    'destinationType',
    o.destinationType,
    req,
    'destinationType',
    'BulkRestoreInvalidCreateRequest',
  ) as DestinationType;
  const period = asObject(o.protectionTimePeriod);
  if (!period) throw invalidCreate('protectionTimePeriod is required: {startDateTime, endDateTime}.');
  const start = parseDate(period.startDateTime, 'startDateTime');
  if (start === null) throw invalidCreate('protectionTimePeriod.startDateTime is required.');
  const end = parseDate(period.endDateTime, 'endDateTime');
  if (end !== null && end < start) throw invalidCreate('protectionTimePeriod.endDateTime must not be before its startDateTime.');
  const restorePointPreference = (enumInput(
    'restorePointPreference',
    o.restorePointPreference,
    req,
    'restorePointPreference',
    'BulkRestoreInvalidCreateRequest',
  ) ?? 'latest') as RestorePointPreference;
  const tags = (enumInput('restorePointTags', o.tags, req, 'tags', 'BulkRestoreInvalidCreateRequest') ?? 'none') as RestorePointTags;
  return { destinationType, protectionTimePeriod: { startDateTime: start, endDateTime: end }, restorePointPreference, tags };
}

/** The restore point a bulk request picks for a unit: inside the period, not expired, by preference and tags. */
function pickRestorePoint(ctx: EmulatorContext, unit: ProtectionUnit, b: BulkAdditionRequest, now: number): RestorePoint | undefined {
  const points = ctx.state.restorePointsByUnit.get(unit.id.toLowerCase()) ?? []; // newest first
  const { startDateTime, endDateTime } = b.protectionTimePeriod;
  const fits = (p: RestorePoint): boolean =>
    p.protectionDateTime >= startDateTime &&
    (endDateTime === null || p.protectionDateTime <= endDateTime) &&
    p.protectionDateTime <= now &&
    p.expirationDateTime > now &&
    (b.tags === 'none' || p.tags === b.tags);
  if (b.restorePointPreference === 'oldest') return points.findLast(fits);
  return points.find(fits);
}

/** One thing a bulk request names, and the unit it resolves to (undefined: unresolved). */
interface BulkTarget {
  /** As the request names it: echoed in error details. */
  name: string;
  unit: ProtectionUnit | undefined;
}

/** Lookups of a family's units by what bulk requests name them with, built once per activation. */
type UnitLookup = Map<string, ProtectionUnit>;

function unitLookup(state: EmulatorState, family: Family): UnitLookup {
  const out: UnitLookup = new Map();
  for (const u of state.units.values()) {
    if (u.kind !== family.unit) continue;
    if (u.kind === 'site') out.set(normalizeSiteUrl(u.siteWebUrl), u);
    else {
      out.set(`mail:${u.email.toLowerCase()}`, u);
      out.set(`id:${u.directoryObjectId.toLowerCase()}`, u);
    }
  }
  return out;
}

/** What a request names, de-duplicated (site URLs case- and slash-insensitively, addresses and ids case-insensitively). */
function bulkTargets(b: BulkAdditionRequest, lookup: UnitLookup): BulkTarget[] {
  const keyed: Array<[string, string]> = [
    ...b.siteWebUrls.map((u): [string, string] => [normalizeSiteUrl(u), u]),
    ...b.addresses.map((a): [string, string] => [`mail:${a.trim().toLowerCase()}`, a]),
    ...b.directoryObjectIds.map((id): [string, string] => [`id:${id.toLowerCase()}`, id]),
  ];
  const seen = new Set<string>();
  const out: BulkTarget[] = [];
  for (const [key, name] of keyed) {
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ name, unit: lookup.get(key) });
  }
  return out;
}

/** Why a named resource could not be added: Graph's detail codes (`SiteUrlNotFound`, `UserNotBackedup`). */
function unresolved(family: Family, name: string): PublicErrorDetail {
  if (family.kind === 'sharePoint') return { code: 'SiteUrlNotFound', message: `Site url '${name}' could not be resolved`, target: name };
  return { code: 'UserNotBackedup', message: `The ${family.noun} of '${name}' is not backed up`, target: name };
}

/**
 * Activation of a bulk session: everything its (unresolved) bulk requests name becomes an artifact, dated at the
 * resolution instant so it appears only then; what can't be resolved ends the request `completedWithErrors` with one
 * detail each. The same mailbox or OneDrive named twice (by address and by id) is added once. The caller plans the
 * session afterwards, which plans these artifacts like any other.
 */
export function resolveBulkRequests(ctx: EmulatorContext, session: RestoreSession, now: number): void {
  const state = ctx.state;
  const family = FAMILIES[session.kind];
  let lookup: UnitLookup | undefined;
  for (const id of session.bulkRequestIds) {
    const b = state.bulkRequest(id);
    if (!b || b.resolution) continue;
    lookup ??= unitLookup(state, family);
    const at = now + Math.round(BULK_RESOLUTION_DELAY_MS * ctx.options.timeScale);
    const targets = bulkTargets(b, lookup);
    const details: PublicErrorDetail[] = [];
    const added = new Set<string>();
    for (const { name, unit } of targets) {
      if (!unit) {
        details.push(unresolved(family, name));
        continue;
      }
      const point = pickRestorePoint(ctx, unit, b, now);
      if (!point) {
        details.push({
          code: 'RestorePointNotFound',
          message: `No restore point of ${family.noun} '${name}' matches the protection time period and tags of the request`,
          target: name,
        });
        continue;
      }
      if (added.has(unit.id)) continue;
      added.add(unit.id);
      const artifactId = randomUUID();
      state.addArtifact({
        id: artifactId,
        sessionId: session.id,
        restorePointId: point.id,
        destinationType: b.destinationType,
        createdDateTime: at,
        plan: null,
      });
      session.artifactIds.push(artifactId);
    }
    const what = family.kind === 'sharePoint' ? 'sites' : family.kind === 'exchange' ? 'mailboxes' : 'OneDrives';
    b.resolution = {
      at,
      status: details.length === 0 ? 'completed' : 'completedWithErrors',
      error:
        details.length === 0
          ? null
          : {
              code: 'BulkRestoreArtifactsNotResolved',
              message: `${details.length} of ${targets.length} ${what} of the bulk addition request could not be resolved.`,
              details,
            },
    };
  }
}

function requireBulkRequest(ctx: EmulatorContext, session: RestoreSession, bulkId: string): BulkAdditionRequest {
  if (!isGuid(bulkId)) {
    throw new GraphError(400, 'InvalidBulkRestoreArtifactId', `The bulk addition request id '${truncate(bulkId)}' is not valid.`);
  }
  const b = ctx.state.bulkRequest(bulkId);
  if (!b || b.sessionId.toLowerCase() !== session.id.toLowerCase()) {
    throw new GraphError(
      404,
      'BulkRestoreArtifactsNotFound',
      `The bulk addition request '${bulkId}' was not found in restore session '${session.id}'.`,
    );
  }
  return b;
}

function bulkContext(req: GraphRequest, session: RestoreSession, family: Family): string {
  return `${req.origin}/${req.version}/$metadata#${ROOT}/${family.set}('${session.id}')/${family.bulk}`;
}

function createBulkRequest(family: Family): RouteHandler {
  return (req, params, ctx) => {
    const session = requireSession(ctx, params.id ?? '', family.kind);
    const now = ctx.clock.now();
    requireDraft(session, now, 'added', 'A bulk addition request can only be added to a restore session in Draft state.');
    if (session.bulkRequestIds.length > 0) throw invalidCreate('Only one bulk addition request is allowed per restore session.');
    if (session.artifactIds.length > 0) throw invalidCreate(MIXED_ARTIFACT_SOURCES);
    const input = parseBulkInput(req, family);
    const by = callerIdentity(ctx, req);
    const b: BulkAdditionRequest = {
      id: randomUUID(),
      sessionId: session.id,
      ...input,
      siteIds: [],
      createdBy: by,
      createdDateTime: now,
      lastModifiedBy: by,
      lastModifiedDateTime: now,
      resolution: null,
    };
    ctx.state.addBulkRequest(b);
    session.bulkRequestIds.push(b.id);
    session.restoreJobType = 'bulk';
    session.lastModifiedDateTime = now;
    session.lastModifiedBy = by;
    const location = `${req.origin}/${req.version}/${ROOT}/${family.set}/${session.id}/${family.bulk}/${b.id}`;
    return {
      status: 201,
      headers: { location },
      body: { '@odata.context': `${bulkContext(req, session, family)}/$entity`, ...renderBulkRequest(b, now, req, false, family.kind) },
    };
  };
}

/** Only a finished request may go: 403 InvalidStateForBulkRequestDeletion while it is `active`. */
function deleteBulkRequest(family: Family): RouteHandler {
  return (req, params, ctx) => {
    const session = requireSession(ctx, params.id ?? '', family.kind);
    const b = requireBulkRequest(ctx, session, params.bulkId ?? '');
    const now = ctx.clock.now();
    const status = bulkStatus(b, now);
    if (status !== 'completed' && status !== 'completedWithErrors') {
      throw new GraphError(
        403,
        'InvalidStateForBulkRequestDeletion',
        `The bulk addition request is '${status}': it can only be deleted once it is completed or completedWithErrors.`,
      );
    }
    ctx.state.bulkRequests.delete(b.id.toLowerCase());
    session.bulkRequestIds = session.bulkRequestIds.filter((id) => id.toLowerCase() !== b.id.toLowerCase());
    session.lastModifiedDateTime = Math.max(session.lastModifiedDateTime, now);
    session.lastModifiedBy = callerIdentity(ctx, req);
    return { status: 204 };
  };
}

function familyBulkRoutes(family: Family): Route[] {
  const collection = `${ROOT}/${family.set}/{id}/${family.bulk}`;
  const routes: Route[] = [
    {
      method: 'GET',
      path: collection,
      permissions: READ_RESTORE,
      queryOptions: [],
      handler: (req, params, ctx) => {
        const session = requireSession(ctx, params.id ?? '', family.kind);
        const now = ctx.clock.now();
        const value: Array<Record<string, unknown>> = [];
        for (const id of session.bulkRequestIds) {
          const b = ctx.state.bulkRequest(id);
          if (b) value.push(renderBulkRequest(b, now, req, false, family.kind));
        }
        return { status: 200, body: { '@odata.context': bulkContext(req, session, family), value } };
      },
    },
    { method: 'POST', path: collection, permissions: WRITE_RESTORE, handler: createBulkRequest(family) },
    {
      method: 'GET',
      path: `${collection}/{bulkId}`,
      permissions: READ_RESTORE,
      queryOptions: [],
      handler: (req, params, ctx) => {
        const session = requireSession(ctx, params.id ?? '', family.kind);
        const b = requireBulkRequest(ctx, session, params.bulkId ?? '');
        const entity = renderBulkRequest(b, ctx.clock.now(), req, true, family.kind);
        return { status: 200, body: { '@odata.context': `${bulkContext(req, session, family)}/$entity`, ...entity } };
      },
    },
    { method: 'DELETE', path: `${collection}/{bulkId}`, permissions: WRITE_RESTORE, handler: deleteBulkRequest(family) },
  ];
  // Microsoft's SDK offers PATCH on the Exchange and OneDrive requests (no page documents it): answered 501.
  if (family.kind === 'sharePoint') return routes;
  const patch = notSupportedCollection(family.set, family.kind, family.bulk, `Updating ${family.label} bulk addition requests`).filter(
    (r) => r.method === 'PATCH',
  );
  return [...routes, ...patch];
}

export const bulkRoutes: Route[] = FAMILY_LIST.flatMap(familyBulkRoutes);

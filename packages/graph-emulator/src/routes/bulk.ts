import { randomUUID } from 'node:crypto';
import type { Route } from '../http/router.js';
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
 * Bulk-addition requests of a SharePoint restore session (list, create, get, delete). A request stays `active`
 * until its session is activated; activation resolves every site URL into an artifact (see resolveBulkRequests),
 * and the request shows its outcome from a short, scaled delay after activation.
 */

const COLLECTION = `${ROOT}/sharePointRestoreSessions/{id}/siteRestoreArtifactsBulkAdditionRequests`;

/** At most this many sites per request (Graph's limit). */
export const MAX_BULK_SITES = 10_000;
/** Unscaled time between activation and the bulk request's resolution. */
export const BULK_RESOLUTION_DELAY_MS = 500;

const invalidCreate = (message: string): GraphError => new GraphError(400, 'BulkRestoreInvalidCreateRequest', message);

/** Properties Graph sets itself: accepted in a body (a client may echo an entity back) and ignored. */
const READ_ONLY = new Set(['id', 'status', 'error', 'createdBy', 'createdDateTime', 'lastModifiedBy', 'lastModifiedDateTime']);
const WRITABLE = new Set([
  'displayName',
  'destinationType',
  'protectionTimePeriod',
  'restorePointPreference',
  'tags',
  'siteWebUrls',
  'siteIds',
  'protectionUnitIds',
]);

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
  'displayName' | 'destinationType' | 'protectionTimePeriod' | 'restorePointPreference' | 'tags' | 'siteWebUrls'
>;

/** Validates a create body (`POST …/siteRestoreArtifactsBulkAdditionRequests`). */
function parseBulkInput(req: GraphRequest): BulkInput {
  const o = asObject(req.body);
  if (!o) throw invalidCreate('The request body must be a JSON siteRestoreArtifactsBulkAdditionRequest object.');
  for (const key of Object.keys(o)) {
    if (!WRITABLE.has(key) && !READ_ONLY.has(key) && !key.startsWith('@')) {
      throw invalidCreate(
        `The property '${truncate(key)}' does not exist on type 'microsoft.graph.siteRestoreArtifactsBulkAdditionRequest'.`,
      );
    }
  }
  let displayName = '';
  if (o.displayName !== undefined && o.displayName !== null) {
    if (typeof o.displayName !== 'string' || o.displayName.length > 1024)
      throw invalidCreate('displayName must be a string of at most 1024 characters.');
    displayName = o.displayName;
  }
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
  if (urls.length > MAX_BULK_SITES) {
    throw new GraphError(
      400,
      'BulkRestoreRestorationResourcesCountExceedsLimit',
      `A bulk addition request can name at most ${MAX_BULK_SITES} sites; this one names ${urls.length}.`,
    );
  }
  const siteWebUrls: string[] = [];
  for (const url of urls) {
    if (typeof url !== 'string' || !isValidSiteUrl(url)) {
      const shown = typeof url === 'string' ? truncate(url, 256) : (JSON.stringify(url)?.slice(0, 64) ?? typeof url);
      throw new GraphError(400, 'BulkRestoreInvalidCreateRequestSiteUrl', `The site URL '${shown}' is not valid.`);
    }
    siteWebUrls.push(url);
  }
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
  return {
    displayName,
    destinationType,
    protectionTimePeriod: { startDateTime: start, endDateTime: end },
    restorePointPreference,
    tags,
    siteWebUrls,
  };
}

/** The restore point a bulk request picks for a site: inside the period, not expired, by preference and tags. */
function pickRestorePoint(ctx: EmulatorContext, unit: ProtectionUnit, b: BulkAdditionRequest, now: number): RestorePoint | undefined {
  const points = ctx.state.restorePointsByUnit.get(unit.id.toLowerCase()) ?? []; // newest first
  const { startDateTime, endDateTime } = b.protectionTimePeriod;
  const fits = (p: RestorePoint): boolean =>
    p.protectionDateTime >= startDateTime &&
    (endDateTime === null || p.protectionDateTime <= endDateTime) &&
    p.protectionDateTime <= now &&
    p.expirationDateTime > now &&
    (b.tags !== 'fastRestore' || p.tags === 'fastRestore');
  if (b.restorePointPreference === 'oldest') return points.findLast(fits);
  return points.find(fits);
}

/**
 * Activation of a bulk session: every site URL of its (unresolved) bulk requests becomes an artifact, dated at the
 * resolution instant so it appears only then; unresolved sites end the request `completedWithErrors` with one
 * detail per site. The caller plans the session afterwards, which plans these artifacts like any other.
 */
export function resolveBulkRequests(ctx: EmulatorContext, session: RestoreSession, now: number): void {
  const state = ctx.state;
  let unitsByUrl: Map<string, ProtectionUnit> | undefined;
  for (const id of session.bulkRequestIds) {
    const b = state.bulkRequest(id);
    if (!b || b.resolution) continue;
    if (!unitsByUrl) {
      unitsByUrl = new Map();
      for (const u of state.units.values()) unitsByUrl.set(normalizeSiteUrl(u.siteWebUrl), u);
    }
    const at = now + Math.round(BULK_RESOLUTION_DELAY_MS * ctx.options.timeScale);
    const seen = new Set<string>();
    const details: PublicErrorDetail[] = [];
    for (const url of b.siteWebUrls) {
      const key = normalizeSiteUrl(url);
      if (seen.has(key)) continue;
      seen.add(key);
      const unit = unitsByUrl.get(key);
      if (!unit) {
        details.push({ code: 'SiteUrlNotFound', message: `Site url '${url}' could not be resolved`, target: url });
        continue;
      }
      const point = pickRestorePoint(ctx, unit, b, now);
      if (!point) {
        details.push({
          code: 'RestorePointNotFound',
          message: `No restore point of site '${url}' matches the protection time period and tags of the request`,
          target: url,
        });
        continue;
      }
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
    b.resolution = {
      at,
      status: details.length === 0 ? 'completed' : 'completedWithErrors',
      error:
        details.length === 0
          ? null
          : {
              code: 'BulkRestoreArtifactsNotResolved',
              message: `${details.length} of ${seen.size} sites of the bulk addition request could not be resolved.`,
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

function bulkContext(req: GraphRequest, session: RestoreSession): string {
  return `${req.origin}/${req.version}/$metadata#${ROOT}/sharePointRestoreSessions('${session.id}')/siteRestoreArtifactsBulkAdditionRequests`;
}

export const bulkRoutes: Route[] = [
  {
    method: 'GET',
    path: COLLECTION,
    permissions: READ_RESTORE,
    queryOptions: [],
    handler: (req, params, ctx) => {
      const session = requireSession(ctx, params.id ?? '', 'sharePoint');
      const now = ctx.clock.now();
      const value: Array<Record<string, unknown>> = [];
      for (const id of session.bulkRequestIds) {
        const b = ctx.state.bulkRequest(id);
        if (b) value.push(renderBulkRequest(b, now, req, false));
      }
      return { status: 200, body: { '@odata.context': bulkContext(req, session), value } };
    },
  },
  {
    method: 'POST',
    path: COLLECTION,
    permissions: WRITE_RESTORE,
    handler: (req, params, ctx) => {
      const session = requireSession(ctx, params.id ?? '', 'sharePoint');
      const now = ctx.clock.now();
      requireDraft(session, now, 'added', 'A bulk addition request can only be added to a restore session in Draft state.');
      if (session.bulkRequestIds.length > 0) throw invalidCreate('Only one bulk addition request is allowed per restore session.');
      if (session.artifactIds.length > 0) throw invalidCreate(MIXED_ARTIFACT_SOURCES);
      const input = parseBulkInput(req);
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
      const location = `${req.origin}/${req.version}/${ROOT}/sharePointRestoreSessions/${session.id}/siteRestoreArtifactsBulkAdditionRequests/${b.id}`;
      return {
        status: 201,
        headers: { location },
        body: { '@odata.context': `${bulkContext(req, session)}/$entity`, ...renderBulkRequest(b, now, req, false) },
      };
    },
  },
  {
    method: 'GET',
    path: `${COLLECTION}/{bulkId}`,
    permissions: READ_RESTORE,
    queryOptions: [],
    handler: (req, params, ctx) => {
      const session = requireSession(ctx, params.id ?? '', 'sharePoint');
      const b = requireBulkRequest(ctx, session, params.bulkId ?? '');
      const body = { '@odata.context': `${bulkContext(req, session)}/$entity`, ...renderBulkRequest(b, ctx.clock.now(), req, true) };
      return { status: 200, body };
    },
  },
  {
    method: 'DELETE',
    path: `${COLLECTION}/{bulkId}`,
    permissions: WRITE_RESTORE,
    handler: (req, params, ctx) => {
      const session = requireSession(ctx, params.id ?? '', 'sharePoint');
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
    },
  },
  ...notSupportedCollection(
    'exchangeRestoreSessions',
    'exchange',
    'mailboxRestoreArtifactsBulkAdditionRequests',
    'Exchange bulk addition requests',
  ),
  ...notSupportedCollection(
    'oneDriveForBusinessRestoreSessions',
    'oneDriveForBusiness',
    'driveRestoreArtifactsBulkAdditionRequests',
    'OneDrive bulk addition requests',
  ),
];

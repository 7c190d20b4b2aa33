import { randomBytes } from 'node:crypto';
import type { Route, RouteHandler } from '../http/router.js';
import type { GraphRequest } from '../http/types.js';
import type { EmulatorContext } from '../context.js';
import type { BrowseSession, UnitKind } from '../model/types.js';
import { WRITE_RESTORE } from '../authority/caller.js';
import { GraphError, badRequest } from '../http/errors.js';
import { truncate } from '../http/router.js';
import { collectionPage, enumInput, filterPredicate, queryOption, type FilterFieldSpec } from '../http/odata.js';
import { isRestorePointId } from '../model/ids.js';
import { DAY } from '../model/seed-clock.js';
import { BROWSE_PAGE_SIZE, browseTreeOf, type BrowsableUnit, type BrowseNode } from '../model/browse-tree.js';
import { renderBrowseItem, renderBrowseSession } from '../model/render-granular.js';
import { ROOT, asObject, requireBackupAdministrator } from './session-common.js';

/**
 * Browse sessions (SharePoint and OneDrive): create one on a fastRestore restore point, list and get them, and browse
 * the backed-up tree (model/browse-tree.ts) a page at a time. A session lives three days (Graph's examples), then
 * answers 404. There is no update and no delete: Graph deletes them itself.
 */

export interface BrowseFamily {
  kind: BrowseSession['kind'];
  set: string;
  type: string;
  unit: Extract<UnitKind, 'site' | 'drive'>;
  noun: string;
}

export const BROWSE_FAMILIES: Record<BrowseSession['kind'], BrowseFamily> = {
  sharePoint: { kind: 'sharePoint', set: 'sharePointBrowseSessions', type: 'sharePointBrowseSession', unit: 'site', noun: 'site' },
  oneDriveForBusiness: {
    kind: 'oneDriveForBusiness',
    set: 'oneDriveForBusinessBrowseSessions',
    type: 'oneDriveForBusinessBrowseSession',
    unit: 'drive',
    noun: 'OneDrive',
  },
};

/** How long a browse session lives: the examples always show three days. */
export const BROWSE_SESSION_LIFETIME_MS = 3 * DAY;
const BROWSE_SESSION_ID = /^[A-Za-z0-9_-]{1,256}$/;

// ---------------------------------------------------------------------------------------------- sessions

/** The browse session `id` of this family, alive at `now`: 400 for a malformed id, 404 ResourceNotFound otherwise. */
export function requireBrowseSession(
  ctx: EmulatorContext,
  id: string,
  kind: BrowseSession['kind'] | undefined,
  now: number,
): BrowseSession {
  if (!BROWSE_SESSION_ID.test(id)) throw badRequest(`'${truncate(id)}' is not a valid browse session id.`);
  const session = ctx.state.browseSession(id, now);
  if (!session || (kind !== undefined && session.kind !== kind)) {
    throw new GraphError(404, 'ResourceNotFound', `The browse session '${id}' was not found: it doesn't exist or has expired.`);
  }
  return session;
}

/** The unit a browse session browses (a site or a OneDrive). */
export function browsedUnit(ctx: EmulatorContext, session: BrowseSession): BrowsableUnit {
  const unit = ctx.state.unit(session.unitId);
  if (!unit || unit.kind === 'mailbox') {
    throw new GraphError(404, 'ResourceNotFound', `The protection unit of browse session '${session.id}' no longer exists.`);
  }
  return unit;
}

/** `{restorePointId}`: the only property a client gives (`@` annotations aside). */
function restorePointIdOf(body: unknown, family: BrowseFamily): string {
  const o = body === undefined || body === null ? {} : asObject(body);
  if (!o) throw badRequest(`The request body must be a JSON ${family.type} object.`);
  for (const key of Object.keys(o)) {
    if (key === 'restorePointId' || key.startsWith('@')) continue;
    throw badRequest(`The property '${truncate(key)}' does not exist on type 'microsoft.graph.${family.type}' or can't be set.`);
  }
  const id = o.restorePointId;
  if (typeof id !== 'string' || id.trim() === '') throw badRequest('restorePointId is required.', 'InvalidRestorePoint');
  if (!isRestorePointId(id.trim())) throw badRequest(`'${truncate(id)}' is not a valid restore point id.`, 'InvalidRestorePoint');
  return id.trim();
}

function createBrowseSession(family: BrowseFamily): RouteHandler {
  return (req, _params, ctx) => {
    requireBackupAdministrator(req);
    const pointId = restorePointIdOf(req.body, family);
    const now = ctx.clock.now();
    const point = ctx.state.restorePoint(pointId);
    if (!point) throw badRequest(`The restore point '${truncate(pointId)}' is not valid or doesn't exist.`, 'InvalidRestorePoint');
    const unit = ctx.state.unit(point.protectionUnitId);
    if (!unit || unit.kind !== family.unit) {
      throw badRequest(`The restore point '${point.id}' is not a restore point of a ${family.noun}.`, 'InvalidRestorePoint');
    }
    if (point.expirationDateTime <= now) throw badRequest(`The restore point '${point.id}' has expired.`, 'InvalidRestorePoint');
    if (point.tags !== 'fastRestore') {
      throw badRequest(`A browse session can be created on a fastRestore restore point only; '${point.id}' is not one.`);
    }
    const session: BrowseSession = {
      id: randomBytes(36).toString('base64url'),
      kind: family.kind,
      restorePointId: point.id,
      unitId: unit.id,
      restorePointDateTime: point.protectionDateTime,
      createdDateTime: now,
      expirationDateTime: now + BROWSE_SESSION_LIFETIME_MS,
      backupSizeInBytes: browseTreeOf(unit).root.sizeInBytes,
    };
    ctx.state.addBrowseSession(session, now);
    const location = `${req.origin}/${req.version}/${ROOT}/${family.set}/${session.id}`;
    return { status: 201, headers: { location }, body: browseSessionEntity(req, ctx, family, session) };
  };
}

function browseSessionEntity(req: GraphRequest, ctx: EmulatorContext, family: BrowseFamily, b: BrowseSession): Record<string, unknown> {
  return {
    '@odata.context': `${req.origin}/${req.version}/$metadata#${ROOT}/${family.set}/$entity`,
    ...renderBrowseSession(b, ctx.state.unit(b.unitId), req),
  };
}

/** The live browse sessions (of one family, or all), oldest first. */
function liveSessions(ctx: EmulatorContext, kind: BrowseSession['kind'] | undefined, now: number): BrowseSession[] {
  const out: BrowseSession[] = [];
  for (const b of ctx.state.browseSessions.values())
    if ((kind === undefined || b.kind === kind) && now <= b.expirationDateTime) out.push(b);
  return out;
}

function listBrowseSessions(family: BrowseFamily): RouteHandler {
  return (req, _params, ctx) => {
    requireBackupAdministrator(req);
    const sessions = liveSessions(ctx, family.kind, ctx.clock.now());
    const body = collectionPage(req, sessions, {
      context: `${ROOT}/${family.set}`,
      render: (b) => renderBrowseSession(b, ctx.state.unit(b.unitId), req),
    });
    return { status: 200, body };
  };
}

const BROWSE_SESSION_FILTER_FIELDS: Record<string, FilterFieldSpec> = { status: { kind: 'enum', enumName: 'browseSessionStatus' } };

/** `GET browseSessions`: both families, each with its `@odata.type`; `$top` and `$filter` on status. */
const listAllBrowseSessions: RouteHandler = (req, _params, ctx) => {
  requireBackupAdministrator(req);
  const predicate = filterPredicate(req, BROWSE_SESSION_FILTER_FIELDS);
  let sessions = liveSessions(ctx, undefined, ctx.clock.now());
  if (predicate) sessions = sessions.filter(() => predicate({ status: 'created' }));
  const body = collectionPage(req, sessions, {
    context: `${ROOT}/browseSessions`,
    render: (b) => renderBrowseSession(b, ctx.state.unit(b.unitId), req, true),
  });
  return { status: 200, body };
};

function getBrowseSession(family: BrowseFamily): RouteHandler {
  return (req, params, ctx) => {
    requireBackupAdministrator(req);
    const session = requireBrowseSession(ctx, params.id ?? '', family.kind, ctx.clock.now());
    return { status: 200, body: browseSessionEntity(req, ctx, family, session) };
  };
}

// ---------------------------------------------------------------------------------------------- browse

type BrowseOrder = 'pathAsc' | 'pathDsc' | 'nameAsc' | 'nameDsc';

/** What one browse lists: the children of `location` (the top level when null), filtered and ordered. */
interface BrowseQuery {
  location: string | null;
  /** The text of `(name -contains '…')`. */
  contains: string | null;
  order: BrowseOrder;
}

const BROWSE_PARAMETERS = new Set(['browseLocationItemKey', 'browseResourceType', 'filter', 'orderBy']);
const NAME_CONTAINS = /^\s*name\s+-contains\s+'((?:[^']|'')*)'\s*$/i;

/** `(name -contains 'text')` (the parentheses optional, quotes doubled inside): the only filter Graph documents. */
function parseNameFilter(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw badRequest("filter must be a string such as (name -contains 'report').");
  let src = value.trim();
  if (src.startsWith('(') && src.endsWith(')')) src = src.slice(1, -1);
  const m = NAME_CONTAINS.exec(src);
  if (!m || src.length > 2048) {
    throw badRequest(`The filter '${truncate(value)}' is not supported: the browse action takes (name -contains '<text>') only.`);
  }
  return (m[1] ?? '').replace(/''/g, "'");
}

/** The browse action's parameters; a location must be a container of this session's tree. */
function parseBrowseBody(req: GraphRequest, byKey: ReadonlyMap<string, BrowseNode>): BrowseQuery {
  const o = req.body === undefined || req.body === null ? {} : asObject(req.body);
  if (!o) throw badRequest('The request body must be a JSON object with the browse parameters.');
  for (const key of Object.keys(o)) {
    if (!BROWSE_PARAMETERS.has(key) && !key.startsWith('@'))
      throw badRequest(`'${truncate(key)}' is not a parameter of the browse action.`);
  }
  const type = enumInput('browsableResourceType', o.browseResourceType, req, 'browseResourceType');
  if (type === 'none') throw badRequest("browseResourceType must be site, documentLibrary or folder, not 'none'.");
  const contains = parseNameFilter(o.filter);
  const order = (enumInput('browseQueryOrder', o.orderBy, req, 'orderBy') ?? 'pathAsc') as BrowseOrder;
  const rawKey = o.browseLocationItemKey;
  if (rawKey === undefined || rawKey === null) {
    if (type !== undefined) throw badRequest('browseResourceType needs a browseLocationItemKey.');
    return { location: null, contains, order };
  }
  if (typeof rawKey !== 'string') throw badRequest('browseLocationItemKey must be a string.');
  const node = byKey.get(rawKey.trim().toLowerCase());
  if (!node) throw badRequest(`The browse location '${truncate(rawKey)}' is not an item of this browse session.`);
  if (node.type === 'file') {
    throw badRequest(`The browse location '${truncate(rawKey)}' is a file: only a site, a document library or a folder has items.`);
  }
  if (type !== undefined && type !== node.type)
    throw badRequest(`The browse location '${truncate(rawKey)}' is a ${node.type}, not a ${type}.`);
  return { location: node.key, contains, order };
}

interface SkipToken extends BrowseQuery {
  session: string;
  offset: number;
}

function encodeSkipToken(t: SkipToken): string {
  return Buffer.from(JSON.stringify({ v: 1, s: t.session, k: t.location, f: t.contains, o: t.order, n: t.offset })).toString('base64url');
}

const ORDERS: readonly BrowseOrder[] = ['pathAsc', 'pathDsc', 'nameAsc', 'nameDsc'];

function decodeSkipToken(raw: string | null): SkipToken {
  const invalid = (): GraphError => badRequest('The $skiptoken is invalid or has expired.');
  if (raw === null) throw badRequest('GET browse continues a browse: give the $skiptoken of its @odata.nextLink (start one with POST).');
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  const t = asObject(parsed);
  const order = ORDERS.find((o) => o === t?.o);
  const ok =
    t &&
    typeof t.s === 'string' &&
    (t.k === null || typeof t.k === 'string') &&
    (t.f === null || typeof t.f === 'string') &&
    order !== undefined &&
    typeof t.n === 'number' &&
    Number.isInteger(t.n) &&
    t.n >= 0;
  if (!ok) throw invalid();
  return { session: t.s as string, location: t.k as string | null, contains: t.f as string | null, order, offset: t.n as number };
}

const byPath = (a: BrowseNode, b: BrowseNode): number => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
const byName = (a: BrowseNode, b: BrowseNode): number =>
  a.name.localeCompare(b.name, 'en', { sensitivity: 'base', numeric: true }) || byPath(a, b);

/** Path order is the paths' ordinal order (upper case first); name order ignores case and reads numbers as numbers. */
function ordered(items: BrowseNode[], order: BrowseOrder): BrowseNode[] {
  const sorted = [...items].sort(order.startsWith('path') ? byPath : byName);
  return order.endsWith('Dsc') ? sorted.reverse() : sorted;
}

/** One page of a browse, with `@odata.count` (all matching items) and a nextLink while more remain. */
function browsePage(
  req: GraphRequest,
  ctx: EmulatorContext,
  family: BrowseFamily,
  session: BrowseSession,
  q: BrowseQuery,
  offset: number,
): Record<string, unknown> {
  const unit = browsedUnit(ctx, session);
  const tree = browseTreeOf(unit);
  const location = q.location === null ? null : tree.byKey.get(q.location);
  if (location === undefined) throw badRequest('The $skiptoken is invalid or has expired.');
  let items = location === null ? [tree.root] : location.children;
  const needle = q.contains?.toLowerCase();
  if (needle !== undefined) items = items.filter((n) => n.name.toLowerCase().includes(needle));
  items = ordered(items, q.order);
  const body: Record<string, unknown> = {
    '@odata.context': `${req.origin}/${req.version}/$metadata#Collection(microsoft.graph.browseQueryResponseItem)`,
    '@odata.count': items.length,
  };
  const next = offset + BROWSE_PAGE_SIZE;
  if (next < items.length) {
    const token = encodeSkipToken({ ...q, session: session.id, offset: next });
    body['@odata.nextLink'] = `${req.origin}/${req.version}/${ROOT}/${family.set}/${session.id}/browse?$skiptoken=${token}`;
  }
  body.value = items.slice(offset, next).map((n) => renderBrowseItem(n, unit, session.restorePointDateTime, req));
  return body;
}

function postBrowse(family: BrowseFamily): RouteHandler {
  return (req, params, ctx) => {
    requireBackupAdministrator(req);
    const session = requireBrowseSession(ctx, params.id ?? '', family.kind, ctx.clock.now());
    const query = parseBrowseBody(req, browseTreeOf(browsedUnit(ctx, session)).byKey);
    return { status: 200, body: browsePage(req, ctx, family, session, query, 0) };
  };
}

function getBrowse(family: BrowseFamily): RouteHandler {
  return (req, params, ctx) => {
    requireBackupAdministrator(req);
    const session = requireBrowseSession(ctx, params.id ?? '', family.kind, ctx.clock.now());
    const token = decodeSkipToken(queryOption(req.query, '$skiptoken') ?? null);
    if (token.session !== session.id) throw badRequest('The $skiptoken belongs to another browse session.');
    return { status: 200, body: browsePage(req, ctx, family, session, token, token.offset) };
  };
}

// ---------------------------------------------------------------------------------------------- routes

function familyRoutes(family: BrowseFamily): Route[] {
  const base = `${ROOT}/${family.set}`;
  return [
    { method: 'POST', path: base, permissions: WRITE_RESTORE, handler: createBrowseSession(family) },
    { method: 'GET', path: base, permissions: WRITE_RESTORE, queryOptions: ['$skiptoken'], handler: listBrowseSessions(family) },
    { method: 'GET', path: `${base}/{id}`, permissions: WRITE_RESTORE, handler: getBrowseSession(family) },
    { method: 'POST', path: `${base}/{id}/browse`, permissions: WRITE_RESTORE, handler: postBrowse(family) },
    { method: 'GET', path: `${base}/{id}/browse`, permissions: WRITE_RESTORE, queryOptions: ['$skiptoken'], handler: getBrowse(family) },
  ];
}

export const browseSessionRoutes: Route[] = [
  ...familyRoutes(BROWSE_FAMILIES.sharePoint),
  ...familyRoutes(BROWSE_FAMILIES.oneDriveForBusiness),
  {
    method: 'GET',
    path: `${ROOT}/browseSessions`,
    permissions: WRITE_RESTORE,
    queryOptions: ['$top', '$filter', '$skiptoken'],
    handler: listAllBrowseSessions,
  },
];

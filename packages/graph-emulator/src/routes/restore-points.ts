import { randomBytes } from 'node:crypto';
import type { Route } from '../http/router.js';
import type { GraphRequest } from '../http/types.js';
import type { EmulatorState } from '../model/state.js';
import type { EmulatorContext } from '../context.js';
import type { MailQuery, MailboxProtectionUnit, RestorePoint } from '../model/types.js';
import { READ_RESTORE_POINTS } from '../authority/caller.js';
import { GraphError, badRequest } from '../http/errors.js';
import { truncate } from '../http/router.js';
import {
  enumInput,
  evaluateFilter,
  parseFilter,
  parseSelect,
  parseTop,
  project,
  queryOption,
  validateFilter,
  type FilterFieldSpec,
  type FilterNode,
} from '../http/odata.js';
import { isGuid, isRestorePointId } from '../model/ids.js';
import { PROTECTION_UNIT_PROPERTIES, RESTORE_POINT_PROPERTIES, renderRestorePoint } from '../model/render-protection.js';
import { getUnit } from './protection-units.js';
import { mailHitCount, mailboxItems } from '../model/mail-items.js';
import { parseQueryExpression, parseStructuredQuery } from '../model/mail-query.js';

/**
 * Restore points: the list (`GET restorePoints`), get by id, the point's unit (`GET restorePoints/{id}/protectionUnit`)
 * and `POST restorePoints/search` (with an artifactQuery, over the seeded mail items of one mailbox).
 *
 * - The list is "at most 5, newest first" and therefore never pages: the doc example's nextLink contradicts its
 *   own limit, and the limit is what clients rely on.
 * - The `$expand=protectionUnit($filter=id eq '…')` option is what names the unit; without it Graph has no way to
 *   pick restore points, so it is required (400 InvalidSearchRequest). The `$filter` on protectionDateTime is
 *   optional here (the doc calls it required; leaving it out simply means "up to now").
 */

const ROOT = 'solutions/backupRestore';
/** Graph returns at most this many restore points from the list and per unit from search. */
export const MAX_LISTED_RESTORE_POINTS = 5;
/** Graph's limit on protectionUnitIds per search call. */
export const MAX_SEARCH_UNITS = 20;
/** Longest `$filter`, `$expand` or artifact query accepted (the same bound parseFilter applies). */
const MAX_FILTER_LENGTH = 2048;

const POINT_FILTER_FIELDS: Record<string, FilterFieldSpec> = { protectionDateTime: { kind: 'datetime' } };
const UNIT_FILTER_FIELDS: Record<string, FilterFieldSpec> = { id: { kind: 'string' } };

const invalidSearch = (message: string): GraphError => new GraphError(400, 'InvalidSearchRequest', message);
const invalidUnitId = (id: string): GraphError =>
  new GraphError(400, 'InvalidProtectionUnitId', `'${truncate(id)}' is not a valid protection unit id.`);

/** This API reports query problems as InvalidSearchRequest (Graph's error codes page); FilterLengthExceeded keeps its code. */
function asSearchError<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof GraphError && err.status === 400 && err.code === 'BadRequest') throw invalidSearch(err.message);
    throw err;
  }
}

// ---------------------------------------------------------------------------------------------- $expand

interface ExpandProtectionUnit {
  /** The nested `$filter`, unparsed. */
  filter?: string;
  /** The nested `$select`, unparsed. */
  select?: string;
}

/** Splits `s` at `sep` outside parentheses and single-quoted strings (`''` escapes a quote); 400 when unbalanced. */
function splitTopLevel(s: string, sep: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let inQuote = false;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (inQuote) {
      if (c === "'") {
        if (s[i + 1] === "'") i++;
        else inQuote = false;
      }
      continue;
    }
    if (c === "'") inQuote = true;
    else if (c === '(') depth++;
    else if (c === ')') {
      depth--;
      if (depth < 0) throw badRequest("Invalid $expand: unbalanced ')'.");
    } else if (c === sep && depth === 0) {
      parts.push(s.slice(start, i));
      start = i + 1;
    }
  }
  if (inQuote) throw badRequest('Invalid $expand: unterminated string literal.');
  if (depth !== 0) throw badRequest("Invalid $expand: ')' expected.");
  parts.push(s.slice(start));
  return parts;
}

/**
 * Parses `$expand`. The only navigation property of a restore point is `protectionUnit`, optionally with nested
 * options (`$filter`, `$select`, as allowed): `protectionUnit($filter=id eq 'x';$select=id,siteId)`.
 * Returns undefined when the request has no `$expand`.
 */
function parseExpand(query: URLSearchParams, nestedAllowed: readonly string[]): ExpandProtectionUnit | undefined {
  const raw = queryOption(query, '$expand');
  if (raw === undefined) return undefined;
  if (raw.length > MAX_FILTER_LENGTH) throw new GraphError(400, 'FilterLengthExceeded', 'The $expand expression is too long.');
  let result: ExpandProtectionUnit | undefined;
  for (const itemRaw of splitTopLevel(raw, ',')) {
    const item = itemRaw.trim();
    const open = item.indexOf('(');
    const name = (open === -1 ? item : item.slice(0, open)).trim();
    if (name !== '*' && name.toLowerCase() !== 'protectionunit') {
      throw badRequest(`Could not find a navigation property named '${truncate(name)}' on type 'microsoft.graph.restorePoint'.`);
    }
    if (result) throw badRequest("Invalid $expand: 'protectionUnit' is expanded more than once.");
    result = {};
    if (open === -1) continue;
    if (!item.endsWith(')')) throw badRequest("Invalid $expand: unexpected input after ')'.");
    const inner = item.slice(open + 1, -1);
    for (const optRaw of splitTopLevel(inner, ';')) {
      const opt = optRaw.trim();
      if (opt === '') continue;
      const eq = opt.indexOf('=');
      const optName = (eq === -1 ? opt : opt.slice(0, eq)).trim().toLowerCase();
      if (eq === -1 || !nestedAllowed.includes(optName)) {
        throw badRequest(`Query option '${truncate(optName)}' is not supported inside $expand=protectionUnit(...).`);
      }
      const value = opt.slice(eq + 1).trim();
      const key = optName === '$filter' ? 'filter' : 'select';
      if (result[key] !== undefined) throw badRequest(`Query option '${optName}' was specified more than once in $expand.`);
      result[key] = value;
    }
  }
  return result;
}

/** The protection unit ids named by the expand filter: `id eq 'x'`, `id in ('x','y')`, or an `or` of those. */
function unitIdsOfFilter(src: string): string[] {
  const node = asSearchError(() => parseFilter(src, UNIT_FILTER_FIELDS));
  const ids: string[] = [];
  const walk = (n: FilterNode): void => {
    if (n.op === 'or') {
      walk(n.left);
      walk(n.right);
    } else if ((n.op === 'eq' || n.op === 'in') && n.property === 'id') {
      for (const v of n.op === 'in' ? n.values : [n.value]) {
        if (typeof v !== 'string') throw invalidSearch("The protection unit filter takes a quoted id: id eq '<protection unit id>'.");
        ids.push(v);
      }
    } else {
      throw invalidSearch("The protection unit filter must have the form id eq '<protection unit id>'.");
    }
  };
  walk(node);
  for (const id of ids) if (!isGuid(id)) throw invalidUnitId(id);
  return ids;
}

/** A nested `$select` on the expanded unit, parsed with the top-level rules. */
function nestedSelect(select: string | undefined): string[] | undefined {
  if (select === undefined) return undefined;
  return parseSelect(new URLSearchParams([['$select', select]]), PROTECTION_UNIT_PROPERTIES);
}

function renderWithUnit(
  point: RestorePoint,
  state: EmulatorState,
  req: GraphRequest,
  unitSelect: string[] | undefined,
): Record<string, unknown> {
  const out = renderRestorePoint(point, req, { unit: state.unit(point.protectionUnitId) });
  const unit = out.protectionUnit;
  if (unitSelect && unit && typeof unit === 'object') out.protectionUnit = project(unit as Record<string, unknown>, unitSelect);
  return out;
}

// ---------------------------------------------------------------------------------------------- list

function parseOrderBy(query: URLSearchParams): 'asc' | 'desc' {
  const v = queryOption(query, '$orderby');
  if (v === undefined) return 'desc';
  const m = /^\s*protectionDateTime(?:\s+(asc|desc))?\s*$/i.exec(v);
  if (!m) throw badRequest(`$orderby '${truncate(v)}' is not supported: use protectionDateTime asc or protectionDateTime desc.`);
  return (m[1]?.toLowerCase() ?? 'asc') === 'desc' ? 'desc' : 'asc';
}

function listRestorePoints(req: GraphRequest, state: EmulatorState): Record<string, unknown> {
  const expand = parseExpand(req.query, ['$filter', '$select']);
  if (!expand?.filter) {
    throw invalidSearch("Restore points are listed per protection unit: add $expand=protectionUnit($filter=id eq '<protection unit id>').");
  }
  const unitIds = unitIdsOfFilter(expand.filter);
  const unitSelect = nestedSelect(expand.select);
  const order = parseOrderBy(req.query);
  const top = Math.min(parseTop(req.query, MAX_LISTED_RESTORE_POINTS), MAX_LISTED_RESTORE_POINTS);
  const filterSrc = queryOption(req.query, '$filter');
  let matches: ((p: RestorePoint) => boolean) | undefined;
  if (filterSrc !== undefined) {
    const node = asSearchError(() => parseFilter(filterSrc, POINT_FILTER_FIELDS));
    asSearchError(() => validateFilter(node, POINT_FILTER_FIELDS, req));
    matches = (p) => evaluateFilter(node, { protectionDateTime: p.protectionDateTime }, POINT_FILTER_FIELDS, req);
  }
  const seen = new Set<string>();
  let points: RestorePoint[] = [];
  for (const id of unitIds) {
    const key = id.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    // restorePointsByUnit is newest first; an unknown unit simply has no restore points.
    const list = state.restorePointsByUnit.get(key) ?? [];
    points.push(...(matches ? list.filter(matches) : list));
  }
  if (seen.size > 1) points.sort((a, b) => b.protectionDateTime - a.protectionDateTime);
  // Ordering comes first and the limit second, as OData applies them: `asc` gives the oldest matching points.
  if (order === 'asc') points = points.reverse();
  return {
    '@odata.context': `${req.origin}/${req.version}/$metadata#${ROOT}/restorePoints(protectionUnit())`,
    value: points.slice(0, top).map((p) => renderWithUnit(p, state, req, unitSelect)),
  };
}

// ---------------------------------------------------------------------------------------------- get

/** 400 InvalidRestorePointId for a malformed id, 404 RestorePointNotFound for an unknown one. */
function findRestorePoint(state: EmulatorState, id: string): RestorePoint {
  if (!isRestorePointId(id)) throw new GraphError(400, 'InvalidRestorePointId', `'${truncate(id)}' is not a valid restore point id.`);
  const point = state.restorePoint(id);
  if (!point) throw new GraphError(404, 'RestorePointNotFound', `The restore point '${id}' was not found.`);
  return point;
}

function getRestorePoint(req: GraphRequest, state: EmulatorState, id: string): Record<string, unknown> {
  const select = parseSelect(req.query, RESTORE_POINT_PROPERTIES);
  const expand = parseExpand(req.query, ['$select']);
  const point = findRestorePoint(state, id);
  const rendered = expand ? renderWithUnit(point, state, req, nestedSelect(expand.select)) : renderRestorePoint(point, req);
  const entity = project({ '@odata.context': `${req.origin}/${req.version}/$metadata#${ROOT}/restorePoints/$entity`, ...rendered }, select);
  // An expanded navigation property is returned whatever $select says, as OData does.
  if (expand && select) entity.protectionUnit = rendered.protectionUnit;
  return entity;
}

// ---------------------------------------------------------------------------------------------- search

function dateInput(value: unknown, field: string): number {
  const t = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(t)) throw invalidSearch(`'${field}' must be a DateTimeOffset such as 2024-01-01T00:00:00Z.`);
  return t;
}

const ARTIFACT_QUERY_KEYS = new Set(['queryExpression', 'artifactType', 'structuredQueryExpression']);

/**
 * The optional `artifactQuery` of a search, parsed (model/mail-query.ts), or undefined when the search has none. Beta
 * also takes `structuredQueryExpression` (the property v1.0 lacks), and either form there, never both.
 */
function artifactQueryInput(q: unknown, unitCount: number, req: GraphRequest): MailQuery | undefined {
  if (q === undefined || q === null) return undefined;
  if (typeof q !== 'object' || Array.isArray(q)) throw invalidSearch("'artifactQuery' must be an object.");
  const aq = q as Record<string, unknown>;
  for (const key of Object.keys(aq)) {
    if (key.startsWith('@') || (ARTIFACT_QUERY_KEYS.has(key) && (key !== 'structuredQueryExpression' || req.version === 'beta'))) continue;
    throw badRequest(`The property '${truncate(key)}' does not exist on type 'microsoft.graph.artifactQuery'.`);
  }
  if (
    aq.artifactType !== undefined &&
    aq.artifactType !== null &&
    (typeof aq.artifactType !== 'string' || aq.artifactType.toLowerCase() !== 'message')
  ) {
    const shown = typeof aq.artifactType === 'string' ? truncate(aq.artifactType) : typeof aq.artifactType;
    throw badRequest(`The value '${shown}' of 'artifactQuery.artifactType' is not a valid restorableArtifact value.`);
  }
  const expression = aq.queryExpression;
  const structured = aq.structuredQueryExpression;
  const hasStructured = structured !== undefined && structured !== null;
  if (expression !== undefined && expression !== null && hasStructured) {
    throw invalidSearch("Give 'artifactQuery.queryExpression' or 'artifactQuery.structuredQueryExpression', not both.");
  }
  if (!hasStructured && (typeof expression !== 'string' || expression.trim() === '')) {
    throw invalidSearch(`'artifactQuery.queryExpression'${req.version === 'beta' ? " (or 'structuredQueryExpression')" : ''} is required.`);
  }
  if (typeof expression === 'string' && expression.length > MAX_FILTER_LENGTH) {
    throw new GraphError(400, 'FilterLengthExceeded', 'The artifact query expression is too long.');
  }
  if (unitCount !== 1) throw invalidSearch('An artifactQuery search takes exactly one protection unit id.');
  return hasStructured ? parseStructuredQuery(structured, req) : parseQueryExpression(String(expression));
}

interface SearchInput {
  unitIds: string[];
  start: number;
  end: number;
  preference: string;
  tags: string;
  query: MailQuery | undefined;
}

function unitIdsInput(ids: unknown): string[] {
  if (!Array.isArray(ids) || ids.length === 0 || ids.length > MAX_SEARCH_UNITS) {
    throw invalidSearch(`'protectionUnitIds' must list between 1 and ${MAX_SEARCH_UNITS} protection unit ids.`);
  }
  const unitIds: string[] = [];
  const seen = new Set<string>();
  for (const id of ids) {
    if (typeof id !== 'string') throw invalidSearch("'protectionUnitIds' must be an array of strings.");
    if (!isGuid(id)) throw invalidUnitId(id);
    if (seen.has(id.toLowerCase())) continue;
    seen.add(id.toLowerCase());
    unitIds.push(id);
  }
  return unitIds;
}

function searchInput(req: GraphRequest): SearchInput {
  const body = req.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw invalidSearch('The request body must be a JSON object with protectionUnitIds and protectionTimePeriod.');
  }
  const o = body as Record<string, unknown>;
  const unitIds = unitIdsInput(o.protectionUnitIds);
  const period = o.protectionTimePeriod;
  if (typeof period !== 'object' || period === null || Array.isArray(period)) {
    throw invalidSearch("'protectionTimePeriod' with a 'startDateTime' is required.");
  }
  const p = period as Record<string, unknown>;
  if (p.startDateTime === undefined || p.startDateTime === null) throw invalidSearch("'protectionTimePeriod.startDateTime' is required.");
  const start = dateInput(p.startDateTime, 'protectionTimePeriod.startDateTime');
  // endDateTime is optional: example 2 of the search page sends only the start.
  const end =
    p.endDateTime === undefined || p.endDateTime === null
      ? Number.POSITIVE_INFINITY
      : dateInput(p.endDateTime, 'protectionTimePeriod.endDateTime');
  if (end < start) throw invalidSearch("'protectionTimePeriod.endDateTime' is before its startDateTime.");
  const preference = enumInput('restorePointPreference', o.restorePointPreference, req, 'restorePointPreference') ?? 'latest';
  // The search page's tags table writes PascalCase (`FastRestore`) while its examples send camelCase: both match.
  // restorePointTags is a flags enum, so `none` asks for no particular tag and filters nothing.
  const tags = enumInput('restorePointTags', o.tags, req, 'tags') ?? 'none';
  const query = artifactQueryInput(o.artifactQuery, unitIds.length, req);
  return { unitIds, start, end, preference, tags, query };
}

/** The one restore point of a unit a search answers: the latest (or oldest) in the period with the tags asked for. */
function pickPoint(list: readonly RestorePoint[], input: SearchInput): RestorePoint | undefined {
  const inPeriod = (pt: RestorePoint): boolean =>
    pt.protectionDateTime >= input.start && pt.protectionDateTime <= input.end && (input.tags === 'none' || pt.tags === input.tags);
  // Newest first: `latest` is the first match, `oldest` the last.
  if (input.preference !== 'oldest') return list.find(inPeriod);
  for (let i = list.length - 1; i >= 0; i--) if (inPeriod(list[i]!)) return list[i];
  return undefined;
}

/**
 * `POST restorePoints/search`. One restore point per protection unit: the v1.0 page says so where the beta page says
 * "at most five"; it also matches the page's example 1 (four units, three results, one without). With an artifactQuery
 * (one mailbox), each result counts the mailbox's items in that point that match, and the search is kept so that a
 * granular Exchange restore can name its searchResponseId.
 */
function searchRestorePoints(req: GraphRequest, ctx: EmulatorContext): Record<string, unknown> {
  const state = ctx.state;
  const input = searchInput(req);
  const searchResponseId = randomBytes(18).toString('base64url');
  let mailbox: MailboxProtectionUnit | undefined;
  if (input.query) {
    const unit = state.unit(input.unitIds[0] ?? '');
    if (unit && unit.kind !== 'mailbox') {
      throw invalidSearch(`An artifactQuery searches mailbox items: '${unit.id}' is not a mailbox protection unit.`);
    }
    mailbox = unit;
    if (mailbox)
      state.addMailSearch({ id: searchResponseId, mailboxUnitId: mailbox.id, query: input.query, createdDateTime: ctx.clock.now() });
  }
  const items = mailbox ? mailboxItems(state, mailbox) : [];
  const searchResults: Array<Record<string, unknown>> = [];
  const noResultProtectionUnitIds: string[] = [];
  for (const id of input.unitIds) {
    const found = pickPoint(state.restorePointsByUnit.get(id.toLowerCase()) ?? [], input);
    if (!found) {
      noResultProtectionUnitIds.push(id);
      continue;
    }
    const result: Record<string, unknown> = {};
    if (input.query) result.artifactHitCount = mailHitCount(input.query, items, found.protectionDateTime);
    result.restorePoint = renderWithUnit(found, state, req, undefined);
    searchResults.push(result);
  }
  return {
    '@odata.context': `${req.origin}/${req.version}/$metadata#microsoft.graph.restorePointSearchResponse`,
    searchResponseId,
    searchResults,
    noResultProtectionUnitIds,
  };
}

export const restorePointRoutes: Route[] = [
  {
    method: 'GET',
    path: `${ROOT}/restorePoints`,
    permissions: READ_RESTORE_POINTS,
    queryOptions: ['$expand', '$filter', '$orderby', '$top'],
    handler: (req, _p, ctx) => ({ status: 200, body: listRestorePoints(req, ctx.state) }),
  },
  {
    method: 'GET',
    path: `${ROOT}/restorePoints/{id}`,
    permissions: READ_RESTORE_POINTS,
    queryOptions: ['$expand', '$select'],
    handler: (req, { id = '' }, ctx) => ({ status: 200, body: getRestorePoint(req, ctx.state, id) }),
  },
  {
    // The navigation property, for a client that cannot `$expand` it. protectionUnit is not contained in the restore
    // point (units live in `protectionUnits`), so its context names that entity set, as for an artifact's restorePoint.
    // A point whose unit is gone answers the unit get's 404 ProtectionUnitNotFound.
    method: 'GET',
    path: `${ROOT}/restorePoints/{id}/protectionUnit`,
    permissions: READ_RESTORE_POINTS,
    queryOptions: ['$select'],
    handler: (req, { id = '' }, ctx) =>
      getUnit(req, ctx.state, findRestorePoint(ctx.state, id).protectionUnitId, `${ROOT}/protectionUnits`),
  },
  {
    method: 'POST',
    path: `${ROOT}/restorePoints/search`,
    permissions: READ_RESTORE_POINTS,
    handler: (req, _p, ctx) => ({ status: 200, body: searchRestorePoints(req, ctx) }),
  },
];

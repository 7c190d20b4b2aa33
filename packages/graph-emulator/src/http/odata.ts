import type { GraphRequest } from './types.js';
import { GraphError, badRequest } from './errors.js';
import { truncate } from './router.js';

/**
 * OData conventions the backup API uses: evolvable enums, `$top` / `$skiptoken` paging with absolute nextLinks,
 * `$count`, `$select`, and a `$filter` subset (eq, ne, in, lt, le, gt, ge, and, or, parentheses).
 */

// ---------------------------------------------------------------------------------------------- evolvable enums

export const ENUMS = {
  restoreSessionStatus: ['draft', 'activating', 'active', 'completedWithError', 'completed', 'unknownFutureValue', 'failed'],
  artifactRestoreStatus: ['added', 'scheduling', 'scheduled', 'inProgress', 'succeeded', 'failed', 'unknownFutureValue'],
  destinationType: ['new', 'inPlace', 'unknownFutureValue'],
  restoreJobType: ['standard', 'bulk', 'unknownFutureValue', 'granular'],
  restorePointTags: ['none', 'fastRestore', 'unknownFutureValue', 'includeNewerItems'],
  restorePointPreference: ['latest', 'oldest', 'unknownFutureValue'],
  restoreArtifactsBulkRequestStatus: ['unknown', 'active', 'completed', 'completedWithErrors', 'unknownFutureValue'],
  // Metadata order: the offboarding members were added after the sentinel, so old clients see unknownFutureValue.
  protectionUnitStatus: [
    'protectRequested',
    'protected',
    'unprotectRequested',
    'unprotected',
    'removeRequested',
    'unknownFutureValue',
    'offboardRequested',
    'offboarded',
    'cancelOffboardRequested',
  ],
  browseSessionStatus: ['creating', 'created', 'failed', 'unknownFutureValue'],
  browsableResourceType: ['none', 'site', 'documentLibrary', 'folder', 'unknownFutureValue'],
  browseQueryOrder: ['pathAsc', 'pathDsc', 'nameAsc', 'nameDsc', 'unknownFutureValue'],
  browseQueryResponseItemType: ['none', 'site', 'documentLibrary', 'folder', 'file', 'unknownFutureValue'],
  // Beta (structuredQueryExpression.items), in the page's order.
  granularRestoreItems: ['email', 'note', 'contact', 'task', 'calendar', 'unknownFutureValue'],
} as const;
export type EnumName = keyof typeof ENUMS;

/**
 * Members only the beta metadata declares (Microsoft's beta SDK): on v1.0 they are not members at all, so a v1.0
 * caller never sees them (even with the Prefer header) and may not send them.
 */
const BETA_ONLY_MEMBERS: Partial<Record<EnumName, readonly string[]>> = { restorePointTags: ['includeNewerItems'] };

/** What enum handling reads from a request: the Prefer header and, for beta-only members, the version. */
export type EnumRequest = Pick<GraphRequest, 'includeUnknownEnumMembers'> & Partial<Pick<GraphRequest, 'version'>>;

function notInVersion(enumName: EnumName, value: string, req: EnumRequest): boolean {
  return req.version === 'v1.0' && (BETA_ONLY_MEMBERS[enumName]?.includes(value) ?? false);
}

/** True when `value` is declared after `unknownFutureValue`, so old clients must not see it (Graph's evolvable enums). */
export function isGatedMember(enumName: EnumName, value: string): boolean {
  const members: readonly string[] = ENUMS[enumName];
  const i = members.indexOf(value);
  return i > members.indexOf('unknownFutureValue');
}

/** What a caller sees of an enum value: members after the sentinel only with `Prefer: include-unknown-enum-members`. */
export function evolvable(enumName: EnumName, value: string, req: EnumRequest): string {
  if (notInVersion(enumName, value, req)) return 'unknownFutureValue';
  return !req.includeUnknownEnumMembers && isGatedMember(enumName, value) ? 'unknownFutureValue' : value;
}

/**
 * Reads an enum value from a request body. As Graph does for evolvable enums, `unknownFutureValue` itself is refused,
 * and so is a member after it unless the caller sent the Prefer header. Returns undefined when absent.
 */
export function enumInput(enumName: EnumName, value: unknown, req: EnumRequest, field: string, code = 'BadRequest'): string | undefined {
  if (value === undefined || value === null) return undefined;
  const members: readonly string[] = ENUMS[enumName];
  const match = typeof value === 'string' ? members.find((m) => m.toLowerCase() === value.toLowerCase()) : undefined;
  if (
    !match ||
    match === 'unknownFutureValue' ||
    notInVersion(enumName, match, req) ||
    (isGatedMember(enumName, match) && !req.includeUnknownEnumMembers)
  ) {
    const shown = typeof value === 'string' ? truncate(value) : typeof value;
    throw new GraphError(400, code, `The value '${shown}' of '${field}' is not a valid ${enumName} value.`);
  }
  return match;
}

// ---------------------------------------------------------------------------------------------- query options

/** Throws 400 for a `$` option the endpoint does not support, or one given twice. */
export function checkQueryOptions(query: URLSearchParams, allowed: readonly string[]): void {
  const seen = new Set<string>();
  for (const name of query.keys()) {
    if (!name.startsWith('$')) continue; // OData custom query options are ignored, as Graph does.
    const lower = name.toLowerCase();
    if (!allowed.some((a) => a.toLowerCase() === lower)) {
      throw new GraphError(400, 'BadRequest', `Query option '${truncate(name)}' is not supported on this resource.`);
    }
    if (seen.has(lower)) throw badRequest(`Query option '${truncate(name)}' was specified more than once.`);
    seen.add(lower);
  }
}

/** Case-insensitive lookup of a `$` option. */
export function queryOption(query: URLSearchParams, name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const [k, v] of query) if (k.toLowerCase() === lower) return v;
  return undefined;
}

export function parseCount(query: URLSearchParams): boolean {
  const v = queryOption(query, '$count');
  if (v === undefined) return false;
  if (v === 'true') return true;
  if (v === 'false') return false;
  throw badRequest(`Invalid value '${truncate(v)}' for $count: expected true or false.`);
}

/** `$select`: a comma-separated list of the given properties (case-insensitive); undefined when absent. */
export function parseSelect(query: URLSearchParams, properties: readonly string[]): string[] | undefined {
  const v = queryOption(query, '$select');
  if (v === undefined) return undefined;
  const out: string[] = [];
  for (const raw of v.split(',')) {
    const name = raw.trim();
    if (name === '*') return undefined;
    const match = properties.find((p) => p.toLowerCase() === name.toLowerCase());
    if (!match) throw badRequest(`Could not find a property named '${truncate(name)}' for $select.`);
    if (!out.includes(match)) out.push(match);
  }
  if (out.length === 0) throw badRequest('$select must name at least one property.');
  return out;
}

/** Keeps the OData annotations and the selected properties of a rendered entity. */
export function project(entity: Record<string, unknown>, select: string[] | undefined): Record<string, unknown> {
  if (!select) return entity;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(entity)) if (k.startsWith('@odata.') || select.includes(k)) out[k] = v;
  return out;
}

// ---------------------------------------------------------------------------------------------- paging

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

interface SkipToken {
  /** Offset into the filtered list. */
  o: number;
}

function encodeSkipToken(token: SkipToken): string {
  return Buffer.from(JSON.stringify({ v: 1, ...token })).toString('base64url');
}

function decodeSkipToken(raw: string): SkipToken {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    if (typeof parsed === 'object' && parsed !== null && 'o' in parsed) {
      const o = (parsed as { o: unknown }).o;
      if (typeof o === 'number' && Number.isInteger(o) && o >= 0) return { o };
    }
  } catch {
    // fall through
  }
  throw badRequest('The $skiptoken is invalid or has expired.', 'BadRequest');
}

export function parseTop(query: URLSearchParams, defaultSize = DEFAULT_PAGE_SIZE): number {
  const v = queryOption(query, '$top');
  if (v === undefined) return defaultSize;
  if (!/^\d{1,9}$/.test(v) || Number(v) < 1) throw badRequest(`Invalid value '${truncate(v)}' for $top: expected a positive integer.`);
  // Above the maximum we cap the page size (Graph's paging page lets an API cap, ignore or reject it).
  return Math.min(Number(v), MAX_PAGE_SIZE);
}

/** The path of a request, re-encoded, for nextLinks and `@odata.id`. */
export function requestPath(req: Pick<GraphRequest, 'segments'>): string {
  return req.segments.map((s) => encodeURIComponent(s).replace(/%24/g, '$')).join('/');
}

export interface CollectionOptions<T> {
  /** The `@odata.context` after `$metadata#`, e.g. `solutions/backupRestore/restoreSessions`. */
  context: string;
  render: (item: T) => Record<string, unknown>;
  defaultPageSize?: number;
  /** The collection supports `$count=true`. */
  count?: boolean;
}

/** One page of a collection with `@odata.nextLink` (absolute, on the host the request came to) when more remain. */
export function collectionPage<T>(req: GraphRequest, items: readonly T[], opts: CollectionOptions<T>): Record<string, unknown> {
  const top = parseTop(req.query, opts.defaultPageSize);
  const skip = queryOption(req.query, '$skiptoken');
  const offset = skip === undefined ? 0 : decodeSkipToken(skip).o;
  const page = items.slice(offset, offset + top);
  const body: Record<string, unknown> = {
    '@odata.context': `${req.origin}/${req.version}/$metadata#${opts.context}`,
  };
  if (opts.count && parseCount(req.query)) body['@odata.count'] = items.length;
  if (offset + top < items.length) {
    const params: string[] = [];
    for (const [k, v] of req.query) {
      if (k.toLowerCase() === '$skiptoken') continue;
      params.push(`${encodeQueryPart(k)}=${encodeQueryPart(v)}`);
    }
    params.push(`$skiptoken=${encodeSkipToken({ o: offset + top })}`);
    body['@odata.nextLink'] = `${req.origin}/${req.version}/${requestPath(req)}?${params.join('&')}`;
  }
  body.value = page.map(opts.render);
  return body;
}

function encodeQueryPart(s: string): string {
  return encodeURIComponent(s).replace(/%24/g, '$').replace(/%2C/gi, ',').replace(/%20/g, '%20');
}

// ---------------------------------------------------------------------------------------------- $filter

export type FilterValue = string | number | boolean | null | { datetime: number };

export type FilterNode =
  | { op: 'and'; left: FilterNode; right: FilterNode }
  | { op: 'or'; left: FilterNode; right: FilterNode }
  | { op: 'not'; operand: FilterNode }
  | { op: 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge'; property: string; value: FilterValue }
  | { op: 'in'; property: string; values: FilterValue[] };

export type FilterFieldSpec = { kind: 'enum'; enumName: EnumName } | { kind: 'string' } | { kind: 'datetime' };

const TOKEN =
  /\s*(?:(\()|(\))|(,)|'((?:[^']|'')*)'|([A-Za-z_][A-Za-z0-9_.]*)'((?:[^']|'')*)'|(\d{4}-\d{2}-\d{2}T[0-9:.]+(?:Z|[+-]\d{2}:\d{2}))|(-?\d+(?:\.\d+)?)|([A-Za-z_][A-Za-z0-9_/]*))/y;

type Tok =
  | { t: 'lp' }
  | { t: 'rp' }
  | { t: 'comma' }
  | { t: 'str'; v: string }
  | { t: 'dt'; v: number }
  | { t: 'num'; v: number }
  | { t: 'id'; v: string };

function tokenize(src: string): Tok[] {
  const out: Tok[] = [];
  TOKEN.lastIndex = 0;
  let pos = 0;
  while (pos < src.length) {
    if (/^\s*$/.test(src.slice(pos))) break;
    TOKEN.lastIndex = pos;
    const m = TOKEN.exec(src);
    if (!m) throw invalidFilter(`unexpected input at position ${pos}`);
    pos = TOKEN.lastIndex;
    if (m[1]) out.push({ t: 'lp' });
    else if (m[2]) out.push({ t: 'rp' });
    else if (m[3]) out.push({ t: 'comma' });
    else if (m[4] !== undefined) out.push({ t: 'str', v: m[4].replace(/''/g, "'") });
    else if (m[5] !== undefined)
      out.push({ t: 'str', v: (m[6] ?? '').replace(/''/g, "'") }); // microsoft.graph.x'value'
    else if (m[7]) {
      const v = Date.parse(m[7]);
      if (Number.isNaN(v)) throw invalidFilter(`'${truncate(m[7])}' is not a valid date`);
      out.push({ t: 'dt', v });
    } else if (m[8]) out.push({ t: 'num', v: Number(m[8]) });
    else if (m[9]) out.push({ t: 'id', v: m[9] });
  }
  return out;
}

function invalidFilter(detail: string): GraphError {
  return badRequest(`Invalid filter clause: ${detail}.`, 'BadRequest');
}

/** Parses `$filter` against the given fields. Unknown properties, operators and enum members are 400. */
export function parseFilter(src: string, fields: Record<string, FilterFieldSpec>): FilterNode {
  if (src.length > 2048) throw new GraphError(400, 'FilterLengthExceeded', 'The $filter expression is too long.');
  const toks = tokenize(src);
  let i = 0;
  const peek = (): Tok | undefined => toks[i];
  const keyword = (word: string): boolean => {
    const t = peek();
    if (t && t.t === 'id' && t.v.toLowerCase() === word) {
      i++;
      return true;
    }
    return false;
  };
  const literal = (): FilterValue => {
    const t = toks[i++];
    if (!t) throw invalidFilter('a value is missing');
    if (t.t === 'str') return t.v;
    if (t.t === 'dt') return { datetime: t.v };
    if (t.t === 'num') return t.v;
    if (t.t === 'id' && t.v === 'null') return null;
    if (t.t === 'id' && (t.v === 'true' || t.v === 'false')) return t.v === 'true';
    throw invalidFilter('a value was expected');
  };
  const property = (): string => {
    const t = toks[i++];
    if (!t || t.t !== 'id') throw invalidFilter('a property name was expected');
    const match = Object.keys(fields).find((f) => f.toLowerCase() === t.v.toLowerCase());
    if (!match) throw invalidFilter(`could not find a property named '${truncate(t.v)}'`);
    return match;
  };
  const primary = (): FilterNode => {
    const t = peek();
    if (t?.t === 'lp') {
      i++;
      const inner = or();
      if (peek()?.t !== 'rp') throw invalidFilter("')' expected");
      i++;
      return inner;
    }
    if (keyword('not')) return { op: 'not', operand: primary() };
    const prop = property();
    const opTok = toks[i++];
    const op = opTok?.t === 'id' ? opTok.v.toLowerCase() : '';
    if (op === 'in') {
      if (peek()?.t !== 'lp') throw invalidFilter("'(' expected after 'in'");
      i++;
      const values: FilterValue[] = [literal()];
      while (peek()?.t === 'comma') {
        i++;
        values.push(literal());
      }
      if (peek()?.t !== 'rp') throw invalidFilter("')' expected");
      i++;
      return { op: 'in', property: prop, values };
    }
    if (op === 'eq' || op === 'ne' || op === 'lt' || op === 'le' || op === 'gt' || op === 'ge') {
      return { op, property: prop, value: literal() };
    }
    throw invalidFilter(`unsupported operator '${truncate(op)}'`);
  };
  const and = (): FilterNode => {
    let left = primary();
    while (keyword('and')) left = { op: 'and', left, right: primary() };
    return left;
  };
  const or = (): FilterNode => {
    let left = and();
    while (keyword('or')) left = { op: 'or', left, right: and() };
    return left;
  };
  if (toks.length === 0) throw invalidFilter('the expression is empty');
  const node = or();
  if (i !== toks.length) throw invalidFilter('unexpected trailing input');
  return node;
}

/**
 * Checks the literals of a parsed filter against the field types: enum members must exist, members after
 * `unknownFutureValue` need the Prefer header, datetimes compare with datetimes.
 */
export function validateFilter(node: FilterNode, fields: Record<string, FilterFieldSpec>, req: EnumRequest): void {
  const check = (property: string, value: FilterValue, op: string): void => {
    const spec = fields[property]!;
    if (spec.kind === 'enum') {
      if (op !== 'eq' && op !== 'ne' && op !== 'in') throw invalidFilter(`operator '${op}' is not supported on '${property}'`);
      const members: readonly string[] = ENUMS[spec.enumName];
      if (typeof value !== 'string' || !members.includes(value) || notInVersion(spec.enumName, value, req)) {
        throw invalidFilter(`'${truncate(String(value))}' is not a valid ${spec.enumName} value`);
      }
      if (isGatedMember(spec.enumName, value) && !req.includeUnknownEnumMembers) {
        throw invalidFilter(`'${value}' is an evolvable enum member: send 'Prefer: include-unknown-enum-members' to filter on it`);
      }
    } else if (spec.kind === 'datetime') {
      if (typeof value !== 'object' || value === null) throw invalidFilter(`'${property}' takes a DateTimeOffset value`);
    } else if (typeof value !== 'string' && value !== null) {
      throw invalidFilter(`'${property}' takes a string value`);
    }
  };
  const walk = (n: FilterNode): void => {
    if (n.op === 'and' || n.op === 'or') {
      walk(n.left);
      walk(n.right);
    } else if (n.op === 'not') walk(n.operand);
    else if (n.op === 'in') n.values.forEach((v) => check(n.property, v, 'in'));
    else check(n.property, n.value, n.op);
  };
  walk(node);
}

/**
 * Evaluates a filter on an entity's raw values (before enum gating). Without the Prefer header,
 * `unknownFutureValue` matches every member after the sentinel, as the caller would see them.
 */
export function evaluateFilter(
  node: FilterNode,
  values: Record<string, string | number | null>,
  fields: Record<string, FilterFieldSpec>,
  req: EnumRequest,
): boolean {
  const seen = (property: string): string | number | null => {
    const v = values[property] ?? null;
    const spec = fields[property];
    if (spec?.kind === 'enum' && typeof v === 'string') return evolvable(spec.enumName, v, req);
    return v;
  };
  const cmp = (property: string, op: string, value: FilterValue): boolean => {
    const actual = seen(property);
    const expected = typeof value === 'object' && value !== null ? value.datetime : value;
    if (typeof actual === 'string' && typeof expected === 'string') {
      const a = fields[property]?.kind === 'string' ? actual.toLowerCase() : actual;
      const e = fields[property]?.kind === 'string' ? expected.toLowerCase() : expected;
      if (op === 'eq') return a === e;
      if (op === 'ne') return a !== e;
      return false;
    }
    if (actual === null || expected === null) return op === 'eq' ? actual === expected : op === 'ne' ? actual !== expected : false;
    if (typeof actual === 'number' && typeof expected === 'number') {
      switch (op) {
        case 'eq':
          return actual === expected;
        case 'ne':
          return actual !== expected;
        case 'lt':
          return actual < expected;
        case 'le':
          return actual <= expected;
        case 'gt':
          return actual > expected;
        case 'ge':
          return actual >= expected;
      }
    }
    return false;
  };
  const walk = (n: FilterNode): boolean => {
    if (n.op === 'and') return walk(n.left) && walk(n.right);
    if (n.op === 'or') return walk(n.left) || walk(n.right);
    if (n.op === 'not') return !walk(n.operand);
    if (n.op === 'in') return n.values.some((v) => cmp(n.property, 'eq', v));
    return cmp(n.property, n.op, n.value);
  };
  return walk(node);
}

/** Parses, validates and returns a predicate for `$filter`, or undefined when the request has none. */
export function filterPredicate(
  req: GraphRequest,
  fields: Record<string, FilterFieldSpec>,
): ((values: Record<string, string | number | null>) => boolean) | undefined {
  const src = queryOption(req.query, '$filter');
  if (src === undefined) return undefined;
  const node = parseFilter(src, fields);
  validateFilter(node, fields, req);
  return (values) => evaluateFilter(node, values, fields, req);
}

/** Graph's placeholder for a date that is not set. */
export const NULL_DATE = '0001-01-01T00:00:00Z';

export function isoDate(ms: number | null | undefined): string {
  return ms === null || ms === undefined ? NULL_DATE : new Date(ms).toISOString();
}

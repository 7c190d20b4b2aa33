import { createHash } from 'node:crypto';
import { GraphInputError, GraphProtocolError } from './errors.js';
import { BACKUP_RESTORE_ROOT, trustedPath, type GraphPath } from './url.js';

/**
 * Paging: Graph's `@odata.nextLink` and the gateway's opaque GraphQL cursors.
 *
 * nextLinks are re-rooted: only the path and query after the version segment are kept and sent
 * to the configured base (top level) or as a relative URL (inside `$batch`), so a nextLink naming
 * another host — by mistake or by malice — never receives a request or a token. It must also stay
 * under `/solutions/backupRestore`.
 *
 * A GraphQL cursor is base64url of `{v, l, t?, s?, o}`: the Graph page it falls in (its
 * `$skiptoken` `t` or `$skip` `s`; neither for the first page), `o` items into that page, and `l`
 * a short hash of the list it came from (path and filter), so a cursor of one list is refused on
 * another. Every edge has a cursor; the page is re-read from Graph's continuation with
 * `$top = o + first`, so cursors work with any page size. Cursors say nothing about the items,
 * only positions; an item added meanwhile may shift a page, as it would on Graph.
 */

/** The largest `$top` sent; Graph caps or refuses larger ones depending on the API. */
export const MAX_TOP = 100;
const MAX_CURSOR_LENGTH = 4096;

/** A Relay connection page, shaped as the GraphQL connection types are (no mapper needed). */
export interface GraphPage<T> {
  edges: Array<{ cursor: string; node: T }>;
  nodes: T[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  /** From `$count=true`; null when Graph did not say. */
  totalCount: number | null;
}

/** Where a Graph page starts: its `$skiptoken` or `$skip`, or neither for the first page. */
export interface Continuation {
  skiptoken?: string;
  skip?: number;
}

export interface CursorData extends Continuation {
  /** Items into the Graph page that starts at the continuation. */
  offset: number;
  /**
   * Which of the list's filter clauses (a bit each, in the list's order) the gateway applies itself because Graph
   * refused them: the continuation and offset then count positions in the list Graph sent unfiltered, so the pages that
   * follow must be filtered the same way whatever Graph allows by then.
   */
  local?: number;
  /** Items of the list before this position, when known: a page that then reaches the list's end can count it. */
  index?: number;
}

/** A page request as resolved from `first` and `after`. */
export interface PageRequest {
  /** Identity of the list: what a cursor must have been made for. */
  list: string;
  first: number;
  start: CursorData;
  /** Whether the caller passed `after`. */
  resumed: boolean;
}

/** Checks `first` (1..max) and decodes `after` for the list named by `list`. */
export function pageRequest(list: string, first: number | null | undefined, after: string | null | undefined, max = MAX_TOP): PageRequest {
  const n = first ?? 20;
  if (!Number.isInteger(n) || n < 1 || n > max) throw new GraphInputError('first', `'first' must be an integer from 1 to ${max}.`);
  const listTag = tag(list);
  if (after === undefined || after === null) return { list: listTag, first: n, start: { offset: 0 }, resumed: false };
  return { list: listTag, first: n, start: decodeCursor(after, listTag), resumed: true };
}

function tag(list: string): string {
  return createHash('sha256').update(list).digest('base64url').slice(0, 10);
}

/** The cursor of a position in the list `listTag` names (see above). */
export function encodeCursor(listTag: string, data: CursorData): string {
  const json: Record<string, unknown> = { v: 1, l: listTag, o: data.offset };
  if (data.skiptoken !== undefined) json.t = data.skiptoken;
  if (data.skip !== undefined) json.s = data.skip;
  if (data.local) json.g = data.local;
  if (data.index !== undefined) json.i = data.index;
  return Buffer.from(JSON.stringify(json)).toString('base64url');
}

function decodeCursor(raw: string, listTag: string): CursorData {
  const invalid = (why: string): never => {
    throw new GraphInputError('after', `'after' is not a cursor of this list (${why}); pass a cursor this list returned.`);
  };
  if (raw.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(raw)) invalid('malformed');
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    return invalid('malformed');
  }
  if (typeof parsed !== 'object' || parsed === null) return invalid('malformed');
  const c = parsed as Record<string, unknown>;
  if (c.v !== 1) invalid('unknown version');
  if (c.l !== listTag) invalid('made for another list or filter');
  const offset = c.o;
  if (typeof offset !== 'number' || !Number.isInteger(offset) || offset < 0 || offset > MAX_TOP) return invalid('malformed');
  const data: CursorData = { offset };
  if (c.t !== undefined) {
    if (typeof c.t !== 'string' || c.t.length === 0 || c.t.length > 2048) invalid('malformed');
    data.skiptoken = c.t as string;
  }
  if (c.s !== undefined) {
    if (typeof c.s !== 'number' || !Number.isInteger(c.s) || c.s < 0) invalid('malformed');
    data.skip = c.s as number;
  }
  if (c.g !== undefined) {
    if (typeof c.g !== 'number' || !Number.isInteger(c.g) || c.g < 0 || c.g > 0xff) invalid('malformed');
    data.local = c.g as number;
  }
  if (c.i !== undefined) {
    if (typeof c.i !== 'number' || !Number.isInteger(c.i) || c.i < 0 || c.i > 1e9) invalid('malformed');
    data.index = c.i as number;
  }
  return data;
}

/** The `$skiptoken` or `$skip` a nextLink continues from; undefined when it carries neither. */
export function continuationOf(nextLink: string): Continuation | undefined {
  const q = nextLink.indexOf('?');
  if (q === -1) return undefined;
  const query = new URLSearchParams(nextLink.slice(q + 1).split('#')[0]);
  for (const [name, value] of query) {
    const lower = name.toLowerCase();
    if (lower === '$skiptoken' && value !== '') return { skiptoken: value };
    if (lower === '$skip' && /^\d+$/.test(value)) return { skip: Number(value) };
  }
  return undefined;
}

const VERSION_SEGMENT = /^(v1\.0|beta)$/i;

/**
 * The path and query of a nextLink, relative to the version root: what follows the version segment
 * of an absolute link (whatever its host), or a relative link as is. Refuses anything outside the
 * backup API.
 */
export function rerootNextLink(nextLink: string): GraphPath {
  let url: URL;
  try {
    // The placeholder base only resolves relative links and dot segments; its host is never used.
    url = new URL(nextLink.startsWith('/') || /^[a-z][a-z0-9+.-]*:/i.test(nextLink) ? nextLink : `/${nextLink}`, 'https://graph.invalid');
  } catch {
    throw new GraphProtocolError('Microsoft Graph returned a nextLink that is not a URL.');
  }
  const segments = url.pathname.split('/');
  const version = segments.findIndex((s) => VERSION_SEGMENT.test(s));
  const path = version === -1 ? url.pathname : `/${segments.slice(version + 1).join('/')}`;
  const lower = path.toLowerCase();
  const root = BACKUP_RESTORE_ROOT.toLowerCase();
  if (lower !== root && !lower.startsWith(`${root}/`)) {
    throw new GraphProtocolError('Microsoft Graph returned a nextLink outside the backup-storage API.');
  }
  return trustedPath(`${path}${url.search}`);
}

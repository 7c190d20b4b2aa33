import { createHash } from 'node:crypto';
import type { GraphBrowseQueryResponseItem, GraphCollectionPage } from './dto.js';
import { GraphInputError, GraphProtocolError } from './errors.js';
import { MAX_TOP, rerootNextLink, type GraphPage } from './paging.js';
import type { GraphPath } from './url.js';

/**
 * Paging of a browse listing: Graph's fixed-size pages (50 items, no `$top`) read until a GraphQL page of `first` items
 * is filled, and the gateway's cursors over them.
 *
 * A listing's first Graph page is the answer to `POST …/browse` with the listing's parameters; later pages are `GET`s of
 * the `@odata.nextLink` each page names (`…/browse?$skiptoken=…`, re-rooted onto the configured Graph base like every
 * nextLink). A cursor is base64url of `{v, l, n?, o}`: `n` the re-rooted nextLink of the Graph page the position falls
 * in (absent for the first page, which is asked for again with the same POST), `o` items into that page, and `l` a short
 * hash of the listing (session, location, filter and order), so a cursor of one listing is refused by another. A
 * nextLink taken from a cursor must still name this session's browse action, so no cursor can send a request anywhere
 * else. Cursors name positions, not items: an item added meanwhile may shift a page, as it would on Graph.
 */

/** What one Graph exchange of a listing answered, for the audit log. */
export interface BrowseExchange {
  method: 'POST' | 'GET';
  status: number;
  requestId: string | null;
  clientRequestId: string;
}

/** A GraphQL page of a listing, and the Graph exchanges that made it. */
export interface BrowsePage<N> extends GraphPage<N> {
  exchanges: BrowseExchange[];
}

/** What reading a listing needs from the Graph client: its first page, and a page a nextLink names. */
export interface BrowsePageSource {
  first(): Promise<BrowseAnswer>;
  next(path: GraphPath): Promise<BrowseAnswer>;
}

export interface BrowseAnswer {
  body: GraphCollectionPage<GraphBrowseQueryResponseItem> | null | undefined;
  exchange: BrowseExchange;
}

export interface BrowsePageRequest {
  /** Identity of the listing: what a cursor must have been made for. */
  listing: string;
  /** The session's browse action (`graphPaths.browse`): every nextLink followed must be under it. */
  browsePath: GraphPath;
  first: number | null | undefined;
  after: string | null | undefined;
}

const DEFAULT_FIRST = 50;
/** Graph's skiptokens here are opaque and may carry the listing's parameters: room for long ones. */
const MAX_CURSOR_LENGTH = 16_384;
/** Graph's own pages are 50 items; a larger offset than this is not one of the gateway's cursors. */
const MAX_OFFSET = 1000;
/** Graph pages read at most for one GraphQL page: bounds a run of empty pages. */
const MAX_PAGES = 10;

interface Position {
  /** The re-rooted nextLink of the Graph page; undefined: the first page (the POST). */
  next: GraphPath | undefined;
  offset: number;
}

/** Reads one GraphQL page of a listing, following nextLinks until `first` items are in hand or the listing ends. */
export async function readBrowsePage<N>(
  source: BrowsePageSource,
  request: BrowsePageRequest,
  map: (item: GraphBrowseQueryResponseItem) => N,
): Promise<BrowsePage<N>> {
  const first = request.first ?? DEFAULT_FIRST;
  if (!Number.isInteger(first) || first < 1 || first > MAX_TOP)
    throw new GraphInputError('first', `'first' must be an integer from 1 to ${MAX_TOP}.`);
  const tag = listingTag(request.listing);
  let at: Position = request.after == null ? { next: undefined, offset: 0 } : decodeBrowseCursor(request.after, tag, request.browsePath);
  const edges: BrowsePage<N>['edges'] = [];
  const exchanges: BrowseExchange[] = [];
  let totalCount: number | null = null;
  let hasNextPage = false;
  let resume: Position | undefined;
  for (let pages = 1; ; pages++) {
    const answer = at.next === undefined ? await source.first() : await source.next(at.next);
    exchanges.push(answer.exchange);
    const { value, count, next } = readCollection(answer.body, request.browsePath);
    if (count !== undefined) totalCount = count;
    let i = at.offset;
    for (; i < value.length && edges.length < first; i++) {
      edges.push({
        cursor: encodeBrowseCursor(tag, after(at.next, i + 1, value.length, next)),
        node: map(value[i] as GraphBrowseQueryResponseItem),
      });
    }
    if (edges.length >= first) {
      hasNextPage = i < value.length || next !== undefined;
      break;
    }
    if (next === undefined) break;
    // Past this page's end (an empty page, or a page now shorter than when the cursor was made): go on from the next.
    at = { next, offset: Math.max(0, at.offset - value.length) };
    if (pages >= MAX_PAGES) {
      hasNextPage = true;
      resume = at;
      break;
    }
  }
  const last = edges[edges.length - 1]?.cursor;
  return {
    edges,
    nodes: edges.map((e) => e.node),
    pageInfo: {
      hasNextPage,
      hasPreviousPage: request.after != null,
      startCursor: edges[0]?.cursor ?? null,
      // A page cut short by the page bound, with nothing on it, still needs a way forward.
      endCursor: last ?? (resume ? encodeBrowseCursor(tag, resume) : null),
    },
    totalCount,
    exchanges,
  };
}

/** The position after item `index` of a page of `length` items: the next page's start once this page is used up. */
function after(page: GraphPath | undefined, index: number, length: number, next: GraphPath | undefined): Position {
  return index >= length && next !== undefined ? { next, offset: 0 } : { next: page, offset: index };
}

function readCollection(
  body: GraphCollectionPage<GraphBrowseQueryResponseItem> | null | undefined,
  browsePath: GraphPath,
): { value: GraphBrowseQueryResponseItem[]; count: number | undefined; next: GraphPath | undefined } {
  if (typeof body !== 'object' || body === null || !Array.isArray(body.value)) {
    throw new GraphProtocolError('Microsoft Graph answered a browse without a value array.');
  }
  const value = body.value.filter((item): item is GraphBrowseQueryResponseItem => typeof item?.itemKey === 'string' && item.itemKey !== '');
  const rawCount = body['@odata.count'];
  const count = typeof rawCount === 'number' && Number.isInteger(rawCount) && rawCount >= 0 ? rawCount : undefined;
  const nextLink = body['@odata.nextLink'];
  if (typeof nextLink !== 'string' || nextLink === '') return { value, count, next: undefined };
  const next = rerootNextLink(nextLink);
  if (!underBrowsePath(next, browsePath))
    throw new GraphProtocolError("Microsoft Graph returned a browse nextLink outside the session's browse action.");
  return { value, count, next };
}

/** Whether a re-rooted path is the browse action itself (with a query) or a function call under it. */
function underBrowsePath(path: string, browsePath: string): boolean {
  const p = path.toLowerCase();
  const base = browsePath.toLowerCase();
  return p.startsWith(`${base}?`) || p.startsWith(`${base}(`) || p.startsWith(`${base}/`);
}

function listingTag(listing: string): string {
  return createHash('sha256').update(listing).digest('base64url').slice(0, 12);
}

function encodeBrowseCursor(tag: string, at: Position): string {
  const json: Record<string, unknown> = { v: 1, l: tag, o: at.offset };
  if (at.next !== undefined) json.n = at.next;
  return Buffer.from(JSON.stringify(json)).toString('base64url');
}

function decodeBrowseCursor(raw: string, tag: string, browsePath: GraphPath): Position {
  const invalid = (why: string): never => {
    throw new GraphInputError('after', `'after' is not a cursor of this listing (${why}); pass a cursor this listing returned.`);
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
  if (c.l !== tag) invalid('made for another browse session, location, name filter or order');
  const offset = c.o;
  if (typeof offset !== 'number' || !Number.isInteger(offset) || offset < 0 || offset > MAX_OFFSET) return invalid('malformed');
  if (c.n === undefined) return { next: undefined, offset };
  if (typeof c.n !== 'string' || c.n === '') return invalid('malformed');
  let next: GraphPath;
  try {
    next = rerootNextLink(c.n);
  } catch {
    return invalid('malformed');
  }
  if (next !== c.n || !underBrowsePath(next, browsePath)) invalid('made for another browse session');
  return { next, offset };
}

import type { FieldFunctionOptions, FieldPolicy, Reference, StoreObject } from '@apollo/client/cache';

/**
 * A field policy for the gateway's Relay connections that pages forward through `fetchMore({ variables: { after } })`
 * whether a query selects `edges`, `nodes` or both. Apollo's `relayStylePagination` keeps `edges` only: a query that
 * selects `nodes` (as most of the gateway's examples do) gets page 2 written over page 1, so `fetchMore` seems to do
 * nothing. Here each page is put after the item the `after` cursor names: the end of a page seen before (the page's
 * `pageInfo.endCursor`, remembered for lists without cursors) or an edge's `cursor`; a page asked for without `after`
 * starts the list again.
 */

type Item = Reference | StoreObject;

interface PageInfoShape {
  hasNextPage?: boolean;
  hasPreviousPage?: boolean;
  startCursor?: string | null;
  endCursor?: string | null;
  [field: string]: unknown;
}

/** A connection as it is written to and read from the cache. */
export interface ConnectionShape {
  edges?: readonly Item[];
  nodes?: readonly Item[];
  pageInfo?: PageInfoShape | null;
  totalCount?: number | null;
  [field: string]: unknown;
}

/** Where a page seen before ended: the cursor that continues after it and how many items came up to there. */
interface PageEnd {
  cursor: string;
  end: number;
}

// Kept beside the lists in the cache (plain JSON, so `cache.extract()` and restore keep it) and left out when read.
const PAGE_ENDS = 'kit:pageEnds';

interface StoredConnection extends ConnectionShape {
  [PAGE_ENDS]?: readonly PageEnd[];
}

const LISTS = ['edges', 'nodes'] as const;

function pageLength(connection: ConnectionShape): number {
  return connection.edges?.length ?? connection.nodes?.length ?? 0;
}

/** How many items of `existing` stay in front of the page that continues after `after`. */
function splicePoint(existing: StoredConnection, after: string, readField: FieldFunctionOptions['readField']): number {
  const pageEnd = existing[PAGE_ENDS]?.find((p) => p.cursor === after);
  if (pageEnd) return pageEnd.end;
  const edgeIndex = existing.edges?.findIndex((edge) => readField<string>('cursor', edge) === after) ?? -1;
  if (edgeIndex >= 0) return edgeIndex + 1;
  // A cursor this list has not seen (from another query, say): the page goes at the end, as relayStylePagination does.
  return pageLength(existing);
}

function pageEndsAfter(kept: readonly PageEnd[], at: number, incoming: ConnectionShape): PageEnd[] {
  const endCursor = incoming.pageInfo?.endCursor;
  return endCursor ? [...kept, { cursor: endCursor, end: at + pageLength(incoming) }] : [...kept];
}

/** The whole list: what comes before the page from `existing`, the page and everything else from `incoming`. */
function spliced(existing: StoredConnection, incoming: ConnectionShape, at: number): StoredConnection {
  const merged: StoredConnection = { ...incoming };
  for (const list of LISTS) {
    const before = existing[list];
    const page = incoming[list];
    // A list only one side has cannot be made whole; left out, a query that needs it reads it from the network.
    if (before && page) merged[list] = [...before.slice(0, at), ...page];
    else delete merged[list];
  }
  const first = existing.pageInfo;
  if (incoming.pageInfo && first) {
    // The merged list starts where the first page did.
    const start: PageInfoShape = {};
    if ('startCursor' in first) start.startCursor = first.startCursor;
    if ('hasPreviousPage' in first) start.hasPreviousPage = first.hasPreviousPage;
    merged.pageInfo = { ...incoming.pageInfo, ...start };
  }
  merged[PAGE_ENDS] = pageEndsAfter(
    (existing[PAGE_ENDS] ?? []).filter((p) => p.end <= at),
    at,
    incoming,
  );
  return merged;
}

/**
 * The pagination policy of one connection field. `keyArgs` are the arguments that tell one list from another (a
 * `filter`, say): pages of the same list share one cache entry whatever their `first` and `after`.
 */
export function connectionPagination(keyArgs: string[] | false = false): FieldPolicy<StoredConnection | null, ConnectionShape | null> {
  return {
    keyArgs,
    merge(existing, incoming, { args, readField }) {
      const after = typeof args?.after === 'string' ? args.after : undefined;
      // A later page that failed (null, with an error) leaves the pages in hand alone.
      if (!incoming) return after !== undefined && existing ? existing : incoming;
      if (after === undefined || !existing) return { ...incoming, [PAGE_ENDS]: pageEndsAfter([], 0, incoming) };
      return spliced(existing, incoming, splicePoint(existing, after, readField));
    },
    read(existing, { canRead, readField }) {
      if (!existing) return existing;
      const { [PAGE_ENDS]: _pageEnds, ...connection } = existing;
      // Items evicted from the cache since (a deleted session, say) drop out of the list instead of failing the read.
      if (connection.nodes) connection.nodes = connection.nodes.filter((node) => canRead(node));
      if (connection.edges) connection.edges = connection.edges.filter((edge) => canRead(readField('node', edge)));
      return connection;
    },
  };
}

import type { ArtifactRestoreStatus, InputMaybe } from '../../generated/graphql.js';
import { artifactRestoreStatus } from '../../graph/enums.js';
import { encodeCursor, pageRequest, type GraphPage, type PageRequest } from '../../graph/paging.js';
import { toGraphQLError } from '../../graphql-errors.js';
import { toGraphEnums } from './arguments.js';
import { requiredGraphEnum } from './graph-values.js';

/**
 * Pages of a list the gateway holds whole (granular SharePoint and OneDrive artifacts, which Graph lists with no query
 * options): filtered, counted and paged here. A cursor carries the position in the whole list after its item, and the
 * list and filter it was made for, so the next page starts after that item even when items before it changed status
 * meanwhile; one of another list or filter is refused as BAD_USER_INPUT naming `after`.
 */

export interface WholeListArgs {
  first?: number | null;
  after?: string | null;
  filter?: InputMaybe<{ status?: InputMaybe<ArtifactRestoreStatus[]> }>;
}

/**
 * The pager of the page `args` asks for of the whole list `list` names (its collection and session). The arguments are
 * checked here, before the list is read: a bad page size, cursor or filter costs no Graph call.
 */
export function wholeListPager(list: string, args: WholeListArgs): <A extends { status: string }>(items: readonly A[]) => GraphPage<A> {
  // Checked (and mapped, refusing UNKNOWN_FUTURE_VALUE) as every other list's filter.
  const wanted = toGraphEnums(artifactRestoreStatus, args.filter?.status, 'filter.status');
  const statuses = wanted === null ? null : new Set(wanted.map((s) => artifactRestoreStatus.fromGraph(s)));
  const request = checkedPage(`${list}|${statuses === null ? '' : [...statuses].sort().join(',')}`, args);
  const start = request.start.index ?? 0;
  return <A extends { status: string }>(items: readonly A[]): GraphPage<A> => {
    const matching: Array<{ node: A; position: number }> = [];
    items.forEach((node, i) => {
      if (statuses === null || statuses.has(requiredGraphEnum(artifactRestoreStatus, node.status)))
        matching.push({ node, position: i + 1 });
    });
    const rest = matching.filter((m) => m.position > start);
    const edges = rest
      .slice(0, request.first)
      .map((m) => ({ cursor: encodeCursor(request.list, { offset: 0, index: m.position }), node: m.node }));
    return {
      edges,
      nodes: edges.map((e) => e.node),
      pageInfo: {
        hasNextPage: rest.length > edges.length,
        hasPreviousPage: request.resumed,
        startCursor: edges[0]?.cursor ?? null,
        endCursor: edges[edges.length - 1]?.cursor ?? null,
      },
      totalCount: matching.length,
    };
  };
}

/** `first` and `after` checked for the list (BAD_USER_INPUT naming the argument, as every list refuses them). */
function checkedPage(list: string, args: WholeListArgs): PageRequest {
  try {
    return pageRequest(list, args.first, args.after);
  } catch (err) {
    throw toGraphQLError(err);
  }
}

/** The page every whole list answers for a session Graph does not know (deleted meanwhile): nothing. */
export const EMPTY_PAGE = {
  edges: [],
  nodes: [],
  pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
  totalCount: 0,
};

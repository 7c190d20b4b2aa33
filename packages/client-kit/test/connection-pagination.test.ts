import { gql, type TypedDocumentNode } from '@apollo/client';
import { describe, expect, it } from 'vitest';
import { createGatewayCache } from '../src/index.js';

// The pagination merge on its own, in a cache with the kit's type policies and no network: pages written as Apollo
// writes a fetchMore result (with its variables), and the list read back.

type Node = { __typename: 'SiteProtectionUnit'; id: string };
type Edge = { __typename: 'SiteProtectionUnitEdge'; cursor: string; node: Node };
interface Units {
  siteProtectionUnits: {
    __typename: 'SiteProtectionUnitConnection';
    totalCount?: number | null;
    pageInfo?: {
      __typename: 'PageInfo';
      hasNextPage: boolean;
      hasPreviousPage?: boolean;
      startCursor?: string | null;
      endCursor: string | null;
    };
    nodes?: Node[];
    edges?: Edge[];
  } | null;
}
type Vars = { first?: number; after?: string };

const NODES: TypedDocumentNode<Units, Vars> = gql`
  query ($first: Int, $after: String) {
    siteProtectionUnits(first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        hasPreviousPage
        startCursor
        endCursor
      }
      nodes {
        id
      }
    }
  }
`;
const EDGES: TypedDocumentNode<Units, Vars> = gql`
  query ($first: Int, $after: String) {
    siteProtectionUnits(first: $first, after: $after) {
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        cursor
        node {
          id
        }
      }
    }
  }
`;

const unit = (n: number): Node => ({ __typename: 'SiteProtectionUnit', id: `u${n}` });
const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** Page `[from..to]` as the gateway answers it: cursor `c<n>` after item n. */
function page(from: number, to: number, total = 9): NonNullable<Units['siteProtectionUnits']> {
  return {
    __typename: 'SiteProtectionUnitConnection',
    totalCount: total,
    pageInfo: { __typename: 'PageInfo', hasNextPage: to < total, hasPreviousPage: from > 1, startCursor: `c${from}`, endCursor: `c${to}` },
    nodes: range(from, to).map(unit),
  };
}

function edgePage(from: number, to: number): NonNullable<Units['siteProtectionUnits']> {
  return {
    __typename: 'SiteProtectionUnitConnection',
    pageInfo: { __typename: 'PageInfo', hasNextPage: true, endCursor: `c${to}` },
    edges: range(from, to).map((n) => ({ __typename: 'SiteProtectionUnitEdge', cursor: `c${n}`, node: unit(n) })),
  };
}

const ids = (data: Units | null): string[] | undefined => data?.siteProtectionUnits?.nodes?.map((n) => n.id);

describe('connectionPagination', () => {
  it('puts a page after the page its cursor ends, even when one was fetched again: lists without cursors of their own', () => {
    const cache = createGatewayCache();
    cache.writeQuery({ query: NODES, variables: { first: 3 }, data: { siteProtectionUnits: page(1, 3) } });
    cache.writeQuery({ query: NODES, variables: { first: 3, after: 'c3' }, data: { siteProtectionUnits: page(4, 6) } });
    cache.writeQuery({ query: NODES, variables: { first: 3, after: 'c6' }, data: { siteProtectionUnits: page(7, 9) } });
    expect(ids(cache.readQuery({ query: NODES, variables: { first: 3 } }))).toEqual(range(1, 9).map((n) => `u${n}`));

    // Page 2 again, now two items long: it replaces pages 2 and 3 (what followed it may have moved).
    cache.writeQuery({
      query: NODES,
      variables: { first: 3, after: 'c3' },
      data: { siteProtectionUnits: { ...page(4, 5), nodes: [unit(4), unit(5)] } },
    });
    const merged = cache.readQuery({ query: NODES, variables: { first: 3 } })!.siteProtectionUnits!;
    expect(ids({ siteProtectionUnits: merged })).toEqual(['u1', 'u2', 'u3', 'u4', 'u5']);
    // The latest page's pageInfo, starting where the first page started; the latest totalCount.
    expect(merged.pageInfo).toMatchObject({ endCursor: 'c5', hasNextPage: true, startCursor: 'c1', hasPreviousPage: false });
    expect(merged.totalCount).toBe(9);
  });

  it("continues after any edge's cursor when edges are selected", () => {
    const cache = createGatewayCache();
    cache.writeQuery({ query: EDGES, variables: {}, data: { siteProtectionUnits: edgePage(1, 4) } });
    cache.writeQuery({ query: EDGES, variables: { after: 'c2' }, data: { siteProtectionUnits: edgePage(3, 5) } });
    const edges = cache.readQuery({ query: EDGES, variables: {} })!.siteProtectionUnits!.edges!;
    expect(edges.map((e) => e.cursor)).toEqual(['c1', 'c2', 'c3', 'c4', 'c5']);
  });

  it('starts the list again for a page without `after`, and keeps it when a later page failed', () => {
    const cache = createGatewayCache();
    cache.writeQuery({ query: NODES, variables: {}, data: { siteProtectionUnits: page(1, 3) } });
    cache.writeQuery({ query: NODES, variables: { after: 'c3' }, data: { siteProtectionUnits: page(4, 6) } });
    cache.writeQuery({ query: NODES, variables: { after: 'c6' }, data: { siteProtectionUnits: null } });
    expect(ids(cache.readQuery({ query: NODES, variables: {} }))).toHaveLength(6);
    cache.writeQuery({ query: NODES, variables: {}, data: { siteProtectionUnits: page(1, 2) } });
    expect(ids(cache.readQuery({ query: NODES, variables: {} }))).toEqual(['u1', 'u2']);
  });

  it('leaves out a list that a later page did not bring, so a query that needs it is not answered with page 1 alone', () => {
    const cache = createGatewayCache();
    cache.writeQuery({ query: NODES, variables: {}, data: { siteProtectionUnits: page(1, 3) } });
    cache.writeQuery({ query: EDGES, variables: { after: 'c3' }, data: { siteProtectionUnits: edgePage(4, 6) } });
    expect(cache.readQuery({ query: NODES, variables: {} })).toBeNull();
    expect(cache.readQuery({ query: EDGES, variables: {} })).toBeNull();
  });

  it("keeps the kit's policies beside type policies of your own", () => {
    const cache = createGatewayCache({
      typePolicies: {
        // A policy of your own on Query, beside the kit's pagination of Query.siteProtectionUnits.
        Query: { fields: { restorePoint: { keyArgs: ['id'] } } },
        SiteProtectionUnitConnection: { fields: { totalCount: { read: (n: number | undefined) => (n ?? 0) + 1000 } } },
      },
    });
    cache.writeQuery({ query: NODES, variables: {}, data: { siteProtectionUnits: page(1, 3) } });
    cache.writeQuery({ query: NODES, variables: { after: 'c3' }, data: { siteProtectionUnits: page(4, 5) } });
    const read = cache.readQuery({ query: NODES, variables: {} })!.siteProtectionUnits!;
    expect(read.nodes).toHaveLength(5);
    expect(read.totalCount).toBe(1009);
  });

  it('drops items evicted from the cache, and keeps its bookkeeping out of what it returns', () => {
    const cache = createGatewayCache();
    cache.writeQuery({ query: NODES, variables: {}, data: { siteProtectionUnits: page(1, 3) } });
    cache.evict({ id: cache.identify(unit(2)) });
    const read = cache.readQuery({ query: NODES, variables: {} })!.siteProtectionUnits!;
    expect(read.nodes!.map((n) => n.id)).toEqual(['u1', 'u3']);
    expect(Object.keys(read)).not.toContain('kit:pageEnds');
  });
});

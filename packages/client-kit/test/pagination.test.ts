import { ApolloClient, gql, HttpLink, type ObservableQuery, type OperationVariables, type TypedDocumentNode } from '@apollo/client';
import { afterEach, describe, expect, it } from 'vitest';
import { SEED_SESSION_IDS } from '@restore-session-gateway/graph-emulator';
import { useTestGateway } from '../../../test/gateway/harness.js';
import { dataOf } from '../../../test/support/graphql.js';
import { waitFor } from '../../../test/subscriptions/support.js';
import { createGatewayCache } from '../src/index.js';

// The kit's pagination policy with real Apollo Client 4 against the gateway: `fetchMore` with the `after` cursor
// appends the next page whether the query selects `nodes`, `edges` or both, on root and nested connections.

const gw = useTestGateway();
const clients: ApolloClient[] = [];
afterEach(() => {
  for (const c of clients.splice(0)) c.stop();
});

async function kitClient(): Promise<ApolloClient> {
  const client = new ApolloClient({
    link: new HttpLink({ uri: gw.url, headers: { authorization: await gw.authorization('admin') } }),
    cache: createGatewayCache(),
  });
  clients.push(client);
  return client;
}

interface Page<T> {
  totalCount: number | null;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  nodes?: T[];
  edges?: Array<{ cursor: string; node: T }>;
}
type Session = { __typename: string; id: string; status: string };
type SessionsData = { restoreSessions: Page<Session> };
type Vars = { first: number; after?: string | null; filter?: { status: string[] } };

const SESSIONS_NODES: TypedDocumentNode<SessionsData, Vars> = gql`
  query SessionsNodes($first: Int!, $after: String, $filter: RestoreSessionFilter) {
    restoreSessions(first: $first, after: $after, filter: $filter) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        status
      }
    }
  }
`;
const SESSIONS_EDGES: TypedDocumentNode<SessionsData, Vars> = gql`
  query SessionsEdges($first: Int!, $after: String) {
    restoreSessions(first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        cursor
        node {
          id
          status
        }
      }
    }
  }
`;

/** The ids of the first `first` sessions, as one page straight from the gateway. */
async function firstSessionIds(first: number): Promise<string[]> {
  const data = dataOf(await gw.query<SessionsData>(`{ restoreSessions(first: ${first}) { nodes { id } } }`));
  return data.restoreSessions.nodes!.map((s) => s.id);
}

/** Watches `query` and keeps its latest result, as a component would render it. */
function watch<T, V extends OperationVariables>(observable: ObservableQuery<T, V>): { latest(): T | undefined; stop(): void } {
  let latest: T | undefined;
  const subscription = observable.subscribe((result) => {
    if (result.dataState === 'complete') latest = result.data as T;
  });
  return { latest: () => latest, stop: () => subscription.unsubscribe() };
}

describe('connection pagination', () => {
  it.each([
    ['nodes', SESSIONS_NODES, (p: Page<Session>) => p.nodes!.map((s) => s.id)],
    ['edges', SESSIONS_EDGES, (p: Page<Session>) => p.edges!.map((e) => e.node.id)],
  ] as const)('appends the page after `after` to a query that selects only %s', async (_, query, ids) => {
    const client = await kitClient();
    const observable = client.watchQuery({ query, variables: { first: 3 } });
    const view = watch(observable);
    try {
      await waitFor(() => view.latest() !== undefined, 5_000, 'the first page');
      const first = view.latest()!.restoreSessions;
      expect(ids(first)).toHaveLength(3);
      expect(first.pageInfo.hasNextPage).toBe(true);

      const more = await observable.fetchMore({ variables: { after: first.pageInfo.endCursor } });
      const second = more.data!.restoreSessions;
      await waitFor(() => ids(view.latest()!.restoreSessions).length === 6, 5_000, 'both pages');
      const merged = view.latest()!.restoreSessions;
      expect(ids(merged)).toEqual(await firstSessionIds(6));
      // pageInfo and totalCount come from the latest page: the next fetchMore continues after page 2.
      expect(merged.pageInfo).toEqual(second.pageInfo);
      expect(merged.totalCount).toBe(Object.keys(SEED_SESSION_IDS).length);

      // Asked again from the start (a refetch), the list starts over at page 1.
      await observable.refetch();
      await waitFor(() => ids(view.latest()!.restoreSessions).length === 3, 5_000, 'page 1 alone');
      expect(ids(view.latest()!.restoreSessions)).toEqual(ids(first));
    } finally {
      view.stop();
    }
  });

  it('keeps lists with different filters apart (keyArgs) and pages a nested connection', async () => {
    const client = await kitClient();
    const drafts = await client.query({ query: SESSIONS_NODES, variables: { first: 10, filter: { status: ['DRAFT'] } } });
    const all = await client.query({ query: SESSIONS_NODES, variables: { first: 2 } });
    expect(drafts.data!.restoreSessions.nodes!.map((s) => s.status)).toEqual(expect.arrayContaining(['DRAFT']));
    expect(new Set(drafts.data!.restoreSessions.nodes!.map((s) => s.status))).toEqual(new Set(['DRAFT']));
    const draftsAgain = client.readQuery({ query: SESSIONS_NODES, variables: { first: 10, filter: { status: ['DRAFT'] } } });
    expect(draftsAgain!.restoreSessions.nodes).toEqual(drafts.data!.restoreSessions.nodes);
    expect(all.data!.restoreSessions.nodes).toHaveLength(2);

    // The seed's large restore: 65 sites, 20 a page, selected through `nodes` under a session.
    const LARGE: TypedDocumentNode<
      { restoreSession: { id: string; siteRestoreArtifacts: Page<{ id: string; restoreSessionId: string }> } },
      { id: string; after?: string | null }
    > = gql`
      query LargeRestore($id: ID!, $after: String) {
        restoreSession(id: $id) {
          id
          ... on SharePointRestoreSession {
            siteRestoreArtifacts(first: 20, after: $after) {
              totalCount
              pageInfo {
                hasNextPage
                endCursor
              }
              nodes {
                id
                restoreSessionId
              }
            }
          }
        }
      }
    `;
    const observable = client.watchQuery({ query: LARGE, variables: { id: SEED_SESSION_IDS.large } });
    const view = watch(observable);
    try {
      const artifacts = () => view.latest()?.restoreSession.siteRestoreArtifacts;
      await waitFor(() => artifacts() !== undefined, 5_000, 'the first page');
      while (artifacts()!.pageInfo.hasNextPage) {
        const before = artifacts()!.nodes!.length;
        await observable.fetchMore({ variables: { after: artifacts()!.pageInfo.endCursor } });
        await waitFor(() => artifacts()!.nodes!.length > before, 5_000, `the page after ${before}`);
      }
      const ids = artifacts()!.nodes!.map((a) => a.id);
      expect(ids).toHaveLength(65);
      expect(new Set(ids).size).toBe(65);
      expect(artifacts()!.totalCount).toBe(65);
    } finally {
      view.stop();
    }
  });
});

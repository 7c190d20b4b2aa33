import { composeServices } from '@apollo/composition';
import type { CompositionSuccess } from '@apollo/composition';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import type { BaseContext } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { graphql, parse } from 'graphql';
import type { GraphQLSchema } from 'graphql';
import { postGraphQL, type GraphQLResponse } from '../support/graphql.js';
import type { TestSubgraph } from './subgraphs/types.js';

/** The name this gateway has in the supergraph; supergraph.yaml and router.yaml use the same one. */
export const RESTORE_SESSIONS_SUBGRAPH = 'restore-sessions';

/**
 * The subgraph SDL exactly as the router (and `rover ... subgraph_url`) gets it: the `_service { sdl }`
 * answer of the schema object the server serves, not a second rendering of schema/*.graphql.
 */
export async function serviceSdl(schema: GraphQLSchema): Promise<string> {
  const result = await graphql({ schema, source: '{ _service { sdl } }' });
  if (result.errors?.length) throw new Error(`_service { sdl } failed: ${result.errors.map(String).join('; ')}`);
  const sdl = (result.data?._service as { sdl?: unknown } | undefined)?.sdl;
  if (typeof sdl !== 'string') throw new Error('_service { sdl } answered without an SDL string');
  return sdl;
}

export interface ComposedSupergraph {
  supergraphSdl: string;
  hints: CompositionSuccess['hints'];
  /** The API schema clients of the supergraph see (no join__ or link__ machinery). */
  apiSchema: GraphQLSchema;
}

/**
 * Composes this gateway's subgraph SDL with test subgraphs, as `rover supergraph compose` does.
 * Composition errors throw with every message, so a failing test names the rule that broke.
 */
export function composeSupergraph(
  restoreSessionsSdl: string,
  subgraphs: readonly TestSubgraph[],
  urls: Readonly<Record<string, string>> = {},
): ComposedSupergraph {
  const url = (name: string): string => urls[name] ?? `http://${name}.invalid/graphql`;
  const result = composeServices([
    { name: RESTORE_SESSIONS_SUBGRAPH, typeDefs: parse(restoreSessionsSdl), url: url(RESTORE_SESSIONS_SUBGRAPH) },
    ...subgraphs.map((subgraph) => ({ name: subgraph.name, typeDefs: subgraph.typeDefs, url: url(subgraph.name) })),
  ]);
  if (result.errors) throw new Error(`composition failed:\n${result.errors.map((error) => error.message).join('\n')}`);
  return {
    supergraphSdl: result.supergraphSdl,
    hints: result.hints,
    apiSchema: result.schema.toAPISchema().toGraphQLJSSchema(),
  };
}

export interface RunningServer {
  url: string;
  stop(): Promise<void>;
}

/** One test subgraph on Apollo Server with `buildSubgraphSchema`, on an ephemeral loopback port. */
export async function startTestSubgraph(subgraph: TestSubgraph): Promise<RunningServer> {
  const server = new ApolloServer<BaseContext>({
    schema: buildSubgraphSchema({ typeDefs: subgraph.typeDefs, resolvers: subgraph.resolvers }),
    // Federated tracing is for GraphOS usage reporting, which these tests do not run.
    plugins: [ApolloServerPluginInlineTraceDisabled()],
  });
  const { url } = await startStandaloneServer(server, { listen: { port: 0, host: '127.0.0.1' } });
  return { url, stop: () => server.stop() };
}

/** What the federated gateway forwards from the caller's request to every subgraph. */
export interface CallerContext extends BaseContext {
  authorization?: string;
}

/** One request the federated gateway sent to a subgraph, for assertions on the query plan's cost. */
export interface SubgraphFetch {
  subgraph: string;
  query: string;
  /** How many entity representations an `_entities` fetch carried; 0 for root fetches. */
  representations: number;
  authorization: string | null;
}

/**
 * `RemoteGraphQLDataSource` that forwards the caller's `Authorization` header: the gateway subgraph will
 * need it once caller identity lands (only `_service` answers without one), and a router config
 * propagates it the same way (router.yaml). It also records each fetch for the tests.
 */
class ForwardingDataSource extends RemoteGraphQLDataSource<CallerContext> {
  constructor(
    private readonly subgraph: string,
    url: string,
    private readonly fetches: SubgraphFetch[],
  ) {
    super({ url });
  }

  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<CallerContext>): void {
    if (context.authorization) request.http?.headers.set('authorization', context.authorization);
    const representations = request.variables?.representations;
    this.fetches.push({
      subgraph: this.subgraph,
      query: request.query ?? '',
      representations: Array.isArray(representations) ? representations.length : 0,
      authorization: request.http?.headers.get('authorization') ?? null,
    });
  }
}

export interface RunningFederatedGateway extends RunningServer {
  /** Every subgraph fetch since start (or since the last `fetches.length = 0`). */
  fetches: SubgraphFetch[];
  query<T>(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<GraphQLResponse<T>>;
}

/** `@apollo/gateway` over a composed supergraph, inside Apollo Server on an ephemeral loopback port. */
export async function startFederatedGateway(supergraphSdl: string): Promise<RunningFederatedGateway> {
  const fetches: SubgraphFetch[] = [];
  const gateway = new ApolloGateway({
    supergraphSdl,
    buildService: ({ name, url }) => {
      if (!url) throw new Error(`subgraph ${name} has no URL in the supergraph`);
      return new ForwardingDataSource(name, url, fetches);
    },
  });
  const server = new ApolloServer<CallerContext>({ gateway });
  const { url } = await startStandaloneServer(server, {
    listen: { port: 0, host: '127.0.0.1' },
    context: async ({ req }) => {
      const authorization = req.headers.authorization;
      return authorization ? { authorization } : {};
    },
  });
  return {
    url,
    fetches,
    stop: () => server.stop(),
    query: <T>(query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
      postGraphQL<T>(url, { query, variables }, headers),
  };
}

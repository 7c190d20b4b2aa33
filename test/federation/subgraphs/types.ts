import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import type { DocumentNode } from 'graphql';

/**
 * A small subgraph that stands in for one a platform team would run next to this gateway. The same
 * object feeds composition (name + typeDefs) and the runtime test (typeDefs + resolvers).
 */
export interface TestSubgraph {
  /** The subgraph's name in the supergraph (`join__Graph`), as rover's supergraph.yaml would give it. */
  name: string;
  typeDefs: DocumentNode;
  resolvers: GraphQLResolverMap<unknown>;
}

/** An entity representation as the router sends it to `__resolveReference`. */
export interface Reference {
  __typename: string;
  id: string;
}

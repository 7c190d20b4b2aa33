import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import { GraphQLScalarType, type GraphQLSchema } from 'graphql';
import { DateTimeResolver, NonNegativeIntResolver, SafeIntResolver, URLResolver } from 'graphql-scalars';
import { guardMutations } from '../auth/write-guard.js';
import type { Resolvers } from '../generated/graphql.js';
import { resolvers as defaultResolvers } from '../resolvers/index.js';
import { loadTypeDefs } from './load-type-defs.js';
import { settleEntityResolution } from './settled-entities.js';

/**
 * graphql-scalars' behaviour (serialize, parseValue, parseLiteral) without its description,
 * `specifiedByURL` or AST: buildSubgraphSchema copies every defined property of a scalar resolver
 * onto the SDL's scalar, and the SDL's own descriptions are the ones clients should read.
 */
function behaviourOf(scalar: GraphQLScalarType): GraphQLScalarType {
  const { name, serialize, parseValue, parseLiteral } = scalar.toConfig();
  return new GraphQLScalarType({ name, serialize, parseValue, parseLiteral });
}

export const scalarResolvers = {
  DateTime: behaviourOf(DateTimeResolver),
  URL: behaviourOf(URLResolver),
  NonNegativeInt: behaviourOf(NonNegativeIntResolver),
  SafeInt: behaviourOf(SafeIntResolver),
} satisfies Resolvers;

/**
 * The executable subgraph schema: the SDL of `schema/`, the resolvers and the scalars. Every Mutation field, whoever
 * writes its resolver, refuses read-only callers with FORBIDDEN before it runs (src/auth/write-guard.ts), and
 * `_entities` settles each representation on its own (src/schema/settled-entities.ts).
 */
export function buildSchema(resolvers: Resolvers = defaultResolvers): GraphQLSchema {
  const schema = buildSubgraphSchema({
    typeDefs: loadTypeDefs(),
    // Codegen's per-type resolver types are stricter than @apollo/subgraph's loose map; they
    // describe the same runtime object.
    resolvers: { ...scalarResolvers, ...resolvers } as unknown as GraphQLResolverMap<unknown>,
  });
  return guardMutations(settleEntityResolution(schema));
}

import { parse } from 'graphql';
import type { Reference, TestSubgraph } from './types.js';

/** A directory user, keyed by the Microsoft Entra object id that Graph records in identity sets. */
export interface DirectoryUser {
  id: string;
  displayName: string;
  mail: string;
}

/** A directory subgraph that owns `User`, which the gateway subgraph references from `IdentitySet.user`. */
export function createDirectorySubgraph(users: DirectoryUser[]): TestSubgraph {
  const usersById = new Map(users.map((user) => [user.id, user]));
  return {
    name: 'directory',
    typeDefs: parse(/* GraphQL */ `
      extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

      type Query {
        user(id: ID!): User
      }

      type User @key(fields: "id") {
        id: ID!
        displayName: String!
        mail: String
      }
    `),
    resolvers: {
      Query: {
        user: (_root: unknown, args: { id: string }) => usersById.get(args.id) ?? null,
      },
      User: {
        __resolveReference: (reference: Reference) => usersById.get(reference.id) ?? null,
      },
    },
  };
}

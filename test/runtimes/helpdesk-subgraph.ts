import { parse } from 'graphql';
import type { Reference, TestSubgraph } from '../federation/subgraphs/types.js';

/** One helpdesk ticket, optionally about one restore session. */
export interface HelpdeskTicket {
  id: string;
  subject: string;
  restoreSessionId: string | null;
}

export interface HelpdeskSubgraph extends TestSubgraph {
  /** Every ticket opened so far, oldest first. */
  tickets: HelpdeskTicket[];
}

/**
 * The second subgraph of the runtime tests: a helpdesk with a mutation of its own (`openTicket`), so that one operation
 * can carry mutations for two subgraphs, and a field on every restore session (`tickets`, through `@interfaceObject`),
 * so that queries and subscription events cross subgraphs. It serves no subscriptions: a supergraph runtime sends
 * those to the restore-sessions subgraph and asks this one only for the fields it owns.
 */
export function createHelpdeskSubgraph(): HelpdeskSubgraph {
  const tickets: HelpdeskTicket[] = [];
  const sessionReference = (id: string): Reference => ({ __typename: 'RestoreSession', id });
  return {
    name: 'helpdesk',
    tickets,
    typeDefs: parse(/* GraphQL */ `
      extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@interfaceObject"])

      type Query {
        ticket(id: ID!): Ticket
      }

      type Mutation {
        openTicket(subject: String!, restoreSessionId: ID): Ticket
      }

      type Ticket @key(fields: "id") {
        id: ID!
        subject: String!
        restoreSession: RestoreSession
      }

      type RestoreSession @key(fields: "id") @interfaceObject {
        id: ID!
        tickets: [Ticket!]!
      }
    `),
    resolvers: {
      Query: {
        ticket: (_root: unknown, args: { id: string }) => tickets.find((ticket) => ticket.id === args.id) ?? null,
      },
      Mutation: {
        openTicket: (_root: unknown, args: { subject: string; restoreSessionId?: string | null }) => {
          const ticket = { id: `HD-${tickets.length + 1}`, subject: args.subject, restoreSessionId: args.restoreSessionId ?? null };
          tickets.push(ticket);
          return ticket;
        },
      },
      Ticket: {
        __resolveReference: (reference: Reference) => tickets.find((ticket) => ticket.id === reference.id) ?? null,
        restoreSession: (ticket: HelpdeskTicket) => (ticket.restoreSessionId ? sessionReference(ticket.restoreSessionId) : null),
      },
      RestoreSession: {
        __resolveReference: (reference: Reference) => ({ id: reference.id }),
        tickets: (session: { id: string }) => tickets.filter((ticket) => ticket.restoreSessionId === session.id),
      },
    },
  };
}

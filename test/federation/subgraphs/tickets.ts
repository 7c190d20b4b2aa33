import { parse } from 'graphql';
import type { Reference, TestSubgraph } from './types.js';

/** One ticket of the ticketing subgraph, asking for the restore of one SharePoint restore session. */
export interface TicketRecord {
  id: string;
  title: string;
  restoreSessionId: string;
}

export interface TicketsSubgraphOptions {
  tickets: TicketRecord[];
  /** What `restoreSessionsUnderReview` lists: references only, the gateway subgraph fills in the rest. */
  sessionIdsUnderReview: string[];
}

/**
 * A ticketing subgraph that extends `SharePointRestoreSession` (an implementation of the entity
 * interface) by its key with `ticket`, references sessions from its own root field, and pages its
 * tickets with a `PageInfo` of its own, which only composes because both subgraphs mark it @shareable.
 */
export function createTicketsSubgraph(options: TicketsSubgraphOptions): TestSubgraph {
  const ticketsById = new Map(options.tickets.map((ticket) => [ticket.id, ticket]));
  const ticketBySession = new Map(options.tickets.map((ticket) => [ticket.restoreSessionId, ticket]));
  const sessionReference = (id: string): Reference => ({ __typename: 'SharePointRestoreSession', id });
  return {
    name: 'tickets',
    typeDefs: parse(/* GraphQL */ `
      extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])

      type Query {
        ticket(id: ID!): Ticket
        tickets(first: Int = 20): TicketConnection!
        restoreSessionsUnderReview: [SharePointRestoreSession]!
      }

      type Ticket @key(fields: "id") {
        id: ID!
        title: String!
        restoreSession: SharePointRestoreSession
      }

      type TicketConnection {
        nodes: [Ticket!]!
        pageInfo: PageInfo!
      }

      type PageInfo @shareable {
        hasNextPage: Boolean!
        hasPreviousPage: Boolean!
        startCursor: String
        endCursor: String
      }

      type SharePointRestoreSession @key(fields: "id") {
        id: ID!
        ticket: Ticket
      }
    `),
    resolvers: {
      Query: {
        ticket: (_root: unknown, args: { id: string }) => ticketsById.get(args.id) ?? null,
        tickets: (_root: unknown, args: { first: number }) => {
          const nodes = options.tickets.slice(0, args.first);
          return {
            nodes,
            pageInfo: {
              hasNextPage: options.tickets.length > nodes.length,
              hasPreviousPage: false,
              startCursor: nodes[0]?.id ?? null,
              endCursor: nodes.at(-1)?.id ?? null,
            },
          };
        },
        restoreSessionsUnderReview: () => options.sessionIdsUnderReview.map(sessionReference),
      },
      Ticket: {
        __resolveReference: (reference: Reference) => ticketsById.get(reference.id) ?? null,
        restoreSession: (ticket: TicketRecord) => sessionReference(ticket.restoreSessionId),
      },
      SharePointRestoreSession: {
        __resolveReference: (reference: Reference) => reference,
        ticket: (session: Reference) => ticketBySession.get(session.id) ?? null,
      },
    },
  };
}

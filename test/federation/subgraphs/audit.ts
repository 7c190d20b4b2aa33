import { parse } from 'graphql';
import type { Reference, TestSubgraph } from './types.js';

export interface AuditNoteRecord {
  restoreSessionId: string;
  author: string;
  text: string;
}

export interface AuditSubgraphOptions {
  notes: AuditNoteRecord[];
}

/**
 * An audit subgraph that adds `auditNotes` to every restore session through `@interfaceObject`: it
 * knows `RestoreSession` only as an object keyed by `id`, never its implementations, so the gateway
 * subgraph must resolve the interface's references to their concrete types.
 */
export function createAuditSubgraph(options: AuditSubgraphOptions): TestSubgraph {
  const notesBySession = new Map<string, AuditNoteRecord[]>();
  for (const note of options.notes) {
    notesBySession.set(note.restoreSessionId, [...(notesBySession.get(note.restoreSessionId) ?? []), note]);
  }
  return {
    name: 'audit',
    typeDefs: parse(/* GraphQL */ `
      extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@interfaceObject"])

      type Query {
        recentlyAuditedRestoreSessions: [RestoreSession!]!
      }

      type RestoreSession @key(fields: "id") @interfaceObject {
        id: ID!
        auditNotes: [AuditNote!]!
      }

      type AuditNote {
        author: String!
        text: String!
      }
    `),
    resolvers: {
      Query: {
        recentlyAuditedRestoreSessions: () => [...notesBySession.keys()].map((id) => ({ id })),
      },
      RestoreSession: {
        __resolveReference: (reference: Reference) => ({ id: reference.id }),
        auditNotes: (session: { id: string }) => notesBySession.get(session.id) ?? [],
      },
    },
  };
}

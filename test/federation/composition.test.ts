import { isInterfaceType, isObjectType } from 'graphql';
import type { GraphQLSchema } from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildSchema } from '../../src/schema/build-schema.js';
import { createTestSubgraphs, federationSeed } from './fixtures.js';
import { composeSupergraph, RESTORE_SESSIONS_SUBGRAPH, serviceSdl } from './support.js';
import type { ComposedSupergraph } from './support.js';

// Hints that composition is expected to give, each with the reason it is accepted. Any other hint fails
// the test: hints are how composition says a subgraph does something another subgraph may trip over.
const EXPECTED_HINTS: Record<string, string> = {
  // GatewayErrorCode documents the values of `extensions.code`; no field returns it on purpose.
  'UNUSED_ENUM_TYPE GatewayErrorCode': 'documentation-only enum',
};

let composed: ComposedSupergraph;

beforeAll(async () => {
  // The schema object the server serves, asked the way a router asks it.
  const sdl = await serviceSdl(buildSchema());
  composed = composeSupergraph(sdl, createTestSubgraphs(federationSeed(), []), {
    [RESTORE_SESSIONS_SUBGRAPH]: 'http://localhost:4000/graphql',
  });
});

function fieldsOf(schema: GraphQLSchema, typeName: string): string[] {
  const type = schema.getType(typeName);
  if (!isObjectType(type) && !isInterfaceType(type)) throw new Error(`${typeName} is not an object or interface type`);
  return Object.keys(type.getFields());
}

/** The `@join__type` applications of one type in the supergraph SDL, e.g. `graph: AUDIT, key: "id", ...`. */
function joinTypes(typeName: string): string[] {
  const start = composed.supergraphSdl.search(new RegExp(`^(type|interface) ${typeName}\\b`, 'm'));
  if (start < 0) throw new Error(`${typeName} missing from the supergraph`);
  const header = composed.supergraphSdl.slice(start, composed.supergraphSdl.indexOf('{', start));
  return [...header.matchAll(/@join__type\(([^)]*)\)/g)].map((match) => match[1] ?? '');
}

describe('composition with subgraphs this gateway has never seen', () => {
  it('composes with no errors and only the reviewed hints', () => {
    const hints = composed.hints.map((hint) => {
      const coordinate = hint.coordinate ?? /"([^"]+)"/.exec(hint.message)?.[1] ?? '';
      return `${hint.definition.code} ${coordinate}`;
    });
    expect(hints.sort()).toEqual(Object.keys(EXPECTED_HINTS).sort());
  });

  it('lets a ticketing subgraph extend a RestoreSession implementation by its key', () => {
    expect(fieldsOf(composed.apiSchema, 'SharePointRestoreSession')).toEqual(expect.arrayContaining(['ticket', 'status']));
    expect(joinTypes('SharePointRestoreSession')).toEqual(
      expect.arrayContaining(['graph: RESTORE_SESSIONS, key: "id"', 'graph: TICKETS, key: "id"']),
    );
  });

  it('lets an audit subgraph extend the RestoreSession entity interface with @interfaceObject', () => {
    for (const typeName of ['RestoreSession', 'SharePointRestoreSession', 'ExchangeRestoreSession', 'OneDriveForBusinessRestoreSession']) {
      expect(fieldsOf(composed.apiSchema, typeName), typeName).toContain('auditNotes');
    }
    expect(joinTypes('RestoreSession')).toEqual(
      expect.arrayContaining(['graph: RESTORE_SESSIONS, key: "id"', 'graph: AUDIT, key: "id", isInterfaceObject: true']),
    );
  });

  it('references User and Site as stubs that the directory and sites subgraphs own', () => {
    expect(fieldsOf(composed.apiSchema, 'User')).toEqual(['id', 'displayName', 'mail']);
    expect(fieldsOf(composed.apiSchema, 'Site')).toEqual(['id', 'displayName', 'webUrl']);
    expect(joinTypes('User').sort()).toEqual(['graph: DIRECTORY, key: "id"', 'graph: RESTORE_SESSIONS, key: "id", resolvable: false']);
    expect(joinTypes('Site').sort()).toEqual(['graph: RESTORE_SESSIONS, key: "id", resolvable: false', 'graph: SITES, key: "id"']);
  });

  it('shares PageInfo with a subgraph that defines its own', () => {
    expect(joinTypes('PageInfo').sort()).toEqual(['graph: RESTORE_SESSIONS', 'graph: TICKETS']);
    expect(fieldsOf(composed.apiSchema, 'TicketConnection')).toContain('pageInfo');
  });

  it('keeps the entities resolvable by any subgraph through their keys', () => {
    expect(joinTypes('SiteRestoreArtifact')).toEqual(['graph: RESTORE_SESSIONS, key: "id restoreSessionId"']);
    expect(joinTypes('RestorePoint')).toEqual(['graph: RESTORE_SESSIONS, key: "id"']);
    expect(joinTypes('SiteProtectionUnit')).toEqual(['graph: RESTORE_SESSIONS, key: "id"']);
  });

  it('keeps the subscriptions, served by this subgraph', () => {
    expect(fieldsOf(composed.apiSchema, 'Subscription').sort()).toEqual([
      'restoreArtifactStatusChanged',
      'restoreSessionStatusChanged',
      'siteRestoreArtifactStatusChanged',
    ]);
  });

  it('matches the reviewed supergraph', async () => {
    await expect(composed.supergraphSdl.endsWith('\n') ? composed.supergraphSdl : `${composed.supergraphSdl}\n`).toMatchFileSnapshot(
      './__snapshots__/supergraph.graphql',
    );
  });
});

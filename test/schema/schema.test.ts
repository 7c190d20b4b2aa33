import { createRequire } from 'node:module';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { Kind } from 'graphql';
import type * as GraphQLModule from 'graphql';
import type { GraphQLNamedType, GraphQLSchema } from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  browseItemOrder,
  conflictBehavior,
  graphEnumMappings,
  mailItemKind,
  isTerminalArtifactStatus,
  isTerminalBulkRequestStatus,
  isTerminalSessionStatus,
  restoreSessionKind,
  restoreSessionTypename,
} from '../../src/graph/enums.js';
import type { RestoreSessionKind } from '../../src/graph/enums.js';
import { loadTypeDefs } from '../../src/schema/load-type-defs.js';

// @apollo/subgraph is CommonJS and loads graphql's index.js, while vite resolves `import 'graphql'`
// in test files to index.mjs: two copies whose instanceof checks reject each other's schema objects.
// Taking the CommonJS copy keeps one realm whatever vitest.config.ts resolves.
const { graphql, isEnumType, isInputObjectType, isInterfaceType, isObjectType, isUnionType, validateSchema } = createRequire(
  import.meta.url,
)('graphql') as typeof GraphQLModule;

// Enums of the gateway itself, with no Graph counterpart to map.
const GATEWAY_ONLY_ENUMS = new Set(['GatewayErrorCode', 'RestoreArtifactChangeOperation']);
/**
 * Enums only clients send: no Graph answer ever needs reading back into them, so they have no UNKNOWN_FUTURE_VALUE and
 * map one way, through a table that must name every value.
 */
const INPUT_ONLY_ENUMS: Record<string, Readonly<Record<string, string>>> = {
  BrowseItemOrder: browseItemOrder,
  ConflictBehavior: conflictBehavior,
  MailItemKind: mailItemKind,
};

let schema: GraphQLSchema;
// Names come from the SDL files rather than the built schema, which also holds what
// buildSubgraphSchema adds (_service, _entities, link__*, federation__*) and GraphQL's built-ins.
const ownFields = new Map<string, Set<string>>();

beforeAll(() => {
  const typeDefs = loadTypeDefs();
  for (const definition of typeDefs.definitions) {
    if (
      definition.kind === Kind.OBJECT_TYPE_DEFINITION ||
      definition.kind === Kind.INTERFACE_TYPE_DEFINITION ||
      definition.kind === Kind.INPUT_OBJECT_TYPE_DEFINITION ||
      definition.kind === Kind.ENUM_TYPE_DEFINITION ||
      definition.kind === Kind.SCALAR_TYPE_DEFINITION ||
      definition.kind === Kind.UNION_TYPE_DEFINITION
    ) {
      const names = new Set<string>();
      if ('fields' in definition) for (const field of definition.fields ?? []) names.add(field.name.value);
      ownFields.set(definition.name.value, names);
    }
  }
  schema = buildSubgraphSchema({ typeDefs });
});

function ownType(name: string): GraphQLNamedType {
  const type = schema.getType(name);
  if (!type) throw new Error(`type ${name} missing from the built schema`);
  return type;
}

function enumValueNames(name: string): string[] {
  const type = ownType(name);
  if (!isEnumType(type)) throw new Error(`${name} is not an enum`);
  return type.getValues().map((value) => value.name);
}

describe('subgraph schema', () => {
  it('builds as a valid Federation 2 subgraph', () => {
    expect(validateSchema(schema)).toEqual([]);
  });

  it('describes every type, field, argument, input field and enum value', () => {
    const missing: string[] = [];
    const check = (path: string, description: string | null | undefined): void => {
      if (!description?.trim()) missing.push(path);
    };
    for (const [typeName, fieldNames] of ownFields) {
      const type = ownType(typeName);
      check(typeName, type.description);
      if (isObjectType(type) || isInterfaceType(type)) {
        for (const field of Object.values(type.getFields())) {
          if (!fieldNames.has(field.name)) continue;
          check(`${typeName}.${field.name}`, field.description);
          for (const arg of field.args) check(`${typeName}.${field.name}(${arg.name})`, arg.description);
        }
      } else if (isInputObjectType(type)) {
        for (const field of Object.values(type.getFields())) check(`${typeName}.${field.name}`, field.description);
      } else if (isEnumType(type)) {
        for (const value of type.getValues()) check(`${typeName}.${value.name}`, value.description);
      }
    }
    expect(missing).toEqual([]);
  });

  it('keeps the public contract names', () => {
    const fieldArgs = (typeName: string, fieldName: string): string[] => {
      const type = ownType(typeName);
      if (!isObjectType(type) && !isInterfaceType(type)) throw new Error(`${typeName} has no fields`);
      const field = type.getFields()[fieldName];
      if (!field) throw new Error(`${typeName}.${fieldName} missing`);
      return field.args.map((arg) => arg.name);
    };
    expect(fieldArgs('Query', 'restoreSession')).toEqual(['id']);
    expect(fieldArgs('Query', 'restoreSessions')).toEqual(['first', 'after', 'filter']);
    expect(fieldArgs('Query', 'sharePointRestoreSessions')).toEqual(['first', 'after', 'filter']);
    expect(fieldArgs('Query', 'siteProtectionUnits')).toEqual(['first', 'after']);
    expect(fieldArgs('Query', 'restorePoints')).toEqual(['protectionUnitId', 'before']);
    expect(fieldArgs('Query', 'restorePoint')).toEqual(['id']);
    expect(fieldArgs('Query', 'searchRestorePoints')).toEqual(['input']);
    expect(fieldArgs('SharePointRestoreSession', 'siteRestoreArtifacts')).toEqual(['first', 'after', 'filter']);
    for (const field of [
      'createSharePointRestoreSession',
      'updateSharePointRestoreSession',
      'addSiteRestoreArtifact',
      'createSiteRestoreArtifactsBulkAdditionRequest',
    ]) {
      expect(fieldArgs('Mutation', field)).toEqual(['input']);
    }
    expect(fieldArgs('Mutation', 'deleteRestoreSession')).toEqual(['id']);
    expect(fieldArgs('Mutation', 'activateRestoreSession')).toEqual(['id']);
    expect(fieldArgs('Mutation', 'deleteSiteRestoreArtifactsBulkAdditionRequest')).toEqual(['restoreSessionId', 'id']);
    expect(fieldArgs('Subscription', 'restoreSessionStatusChanged')).toEqual(['id']);
    expect(fieldArgs('Subscription', 'siteRestoreArtifactStatusChanged')).toEqual(['restoreSessionId']);

    const restoreSession = ownType('RestoreSession');
    expect(isInterfaceType(restoreSession)).toBe(true);
    if (isInterfaceType(restoreSession)) {
      expect(
        schema
          .getPossibleTypes(restoreSession)
          .map((type) => type.name)
          .sort(),
      ).toEqual(['ExchangeRestoreSession', 'OneDriveForBusinessRestoreSession', 'SharePointRestoreSession']);
    }
    expect(enumValueNames('RestoreSessionStatus')).toEqual([
      'DRAFT',
      'ACTIVATING',
      'ACTIVE',
      'COMPLETED_WITH_ERROR',
      'COMPLETED',
      'FAILED',
      'UNKNOWN_FUTURE_VALUE',
    ]);
    for (const connection of [
      'RestoreSessionConnection',
      'SharePointRestoreSessionConnection',
      'SiteRestoreArtifactConnection',
      'SiteProtectionUnitConnection',
    ]) {
      const type = ownType(connection);
      expect(isObjectType(type) && Object.keys(type.getFields())).toEqual(['edges', 'nodes', 'pageInfo', 'totalCount']);
    }
  });

  it('makes the entities resolvable by other subgraphs', () => {
    const entity = ownType('_Entity');
    expect(isUnionType(entity)).toBe(true);
    if (!isUnionType(entity)) return;
    expect(entity.getTypes().map((type) => type.name)).toEqual(
      expect.arrayContaining([
        'SharePointRestoreSession',
        'ExchangeRestoreSession',
        'OneDriveForBusinessRestoreSession',
        'SiteRestoreArtifact',
        'RestorePoint',
        'SiteProtectionUnit',
      ]),
    );
  });

  it('answers _service { sdl } with the reviewed SDL', async () => {
    const result = await graphql({ schema, source: '{ _service { sdl } }' });
    expect(result.errors).toBeUndefined();
    const sdl = (result.data?._service as { sdl: string } | undefined)?.sdl;
    expect(typeof sdl).toBe('string');
    await expect(`${sdl ?? ''}\n`).toMatchFileSnapshot('./__snapshots__/subgraph.graphql');
  });
});

describe('enum mapping', () => {
  it('maps every Graph-backed GraphQL enum, and nothing else is left unmapped', () => {
    const schemaEnums = Object.values(schema.getTypeMap())
      .filter((type) => isEnumType(type) && ownFields.has(type.name))
      .map((type) => type.name);
    const mapped = Object.keys(graphEnumMappings);
    expect([...mapped, ...GATEWAY_ONLY_ENUMS, ...Object.keys(INPUT_ONLY_ENUMS)].sort()).toEqual([...schemaEnums].sort());
    for (const [name, table] of Object.entries(INPUT_ONLY_ENUMS))
      expect(Object.keys(table).sort(), name).toEqual(enumValueNames(name).sort());
    for (const [name, mapping] of Object.entries(graphEnumMappings)) {
      expect(mapping.values, name).toEqual(expect.arrayContaining(enumValueNames(name)));
      expect(mapping.values.length, name).toBe(enumValueNames(name).length);
    }
  });

  it('round-trips every value, whatever case Graph writes it in', () => {
    for (const [name, mapping] of Object.entries(graphEnumMappings)) {
      for (const value of enumValueNames(name) as Array<(typeof mapping.values)[number]>) {
        // Each mapping is typed over its own enum; the union of them needs one widening here.
        const { toGraph, fromGraph } = mapping as unknown as {
          toGraph(value: string): string;
          fromGraph(value: string): string;
        };
        const graphValue = toGraph(value);
        expect(graphValue, `${name}.${value}`).toMatch(/^[a-z][A-Za-z]*$/);
        expect(fromGraph(graphValue), `${name}.${value}`).toBe(value);
        expect(fromGraph(graphValue.toUpperCase()), `${name}.${value}`).toBe(value);
      }
    }
  });

  it('maps a Graph value it does not know to UNKNOWN_FUTURE_VALUE', () => {
    for (const [name, mapping] of Object.entries(graphEnumMappings)) {
      expect(mapping.fromGraph('someMemberAddedNextYear'), name).toBe('UNKNOWN_FUTURE_VALUE');
      expect(mapping.fromGraph(''), name).toBe('UNKNOWN_FUTURE_VALUE');
    }
  });

  it('knows the spellings the docs disagree on', () => {
    expect(graphEnumMappings.RestoreSessionStatus.fromGraph('completedWithError')).toBe('COMPLETED_WITH_ERROR');
    expect(graphEnumMappings.RestoreSessionStatus.fromGraph('failed')).toBe('FAILED');
    expect(graphEnumMappings.RestoreJobType.fromGraph('granular')).toBe('GRANULAR');
    expect(graphEnumMappings.RestoreArtifactsBulkRequestStatus.fromGraph('CompletedWithErrors')).toBe('COMPLETED_WITH_ERRORS');
    expect(graphEnumMappings.RestoreArtifactsBulkRequestStatus.fromGraph('unknown')).toBe('UNKNOWN');
    expect(graphEnumMappings.RestorePointTags.fromGraph('FastRestore')).toBe('FAST_RESTORE');
    expect(graphEnumMappings.DestinationType.toGraph('IN_PLACE')).toBe('inPlace');
  });

  it('treats only finished states as terminal', () => {
    expect(enumValueNames('RestoreSessionStatus').filter((v) => isTerminalSessionStatus(v as never))).toEqual([
      'COMPLETED_WITH_ERROR',
      'COMPLETED',
      'FAILED',
    ]);
    expect(enumValueNames('ArtifactRestoreStatus').filter((v) => isTerminalArtifactStatus(v as never))).toEqual(['SUCCEEDED', 'FAILED']);
    expect(enumValueNames('RestoreArtifactsBulkRequestStatus').filter((v) => isTerminalBulkRequestStatus(v as never))).toEqual([
      'COMPLETED',
      'COMPLETED_WITH_ERRORS',
    ]);
  });
});

describe('restore session kinds', () => {
  it('reads @odata.type case-insensitively, including the docs’ sharepoint spelling', () => {
    expect(restoreSessionKind('#microsoft.graph.sharePointRestoreSession')).toBe('sharePoint');
    expect(restoreSessionKind('#microsoft.graph.sharepointRestoreSession')).toBe('sharePoint');
    expect(restoreSessionKind('microsoft.graph.SharePointRestoreSession')).toBe('sharePoint');
    expect(restoreSessionKind('#microsoft.graph.exchangeRestoreSession')).toBe('exchange');
    expect(restoreSessionKind('#microsoft.graph.oneDriveForBusinessRestoreSession')).toBe('oneDriveForBusiness');
  });

  it('uses the entity set’s kind when @odata.type is missing', () => {
    expect(restoreSessionKind(undefined, 'sharePoint')).toBe('sharePoint');
    expect(restoreSessionKind(null)).toBe('unknown');
    expect(restoreSessionKind('')).toBe('unknown');
  });

  it('still lists an unknown family as a RestoreSession implementation', () => {
    expect(restoreSessionKind('#microsoft.graph.teamsRestoreSession', 'sharePoint')).toBe('unknown');
    const restoreSession = ownType('RestoreSession');
    if (!isInterfaceType(restoreSession)) throw new Error('RestoreSession is not an interface');
    const implementations = schema.getPossibleTypes(restoreSession).map((type) => type.name);
    const kinds: RestoreSessionKind[] = ['sharePoint', 'exchange', 'oneDriveForBusiness', 'unknown'];
    for (const kind of kinds) expect(implementations).toContain(restoreSessionTypename(kind));
    expect(restoreSessionTypename('sharePoint')).toBe('SharePointRestoreSession');
    expect(restoreSessionTypename('unknown')).not.toBe('SharePointRestoreSession');
  });
});

import { Kind, getNamedType, isListType, isNonNullType, isObjectType, isInterfaceType } from 'graphql';
import type { GraphQLField, GraphQLOutputType, GraphQLSchema } from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildSchema } from '../../src/schema/build-schema.js';
import { loadTypeDefs } from '../../src/schema/load-type-defs.js';
import { entityKeys } from './key-coverage.js';

// The nullability policy of docs/schema-design.md, checked over the whole schema so that a new field follows it too.

let schema: GraphQLSchema;
/** The gateway's own object and interface types (not what buildSubgraphSchema adds, nor GraphQL's built-ins). Their `_` fields are federation's. */
const ownTypes = new Set<string>();

beforeAll(() => {
  const typeDefs = loadTypeDefs();
  for (const d of typeDefs.definitions) {
    if (d.kind === Kind.OBJECT_TYPE_DEFINITION || d.kind === Kind.INTERFACE_TYPE_DEFINITION) ownTypes.add(d.name.value);
  }
  schema = buildSchema();
});

/** Own fields of one root type, without the federation plumbing (`_service`, `_entities`). */
function rootFields(name: 'Query' | 'Mutation' | 'Subscription'): Array<GraphQLField<unknown, unknown>> {
  const type = schema.getType(name);
  if (!isObjectType(type)) throw new Error(`${name} missing`);
  return Object.values(type.getFields()).filter((field) => !field.name.startsWith('_'));
}

function ownFields(): Array<[string, GraphQLField<unknown, unknown>]> {
  return [...ownTypes].flatMap((name) => {
    const type = schema.getType(name);
    if (!isObjectType(type) && !isInterfaceType(type)) return [];
    return Object.values(type.getFields())
      .filter((field) => !field.name.startsWith('_'))
      .map((field): [string, GraphQLField<unknown, unknown>] => [`${name}.${field.name}`, field]);
  });
}

const listItem = (type: GraphQLOutputType): GraphQLOutputType | undefined => {
  const list = isNonNullType(type) ? type.ofType : type;
  return isListType(list) ? (list.ofType as GraphQLOutputType) : undefined;
};

describe('nullability policy', () => {
  it('makes every Query and Mutation field nullable, so one failed field leaves its siblings (and other subgraphs) alone', () => {
    const fields = [...rootFields('Query'), ...rootFields('Mutation')];
    expect(fields.length).toBeGreaterThanOrEqual(14);
    expect(fields.filter((field) => isNonNullType(field.type)).map((field) => field.name)).toEqual([]);
  });

  it('makes Subscription fields non-null: a subscription has one root field, so a null would save no sibling', () => {
    const fields = rootFields('Subscription');
    expect(fields.map((field) => field.name).sort()).toEqual([
      'restoreArtifactStatusChanged',
      'restoreSessionStatusChanged',
      'siteRestoreArtifactStatusChanged',
    ]);
    for (const field of fields) expect(isNonNullType(field.type), field.name).toBe(true);
  });

  it('never puts null inside a list', () => {
    const nullableItems = ownFields().filter(([, field]) => {
      const item = listItem(field.type);
      return item !== undefined && !isNonNullType(item);
    });
    expect(nullableItems.map(([name]) => name)).toEqual([]);
  });

  it('shapes every connection alike: the page is there once the connection is, only the count may be missing', () => {
    const connections = [...ownTypes].filter((name) => name.endsWith('Connection'));
    expect(connections.length).toBeGreaterThanOrEqual(4);
    for (const name of connections) {
      const type = schema.getType(name);
      if (!isObjectType(type)) throw new Error(`${name} is not an object type`);
      const f = type.getFields();
      const edge = getNamedType(f.edges!.type);
      expect(String(f.edges!.type), name).toBe(`[${edge.name}!]!`);
      expect(String(f.nodes!.type), name).toMatch(/^\[\w+!\]!$/);
      expect(String(f.pageInfo!.type), name).toBe('PageInfo!');
      expect(String(f.totalCount!.type), name).toBe('NonNegativeInt');
      if (!isObjectType(edge)) throw new Error(`${edge.name} is not an object type`);
      expect(String(edge.getFields().cursor!.type), edge.name).toBe('String!');
      expect(String(edge.getFields().node!.type), edge.name).toBe(String(f.nodes!.type).slice(1, -2));
    }
  });

  it('makes every key field non-null, so a client cache can always identify an entity', () => {
    const nullableKeys: string[] = [];
    for (const [typeName, sets] of entityKeys(schema)) {
      const type = schema.getType(typeName);
      if (!isObjectType(type) && !isInterfaceType(type)) continue;
      for (const field of sets.flat()) if (!isNonNullType(type.getFields()[field]?.type)) nullableKeys.push(`${typeName}.${field}`);
    }
    expect(nullableKeys).toEqual([]);
  });
});

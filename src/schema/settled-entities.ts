import { entitiesResolver } from '@apollo/subgraph/dist/types.js';
import {
  GraphQLError,
  Kind,
  isInterfaceType,
  isObjectType,
  type GraphQLFieldResolver,
  type GraphQLInterfaceType,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';

/**
 * `Query._entities` with every representation settled on its own.
 *
 * @apollo/subgraph's resolver maps the representations in one pass and throws at the first it cannot use (an unknown
 * `__typename`, a reference its `__resolveReference` cannot take): the whole field fails, and the lookups it already
 * started for the earlier representations are left with nobody to observe them, so the first of those to reject
 * ends the process (Node's default for an unhandled rejection). Here each representation is checked against the
 * entity's `@key` first and resolved alone: a bad one is a `BAD_USER_INPUT` error at its own index
 * (`_entities.<i>`), the others resolve, and every lookup started is returned to graphql-js, which awaits it.
 */

/** The per-representation entity resolver (@apollo/subgraph's, for one representation at a time). */
type EntityResolver = (
  reference: Record<string, unknown>,
  context: unknown,
  info: Parameters<GraphQLFieldResolver<unknown, unknown>>[3],
) => unknown;

const resolveOne: EntityResolver = (reference, context, info) => entitiesResolver({ representations: [reference], context, info })[0];

/** Replaces `_entities`' resolver in place (the schema keeps its identity); a schema without `_entities` is left alone. */
export function settleEntityResolution(schema: GraphQLSchema): GraphQLSchema {
  const field = schema.getQueryType()?.getFields()._entities;
  if (!field) return schema;
  const keys = entityKeys(schema);
  field.resolve = (_source, args: { representations?: unknown }, context, info) => {
    const representations = Array.isArray(args.representations) ? args.representations : [];
    return representations.map((representation: unknown, index) => {
      const problem = referenceProblem(representation, index, keys);
      if (problem !== undefined) return badRepresentation(problem);
      try {
        return resolveOne(representation as Record<string, unknown>, context, info);
      } catch (err) {
        // A synchronous throw (a loader given nothing to load, a bug) fails only this index, as a rejection would.
        return err instanceof Error ? err : new Error(String(err));
      }
    });
  };
  return schema;
}

/** For each entity type (a type with `@key`), the key field sets a representation may use (any one of them). */
function entityKeys(schema: GraphQLSchema): ReadonlyMap<string, readonly (readonly string[])[]> {
  const keys = new Map<string, string[][]>();
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) && !isInterfaceType(type)) continue;
    const sets = keyFieldSets(type);
    if (sets.length > 0) keys.set(type.name, sets);
  }
  return keys;
}

function keyFieldSets(type: GraphQLObjectType | GraphQLInterfaceType): string[][] {
  const sets: string[][] = [];
  for (const node of [type.astNode, ...type.extensionASTNodes]) {
    for (const directive of node?.directives ?? []) {
      if (directive.name.value !== 'key') continue;
      const fields = directive.arguments?.find((a) => a.name.value === 'fields')?.value;
      if (fields?.kind !== Kind.STRING) continue;
      // The gateway's keys are flat (`id`, `id restoreSessionId`); a nested selection's top-level names still must be there.
      sets.push(topLevelNames(fields.value));
    }
  }
  return sets;
}

function topLevelNames(selection: string): string[] {
  const names: string[] = [];
  let depth = 0;
  for (const token of selection.match(/[_A-Za-z][_0-9A-Za-z]*|[{}]/g) ?? []) {
    if (token === '{') depth++;
    else if (token === '}') depth--;
    else if (depth === 0) names.push(token);
  }
  return names;
}

/** Why a representation cannot be resolved, or undefined when it names an entity and carries one of its keys. */
function referenceProblem(
  representation: unknown,
  index: number,
  keys: ReadonlyMap<string, readonly (readonly string[])[]>,
): string | undefined {
  if (typeof representation !== 'object' || representation === null || Array.isArray(representation)) {
    return `Representation ${index} is not an entity reference: expected an object with __typename and the entity's key fields.`;
  }
  const fields = representation as Record<string, unknown>;
  const typename = fields.__typename;
  if (typeof typename !== 'string' || typename === '') return `Representation ${index} has no __typename.`;
  const sets = keys.get(typename);
  if (!sets) return `Representation ${index}: ${printable(typename)} is not an entity type of this subgraph.`;
  const usable = sets.some((set) => set.every((name) => isKeyValue(fields[name])));
  if (usable) return undefined;
  const wanted = sets.map((set) => set.join(' ')).join('" or "');
  return `Representation ${index} (${typename}) lacks its key: expected non-empty "${wanted}".`;
}

function isKeyValue(value: unknown): boolean {
  return (
    (typeof value === 'string' && value !== '') ||
    (typeof value === 'number' && Number.isFinite(value)) ||
    (typeof value === 'object' && value !== null)
  );
}

/** A client-chosen name, quoted and cut short, as it may appear in a message. */
function printable(name: string): string {
  const clean = name.replace(/[^\x20-\x7e]/g, '?');
  return JSON.stringify(clean.length > 100 ? `${clean.slice(0, 100)}…` : clean);
}

function badRepresentation(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', argument: 'representations' } });
}

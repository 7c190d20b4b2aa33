import {
  Kind,
  TypeInfo,
  getNamedType,
  isAbstractType,
  isCompositeType,
  isInterfaceType,
  isObjectType,
  parse,
  visit,
  visitWithTypeInfo,
} from 'graphql';
import type {
  ASTNode,
  DocumentNode,
  FragmentDefinitionNode,
  GraphQLCompositeType,
  GraphQLObjectType,
  GraphQLSchema,
  SelectionSetNode,
  StringValueNode,
} from 'graphql';

/**
 * Whether a document's selections let a normalising client cache (Apollo Client's InMemoryCache, urql's Graphcache,
 * Relay) identify every entity they fetch: each selection set of a type with `@key` must select that type's key fields,
 * or the cache cannot merge the object with the same object fetched elsewhere (Apollo Client then stores it unkeyed, or
 * fails with invariant 114 when typePolicies name key fields the result lacks). The key fields come from the schema's
 * own `@key` directives, so a new entity or a changed key is checked without editing a list.
 */

/** For each type with `@key`: its key field sets (a type may declare several; any one identifies it), top-level names. */
export type EntityKeys = ReadonlyMap<string, ReadonlyArray<readonly string[]>>;

/** A selection set of a keyed type that lacks the key fields. */
export interface KeyFinding {
  /** The concrete type an object of which would arrive without its keys. */
  type: string;
  /** The type the selection set is on, when it is abstract (an interface or union), else the same as `type`. */
  selectedAs: string;
  /** The fields the smallest key field set still needs. */
  missing: string[];
  /** Response path of the field the selection set belongs to, for example `restoreSessions.nodes`. */
  path: string;
  /** 1-based line of that field inside the document. */
  line: number;
}

function keyDirectiveFieldSets(node: ASTNode | null | undefined): string[][] {
  if (!node || !('directives' in node) || !node.directives) return [];
  return node.directives
    .filter((directive) => directive.name.value === 'key')
    .map((directive) => {
      const fields = directive.arguments?.find((arg) => arg.name.value === 'fields')?.value;
      if (fields?.kind !== Kind.STRING) throw new Error('@key without a fields string');
      // A field set is a selection set without its braces; nested keys need their top-level field, which is what is checked.
      const selection = parse(`{ ${(fields as StringValueNode).value} }`).definitions[0];
      if (selection?.kind !== Kind.OPERATION_DEFINITION) throw new Error(`@key fields "${(fields as StringValueNode).value}" do not parse`);
      return selection.selectionSet.selections.flatMap((s) => (s.kind === Kind.FIELD ? [s.name.value] : []));
    });
}

/** Every object and interface type's `@key` field sets, read from the schema's type definitions and extensions. */
export function entityKeys(schema: GraphQLSchema): EntityKeys {
  const keys = new Map<string, string[][]>();
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) && !isInterfaceType(type)) continue;
    const sets = [type.astNode, ...type.extensionASTNodes].flatMap((node) => keyDirectiveFieldSets(node));
    if (sets.length > 0) keys.set(type.name, sets);
  }
  return keys;
}

/** The key field sets of a concrete type: its own, or those of the entity interfaces it implements. */
function keysOf(type: GraphQLObjectType, keys: EntityKeys): ReadonlyArray<readonly string[]> {
  const own = keys.get(type.name);
  if (own) return own;
  return type.getInterfaces().flatMap((iface) => keys.get(iface.name) ?? []);
}

/** Whether a fragment with this type condition applies to objects of `type`. */
function applies(schema: GraphQLSchema, condition: string | undefined, type: GraphQLObjectType): boolean {
  if (condition === undefined || condition === type.name) return true;
  const conditionType = schema.getType(condition);
  return conditionType !== undefined && isAbstractType(conditionType) && schema.isSubType(conditionType, type);
}

/** `@skip` or `@include` makes a selection conditional, so it cannot be relied on for the keys. */
function conditional(node: { directives?: ReadonlyArray<{ name: { value: string } }> | undefined }): boolean {
  return (node.directives ?? []).some((d) => d.name.value === 'skip' || d.name.value === 'include');
}

/** Field names an object of `type` always gets from this selection set: its own fields plus the fragments that apply. */
function providedFields(
  schema: GraphQLSchema,
  selectionSet: SelectionSetNode,
  type: GraphQLObjectType,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  seen: Set<string> = new Set(),
): Set<string> {
  const names = new Set<string>();
  for (const selection of selectionSet.selections) {
    if (conditional(selection)) continue;
    if (selection.kind === Kind.FIELD) {
      names.add(selection.name.value);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      if (!applies(schema, selection.typeCondition?.name.value, type)) continue;
      for (const name of providedFields(schema, selection.selectionSet, type, fragments, seen)) names.add(name);
    } else {
      const fragment = fragments.get(selection.name.value);
      if (!fragment || seen.has(fragment.name.value) || !applies(schema, fragment.typeCondition.name.value, type)) continue;
      for (const name of providedFields(schema, fragment.selectionSet, type, fragments, new Set([...seen, fragment.name.value]))) {
        names.add(name);
      }
    }
  }
  return names;
}

function findingsFor(
  schema: GraphQLSchema,
  keys: EntityKeys,
  selected: GraphQLCompositeType,
  selectionSet: SelectionSetNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
): Array<Pick<KeyFinding, 'type' | 'selectedAs' | 'missing'>> {
  const concrete = isAbstractType(selected) ? schema.getPossibleTypes(selected) : [selected];
  const findings: Array<Pick<KeyFinding, 'type' | 'selectedAs' | 'missing'>> = [];
  for (const type of concrete) {
    const sets = keysOf(type, keys);
    if (sets.length === 0) continue;
    const provided = providedFields(schema, selectionSet, type, fragments);
    const missing = sets.map((set) => set.filter((field) => !provided.has(field))).sort((a, b) => a.length - b.length)[0]!;
    if (missing.length > 0) findings.push({ type: type.name, selectedAs: selected.name, missing });
  }
  return findings;
}

/**
 * Every selection set of a keyed type in `document` that lacks its key fields. Fields the schema does not know (another
 * subgraph's, in a supergraph example) are skipped with everything beneath them. `extraFragments` are fragments defined
 * elsewhere (another code block of the same page) that the document spreads.
 */
export function missingKeys(
  schema: GraphQLSchema,
  keys: EntityKeys,
  document: DocumentNode,
  extraFragments: ReadonlyMap<string, FragmentDefinitionNode> = new Map(),
): { findings: KeyFinding[]; checked: number } {
  const fragments = new Map(extraFragments);
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const typeInfo = new TypeInfo(schema);
  const path: string[] = [];
  const findings: KeyFinding[] = [];
  let checked = 0;
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      FragmentDefinition: {
        enter: (node) => void path.push(`(fragment ${node.name.value})`),
        leave: () => void path.pop(),
      },
      Field: {
        enter(node) {
          path.push(node.alias?.value ?? node.name.value);
          const type = typeInfo.getType();
          const named = type ? getNamedType(type) : undefined;
          if (!node.selectionSet || !named || !isCompositeType(named)) return;
          checked += 1;
          for (const finding of findingsFor(schema, keys, named, node.selectionSet, fragments)) {
            findings.push({ ...finding, path: path.join('.'), line: node.loc?.startToken.line ?? 0 });
          }
        },
        leave: () => void path.pop(),
      },
    }),
  );
  return { findings, checked };
}

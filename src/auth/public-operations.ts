import { Kind, parse, type DocumentNode } from 'graphql';

/**
 * The one operation that needs no caller token: a query for the subgraph's schema (`_service { sdl }`), which rover and
 * routers ask for and which holds nothing but the schema (docs/federation.md). A document is exempt only when every
 * operation in it is a query whose top-level selections are all `_service` or `__typename` fields (no fragment at the
 * top level, where one could select anything), so whichever operation the server picks, it reads no data.
 */
export function isSchemaOnlyDocument(query: unknown): boolean {
  if (typeof query !== 'string' || !query.includes('_service') || query.length > 10_000) return false;
  let document: DocumentNode;
  try {
    document = parse(query, { noLocation: true, maxTokens: 1_000 });
  } catch {
    return false;
  }
  let operations = 0;
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) continue;
    if (definition.kind !== Kind.OPERATION_DEFINITION || definition.operation !== 'query') return false;
    operations++;
    for (const selection of definition.selectionSet.selections) {
      if (selection.kind !== Kind.FIELD) return false;
      if (selection.name.value !== '_service' && selection.name.value !== '__typename') return false;
    }
  }
  return operations > 0;
}

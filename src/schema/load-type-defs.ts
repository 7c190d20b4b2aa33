import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kind, parse, Source } from 'graphql';
import type { DefinitionNode, DocumentNode } from 'graphql';

// Found by walking up rather than by a fixed relative path, so the same code works from src/ under
// tsx and from a compiled copy under dist/.
function findSchemaDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'schema');
    if (existsSync(join(candidate, 'federation.graphql'))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('schema/federation.graphql not found above ' + fileURLToPath(import.meta.url));
    dir = parent;
  }
}

/** Absolute path of the directory holding the SDL files. */
export const schemaDir: string = findSchemaDir();

/**
 * Reads every `*.graphql` file of the SDL directory and returns them as one document, ready for
 * `buildSubgraphSchema`. Files are parsed one by one so that syntax errors name their file, and
 * read in name order so the result does not depend on the file system's listing order.
 */
export function loadTypeDefs(): DocumentNode {
  const dir = schemaDir;
  const files = readdirSync(dir)
    .filter((name) => name.endsWith('.graphql'))
    .sort();
  if (files.length === 0) throw new Error(`no .graphql files in ${dir}`);
  const definitions: DefinitionNode[] = [];
  for (const file of files) {
    const path = join(dir, file);
    definitions.push(...parse(new Source(readFileSync(path, 'utf8'), path)).definitions);
  }
  return { kind: Kind.DOCUMENT, definitions };
}

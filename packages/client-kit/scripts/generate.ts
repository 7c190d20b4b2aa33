// Writes the kit's schema.graphql and src/generated/schema-facts.ts from the gateway's own executable schema. The root
// `npm run codegen` runs it (then the client preset over the kit's example operations); `npm run codegen:check` fails
// when the committed files differ from what it writes. Run it again after any change to schema/*.graphql: never edit
// its output by hand.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSchema } from '../../../src/schema/build-schema.js';
import { loadTypeDefs } from '../../../src/schema/load-type-defs.js';
import { clientSchemaOf, printClientSchema } from './client-schema.js';
import { printSchemaFacts, schemaFactsOf } from './schema-facts.js';

/** The kit's generated files, by path relative to the kit, and their content. */
export function generateKitFiles(): Record<string, string> {
  const ownTypeDefs = loadTypeDefs();
  const clientSchema = clientSchemaOf(buildSchema(), ownTypeDefs);
  return {
    'schema.graphql': printClientSchema(clientSchema),
    'src/generated/schema-facts.ts': printSchemaFacts(schemaFactsOf(clientSchema, ownTypeDefs)),
  };
}

const kitDir = fileURLToPath(new URL('..', import.meta.url));

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const [path, content] of Object.entries(generateKitFiles())) {
    const target = kitDir + path;
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, content);
  }
}

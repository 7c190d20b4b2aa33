// GraphQL Code Generator's client preset for Apollo Client 4 against the restore-session gateway. A frontend team
// copies this file (and schema.graphql) into its project, points `documents` at its own operations and `generates` at
// where it keeps generated code, and runs `npx graphql-codegen --config codegen.ts`. Here it types the kit's own
// operations, each set into its own folder: the example's (`graphql()` calls in example/*.ts) into
// src/generated/example/, the restore console's (console/src/) into src/generated/console/. The root `npm run codegen`
// runs it from this folder, so the paths are relative to it.
//
// Tested with @graphql-codegen/cli 5.0.7 and @graphql-codegen/client-preset 4.8.3.
import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * The gateway's custom scalars as they travel in JSON. `strictScalars` makes codegen fail on a scalar missing here
 * (for example one a later gateway version adds) instead of typing it `any`.
 */
export const scalars = {
  // RFC 3339 in UTC, for example `2024-05-12T10:01:00.000Z`: parse it with `new Date(value)` where you need a Date.
  DateTime: 'string',
  // An absolute URL as a string: `new URL(value)` where you need one.
  URL: 'string',
  NonNegativeInt: 'number',
  // Sizes in bytes: integers a JSON number keeps exactly (up to 2^53 - 1).
  SafeInt: 'number',
} as const;

/** What the client preset should generate for Apollo Client 4 (and the typescript/typescript-operations plugins it runs). */
export const clientPresetConfig = {
  scalars,
  strictScalars: true,
  // Enums as string-literal unions: no runtime objects, and a value a newer gateway adds is not a compile-time break.
  enumsAsTypes: true,
  // Nullable fields are `T | null` rather than optional, as they arrive; nullable inputs stay optional.
  avoidOptionals: { field: true, inputValue: false },
  // Apollo Client adds `__typename` to every selection set but the root ones.
  nonOptionalTypename: true,
  skipTypeNameForRoot: true,
  useTypeImports: true,
  // Types for what the operations select (and the enums and inputs they use), not for every type of the schema.
  onlyOperationTypes: true,
};

/** One client preset output: the operations in `documents`, typed into their own folder. */
function clientPreset(documents: string[]): CodegenConfig['generates'][string] {
  return {
    documents,
    preset: 'client',
    // Apollo Client 4 has data masking of its own; the preset's fragment masking would type the same thing twice.
    presetConfig: { fragmentMasking: false },
    config: clientPresetConfig,
  };
}

const config: CodegenConfig = {
  overwrite: true,
  schema: 'schema.graphql',
  // Imports with `.js` extensions, which Node's ESM resolution (and TypeScript's NodeNext) requires.
  emitLegacyCommonJSImports: false,
  generates: {
    'src/generated/example/': clientPreset(['example/**/*.ts']),
    'src/generated/console/': clientPreset(['console/src/**/*.ts', 'console/src/**/*.tsx']),
  },
};

export default config;

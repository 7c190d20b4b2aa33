import { defineConfig } from 'vitest/config';

export default defineConfig({
  // graphql ships ESM and CJS builds. CJS packages (@apollo/subgraph, @apollo/server) load the CJS one, so source
  // and tests must too: otherwise `instanceof GraphQLError` and schema checks fail across the two copies.
  resolve: { alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }] },
  test: {
    include: ['test/**/*.test.ts', 'packages/*/test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    reporters: ['default'],
  },
});

import { defineConfig } from 'vitest/config';

// Two projects, both run by `npm test`; `npm run test:in-process` or `npm run test:process` runs one of them.
//
// process: suites that spawn child processes (`npm start`, `node --import tsx …`, the emulator's CLI, a production
// install). Each child compiles the sources with tsx, and some of these suites measure timing and memory of the child,
// so they run one file at a time, after the in-process project, with the machine to themselves. Such a suite is named
// `*.process.test.ts`.
//
// in-process: everything else, in the test process, over real HTTP and WebSocket on ephemeral ports. Most of a
// file's cost here was importing the module graph again (Apollo, graphql, the emulator) in a fresh worker, so these
// files share their workers' modules (`isolate: false`) and run one worker per core. A file must therefore close what
// it starts and restore what it changes (fake timers, stubbed globals); test/support/per-file.ts is the safety net.
const PROCESS_SUITES = ['test/**/*.process.test.ts', 'packages/*/test/**/*.process.test.ts'];

// strict: the main read and write flows again, against the emulator's strict profile (EMULATOR_PROFILE=strict, which the
// test harness passes on): a Graph that allows only the query options its documentation lists, so every fallback of the
// gateway is proven too. Suites that count Graph requests stay on the default profile; what the fallbacks cost is what
// `npm run bench gateway` prints.
const STRICT_SUITES = [
  'test/gateway/queries.test.ts',
  'test/gateway/family-reads.test.ts',
  'test/gateway/family-restores.test.ts',
  'test/gateway/family-mutations.test.ts',
  'test/gateway/family-mutations-errors.test.ts',
  'test/gateway/family-subscriptions.test.ts',
  'test/gateway/mutations.test.ts',
  'test/gateway/mutations-errors.test.ts',
  'test/gateway/mutations-readme.test.ts',
  'test/gateway/subscriptions.test.ts',
  'test/gateway/http-subscriptions.test.ts',
  'test/gateway/id-validation.test.ts',
  'test/gateway/upstream-errors.test.ts',
  'test/gateway/browse.test.ts',
  'test/gateway/browse-access.test.ts',
  'test/gateway/granular-*.test.ts',
  'test/federation/gateway.test.ts',
  'test/runtimes/*.test.ts',
  'packages/client-kit/test/*.test.ts',
];

export default defineConfig({
  // graphql ships ESM and CJS builds. CJS packages (@apollo/subgraph, @apollo/server) load the CJS one, so source
  // and tests must too: otherwise `instanceof GraphQLError` and schema checks fail across the two copies.
  resolve: { alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }] },
  test: {
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    reporters: ['default'],
    projects: [
      {
        extends: true,
        test: {
          name: 'in-process',
          include: ['test/**/*.test.ts', 'packages/*/test/**/*.test.ts'],
          exclude: [...PROCESS_SUITES, '**/node_modules/**'],
          isolate: false,
          setupFiles: ['test/support/per-file.ts'],
          maxWorkers: '100%',
        },
      },
      {
        extends: true,
        test: {
          name: 'strict',
          include: STRICT_SUITES,
          exclude: [...PROCESS_SUITES, '**/node_modules/**'],
          env: { EMULATOR_PROFILE: 'strict' },
          isolate: false,
          setupFiles: ['test/support/per-file.ts'],
          maxWorkers: '100%',
        },
      },
      {
        extends: true,
        test: {
          name: 'process',
          include: PROCESS_SUITES,
          exclude: ['**/node_modules/**'],
          maxWorkers: 1,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});

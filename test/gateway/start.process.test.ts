import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLE_OPERATION } from '../../src/gateway.js';
import { postGraphQL } from '../support/graphql.js';
import { bannerUrl, kill, ROOT, signalGroup, start, within, type Started } from './process-support.js';

/**
 * `npm start` as a newcomer runs it: `npx tsx src/main.ts` in a child process with no Graph
 * settings, so it embeds the emulator. The example queries of docs/api.md run against it as written.
 */

const READY_TIMEOUT_MS = 60_000;
const EXIT_TIMEOUT_MS = 15_000;

/** The ```graphql blocks between the example-queries markers of docs/api.md. */
function readmeExamples(): string[] {
  const readme = readFileSync(`${ROOT}/docs/api.md`, 'utf8');
  const section = /<!-- example-queries:start -->([\s\S]*?)<!-- example-queries:end -->/.exec(readme)?.[1];
  if (!section) throw new Error('docs/api.md has no example-queries markers');
  return [...section.matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => m[1]!);
}

describe('npm start on a fresh clone', () => {
  let run: Started;
  let graphqlUrl: string;

  beforeAll(async () => {
    run = start({ PORT: '0' });
    graphqlUrl = await bannerUrl(run, READY_TIMEOUT_MS);
  }, READY_TIMEOUT_MS + 5_000);

  afterAll(async () => {
    await kill(run);
  });

  it('prints a banner naming the embedded emulator, the GraphQL URL and the example operation', () => {
    const banner = run.stdout();
    expect(banner).toMatch(/Microsoft Graph: embedded emulator at https:\/\/127\.0\.0\.1:\d+\/beta \(GRAPH_BASE_URL is unset/);
    expect(banner).toContain(EXAMPLE_OPERATION.trimEnd());
    expect(run.stderr()).not.toMatch(/error/i);
  });

  it('runs every README example query as written, with the caller token the banner prints', async () => {
    const examples = readmeExamples();
    expect(examples.length).toBeGreaterThanOrEqual(5);
    expect(examples[0]).toBe(EXAMPLE_OPERATION);
    const authorization = /^Authorization: (Bearer \S+)$/m.exec(run.stdout())?.[1];
    expect(authorization, 'the banner prints an Authorization header').toBeDefined();
    for (const document of examples) {
      const res = await postGraphQL(graphqlUrl, { query: document }, { authorization: authorization ?? '' });
      const name = /query (\w+)/.exec(document)?.[1];
      expect(res.status, name).toBe(200);
      expect(res.errors, `${name}: ${JSON.stringify(res.errors)}`).toBeUndefined();
      for (const [field, value] of Object.entries(res.data ?? {})) expect(value, `${name}.${field}`).not.toBeNull();
    }
  });

  it(
    'stops cleanly on SIGTERM',
    async () => {
      signalGroup(run.child, 'SIGTERM');
      const { code, signal } = await within(run.exited, EXIT_TIMEOUT_MS, 'stopping');
      // npx may report the signal instead of its child's exit code; either way the gateway drained.
      expect(code === 0 || signal === 'SIGTERM').toBe(true);
      expect(run.stderr()).toContain('SIGTERM: draining and stopping');
    },
    EXIT_TIMEOUT_MS + 5_000,
  );
});

describe('a bad configuration', () => {
  it.each([
    [{ PORT: 'abc' }, /PORT: expected an integer from 0 to 65535, got 'abc'/],
    [{ PORT: '0', GRAPH_BASE_URL: 'http://graph.example.com/beta' }, /GRAPH_BASE_URL: .*https, or http only for a loopback host/],
    [{ PORT: '0', EMULATOR_TIME_SCALE: 'fast' }, /EMULATOR_TIME_SCALE must be a positive number/],
  ])(
    'stops with exit code 2 naming the variable (%o)',
    async (env, message) => {
      const run = start(env);
      const { code } = await within(run.exited, 30_000, 'exiting').finally(() => signalGroup(run.child, 'SIGKILL'));
      expect(code).toBe(2);
      expect(run.stderr()).toMatch(message);
      expect(run.stdout()).not.toContain('GraphQL:');
    },
    35_000,
  );
});

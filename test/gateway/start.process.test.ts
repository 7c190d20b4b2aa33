import { readFileSync } from 'node:fs';
import { parse, type OperationDefinitionNode } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLE_OPERATION } from '../../src/gateway.js';
import { postGraphQL } from '../support/graphql.js';
import { bannerUrl, kill, ROOT, signalGroup, start, within, type Started } from './process-support.js';

/**
 * `npm start` as a newcomer runs it: `npx tsx src/main.ts` in a child process with no Graph
 * settings, so it embeds the emulator. The example queries of docs/api.md run against it as written, with the
 * variables filled as that document tells a reader to.
 */

const READY_TIMEOUT_MS = 60_000;
const EXIT_TIMEOUT_MS = 15_000;
const DAY = 86_400_000;

type Answers = Map<string, Record<string, unknown>>;

/**
 * The variables of one example, as docs/api.md says where each comes from: `id` is the first restore point
 * `PickRestorePoint` answered, `since` seven days ago. A variable the document adds must be added here too.
 */
function exampleVariables(operation: OperationDefinitionNode, answers: Answers): Record<string, unknown> | undefined {
  const names = (operation.variableDefinitions ?? []).map((d) => d.variable.name.value);
  if (names.length === 0) return undefined;
  const sources: Record<string, () => unknown> = {
    id: () => (answers.get('PickRestorePoint')?.restorePoints as Array<{ id: string }> | undefined)?.[0]?.id,
    since: () => new Date(Date.now() - 7 * DAY).toISOString(),
  };
  return Object.fromEntries(
    names.map((name) => {
      const source = sources[name];
      if (!source) throw new Error(`docs/api.md: example ${operation.name?.value} takes '${name}', which this test does not fill`);
      return [name, source()];
    }),
  );
}

/** The ```graphql blocks between the example-queries markers of docs/api.md. */
function readmeExamples(): string[] {
  const readme = readFileSync(`${ROOT}/docs/api.md`, 'utf8');
  const section = /<!-- example-queries:start -->([\s\S]*?)<!-- example-queries:end -->/.exec(readme)?.[1];
  if (!section) throw new Error('docs/api.md has no example-queries markers');
  return [...section.matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => m[1]!);
}

/** Runs the example queries of docs/api.md against a started gateway, as a reader would, and checks their answers. */
async function runExamples(run: Started, graphqlUrl: string): Promise<void> {
  const examples = readmeExamples();
  expect(examples.length).toBeGreaterThanOrEqual(5);
  expect(examples[0]).toBe(EXAMPLE_OPERATION);
  const authorization = /^Authorization: (Bearer \S+)$/m.exec(run.stdout())?.[1];
  expect(authorization, 'the banner prints an Authorization header').toBeDefined();
  const answers: Answers = new Map();
  for (const document of examples) {
    const operation = parse(document).definitions[0] as OperationDefinitionNode;
    const name = operation.name?.value ?? '';
    const variables = exampleVariables(operation, answers);
    const res = await postGraphQL(graphqlUrl, { query: document, variables }, { authorization: authorization ?? '' });
    expect(res.status, name).toBe(200);
    expect(res.errors, `${name}: ${JSON.stringify(res.errors)}`).toBeUndefined();
    for (const [field, value] of Object.entries(res.data ?? {})) expect(value, `${name}.${field}`).not.toBeNull();
    answers.set(name, res.data ?? {});
  }
  // The seed is dated at the start: its restore points are live by today's date, and a recent window finds them.
  const points = answers.get('PickRestorePoint')?.restorePoints as Array<{ expirationDateTime: string }>;
  expect(points.length).toBeGreaterThan(0);
  for (const p of points) expect(Date.parse(p.expirationDateTime)).toBeGreaterThan(Date.now());
  expect(answers.get('RestorePointById')).toMatchObject({ restorePoint: { protectionUnit: { siteName: 'Finance01' } } });
  expect(answers.get('SearchRestorePoints')).toMatchObject({
    searchRestorePoints: { results: [{}, {}], noResultProtectionUnitIds: [] },
  });
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

  it('runs every README example query as written, with the caller token the banner prints and the variables the document gives', async () => {
    await runExamples(run, graphqlUrl);
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

// The same examples against a Graph that allows only the query options its documentation lists: the gateway's
// fallbacks answer them all the same.
describe('npm start with EMULATOR_PROFILE=strict', () => {
  let run: Started;
  let graphqlUrl: string;

  beforeAll(async () => {
    run = start({ PORT: '0', EMULATOR_PROFILE: 'strict' });
    graphqlUrl = await bannerUrl(run, READY_TIMEOUT_MS);
  }, READY_TIMEOUT_MS + 5_000);

  afterAll(async () => {
    await kill(run);
  });

  it('says so in the banner, and runs every README example query as written', async () => {
    expect(run.stdout()).toContain('strict profile: documented query options only');
    await runExamples(run, graphqlUrl);
  });
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

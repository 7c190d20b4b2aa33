import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLE_OPERATION } from '../../src/gateway.js';

/**
 * `npm start` as a newcomer runs it: `npx tsx src/main.ts` in a child process with no Graph
 * settings, so it embeds the emulator. The README's example queries run against it as written.
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const READY_TIMEOUT_MS = 60_000;
const EXIT_TIMEOUT_MS = 15_000;

/** The ```graphql blocks between the README's example-queries markers. */
function readmeExamples(): string[] {
  const readme = readFileSync(`${ROOT}/README.md`, 'utf8');
  const section = /<!-- example-queries:start -->([\s\S]*?)<!-- example-queries:end -->/.exec(readme)?.[1];
  if (!section) throw new Error('README.md has no example-queries markers');
  return [...section.matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => m[1]!);
}

/** The environment of a fresh shell: nothing that points at a Graph or an emulator. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of Object.keys(env)) {
    if (name === 'GRAPH_BASE_URL' || name.startsWith('AZURE_') || name.startsWith('EMULATOR_') || name === 'NODE_ENV') delete env[name];
  }
  return { ...env, ...extra };
}

interface Started {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function start(env: Record<string, string>): Started {
  // Its own process group, so the whole npx → tsx → node chain can be signalled by our child's id.
  const child = spawn('npx', ['tsx', 'src/main.ts'], { cwd: ROOT, env: cleanEnv(env), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return { child, stdout: () => out, stderr: () => err, exited };
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    if (child.pid !== undefined) process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

describe('npm start on a fresh clone', () => {
  let run: Started;
  let graphqlUrl: string;

  beforeAll(async () => {
    run = start({ PORT: '0' });
    graphqlUrl = await within(
      new Promise<string>((resolve, reject) => {
        const check = (): void => {
          const match = /GraphQL:\s+(http:\/\/\S+\/graphql)/.exec(run.stdout());
          if (match && run.stdout().includes('Stop with Ctrl+C.')) resolve(match[1]!.replace('//localhost:', '//127.0.0.1:'));
        };
        run.child.stdout!.on('data', check);
        void run.exited.then(({ code }) => reject(new Error(`exited with ${code} before the banner:\n${run.stdout()}\n${run.stderr()}`)));
      }),
      READY_TIMEOUT_MS,
      'start-up',
    );
  }, READY_TIMEOUT_MS + 5_000);

  afterAll(async () => {
    if (run && run.child.exitCode === null && run.child.signalCode === null) {
      signalGroup(run.child, 'SIGKILL');
      await run.exited;
    }
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
      const res = await fetch(graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: authorization ?? '' },
        body: JSON.stringify({ query: document }),
      });
      const body = (await res.json()) as { data?: Record<string, unknown>; errors?: unknown[] };
      const name = /query (\w+)/.exec(document)?.[1];
      expect(res.status, name).toBe(200);
      expect(body.errors, `${name}: ${JSON.stringify(body.errors)}`).toBeUndefined();
      for (const [field, value] of Object.entries(body.data ?? {})) expect(value, `${name}.${field}`).not.toBeNull();
    }
  });

  it('stops cleanly on SIGTERM', async () => {
    signalGroup(run.child, 'SIGTERM');
    const { code, signal } = await within(run.exited, EXIT_TIMEOUT_MS, 'stopping');
    // npx may report the signal instead of its child's exit code; either way the gateway drained.
    expect(code === 0 || signal === 'SIGTERM').toBe(true);
    expect(run.stderr()).toContain('SIGTERM: draining and stopping');
  }, EXIT_TIMEOUT_MS + 5_000);
});

describe('a bad configuration', () => {
  it.each([
    [{ PORT: 'abc' }, /PORT: expected an integer from 0 to 65535, got 'abc'/],
    [{ PORT: '0', GRAPH_BASE_URL: 'http://graph.example.com/beta' }, /GRAPH_BASE_URL: .*https, or http only for a loopback host/],
    [{ PORT: '0', EMULATOR_TIME_SCALE: 'fast' }, /EMULATOR_TIME_SCALE must be a positive number/],
  ])('stops with exit code 2 naming the variable (%o)', async (env, message) => {
    const run = start(env);
    const { code } = await within(run.exited, 30_000, 'exiting').finally(() => signalGroup(run.child, 'SIGKILL'));
    expect(code).toBe(2);
    expect(run.stderr()).toMatch(message);
    expect(run.stdout()).not.toContain('GraphQL:');
  }, 35_000);
});

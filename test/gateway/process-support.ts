import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** `npm start` as a child process: what the start-up and abuse suites run, the way a newcomer runs it. */

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The environment of a fresh shell: nothing that points at a Graph or an emulator. */
export function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of Object.keys(env)) {
    if (name === 'GRAPH_BASE_URL' || name.startsWith('AZURE_') || name.startsWith('EMULATOR_') || name === 'NODE_ENV') delete env[name];
  }
  return { ...env, ...extra };
}

export interface Started {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** npx's exit, once every process of the chain sharing its output is gone and all it printed is read. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** `npx tsx src/main.ts` with `env` on top of a clean environment. */
export function start(env: Record<string, string>): Started {
  return spawnGroup(ROOT, 'npx', ['tsx', 'src/main.ts'], cleanEnv(env));
}

/** `command` in its own process group, so the whole chain below it (npx or npm → sh → tsx → node) can be signalled by our child's id. */
export function spawnGroup(cwd: string, command: string, args: string[], env: NodeJS.ProcessEnv): Started {
  const child = spawn(command, args, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
  // 'close', not 'exit': npx may exit on a signal before the gateway below it has written its last lines; the pipes
  // close only once every process of the chain holding them is gone, so what it printed is all read by then.
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('close', (code, signal) => resolve({ code, signal })),
  );
  return { child, stdout: () => out, stderr: () => err, exited };
}

export function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    if (child.pid !== undefined) process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

export async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
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

/** Waits for the banner of a started gateway; answers its GraphQL URL on 127.0.0.1. */
export function bannerUrl(run: Started, timeoutMs: number): Promise<string> {
  return within(
    new Promise<string>((resolve, reject) => {
      const check = (): void => {
        const match = /GraphQL:\s+(http:\/\/\S+\/graphql)/.exec(run.stdout());
        if (match && run.stdout().includes('Stop with Ctrl+C.')) resolve(match[1]!.replace('//localhost:', '//127.0.0.1:'));
      };
      run.child.stdout!.on('data', check);
      check();
      void run.exited.then(({ code }) => reject(new Error(`exited with ${code} before the banner:\n${run.stdout()}\n${run.stderr()}`)));
    }),
    timeoutMs,
    'start-up',
  );
}

/** Kills the whole process group if it still runs, and waits for it. */
export async function kill(run: Started | undefined): Promise<void> {
  if (!run) return;
  signalGroup(run.child, 'SIGKILL');
  await run.exited;
}

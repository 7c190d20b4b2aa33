import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';

/** `npm run doctor` as a person runs it: a child process, against the emulator's command line in another. */

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const children = new Set<ChildProcess>();
const dataDir = mkdtempSync(join(tmpdir(), 'doctor-process-'));
afterAll(() => {
  for (const child of children) {
    if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
  rmSync(dataDir, { recursive: true, force: true });
});

/** Starts the emulator CLI and resolves with the six `KEY=VALUE` settings it prints on stdout. */
function startEmulatorCli(): Promise<Record<string, string>> {
  const child = spawn(join(ROOT, 'node_modules/.bin/tsx'), [join(ROOT, 'packages/graph-emulator/src/cli.ts')], {
    cwd: dataDir,
    env: { ...process.env, EMULATOR_PORT: '0' },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let out = '';
  let err = '';
  child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const settings = Object.fromEntries([...out.matchAll(/^([A-Z_]+)=(.*)$/gm)].map((m) => [m[1]!, m[2]!]));
      if (Object.keys(settings).length >= 6) resolve(settings);
    });
    child.on('exit', (code) => reject(new Error(`the emulator exited (${code}): ${err}`)));
  });
}

function runDoctorCli(env: Record<string, string>): Promise<{ code: number | null; stdout: string }> {
  const child = spawn('npm', ['run', '-s', 'doctor'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    detached: true,
  });
  children.add(child);
  let stdout = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout })));
}

it('npm run doctor checks the emulator the CLI started, with the settings it printed', { timeout: 90_000 }, async () => {
  const settings = await startEmulatorCli();
  const { code, stdout } = await runDoctorCli(settings);
  expect(stdout).toContain('Verdict: everything the gateway needs works.');
  expect(stdout).toMatch(/restorePoints\.getById\s+works\s+200/);
  expect(stdout).not.toContain(settings.AZURE_CLIENT_SECRET);
  expect(code).toBe(0);
});

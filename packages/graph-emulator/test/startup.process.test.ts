import { afterAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { X509Certificate, createPrivateKey, generateKeyPairSync } from 'node:crypto';
import forge from 'node-forge';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import tls from 'node:tls';
import { Agent, request } from 'undici';
import { startEmulator } from '../src/index.js';
import { loadOrCreateTls } from '../src/tls.js';

const PACKAGE_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const SETTINGS_KEYS = [
  'GRAPH_BASE_URL',
  'AZURE_AUTHORITY_HOST',
  'AZURE_TENANT_ID',
  'AZURE_CLIENT_ID',
  'AZURE_CLIENT_SECRET',
  'NODE_EXTRA_CA_CERTS',
];
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Child processes this file started, so a failing test still ends them (each by its own process group id). */
const children = new Set<ChildProcess>();
/** Temporary directories this file created, removed at the end. */
const dirs: string[] = [];
afterAll(() => {
  for (const child of children) killGroup(child, 'SIGKILL');
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    // `npx tsx` is npm, then tsx, then node: the group reaches the node process that serves.
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function run(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv = {},
): { child: ChildProcess; output: () => { stdout: string; stderr: string }; exited: Promise<Finished> } {
  const child = spawn(command, args, {
    cwd: PACKAGE_ROOT,
    env: { ...process.env, ...env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exited = new Promise<Finished>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      children.delete(child);
      resolve({ code, signal, stdout, stderr });
    });
  });
  return { child, output: () => ({ stdout, stderr }), exited };
}

/** Resolves when `done(stdout)` holds; rejects after `ms` or if the process exits first. */
function waitForOutput(proc: ReturnType<typeof run>, done: (stdout: string) => boolean, ms: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`no expected output within ${ms} ms; stdout:\n${proc.output().stdout}\nstderr:\n${proc.output().stderr}`));
    }, ms);
    const check = (): void => {
      const { stdout } = proc.output();
      if (done(stdout)) {
        cleanup();
        resolve(stdout);
      }
    };
    const onExit = (): void => {
      cleanup();
      reject(new Error(`exited before the expected output; stdout:\n${proc.output().stdout}\nstderr:\n${proc.output().stderr}`));
    };
    const cleanup = (): void => {
      clearTimeout(timer);
      proc.child.stdout?.off('data', check);
      proc.child.off('close', onExit);
    };
    proc.child.stdout?.on('data', check);
    proc.child.on('close', onExit);
    check();
  });
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`${what} took more than ${ms} ms`)), ms))]);
}

function parseSettings(stdout: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of stdout.split('\n')) {
    const m = /^([A-Z_]+)=(.*)$/.exec(line.trim());
    if (m) out[m[1]!] = m[2]!;
  }
  return out;
}

/** A Graph token for the app, with nothing but the printed settings: the client-credentials grant, as msal-node sends it. */
async function appToken(
  s: { AZURE_AUTHORITY_HOST?: string; AZURE_TENANT_ID?: string; AZURE_CLIENT_ID?: string; AZURE_CLIENT_SECRET?: string },
  agent: Agent,
): Promise<string> {
  const res = await request(`${s.AZURE_AUTHORITY_HOST!}/${s.AZURE_TENANT_ID!}/oauth2/v2.0/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: s.AZURE_CLIENT_ID!,
      client_secret: s.AZURE_CLIENT_SECRET!,
      scope: 'https://graph.microsoft.com/.default',
    }).toString(),
    dispatcher: agent,
  });
  expect(res.statusCode).toBe(200);
  return ((await res.body.json()) as { access_token: string }).access_token;
}

function firstPem(pem: string): string {
  const end = '-----END CERTIFICATE-----';
  return pem.slice(0, pem.indexOf(end) + end.length);
}

describe('startEmulator', () => {
  it('returns the settings, the CA certificate and a stop() that closes the port', async () => {
    const dataDir = tempDir('emu-start-');
    const emu = await startEmulator({ clock: 'manual', dataDir });
    let stopped = false;
    try {
      expect(Object.keys(emu.settings)).toEqual(SETTINGS_KEYS);
      const s = emu.settings;
      expect(s.GRAPH_BASE_URL).toBe(`${emu.origin}/beta`);
      expect(s.GRAPH_BASE_URL).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/beta$/);
      expect(emu.port).toBeGreaterThan(0);
      expect(s.AZURE_AUTHORITY_HOST).toBe(emu.origin);
      expect(s.AZURE_TENANT_ID).toMatch(GUID);
      expect(s.AZURE_CLIENT_ID).toMatch(GUID);
      expect(s.AZURE_CLIENT_SECRET.length).toBeGreaterThan(10);
      expect(emu.caCert).toMatch(/^-----BEGIN CERTIFICATE-----\r?\n/);
      expect(s.NODE_EXTRA_CA_CERTS.startsWith(dataDir)).toBe(true);
      expect(readFileSync(s.NODE_EXTRA_CA_CERTS, 'utf8')).toBe(emu.caCert);

      // The printed settings are enough to reach it: trust the CA file, get a token from the authority, call Graph.
      const agent = new Agent({ connect: { ca: readFileSync(s.NODE_EXTRA_CA_CERTS, 'utf8') } });
      try {
        const access_token = await appToken(s, agent);
        const graph = await request(`${s.GRAPH_BASE_URL}/solutions/backupRestore`, {
          headers: { authorization: `Bearer ${access_token}` },
          dispatcher: agent,
        });
        expect(graph.statusCode).toBe(200);
        await graph.body.dump();
      } finally {
        await agent.close();
      }

      // A second emulator on the same data directory reuses the CA.
      const again = await startEmulator({ clock: 'manual', dataDir });
      expect(again.caCert).toBe(emu.caCert);
      expect(again.port).not.toBe(emu.port);
      await again.stop();

      await emu.stop();
      stopped = true;
      await expect(
        new Promise((resolve, reject) => {
          const socket = tls.connect({ host: '127.0.0.1', port: emu.port, ca: emu.caCert }, () => resolve(socket.end()));
          socket.on('error', reject);
        }),
      ).rejects.toThrow(/ECONNREFUSED/);
    } finally {
      if (!stopped) await emu.stop();
    }
  });

  it('refuses a time scale that is not a positive number', async () => {
    for (const timeScale of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      await expect(startEmulator({ timeScale, dataDir: tempDir('emu-scale-') }), String(timeScale)).rejects.toThrow(/timeScale/);
    }
  });
});

describe('TLS certificate', () => {
  it('names localhost, 127.0.0.1 and ::1 and is signed by the development CA', () => {
    const dir = tempDir('emu-tls-');
    const bundle = loadOrCreateTls(dir);
    const leaf = new X509Certificate(firstPem(bundle.cert));
    const ca = new X509Certificate(bundle.caCert);
    expect(leaf.subjectAltName).toContain('DNS:localhost');
    expect(leaf.subjectAltName).toContain('IP Address:127.0.0.1');
    expect(leaf.checkHost('localhost')).toBe('localhost');
    expect(leaf.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(leaf.checkIP('::1')).toBeTruthy();
    expect(leaf.checkHost('example.com')).toBeUndefined();
    expect(leaf.ca).toBe(false);
    expect(ca.ca).toBe(true);
    expect(leaf.checkIssued(ca)).toBe(true);
    expect(leaf.verify(ca.publicKey)).toBe(true);
    // The key in the bundle is the leaf's.
    expect(leaf.checkPrivateKey(createPrivateKey(bundle.key))).toBe(true);
    const lifetimeDays = (Date.parse(leaf.validTo) - Date.parse(leaf.validFrom)) / 86_400_000;
    expect(lifetimeDays).toBeLessThanOrEqual(398);
    expect(Date.parse(leaf.validFrom)).toBeLessThanOrEqual(Date.now());
    expect(readFileSync(bundle.caCertPath, 'utf8')).toBe(bundle.caCert);
    // A second load reads the same files instead of generating new ones.
    expect(loadOrCreateTls(dir).caCert).toBe(bundle.caCert);
  });

  it('replaces a bundle whose certificate expires within a week, and names a damaged one', () => {
    const dir = tempDir('emu-tls-expiring-');
    const { privateKey } = generateKeyPairSync('rsa', {
      modulusLength: 1024,
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    const key = forge.pki.privateKeyFromPem(privateKey) as forge.pki.rsa.PrivateKey;
    const old = forge.pki.createCertificate();
    old.publicKey = forge.pki.setRsaPublicKey(key.n, key.e);
    old.serialNumber = '01';
    old.validity.notBefore = new Date(Date.now() - 380 * 86_400_000);
    old.validity.notAfter = new Date(Date.now() + 2 * 86_400_000);
    old.setSubject([{ name: 'commonName', value: 'localhost' }]);
    old.setIssuer([{ name: 'commonName', value: 'localhost' }]);
    old.sign(key, forge.md.sha256.create());
    const oldPem = forge.pki.certificateToPem(old);
    writeFileSync(join(dir, 'tls.json'), JSON.stringify({ caCert: oldPem, cert: oldPem, key: privateKey }));
    const renewed = loadOrCreateTls(dir);
    expect(renewed.cert).not.toBe(oldPem);
    expect(Date.parse(new X509Certificate(firstPem(renewed.cert)).validTo)).toBeGreaterThan(Date.now() + 300 * 86_400_000);
    expect(loadOrCreateTls(dir).caCert).toBe(renewed.caCert);

    const damagedDir = tempDir('emu-tls-damaged-');
    writeFileSync(join(damagedDir, 'tls.json'), '{"caCert": ');
    expect(() => loadOrCreateTls(damagedDir)).toThrow(/damaged: delete the file/);
  });

  it('serves a chain a client validates for localhost', async () => {
    const dir = tempDir('emu-tls-serve-');
    const emu = await startEmulator({ clock: 'manual', dataDir: dir });
    try {
      const authorized = await new Promise<boolean>((resolve, reject) => {
        const socket = tls.connect({ host: '127.0.0.1', port: emu.port, ca: emu.caCert, servername: 'localhost' }, () => {
          resolve(socket.authorized);
          socket.end();
        });
        socket.on('error', reject);
      });
      expect(authorized).toBe(true);
    } finally {
      await emu.stop();
    }
  });

  it('yields one CA when several processes start on the same fresh directory at once', async () => {
    const dir = tempDir('emu-tls-race-');
    const scriptDir = tempDir('emu-tls-script-');
    const script = join(scriptDir, 'first-start.mts');
    const go = join(scriptDir, 'go');
    const tlsModule = pathToFileURL(join(PACKAGE_ROOT, 'src', 'tls.ts')).href;
    // Each child loads everything, says it is ready, and waits for the go file, so all three enter
    // loadOrCreateTls within a few milliseconds of each other, well inside the time a key pair takes.
    writeFileSync(
      script,
      [
        "import { existsSync } from 'node:fs';",
        "import { join } from 'node:path';",
        `import { loadOrCreateTls } from ${JSON.stringify(tlsModule)};`,
        'const [dir, go] = process.argv.slice(2);',
        "process.stdout.write('ready\\n');",
        'await new Promise((resolve) => { const tick = () => (existsSync(go) ? resolve(undefined) : setTimeout(tick, 1)); tick(); });',
        "const foundBundle = existsSync(join(dir, 'tls.json'));",
        'const bundle = loadOrCreateTls(dir);',
        'process.stdout.write(JSON.stringify({ ...bundle, foundBundle }) + "\\n");',
      ].join('\n'),
    );
    const procs = Array.from({ length: 3 }, () => run(process.execPath, ['--import', 'tsx', script, dir, go]));
    await Promise.all(procs.map((p) => waitForOutput(p, (out) => out.startsWith('ready\n'), 25_000)));
    writeFileSync(go, '');
    const results = await withTimeout(Promise.all(procs.map((p) => p.exited)), 25_000, 'three first starts');
    for (const r of results) expect(r.code, r.stderr).toBe(0);
    const bundles = results.map(
      (r) => JSON.parse(r.stdout.trim().split('\n').pop()!) as { caCert: string; cert: string; key: string; foundBundle: boolean },
    );
    expect(bundles.filter((b) => !b.foundBundle).length).toBeGreaterThanOrEqual(1);
    expect(new Set(bundles.map((b) => b.caCert)).size).toBe(1);
    expect(new Set(bundles.map((b) => b.cert)).size).toBe(1);
    expect(new Set(bundles.map((b) => b.key)).size).toBe(1);
    expect(readFileSync(join(dir, 'ca.pem'), 'utf8')).toBe(bundles[0]!.caCert);
    expect(loadOrCreateTls(dir).caCert).toBe(bundles[0]!.caCert);
    // No temporary files are left behind.
    expect(readdirSync(dir).sort()).toEqual(['ca.pem', 'tls.json']);
  });
});

describe('npm run emulator (CLI)', () => {
  it('prints the six KEY=VALUE settings on stdout, serves on them, and stops on SIGTERM', async () => {
    const proc = run('npx', ['tsx', 'src/cli.ts'], { EMULATOR_PORT: '0' });
    const stdout = await waitForOutput(
      proc,
      (out) => SETTINGS_KEYS.every((k) => out.includes(`\n${k}=`) || out.startsWith(`${k}=`)) && out.endsWith('\n'),
      25_000,
    );
    const lines = stdout.trim().split('\n');
    // stdout carries only the settings, so `npm run emulator > .env` or `eval` works.
    expect(
      lines.every((l) => /^[A-Z_]+=\S+$/.test(l)),
      stdout,
    ).toBe(true);
    const s = parseSettings(stdout);
    expect(Object.keys(s)).toEqual(SETTINGS_KEYS);
    expect(s.GRAPH_BASE_URL).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/beta$/);
    expect(s.GRAPH_BASE_URL).not.toMatch(/:0\/beta$/);
    expect(s.AZURE_AUTHORITY_HOST).toBe(s.GRAPH_BASE_URL!.replace(/\/beta$/, ''));
    expect(s.AZURE_TENANT_ID).toMatch(GUID);
    expect(s.AZURE_CLIENT_ID).toMatch(GUID);
    expect(existsSync(s.NODE_EXTRA_CA_CERTS!)).toBe(true);
    const ca = readFileSync(s.NODE_EXTRA_CA_CERTS!, 'utf8');
    expect(ca).toContain('BEGIN CERTIFICATE');

    const agent = new Agent({ connect: { ca } });
    try {
      const res = await request(`${s.GRAPH_BASE_URL}/solutions/backupRestore`, { dispatcher: agent });
      expect(res.statusCode).toBe(401);
      expect(res.headers['www-authenticate']).toBeTruthy();
      await res.body.dump();
    } finally {
      await agent.close();
    }

    killGroup(proc.child, 'SIGTERM');
    const finished = await withTimeout(proc.exited, 15_000, 'emulator shutdown');
    expect(finished.code === 0 || finished.signal === 'SIGTERM', JSON.stringify(finished)).toBe(true);
    expect(finished.stdout.trim().split('\n')).toHaveLength(6);
    // A realtime emulator's seed is dated at its start, so its restore points are live by today's date.
    const dated = /realtime clock; seed dated at (\S+)\)/.exec(finished.stderr)?.[1];
    expect(dated, finished.stderr).toBeDefined();
    expect(Math.abs(Date.now() - Date.parse(dated!))).toBeLessThan(60_000);
  });

  it('exits non-zero, naming the variable, for an invalid EMULATOR_TIME_SCALE', async () => {
    const runs = ['fast', '-1'].map((value) => run('npx', ['tsx', 'src/cli.ts'], { EMULATOR_PORT: '0', EMULATOR_TIME_SCALE: value }));
    const results = await withTimeout(Promise.all(runs.map((r) => r.exited)), 25_000, 'invalid configuration runs');
    for (const r of results) {
      expect(r.code, r.stderr).not.toBe(0);
      expect(r.code).not.toBeNull();
      expect(r.stderr).toContain('EMULATOR_TIME_SCALE');
      expect(r.stdout).toBe('');
    }
  });

  it('exits non-zero, naming the variable, for an invalid EMULATOR_PROFILE', async () => {
    const r = await withTimeout(
      run('npx', ['tsx', 'src/cli.ts'], { EMULATOR_PORT: '0', EMULATOR_PROFILE: 'lenient' }).exited,
      25_000,
      'invalid profile run',
    );
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain("EMULATOR_PROFILE must be 'default' or 'strict'");
    expect(r.stdout).toBe('');
  });

  it('names its profile in the banner and refuses an undocumented query option when strict', async () => {
    const proc = run('npx', ['tsx', 'src/cli.ts'], { EMULATOR_PORT: '0', EMULATOR_PROFILE: 'strict' });
    const stdout = await waitForOutput(proc, (out) => SETTINGS_KEYS.every((k) => out.includes(`${k}=`)) && out.endsWith('\n'), 25_000);
    expect(proc.output().stderr).toContain('(strict profile, time scale 1, realtime clock; seed dated at');
    const s = parseSettings(stdout);
    const agent = new Agent({ connect: { ca: readFileSync(s.NODE_EXTRA_CA_CERTS!, 'utf8') } });
    try {
      const access_token = await appToken(s, agent);
      const res = await request(`${s.GRAPH_BASE_URL}/solutions/backupRestore/restoreSessions?$top=1`, {
        headers: { authorization: `Bearer ${access_token}` },
        dispatcher: agent,
      });
      expect(res.statusCode).toBe(400);
      expect(((await res.body.json()) as { error: { message: string } }).error.message).toContain("Query option 'Top' is not allowed");
    } finally {
      await agent.close();
    }
    killGroup(proc.child, 'SIGTERM');
    await withTimeout(proc.exited, 15_000, 'emulator shutdown');
  });
});

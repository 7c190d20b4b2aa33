import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED_SESSION_IDS } from '@restore-session-gateway/graph-emulator';
import { startTestEmulator, type TestEmulator } from '@restore-session-gateway/graph-emulator/testing';
import { bannerUrl, cleanEnv, kill, ROOT, signalGroup, spawnGroup, within, type Started } from './process-support.js';

/**
 * A production deploy: the gateway installed with the documented command, without development dependencies, then
 * started against Graph (here an emulator this test runs in its own process, from the development tree).
 *
 * The deploy holds what a clone holds for the gateway, plus the emulator workspace's manifest: with it, npm would link
 * the workspace and install node-forge if the command let it. The emulator's sources stay behind, so a gateway that
 * imported the emulator on the production path could not start.
 */

/** The documented production install (the emulator package's README). */
const PRODUCTION_INSTALL = ['ci', '--omit=dev', '--workspaces=false'];
/** Tests reach no network beyond loopback: the packages come from the npm cache the development install filled. */
const TEST_FLAGS = ['--offline', '--no-audit', '--no-fund'];
const DEPLOYED = ['package.json', 'package-lock.json', 'tsconfig.json', 'src', 'schema', 'packages/graph-emulator/package.json'];
const INSTALL_TIMEOUT_MS = 180_000;
const READY_TIMEOUT_MS = 60_000;
const EXIT_TIMEOUT_MS = 15_000;

/**
 * The environment of a fresh shell, without what the npm running this suite exports for its scripts (`npm_*`, which a
 * nested npm would read as its own configuration), except where the npm cache is; and without Redis (in-memory pubsub).
 */
function deployEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = cleanEnv(extra);
  for (const name of Object.keys(env)) {
    if (/^npm_/i.test(name) && !/^npm_config_(cache|userconfig)$/i.test(name)) delete env[name];
  }
  delete env.REDIS_URL;
  return env;
}

describe('a production install (npm ci --omit=dev --workspaces=false)', () => {
  let dir: string;
  let t: TestEmulator;
  const started: Started[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gateway-production-'));
    for (const path of DEPLOYED) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      cpSync(join(ROOT, path), join(dir, path), { recursive: true });
    }
    const install = spawnGroup(dir, 'npm', [...PRODUCTION_INSTALL, ...TEST_FLAGS], deployEnv({}));
    started.push(install);
    const { code } = await within(install.exited, INSTALL_TIMEOUT_MS, 'npm ci');
    if (code !== 0)
      throw new Error(
        `npm ci failed (${code}); an offline install needs the packages in the npm cache (run npm ci first):\n${install.stderr()}`,
      );
    t = await startTestEmulator();
  }, INSTALL_TIMEOUT_MS + 30_000);

  afterAll(async () => {
    for (const child of started) await kill(child);
    await t?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('leaves out the emulator and node-forge, and keeps what npm start needs', () => {
    expect(existsSync(join(dir, 'node_modules/@restore-session-gateway/graph-emulator')), 'the emulator package').toBe(false);
    expect(existsSync(join(dir, 'node_modules/node-forge')), 'node-forge').toBe(false);
    expect(existsSync(join(dir, 'node_modules/vitest')), 'a development dependency').toBe(false);
    expect(existsSync(join(dir, 'node_modules/tsx')), 'tsx, which npm start runs').toBe(true);
  });

  it(
    'starts with NODE_ENV=production against Graph, serves a query and stops on SIGTERM',
    async () => {
      // The emulator's settings are the six variables that point a gateway at it.
      const gateway = spawnGroup(
        dir,
        'npm',
        ['start'],
        deployEnv({ NODE_ENV: 'production', PORT: '0', HOST: '127.0.0.1', ...t.emu.settings }),
      );
      started.push(gateway);
      const url = await bannerUrl(gateway, READY_TIMEOUT_MS);
      expect(gateway.stdout()).toContain(`Microsoft Graph: ${t.emu.settings.GRAPH_BASE_URL}`);

      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${await t.apiToken('admin')}` },
        body: JSON.stringify({ query: `{ restoreSession(id: "${SEED_SESSION_IDS.completed}") { id status } }` }),
      });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ data: { restoreSession: { id: SEED_SESSION_IDS.completed, status: 'COMPLETED' } } });

      signalGroup(gateway.child, 'SIGTERM');
      const { code, signal } = await within(gateway.exited, EXIT_TIMEOUT_MS, 'stopping');
      // npm may report the signal instead of its child's exit code; either way the gateway drained.
      expect(code === 0 || signal === 'SIGTERM', gateway.stderr()).toBe(true);
    },
    READY_TIMEOUT_MS + EXIT_TIMEOUT_MS + 10_000,
  );

  it(
    'without GRAPH_BASE_URL, stops with exit code 2 saying the embedded emulator is not installed',
    async () => {
      const gateway = spawnGroup(dir, 'npm', ['start'], deployEnv({ PORT: '0' }));
      started.push(gateway);
      const { code } = await within(gateway.exited, READY_TIMEOUT_MS, 'exiting');
      expect(code).toBe(2);
      expect(gateway.stderr()).toContain(
        'GRAPH_BASE_URL is unset, and the embedded emulator is a development dependency this install left out',
      );
      expect(gateway.stdout()).not.toContain('GraphQL:');
    },
    READY_TIMEOUT_MS + 5_000,
  );
});

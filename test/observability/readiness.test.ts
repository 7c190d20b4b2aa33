import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createAppTokenProvider } from '../../src/auth/app-token-provider.js';
import { startTestEmulator, type TestEmulator } from '@restore-session-gateway/graph-emulator/testing';
import { createGraphHttp } from '../../src/graph/http.js';
import { graphReachableCheck, graphTokenCheck } from '../../src/observability/graph-probe.js';
import { createReadiness } from '../../src/observability/readiness.js';
import { emulatorAppTokenOptions } from '../graph/support.js';

describe('readiness', () => {
  it('caches its report, shares one run between concurrent probes and bounds each check', async () => {
    let now = 1_000_000;
    let runs = 0;
    let graphUp = true;
    const readiness = createReadiness({
      checks: {
        graph: async () => {
          runs++;
          await new Promise((r) => setTimeout(r, 5));
          if (!graphUp)
            throw new Error(
              'Microsoft Graph answered 503 at https://user:pw@graph.example/beta?access_token=abc, redis://:secret@cache:6379',
            );
          return 'answered 200';
        },
        slow: () => new Promise<void>(() => undefined),
      },
      cacheMs: 2_000,
      timeoutMs: 50,
      now: () => now,
    });
    const [a, b] = await Promise.all([readiness.report(), readiness.report()]);
    expect(runs).toBe(1);
    expect(a).toBe(b);
    expect(a.status).toBe('unready');
    expect(a.checks.graph).toMatchObject({ ok: true, detail: 'answered 200' });
    expect(a.checks.slow).toMatchObject({ ok: false, detail: 'no answer within 50 ms' });
    graphUp = false;
    now += 1_999;
    expect((await readiness.report()).checks.graph?.ok).toBe(true);
    expect(runs).toBe(1);
    now += 1;
    const later = await readiness.report();
    expect(runs).toBe(2);
    // Dependency errors are shown without URLs or credentials: /readyz may be reachable by anyone.
    expect(later.checks.graph).toMatchObject({
      ok: false,
      detail: 'Microsoft Graph answered 503 at https://graph.example/beta redis://cache:6379',
    });
    readiness.markStopping();
    expect(await readiness.report()).toMatchObject({ status: 'stopping', checks: {} });
    expect(runs).toBe(2);
  });

  describe('against the emulator', () => {
    // The signing key survives the emulator's restart, as Graph's does: the app token from before it stays valid.
    const keyDir = mkdtempSync(join(tmpdir(), 'readiness-keys-'));
    let t: TestEmulator | undefined;
    const closers: Array<() => Promise<void>> = [];
    afterAll(async () => {
      for (const close of closers) await close();
      await t?.close();
    });

    it('is unready while Graph is down and ready again when it is back on the same port', async () => {
      t = await startTestEmulator({ keyDir });
      const port = t.emu.port;
      const tokens = createAppTokenProvider(emulatorAppTokenOptions(t));
      const http = createGraphHttp({ baseUrl: t.emu.settings.GRAPH_BASE_URL, ca: [t.emu.caCert], timeoutMs: 2_000 });
      closers.push(
        () => tokens.close(),
        () => http.close(),
      );
      const readiness = createReadiness({
        checks: { graphToken: graphTokenCheck(tokens), graph: graphReachableCheck({ http, tokens, timeoutMs: 2_000 }) },
        cacheMs: 0,
        timeoutMs: 3_000,
      });

      const up = await readiness.report();
      expect(up).toMatchObject({
        status: 'ready',
        checks: { graphToken: { ok: true, detail: 'acquired' }, graph: { ok: true, detail: 'answered 200' } },
      });
      const probes = t.emu.journal.list().filter((e) => e.kind === 'request');
      expect(probes.at(-1)).toMatchObject({ method: 'GET', status: 200 });

      await t.close();
      t = undefined;
      const down = await readiness.report();
      expect(down.status).toBe('unready');
      expect(down.checks.graph).toMatchObject({ ok: false });
      expect(down.checks.graph?.detail).toMatch(/^Microsoft Graph cannot be reached/);

      t = await startTestEmulator({ port, keyDir });
      // The first probe may meet a keep-alive connection of the old process; the next one must be ready.
      let again = await readiness.report();
      if (again.status !== 'ready') again = await readiness.report();
      expect(again).toMatchObject({ status: 'ready', checks: { graph: { ok: true, detail: 'answered 200' } } });
    });
  });
});

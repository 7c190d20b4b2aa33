import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SEED_SESSION_IDS } from '@restore-session-gateway/graph-emulator';
import { useTestEmulator } from '@restore-session-gateway/graph-emulator/testing';
import type { Gateway } from '../../src/gateway.js';
import { sessionKey } from '../../src/subscriptions/snapshot.js';
import { gatewayConfig, startGatewayOn } from '../gateway/harness.js';
import { subscribe, wsClient, type TestWsClient } from '../gateway/live-support.js';
import { connectTestRedis, deletePrefix, describeRedis, uniquePrefix, waitFor } from '../subscriptions/support.js';
import { postGraphQL } from '../support/graphql.js';
import { sample } from './support.js';

// SIGTERM to a gateway process (`node --import tsx src/main.ts`, as npm start runs it) while a mutation is in flight
// and subscriptions are open: the mutation completes, the sockets close with 1001, the poller's lease is released at
// once (another instance takes the session over long before the lease could lapse), and the process exits 0.

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const LEASE_TTL_MS = 30_000;
const SHUTDOWN_TIMEOUT_MS = 8_000;
const ACTIVATE_LATENCY_MS = 1_500;
const WATCH = 'subscription ($id: ID!) { restoreSessionStatusChanged(id: $id) { id status } }';

describeRedis('SIGTERM (REDIS_URL)', () => {
  const t = useTestEmulator();
  let redis: Redis;
  let prefix: string;
  let child: ChildProcess;
  let out = '';
  let err = '';
  let exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  let other: Gateway | undefined;
  const clients: TestWsClient[] = [];

  beforeAll(async () => {
    redis = await connectTestRedis();
    prefix = uniquePrefix();
  });
  afterAll(async () => {
    for (const c of clients) await c.dispose().catch(() => undefined);
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await other?.stop();
    if (redis) {
      await deletePrefix(redis, prefix);
      redis.disconnect();
    }
  });

  it('finishes the mutation, closes sockets with 1001, hands the lease over at once and exits 0', async () => {
    const shared = {
      REDIS_URL: process.env.REDIS_URL!,
      REDIS_KEY_PREFIX: prefix,
      LEASE_TTL_MS: String(LEASE_TTL_MS),
      POLL_INTERVAL_MS: '100',
    };
    child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        ...shared,
        NODE_ENV: 'test',
        PORT: '0',
        LOG_LEVEL: 'info',
        SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS),
        // The six variables that point a gateway at the emulator.
        ...t.emu.settings,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
    // 'close': the process is gone and everything it wrote has been read.
    exited = new Promise((resolve) => child.once('close', (code, signal) => resolve({ code, signal })));
    await waitFor(() => /GraphQL:\s+http:\/\/\S+\/graphql/.test(out) || child.exitCode !== null, 30_000, 'the banner');
    const url = /GraphQL:\s+(http:\/\/\S+\/graphql)/.exec(out)?.[1];
    expect(url, err).toBeDefined();
    const gatewayUrl = url!.replace('localhost', '127.0.0.1');
    const origin = new URL(gatewayUrl).origin;
    const token = await t.apiToken('admin');
    const leaseKey = `${prefix}lease:${sessionKey(SEED_SESSION_IDS.active)}`;

    // A subscriber on the process: it polls the running session, so it holds the session's lease.
    const c = wsClient(gatewayUrl.replace(/^http/, 'ws'), { authorization: `Bearer ${token}` });
    clients.push(c);
    const stream = subscribe(c, WATCH, { id: SEED_SESSION_IDS.active });
    await stream.next(1, 10_000);
    let holder: string | null = null;
    for (let i = 0; i < 200 && holder === null; i++) {
      holder = await redis.get(leaseKey);
      if (holder === null) await new Promise((r) => setTimeout(r, 25));
    }
    expect(holder).not.toBeNull();
    const metrics = await (await fetch(`${origin}/metrics`)).text();
    expect(sample(metrics, 'restore_gateway_subscription_pollers')).toBe(1);
    expect(sample(metrics, 'restore_gateway_subscriptions_active')).toBe(1);

    // Another instance with a subscriber to the same session: on standby, since the process holds the lease.
    other = await startGatewayOn(t, gatewayConfig(shared));
    const c2 = wsClient(other.wsUrl, { authorization: `Bearer ${token}` });
    clients.push(c2);
    const stream2 = subscribe(c2, WATCH, { id: SEED_SESSION_IDS.active });
    await stream2.next(1, 10_000);
    await waitFor(() => other!.live.stats().watched === 1, 5_000, 'the standby');
    expect(other.live.stats().polling).toBe(0);

    // A mutation Graph takes its time over, in flight when SIGTERM arrives.
    t.emu.faults.set({
      seed: 1,
      rules: [
        {
          path: 'solutions/backupRestore/restoreSessions/*/activate',
          method: 'POST',
          latency: { fixedMs: ACTIVATE_LATENCY_MS, jitterMs: 0 },
        },
      ],
    });
    const mutation = postGraphQL<{ activateRestoreSession: { restoreSession: { status: string } } }>(
      gatewayUrl,
      { query: `mutation { activateRestoreSession(id: "${SEED_SESSION_IDS.draft}") { restoreSession { id status } } }` },
      { authorization: `Bearer ${token}`, 'x-request-id': 'mutation-in-flight' },
    );
    await waitFor(() => (t.emu.faults.view().hits[0] ?? 0) > 0, 10_000, 'the activation to reach Graph');
    const signalledAt = Date.now();
    child.kill('SIGTERM');

    const answer = await mutation;
    expect(answer.status).toBe(200);
    expect(answer.errors).toBeUndefined();
    expect(answer.data?.activateRestoreSession.restoreSession.status).toBe('ACTIVATING');

    expect(await c.waitClosed(SHUTDOWN_TIMEOUT_MS)).toMatchObject({ code: 1001 });
    // The other instance takes over when the lease is released, not when it would have lapsed.
    await waitFor(() => other!.live.stats().polling === 1, 5_000, 'the takeover');
    expect(Date.now() - signalledAt).toBeLessThan(LEASE_TTL_MS / 3);
    const newHolder = await redis.get(leaseKey);
    expect(newHolder).not.toBeNull();
    expect(newHolder).not.toBe(holder);

    const { code } = await exited;
    expect(code, err).toBe(0);
    expect(Date.now() - signalledAt).toBeLessThan(SHUTDOWN_TIMEOUT_MS);
    // Graph has the activation, and the process logged the mutation's operation line and a clean stop.
    const session = await t.graph<{ status: string }>('GET', `/solutions/backupRestore/restoreSessions/${SEED_SESSION_IDS.draft}`, {
      token: await t.appToken(),
    });
    expect(session.body.status).toBe('activating');
    const records = err
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(records.find((r) => r.msg === 'operation' && r.requestId === 'mutation-in-flight')).toMatchObject({
      operationType: 'mutation',
      outcome: 'ok',
    });
    expect(records.map((r) => r.msg)).toEqual(expect.arrayContaining(['shutdown: draining', 'shutdown: done']));
    expect(err).not.toContain(token);
    // The subscriber on the other instance is still served.
    expect(stream2.error).toBeUndefined();
  });
});

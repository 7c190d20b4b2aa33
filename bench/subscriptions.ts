import diagnosticsChannel from 'node:diagnostics_channel';
import vm from 'node:vm';
import v8 from 'node:v8';
import { Worker } from 'node:worker_threads';
import { Agent } from 'undici';
import { loadConfig } from '../src/config.js';
import { seedRestorePointId, stableGuid, type SeedFixture } from '@restore-session-gateway/graph-emulator';
import { startGateway } from '../src/gateway.js';
import { restoreSessionStatus } from '../src/graph/enums.js';
import { SESSION_CHANGE_CHANNEL, type SessionChangeEvent } from '../src/subscriptions/watcher.js';
import { emulatorAdmin, fmt, percentiles, spawnEmulator, upstreamOf } from './lib.js';
import type { ClientsMessage, ClientsRequest, ClientsStart } from './subscription-clients.js';

/**
 * Live status at scale, on one instance: 5,000 concurrent subscribers to `restoreSessionStatusChanged`
 * on 200 running restores (25 per session, on 50 WebSocket connections of 100 subscriptions each).
 * The emulator runs in its own process with a manual clock, the subscribers in a worker thread (their
 * own heap), the gateway in the main thread. Figures:
 *
 * - Graph requests per poll interval, from the emulator's journal, while nothing changes and while
 *   the restores progress: one poller per session and `$batch` coalescing keep it at
 *   ceil(200 / 20) = 10 whatever the number of subscribers;
 * - memory per subscriber: the gateway's heap after subscribing, minus before, over 5,000 (after GC); then the same
 *   for 1,000 more subscribers on a socket each (opened beside the 5,000, measured alone, then closed again), since a
 *   socket costs more than a subscription on one: the two figures side by side. The second is measured warm, after the
 *   first has compiled the code every subscriber runs (a few megabytes, once per process, counted in the first);
 * - delivery delay: from the moment the poll that saw a change got Graph's answer to the moment each
 *   subscriber's client had the event (p50 / p99 over every subscriber of every change).
 */

const SESSIONS = Number(process.env.BENCH_SESSIONS ?? 200);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const PER_CONNECTION = Number(process.env.BENCH_PER_CONNECTION ?? 100);
/** Sockets of one subscription each, for the second memory figure (0: not measured). */
const SINGLE_CONNECTIONS = Number(process.env.BENCH_SINGLE_CONNECTIONS ?? 1000);
const POLL_MS = Number(process.env.BENCH_POLL_INTERVAL_MS ?? 1000);
/** Intervals watched while nothing changes. */
const STEADY_INTERVALS = Number(process.env.BENCH_STEADY_INTERVALS ?? 5);
/** Virtual time per step, and steps: sessions finish between 10 s and 100 s of virtual time. */
const STEP_MS = 5_000;
const STEPS = 20;

/** 200 SharePoint sessions activated at the clock's start, 3 artifacts each, finishing 10 s × (1…10) later. */
function seed(base: SeedFixture): { fixture: SeedFixture; ids: string[] } {
  const start = base.clockStart;
  const ids: string[] = [];
  const sessions = Array.from({ length: SESSIONS }, (_, i) => {
    const id = stableGuid(`bench-live:${i}`);
    ids.push(id);
    return {
      id,
      kind: 'sharePoint' as const,
      createdBy: 'admin',
      createdDateTime: new Date(Date.parse(start) - 60_000).toISOString(),
      activatedDateTime: start,
      durationScale: 1 + (i % 10),
      artifacts: [0, 1, 2].map((j) => ({
        id: stableGuid(`bench-live-artifact:${i}:${j}`),
        restorePointId: seedRestorePointId((i * 3 + j) % 70, 0),
        destinationType: 'new' as const,
      })),
    };
  });
  return { fixture: { ...base, sessions }, ids };
}

type Subscribed = Extract<ClientsMessage, { type: 'subscribed' }>;

interface Journal {
  lastSeq: number;
  entries: Array<{ kind: string; subject: string | null; startedAt: string }>;
}

export async function benchSubscriptions(): Promise<void> {
  const gc = (() => {
    v8.setFlagsFromString('--expose-gc');
    return vm.runInNewContext('gc') as () => void;
  })();
  const heap = (): number => {
    gc();
    gc();
    return process.memoryUsage().heapUsed;
  };
  const benchStarted = performance.now();
  const emu = await spawnEmulator({ EMULATOR_CLOCK: 'manual' });
  // Whatever happens to this process, the emulator's goes with it.
  const killEmulator = (): void => {
    emu.child.kill();
  };
  process.once('exit', killEmulator);
  const origin = emu.settings.AZURE_AUTHORITY_HOST!;
  const agent = new Agent({ connect: { ca: emu.caCert }, keepAliveTimeout: 30_000 });
  const admin = emulatorAdmin(origin, agent);
  const { fixture, ids } = seed(await admin<SeedFixture>('GET', 'seed'));
  await admin('POST', 'seed', fixture);

  /** When a poll saw each change (`id|STATUS|completed|failed`), on the process-wide clock. */
  const observed = new Map<string, number>();
  const onSessionChange = (message: unknown): void => {
    const { session, observedAt } = message as SessionChangeEvent;
    const c = session.restoreSessionArtifactCount;
    observed.set(
      `${session.id.toLowerCase()}|${restoreSessionStatus.fromGraph(session.status)}|${c?.completed ?? 0}|${c?.failed ?? 0}`,
      performance.timeOrigin + observedAt,
    );
  };
  diagnosticsChannel.subscribe(SESSION_CHANGE_CHANNEL, onSessionChange);
  const gateway = await startGateway({
    config: loadConfig({
      NODE_ENV: 'production',
      PORT: '0',
      LOG_LEVEL: 'silent',
      POLL_INTERVAL_MS: String(POLL_MS),
      MAX_SUBSCRIPTIONS_PER_CONNECTION: String(PER_CONNECTION),
      MAX_CONNECTIONS_PER_CALLER: String(CONNECTIONS + SINGLE_CONNECTIONS),
      // One caller holds every subscriber here: its Graph quota (two calls a start) would refuse most of the starts,
      // and the pending-socket caps most of the sockets, which all come from one address. Those are measured elsewhere.
      CALLER_RATE_LIMIT_CALLS: '0',
      WS_MAX_PENDING_CONNECTIONS: String(CONNECTIONS + SINGLE_CONNECTIONS),
      WS_MAX_PENDING_PER_ADDRESS: String(CONNECTIONS + SINGLE_CONNECTIONS),
    }),
    host: '127.0.0.1',
    upstream: upstreamOf(emu),
  });
  // tsx's loader does not follow into a worker thread: the worker registers it before loading its TypeScript.
  const tsxApi = import.meta.resolve('tsx/esm/api');
  const clientsUrl = new URL('./subscription-clients.ts', import.meta.url).href;
  const worker = new Worker(
    `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(clientsUrl)}); });`,
    { eval: true },
  );
  const fromWorker = <T extends ClientsMessage['type']>(type: T, set?: string): Promise<Extract<ClientsMessage, { type: T }>> =>
    new Promise((resolve) => {
      const on = (m: ClientsMessage): void => {
        if (m.type !== type || (set !== undefined && 'set' in m && m.set !== set)) return;
        worker.off('message', on);
        resolve(m as Extract<ClientsMessage, { type: T }>);
      };
      worker.on('message', on);
    });
  const toWorker = (request: ClientsRequest): void => worker.postMessage(request);
  // Stops everything if the worker fails, rather than leaving the emulator process behind.
  const workerFailed = new Promise<never>((_, reject) => worker.once('error', reject));
  workerFailed.catch(() => undefined);
  try {
    const token = await admin<{ access_token: string }>('POST', 'token', {
      user: 'admin',
      audience: emu.settings.AZURE_CLIENT_ID,
      lifetimeSeconds: 3_600,
    });
    const clients = { url: gateway.wsUrl, authorization: `Bearer ${token.access_token}`, sessionIds: ids };
    /** Opens a set of sockets and their subscriptions; the gateway's heap growth and its subscribers once all answered. */
    const subscribe = async (start: ClientsStart): Promise<{ ready: Subscribed; subscribers: number; bytes: number }> => {
      const before = { heap: heap(), subscribers: gateway.live.stats().subscribers };
      const subscribed = fromWorker('subscribed', start.set);
      toWorker({ type: 'start', start });
      const ready = await Promise.race([subscribed, workerFailed]);
      const subscribers = gateway.live.stats().subscribers - before.subscribers;
      return { ready, subscribers, bytes: heap() - before.heap };
    };
    /**
     * The other figures: connections of one subscription each (sockets, SSE or multipart requests), beside the others;
     * closed again before the traffic.
     */
    const measureSingles = async (
      connections: number,
      others: number,
      transport: ClientsStart['transport'] = 'ws',
    ): ReturnType<typeof subscribe> => {
      const set = `single-${transport}`;
      const measured = await subscribe({ ...clients, set, connections, perConnection: 1, record: false, transport, httpUrl: gateway.url });
      const disposed = fromWorker('disposed', set);
      toWorker({ type: 'dispose', set });
      await Promise.race([disposed, workerFailed]);
      for (let waited = 0; gateway.live.stats().subscribers > others && waited < 10_000; waited += 50) {
        await new Promise((r) => setTimeout(r, 50));
      }
      return measured;
    };
    const main = await subscribe({ ...clients, set: 'main', connections: CONNECTIONS, perConnection: PER_CONNECTION, record: true });
    const { ready, subscribers } = main;
    const single = SINGLE_CONNECTIONS > 0 ? await measureSingles(SINGLE_CONNECTIONS, subscribers) : undefined;
    // The HTTP streams' code is compiled once per process (as the sockets' was by the first figure): a round of each,
    // unmeasured, first.
    if (SINGLE_CONNECTIONS > 0) {
      await measureSingles(100, subscribers, 'sse');
      await measureSingles(100, subscribers, 'multipart');
    }
    const sse = SINGLE_CONNECTIONS > 0 ? await measureSingles(SINGLE_CONNECTIONS, subscribers, 'sse') : undefined;
    const multipart = SINGLE_CONNECTIONS > 0 ? await measureSingles(SINGLE_CONNECTIONS, subscribers, 'multipart') : undefined;

    /**
     * The pollers' Graph traffic in a window: HTTP requests (lone requests and `$batch` envelopes) and
     * session reads, per poll round (the requests of one tick start within a few ms of each other;
     * rounds are a tick apart).
     */
    const pollerTraffic = async (
      run: () => Promise<void>,
    ): Promise<{ perRound: number; busiest: number; reads: number; rounds: number }> => {
      const since = (await admin<Journal>('GET', 'journal?since=999999999')).lastSeq;
      await run();
      const { entries } = await admin<Journal>('GET', `journal?since=${since}`);
      const app = entries.filter((e) => e.subject === emu.settings.AZURE_CLIENT_ID);
      const requests = app
        .filter((e) => e.kind === 'batch' || e.kind === 'request')
        .map((e) => Date.parse(e.startedAt))
        .sort((a, b) => a - b);
      const rounds: number[] = [];
      let last = -Infinity;
      for (const at of requests) {
        if (at - last > POLL_MS / 2) rounds.push(0);
        rounds[rounds.length - 1]!++;
        last = at;
      }
      return {
        perRound: requests.length / Math.max(1, rounds.length),
        busiest: Math.max(0, ...rounds),
        reads: app.filter((e) => e.kind === 'batchItem' || e.kind === 'request').length / Math.max(1, rounds.length),
        rounds: rounds.length,
      };
    };
    // Nothing changes (manual clock): whatever Graph sees now is the pollers' steady cost.
    await new Promise((r) => setTimeout(r, POLL_MS));
    const steady = await pollerTraffic(() => new Promise((r) => setTimeout(r, STEADY_INTERVALS * POLL_MS)));
    // The restores progress: a step of virtual time every interval and a half, until every session ended.
    const progress = await pollerTraffic(async () => {
      for (let i = 0; i < STEPS; i++) {
        await admin('POST', 'clock/advance', { ms: STEP_MS });
        await new Promise((r) => setTimeout(r, POLL_MS * 1.5));
      }
    });

    const report = fromWorker('receipts');
    toWorker({ type: 'report' });
    const { receipts, results, completed, errors } = await report;
    const delays: number[] = [];
    let unmatched = 0;
    for (const [key, times] of receipts) {
      const at = observed.get(key);
      if (at === undefined) {
        unmatched += times.length;
        continue;
      }
      for (const t of times) delays.push(t - at);
    }
    const p = percentiles(delays);
    const perSubscriber = (m: { subscribers: number; bytes: number }): string =>
      `${fmt(m.bytes / Math.max(1, m.subscribers) / 1024, 2)} KiB (heap +${fmt(m.bytes / 1048576, 1)} MiB for ${m.subscribers})`;

    console.log(
      `subscriptions  ${ready.subscriptions} subscribers (${ready.failed} failed) on ${SESSIONS} sessions, ${CONNECTIONS} connections; subscribed in ${fmt(ready.ms / 1000, 1)} s` +
        (single ? `; then ${single.ready.subscriptions} on a socket each (${single.ready.failed} failed)` : ''),
    );
    console.log(
      `subscriptions  Graph requests per poll interval (${POLL_MS} ms) while nothing changes: ${fmt(steady.perRound, 1)} ($batch envelopes; busiest ${steady.busiest}; ${fmt(steady.reads, 0)} session reads) over ${steady.rounds} intervals; ceil(${SESSIONS}/20) = ${Math.ceil(SESSIONS / 20)}`,
    );
    console.log(
      `subscriptions  Graph requests per poll interval while the restores progress: ${fmt(progress.perRound, 1)} on average, ${progress.busiest} in the busiest (${progress.rounds} intervals; finished sessions stop being polled)`,
    );
    console.log(
      `subscriptions  memory per subscriber (gateway heap, after GC): ${perSubscriber(main)} with ${PER_CONNECTION} per socket` +
        (single ? `  |  ${perSubscriber(single)} with 1 per socket (warm)` : ''),
    );
    if (sse && multipart) {
      console.log(
        `subscriptions  memory per subscriber over HTTP, one request each (warm): SSE ${perSubscriber(sse)} (${sse.ready.failed} failed)  |  multipart ${perSubscriber(multipart)} (${multipart.ready.failed} failed)`,
      );
    }
    console.log(
      `subscriptions  delivery delay from the poll that saw a change to the subscriber: p50 ${fmt(p.p50, 1)} ms  p90 ${fmt(p.p90, 1)} ms  p99 ${fmt(p.p99, 1)} ms  (${delays.length} deliveries of ${observed.size} changes; ${unmatched} unmatched)`,
    );
    console.log(
      `subscriptions  results ${results}, completed ${completed}, errors ${errors}; ran ${fmt((performance.now() - benchStarted) / 1000, 0)} s`,
    );
  } finally {
    toWorker({ type: 'close' });
    await Promise.race([new Promise((r) => worker.once('exit', r)), new Promise((r) => setTimeout(r, 5_000))]);
    await worker.terminate();
    await gateway.stop();
    await agent.close();
    await emu.stop();
    process.off('exit', killEmulator);
    diagnosticsChannel.unsubscribe(SESSION_CHANGE_CHANNEL, onSessionChange);
  }
}

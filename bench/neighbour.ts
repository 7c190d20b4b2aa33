import diagnosticsChannel from 'node:diagnostics_channel';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { Agent, request } from 'undici';
import { loadConfig } from '../src/config.js';
import { SEED_SESSION_IDS, stableGuid } from '@restore-session-gateway/graph-emulator';
import { startGateway, type Gateway } from '../src/gateway.js';
import { emulatorAdmin, fmt, load, median, percentiles, spawnEmulator, upstreamOf } from './lib.js';
import type { ChurnCounts, ChurnerMessage, ChurnerOpen, ChurnMode } from './neighbour-churner.js';

/**
 * A churning neighbour: what one caller running subscribe→complete in a loop over WebSocket does to
 * another caller's HTTP queries, with the gateway's default limits (the caller rate limit on: each
 * subscription start spends one call of the caller's quota, a refused start is answered RATE_LIMITED).
 *
 * - Emulator in its own process (manual clock, so the running seed session stays running), 20 ms +
 *   0..10 ms on every Graph call; gateway in this thread with its production defaults.
 * - The neighbour (`reader`) runs a closed loop of ordinary queries from this thread, alternating
 *   `restoreSession(id) { id status }` and a first page of five sessions, and its latency is recorded.
 * - The churner (`admin`) runs in a worker thread (bench/neighbour-churner.ts): a few open sockets,
 *   several subscribe→complete loops on each, unsubscribing at the first answer (`first`) or at once
 *   (`immediate`; `flood`, opt-in with BENCH_CHURN_MODES, does not even wait for the gateway to read).
 * - Each round runs, for each churn mode, the neighbour alone then with that churn (the modes' order
 *   turns between rounds). A churn phase starts only once the churner's previous quota window has
 *   ended, so every churn phase opens with the burst a fixed window allows, in both modes alike.
 *   Percentiles pool every phase of a kind; Graph calls come from the emulator's journal (lone
 *   requests and `$batch` items), per caller.
 * - Where the time goes: per phase, the gateway's event-loop utilisation and delay, CPU seconds per
 *   second of the gateway's thread, the churner's thread and the emulator (Linux `/proc`), new TLS
 *   connections the gateway opened upstream, the neighbour's slowest request and the churner's Graph
 *   calls in each second. Some gateway settings can be overridden from the environment (TUNABLE) to
 *   compare a remedy with the defaults.
 */

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 20);
const JITTER_MS = Number(process.env.BENCH_JITTER_MS ?? 10);
/** The neighbour's requests in flight (a closed loop). */
const NEIGHBOUR_CONCURRENCY = Number(process.env.BENCH_NEIGHBOUR_CONCURRENCY ?? 2);
const CHURN_SOCKETS = Number(process.env.BENCH_CHURN_SOCKETS ?? 4);
/** subscribe→complete loops per churning socket. */
const CHURN_LOOPS = Number(process.env.BENCH_CHURN_LOOPS ?? 8);
/** Churn modes, each its own phase in every round (bench/neighbour-churner.ts; `flood` is opt-in). */
const CHURN_MODES = (process.env.BENCH_CHURN_MODES ?? 'first,immediate').split(',').map((m) => m.trim()) as ChurnMode[];

/** Gateway settings taken from the environment when set (to compare a setting with the defaults); none by default. */
const TUNABLE = [
  'CALLER_RATE_LIMIT_CALLS',
  'CALLER_RATE_LIMIT_WINDOW_MS',
  'GRAPH_MAX_CONCURRENT_REQUESTS',
  'GRAPH_MAX_CONCURRENT_BATCHES',
  'POLL_INTERVAL_MS',
];

const BY_ID = `query Neighbour($id: ID!) { restoreSession(id: $id) { id status } }`;
const PAGE = `query NeighbourPage { restoreSessions(first: 5) { nodes { id status } } }`;
const ADMIN_OID = stableGuid('user:admin');
const READER_OID = stableGuid('user:reader');

type PhaseKind = 'alone' | ChurnMode;

/** CPU seconds a thread or process has used (Linux `/proc/.../stat`, utime + stime at 100 ticks/s); undefined elsewhere. */
function cpuSeconds(statPath: string | undefined): number | undefined {
  if (!statPath) return undefined;
  try {
    const fields = readFileSync(statPath, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

interface CpuReadings {
  gateway: number | undefined;
  churner: number | undefined;
  emulator: number | undefined;
}

interface Phase {
  kind: PhaseKind;
  round: number;
  latencies: number[];
  byIdLatencies: number[];
  pageLatencies: number[];
  requests: number;
  errors: number;
  seconds: number;
  /** Graph calls (lone requests and `$batch` items) during the phase, by caller. */
  calls: { churner: number; neighbour: number; app: number };
  /** HTTP requests the emulator got (lone requests and `$batch` envelopes). */
  httpRequests: number;
  journalTruncated: boolean;
  /** The gateway's event loop: utilisation (0..1) and delay p99 (ms). */
  elu: number;
  /** CPU seconds per second of the gateway's thread (shared with the neighbour's client), the churner's thread and the emulator's process. */
  cpu: CpuReadings;
  /** The churner's Graph calls in each second of the phase. */
  churnerBySecond: number[];
  /** The neighbour's slowest request in each second of the phase (by when it started). */
  neighbourWorstBySecond: number[];
  /** TLS connections opened to the emulator's origin (Graph and authority) during the phase. */
  newConnections: number;
  loopDelayP99: number;
  churn?: ChurnCounts;
}

interface Journal {
  lastSeq: number;
  entries: Array<{ seq: number; kind: 'request' | 'batch' | 'batchItem' | 'token'; subject: string | null; startedAt: string }>;
}

const cpuFmt = (v: number | undefined): string => (v === undefined || Number.isNaN(v) ? 'n/a' : fmt(v, 2));

export async function benchNeighbour(): Promise<void> {
  const started = performance.now();
  const emu = await spawnEmulator({ EMULATOR_CLOCK: 'manual' });
  const killEmulator = (): void => {
    emu.child.kill();
  };
  process.once('exit', killEmulator);
  const s = emu.settings;
  const emuAgent = new Agent({ connect: { ca: emu.caCert }, keepAliveTimeout: 30_000 });
  const admin = emulatorAdmin(s.AZURE_AUTHORITY_HOST!, emuAgent);
  const gqlAgent = new Agent({ connections: NEIGHBOUR_CONCURRENCY, keepAliveTimeout: 30_000 });
  let gateway: Gateway | undefined;
  let worker: Worker | undefined;
  let unsubscribeConnected: (() => void) | undefined;
  try {
    // The defaults a deployment runs, caller rate limit included; these knobs may be set to try another setting.
    const knobs = Object.fromEntries(TUNABLE.flatMap((k) => (process.env[k] === undefined ? [] : [[k, process.env[k]!]])));
    const config = loadConfig({ NODE_ENV: 'production', PORT: '0', LOG_LEVEL: 'silent', ...knobs });
    gateway = await startGateway({
      config,
      host: '127.0.0.1',
      upstream: upstreamOf(emu),
    });
    const windowMs = config.graph.callerWindowMs;
    const token = async (user: 'admin' | 'reader'): Promise<string> =>
      (await admin<{ access_token: string }>('POST', 'token', { user, audience: s.AZURE_CLIENT_ID, lifetimeSeconds: 3_600 })).access_token;
    const readerToken = await token('reader');
    const adminToken = await token('admin');

    // The neighbour's queries; a response that is not the data asked for counts as an error, by code.
    const errorCodes: Record<string, number> = {};
    const gql = async (query: string, variables?: Record<string, unknown>): Promise<void> => {
      const res = await request(gateway!.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${readerToken}` },
        body: JSON.stringify({ query, ...(variables ? { variables } : {}) }),
        dispatcher: gqlAgent,
      });
      const body = (await res.body.json()) as { data?: unknown; errors?: Array<{ extensions?: { code?: string } }> };
      if (res.statusCode !== 200 || body.errors || !body.data) {
        const code = body.errors?.[0]?.extensions?.code ?? `HTTP_${res.statusCode}`;
        errorCodes[code] = (errorCodes[code] ?? 0) + 1;
        throw new Error(code);
      }
    };
    // A draft: the per-caller cache keeps only finished sessions, so the neighbour's every query reaches Graph, as before.
    const byId = (): Promise<void> => gql(BY_ID, { id: SEED_SESSION_IDS.draft });
    const page = (): Promise<void> => gql(PAGE);
    let byIdLatencies: number[] = [];
    let pageLatencies: number[] = [];
    /** [started, latency] of every request of the phase. */
    let timeline: Array<[number, number]> = [];
    let turn = 0;
    const neighbourOp = async (): Promise<void> => {
      const isById = turn++ % 2 === 0;
      const t0 = performance.now();
      try {
        await (isById ? byId() : page());
      } finally {
        const ms = performance.now() - t0;
        (isById ? byIdLatencies : pageLatencies).push(ms);
        timeline.push([t0, ms]);
      }
    };
    // New upstream connections (each one builds a TLS context in this thread).
    const emulatorHost = new URL(s.GRAPH_BASE_URL!);
    let connections = 0;
    const onConnected = (message: unknown): void => {
      const p = (message as { connectParams?: { hostname?: string; host?: string; port?: string | number } }).connectParams;
      if (p && String(p.port) === emulatorHost.port && (p.hostname ?? p.host ?? '').startsWith(emulatorHost.hostname)) connections++;
    };
    diagnosticsChannel.subscribe('undici:client:connected', onConnected);
    unsubscribeConnected = () => diagnosticsChannel.unsubscribe('undici:client:connected', onConnected);
    await byId();
    await page();

    // The churner's worker. tsx's loader does not follow into a worker thread: the worker registers it first.
    const tsxApi = import.meta.resolve('tsx/esm/api');
    const churnerUrl = new URL('./neighbour-churner.ts', import.meta.url).href;
    const w = new Worker(
      `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(churnerUrl)}); });`,
      { eval: true },
    );
    worker = w;
    const workerFailed = new Promise<never>((_, reject) => w.once('error', reject));
    workerFailed.catch(() => undefined);
    const fromWorker = <T extends ChurnerMessage['type']>(type: T): Promise<Extract<ChurnerMessage, { type: T }>> =>
      Promise.race([
        new Promise<Extract<ChurnerMessage, { type: T }>>((resolve) => {
          const on = (m: ChurnerMessage): void => {
            if (m.type !== type) return;
            w.off('message', on);
            resolve(m as Extract<ChurnerMessage, { type: T }>);
          };
          w.on('message', on);
        }),
        workerFailed,
      ]);
    const opened = fromWorker('opened');
    const open: ChurnerOpen = {
      url: gateway.wsUrl,
      authorization: `Bearer ${adminToken}`,
      sockets: CHURN_SOCKETS,
      loops: CHURN_LOOPS,
      sessionIds: [SEED_SESSION_IDS.active, SEED_SESSION_IDS.draft],
    };
    w.postMessage({ type: 'open', open });
    const { tid } = await opened;
    const cpuNow = (): CpuReadings => ({
      gateway: cpuSeconds(`/proc/${process.pid}/task/${process.pid}/stat`),
      churner: cpuSeconds(tid === undefined ? undefined : `/proc/${process.pid}/task/${tid}/stat`),
      emulator: cpuSeconds(emu.child.pid === undefined ? undefined : `/proc/${emu.child.pid}/stat`),
    });

    await admin('PUT', 'faults', {
      seed: 7,
      rules: [{ path: 'solutions/backupRestore/**', scope: 'any', latency: { fixedMs: LATENCY_MS, jitterMs: JITTER_MS } }],
    });
    // Warm-up of the neighbour's path only: a churner start now would open a quota window that overlaps the first round.
    await load(neighbourOp, { concurrency: NEIGHBOUR_CONCURRENCY, durationMs: 1_000 });

    const loopDelay = monitorEventLoopDelay({ resolution: 10 });
    loopDelay.enable();
    let lastChurnStart = -Infinity;
    const phases: Phase[] = [];
    const runPhase = async (kind: PhaseKind, round: number): Promise<void> => {
      if (kind !== 'alone') {
        // Each churn phase starts on a fresh quota window (the window opens at the first call spent).
        const wait = lastChurnStart + windowMs + 250 - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      }
      const since = (await admin<Journal>('GET', 'journal?since=999999999')).lastSeq;
      byIdLatencies = [];
      pageLatencies = [];
      timeline = [];
      Object.keys(errorCodes).forEach((k) => delete errorCodes[k]);
      if (kind !== 'alone') {
        const churning = fromWorker('churning');
        w.postMessage({ type: 'churn', mode: kind });
        await churning;
        lastChurnStart = performance.now();
      }
      loopDelay.reset();
      const elu0 = performance.eventLoopUtilization();
      const cpu0 = cpuNow();
      const wallStart = Date.now();
      const monoStart = performance.now();
      const connections0 = connections;
      const r = await load(neighbourOp, { concurrency: NEIGHBOUR_CONCURRENCY, durationMs: SECONDS * 1000 });
      const elu = performance.eventLoopUtilization(elu0).utilization;
      const cpu1 = cpuNow();
      const newConnections = connections - connections0;
      const neighbourWorstBySecond = Array.from({ length: Math.ceil(r.seconds) }, () => 0);
      for (const [t0, ms] of timeline) {
        const second = Math.floor((t0 - monoStart) / 1000);
        if (second >= 0 && second < neighbourWorstBySecond.length)
          neighbourWorstBySecond[second] = Math.max(neighbourWorstBySecond[second]!, ms);
      }
      const rate = (k: keyof CpuReadings): number | undefined =>
        cpu0[k] === undefined || cpu1[k] === undefined ? undefined : (cpu1[k]! - cpu0[k]!) / r.seconds;
      const cpu: CpuReadings = { gateway: rate('gateway'), churner: rate('churner'), emulator: rate('emulator') };
      const loopDelayP99 = loopDelay.percentile(99) / 1e6;
      let churn: ChurnCounts | undefined;
      if (kind !== 'alone') {
        const stopped = fromWorker('stopped');
        w.postMessage({ type: 'stop' });
        churn = (await stopped).counts;
      }
      const { entries } = await admin<Journal>('GET', `journal?since=${since}`);
      const calls = { churner: 0, neighbour: 0, app: 0 };
      const churnerBySecond = Array.from({ length: Math.ceil(r.seconds) }, () => 0);
      for (const e of entries) {
        if (e.kind !== 'request' && e.kind !== 'batchItem') continue;
        if (e.subject === ADMIN_OID) {
          calls.churner++;
          const second = Math.floor((Date.parse(e.startedAt) - wallStart) / 1000);
          if (second >= 0 && second < churnerBySecond.length) churnerBySecond[second]!++;
        } else if (e.subject === READER_OID) calls.neighbour++;
        else calls.app++;
      }
      phases.push({
        kind,
        round,
        latencies: r.latencies,
        byIdLatencies,
        pageLatencies,
        requests: r.count,
        errors: r.errors,
        seconds: r.seconds,
        calls,
        httpRequests: entries.filter((e) => e.kind === 'request' || e.kind === 'batch').length,
        journalTruncated: entries.length > 0 && entries[0]!.seq !== since + 1,
        elu,
        cpu,
        churnerBySecond,
        neighbourWorstBySecond,
        newConnections,
        loopDelayP99,
        ...(churn ? { churn } : {}),
      });
      const p = percentiles(r.latencies);
      const codes = Object.entries(errorCodes)
        .map(([c, n]) => `${c}×${n}`)
        .join(' ');
      const indent = ' '.repeat(28);
      console.log(
        [
          `neighbour  round ${round + 1} ${kind.padEnd(9)} p50 ${fmt(p.p50).padStart(6)} ms  p99 ${fmt(p.p99).padStart(6)} ms  (n=${r.count}${r.errors ? `, errors ${r.errors}: ${codes}` : ''}); ` +
            `worst by second ${neighbourWorstBySecond.map((v) => fmt(v, 0)).join(' ')} ms`,
          `${indent}Graph calls/s ${fmt((calls.churner + calls.neighbour + calls.app) / r.seconds, 0)} (churner ${fmt(calls.churner / r.seconds, 0)}, neighbour ${fmt(calls.neighbour / r.seconds, 0)}, app ${fmt(calls.app / r.seconds, 1)}); ` +
            `new upstream connections ${newConnections}; gateway loop ${fmt(elu * 100, 0)}% busy, delay p99 ${fmt(loopDelayP99, 1)} ms; ` +
            `CPU s/s gateway ${cpuFmt(cpu.gateway)}, churner ${cpuFmt(cpu.churner)}, emulator ${cpuFmt(cpu.emulator)}`,
          ...(churn
            ? [
                `${indent}churner ${fmt(churn.starts / churn.seconds, 0)} starts/s, served ${fmt(churn.served / churn.seconds, 1)}/s, refused ${fmt(churn.refused / churn.seconds, 0)}/s; ` +
                  `its Graph calls by second ${churnerBySecond.join(' ')}`,
              ]
            : []),
        ].join('\n'),
      );
    };

    for (let round = 0; round < ROUNDS; round++) {
      // The modes' order turns from round to round, so a drift of the machine weighs on each alike.
      const modes = CHURN_MODES.map((_, i) => CHURN_MODES[(i + round) % CHURN_MODES.length]!);
      for (const mode of modes) {
        await runPhase('alone', round);
        await runPhase(mode, round);
      }
    }
    loopDelay.disable();

    // Figures pooled over every phase of a kind.
    const of = (kinds: PhaseKind[]): Phase[] => phases.filter((p) => kinds.includes(p.kind));
    const pooled = (kinds: PhaseKind[]) => {
      const ps = of(kinds);
      const p = percentiles(ps.flatMap((x) => x.latencies));
      const seconds = ps.reduce((a, x) => a + x.seconds, 0);
      const sum = (f: (x: Phase) => number): number => ps.reduce((a, x) => a + f(x), 0);
      return {
        ...p,
        n: sum((x) => x.requests),
        errors: sum((x) => x.errors),
        seconds,
        perSecond: sum((x) => x.requests) / seconds,
        byId: percentiles(ps.flatMap((x) => x.byIdLatencies)),
        page: percentiles(ps.flatMap((x) => x.pageLatencies)),
        churnerCalls: sum((x) => x.calls.churner) / seconds,
        neighbourCalls: sum((x) => x.calls.neighbour) / seconds,
        appCalls: sum((x) => x.calls.app) / seconds,
        httpRequests: sum((x) => x.httpRequests) / seconds,
        elu: median(ps.map((x) => x.elu)),
        cpuGateway: median(ps.map((x) => x.cpu.gateway ?? NaN)),
        cpuChurner: median(ps.map((x) => x.cpu.churner ?? NaN)),
        cpuEmulator: median(ps.map((x) => x.cpu.emulator ?? NaN)),
        churnerCallsPerPhase: median(ps.map((x) => x.calls.churner)),
        loopDelayP99: median(ps.map((x) => x.loopDelayP99)),
        roundP99s: ps.map((x) => percentiles(x.latencies).p99),
        truncated: ps.some((x) => x.journalTruncated),
      };
    };
    const alone = pooled(['alone']);
    const churned = pooled(CHURN_MODES);
    const line = (label: string, x: ReturnType<typeof pooled>): string =>
      `neighbour  ${label.padEnd(26)} p50 ${fmt(x.p50).padStart(6)} ms  p99 ${fmt(x.p99).padStart(6)} ms  ` +
      `(n=${x.n}, ${fmt(x.perSecond, 0)} req/s${x.errors ? `, errors ${x.errors}` : ''}; by id p50/p99 ${fmt(x.byId.p50)}/${fmt(x.byId.p99)}, page ${fmt(x.page.p50)}/${fmt(x.page.p99)}; ` +
      `p99 per phase ${x.roundP99s.map((v) => fmt(v, 0)).join(' ')})`;
    const ratio = (x: ReturnType<typeof pooled>): string => `p50 ${fmt(x.p50 / alone.p50, 2)}x  p99 ${fmt(x.p99 / alone.p99, 2)}x`;
    const graphLine = (label: string, x: ReturnType<typeof pooled>): string =>
      `graph      ${label.padEnd(26)} ${fmt(x.churnerCalls + x.neighbourCalls + x.appCalls, 0).padStart(4)} Graph calls/s (churner ${fmt(x.churnerCalls, 0)}, ` +
      `${fmt(x.churnerCallsPerPhase, 0)} per phase; neighbour ${fmt(x.neighbourCalls, 0)}; app/pollers ${fmt(x.appCalls, 1)}) ` +
      `in ${fmt(x.httpRequests, 0)} HTTP requests/s; gateway loop ${fmt(x.elu * 100, 0)}% busy, delay p99 ${fmt(x.loopDelayP99, 1)} ms; ` +
      `CPU s/s gateway ${cpuFmt(x.cpuGateway)}, churner ${cpuFmt(x.cpuChurner)}, emulator ${cpuFmt(x.cpuEmulator)} (medians of phases)` +
      (x.truncated ? '  [journal overflowed: calls undercounted]' : '');
    const churnLine = (mode: ChurnMode): string => {
      const cs = of([mode]).map((p) => p.churn!);
      const seconds = cs.reduce((a, c) => a + c.seconds, 0);
      const sum = (f: (c: ChurnCounts) => number): number => cs.reduce((a, c) => a + f(c), 0);
      const merge = (f: (c: ChurnCounts) => Record<string, number>): string => {
        const all: Record<string, number> = {};
        for (const c of cs) for (const [k, n] of Object.entries(f(c))) all[k] = (all[k] ?? 0) + n;
        return (
          Object.entries(all)
            .map(([k, n]) => `${k}×${n}`)
            .join(' ') || 'none'
        );
      };
      const seen = mode !== 'first' ? ' (answers that overtook the complete)' : '';
      return (
        `churner    ${mode.padEnd(9)} ${fmt(sum((c) => c.starts) / seconds, 0)} starts/s sent; served ${fmt(sum((c) => c.served) / seconds, 1)}/s, ` +
        `refused ${fmt(sum((c) => c.refused) / seconds, 0)}/s${seen}; error codes ${merge((c) => c.codes)}; ` +
        `errors ${sum((c) => c.errors)}, completed empty ${sum((c) => c.completedEmpty)}, abandoned ${sum((c) => c.abandoned)}, socket closes ${merge((c) => c.closes)}`
      );
    };
    const byMode = CHURN_MODES.map((mode) => [mode, pooled([mode])] as const);
    console.log(
      [
        line('alone', alone),
        line('with churn (all modes)', churned),
        ...byMode.map(([mode, x]) => line(`with churn, ${mode}`, x)),
        `ratio      with churn / alone         ${ratio(churned)}   (target: p99 ≤ 1.5x)`,
        ...byMode.map(([mode, x]) => `ratio      ${`${mode} / alone`.padEnd(26)} ${ratio(x)}`),
        ...CHURN_MODES.map(churnLine),
        graphLine('alone', alone),
        graphLine('with churn (all modes)', churned),
        ...byMode.map(([mode, x]) => graphLine(`with churn, ${mode}`, x)),
        `(each churn phase starts after the churner's previous quota window ended; a served start spends 2 of its quota, the start and the access read; ` +
          `caller quota ${config.graph.callerCallLimit} calls per ${windowMs / 1000} s, GRAPH_MAX_CONCURRENT_REQUESTS ${config.graph.maxConcurrentRequests}; ` +
          `neighbour: reader, ${NEIGHBOUR_CONCURRENCY} in flight; churner: admin, ${CHURN_SOCKETS} sockets × ${CHURN_LOOPS} loops in a worker thread; ` +
          `upstream latency ${LATENCY_MS} ms + 0..${JITTER_MS} ms on every Graph call; ${ROUNDS} rounds of ${SECONDS} s phases, pooled; ` +
          `emulator in its own process; ${os.availableParallelism()} CPUs; ${fmt((performance.now() - started) / 1000, 0)} s)`,
      ].join('\n'),
    );
  } finally {
    unsubscribeConnected?.();
    if (worker) {
      worker.postMessage({ type: 'close' });
      await Promise.race([new Promise((r) => worker!.once('exit', r)), new Promise((r) => setTimeout(r, 5_000))]);
      await worker.terminate();
    }
    await admin('DELETE', 'faults').catch(() => undefined);
    await gateway?.stop();
    await gqlAgent.close();
    await emuAgent.close();
    await emu.stop();
    process.off('exit', killEmulator);
  }
}

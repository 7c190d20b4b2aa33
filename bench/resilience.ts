import { createHash } from 'node:crypto';
import { Agent, request } from 'undici';
import { SEED_SESSION_IDS } from '@restore-session-gateway/graph-emulator';
import type { Gateway } from '../src/gateway.js';
import { emulatorAdmin, fmt, load, percentiles, spawnEmulator, startBenchGateway } from './lib.js';

/**
 * What resilience and request limits cost (issue 9): requests per second and p50/p99 of the get-by-id
 * query of bench/gateway.ts, under the same conditions (emulator in its own process, 20 ms + 0..10 ms
 * on every Graph call, 1 and 8 clients), on
 *
 * - a gateway with every knob at its most lenient (no caller rate limit, no APQ cache, limits too high
 *   to matter, a retry budget and breaker that never bite): what bench/gateway.ts measured before;
 * - the same gateway with everything on at its defaults (request limits and cost analysis, APQ, the
 *   audit plugin, operation scopes with deadline and call cap, the caller rate limit, the gateway-wide
 *   limiter, retry budget and circuit breaker), the caller limit raised so one bench client is not
 *   throttled by it;
 * - that gateway with the document sent as an APQ hash only;
 * - that gateway while Graph throttles 10% of calls (Retry-After 0.02 s), fails 5% (503, Retry-After
 *   0.02 s) and drops 2% of connections: what the retries cost in p99.
 *
 * It prints the ratios of the protected gateway to the lenient one.
 */

const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 2500);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 20);
const JITTER_MS = Number(process.env.BENCH_JITTER_MS ?? 10);

const BY_ID = `query ($id: ID!) { restoreSession(id: $id) { id status progress { total completed failed percentComplete } } }`;
const LENIENT: Record<string, string> = {
  CALLER_RATE_LIMIT_CALLS: '0',
  APQ_CACHE_MB: '0',
  MAX_QUERY_DEPTH: '100',
  MAX_QUERY_COST: '10000000',
  MAX_QUERY_ALIASES: '1000',
  MAX_QUERY_TOKENS: '1000000',
  MAX_QUERY_BYTES: '1048576',
  GRAPH_MAX_CONCURRENT_REQUESTS: '1024',
  GRAPH_RETRY_BUDGET_PERCENT: '1000',
  GRAPH_RETRY_BUDGET_MIN_PER_SECOND: '10000',
  GRAPH_BREAKER_MIN_CALLS: '100000',
  GRAPH_OPERATION_DEADLINE_MS: '600000',
  GRAPH_MAX_CALLS_PER_OPERATION: '100000',
};
/** Everything at its defaults, except a caller limit one bench client cannot reach (it is still checked on every call). */
const PROTECTED: Record<string, string> = { CALLER_RATE_LIMIT_CALLS: '1000000' };

interface Measured {
  perSecond: number;
  p50: number;
  p99: number;
  samples: number;
  errors: number;
}

export async function benchResilience(): Promise<void> {
  const proc = await spawnEmulator({ EMULATOR_CLOCK: 'manual' });
  const s = proc.settings;
  const emuAgent = new Agent({ connect: { ca: proc.caCert } });
  const admin = emulatorAdmin(s.AZURE_AUTHORITY_HOST!, emuAgent);
  const gqlAgent = new Agent({ connections: CONCURRENCY, keepAliveTimeout: 30_000 });
  const gateways: Gateway[] = [];
  const started = performance.now();
  try {
    const start = async (env: Record<string, string>): Promise<Gateway> => {
      const gateway = await startBenchGateway(proc, env);
      gateways.push(gateway);
      return gateway;
    };
    const lenient = await start(LENIENT);
    const guarded = await start(PROTECTED);
    const token = (await admin<{ access_token: string }>('POST', 'token', { user: 'admin', audience: `api://${s.AZURE_CLIENT_ID}` }))
      .access_token;
    // A running session (the manual clock keeps it running): the per-caller cache keeps only finished ones, so every
    // query reaches Graph, which is what the protections are measured on.
    const id = SEED_SESSION_IDS.active;
    const hash = createHash('sha256').update(BY_ID).digest('hex');

    const post = async (url: string, body: unknown, strict = true): Promise<void> => {
      const res = await request(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify(body),
        dispatcher: gqlAgent,
      });
      const json = (await res.body.json()) as {
        data?: { restoreSession?: { id: string } | null };
        errors?: Array<{ extensions?: { code?: string } }>;
      };
      // Under faults a typed error is a legitimate answer; anything else is a broken run.
      const typed = json.errors?.every((e) => ['UPSTREAM_THROTTLED', 'UPSTREAM_UNAVAILABLE'].includes(e.extensions?.code ?? ''));
      if (res.statusCode !== 200 || (json.errors && (strict || !typed)) || (!json.errors && json.data?.restoreSession?.id !== id)) {
        throw new Error(`${res.statusCode} ${JSON.stringify(json).slice(0, 200)}`);
      }
    };
    const ops = {
      lenient: () => post(lenient.url, { query: BY_ID, variables: { id } }),
      guarded: () => post(guarded.url, { query: BY_ID, variables: { id } }),
      apq: () => post(guarded.url, { extensions: { persistedQuery: { version: 1, sha256Hash: hash } }, variables: { id } }),
      faulty: () => post(guarded.url, { query: BY_ID, variables: { id } }, false),
    };
    // Register the persisted query once.
    await post(guarded.url, { query: BY_ID, extensions: { persistedQuery: { version: 1, sha256Hash: hash } }, variables: { id } });

    const latency = { path: 'solutions/backupRestore/**', scope: 'any', latency: { fixedMs: LATENCY_MS, jitterMs: JITTER_MS } };
    await admin('PUT', 'faults', { seed: 7, rules: [latency] });
    const rows: Array<[string, keyof typeof ops]> = [
      ['lenient knobs (as before issue 9)', 'lenient'],
      ['everything on (defaults)', 'guarded'],
      ['everything on, APQ hash only', 'apq'],
      ['everything on, Graph faulty', 'faulty'],
    ];
    // Rounds interleave the configurations, so a busy moment of the machine weighs on all of them alike.
    const samples = new Map<string, Array<{ count: number; seconds: number; latencies: number[]; errors: number }>>();
    const faulty = {
      seed: 11,
      rules: [
        { path: '**', scope: 'any', rate: 0.1, status: 429, retryAfter: 0.02, latency: { fixedMs: LATENCY_MS, jitterMs: JITTER_MS } },
        { path: '**', scope: 'any', rate: 0.05, status: 503, retryAfter: 0.02, latency: { fixedMs: LATENCY_MS, jitterMs: JITTER_MS } },
        { path: '**', scope: 'any', rate: 0.02, drop: true, latency: { fixedMs: LATENCY_MS, jitterMs: JITTER_MS } },
        latency,
      ],
    };
    for (const [, key] of rows) for (const c of [1, CONCURRENCY]) await load(ops[key], { concurrency: c, durationMs: 500 });
    for (let round = 0; round < ROUNDS; round++) {
      for (const [, key] of rows) {
        await admin('PUT', 'faults', key === 'faulty' ? faulty : { seed: 7, rules: [latency] });
        for (const c of [1, CONCURRENCY]) {
          const r = await load(ops[key], { concurrency: c, durationMs: DURATION_MS });
          const k = `${key}:${c}`;
          samples.set(k, [...(samples.get(k) ?? []), { count: r.count, seconds: r.seconds, latencies: r.latencies, errors: r.errors }]);
        }
      }
    }
    const summary = (key: keyof typeof ops, c: number): Measured => {
      const rounds = samples.get(`${key}:${c}`) ?? [];
      const latencies = rounds.flatMap((r) => r.latencies);
      const p = percentiles(latencies);
      const seconds = rounds.reduce((a, r) => a + r.seconds, 0);
      return {
        perSecond: latencies.length / seconds,
        p50: p.p50,
        p99: p.p99,
        samples: latencies.length,
        errors: rounds.reduce((a, r) => a + r.errors, 0),
      };
    };
    const results = new Map<keyof typeof ops, { single: Measured; loaded: Measured }>();
    for (const [label, key] of rows) {
      const single = summary(key, 1);
      const loaded = summary(key, CONCURRENCY);
      results.set(key, { single, loaded });
      console.log(
        `get-by-id, ${label.padEnd(34)} 1 client: p50 ${fmt(single.p50).padStart(6)} ms  p99 ${fmt(single.p99).padStart(6)} ms | ` +
          `${CONCURRENCY} clients: ${fmt(loaded.perSecond, 1).padStart(7)} ops/s  p50 ${fmt(loaded.p50).padStart(6)} ms  p99 ${fmt(loaded.p99).padStart(6)} ms` +
          (single.errors + loaded.errors > 0
            ? `  (${single.errors + loaded.errors} typed errors of ${single.samples + loaded.samples})`
            : ''),
      );
    }
    const base = results.get('lenient')!;
    const ratio = (key: keyof typeof ops): string => {
      const r = results.get(key)!;
      return (
        `throughput ${fmt(r.loaded.perSecond / base.loaded.perSecond, 3)}x, p99 ${fmt(r.loaded.p99 / base.loaded.p99, 3)}x (${CONCURRENCY} clients); ` +
        `p50 ${fmt(r.single.p50 / base.single.p50, 3)}x, p99 ${fmt(r.single.p99 / base.single.p99, 3)}x (1 client)`
      );
    };
    console.log(
      [
        `everything on / lenient:          ${ratio('guarded')}`,
        `APQ hash only / lenient:          ${ratio('apq')}`,
        `everything on, faulty / lenient:  ${ratio('faulty')}`,
        `(upstream latency ${LATENCY_MS} ms + 0..${JITTER_MS} ms on every Graph call; ${ROUNDS} rounds of ${DURATION_MS} ms per figure; ` +
          `emulator in its own process; compare with the get-by-id row of 'npm run bench gateway'; ${fmt((performance.now() - started) / 1000, 0)} s)`,
      ].join('\n'),
    );
  } finally {
    await admin('DELETE', 'faults').catch(() => undefined);
    for (const g of gateways) await g.stop();
    await gqlAgent.close();
    await emuAgent.close();
    await proc.stop();
  }
}

import { Agent, request } from 'undici';
import { loadConfig } from '../src/config.js';
import { dashboardSeed } from '../test/fixtures/dashboard-seed.js';
import { stableGuid } from '@restore-session-gateway/graph-emulator';
import { startGateway } from '../src/gateway.js';
import { emulatorAdmin, fmt, load, percentiles, spawnEmulator, type EmulatorAdmin, type EmulatorProcess } from './lib.js';

/**
 * What the gateway is worth over a hand-written REST client, against the emulator (in its own
 * process, manual clock) with injected upstream latency on every Graph call: requests per second
 * and p50/p99 of a get-by-id query and of the nested dashboard query (50 sessions → 10 artifacts
 * each → restore point → protection unit), Graph requests per operation from the emulator's
 * journal, and the same dashboard data fetched by a plain REST client (undici) one level at a
 * time, every request of a level in parallel. The REST client makes exactly the Graph calls the
 * gateway makes (ids deduplicated the same way), only without `$batch`.
 *
 * The latency rule applies to each Graph call, at top level and inside `$batch` (whose items Graph
 * runs in parallel), not to the `$batch` envelope itself: the model is Graph's per-call service
 * time with a nearby client, which favours neither side.
 */

const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 2000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 20);
const JITTER_MS = Number(process.env.BENCH_JITTER_MS ?? 10);
/** GRAPH_MAX_CONCURRENT_BATCHES of the second gateway (the default is 4). */
const WIDE_BATCHES = Number(process.env.BENCH_WIDE_BATCHES ?? 16);
/** Connections the REST client may open to Graph (a browser allows 6 per host over HTTP/1.1). */
const REST_CONNECTIONS = Number(process.env.BENCH_REST_CONNECTIONS ?? 32);

const DASHBOARD = `query Dashboard {
  restoreSessions(first: 50) {
    totalCount
    nodes {
      id
      status
      ... on SharePointRestoreSession {
        siteRestoreArtifacts(first: 10) {
          nodes { id status restorePoint { id protectionDateTime protectionUnit { id siteName } } }
        }
      }
    }
  }
}`;
const BY_ID = `query ($id: ID!) { restoreSession(id: $id) { id status progress { total completed failed percentComplete } } }`;

interface DashboardData {
  restoreSessions: {
    nodes: Array<{
      id: string;
      siteRestoreArtifacts?: { nodes: Array<{ id: string; restorePoint: { protectionUnit: { siteName: string } | null } | null }> };
    }>;
  };
}

/** Site name per artifact id: what both clients must agree on. */
type DashboardSummary = Map<string, string | null>;

interface Emulator {
  proc: EmulatorProcess;
  origin: string;
  agent: Agent;
  admin: EmulatorAdmin;
}

async function emulator(): Promise<Emulator> {
  const proc = await spawnEmulator({ EMULATOR_CLOCK: 'manual' });
  const origin = proc.settings.AZURE_AUTHORITY_HOST!;
  const agent = new Agent({ connect: { ca: proc.caCert }, keepAliveTimeout: 30_000 });
  const admin = emulatorAdmin(origin, agent);
  return { proc, origin, agent, admin };
}

interface JournalEntry {
  kind: 'request' | 'batch' | 'batchItem' | 'token';
  status: number;
}

/** Graph traffic of `runs` runs of `op`: HTTP requests (lone requests and `$batch` envelopes) and Graph calls (lone requests and items). */
async function upstreamPerOperation(emu: Emulator, op: () => Promise<unknown>, runs = 3): Promise<{ requests: number; calls: number }> {
  await emu.admin('DELETE', 'journal');
  for (let i = 0; i < runs; i++) await op();
  const { entries } = await emu.admin<{ entries: JournalEntry[] }>('GET', 'journal');
  const requests = entries.filter((e) => e.kind === 'request' || e.kind === 'batch').length;
  const calls = entries.filter((e) => e.kind === 'request' || e.kind === 'batchItem').length;
  return { requests: requests / runs, calls: calls / runs };
}

interface Measured {
  perSecond: number;
  p50: number;
  p99: number;
  samples: number;
  errors: number;
}

/** Throughput over all rounds (operations / time, tails included) and percentiles of every operation of every round. */
async function measure(op: () => Promise<void>, concurrency: number, warmUp: boolean): Promise<Measured> {
  if (warmUp) await load(op, { concurrency, durationMs: 500 });
  const rounds = [];
  for (let r = 0; r < ROUNDS; r++) rounds.push(await load(op, { concurrency, durationMs: DURATION_MS }));
  const latencies = rounds.flatMap((r) => r.latencies);
  const seconds = rounds.reduce((a, r) => a + r.seconds, 0);
  const p = percentiles(latencies);
  return {
    perSecond: latencies.length / seconds,
    p50: p.p50,
    p99: p.p99,
    samples: latencies.length,
    errors: rounds.reduce((a, r) => a + r.errors, 0),
  };
}

/** The plain REST client: one level at a time, all requests of a level in parallel, no `$batch`. */
function restClient(emu: Emulator, token: string) {
  const base = emu.proc.settings.GRAPH_BASE_URL!;
  const agent = new Agent({ connect: { ca: emu.proc.caCert }, connections: REST_CONNECTIONS, keepAliveTimeout: 30_000 });
  const headers = { authorization: `Bearer ${token}`, prefer: 'include-unknown-enum-members' };
  const get = async <T>(path: string): Promise<T> => {
    const res = await request(`${base}/solutions/backupRestore/${path}`, { headers, dispatcher: agent });
    const body = (await res.body.json()) as T;
    if (res.statusCode !== 200) throw new Error(`GET ${path}: ${res.statusCode}`);
    return body;
  };
  type Ref = { id: string };
  return {
    agent,
    async session(id: string): Promise<void> {
      await get<Ref>(`restoreSessions/${encodeURIComponent(id)}`);
    },
    async dashboard(): Promise<DashboardSummary> {
      const sessions = await get<{ value: Array<Ref & { '@odata.type'?: string }> }>('restoreSessions?$top=50&$count=true');
      const sharePoint = sessions.value.filter((s) => s['@odata.type']?.toLowerCase() === '#microsoft.graph.sharepointrestoresession');
      const lists = await Promise.all(
        sharePoint.map((s) =>
          get<{ value: Array<Ref & { restorePoint?: Ref | null }> }>(
            `sharePointRestoreSessions/${encodeURIComponent(s.id)}/siteRestoreArtifacts?$top=10&$count=true`,
          ),
        ),
      );
      const artifacts = lists.flatMap((l) => l.value);
      const pointIds = [...new Set(artifacts.flatMap((a) => (a.restorePoint?.id ? [a.restorePoint.id] : [])))];
      const points = new Map(
        await Promise.all(
          pointIds.map(
            async (id) =>
              [
                id,
                await get<Ref & { protectionUnit?: Ref | null }>(`restorePoints/${encodeURIComponent(id)}?$expand=protectionUnit`),
              ] as const,
          ),
        ),
      );
      const unitIds = [...new Set([...points.values()].flatMap((p) => (p.protectionUnit?.id ? [p.protectionUnit.id] : [])))];
      const units = new Map(
        await Promise.all(
          unitIds.map(async (id) => [id, await get<Ref & { siteName?: string }>(`protectionUnits/${encodeURIComponent(id)}`)] as const),
        ),
      );
      const out: DashboardSummary = new Map();
      for (const a of artifacts) {
        const unitId = a.restorePoint ? points.get(a.restorePoint.id)?.protectionUnit?.id : undefined;
        out.set(a.id, (unitId && units.get(unitId)?.siteName) ?? null);
      }
      return out;
    },
  };
}

function summarize(data: DashboardData): DashboardSummary {
  const out: DashboardSummary = new Map();
  for (const s of data.restoreSessions.nodes) {
    for (const a of s.siteRestoreArtifacts?.nodes ?? []) out.set(a.id, a.restorePoint?.protectionUnit?.siteName ?? null);
  }
  return out;
}

export async function benchGateway(): Promise<void> {
  const emu = await emulator();
  const started = performance.now();
  let stopGateways: (() => Promise<void>) | undefined;
  const gqlAgent = new Agent({ connections: CONCURRENCY, keepAliveTimeout: 30_000 });
  let rest: ReturnType<typeof restClient> | undefined;
  try {
    const s = emu.proc.settings;
    await emu.admin('POST', 'seed', dashboardSeed());
    const start = (env: Record<string, string> = {}) =>
      startGateway({
        // One bench client is one caller asking far beyond a caller's fair share of Graph: no caller rate limit here.
        config: loadConfig({ NODE_ENV: 'production', PORT: '0', LOG_LEVEL: 'silent', CALLER_RATE_LIMIT_CALLS: '0', ...env }),
        host: '127.0.0.1',
        upstream: {
          graphBaseUrl: s.GRAPH_BASE_URL!,
          authorityHost: s.AZURE_AUTHORITY_HOST!,
          tenantId: s.AZURE_TENANT_ID!,
          clientId: s.AZURE_CLIENT_ID!,
          credential: { kind: 'secret', clientSecret: s.AZURE_CLIENT_SECRET! },
          ca: [emu.proc.caCert],
        },
      });
    const gateway = await start();
    const wide = await start({ GRAPH_MAX_CONCURRENT_BATCHES: String(WIDE_BATCHES) });
    stopGateways = async () => {
      await gateway.stop();
      await wide.stop();
    };

    // A caller token for the gateway (admin, read-write), and an app token for the REST client.
    const callerToken = (
      await emu.admin<{ access_token: string }>('POST', 'token', { user: 'admin', audience: `api://${s.AZURE_CLIENT_ID}` })
    ).access_token;
    const tokenRes = await request(`${emu.origin}/${s.AZURE_TENANT_ID}/oauth2/v2.0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: s.AZURE_CLIENT_ID!,
        client_secret: s.AZURE_CLIENT_SECRET!,
        scope: 'https://graph.microsoft.com/.default',
      }).toString(),
      dispatcher: emu.agent,
    });
    const graphToken = ((await tokenRes.body.json()) as { access_token: string }).access_token;
    rest = restClient(emu, graphToken);
    const client = rest;

    const gql = async <T>(document: string, variables?: Record<string, unknown>, url = gateway.url): Promise<T> => {
      const res = await request(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${callerToken}` },
        body: JSON.stringify({ query: document, ...(variables ? { variables } : {}) }),
        dispatcher: gqlAgent,
      });
      const body = (await res.body.json()) as { data?: T; errors?: Array<{ message: string }> };
      if (res.statusCode !== 200 || body.errors || !body.data)
        throw new Error(`gateway: ${res.statusCode} ${JSON.stringify(body.errors ?? body).slice(0, 300)}`);
      return body.data;
    };

    // Both clients must fetch the same data before their speed means anything.
    const viaGateway = summarize(await gql<DashboardData>(DASHBOARD));
    const viaRest = await client.dashboard();
    const same = viaGateway.size === viaRest.size && [...viaGateway].every(([id, site]) => viaRest.get(id) === site);
    if (!same) throw new Error(`the gateway and the REST client disagree (${viaGateway.size} vs ${viaRest.size} artifacts)`);
    const sessionId = stableGuid('batching-session:0');

    await emu.admin('PUT', 'faults', {
      seed: 7,
      rules: [{ path: 'solutions/backupRestore/**', scope: 'any', latency: { fixedMs: LATENCY_MS, jitterMs: JITTER_MS } }],
    });

    const ops = {
      gatewayById: async (): Promise<void> => void (await gql(BY_ID, { id: sessionId })),
      restById: (): Promise<void> => client.session(sessionId),
      gatewayDashboard: async (): Promise<void> => void (await gql(DASHBOARD)),
      wideDashboard: async (): Promise<void> => void (await gql(DASHBOARD, undefined, wide.url)),
      restDashboard: async (): Promise<void> => void (await client.dashboard()),
    };
    const upstream = {
      gatewayById: await upstreamPerOperation(emu, ops.gatewayById),
      restById: await upstreamPerOperation(emu, ops.restById),
      gatewayDashboard: await upstreamPerOperation(emu, ops.gatewayDashboard),
      wideDashboard: await upstreamPerOperation(emu, ops.wideDashboard),
      restDashboard: await upstreamPerOperation(emu, ops.restDashboard),
    };

    const rows: Array<[string, keyof typeof ops]> = [
      ['gateway  restoreSession(id)', 'gatewayById'],
      ['REST     GET restoreSessions/{id}', 'restById'],
      ['gateway  dashboard query', 'gatewayDashboard'],
      [`gateway  dashboard, ${WIDE_BATCHES} batches in flight`, 'wideDashboard'],
      ['REST     dashboard, level by level', 'restDashboard'],
    ];
    const results = new Map<keyof typeof ops, { single: Measured; loaded: Measured }>();
    for (const [label, key] of rows) {
      const single = await measure(ops[key], 1, true);
      // Warm already: the single-client rounds ran the same path (connections, tokens, JIT).
      const loaded = await measure(ops[key], CONCURRENCY, false);
      results.set(key, { single, loaded });
      const u = upstream[key];
      console.log(
        `${label.padEnd(42)} 1 client: p50 ${fmt(single.p50).padStart(6)} ms  p99 ${fmt(single.p99).padStart(6)} ms (n=${single.samples}) | ` +
          `${CONCURRENCY} clients: ${fmt(loaded.perSecond, 1).padStart(6)} ops/s  p50 ${fmt(loaded.p50).padStart(6)} ms  p99 ${fmt(loaded.p99).padStart(6)} ms (n=${loaded.samples}) | ` +
          `upstream ${fmt(u.requests, 1).padStart(5)} HTTP requests (${fmt(u.calls, 0)} Graph calls)` +
          (single.errors + loaded.errors > 0 ? `  errors ${single.errors + loaded.errors}` : ''),
      );
    }
    const r = results.get('restDashboard')!;
    const ratios = (key: 'gatewayDashboard' | 'wideDashboard'): string => {
      const g = results.get(key)!;
      return (
        `latency p50 ${fmt(r.single.p50 / g.single.p50, 2)}x, p99 ${fmt(r.single.p99 / g.single.p99, 2)}x (1 client); ` +
        `p50 ${fmt(r.loaded.p50 / g.loaded.p50, 2)}x and throughput ${fmt(g.loaded.perSecond / r.loaded.perSecond, 2)}x (${CONCURRENCY} clients); ` +
        `upstream HTTP requests ${fmt(upstream.restDashboard.requests / upstream[key].requests, 1)}x`
      );
    };
    console.log(
      [
        `dashboard: ${viaGateway.size} artifacts of 48 SharePoint sessions, with restore points and sites; both clients fetched the same data`,
        `REST / gateway (defaults):                         ${ratios('gatewayDashboard')}`,
        `REST / gateway (GRAPH_MAX_CONCURRENT_BATCHES=${WIDE_BATCHES}):  ${ratios('wideDashboard')}`,
        `get-by-id overhead of the gateway over a direct call: p50 +${fmt(results.get('gatewayById')!.single.p50 - results.get('restById')!.single.p50)} ms`,
        `(upstream latency ${LATENCY_MS} ms + 0..${JITTER_MS} ms on every Graph call; REST client: ${REST_CONNECTIONS} connections; ` +
          `${ROUNDS} rounds of ${DURATION_MS} ms per figure, pooled; emulator in its own process; ${fmt((performance.now() - started) / 1000, 0)} s)`,
      ].join('\n'),
    );
  } finally {
    await emu.admin('DELETE', 'faults').catch(() => undefined);
    await stopGateways?.();
    await gqlAgent.close();
    await rest?.agent.close();
    await emu.agent.close();
    await emu.proc.stop();
  }
}

import { randomUUID } from 'node:crypto';
import { Agent, request } from 'undici';
import {
  defaultSeed,
  EMULATOR_PROFILES,
  sequentialRounds,
  SEED_SESSION_IDS,
  stableGuid,
  type EmulatorProfile,
  type JournalEntry,
  type SeedFixture,
  type SeedUser,
} from '@restore-session-gateway/graph-emulator';
import type { Gateway } from '../src/gateway.js';
import {
  report,
  type DashboardSection,
  type Failures,
  type Measured,
  type OneTimeCost,
  type ProfileRun,
  type Row,
  type Section,
  type Upstream,
} from './gateway-report.js';
import {
  eachLimited,
  emulatorAdmin,
  load,
  loadEach,
  percentiles,
  spawnEmulator,
  startBenchGateway,
  type EmulatorAdmin,
  type EmulatorProcess,
} from './lib.js';

/**
 * What the gateway is worth over the strongest hand-written REST client, on two dashboards side by side. A dashboard
 * is what a restore console shows: every family's sessions with their artifacts, each artifact's restore point and
 * the unit it restores (a site by name, a mailbox by address, a OneDrive by its owner's name). The two: the emulator's
 * seed (7 SharePoint sessions, 1 Exchange session of 4 mailboxes and 1 OneDrive session of 3 drives) and about 50
 * SharePoint sessions of 10 sites made through Graph itself, half of them run to the end. For each: the first load of
 * a caller the gateway has never served (its per-caller cache cold) and a refresh by the same caller, at 1 and at 8
 * concurrent clients; p50 and p99, and upstream traffic per operation from the emulator's journal: HTTP requests,
 * Graph calls, and rounds (sequential waves of requests, which is what upstream latency multiplies).
 *
 * The REST client is the strongest plain alternative: three levels (sessions → artifact lists → restore points with
 * their protection unit expanded), every request of a level in parallel (every family's artifact lists side by side,
 * each session's list chosen by its `@odata.type`), restore point ids deduplicated, each client with its own pool of
 * connections. It has no cache, so its first load is its refresh. Both clients must agree on every artifact's unit
 * name, or the run fails.
 *
 * The emulator runs in its own process with a manual clock and the seed dated at now (the gateway judges a restore
 * point's expiry on its own wall clock). Every Graph call, at top level and inside `$batch`, waits 20 ms + 0..10 ms:
 * Graph's per-call service time with a nearby client, which favours neither side.
 *
 * A new caller is a seeded user the running gateway has not served. The emulator seeds at most 100 users, so when
 * they run out the gateway restarts (outside the timed part) and they are new again. Each one first asks something
 * unrelated to the dashboard, so the gateway already holds its on-behalf-of token: the first load is a signed-in
 * user's first look at the dashboard, not their sign-in.
 *
 * Everything runs once per emulator profile (BENCH_PROFILES, default `default,strict`), each against its own emulator
 * process, one after the other so that neither disturbs the other's figures. The strict profile refuses the query
 * options no documentation page lists: `$top`, `$count` and `$filter` on the session lists, `$expand` on one restore
 * point. There the gateway falls back (Graph's default pages followed, the unit read on its own), and the REST client
 * does what a client of that Graph would have to: the session list's default pages one after another, and each
 * restore point's `protectionUnit` instead of the expanded point. A restarted gateway has forgotten what Graph refused,
 * and its first dashboard pays to learn it again; that one-time cost is measured on its own, and every other restart
 * learns it off the clock, so the timed first loads are those of a gateway that has been running a while.
 */

const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 2000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 20);
const JITTER_MS = Number(process.env.BENCH_JITTER_MS ?? 10);
/**
 * Connections each REST client may open to Graph. Unbounded by default, so every request of a level is in flight at
 * once (the strongest client); a browser allows 6 per host over HTTP/1.1.
 */
const REST_CONNECTIONS = process.env.BENCH_REST_CONNECTIONS ? Number(process.env.BENCH_REST_CONNECTIONS) : null;
/** The dashboard made through Graph: sessions, and sites in each (at most 50, Graph's limit per request). */
const MADE_SESSIONS = Number(process.env.BENCH_SESSIONS ?? 50);
const MADE_SITES = Number(process.env.BENCH_SITES ?? 10);
/** The emulator's limit on seeded users. */
const MAX_SEED_USERS = 100;
/** Graph allows 25 restore sessions activating or active at once. */
const MAX_ACTIVE = 25;
/** Sessions the dashboard shows (its `restoreSessions(first: 50)`), for the REST client that cannot ask for `$top`. */
const DASHBOARD_SESSIONS = 50;
/** Fresh gateways whose first and second dashboard loads are compared for the one-time cost. */
const FRESH_GATEWAYS = 2;

const isProfile = (name: string): name is EmulatorProfile => (EMULATOR_PROFILES as readonly string[]).includes(name);

/** BENCH_PROFILES: the emulator profiles to run, in that order. */
function benchProfiles(text = 'default,strict'): EmulatorProfile[] {
  const names = text.split(',').map((n) => n.trim());
  const profiles = names.filter(isProfile);
  if (profiles.length === 0 || profiles.length !== names.length) {
    throw new Error(`BENCH_PROFILES must list emulator profiles (${EMULATOR_PROFILES.join(', ')}), got '${text}'`);
  }
  return profiles;
}

/**
 * What a restore console shows: every family's sessions, each with its first artifacts, each artifact's restore point
 * and the unit it restores. A superset of the tests' DASHBOARD_QUERY, which stays SharePoint only because the tests
 * count its Graph calls: the same SharePoint fragment, with the Exchange and OneDrive ones beside it.
 */
const DASHBOARD = `query BenchDashboard {
  restoreSessions(first: 50) {
    totalCount
    nodes {
      id
      status
      ... on SharePointRestoreSession {
        siteRestoreArtifacts(first: 10) {
          nodes { id status restorePoint { id protectionDateTime protectionUnit { id ... on SiteProtectionUnit { siteName } } } }
        }
      }
      ... on ExchangeRestoreSession {
        mailboxRestoreArtifacts(first: 10) {
          nodes { id status restorePoint { id protectionDateTime protectionUnit { id ... on MailboxProtectionUnit { email } } } }
        }
      }
      ... on OneDriveForBusinessRestoreSession {
        driveRestoreArtifacts(first: 10) {
          nodes { id status restorePoint { id protectionDateTime protectionUnit { id ... on DriveProtectionUnit { displayName email } } } }
        }
      }
    }
  }
}`;
const BY_ID = `query ($id: ID!) { restoreSession(id: $id) { id status progress { total completed failed percentComplete } } }`;
/** What a new caller asks first: a session that does not exist (one Graph call, nothing the dashboard reads). */
const SIGN_IN = `query ($id: ID!) { restoreSession(id: $id) { id } }`;

/** A unit's naming fields, in GraphQL and in Graph's JSON alike (only its own family's are asked for or present). */
type UnitNames = { siteName?: string | null; email?: string | null; displayName?: string | null };

/** One restore family as the dashboard reads it: through the gateway, and through Graph by the REST client. */
interface Family {
  label: string;
  /** What its artifacts restore, in the plural: how the dashboard's title counts them. */
  units: string;
  /** The artifact list: a field of the session's GraphQL type, and Graph's navigation of the same name. */
  list: 'siteRestoreArtifacts' | 'mailboxRestoreArtifacts' | 'driveRestoreArtifacts';
  /** Graph's `@odata.type` of its sessions in the mixed session list, lower case, and its entity set of sessions. */
  odataType: string;
  sessions: string;
  /** What a console names the unit by: a site by its name, a mailbox by its address, a OneDrive by its owner. */
  unitName(unit: UnitNames): string | null;
}

const FAMILIES: readonly Family[] = [
  {
    label: 'SharePoint',
    units: 'sites',
    list: 'siteRestoreArtifacts',
    odataType: '#microsoft.graph.sharepointrestoresession',
    sessions: 'sharePointRestoreSessions',
    unitName: (u) => u.siteName ?? null,
  },
  {
    label: 'Exchange',
    units: 'mailboxes',
    list: 'mailboxRestoreArtifacts',
    odataType: '#microsoft.graph.exchangerestoresession',
    sessions: 'exchangeRestoreSessions',
    unitName: (u) => u.email ?? null,
  },
  {
    label: 'OneDrive',
    units: 'OneDrives',
    list: 'driveRestoreArtifacts',
    odataType: '#microsoft.graph.onedriveforbusinessrestoresession',
    sessions: 'oneDriveForBusinessRestoreSessions',
    unitName: (u) => u.displayName ?? u.email ?? null,
  },
];

/** The family of a session in Graph's mixed list; Graph's own examples vary the case, and some leave out the `#`. */
function familyOf(odataType: string | undefined): Family | undefined {
  const t = odataType?.trim().toLowerCase();
  if (!t) return undefined;
  return FAMILIES.find((f) => f.odataType === (t.startsWith('#') ? t : `#${t}`));
}

type ArtifactNodes = {
  nodes: Array<{ id: string; restorePoint: { id: string; protectionUnit: UnitNames | null } | null }>;
};

interface DashboardData {
  restoreSessions: {
    nodes: Array<{ id: string; status: string } & Partial<Record<Family['list'], ArtifactNodes>>>;
  };
}

/** Unit name per artifact id, every family's: what both clients must agree on. */
type DashboardSummary = Map<string, string | null>;

function summarize(data: DashboardData): DashboardSummary {
  const out: DashboardSummary = new Map();
  for (const s of data.restoreSessions.nodes) {
    for (const f of FAMILIES) {
      for (const a of s[f.list]?.nodes ?? []) {
        const unit = a.restorePoint?.protectionUnit;
        out.set(a.id, unit ? f.unitName(unit) : null);
      }
    }
  }
  return out;
}

const TERMINAL = new Set(['COMPLETED', 'COMPLETED_WITH_ERROR', 'FAILED']);

function describeDashboard(data: DashboardData): string {
  const nodes = data.restoreSessions.nodes;
  const of = (f: Family) => nodes.filter((s) => s[f.list] !== undefined);
  const artifactsOf = (f: Family) => of(f).flatMap((s) => s[f.list]!.nodes);
  const artifacts = FAMILIES.flatMap(artifactsOf);
  const points = new Set(artifacts.flatMap((a) => (a.restorePoint ? [a.restorePoint.id] : [])));
  const count = (status: string): number => nodes.filter((s) => s.status === status).length;
  const terminal = nodes.filter((s) => TERMINAL.has(s.status)).length;
  // Families with no session are left out: the dashboard made through Graph is SharePoint only.
  const present = FAMILIES.filter((f) => of(f).length > 0);
  return (
    `${nodes.length} sessions (${present.map((f) => `${of(f).length} ${f.label}`).join(', ')}; ${terminal} terminal, ` +
    `${count('ACTIVE') + count('ACTIVATING')} running, ${count('DRAFT')} drafts), ${artifacts.length} artifacts ` +
    `(${present.map((f) => `${artifactsOf(f).length} ${f.units}`).join(', ')}) on ${points.size} restore points`
  );
}

// ------------------------------------------------------------------------------------------------ the emulator

interface Emulator {
  profile: EmulatorProfile;
  proc: EmulatorProcess;
  origin: string;
  agent: Agent;
  admin: EmulatorAdmin;
}

async function emulator(profile: EmulatorProfile): Promise<Emulator> {
  const proc = await spawnEmulator({ EMULATOR_CLOCK: 'manual', EMULATOR_PROFILE: profile });
  const origin = proc.settings.AZURE_AUTHORITY_HOST!;
  const agent = new Agent({ connect: { ca: proc.caCert }, keepAliveTimeout: 30_000 });
  return { profile, proc, origin, agent, admin: emulatorAdmin(origin, agent) };
}

async function upstreamLatency(emu: Emulator, on: boolean): Promise<void> {
  if (!on) return void (await emu.admin('DELETE', 'faults'));
  await emu.admin('PUT', 'faults', {
    seed: 7,
    rules: [{ path: 'solutions/backupRestore/**', scope: 'any', latency: { fixedMs: LATENCY_MS, jitterMs: JITTER_MS } }],
  });
}

/** As many bench callers as the emulator's limit on seeded users leaves room for: the supply of new callers. */
function benchCallers(seed: SeedFixture): SeedUser[] {
  return Array.from({ length: MAX_SEED_USERS - seed.users.length }, (_, i) => ({
    name: `bench-caller-${i}`,
    id: stableGuid(`user:bench-caller-${i}`),
    displayName: `Bench Caller ${i}`,
    email: `bench-caller-${i}@contoso.onmicrosoft.com`,
  }));
}

/** The default seed dated at `now` (restore points are cacheable until they expire, on the gateway's wall clock), and the bench callers. */
function seedAt(now: number): SeedFixture {
  const seed = defaultSeed(now);
  return { ...seed, users: [...seed.users, ...benchCallers(seed)] };
}

// ------------------------------------------------------------------------------------------------ the gateway

interface GatewayHandle {
  readonly url: string;
  /** A new gateway: every cache empty, every caller new. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

async function gatewayHandle(emu: Emulator): Promise<GatewayHandle> {
  // One bench client is one caller asking far beyond a caller's fair share of Graph: no caller rate limit here.
  const start = (): Promise<Gateway> => startBenchGateway(emu.proc, { CALLER_RATE_LIMIT_CALLS: '0' });
  let current = await start();
  return {
    get url() {
      return current.url;
    },
    async restart() {
      await current.stop();
      current = await start();
    },
    stop: () => current.stop(),
  };
}

// ------------------------------------------------------------------------------------------------ the REST client

interface RestClient {
  session(id: string): Promise<void>;
  dashboard(): Promise<DashboardSummary>;
}

type Ref = { id: string };
type SessionPage = { value: Array<Ref & { '@odata.type'?: string }>; '@odata.nextLink'?: string };
type ArtifactPage = { value: Array<Ref & { restorePoint?: Ref | null }> };

/** A REST client's reads: `get` a path under the backup-storage root, `follow` an absolute nextLink as Graph gave it. */
interface RestReads {
  get<T>(path: string): Promise<T>;
  follow<T>(nextLink: string): Promise<T>;
}

/** One plain REST client with its own connections: three levels, every request of a level in parallel, no `$batch`. */
function restClient(emu: Emulator, token: string, agent: Agent): RestClient {
  const base = emu.proc.settings.GRAPH_BASE_URL!;
  const headers = { authorization: `Bearer ${token}`, prefer: 'include-unknown-enum-members' };
  const read = async <T>(url: string, name: string): Promise<T> => {
    const res = await request(url, { headers, dispatcher: agent });
    const body = (await res.body.json()) as T;
    if (res.statusCode !== 200) throw new Error(`GET ${name}: ${res.statusCode}`);
    return body;
  };
  const reads: RestReads = {
    get: <T>(path: string): Promise<T> => read<T>(`${base}/solutions/backupRestore/${path}`, path),
    follow: <T>(nextLink: string): Promise<T> => read<T>(nextLink, nextLink),
  };
  return {
    async session(id) {
      await reads.get<Ref>(`restoreSessions/${encodeURIComponent(id)}`);
    },
    dashboard: () => (emu.profile === 'strict' ? strictDashboard(reads) : defaultDashboard(reads)),
  };
}

/** An artifact as its family's list gives it, with the family it was read for (which names its unit). */
type FamilyArtifact = { family: Family; artifact: ArtifactPage['value'][number] };

/**
 * Every session's first 10 artifacts from its family's list, chosen by its `@odata.type`, all families in parallel:
 * the artifact lists allow `$top` and `$count` in every profile.
 */
async function artifactsOf({ get }: RestReads, sessions: SessionPage['value']): Promise<FamilyArtifact[]> {
  const lists = await Promise.all(
    sessions.flatMap((s) => {
      const family = familyOf(s['@odata.type']);
      if (!family) return [];
      const path = `${family.sessions}/${encodeURIComponent(s.id)}/${family.list}?$top=10&$count=true`;
      return [get<ArtifactPage>(path).then((page) => page.value.map((artifact) => ({ family, artifact })))];
    }),
  );
  return lists.flat();
}

const distinctPoints = (artifacts: readonly FamilyArtifact[]): string[] => [
  ...new Set(artifacts.flatMap(({ artifact: a }) => (a.restorePoint?.id ? [a.restorePoint.id] : []))),
];

function summaryOf(artifacts: readonly FamilyArtifact[], unitOf: ReadonlyMap<string, UnitNames | null | undefined>): DashboardSummary {
  const out: DashboardSummary = new Map();
  for (const { family, artifact: a } of artifacts) {
    const unit = a.restorePoint ? unitOf.get(a.restorePoint.id) : undefined;
    out.set(a.id, unit ? family.unitName(unit) : null);
  }
  return out;
}

/** Where Graph allows `$top` on the session list and `$expand` on a restore point. */
async function defaultDashboard(reads: RestReads): Promise<DashboardSummary> {
  type Point = Ref & { protectionUnit?: UnitNames | null };
  const sessions = await reads.get<SessionPage>('restoreSessions?$top=50&$count=true');
  const artifacts = await artifactsOf(reads, sessions.value);
  const points = await Promise.all(
    distinctPoints(artifacts).map(
      async (id) => [id, await reads.get<Point>(`restorePoints/${encodeURIComponent(id)}?$expand=protectionUnit`)] as const,
    ),
  );
  return summaryOf(artifacts, new Map(points.map(([id, p]) => [id, p.protectionUnit])));
}

/**
 * Where Graph allows neither: the session list at Graph's own page size, each nextLink followed in turn (a page names
 * the next only when it arrives) until the dashboard's 50; then each point's unit, all in parallel.
 */
async function strictDashboard(reads: RestReads): Promise<DashboardSummary> {
  let page = await reads.get<SessionPage>('restoreSessions');
  const sessions = [...page.value];
  while (sessions.length < DASHBOARD_SESSIONS && page['@odata.nextLink'] !== undefined) {
    page = await reads.follow<SessionPage>(page['@odata.nextLink']);
    sessions.push(...page.value);
  }
  const artifacts = await artifactsOf(reads, sessions.slice(0, DASHBOARD_SESSIONS));
  const units = await Promise.all(
    distinctPoints(artifacts).map(
      async (id) => [id, await reads.get<UnitNames>(`restorePoints/${encodeURIComponent(id)}/protectionUnit`)] as const,
    ),
  );
  return summaryOf(artifacts, new Map(units));
}

/** Independent REST clients, one per concurrent user, each with its own connections (made as the load needs them). */
interface RestClients {
  use<T>(fn: (client: RestClient) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

function restClients(emu: Emulator, token: string): RestClients {
  const agents: Agent[] = [];
  const idle: RestClient[] = [];
  return {
    async use(fn) {
      let client = idle.pop();
      if (!client) {
        const agent = new Agent({ connect: { ca: emu.proc.caCert }, connections: REST_CONNECTIONS, keepAliveTimeout: 30_000 });
        agents.push(agent);
        client = restClient(emu, token, agent);
      }
      try {
        return await fn(client);
      } finally {
        idle.push(client);
      }
    },
    close: async () => void (await Promise.all(agents.map((a) => a.close()))),
  };
}

// ------------------------------------------------------------------------------------------------ one bench run

interface Bench {
  emu: Emulator;
  gateway: GatewayHandle;
  gqlAgent: Agent;
  /** The caller of refreshes and of the get-by-id comparison. */
  adminToken: string;
  /** App-only Graph token: the REST clients, and the dashboard made through Graph. */
  graphToken: string;
  rest: RestClients;
  callers: CallerPool;
}

/** What a GraphQL request needs: the current gateway, and the clients' connections to it. */
type GatewayClient = Pick<Bench, 'gateway' | 'gqlAgent'>;

async function gql<T>(bench: GatewayClient, token: string, document: string, variables?: Record<string, unknown>): Promise<T> {
  const res = await request(bench.gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: document, ...(variables ? { variables } : {}) }),
    dispatcher: bench.gqlAgent,
  });
  const body = (await res.body.json()) as { data?: T; errors?: GraphQLErrorBody[] };
  if (res.statusCode !== 200 || body.errors || !body.data) throw new Error(`gateway: ${res.statusCode} ${describeErrors(body)}`);
  return body.data;
}

type GraphQLErrorBody = { message: string; path?: Array<string | number>; extensions?: { code?: string } };

/** The first GraphQL error whole (message, code, path), and how many there were: what a reader needs to see why. */
function describeErrors(body: { errors?: GraphQLErrorBody[] }): string {
  const [first] = body.errors ?? [];
  if (!first) return JSON.stringify(body).slice(0, 300);
  const more = (body.errors?.length ?? 1) - 1;
  return (
    `${first.extensions?.code ?? 'error'}: ${first.message}` +
    (first.path ? ` at ${first.path.join('.')}` : '') +
    (more > 0 ? ` (and ${more} more error${more > 1 ? 's' : ''})` : '')
  );
}

/** A Graph call with the app token, for making the second dashboard. */
async function graph<T>(bench: Bench, method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  const res = await request(`${bench.emu.proc.settings.GRAPH_BASE_URL}/solutions/backupRestore/${path}`, {
    method,
    headers: { authorization: `Bearer ${bench.graphToken}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    dispatcher: bench.emu.agent,
  });
  const text = await res.body.text();
  if (res.statusCode >= 300) throw new Error(`${method} ${path}: ${res.statusCode} ${text.slice(0, 300)}`);
  return JSON.parse(text) as T;
}

/** Tokens of callers the running gateway has not served yet, each already signed in (its OBO token held). */
interface CallerPool {
  take(): string | undefined;
  left(): number;
  /**
   * A new gateway, and every caller signed in to it. Unless `teach` is false, the gateway then loads the dashboard
   * once for the refresh caller: a new gateway has forgotten what Graph refused, and that load (not a timed one)
   * pays to learn it again.
   */
  renew(options?: { teach?: boolean }): Promise<void>;
  readonly renewals: number;
  /** The teaching loads that failed (they are not timed, but a failure must still be seen), and the first's message. */
  readonly teaching: Failures;
}

/** Runs `op`, and counts its failure in `into` instead of throwing it. */
async function noting(into: Failures, op: () => Promise<unknown>): Promise<void> {
  try {
    await op();
  } catch (err) {
    into.count++;
    into.firstError ??= err instanceof Error ? err.message : String(err);
  }
}

function callerPool(client: GatewayClient & Pick<Bench, 'adminToken'>, tokens: readonly string[]): CallerPool {
  let next = tokens.length;
  let renewals = 0;
  const teaching: Failures = { count: 0 };
  return {
    take: () => (next < tokens.length ? tokens[next++] : undefined),
    left: () => tokens.length - next,
    async renew({ teach = true } = {}) {
      await client.gateway.restart();
      await eachLimited(tokens, 16, async (token) => void (await gql(client, token, SIGN_IN, { id: randomUUID() })));
      if (teach) await noting(teaching, () => gql(client, client.adminToken, DASHBOARD));
      next = 0;
      renewals++;
    },
    get renewals() {
      return renewals;
    },
    teaching,
  };
}

// ------------------------------------------------------------------------------------------------ figures

function measured(latencies: number[], errors: number, firstError: string | undefined): Measured {
  const p = percentiles(latencies);
  return { p50: p.p50, p99: p.p99, samples: latencies.length, errors, ...(firstError === undefined ? {} : { firstError }) };
}

/** Percentiles of every operation of every round. */
async function measure(op: () => Promise<void>, concurrency: number): Promise<Measured> {
  await load(op, { concurrency, durationMs: 500 });
  const rounds = [];
  for (let r = 0; r < ROUNDS; r++) rounds.push(await load(op, { concurrency, durationMs: DURATION_MS }));
  return measured(
    rounds.flatMap((r) => r.latencies),
    rounds.reduce((a, r) => a + r.errors, 0),
    rounds.find((r) => r.firstError !== undefined)?.firstError,
  );
}

/** First loads, each by a new caller; renewing the callers (a gateway restart) happens off the clock. */
async function measureFirstLoads(bench: Bench, concurrency: number): Promise<Measured> {
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  const op = async (token: string): Promise<void> => void (await gql(bench, token, DASHBOARD));
  for (let r = 0; r < ROUNDS; r++) {
    let remaining = DURATION_MS;
    while (remaining > 0) {
      if (bench.callers.left() < concurrency) await bench.callers.renew();
      const run = await loadEach(bench.callers.take, op, { concurrency, durationMs: remaining });
      latencies.push(...run.latencies);
      errors += run.errors;
      firstError ??= run.firstError;
      remaining -= run.seconds * 1000;
    }
  }
  return measured(latencies, errors, firstError);
}

/** Graph traffic of one run of `op`, alone in the journal. */
async function journalOf(emu: Emulator, op: () => Promise<unknown>): Promise<Upstream> {
  await emu.admin('DELETE', 'journal');
  await op();
  const { entries } = await emu.admin<{ entries: JournalEntry[] }>('GET', 'journal');
  const http = entries.filter((e) => e.kind === 'request' || e.kind === 'batch');
  const calls = entries.filter((e) => e.kind === 'request' || e.kind === 'batchItem');
  return {
    requests: http.length,
    calls: calls.length,
    rounds: sequentialRounds(http.map((e) => e.monotonicMs)),
    tokens: entries.filter((e) => e.kind === 'token').length,
    refused: calls.filter((e) => e.status === 400).length,
  };
}

function mean(runs: readonly Upstream[]): Upstream {
  const avg = (key: keyof Upstream): number => runs.reduce((a, r) => a + r[key], 0) / runs.length;
  return { requests: avg('requests'), calls: avg('calls'), rounds: avg('rounds'), tokens: avg('tokens'), refused: avg('refused') };
}

/** Graph traffic of one operation, averaged over `runs` runs, each alone in the journal. */
async function upstreamOf(emu: Emulator, op: () => Promise<unknown>, runs = 3): Promise<Upstream> {
  const each: Upstream[] = [];
  for (let i = 0; i < runs; i++) each.push(await journalOf(emu, op));
  return mean(each);
}

/**
 * What a gateway pays once after it starts, before it has learnt what this Graph refuses (on a strict one: the
 * refused requests, then the same reads without the option). A fresh gateway's first dashboard load against its
 * second, each by a new caller so that both start with a cold cache and differ only by that learning. The callers'
 * sign-in before them touches no refused option. A load that fails is counted, and its traffic still measured: the
 * refusals are learnt before whatever failed, so the second load shows what failing cost the next caller.
 */
async function oneTimeCost(bench: Bench): Promise<OneTimeCost> {
  const first: Upstream[] = [];
  const second: Upstream[] = [];
  const failed: OneTimeCost['failed'] = { first: { count: 0 }, second: { count: 0 } };
  const newCaller = (into: Failures) => () => noting(into, () => gql(bench, bench.callers.take()!, DASHBOARD));
  for (let i = 0; i < FRESH_GATEWAYS; i++) {
    await bench.callers.renew({ teach: false });
    first.push(await journalOf(bench.emu, newCaller(failed.first)));
    second.push(await journalOf(bench.emu, newCaller(failed.second)));
  }
  return { first: mean(first), second: mean(second), gateways: FRESH_GATEWAYS, failed };
}

// ------------------------------------------------------------------------------------------------ the dashboards

/** A fresh gateway and new callers, the two clients agreeing on the data, then every figure of one dashboard. */
async function benchDashboard(bench: Bench, name: string): Promise<DashboardSection> {
  // Its fresh gateways serve the rest too: the loads it measures have taught them what Graph refuses.
  const oneTime = await oneTimeCost(bench);
  const data = await gql<DashboardData>(bench, bench.adminToken, DASHBOARD);
  const viaGateway = summarize(data);
  const viaRest = await bench.rest.use((c) => c.dashboard());
  const differs = [...viaGateway].find(([id, unit]) => viaRest.get(id) !== unit);
  if (viaGateway.size !== viaRest.size || differs) {
    const which = differs ? `; artifact ${differs[0]}: '${differs[1]}' vs '${viaRest.get(differs[0])}'` : '';
    throw new Error(`${name}: the gateway and the REST client disagree (${viaGateway.size} vs ${viaRest.size} artifacts${which})`);
  }

  const firstLoad = async (): Promise<void> => {
    if (bench.callers.left() === 0) await bench.callers.renew();
    await gql(bench, bench.callers.take()!, DASHBOARD);
  };
  const refresh = async (): Promise<void> => void (await gql(bench, bench.adminToken, DASHBOARD));
  const rest = async (): Promise<void> => void (await bench.rest.use((c) => c.dashboard()));
  const upstream = {
    first: await upstreamOf(bench.emu, firstLoad),
    refresh: await upstreamOf(bench.emu, refresh),
    rest: await upstreamOf(bench.emu, rest),
  };

  const clients = [1, CONCURRENCY];
  const first: Measured[] = [];
  for (const c of clients) first.push(await measureFirstLoads(bench, c));
  const again: Measured[] = [];
  for (const c of clients) again.push(await measure(refresh, c));
  const direct: Measured[] = [];
  for (const c of clients) direct.push(await measure(rest, c));
  const rows = (label: string, figures: Measured[], up: Upstream, ratio: boolean): Row[] =>
    clients.map((c, i) => ({ label, clients: c, figure: figures[i]!, upstream: up, ...(ratio ? { rest: direct[i]! } : {}) }));
  return {
    title: `${name}: ${describeDashboard(data)}`,
    rows: [
      ...rows('gateway, first load (new caller)', first, upstream.first, true),
      ...rows('gateway, refresh (same caller)', again, upstream.refresh, true),
      ...rows('REST, 3 levels, each in parallel', direct, upstream.rest, false),
    ],
    oneTime,
  };
}

/**
 * About 50 SharePoint sessions of 10 sites made through Graph, each artifact on its own restore point: half
 * activated and run to the end on the emulator's clock, a few more activated and left running, the rest drafts. The
 * seed is posted again without its sessions, so this dashboard holds no Exchange or OneDrive session: the query's
 * fragments for them match nothing and cost no Graph call.
 */
async function makeDashboard(bench: Bench, seed: SeedFixture): Promise<void> {
  const pointsOfSite = seed.protectionUnits.map((u) => seed.restorePoints.filter((p) => p.protectionUnitId === u.id));
  const ids: string[] = [];
  for (let k = 0; k < MADE_SESSIONS; k++) {
    const siteRestoreArtifacts = Array.from({ length: MADE_SITES }, (_, j) => {
      const n = k * MADE_SITES + j;
      const points = pointsOfSite[n % pointsOfSite.length]!;
      return { restorePoint: { id: points[Math.floor(n / pointsOfSite.length) % points.length]!.id }, destinationType: 'new' };
    });
    ids.push((await graph<{ id: string }>(bench, 'POST', 'sharePointRestoreSessions', { siteRestoreArtifacts })).id);
  }
  const finished = ids.slice(0, Math.round(MADE_SESSIONS / 2));
  for (let i = 0; i < finished.length; i += MAX_ACTIVE) await runToTheEnd(bench, finished.slice(i, i + MAX_ACTIVE));
  const running = ids.slice(finished.length, finished.length + Math.round(MADE_SESSIONS / 10));
  for (const id of running) await graph(bench, 'POST', `restoreSessions/${id}/activate`);
  // A few seconds in: scheduled, some artifacts restoring.
  await bench.emu.admin('POST', 'clock/advance', { ms: 3_000 });
}

async function runToTheEnd(bench: Bench, ids: string[]): Promise<void> {
  for (const id of ids) await graph(bench, 'POST', `restoreSessions/${id}/activate`);
  const ended = new Set(['completed', 'completedWithError', 'failed']);
  for (let step = 0; step < 100; step++) {
    await bench.emu.admin('POST', 'clock/advance', { ms: 10_000 });
    const statuses = await Promise.all(
      ids.map(async (id) => (await graph<{ status: string }>(bench, 'GET', `restoreSessions/${id}`)).status),
    );
    if (statuses.every((s) => ended.has(s))) return;
  }
  throw new Error('the activated sessions did not finish within 1000 s of emulator time');
}

/** The gateway's own cost on one Graph call: `restoreSession(id)` of a draft (never cached) against a direct GET. */
async function benchById(bench: Bench): Promise<Section> {
  const id = SEED_SESSION_IDS.draft;
  const viaGateway = async (): Promise<void> => void (await gql(bench, bench.adminToken, BY_ID, { id }));
  const direct = async (): Promise<void> => await bench.rest.use((c) => c.session(id));
  const upstream = { gateway: await upstreamOf(bench.emu, viaGateway), rest: await upstreamOf(bench.emu, direct) };
  const gatewayRows: Row[] = [];
  const restRows: Row[] = [];
  for (const clients of [1, CONCURRENCY]) {
    const rest = await measure(direct, clients);
    gatewayRows.push({
      label: 'gateway, restoreSession(id)',
      clients,
      figure: await measure(viaGateway, clients),
      upstream: upstream.gateway,
      rest,
    });
    restRows.push({ label: 'REST, GET restoreSessions/{id}', clients, figure: rest, upstream: upstream.rest });
  }
  return { title: 'get by id: a draft session, by the refresh caller', rows: [...gatewayRows, ...restRows] };
}

async function tokens(emu: Emulator, seed: SeedFixture): Promise<{ admin: string; callers: string[]; graph: string }> {
  const s = emu.proc.settings;
  const apiToken = async (user: string): Promise<string> =>
    (await emu.admin<{ access_token: string }>('POST', 'token', { user, audience: `api://${s.AZURE_CLIENT_ID}` })).access_token;
  const res = await request(`${emu.origin}/${s.AZURE_TENANT_ID}/oauth2/v2.0/token`, {
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
  const graphToken = ((await res.body.json()) as { access_token: string }).access_token;
  const callers = await Promise.all(seed.users.filter((u) => u.name.startsWith('bench-caller-')).map((u) => apiToken(u.name)));
  return { admin: await apiToken('admin'), callers, graph: graphToken };
}

/** Every figure against one emulator process of `profile`: the seed dashboard, get by id, the dashboard made through Graph. */
async function benchProfile(profile: EmulatorProfile): Promise<ProfileRun> {
  const emu = await emulator(profile);
  const gqlAgent = new Agent({ connections: CONCURRENCY * 2, keepAliveTimeout: 30_000 });
  let gateway: GatewayHandle | undefined;
  let rest: RestClients | undefined;
  try {
    const seed = seedAt(Date.now());
    await emu.admin('POST', 'seed', seed);
    gateway = await gatewayHandle(emu);
    const t = await tokens(emu, seed);
    rest = restClients(emu, t.graph);
    const base = { emu, gateway, gqlAgent, adminToken: t.admin, graphToken: t.graph, rest };
    const bench: Bench = { ...base, callers: callerPool(base, t.callers) };

    await upstreamLatency(emu, true);
    const seeded = await benchDashboard(bench, 'seed dashboard');
    const byId = await benchById(bench);

    await upstreamLatency(emu, false);
    await emu.admin('POST', 'seed', { ...seed, sessions: [] });
    await makeDashboard(bench, seed);
    await upstreamLatency(emu, true);
    const made = await benchDashboard(bench, 'made through Graph');
    const { renewals, teaching } = bench.callers;
    return { profile, seed: seeded, made, byId, seedDate: seed.clockStart, callers: t.callers.length, renewals, teaching };
  } finally {
    await emu.admin('DELETE', 'faults').catch(() => undefined);
    await gateway?.stop();
    await gqlAgent.close();
    await rest?.close();
    await emu.agent.close();
    await emu.proc.stop();
  }
}

export async function benchGateway(): Promise<void> {
  const started = performance.now();
  const runs: ProfileRun[] = [];
  const failures: string[] = [];
  // One profile after the other, never side by side: each has the machine to itself. A failing profile is said, and
  // the others are still reported.
  for (const profile of benchProfiles(process.env.BENCH_PROFILES)) {
    try {
      runs.push(await benchProfile(profile));
    } catch (err) {
      failures.push(`${profile}: ${err instanceof Error ? err.message : String(err)}`);
      console.error(`the ${failures[failures.length - 1]}`);
    }
  }
  if (runs.length > 0) {
    report(runs, {
      concurrency: CONCURRENCY,
      latencyMs: LATENCY_MS,
      jitterMs: JITTER_MS,
      restConnections: REST_CONNECTIONS,
      rounds: ROUNDS,
      durationMs: DURATION_MS,
      seconds: (performance.now() - started) / 1000,
    });
  }
  if (failures.length > 0) throw new Error(`the gateway benchmark failed on ${failures.join('; ')}`);
}

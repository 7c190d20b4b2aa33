import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { createClock, type Clock, type ClockMode } from './clock.js';
import { loadOrCreateTls, type EmulatorTls } from './tls.js';
import { listen, handleHttp, type ServerParts } from './server.js';
import { EmulatorState } from './model/state.js';
import { DEFAULT_CLOCK_START_ISO, defaultSeed, type SeedFixture } from './model/seed.js';
import { stableGuid } from './model/ids.js';
import { GRAPH_MAX_QUEUED_RESTORES } from './model/restore-queue.js';
import { createGraphRouter } from './routes/index.js';
import { createAuthority } from './authority/create-authority.js';
import { AdminApi } from './admin/admin-api.js';
import { registerCoreEndpoints } from './admin/core-endpoints.js';
import { registerObserveEndpoints } from './admin/observe-endpoints.js';
import { Journal } from './admin/journal.js';
import { FaultInjector } from './admin/faults.js';
import type { EmulatorContext } from './context.js';
import { GraphError, errorEnvelope } from './http/errors.js';
import { EMULATOR_PROFILES, type EmulatorProfile } from './http/strict-query-options.js';

/** The development app registration and tenant the emulator's authority knows. Printing them is the point. */
export const DEV_TENANT_ID = stableGuid('tenant:contoso');
export const DEV_CLIENT_ID = stableGuid('app:restore-session-gateway');
export const DEV_CLIENT_SECRET = 'emulator-dev-secret.not-for-production';

/** Graph's limit on sessions activating or active at once in one tenant. */
const GRAPH_MAX_ACTIVE_SESSIONS = 25;
/**
 * Loopback only, always: the admin API mints tokens without asking for one, so the emulator must never be reachable
 * from another machine.
 */
const HOST = '127.0.0.1';

export interface EmulatorOptions {
  /** 0 (default) picks an ephemeral port. */
  port?: number;
  /** Multiplies restore durations: 0.01 is 100 times faster. Default 1. */
  timeScale?: number;
  /** `realtime` (default): virtual time flows with the wall clock; `manual`: only `advanceClock` moves it. */
  clock?: ClockMode;
  /** Where the development CA and certificate are kept (created on first start). Default `.emulator` in the working directory. */
  dataDir?: string;
  /**
   * Replaces the default seed data; the clock starts at its `clockStart`. Without it the default seed is dated at the
   * moment the emulator starts with a realtime clock, and at the fixed `DEFAULT_CLOCK_START_ISO` with a manual one.
   */
  seed?: SeedFixture;
  /** At most this many sessions activating or active at once. Default 25, as Graph. */
  maxActiveSessions?: number;
  /**
   * At most this many artifacts of one family (sites, OneDrives, mailboxes) restored at once; the others wait for a
   * slot, in activation order. Default 1,000, as Graph.
   */
  maxQueuedRestores?: number;
  /**
   * Keep the authority's signing key in this directory, so that tokens issued before a restart stay valid after it
   * (as Graph's do when Graph restarts). Default: a new key in memory for every start.
   */
  keyDir?: string;
  /**
   * `default`: each endpoint accepts every OData query option the emulator implements. `strict`: only the options its
   * documentation page lists, the others refused as Graph refuses them (400), so a client is proven against a Graph
   * that reads the pages' silence as "not supported". Default `default`.
   */
  profile?: EmulatorProfile;
}

/** The `KEY=VALUE` settings that point a gateway at the emulator. */
export interface EmulatorSettings {
  GRAPH_BASE_URL: string;
  AZURE_AUTHORITY_HOST: string;
  AZURE_TENANT_ID: string;
  AZURE_CLIENT_ID: string;
  AZURE_CLIENT_SECRET: string;
  NODE_EXTRA_CA_CERTS: string;
}

export interface RunningEmulator {
  settings: EmulatorSettings;
  /** PEM of the CA that signed the emulator's certificate. */
  caCert: string;
  /** `https://127.0.0.1:<port>` */
  origin: string;
  port: number;
  clock: Clock;
  /** Moves the virtual clock (same as `POST /_emulator/clock/advance`). */
  advanceClock(ms: number): void;
  /**
   * Back to the seed data and the start instant (same as `POST /_emulator/reset`). A realtime emulator on the default
   * seed dates it anew at the reset, as a restart would, so its clock reads the wall clock again.
   */
  reset(): void;
  /** The seed data in effect (`GET /_emulator/seed`): its `clockStart` and the ids of what it holds. */
  readonly seed: SeedFixture;
  /** The live model and the authority, for white-box assertions and tokens minted without HTTP. */
  readonly context: EmulatorContext;
  /** The admin API, so later parts can add endpoints. */
  readonly admin: AdminApi;
  /** Loads another seed fixture and restarts the clock at its `clockStart`; later resets return to both. */
  replaceSeed(seed: SeedFixture): void;
  /** Every request, `$batch` item and token request (same as `GET /_emulator/journal`). */
  readonly journal: Journal;
  /** The fault injector (same as `PUT /_emulator/faults`). */
  readonly faults: FaultInjector;
  stop(): Promise<void>;
}

/** Starts the emulator on loopback: Graph's backup-storage endpoints, the token authority and the admin API on one HTTPS port. */
export async function startEmulator({
  port = 0,
  timeScale = 1,
  clock: clockMode = 'realtime',
  dataDir = join(process.cwd(), '.emulator'),
  seed,
  maxActiveSessions = GRAPH_MAX_ACTIVE_SESSIONS,
  maxQueuedRestores = GRAPH_MAX_QUEUED_RESTORES,
  keyDir,
  profile = 'default',
}: EmulatorOptions = {}): Promise<RunningEmulator> {
  if (!(timeScale > 0) || !Number.isFinite(timeScale)) throw new RangeError('timeScale must be a positive number');
  if (!EMULATOR_PROFILES.includes(profile)) throw new RangeError(`profile must be one of ${EMULATOR_PROFILES.join(', ')}`);
  if (!Number.isInteger(maxQueuedRestores) || maxQueuedRestores < 1) throw new RangeError('maxQueuedRestores must be a positive integer');
  const tls = loadOrCreateTls(dataDir);
  // Assigned once the authority exists: the issuer needs the origin, and the origin needs the port.
  let parts: ServerParts | undefined = undefined;
  const listening = await listen(tls, port, HOST, (req, res) => serve(parts, req, res));
  const origin = `https://${HOST}:${listening.port}`;
  const seeds = createSeedKeeper(clockMode, seed);
  const clock = createClock(clockMode, Date.parse(seeds.current.clockStart));
  const authority = await createAuthority({
    origin,
    tenantId: DEV_TENANT_ID,
    clientId: DEV_CLIENT_ID,
    clientSecret: DEV_CLIENT_SECRET,
    users: seeds.current.users,
    keyDir,
  });
  const state = (fixture: SeedFixture): EmulatorState => new EmulatorState(fixture, timeScale, maxQueuedRestores);
  const ctx: EmulatorContext = { state: state(seeds.current), clock, authority, options: { timeScale, maxActiveSessions, profile } };
  const load = (fixture: SeedFixture): void => {
    ctx.state = state(fixture);
    clock.reset(Date.parse(fixture.clockStart));
  };
  const reset = (): void => load(seeds.renew());
  const replaceSeed = (next: SeedFixture): void => {
    seeds.replace(next);
    authority.setUsers(next.users);
    load(next);
  };
  const journal = new Journal();
  const faults = new FaultInjector();
  const admin = new AdminApi(() => ctx);
  registerCoreEndpoints(admin, reset);
  registerObserveEndpoints(admin, { journal, faults, currentSeed: () => seeds.current, replaceSeed });
  parts = { ctx, router: createGraphRouter(), admin, journal, faults, origin };
  return {
    settings: settingsFor(origin, tls),
    caCert: tls.caCert,
    origin,
    port: listening.port,
    clock,
    advanceClock: (ms) => clock.advance(ms),
    reset,
    get seed() {
      return seeds.current;
    },
    get context() {
      return ctx;
    },
    admin,
    replaceSeed,
    journal,
    faults,
    stop: () => listening.close(),
  };
}

interface SeedKeeper {
  /** The seed in effect. */
  readonly current: SeedFixture;
  /** The seed a reset loads, which becomes the one in effect. */
  renew(): SeedFixture;
  /** A fixture of the caller's own: in effect now and after every later reset. */
  replace(fixture: SeedFixture): void;
}

/**
 * Which seed is in effect. A fixture given at start or posted later is kept as it is, `clockStart` and all. The
 * default seed is dated at "now" in realtime mode, at start and again at every reset: a realtime clock that a reset
 * took back to an old start would lag the wall clock (and the gateway's, which judges restore point expiry) by the
 * emulator's uptime. In manual mode it keeps the fixed instant, so tests see the same ids and dates on every run.
 */
function createSeedKeeper(mode: ClockMode, explicit: SeedFixture | undefined): SeedKeeper {
  let fixture = explicit;
  const dated = (): SeedFixture => fixture ?? defaultSeed(mode === 'realtime' ? Date.now() : DEFAULT_CLOCK_START_ISO);
  let current = dated();
  return {
    get current() {
      return current;
    },
    renew() {
      if (fixture === undefined && mode === 'realtime') current = dated();
      return current;
    },
    replace(next) {
      fixture = next;
      current = next;
    },
  };
}

/** Requests that arrive between listening and the authority's creation get Graph's 503. */
function serve(parts: ServerParts | undefined, req: IncomingMessage, res: ServerResponse): void {
  if (!parts) {
    res.writeHead(503, { 'content-type': 'application/json' });
    res.end(JSON.stringify(errorEnvelope(new GraphError(503, 'ServiceUnavailable', 'The emulator is starting.'), randomUUID(), undefined)));
    return;
  }
  handleHttp(parts, req, res).catch((err: unknown) => {
    console.error('[emulator] request failed', err);
    if (!res.headersSent) res.writeHead(500);
    res.end();
  });
}

function settingsFor(origin: string, tls: EmulatorTls): EmulatorSettings {
  return {
    GRAPH_BASE_URL: `${origin}/beta`,
    AZURE_AUTHORITY_HOST: origin,
    AZURE_TENANT_ID: DEV_TENANT_ID,
    AZURE_CLIENT_ID: DEV_CLIENT_ID,
    AZURE_CLIENT_SECRET: DEV_CLIENT_SECRET,
    NODE_EXTRA_CA_CERTS: tls.caCertPath,
  };
}

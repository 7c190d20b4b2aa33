import { join } from 'node:path';
import { createClock, type Clock, type ClockMode } from './clock.js';
import { loadOrCreateTls } from './tls.js';
import { listen, handleHttp, type ServerParts } from './server.js';
import { EmulatorState } from './model/state.js';
import { defaultSeed, type SeedFixture } from './model/seed.js';
import { stableGuid } from './model/ids.js';
import { createGraphRouter } from './routes/index.js';
import { createAuthority } from './authority/create-authority.js';
import { AdminApi } from './admin/admin-api.js';
import { registerCoreEndpoints } from './admin/core-endpoints.js';
import { registerObserveEndpoints } from './admin/observe-endpoints.js';
import { Journal } from './admin/journal.js';
import { FaultInjector } from './admin/faults.js';
import type { EmulatorContext } from './context.js';
import { GraphError, errorEnvelope } from './http/errors.js';
import { randomUUID } from 'node:crypto';

export type { SeedFixture } from './model/seed.js';
export { defaultSeed, SEED_SESSION_IDS, seedRestorePointId, seedUnitId, LEGAL_HOLD_SITE_INDEX, REMOVED_SITE_INDEX } from './model/seed.js';

/** The development app registration and tenant the emulator's authority knows. Printing them is the point. */
export const DEV_TENANT_ID = stableGuid('tenant:contoso');
export const DEV_CLIENT_ID = stableGuid('app:restore-session-gateway');
export const DEV_CLIENT_SECRET = 'emulator-dev-secret.not-for-production';

export interface EmulatorOptions {
  /** 0 (default) picks an ephemeral port. */
  port?: number;
  /** Loopback only by default. */
  host?: string;
  /** Multiplies restore durations: 0.01 is 100 times faster (EMULATOR_TIME_SCALE). Default 1. */
  timeScale?: number;
  /** `realtime` (default): virtual time flows with the wall clock; `manual`: only `advanceClock` moves it. */
  clock?: ClockMode;
  /** Where the development CA and certificate are kept (created on first start). Default `.emulator` in the working directory. */
  dataDir?: string;
  /** Replaces the default seed data. */
  seed?: SeedFixture;
  /** At most this many sessions activating or active at once (Graph: 25). */
  maxActiveSessions?: number;
  /**
   * Keep the authority's signing key in this directory, so that tokens issued before a restart stay valid after it
   * (as Graph's do when Graph restarts). Default: a new key in memory for every start.
   */
  keyDir?: string;
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
  /** Back to the seed data and the start instant (same as `POST /_emulator/reset`). */
  reset(): void;
  /** The live model, for white-box assertions in the emulator's own tests. */
  readonly context: EmulatorContext;
  /** The admin API, so later parts can add endpoints. */
  readonly admin: AdminApi;
  /** Loads another seed fixture; later resets return to it. */
  replaceSeed(seed: SeedFixture): void;
  /** Every request, `$batch` item and token request (same as `GET /_emulator/journal`). */
  readonly journal: Journal;
  /** The fault injector (same as `PUT /_emulator/faults`). */
  readonly faults: FaultInjector;
  stop(): Promise<void>;
}


export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const timeScale = options.timeScale ?? 1;
  if (!(timeScale > 0) || !Number.isFinite(timeScale)) throw new RangeError('timeScale must be a positive number');
  const host = options.host ?? '127.0.0.1';
  const tls = loadOrCreateTls(options.dataDir ?? join(process.cwd(), '.emulator'));
  // Assigned once the authority exists; requests arriving before that get 503.
  let parts: ServerParts | undefined = undefined;
  const listening = await listen(tls, options.port ?? 0, host, (req, res) => {
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
  });
  const hostInUrl = host.includes(':') ? `[${host}]` : host;
  const origin = `https://${hostInUrl}:${listening.port}`;
  const seed = options.seed ?? defaultSeed();
  const clock = createClock(options.clock ?? 'realtime', Date.parse(seed.clockStart));
  const authority = await createAuthority({
    origin,
    tenantId: DEV_TENANT_ID,
    clientId: DEV_CLIENT_ID,
    clientSecret: DEV_CLIENT_SECRET,
    users: seed.users,
    ...(options.keyDir !== undefined ? { keyDir: options.keyDir } : {}),
  });
  const ctx: EmulatorContext = {
    state: new EmulatorState(seed, timeScale),
    clock,
    authority,
    options: { timeScale, maxActiveSessions: options.maxActiveSessions ?? 25 },
  };
  let currentSeed = seed;
  const reset = (): void => {
    ctx.state = new EmulatorState(currentSeed, timeScale);
    clock.reset();
  };
  const replaceSeed = (next: SeedFixture): void => {
    currentSeed = next;
    authority.setUsers(next.users);
    reset();
  };
  const journal = new Journal();
  const faults = new FaultInjector();
  const admin = new AdminApi(() => ctx);
  registerCoreEndpoints(admin, reset);
  registerObserveEndpoints(admin, { journal, faults, currentSeed: () => currentSeed, replaceSeed });
  parts = { ctx, router: createGraphRouter(), admin, journal, faults, origin };
  const settings: EmulatorSettings = {
    GRAPH_BASE_URL: `${origin}/beta`,
    AZURE_AUTHORITY_HOST: origin,
    AZURE_TENANT_ID: DEV_TENANT_ID,
    AZURE_CLIENT_ID: DEV_CLIENT_ID,
    AZURE_CLIENT_SECRET: DEV_CLIENT_SECRET,
    NODE_EXTRA_CA_CERTS: tls.caCertPath,
  };
  return {
    settings,
    caCert: tls.caCert,
    origin,
    port: listening.port,
    clock,
    advanceClock: (ms) => clock.advance(ms),
    reset,
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

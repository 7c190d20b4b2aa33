import { X509Certificate, createPrivateKey, createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import proxyAddr from 'proxy-addr';
import type { ClientCredential } from './auth/types.js';
import { parseDoctorCapabilities, type DoctorCapabilities } from './graph/capabilities.js';
import type { ObservabilitySettings } from './observability/index.js';
import type { RequestLimitsOptions } from './server/limits.js';

/**
 * Environment → typed, validated configuration. This is the only module of the gateway that reads
 * `process.env` (the emulator parses its own options). Every problem is collected and reported at
 * once, each naming its variable and what is expected, so a bad deployment fails at start with one
 * readable message instead of at the first request. Values of secrets are never echoed.
 */

export type NodeEnv = 'development' | 'production' | 'test';
export type AuthMode = 'obo' | 'app';
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/** Knobs of the Graph client (batching, retries, timeouts). */
export interface GraphClientConfig {
  /**
   * Upstream requests one caller's client may have in flight at once, 0 for no cap of its own (GRAPH_MAX_CONCURRENT_BATCHES,
   * default 0): the gateway-wide limit, shared fairly between callers, is what bounds a caller by default.
   */
  maxConcurrentBatches: number;
  /** Retries of a throttled or failed read (GRAPH_RETRY_MAX, default 3). */
  retryMax: number;
  /** Base of the exponential backoff when Graph gives no Retry-After (GRAPH_RETRY_BASE_MS, default 200). */
  retryBaseMs: number;
  /** Time allowed for one upstream HTTP exchange (GRAPH_TIMEOUT_MS, default 30000). */
  timeoutMs: number;
  /** Upstream requests in flight at once, all callers' clients together (GRAPH_MAX_CONCURRENT_REQUESTS, default 32). */
  maxConcurrentRequests: number;
  /** Retries allowed per hundred Graph calls, gateway-wide (GRAPH_RETRY_BUDGET_PERCENT, default 20). */
  retryBudgetPercent: number;
  /** Retries allowed per second whatever the traffic (GRAPH_RETRY_BUDGET_MIN_PER_SECOND, default 10). */
  retryBudgetMinPerSecond: number;
  /** Time one GraphQL operation may spend on Graph, retries included (GRAPH_OPERATION_DEADLINE_MS, default 20000). */
  operationDeadlineMs: number;
  /** Graph calls one GraphQL operation may ask for (GRAPH_MAX_CALLS_PER_OPERATION, default 1000). */
  maxCallsPerOperation: number;
  /** Percentage of failed calls (5xx, timeouts) in the window that opens the circuit (GRAPH_BREAKER_FAILURE_PERCENT, default 50). */
  breakerFailurePercent: number;
  /** Calls the window must hold before the circuit may open (GRAPH_BREAKER_MIN_CALLS, default 20). */
  breakerMinCalls: number;
  /** The breaker's sliding window (GRAPH_BREAKER_WINDOW_MS, default 10000). */
  breakerWindowMs: number;
  /** How long an open circuit fails calls before probing (GRAPH_BREAKER_OPEN_MS, default 5000). */
  breakerOpenMs: number;
  /** Graph calls one caller may make per window, 0 for no limit (CALLER_RATE_LIMIT_CALLS, default 2000). */
  callerCallLimit: number;
  /** The caller rate limit's window (CALLER_RATE_LIMIT_WINDOW_MS, default 10000). */
  callerWindowMs: number;
  /** How long a query option Graph refused is done without before it is tried again (GRAPH_CAPABILITY_RECHECK_MS, default 3600000). */
  capabilityRecheckMs: number;
  /** Items examined at most for one page of a list Graph would not filter (GRAPH_FALLBACK_SCAN_LIMIT, default 1000). */
  fallbackScanLimit: number;
  /** The capability results of `npm run doctor -- --json` (GRAPH_CAPABILITIES_FILE), read at start; undefined when unset. */
  capabilitiesFile: DoctorCapabilities | undefined;
}

/** The per-caller cache of what cannot change (`src/graph/cache/`). */
export interface GraphCacheConfig {
  /** Memory the cache may hold, all callers together, in bytes; 0 turns it off (GRAPH_CACHE_MAX_MB, default 64). */
  maxBytes: number;
  /** How long a protection unit is answered from the cache (GRAPH_CACHE_UNIT_TTL_MS, default 60000). */
  unitTtlMs: number;
  /** How long a finished session and its artifacts are answered from the cache (GRAPH_CACHE_TERMINAL_TTL_MS, default 300000). */
  terminalTtlMs: number;
}

/** Limits on what one GraphQL request may ask: the limits module's own options (defaults in docs/configuration.md). */
export type RequestLimitsConfig = RequestLimitsOptions;

/**
 * What a client may send before it is authenticated (docs/security.md, "What is bounded, and what a client sees"): the
 * HTTP body, WebSocket messages, and sockets still waiting for their `connection_init`.
 */
export interface TransportLimitsConfig {
  /** Largest HTTP request body, refused with 413 before it is read or parsed (MAX_REQUEST_BYTES, default 1 MiB). */
  maxRequestBytes: number;
  /** Largest WebSocket message; a bigger one closes the socket with 1009 (WS_MAX_MESSAGE_BYTES, default 256 KiB). */
  maxWebSocketMessageBytes: number;
  /** WebSockets that have not completed `connection_init`, all addresses together (WS_MAX_PENDING_CONNECTIONS, default 512). */
  maxPendingConnections: number;
  /** Of those, from one client address (WS_MAX_PENDING_PER_ADDRESS, default 32). */
  maxPendingPerAddress: number;
  /**
   * Which proxies in front of the gateway are trusted to name the client in `X-Forwarded-For` (TRUST_PROXY), in
   * express's `trust proxy` form: a hop count, or addresses and subnets (`loopback`, `10.0.0.0/8`, …). Undefined: none,
   * the socket's own address is the client's.
   */
  trustProxy: number | string[] | undefined;
}

/** Knobs of live status: the subscription watcher, its Redis lease and the WebSocket limits. */
export interface SubscriptionConfig {
  /** Base poll interval of a running restore (POLL_INTERVAL_MS, default 2000); drafts and errors poll less often. */
  pollIntervalMs: number;
  /** Lifetime of the Redis lease on one session's poller (LEASE_TTL_MS, default 5000); renewed every third of it. */
  leaseTtlMs: number;
  /** Subscriptions one WebSocket connection may run at once (MAX_SUBSCRIPTIONS_PER_CONNECTION, default 100). */
  maxSubscriptionsPerConnection: number;
  /** WebSocket connections one caller may hold open on one instance (MAX_CONNECTIONS_PER_CALLER, default 50). */
  maxConnectionsPerCaller: number;
  /** Undelivered events one subscription may hold before its client is dropped as too slow (SUBSCRIPTION_BUFFER_SIZE, default 100). */
  bufferSize: number;
  /** Prefix of every Redis key and channel (REDIS_KEY_PREFIX, default `restore-gateway:`), so deployments can share a Redis. */
  redisKeyPrefix: string;
  /**
   * Where Apollo Router's callback mode may have the gateway POST subscription events (SUBSCRIPTION_CALLBACK_URLS): URL
   * prefixes, each an origin and a path (`https://router.internal:4000/callback`); empty (unset): callback mode is off.
   */
  callbackUrls: string[];
}

/**
 * Knobs of operations (docs/operations.md): the observability module's own settings (METRICS_TOKEN, METRICS_PORT,
 * OTEL_*, READINESS_*; `production` comes from NODE_ENV), and the time from SIGTERM/SIGINT to exit, draining included
 * (SHUTDOWN_TIMEOUT_MS).
 */
export interface ObservabilityConfig extends Omit<ObservabilitySettings, 'production'> {
  shutdownTimeoutMs: number;
}

/** The app registration the gateway calls Graph with (and, in OBO mode, exchanges callers' tokens with). */
export interface AzureCredentials {
  tenantId: string;
  clientId: string;
  credential: ClientCredential;
}

export interface Config {
  port: number;
  /**
   * Interface to listen on (HOST): default loopback (`127.0.0.1`) in development, so the development token and the
   * embedded emulator stay on this machine; all interfaces (`0.0.0.0`) in production.
   */
  host: string;
  nodeEnv: NodeEnv;
  /** `NODE_ENV=production`: introspection off by default, internal errors masked. */
  production: boolean;
  /**
   * Graph's base URL with its version, without a trailing slash (`https://graph.microsoft.com/beta`).
   * `undefined`: start the embedded emulator and use its URL and credentials.
   */
  graphBaseUrl: string | undefined;
  /** Origin of the token authority, without a trailing slash (default `https://login.microsoftonline.com`). */
  authorityHost: string;
  /** Complete when all of AZURE_TENANT_ID, AZURE_CLIENT_ID and a secret or certificate are set; required with GRAPH_BASE_URL. */
  azure: AzureCredentials | undefined;
  /**
   * PEM certificates from NODE_EXTRA_CA_CERTS, handed to every HTTP client the gateway makes (Graph,
   * msal-node, JWKS), since Node itself reads that variable only at start-up. Empty when unset.
   */
  extraCaCerts: string[];
  authMode: AuthMode;
  /** `undefined`: in-memory pubsub. */
  redisUrl: string | undefined;
  /** Exact origins allowed by CORS; empty when unset. */
  corsOrigins: string[];
  logLevel: LogLevel;
  introspection: boolean;
  graph: GraphClientConfig;
  cache: GraphCacheConfig;
  limits: RequestLimitsConfig;
  transport: TransportLimitsConfig;
  subscriptions: SubscriptionConfig;
  observability: ObservabilityConfig;
}

/** Thrown by {@link loadConfig}; `problems` holds one line per wrong variable. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

export const DEFAULT_AUTHORITY_HOST = 'https://login.microsoftonline.com';
const GRAPH_VERSIONS = new Set(['v1.0', 'beta']);
const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
const NODE_ENVS: readonly NodeEnv[] = ['development', 'production', 'test'];
// Client credentials need a real tenant: these aliases only make sense for interactive sign-in.
const TENANT_ALIASES = new Set(['common', 'organizations', 'consumers']);
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

type Env = Readonly<Record<string, string | undefined>>;

/** Reads and validates the gateway's configuration; throws a {@link ConfigError} listing every problem. */
export function loadConfig(env: Env = process.env): Config {
  const problems: string[] = [];
  const v = new Reader(env, problems);
  // Sections are read in this order so that problems are listed in the order of the documented table.
  const port = v.integer('PORT', 4000, 0, 65535);
  const nodeEnv = v.oneOf('NODE_ENV', NODE_ENVS, 'development');
  const production = nodeEnv === 'production';
  const host = v.optional('HOST', parseListenHost) ?? (production ? '0.0.0.0' : '127.0.0.1');
  const graphBaseUrl = v.optional('GRAPH_BASE_URL', parseGraphBaseUrl);
  const authorityHost = v.optional('AZURE_AUTHORITY_HOST', parseAuthorityHost) ?? DEFAULT_AUTHORITY_HOST;
  const registration = readAppRegistration(v);
  const extraCaCerts = v.optional('NODE_EXTRA_CA_CERTS', readCaCertificates) ?? [];
  const authMode = v.oneOf('AUTH_MODE', ['obo', 'app'] as const, 'obo');
  const redisUrl = v.optional('REDIS_URL', parseRedisUrl, { secret: true });
  const corsOrigins = v.optional('CORS_ORIGINS', parseCorsOrigins) ?? [];
  const logLevel = v.oneOf('LOG_LEVEL', LOG_LEVELS, 'info');
  const introspection = v.boolean('INTROSPECTION', !production);
  const graph = readGraphClient(v);
  const cache = readGraphCache(v);
  const limits = readRequestLimits(v);
  const transport = readTransportLimits(v);
  const subscriptions = readSubscriptions(v);
  const observability = readObservability(v, port);
  const azure = azureCredentials(v, registration, graphBaseUrl);
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    port,
    host,
    nodeEnv,
    production,
    graphBaseUrl,
    authorityHost,
    azure,
    extraCaCerts,
    authMode,
    redisUrl,
    corsOrigins,
    logLevel,
    introspection,
    graph,
    cache,
    limits,
    transport,
    subscriptions,
    observability,
  };
}

function readGraphClient(v: Reader): GraphClientConfig {
  return {
    maxConcurrentBatches: v.integer('GRAPH_MAX_CONCURRENT_BATCHES', 0, 0, 1_024),
    retryMax: v.integer('GRAPH_RETRY_MAX', 3, 0, 10),
    retryBaseMs: v.integer('GRAPH_RETRY_BASE_MS', 200, 0, 60_000),
    timeoutMs: v.integer('GRAPH_TIMEOUT_MS', 30_000, 100, 600_000),
    maxConcurrentRequests: v.integer('GRAPH_MAX_CONCURRENT_REQUESTS', 32, 1, 1_024),
    retryBudgetPercent: v.integer('GRAPH_RETRY_BUDGET_PERCENT', 20, 0, 1_000),
    retryBudgetMinPerSecond: v.integer('GRAPH_RETRY_BUDGET_MIN_PER_SECOND', 10, 0, 10_000),
    operationDeadlineMs: v.integer('GRAPH_OPERATION_DEADLINE_MS', 20_000, 100, 600_000),
    maxCallsPerOperation: v.integer('GRAPH_MAX_CALLS_PER_OPERATION', 1_000, 1, 100_000),
    breakerFailurePercent: v.integer('GRAPH_BREAKER_FAILURE_PERCENT', 50, 1, 100),
    breakerMinCalls: v.integer('GRAPH_BREAKER_MIN_CALLS', 20, 1, 100_000),
    breakerWindowMs: v.integer('GRAPH_BREAKER_WINDOW_MS', 10_000, 100, 600_000),
    breakerOpenMs: v.integer('GRAPH_BREAKER_OPEN_MS', 5_000, 10, 600_000),
    callerCallLimit: v.integer('CALLER_RATE_LIMIT_CALLS', 2_000, 0, 1_000_000),
    callerWindowMs: v.integer('CALLER_RATE_LIMIT_WINDOW_MS', 10_000, 100, 3_600_000),
    capabilityRecheckMs: v.integer('GRAPH_CAPABILITY_RECHECK_MS', 3_600_000, 100, 604_800_000),
    fallbackScanLimit: v.integer('GRAPH_FALLBACK_SCAN_LIMIT', 1_000, 10, 100_000),
    capabilitiesFile: v.optional('GRAPH_CAPABILITIES_FILE', readDoctorCapabilities),
  };
}

function readGraphCache(v: Reader): GraphCacheConfig {
  return {
    maxBytes: v.integer('GRAPH_CACHE_MAX_MB', 64, 0, 65_536) * 1024 * 1024,
    unitTtlMs: v.integer('GRAPH_CACHE_UNIT_TTL_MS', 60_000, 0, 86_400_000),
    terminalTtlMs: v.integer('GRAPH_CACHE_TERMINAL_TTL_MS', 300_000, 0, 86_400_000),
  };
}

function readRequestLimits(v: Reader): RequestLimitsConfig {
  return {
    maxDepth: v.integer('MAX_QUERY_DEPTH', 12, 1, 100),
    maxCost: v.integer('MAX_QUERY_COST', 5_000, 1, 10_000_000),
    maxAliases: v.integer('MAX_QUERY_ALIASES', 15, 0, 1_000),
    maxTokens: v.integer('MAX_QUERY_TOKENS', 3_000, 10, 1_000_000),
    maxDocumentBytes: v.integer('MAX_QUERY_BYTES', 32_768, 256, 1_048_576),
    maxOperationsPerBatch: v.integer('MAX_BATCH_OPERATIONS', 1, 1, 100),
    apqCacheMb: v.integer('APQ_CACHE_MB', 8, 0, 1_024),
  };
}

function readTransportLimits(v: Reader): TransportLimitsConfig {
  const transport: TransportLimitsConfig = {
    maxRequestBytes: v.integer('MAX_REQUEST_BYTES', 1_048_576, 1_024, 104_857_600),
    maxWebSocketMessageBytes: v.integer('WS_MAX_MESSAGE_BYTES', 262_144, 1_024, 104_857_600),
    maxPendingConnections: v.integer('WS_MAX_PENDING_CONNECTIONS', 512, 1, 1_000_000),
    maxPendingPerAddress: v.integer('WS_MAX_PENDING_PER_ADDRESS', 32, 1, 1_000_000),
    trustProxy: v.optional('TRUST_PROXY', parseTrustProxy),
  };
  if (transport.maxPendingPerAddress > transport.maxPendingConnections) {
    v.problem(
      `WS_MAX_PENDING_PER_ADDRESS: expected at most WS_MAX_PENDING_CONNECTIONS (${transport.maxPendingConnections}), got '${transport.maxPendingPerAddress}'`,
    );
  }
  return transport;
}

function readSubscriptions(v: Reader): SubscriptionConfig {
  return {
    pollIntervalMs: v.integer('POLL_INTERVAL_MS', 2_000, 10, 600_000),
    leaseTtlMs: v.integer('LEASE_TTL_MS', 5_000, 300, 600_000),
    maxSubscriptionsPerConnection: v.integer('MAX_SUBSCRIPTIONS_PER_CONNECTION', 100, 1, 100_000),
    maxConnectionsPerCaller: v.integer('MAX_CONNECTIONS_PER_CALLER', 50, 1, 100_000),
    bufferSize: v.integer('SUBSCRIPTION_BUFFER_SIZE', 100, 1, 100_000),
    redisKeyPrefix: v.optional('REDIS_KEY_PREFIX', parseRedisKeyPrefix) ?? 'restore-gateway:',
    callbackUrls: v.optional('SUBSCRIPTION_CALLBACK_URLS', parseCallbackUrls) ?? [],
  };
}

/** The observability section; METRICS_PORT must differ from `port`, the GraphQL one. */
function readObservability(v: Reader, port: number): ObservabilityConfig {
  const otelDisabled = v.boolean('OTEL_SDK_DISABLED', false);
  const otlpTraces = v.optional('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', parseOtlpUrl);
  const otlpBase = v.optional('OTEL_EXPORTER_OTLP_ENDPOINT', parseOtlpUrl);
  const observability: ObservabilityConfig = {
    metricsToken: v.optional('METRICS_TOKEN', (raw) => (raw.length >= 16 ? raw : fail('expected at least 16 characters')), {
      secret: true,
    }),
    metricsPort: v.optional('METRICS_PORT', (raw) => {
      const n = /^\d+$/.test(raw) ? Number(raw) : NaN;
      return Number.isSafeInteger(n) && n >= 1 && n <= 65535 ? n : fail('expected an integer from 1 to 65535');
    }),
    otlpTracesUrl: otelDisabled
      ? undefined
      : (otlpTraces ?? (otlpBase === undefined ? undefined : `${otlpBase.replace(/\/+$/, '')}/v1/traces`)),
    serviceName:
      v.optional('OTEL_SERVICE_NAME', (raw) =>
        /^[\x21-\x7e]{1,100}$/.test(raw) ? raw : fail('expected 1 to 100 printable characters without spaces'),
      ) ?? 'restore-session-gateway',
    readinessCacheMs: v.integer('READINESS_CACHE_MS', 5_000, 0, 600_000),
    readinessTimeoutMs: v.integer('READINESS_TIMEOUT_MS', 3_000, 100, 60_000),
    shutdownTimeoutMs: v.integer('SHUTDOWN_TIMEOUT_MS', 25_000, 1_000, 600_000),
  };
  if (observability.metricsPort !== undefined && observability.metricsPort === port) {
    v.problem(`METRICS_PORT: expected a port other than PORT (${port}), got '${observability.metricsPort}'`);
  }
  return observability;
}

/** The app registration's variables as read; checked together by {@link azureCredentials}. */
interface AppRegistrationVariables {
  tenantId: string | undefined;
  clientId: string | undefined;
  secret: string | undefined;
  certificate: ClientCredential | undefined;
}

function readAppRegistration(v: Reader): AppRegistrationVariables {
  return {
    tenantId: v.optional('AZURE_TENANT_ID', parseTenantId),
    clientId: v.optional('AZURE_CLIENT_ID', (raw) => (GUID.test(raw) ? raw : fail('expected the application (client) id, a GUID'))),
    secret: v.optional('AZURE_CLIENT_SECRET', (raw) => raw, { secret: true }),
    certificate: v.optional('AZURE_CLIENT_CERTIFICATE_PATH', readClientCertificate),
  };
}

/** The complete app registration, or undefined; with GRAPH_BASE_URL set, every missing part is a problem. */
function azureCredentials(v: Reader, vars: AppRegistrationVariables, graphBaseUrl: string | undefined): AzureCredentials | undefined {
  const { tenantId, clientId, secret, certificate } = vars;
  if (secret !== undefined && certificate !== undefined) {
    v.problem('AZURE_CLIENT_SECRET and AZURE_CLIENT_CERTIFICATE_PATH: set one of them, not both');
  }
  const credential: ClientCredential | undefined = secret !== undefined ? { kind: 'secret', clientSecret: secret } : certificate;
  if (tenantId !== undefined && clientId !== undefined && credential !== undefined) return { tenantId, clientId, credential };
  if (graphBaseUrl === undefined) return undefined;
  // Against a real Graph the gateway needs its app registration; only the embedded emulator brings its own.
  const missing: string[] = [];
  if (tenantId === undefined && !v.wasSet('AZURE_TENANT_ID')) missing.push('AZURE_TENANT_ID');
  if (clientId === undefined && !v.wasSet('AZURE_CLIENT_ID')) missing.push('AZURE_CLIENT_ID');
  if (credential === undefined && !v.wasSet('AZURE_CLIENT_SECRET') && !v.wasSet('AZURE_CLIENT_CERTIFICATE_PATH')) {
    missing.push('AZURE_CLIENT_SECRET or AZURE_CLIENT_CERTIFICATE_PATH');
  }
  for (const name of missing) v.problem(`${name}: required when GRAPH_BASE_URL is set (the app registration used to call Graph)`);
  return undefined;
}

/** The configuration as it may be logged: secrets and keys replaced, certificates counted. */
export function describeConfig(config: Config): Record<string, unknown> {
  const credential = config.azure?.credential;
  return {
    ...config,
    azure: config.azure && {
      tenantId: config.azure.tenantId,
      clientId: config.azure.clientId,
      credential: credential?.kind === 'certificate' ? `certificate ${credential.thumbprintSha256}` : 'secret (redacted)',
    },
    extraCaCerts: `${config.extraCaCerts.length} certificate(s)`,
    redisUrl: config.redisUrl === undefined ? undefined : redactUrlPassword(config.redisUrl),
    observability: { ...config.observability, metricsToken: config.observability.metricsToken === undefined ? undefined : 'redacted' },
  };
}

// ------------------------------------------------------------------------------------ readers

class Invalid extends Error {}
function fail(expected: string): never {
  throw new Invalid(expected);
}

class Reader {
  constructor(
    private readonly env: Env,
    private readonly problems: string[],
  ) {}

  /** Unset and empty are the same: container tooling often passes `NAME=` for "not set". */
  private raw(name: string): string | undefined {
    const value = this.env[name];
    return value === undefined || value.trim() === '' ? undefined : value.trim();
  }

  wasSet(name: string): boolean {
    return this.raw(name) !== undefined;
  }

  /** A problem that involves more than one variable. */
  problem(line: string): void {
    this.problems.push(line);
  }

  optional<T>(name: string, parse: (raw: string) => T, opts: { secret?: boolean } = {}): T | undefined {
    const raw = this.raw(name);
    if (raw === undefined) return undefined;
    try {
      return parse(raw);
    } catch (err) {
      const expected = err instanceof Invalid ? err.message : String(err);
      this.problems.push(opts.secret ? `${name}: ${expected}` : `${name}: ${expected}, got ${quote(raw)}`);
      return undefined;
    }
  }

  integer(name: string, fallback: number, min: number, max: number): number {
    return (
      this.optional(name, (raw) => {
        const n = /^-?\d+$/.test(raw) ? Number(raw) : NaN;
        return Number.isSafeInteger(n) && n >= min && n <= max ? n : fail(`expected an integer from ${min} to ${max}`);
      }) ?? fallback
    );
  }

  oneOf<T extends string>(name: string, values: readonly T[], fallback: T): T {
    return (
      this.optional(name, (raw) => {
        const match = values.find((x) => x === raw.toLowerCase());
        return match ?? fail(`expected one of ${values.join(', ')}`);
      }) ?? fallback
    );
  }

  boolean(name: string, fallback: boolean): boolean {
    return (
      this.optional(name, (raw) => {
        const lower = raw.toLowerCase();
        if (lower === 'true' || lower === '1') return true;
        if (lower === 'false' || lower === '0') return false;
        return fail('expected true or false');
      }) ?? fallback
    );
  }
}

function quote(raw: string): string {
  const clean = raw.replace(/(?![\u0080-\u009f])\p{Cc}/gu, '?');
  return `'${clean.length > 120 ? `${clean.slice(0, 120)}…` : clean}'`;
}

function parseUrl(raw: string): URL {
  try {
    return new URL(raw);
  } catch {
    return fail('expected an absolute URL');
  }
}

/** 127.0.0.0/8, ::1 and localhost: the only hosts plain `http://` is accepted for. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  if (isIP(host) === 6) return host === '::1' || host === '0:0:0:0:0:0:0:1';
  return false;
}

function parseGraphBaseUrl(raw: string): string {
  const expected = 'expected the Graph base URL with its version, e.g. https://graph.microsoft.com/beta';
  const url = parseUrl(raw);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))) {
    fail(`${expected} (https, or http only for a loopback host)`);
  }
  if (url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '') {
    fail(`${expected}, without credentials, query or fragment`);
  }
  const path = url.pathname.replace(/\/+$/, '');
  const version = path.split('/').pop() ?? '';
  if (!GRAPH_VERSIONS.has(version)) fail(`${expected}: the path must end with /beta or /v1.0`);
  return `${url.origin}${path}`;
}

/** An interface address (`127.0.0.1`, `::`, `0.0.0.0`) or a host name that resolves to one. */
function parseListenHost(raw: string): string {
  const host = raw.replace(/^\[|\]$/g, '');
  if (isIP(host) !== 0 || /^[a-z0-9](?:[a-z0-9-]{0,62})(?:\.[a-z0-9](?:[a-z0-9-]{0,62}))*$/i.test(host)) return host;
  return fail('expected an interface address such as 127.0.0.1, 0.0.0.0 or ::, or a host name');
}

/**
 * TRUST_PROXY: `false` (the default), a hop count (`1`: one proxy in front), or a comma-separated list of the proxies'
 * addresses, subnets or proxy-addr's names (`loopback`, `linklocal`, `uniquelocal`). `true` (trust every hop) is refused:
 * any client could then name any address in `X-Forwarded-For` and escape the per-address limits.
 */
function parseTrustProxy(raw: string): number | string[] | undefined {
  const lower = raw.toLowerCase();
  if (lower === 'false' || lower === '0') return undefined;
  if (lower === 'true')
    fail("expected a hop count or the proxies' addresses, not true (that would trust any X-Forwarded-For a client sends)");
  if (/^\d+$/.test(raw)) {
    const hops = Number(raw);
    return hops >= 1 && hops <= 10 ? hops : fail('expected a hop count from 1 to 10, or addresses and subnets');
  }
  const entries = raw
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e !== '');
  try {
    proxyAddr.compile(entries);
  } catch {
    return fail('expected a hop count, or comma-separated addresses, subnets (10.0.0.0/8) or loopback, linklocal, uniquelocal');
  }
  return entries;
}

function parseAuthorityHost(raw: string): string {
  const url = parseUrl(raw);
  // msal-node refuses authorities that are not https.
  if (url.protocol !== 'https:') fail('expected an https origin, e.g. https://login.microsoftonline.com');
  if (url.pathname !== '/' || url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
    fail('expected an origin only (scheme, host and port), e.g. https://login.microsoftonline.com');
  }
  return url.origin;
}

function parseTenantId(raw: string): string {
  if (TENANT_ALIASES.has(raw.toLowerCase()))
    fail('expected a specific tenant (a GUID or a domain like contoso.onmicrosoft.com), not a multi-tenant alias');
  if (GUID.test(raw) || /^[a-z0-9](?:[a-z0-9-]{0,62}\.)+[a-z]{2,63}$/i.test(raw)) return raw;
  return fail('expected the directory (tenant) id, a GUID or a verified domain like contoso.onmicrosoft.com');
}

function readFileText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'unreadable';
    return fail(`expected a readable file (${code})`);
  }
}

function readDoctorCapabilities(path: string): DoctorCapabilities {
  let json: unknown;
  try {
    json = JSON.parse(readFileText(path));
  } catch (err) {
    if (err instanceof Invalid) throw err;
    return fail('expected the JSON file `npm run doctor -- --json <path>` writes, but it does not parse');
  }
  try {
    return parseDoctorCapabilities(json);
  } catch (err) {
    return fail(`expected the JSON file \`npm run doctor -- --json <path>\` writes, but it ${(err as Error).message}`);
  }
}

function readCaCertificates(path: string): string[] {
  const pems = readFileText(path).match(PEM_CERTIFICATE) ?? [];
  if (pems.length === 0) fail('expected a PEM file holding at least one -----BEGIN CERTIFICATE----- block');
  for (const pem of pems) {
    try {
      new X509Certificate(pem);
    } catch {
      fail('expected PEM certificates, but one of them does not parse');
    }
  }
  return pems;
}

/**
 * A PEM file holding the certificate registered on the app and its unencrypted private key, as
 * Azure SDKs take AZURE_CLIENT_CERTIFICATE_PATH.
 */
function readClientCertificate(path: string): ClientCredential {
  const text = readFileText(path);
  if (/-----BEGIN ENCRYPTED PRIVATE KEY-----/.test(text)) fail('expected an unencrypted private key in the PEM file (it is encrypted)');
  const keyPem = /-----BEGIN (?:RSA |EC )?PRIVATE KEY-----[\s\S]+?-----END (?:RSA |EC )?PRIVATE KEY-----/.exec(text)?.[0];
  const certs = text.match(PEM_CERTIFICATE) ?? [];
  const first = certs[0];
  if (keyPem === undefined || first === undefined) fail('expected a PEM file with the certificate and its private key');
  let privateKey: string;
  let certificate: X509Certificate;
  try {
    const key = createPrivateKey(keyPem);
    privateKey = key.export({ type: 'pkcs8', format: 'pem' }).toString();
    certificate = new X509Certificate(first);
    const spki = (k: ReturnType<typeof createPublicKey>): string => k.export({ type: 'spki', format: 'der' }).toString('base64');
    if (spki(createPublicKey(key)) !== spki(certificate.publicKey))
      fail('expected the private key of the certificate in the same file (they do not match)');
  } catch (err) {
    if (err instanceof Invalid) throw err;
    return fail('expected a PEM file with the certificate and its private key (they do not parse)');
  }
  return {
    kind: 'certificate',
    privateKey,
    thumbprintSha256: certificate.fingerprint256.replace(/:/g, ''),
    x5c: certs.join('\n'),
  };
}

function parseOtlpUrl(raw: string): string {
  const url = parseUrl(raw);
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    fail('expected an http:// or https:// URL of an OTLP/HTTP collector, e.g. http://otel-collector:4318');
  return raw;
}

function parseRedisUrl(raw: string): string {
  const url = parseUrl(raw);
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') fail('expected a redis:// or rediss:// URL');
  return raw;
}

function parseRedisKeyPrefix(raw: string): string {
  // Keys and channel names are built by appending to it; keep it printable and short.
  if (!/^[A-Za-z0-9:._{}-]{1,64}$/.test(raw)) fail('expected 1 to 64 letters, digits or : . _ - { }');
  return raw;
}

/** `text` as a URL, or undefined when it is not one. */
function urlOrUndefined(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

function parseCorsOrigins(raw: string): string[] {
  const origins: string[] = [];
  for (const part of raw.split(',')) {
    const entry = part.trim();
    if (entry === '') continue;
    const url = urlOrUndefined(entry);
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.origin !== entry.replace(/\/$/, '')) {
      fail(`expected a comma-separated list of origins like https://app.contoso.com (no path); ${quote(entry)} is not one`);
    }
    origins.push(url.origin);
  }
  return origins;
}

/**
 * SUBSCRIPTION_CALLBACK_URLS: comma-separated URL prefixes of the routers' callback endpoints. The gateway POSTs to a URL
 * a request names, so each entry is an exact origin and a path: https, or http only for a loopback host (events and the
 * router's verifier never cross a network in clear text, as for GRAPH_BASE_URL); no credentials, query or fragment.
 */
function parseCallbackUrls(raw: string): string[] {
  const prefixes = new Set<string>();
  for (const part of raw.split(',')) {
    const entry = part.trim();
    if (entry === '') continue;
    const url = urlOrUndefined(entry);
    const secure = url && (url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname)));
    if (!url || !secure || url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '' || entry.includes('#')) {
      fail(
        `expected comma-separated URL prefixes of router callback endpoints like https://router.contoso.com/callback (https, or http only for a loopback host; no credentials, query or fragment); ${quote(entry)} is not one`,
      );
    }
    prefixes.add(`${url.origin}${url.pathname}`);
  }
  return prefixes.size > 0 ? [...prefixes] : fail('expected at least one URL prefix');
}

function redactUrlPassword(raw: string): string {
  try {
    const url = new URL(raw);
    if (url.password !== '') url.password = 'redacted';
    return url.toString();
  } catch {
    return 'redacted';
  }
}

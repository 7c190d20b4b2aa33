import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The gateway's Prometheus metrics, on a registry of its own (never prom-client's global one, so two
 * gateways in one process, as in the tests, never share or clash). Other modules report through the
 * hook functions below, which keeps their call sites to one line; what can be read at scrape time
 * (live-status counts, WebSocket connections, the breaker, the concurrency limiter) is read then,
 * through the sources given to {@link GatewayMetrics.watch}.
 *
 * Labels have bounded values: operation names are GraphQL names chosen by clients, so at most
 * `maxOperationNames` distinct ones are kept and the rest count as `other`; statuses are HTTP codes.
 * No label ever carries an id, a caller or a token.
 */

export const METRIC_PREFIX = 'restore_gateway_';

export type OperationOutcome = 'ok' | 'partial' | 'error';
export type TokenProviderKind = 'app' | 'obo';
export type TokenLookupResult = 'cache_hit' | 'acquired' | 'failed';
export type RetryReason = 'throttled' | 'server_error' | 'transport';
export type BreakerStateName = 'closed' | 'open' | 'halfOpen';

/** What is read at scrape time; each source is optional and may be replaced later. */
export interface MetricSources {
  /** Live status: subscribers, sessions watched, sessions this instance polls, polls so far. */
  liveStats: () => { subscribers: number; watched: number; polling: number; polls: number };
  /** Open, admitted WebSocket connections. */
  webSocketConnections: () => number;
  /** The circuit breaker's current state. */
  breakerState: () => BreakerStateName;
  /** The gateway-wide Graph concurrency limiter. */
  graphLimiter: () => { active: number; waiting: number };
  /** The per-caller cache of what cannot change: entries and their estimated bytes, all callers together. */
  graphCache: () => { entries: number; bytes: number };
}

export interface GatewayMetrics {
  readonly registry: Registry;
  /** One GraphQL operation finished. */
  operation(info: {
    name: string | undefined;
    type: string | undefined;
    outcome: OperationOutcome;
    durationSeconds: number;
    errorCodes?: Iterable<string>;
  }): void;
  /** An operation started (+1) or finished (-1). */
  operationsInFlight(delta: 1 | -1): void;
  /** One Graph call (what a loader or mutation asked for) ended. */
  graphCall(info: { method: string; status: number; durationSeconds: number }): void;
  /** One upstream HTTP exchange (a lone request or a `$batch` envelope) ended. */
  graphRequest(info: { batch: boolean; items: number; status: number; durationSeconds: number }): void;
  graphRetry(reason: RetryReason): void;
  /** The per-caller cache was asked for an entry of `kind` (a session, an artifact page, a restore point...). */
  graphCacheLookup(kind: string, hit: boolean): void;
  /** Graph answered 429 (or 503 with Retry-After). */
  graphThrottled(): void;
  /** A query option Graph refused is remembered (`true`) or works again after a recheck (`false`); see `graph/capabilities.ts`. */
  graphCapabilityRefused(capability: string, refused: boolean): void;
  /** A Graph request went without a capability and used its fallback. */
  graphCapabilityFallback(capability: string): void;
  /** The token providers: answered from msal-node's cache, fetched from the authority, or failed. */
  tokenLookup(provider: TokenProviderKind, result: TokenLookupResult): void;
  /** The breaker changed state (in addition to the scrape-time read of `breakerState`). */
  breakerStateChanged(state: BreakerStateName): void;
  /** Readiness checks: 1 when the check passed at the last probe, 0 when it failed. */
  readinessCheck(name: string, ok: boolean): void;
  /** A promise rejected with nobody to observe it (a bug, logged and survived; see process-guards.ts). */
  unhandledRejection(): void;
  /** Sets (or replaces) scrape-time sources. */
  watch(sources: Partial<MetricSources>): void;
  /** The exposition text and its content type. */
  render(): Promise<{ contentType: string; body: string }>;
}

export interface MetricsOptions {
  /** Distinct operation names kept as label values; later ones count as `other`. Default 200. */
  maxOperationNames?: number;
  /** prom-client's process and Node.js metrics (`process_*`, `nodejs_*`). Default true. */
  defaultMetrics?: boolean;
}

/** Seconds, for operations and Graph calls alike. */
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const BATCH_BUCKETS = [1, 2, 3, 5, 8, 10, 15, 20];
const BREAKER_STATES: readonly BreakerStateName[] = ['closed', 'halfOpen', 'open'];
const BREAKER_LABEL: Record<BreakerStateName, string> = { closed: 'closed', halfOpen: 'half_open', open: 'open' };
const GRAPHQL_NAME = /^[_A-Za-z][_0-9A-Za-z]{0,99}$/;

export function createMetrics({ maxOperationNames = 200, defaultMetrics = true }: MetricsOptions = {}): GatewayMetrics {
  const registry = new Registry();
  let sources: Partial<MetricSources> = {};
  const registers = [registry];
  // Registered in this order, which is the order of the exposition.
  const operations = operationMetrics(registers, maxOperationNames);
  const graph = graphMetrics(registers);
  const tokens = new Counter({
    name: p('token_requests_total'),
    help: "Graph token lookups by provider (app: client credentials; obo: on-behalf-of) and result (cache_hit: from msal-node's cache; acquired: from the authority; failed).",
    labelNames: ['provider', 'result'] as const,
    registers,
  });
  const cacheLookups = new Counter({
    name: p('graph_cache_lookups_total'),
    help: 'Lookups in the per-caller cache of what cannot change, by kind of entry and result (hit: no Graph call made; miss).',
    labelNames: ['kind', 'result'] as const,
    registers,
  });
  const capabilities = capabilityMetrics(registers);
  const breaker = breakerMetrics(registers, () => sources.breakerState?.());
  scrapeTimeMetrics(registers, () => sources);
  const health = healthMetrics(registers);
  if (defaultMetrics) collectDefaultMetrics({ register: registry });
  return {
    registry,
    ...operations,
    ...graph,
    tokenLookup(provider, result) {
      tokens.inc({ provider, result });
    },
    graphCacheLookup(kind, hit) {
      cacheLookups.inc({ kind, result: hit ? 'hit' : 'miss' });
    },
    ...capabilities,
    ...breaker,
    ...health,
    watch(next) {
      sources = { ...sources, ...next };
    },
    async render() {
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
  };
}

const p = (name: string): string => `${METRIC_PREFIX}${name}`;

type Registers = Registry[];

/** Operations over HTTP: latency by name, type and outcome, errors by code, and those in flight. */
function operationMetrics(registers: Registers, maxNames: number): Pick<GatewayMetrics, 'operation' | 'operationsInFlight'> {
  const operationDuration = new Histogram({
    name: p('operation_duration_seconds'),
    help: 'GraphQL operations over HTTP, from the request to the answer, by operation name, type and outcome (ok, partial: data with errors, error).',
    labelNames: ['operation', 'type', 'outcome'] as const,
    buckets: DURATION_BUCKETS,
    registers,
  });
  const operationErrors = new Counter({
    name: p('operation_errors_total'),
    help: 'Errors in GraphQL answers, by extensions.code.',
    labelNames: ['code'] as const,
    registers,
  });
  const inFlight = new Gauge({ name: p('operations_in_flight'), help: 'GraphQL operations over HTTP being answered now.', registers });
  const names = new Set<string>();
  const operationLabel = (name: string | undefined): string => {
    if (name === undefined || name === '') return 'anonymous';
    if (!GRAPHQL_NAME.test(name)) return 'other';
    if (names.has(name)) return name;
    if (names.size >= maxNames) return 'other';
    names.add(name);
    return name;
  };
  return {
    operation(info) {
      const type = info.type === 'query' || info.type === 'mutation' || info.type === 'subscription' ? info.type : 'unknown';
      operationDuration.observe({ operation: operationLabel(info.name), type, outcome: info.outcome }, info.durationSeconds);
      for (const code of info.errorCodes ?? []) operationErrors.inc({ code: /^[A-Z_]{1,40}$/.test(code) ? code : 'OTHER' });
    },
    operationsInFlight(delta) {
      inFlight.inc(delta);
    },
  };
}

/** Graph calls (what loaders and mutations asked for), upstream exchanges (lone requests, `$batch` envelopes), retries. */
function graphMetrics(registers: Registers): Pick<GatewayMetrics, 'graphCall' | 'graphRequest' | 'graphRetry' | 'graphThrottled'> {
  const graphCalls = new Counter({
    name: p('graph_calls_total'),
    help: 'Microsoft Graph calls (each lone request or $batch item a loader or mutation asked for), by method and final HTTP status (0: no answer).',
    labelNames: ['method', 'status'] as const,
    registers,
  });
  const graphCallDuration = new Histogram({
    name: p('graph_call_duration_seconds'),
    help: 'Microsoft Graph calls from being asked for to their final answer, queueing, batching and retries included.',
    labelNames: ['method'] as const,
    buckets: DURATION_BUCKETS,
    registers,
  });
  const graphRequests = new Counter({
    name: p('graph_requests_total'),
    help: 'Upstream HTTP requests to Microsoft Graph: lone requests (kind=request) and $batch envelopes (kind=batch), by HTTP status (0: no answer).',
    labelNames: ['kind', 'status'] as const,
    registers,
  });
  const graphRequestDuration = new Histogram({
    name: p('graph_request_duration_seconds'),
    help: 'Upstream HTTP requests to Microsoft Graph, one exchange each.',
    labelNames: ['kind'] as const,
    buckets: DURATION_BUCKETS,
    registers,
  });
  const batchSize = new Histogram({
    name: p('graph_batch_size'),
    help: 'Calls carried by each $batch envelope (Graph allows 20).',
    buckets: BATCH_BUCKETS,
    registers,
  });
  const retries = new Counter({
    name: p('graph_retries_total'),
    help: 'Microsoft Graph calls repeated, by reason (throttled: 429 or 503 with Retry-After; server_error: 5xx; transport: no answer).',
    labelNames: ['reason'] as const,
    registers,
  });
  const throttled = new Counter({
    name: p('graph_throttled_total'),
    help: 'Microsoft Graph answers that throttled a call (429, or 503 with Retry-After).',
    registers,
  });
  return {
    graphCall(info) {
      graphCalls.inc({ method: info.method, status: statusLabel(info.status) });
      graphCallDuration.observe({ method: info.method }, info.durationSeconds);
    },
    graphRequest(info) {
      const kind = info.batch ? 'batch' : 'request';
      graphRequests.inc({ kind, status: statusLabel(info.status) });
      graphRequestDuration.observe({ kind }, info.durationSeconds);
      if (info.batch) batchSize.observe(info.items);
    },
    graphRetry(reason) {
      retries.inc({ reason });
    },
    graphThrottled() {
      throttled.inc();
    },
  };
}

/** The query options this Graph refused, and how often their fallbacks run. Capability names are a fixed set. */
function capabilityMetrics(registers: Registers): Pick<GatewayMetrics, 'graphCapabilityRefused' | 'graphCapabilityFallback'> {
  const refused = new Gauge({
    name: p('graph_capability_refused'),
    help: 'Query options Microsoft Graph refused and the gateway now does without, by capability (1: remembered until its recheck; 0: works again).',
    labelNames: ['capability'] as const,
    registers,
  });
  const fallbacks = new Counter({
    name: p('graph_capability_fallbacks_total'),
    help: 'Microsoft Graph requests sent without a capability Graph refused, by capability (the gateway used its fallback instead).',
    labelNames: ['capability'] as const,
    registers,
  });
  return {
    graphCapabilityRefused(capability, on) {
      refused.set({ capability }, on ? 1 : 0);
    },
    graphCapabilityFallback(capability) {
      fallbacks.inc({ capability });
    },
  };
}

/** The circuit breaker's state (read at scrape time, else the last state reported) and its transitions. */
function breakerMetrics(registers: Registers, current: () => BreakerStateName | undefined): Pick<GatewayMetrics, 'breakerStateChanged'> {
  let lastBreaker: BreakerStateName | undefined;
  new Gauge({
    name: p('graph_circuit_breaker_state'),
    help: 'The Graph circuit breaker: 1 for its current state (closed, half_open, open), 0 for the others.',
    // Set at scrape time only: from the breakerState source, else the last state reported through breakerStateChanged.
    labelNames: ['state'] as const,
    registers,
    collect() {
      const state = current() ?? lastBreaker ?? 'closed';
      for (const s of BREAKER_STATES) this.set({ state: BREAKER_LABEL[s] }, s === state ? 1 : 0);
    },
  });
  const breakerTransitions = new Counter({
    name: p('graph_circuit_breaker_transitions_total'),
    help: "Changes of the Graph circuit breaker's state, by the state entered.",
    labelNames: ['state'] as const,
    registers,
  });
  return {
    breakerStateChanged(state) {
      lastBreaker = state;
      breakerTransitions.inc({ state: BREAKER_LABEL[state] });
    },
  };
}

/** What is read from the sources at scrape time: the Graph limiter, live status and WebSocket connections. */
function scrapeTimeMetrics(registers: Registers, sources: () => Partial<MetricSources>): void {
  /** A gauge set at scrape time from a source; left as it was when the source is not given. */
  const scrapeGauge = (name: string, help: string, read: () => number | undefined): void => {
    new Gauge({
      name: p(name),
      help,
      registers,
      collect() {
        const value = read();
        if (value !== undefined) this.set(value);
      },
    });
  };
  scrapeGauge(
    'graph_requests_active',
    'Upstream Graph requests in flight now (the gateway-wide concurrency limiter).',
    () => sources().graphLimiter?.().active,
  );
  scrapeGauge(
    'graph_requests_waiting',
    'Upstream Graph requests waiting for a slot of the gateway-wide concurrency limiter.',
    () => sources().graphLimiter?.().waiting,
  );
  scrapeGauge(
    'graph_cache_entries',
    'Entries in the per-caller cache of what cannot change, all callers together.',
    () => sources().graphCache?.().entries,
  );
  scrapeGauge(
    'graph_cache_bytes',
    'Estimated bytes held by the per-caller cache (bounded by GRAPH_CACHE_MAX_MB).',
    () => sources().graphCache?.().bytes,
  );
  scrapeGauge(
    'subscriptions_active',
    'Live-status subscriptions (restoreSessionStatusChanged, restoreArtifactStatusChanged, siteRestoreArtifactStatusChanged) open on this instance.',
    () => sources().liveStats?.().subscribers,
  );
  scrapeGauge(
    'subscription_watched_sessions',
    'Restore sessions someone on this instance subscribes to.',
    () => sources().liveStats?.().watched,
  );
  scrapeGauge('subscription_pollers', 'Restore sessions this instance polls (holds the lease on).', () => sources().liveStats?.().polling);
  scrapeGauge('websocket_connections', 'Open, admitted WebSocket (graphql-transport-ws) connections.', () =>
    sources().webSocketConnections?.(),
  );
  let lastPolls = 0;
  new Counter({
    name: p('subscription_polls_total'),
    help: "Polls of restore sessions made by this instance's pollers.",
    registers,
    collect() {
      const stats = sources().liveStats?.();
      if (!stats) return;
      if (stats.polls > lastPolls) this.inc(stats.polls - lastPolls);
      lastPolls = Math.max(lastPolls, stats.polls);
    },
  });
}

/** Readiness checks at the last probe, and rejections nobody observed. */
function healthMetrics(registers: Registers): Pick<GatewayMetrics, 'readinessCheck' | 'unhandledRejection'> {
  const readiness = new Gauge({
    name: p('readiness_check'),
    help: 'Readiness checks at the last /readyz probe: 1 passed, 0 failed.',
    labelNames: ['check'] as const,
    registers,
  });
  const unhandled = new Counter({
    name: p('unhandled_rejections_total'),
    help: 'Promise rejections nobody observed: each is a bug, logged with a correlation id; the process keeps serving.',
    registers,
  });
  return {
    readinessCheck(name, ok) {
      readiness.set({ check: name }, ok ? 1 : 0);
    },
    unhandledRejection() {
      unhandled.inc();
    },
  };
}

function statusLabel(code: number): string {
  return Number.isInteger(code) && code >= 0 && code < 1000 ? String(code) : '0';
}

import { ApolloServerPluginInlineTrace } from '@apollo/server/plugin/inlineTrace';
import { createAppTokenProvider, type AppTokenProvider } from './auth/app-token-provider.js';
import { appCredential, type MsalLogLevel } from './auth/msal-client.js';
import { createAuthorityHttp } from './auth/authority-http.js';
import { createCallerTokenValidator, type CallerTokenValidator } from './auth/caller-token.js';
import { createOboTokenProviders, type OboTokenProviders } from './auth/obo-token-provider.js';
import type { ClientCredential } from './auth/types.js';
import type { Config } from './config.js';
import { createContextFactory, httpContextRequest, type ContextFactory, type GatewayContext } from './context.js';
import { callerQuotaKey } from './resilience/caller-quota.js';
import { createGraphClient, type GraphClient } from './graph/client.js';
import { createCapabilityMemory, rememberDoctorRefusals, type CapabilityMemory } from './graph/capabilities.js';
import { capabilityObserver } from './observability/capabilities.js';
import type { CacheLifetimes } from './graph/cache/caching-client.js';
import { createGraphCache, type GraphCache } from './graph/cache/store.js';
import { createGraphResilience, type GraphResilience } from './resilience/graph-resilience.js';
import { silentLogger, type Logger } from './logger.js';
import {
  graphClientKnobs,
  graphResilienceOptions,
  httpServerSettings,
  liveStatusOptions,
  observabilitySettings,
  requestLimitsOptions,
  subscriptionCallbackSettings,
  webSocketLimits,
} from './options-from-config.js';
import { buildSchema } from './schema/build-schema.js';
import { createAuditPlugin } from './server/audit-log.js';
import { createCallerConnections } from './server/caller-connections.js';
import { callerRateLimitPlugin } from './server/caller-rate-limit.js';
import { createDocumentCache } from './server/document-cache.js';
import { createHttpSubscriptions } from './server/http-subscriptions.js';
import { startHttpServer, type RunningHttpServer } from './server/http-server.js';
import { createRequestLimits } from './server/limits.js';
import { createSubscriptionCallback } from './server/subscription-callback.js';
import { createFormatError, type ErrorLogger } from './server/format-error.js';
import { createWebSocketTransport, type WebSocketTransport } from './server/websocket.js';
import { createLiveStatus, type LiveStatus } from './subscriptions/live-status.js';
import { createGraphHttp } from './graph/http.js';
import { createObservability, within, type Observability, type Tracing } from './observability/index.js';
import { graphReachableCheck, graphTokenCheck } from './observability/graph-probe.js';
import type { MetricsServer } from './observability/metrics-endpoint.js';
import { currentOperation } from './observability/operation-context.js';
import type { Readiness, ReadinessCheck } from './observability/readiness.js';

/**
 * The composition root: config and upstream settings in, a listening gateway out. `main.ts` and
 * the integration tests start the gateway through this one function, so the tests exercise the
 * wiring a deployment runs.
 */

/** Where Graph is and how the gateway signs in to it: real Microsoft Graph, or the emulator's settings. */
export interface UpstreamSettings {
  graphBaseUrl: string;
  authorityHost: string;
  tenantId: string;
  clientId: string;
  credential: ClientCredential;
  /** Extra trusted CA certificates (PEM) for Graph and the authority. */
  ca: readonly string[];
}

/**
 * The upstream settings of the `KEY=VALUE` lines the emulator prints (or its `settings` object in process), trusting
 * `ca`. Structural, so the gateway imports nothing from the emulator.
 */
export function upstreamFromSettings(
  s: {
    GRAPH_BASE_URL: string;
    AZURE_AUTHORITY_HOST: string;
    AZURE_TENANT_ID: string;
    AZURE_CLIENT_ID: string;
    AZURE_CLIENT_SECRET: string;
  },
  ca: readonly string[],
): UpstreamSettings {
  return {
    graphBaseUrl: s.GRAPH_BASE_URL,
    authorityHost: s.AZURE_AUTHORITY_HOST,
    tenantId: s.AZURE_TENANT_ID,
    clientId: s.AZURE_CLIENT_ID,
    credential: { kind: 'secret', clientSecret: s.AZURE_CLIENT_SECRET },
    ca,
  };
}

export interface StartGatewayOptions {
  config: Config;
  upstream: UpstreamSettings;
  /** Interface to listen on; default HOST (loopback in development, all interfaces in production). */
  host?: string;
  /** Tracing set up by the caller (tests: an in-memory exporter), left running at stop. Default: from the configuration. */
  tracing?: Tracing;
  /** Server-side log of masked errors (correlation id, error), in addition to `logger`. */
  logError?: ErrorLogger;
  /** Start-up, refused callers, token exchanges and masked errors; redacts credentials. Default: silent. */
  logger?: Logger;
  /**
   * Headers preset in Apollo Sandbox's landing page (development only). `main.ts` sets the embedded emulator's ready
   * `admin` token here; never set it for a real tenant.
   */
  sandboxHeaders?: Record<string, string>;
}

export interface Gateway {
  server: RunningHttpServer;
  /** `http://host:port/graphql` */
  url: string;
  wsUrl: string;
  port: number;
  /** The app's Graph client (shared keep-alive connections and `$batch` scheduler). */
  graph: GraphClient;
  /** App-credential Graph tokens (pollers of the subscriptions reuse them). */
  appTokens: AppTokenProvider;
  /** Caller token validation. */
  callers: CallerTokenValidator;
  /** The context factory of HTTP, for the WebSocket transport to share (`authenticateConnection`). */
  createContext: ContextFactory;
  /** Live status: the subscriptions' shared pollers and pubsub (memory, or Redis with REDIS_URL). */
  live: LiveStatus;
  /** The per-caller cache of what cannot change; undefined when GRAPH_CACHE_MAX_MB=0 turned it off. */
  graphCache: GraphCache | undefined;
  /** Metrics, tracing, readiness and the per-operation log line. */
  observability: Observability;
  /**
   * Graceful stop: `/readyz` turns `stopping`, the listener closes, in-flight operations finish (cut after the
   * drain budget), WebSockets close with 1001, live status releases its leases (announced, so another instance
   * takes over at once), then the Graph and authority connections close. `deadline` (epoch ms) bounds the
   * closing steps after the drain; default SHUTDOWN_TIMEOUT_MS from now.
   */
  stop(deadline?: number): Promise<void>;
}

/** Shown in Sandbox when it opens, printed in the start-up banner, and the first example of docs/api.md. */
export const EXAMPLE_OPERATION = `query RestoreDashboard {
  restoreSessions(first: 10) {
    totalCount
    nodes {
      __typename
      id
      status
      isTerminal
      progress { total completed failed percentComplete }
      ... on SharePointRestoreSession {
        siteRestoreArtifacts(first: 3) {
          totalCount
          nodes {
            id
            restoreSessionId
            status
            restorePoint {
              id
              protectionDateTime
              protectionUnit { id ... on SiteProtectionUnit { siteName siteWebUrl } }
            }
          }
        }
      }
    }
  }
}
`;

export async function startGateway(options: StartGatewayOptions): Promise<Gateway> {
  const { config, upstream, host = config.host, logger = silentLogger } = options;
  const ops = createObservability({ settings: observabilitySettings(config), logger, tracing: options.tracing });
  const identities = createIdentities(upstream, config.authMode, logger, ops);
  const { resilience, graph, cache } = createGraphAccess(config, upstream, identities.tokens, logger, ops);
  const live = await startLiveStatus(config, graph, logger);
  const createContext = createContextFactory({
    graph,
    callers: identities.callers,
    authMode: config.authMode,
    obo: identities.obo,
    live,
    cache,
    beginOperation: (caller) => resilience.beginOperation({ callerKey: callerQuotaKey(caller) }),
    logger: logger.child({ component: 'context' }),
  });
  let webSocket: WebSocketTransport | undefined;
  ops.metrics.watch({ liveStats: () => live.stats(), webSocketConnections: () => webSocket?.connections() ?? 0 });
  const probe = createReadinessProbe(config, upstream, identities.tokens, live, ops);
  const logError = operationErrorLogger(logger, options.logError);
  const closeClients = async (): Promise<void> => {
    await live.close();
    await graph.close();
    await identities.close();
    await probe.close();
  };
  let server: RunningHttpServer;
  let metricsServer: MetricsServer | undefined;
  try {
    metricsServer = await ops.startMetricsServer(host);
    // Fetching the authority's keys now spares the first caller the wait; a failure here is only logged.
    await identities.callers.warmUp();
    server = await startServer({
      config,
      host,
      ops,
      resilience,
      createContext,
      readiness: probe.readiness,
      logError,
      logger,
      sandboxHeaders: options.sandboxHeaders,
      onWebSocket: (transport) => (webSocket = transport),
    });
  } catch (err) {
    await metricsServer?.close();
    await closeClients();
    await ops.close();
    throw err;
  }
  logger.info('gateway listening', {
    url: server.url,
    authMode: config.authMode,
    graphBaseUrl: upstream.graphBaseUrl,
    authority: upstream.authorityHost,
  });
  return {
    server,
    url: server.url,
    wsUrl: server.wsUrl,
    port: server.port,
    graph,
    appTokens: identities.tokens,
    callers: identities.callers,
    createContext,
    live,
    graphCache: cache?.store,
    observability: ops,
    async stop(deadline) {
      const end = deadline ?? Date.now() + config.observability.shutdownTimeoutMs;
      probe.readiness.markStopping();
      await server.stop();
      // One stuck dependency (a Redis that hangs) must not keep the rest from closing in time.
      await within(Math.max(100, end - Date.now()), closeClients);
      await metricsServer?.close();
      await ops.close();
    },
  };
}

/** Logs a failed operation, then tells `also` (tests) of it. */
function operationErrorLogger(logger: Logger, also: ErrorLogger | undefined): ErrorLogger {
  return (correlationId, error) => {
    // The client quotes `correlationId`; `requestId` finds the operation's other lines.
    logger.error('operation failed', { correlationId, requestId: currentOperation()?.requestId, error });
    also?.(correlationId, error);
  };
}

/** Who the gateway is to Graph (its app tokens, and in OBO mode each caller's), and who its callers are. */
interface Identities {
  tokens: AppTokenProvider;
  obo: OboTokenProviders | undefined;
  callers: CallerTokenValidator;
  /** Closes the token providers' and the authority's connections. */
  close(): Promise<void>;
}

function createIdentities(upstream: UpstreamSettings, authMode: Config['authMode'], logger: Logger, ops: Observability): Identities {
  const msalOptions = {
    authorityHost: upstream.authorityHost,
    tenantId: upstream.tenantId,
    clientId: upstream.clientId,
    ...appCredential(upstream.credential),
    ca: upstream.ca,
    ...msalLogger(logger),
  };
  const tokens: AppTokenProvider = createAppTokenProvider({ ...msalOptions, onTokenLookup: ops.tokenLookup('app') });
  const obo: OboTokenProviders | undefined =
    authMode === 'obo'
      ? createOboTokenProviders({ ...msalOptions, onTokenLookup: ops.tokenLookup('obo'), logger: logger.child({ component: 'obo' }) })
      : undefined;
  const authorityHttp = createAuthorityHttp({ ca: upstream.ca });
  const callers = createCallerTokenValidator({
    authorityHost: upstream.authorityHost,
    tenantId: upstream.tenantId,
    clientId: upstream.clientId,
    http: authorityHttp,
    logger: logger.child({ component: 'auth' }),
  });
  return {
    tokens,
    obo,
    callers,
    async close() {
      await tokens.close();
      await obo?.close();
      await authorityHttp.close();
    },
  };
}

/** The per-caller cache of what cannot change, unless GRAPH_CACHE_MAX_MB=0 turned it off. */
interface GraphCacheSettings {
  store: GraphCache;
  lifetimes: CacheLifetimes;
}

function graphCacheFor(config: Config, ops: Observability): GraphCacheSettings | undefined {
  const { maxBytes, unitTtlMs, terminalTtlMs } = config.cache;
  if (maxBytes === 0) return undefined;
  return {
    store: createGraphCache({ maxBytes, onLookup: (kind, hit) => ops.metrics.graphCacheLookup(kind, hit) }),
    lifetimes: { unitTtlMs, terminalTtlMs },
  };
}

/** What this Graph refused, starting from the doctor's file when GRAPH_CAPABILITIES_FILE names one for this Graph. */
function capabilityMemoryFor(config: Config, baseUrl: string, logger: Logger, ops: Observability): CapabilityMemory {
  const { capabilityRecheckMs, capabilitiesFile } = config.graph;
  const memory = createCapabilityMemory({ baseUrl, recheckMs: capabilityRecheckMs, observer: capabilityObserver(logger, ops.metrics) });
  if (capabilitiesFile === undefined) return memory;
  const { graphBaseUrl, checkedAt, refused } = capabilitiesFile;
  if (rememberDoctorRefusals(memory, capabilitiesFile)) {
    logger.info('graph capabilities from the doctor', { checkedAt, refused: refused.map((r) => r.capability) });
  } else {
    // The embedded emulator's URL changes every start; a file about another Graph says nothing about this one.
    logger.warn('GRAPH_CAPABILITIES_FILE ignored: it was written for another Graph', { fileGraph: graphBaseUrl, checkedAt });
  }
  return memory;
}

/**
 * The app's Graph client, behind one concurrency limit, retry budget and circuit breaker for this instance, and the
 * per-caller cache the callers' clients read through.
 */
function createGraphAccess(
  config: Config,
  upstream: UpstreamSettings,
  tokens: AppTokenProvider,
  logger: Logger,
  ops: Observability,
): { resilience: GraphResilience; graph: GraphClient; cache: GraphCacheSettings | undefined } {
  const resilience = createGraphResilience({
    ...graphResilienceOptions(config.graph),
    onBreakerStateChange: (state) => {
      logger.warn('graph circuit breaker', { state });
      ops.metrics.breakerStateChanged(state);
    },
  });
  const graph = createGraphClient({
    baseUrl: upstream.graphBaseUrl,
    tokenProvider: tokens,
    ca: upstream.ca,
    ...graphClientKnobs(config.graph),
    resilience,
    observer: ops.graphObserver,
    capabilities: capabilityMemoryFor(config, upstream.graphBaseUrl, logger, ops),
  });
  const cache = graphCacheFor(config, ops);
  ops.metrics.watch({
    breakerState: () => resilience.breaker.state,
    graphLimiter: () => resilience.limiter,
    graphCache: () => cache?.store.stats ?? { entries: 0, bytes: 0 },
  });
  return { resilience, graph, cache };
}

/**
 * Live status. Pollers act for no caller and may serve other instances' subscribers: they read Graph as the app
 * (the app-credential client, whatever AUTH_MODE says); each subscriber's access is checked with their own identity
 * when they subscribe (src/resolvers/subscription.ts).
 */
async function startLiveStatus(config: Config, graph: GraphClient, logger: Logger): Promise<LiveStatus> {
  const liveLogger = logger.child({ component: 'live' });
  const live = createLiveStatus({
    graph,
    ...liveStatusOptions(config),
    onError: (sessionId, error) => liveLogger.debug('live status: a poll or its cleanup failed', { sessionId, error }),
    onPublishError: (sessionId, error) => liveLogger.warn('live status publish failed', { sessionId, error }),
  });
  if (config.redisUrl && !(await live.waitUntilReady(3_000))) {
    // Start anyway: /readyz says why, subscriptions are refused, and the connections keep retrying.
    liveLogger.warn('redis unreachable at start', {
      error: await live.check().then(
        () => undefined,
        (e: unknown) => e,
      ),
    });
  }
  return live;
}

/** `/readyz`: the app's Graph token, Graph itself and, with REDIS_URL, Redis. */
function createReadinessProbe(
  config: Config,
  upstream: UpstreamSettings,
  tokens: AppTokenProvider,
  live: LiveStatus,
  ops: Observability,
): { readiness: Readiness; close(): Promise<void> } {
  const { readinessTimeoutMs } = observabilitySettings(config);
  // Readiness reads Graph through a client of its own: no retries, no queueing behind traffic, no breaker.
  const probeHttp = createGraphHttp({ baseUrl: upstream.graphBaseUrl, ca: upstream.ca, timeoutMs: readinessTimeoutMs });
  const checks: Record<string, ReadinessCheck> = {
    graphToken: graphTokenCheck(tokens),
    graph: graphReachableCheck({ http: probeHttp, tokens, timeoutMs: readinessTimeoutMs }),
  };
  if (config.redisUrl) checks.redis = async () => live.check().then(() => 'connected');
  return { readiness: ops.readiness(checks), close: () => probeHttp.close() };
}

interface ServerParts {
  config: Config;
  host: string;
  ops: Observability;
  resilience: GraphResilience;
  createContext: ContextFactory;
  readiness: Readiness;
  logError: ErrorLogger;
  logger: Logger;
  sandboxHeaders: Record<string, string> | undefined;
  /** The WebSocket transport, once the HTTP server has made it (its connections are a metric). */
  onWebSocket: (transport: WebSocketTransport) => void;
}

/** The HTTP server with the WebSocket transport on the same port, the request limits and the plugins. */
async function startServer(parts: ServerParts): Promise<RunningHttpServer> {
  const { config, ops, resilience, createContext, logger } = parts;
  const limits = createRequestLimits<GatewayContext>(requestLimitsOptions(config));
  const schema = ops.instrumentSchema(buildSchema());
  const callerConnections = createCallerConnections(config.subscriptions.maxConnectionsPerCaller);
  const formatError = createFormatError(parts.logError, { hideSuggestions: !config.introspection });
  const streamStarts = { schema, context: createContext, quota: resilience.quota, maxCost: config.limits.maxCost };
  // One cache of parsed, validated subscription documents for every transport that parses its own (WebSocket, SSE, multipart).
  const documentOf = createDocumentCache({ schema, parseOptions: limits.parseOptions, validationRules: limits.validationRules });
  const callback = createSubscriptionCallback({
    ...subscriptionCallbackSettings(config),
    schema,
    parseOptions: limits.parseOptions,
    callerConnections,
    formatError,
    logger: logger.child({ component: 'subscription-callback' }),
  });
  return startHttpServer({
    ...httpServerSettings(config, parts.host),
    schema,
    createContext: (req) => createContext(httpContextRequest(req)),
    websocket: (httpServer) => {
      const transport = createWebSocketTransport({
        ...webSocketLimits(config),
        ...streamStarts,
        httpServer,
        path: '/graphql',
        callerConnections,
        formatError,
        logger: logger.child({ component: 'websocket' }),
        documentOf,
      });
      parts.onWebSocket(transport);
      return transport;
    },
    httpSubscriptions: createHttpSubscriptions({
      ...streamStarts,
      documentOf,
      callerConnections,
      formatError,
    }),
    readiness: parts.readiness,
    metrics: ops.mainPortMetrics,
    landingPage: config.production ? false : { document: EXAMPLE_OPERATION, headers: parts.sandboxHeaders },
    logError: parts.logError,
    limits: limits.apolloOptions,
    requestMiddleware: [ops.operations.middleware, callback.middleware, limits.httpMiddleware],
    plugins: [
      // A router asks a subgraph for inline traces (ftv1); error messages in them stay masked.
      ApolloServerPluginInlineTrace({ includeErrors: { masked: true } }),
      ...limits.plugins,
      ...(resilience.quota ? [callerRateLimitPlugin(resilience.quota)] : []),
      createAuditPlugin(logger),
      ops.operations.plugin(),
      callback.plugin,
    ],
  });
}

/** msal-node's own lines (never with PII) go to the logger at debug and trace. */
function msalLogger(logger: Logger): { log?: (level: MsalLogLevel, message: string) => void; logLevel?: MsalLogLevel } {
  if (!logger.isLevelEnabled('debug')) return {};
  const msal = logger.child({ component: 'msal' });
  return {
    logLevel: logger.isLevelEnabled('trace') ? 'verbose' : 'warning',
    log: (level, message) => (level === 'error' || level === 'warning' ? msal.debug(message) : msal.trace(message)),
  };
}

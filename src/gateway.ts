import { ApolloServerPluginInlineTrace } from '@apollo/server/plugin/inlineTrace';
import { appCredential, createAppTokenProvider, type AppTokenProvider, type MsalLogLevel } from './auth/app-token-provider.js';
import { createAuthorityHttp } from './auth/authority-http.js';
import { createCallerTokenValidator, type CallerTokenValidator } from './auth/caller-token.js';
import { createOboTokenProviders, type OboTokenProviders } from './auth/obo-token-provider.js';
import type { ClientCredential } from './auth/types.js';
import type { Config } from './config.js';
import { createContextFactory, httpContextRequest, type ContextFactory, type GatewayContext } from './context.js';
import { callerQuotaKey } from './resilience/caller-quota.js';
import { createGraphClient, graphClientKnobs, type GraphClient } from './graph/client.js';
import { createGraphResilience, graphResilienceOptions } from './resilience/graph-resilience.js';
import type { GraphRestoreSession } from './graph/dto.js';
import { silentLogger, type Logger } from './logger.js';
import { buildSchema } from './schema/build-schema.js';
import { createAuditPlugin } from './server/audit-log.js';
import { callerRateLimitPlugin } from './server/caller-rate-limit.js';
import { startGatewayServer, type RunningGateway } from './server/create-gateway.js';
import { createRequestLimits } from './server/limits.js';
import { clientAddressOf } from './server/pending-connections.js';
import { createFormatError, type ErrorLogger } from './server/format-error.js';
import { createWebSocketTransport } from './server/websocket.js';
import { createLiveStatus, type LiveStatus } from './subscriptions/live-status.js';
import { createGraphHttp } from './graph/http.js';
import { createObservability, within, type Observability, type Tracing } from './observability/index.js';
import { graphReachableCheck, graphTokenCheck } from './observability/graph-probe.js';
import { currentOperation } from './observability/operation-context.js';
import type { WebSocketTransport } from './server/websocket.js';

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
  s: { GRAPH_BASE_URL: string; AZURE_AUTHORITY_HOST: string; AZURE_TENANT_ID: string; AZURE_CLIENT_ID: string; AZURE_CLIENT_SECRET: string },
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
  /** Instrumentation (benchmarks): a poll here published a change of a session; `observedAt` is `performance.now()` when Graph's answer arrived. */
  onLiveChange?: (session: GraphRestoreSession, observedAt: number) => void;
}

export interface Gateway {
  server: RunningGateway;
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

/** Shown in Sandbox when it opens, printed in the start-up banner, and the first README example. */
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
            status
            restorePoint {
              protectionDateTime
              protectionUnit { siteName siteWebUrl }
            }
          }
        }
      }
    }
  }
}
`;

export async function startGateway(options: StartGatewayOptions): Promise<Gateway> {
  const { config, upstream } = options;
  const host = options.host ?? config.host;
  const logger = options.logger ?? silentLogger;
  const ops = createObservability({ config: config.observability, production: config.production, logger, tracing: options.tracing });
  const msalLog = msalLogger(logger);
  const msalOptions = {
    authorityHost: upstream.authorityHost,
    tenantId: upstream.tenantId,
    clientId: upstream.clientId,
    ...appCredential(upstream.credential),
    ca: upstream.ca,
    ...msalLog,
  };
  const tokens: AppTokenProvider = createAppTokenProvider({ ...msalOptions, onTokenLookup: ops.tokenLookup('app') });
  const obo: OboTokenProviders | undefined =
    config.authMode === 'obo'
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
  // One concurrency limit, retry budget and circuit breaker for every Graph client of this instance.
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
  });
  // Pollers act for no caller and may serve other instances' subscribers: they read Graph as the app
  // (the app-credential client, whatever AUTH_MODE says); each subscriber's access is checked with
  // their own identity when they subscribe (src/resolvers/subscription.ts).
  const liveLogger = logger.child({ component: 'live' });
  const live = createLiveStatus({
    graph,
    pollIntervalMs: config.subscriptions.pollIntervalMs,
    leaseTtlMs: config.subscriptions.leaseTtlMs,
    bufferSize: config.subscriptions.bufferSize,
    ...(config.redisUrl ? { redis: { url: config.redisUrl, prefix: config.subscriptions.redisKeyPrefix } } : {}),
    onError: (sessionId, error) => liveLogger.debug('live status: a poll or its cleanup failed', { sessionId, error }),
    ...(options.onLiveChange ? { onSessionChange: options.onLiveChange } : {}),
  });
  if (config.redisUrl && !(await live.waitUntilReady(3_000))) {
    // Start anyway: /readyz says why, subscriptions are refused, and the connections keep retrying.
    liveLogger.warn('redis unreachable at start', { error: await live.check().then(() => undefined, (e: unknown) => e) });
  }
  const createContext = createContextFactory({
    graph,
    callers,
    authMode: config.authMode,
    obo,
    live,
    beginOperation: (caller) => resilience.beginOperation({ callerKey: callerQuotaKey(caller) }),
    logger: logger.child({ component: 'context' }),
  });
  const limits = createRequestLimits<GatewayContext>(config.limits);
  let webSocket: WebSocketTransport | undefined;
  ops.metrics.watch({
    liveStats: () => live.stats(),
    breakerState: () => resilience.breaker.state,
    graphLimiter: () => resilience.limiter,
    webSocketConnections: () => webSocket?.connections() ?? 0,
  });
  // Readiness reads Graph through a client of its own: no retries, no queueing behind traffic, no breaker.
  const probeHttp = createGraphHttp({ baseUrl: upstream.graphBaseUrl, ca: upstream.ca, timeoutMs: config.observability.readinessTimeoutMs });
  const readiness = ops.readiness({
    graphToken: graphTokenCheck(tokens),
    graph: graphReachableCheck({ http: probeHttp, tokens, timeoutMs: config.observability.readinessTimeoutMs }),
    ...(config.redisUrl ? { redis: async () => live.check().then(() => 'connected') } : {}),
  });
  const logError: ErrorLogger = (correlationId, error) => {
    // The client quotes `correlationId`; `requestId` finds the operation's other lines.
    logger.error('operation failed', { correlationId, requestId: currentOperation()?.requestId, error });
    options.logError?.(correlationId, error);
  };
  const closeClients = async (): Promise<void> => {
    await live.close();
    await graph.close();
    await tokens.close();
    await obo?.close();
    await authorityHttp.close();
    await probeHttp.close();
  };
  let server: RunningGateway;
  let metricsServer: Awaited<ReturnType<Observability['startMetricsServer']>>;
  try {
    metricsServer = await ops.startMetricsServer(host);
    // Fetching the authority's keys now spares the first caller the wait; a failure here is only logged.
    await callers.warmUp();
    const schema = ops.instrumentSchema(buildSchema());
    server = await startGatewayServer({
      port: config.port,
      host,
      schema,
      createContext: (req) => createContext(httpContextRequest(req)),
      websocket: (httpServer) =>
        (webSocket = createWebSocketTransport({
          httpServer,
          path: '/graphql',
          schema,
          context: createContext,
          maxSubscriptionsPerConnection: config.subscriptions.maxSubscriptionsPerConnection,
          maxConnectionsPerCaller: config.subscriptions.maxConnectionsPerCaller,
          maxMessageBytes: config.transport.maxWebSocketMessageBytes,
          maxPendingConnections: config.transport.maxPendingConnections,
          maxPendingPerAddress: config.transport.maxPendingPerAddress,
          clientAddress: clientAddressOf(config.transport.trustProxy),
          maxCost: config.limits.maxCost,
          quota: resilience.quota,
          formatError: createFormatError(logError, { hideSuggestions: !config.introspection }),
          logger: logger.child({ component: 'websocket' }),
          parseOptions: limits.parseOptions,
          validationRules: limits.validationRules,
        })),
      readiness,
      ...(ops.mainPortMetrics ? { metrics: ops.mainPortMetrics } : {}),
      drainTimeoutMs: drainBudgetMs(config.observability.shutdownTimeoutMs),
      corsOrigins: config.corsOrigins,
      bodyLimitBytes: config.transport.maxRequestBytes,
      introspection: config.introspection,
      landingPage: config.production ? false : { document: EXAMPLE_OPERATION, ...(options.sandboxHeaders ? { headers: options.sandboxHeaders } : {}) },
      logError,
      limits: limits.apolloOptions,
      requestMiddleware: [ops.operations.middleware, limits.httpMiddleware],
      plugins: [
        // A router asks a subgraph for inline traces (ftv1); error messages in them stay masked.
        ApolloServerPluginInlineTrace({ includeErrors: { masked: true } }),
        ...limits.plugins,
        ...(resilience.quota ? [callerRateLimitPlugin(resilience.quota)] : []),
        createAuditPlugin(logger),
        ops.operations.plugin(),
      ],
    });
  } catch (err) {
    await metricsServer?.close();
    await closeClients();
    await ops.close();
    throw err;
  }
  logger.info('gateway listening', { url: server.url, authMode: config.authMode, graphBaseUrl: upstream.graphBaseUrl, authority: upstream.authorityHost });
  return {
    server,
    url: server.url,
    wsUrl: server.wsUrl,
    port: server.port,
    graph,
    appTokens: tokens,
    callers,
    createContext,
    live,
    observability: ops,
    async stop(deadline) {
      const end = deadline ?? Date.now() + config.observability.shutdownTimeoutMs;
      readiness.markStopping();
      await server.stop();
      // One stuck dependency (a Redis that hangs) must not keep the rest from closing in time.
      await within(Math.max(100, end - Date.now()), closeClients);
      await metricsServer?.close();
      await ops.close();
    },
  };
}

/**
 * The part of SHUTDOWN_TIMEOUT_MS in-flight requests may take before they are cut; the rest is kept for
 * releasing leases and closing connections.
 */
export function drainBudgetMs(shutdownTimeoutMs: number): number {
  return shutdownTimeoutMs - Math.min(5_000, Math.max(200, Math.round(shutdownTimeoutMs * 0.2)));
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

import { ApolloServerPluginInlineTrace } from '@apollo/server/plugin/inlineTrace';
import { appCredential, createAppTokenProvider, type AppTokenProvider, type MsalLogLevel } from './auth/app-token-provider.js';
import { createAuthorityHttp } from './auth/authority-http.js';
import { createCallerTokenValidator, type CallerTokenValidator } from './auth/caller-token.js';
import { createOboTokenProviders, type OboTokenProviders } from './auth/obo-token-provider.js';
import type { ClientCredential } from './auth/types.js';
import type { Config } from './config.js';
import { createContextFactory, httpContextRequest, type ContextFactory, type GatewayContext } from './context.js';
import { callerQuotaKey } from './graph/caller-quota.js';
import { createGraphClient, type GraphClient } from './graph/client.js';
import { createGraphResilience, graphResilienceOptions } from './graph/resilience.js';
import { silentLogger, type Logger } from './logger.js';
import { buildSchema } from './schema/build-schema.js';
import { createAuditPlugin } from './server/audit-log.js';
import { callerRateLimitPlugin } from './server/caller-rate-limit.js';
import { startGatewayServer, type RunningGateway } from './server/create-gateway.js';
import { createRequestLimits } from './server/limits.js';
import { createFormatError, type ErrorLogger } from './server/format-error.js';
import { createWebSocketTransport } from './server/websocket.js';
import { createLiveStatus, type LiveStatus } from './subscriptions/live-status.js';

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

export interface StartGatewayOptions {
  config: Config;
  upstream: UpstreamSettings;
  /** Interface to listen on; default all interfaces. */
  host?: string;
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
  /** Stops accepting requests, drains, then closes the Graph connections. */
  stop(): Promise<void>;
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
  const logger = options.logger ?? silentLogger;
  const msalLog = msalLogger(logger);
  const msalOptions = {
    authorityHost: upstream.authorityHost,
    tenantId: upstream.tenantId,
    clientId: upstream.clientId,
    ...appCredential(upstream.credential),
    ca: upstream.ca,
    ...msalLog,
  };
  const tokens: AppTokenProvider = createAppTokenProvider(msalOptions);
  const obo: OboTokenProviders | undefined =
    config.authMode === 'obo' ? createOboTokenProviders({ ...msalOptions, logger: logger.child({ component: 'obo' }) }) : undefined;
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
    onBreakerStateChange: (state) => logger.warn('graph circuit breaker', { state }),
  });
  const graph = createGraphClient({
    baseUrl: upstream.graphBaseUrl,
    tokenProvider: tokens,
    ca: upstream.ca,
    timeoutMs: config.graph.timeoutMs,
    maxConcurrentBatches: config.graph.maxConcurrentBatches,
    retry: { maxRetries: config.graph.retryMax, baseDelayMs: config.graph.retryBaseMs },
    resilience,
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
    onError: (sessionId, error) => liveLogger.debug('poll failed', { sessionId, error }),
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
  const limits = createRequestLimits<GatewayContext>(config.limits, { introspection: config.introspection });
  const logError: ErrorLogger = (correlationId, error) => {
    logger.error('operation failed', { correlationId, error });
    options.logError?.(correlationId, error);
  };
  const closeClients = async (): Promise<void> => {
    await live.close();
    await graph.close();
    await tokens.close();
    await obo?.close();
    await authorityHttp.close();
  };
  let server: RunningGateway;
  try {
    // Fetching the authority's keys now spares the first caller the wait; a failure here is only logged.
    await callers.warmUp();
    const schema = buildSchema();
    server = await startGatewayServer({
      port: config.port,
      ...(options.host !== undefined ? { host: options.host } : {}),
      schema,
      createContext: (req) => createContext(httpContextRequest(req)),
      websocket: (httpServer) =>
        createWebSocketTransport({
          httpServer,
          path: '/graphql',
          schema,
          context: createContext,
          maxSubscriptionsPerConnection: config.subscriptions.maxSubscriptionsPerConnection,
          maxConnectionsPerCaller: config.subscriptions.maxConnectionsPerCaller,
          formatError: createFormatError(logError),
          logger: logger.child({ component: 'websocket' }),
        }),
      readiness: config.redisUrl ? { redis: () => live.check() } : {},
      corsOrigins: config.corsOrigins,
      introspection: config.introspection,
      landingPage: config.production ? false : { document: EXAMPLE_OPERATION, ...(options.sandboxHeaders ? { headers: options.sandboxHeaders } : {}) },
      logError,
      limits: limits.apolloOptions,
      requestMiddleware: [limits.httpMiddleware],
      plugins: [
        // A router asks a subgraph for inline traces (ftv1); error messages in them stay masked.
        ApolloServerPluginInlineTrace({ includeErrors: { masked: true } }),
        ...limits.plugins,
        ...(resilience.quota ? [callerRateLimitPlugin(resilience.quota)] : []),
        createAuditPlugin(logger),
      ],
    });
  } catch (err) {
    await closeClients();
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
    async stop() {
      await server.stop();
      await closeClients();
    },
  };
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

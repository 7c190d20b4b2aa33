import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GraphQLSchema } from 'graphql';
import type { GraphObserver } from '../graph/observer.js';
import type { Logger } from '../logger.js';
import { createGraphObserver } from './graph-observer.js';
import { metricsHandler, startMetricsServer, type MetricsServer } from './metrics-endpoint.js';
import { createMetrics, type GatewayMetrics, type TokenLookupResult, type TokenProviderKind } from './metrics.js';
import { createOperations, type Operations } from './operations.js';
import { createReadiness, type Readiness, type ReadinessCheck } from './readiness.js';
import { instrumentResolvers } from './resolver-spans.js';
import { startTracing, type Tracing } from './tracing.js';

/**
 * Operations for one gateway instance, assembled from its settings: its metrics registry, tracing
 * (started here unless the caller brings its own), the Graph observer, the per-operation middleware and
 * plugin, readiness and the `/metrics` endpoint. `gateway.ts` hands the pieces to the modules that
 * report; each is one argument or one line there.
 */

/** The settings; the configuration (config.ts) reads them from the environment. */
export interface ObservabilitySettings {
  /** Bearer token `/metrics` asks for (METRICS_TOKEN); undefined: none. */
  metricsToken: string | undefined;
  /** Serve `/metrics` on this port of its own (METRICS_PORT); undefined: on the GraphQL port. */
  metricsPort: number | undefined;
  /** OTLP/HTTP traces URL; undefined: no tracing. */
  otlpTracesUrl: string | undefined;
  /** `service.name` of the spans (OTEL_SERVICE_NAME). */
  serviceName: string;
  /** How long a `/readyz` report is reused (READINESS_CACHE_MS). */
  readinessCacheMs: number;
  /** How long one readiness check may take (READINESS_TIMEOUT_MS). */
  readinessTimeoutMs: number;
  /** NODE_ENV=production: `/metrics` is not served unprotected on the GraphQL port. */
  production: boolean;
}

export interface ObservabilityOptions {
  settings: ObservabilitySettings;
  logger: Logger;
  /** A tracing set up by the caller (tests: an in-memory exporter); not shut down here. Undefined: from `settings`. */
  tracing: Tracing | undefined;
}

export interface Observability {
  readonly metrics: GatewayMetrics;
  readonly tracing: Tracing;
  readonly graphObserver: GraphObserver;
  readonly operations: Operations;
  /** The token providers' hook for one provider kind. */
  tokenLookup(provider: TokenProviderKind): (result: TokenLookupResult) => void;
  /** Resolver spans (only with tracing on). */
  instrumentSchema(schema: GraphQLSchema): GraphQLSchema;
  readiness(checks: Record<string, ReadinessCheck>): Readiness;
  /** `/metrics` for the GraphQL port, or undefined when it is served elsewhere or not at all. */
  readonly mainPortMetrics: ((req: IncomingMessage, res: ServerResponse) => void) | undefined;
  /** Starts the METRICS_PORT server, on the interface of the GraphQL port, when one is configured. */
  startMetricsServer(host: string): Promise<MetricsServer | undefined>;
  /** Ends tracing when it was started here (flushing what is buffered). */
  close(): Promise<void>;
}

export function createObservability({ settings, logger, tracing: given }: ObservabilityOptions): Observability {
  const metrics = createMetrics();
  const tracing = given ?? startTracing({ otlpTracesUrl: settings.otlpTracesUrl, serviceName: settings.serviceName });
  const { metricsToken: token, metricsPort } = settings;
  let mainPortMetrics: Observability['mainPortMetrics'];
  if (metricsPort === undefined) {
    if (token !== undefined || !settings.production) mainPortMetrics = metricsHandler({ metrics, token });
    else logger.warn('/metrics is off: in production set METRICS_TOKEN or METRICS_PORT to serve it');
  }
  return {
    metrics,
    tracing,
    graphObserver: createGraphObserver({ metrics, tracing }),
    operations: createOperations({ logger: logger.child({ component: 'operations' }), metrics, tracing }),
    tokenLookup: (provider) => (result) => metrics.tokenLookup(provider, result),
    instrumentSchema: (schema) => instrumentResolvers(schema, tracing),
    readiness: (checks) => createReadiness({ checks, cacheMs: settings.readinessCacheMs, timeoutMs: settings.readinessTimeoutMs, metrics }),
    mainPortMetrics,
    async startMetricsServer(host) {
      if (metricsPort === undefined) return undefined;
      return startMetricsServer({
        metrics,
        token,
        port: metricsPort,
        host,
        onError: (error) => logger.warn('metrics server error', { error }),
      });
    },
    async close() {
      if (given === undefined) await tracing.shutdown();
    },
  };
}

export type { Tracing } from './tracing.js';
export { startTracing } from './tracing.js';
export { createShutdown, within } from './shutdown.js';
export { installProcessGuards } from './process-guards.js';

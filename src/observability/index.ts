import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GraphQLSchema } from 'graphql';
import type { ObservabilityConfig } from '../config.js';
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
 * Operations for one gateway instance, assembled from the configuration: its metrics registry, tracing
 * (started here unless the caller brings its own), the Graph observer, the per-operation middleware and
 * plugin, readiness and the `/metrics` endpoint. `gateway.ts` hands the pieces to the modules that
 * report; each is one argument or one line there.
 */

export interface ObservabilityOptions {
  config: ObservabilityConfig;
  /** NODE_ENV=production: `/metrics` is not served unprotected on the GraphQL port. */
  production: boolean;
  logger: Logger;
  /** A tracing set up by the caller (tests: an in-memory exporter); not shut down here. Default: from `config`. */
  tracing?: Tracing | undefined;
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
  /** Starts the METRICS_PORT server when one is configured. */
  startMetricsServer(host: string | undefined): Promise<MetricsServer | undefined>;
  /** Ends tracing when it was started here (flushing what is buffered). */
  close(): Promise<void>;
}

export function createObservability(options: ObservabilityOptions): Observability {
  const { config, logger } = options;
  const metrics = createMetrics();
  const ownTracing = options.tracing === undefined;
  const tracing = options.tracing ?? startTracing({ otlpTracesUrl: config.otlpTracesUrl, serviceName: config.serviceName });
  const token = config.metricsToken;
  let mainPortMetrics: Observability['mainPortMetrics'];
  if (config.metricsPort === undefined) {
    if (token !== undefined || !options.production) mainPortMetrics = metricsHandler({ metrics, token });
    else logger.warn('/metrics is off: in production set METRICS_TOKEN or METRICS_PORT to serve it');
  }
  return {
    metrics,
    tracing,
    graphObserver: createGraphObserver({ metrics, tracing }),
    operations: createOperations({ logger: logger.child({ component: 'operations' }), metrics, tracing }),
    tokenLookup: (provider) => (result) => metrics.tokenLookup(provider, result),
    instrumentSchema: (schema) => instrumentResolvers(schema, tracing),
    readiness: (checks) => createReadiness({ checks, cacheMs: config.readinessCacheMs, timeoutMs: config.readinessTimeoutMs, metrics }),
    mainPortMetrics,
    async startMetricsServer(host) {
      if (config.metricsPort === undefined) return undefined;
      return startMetricsServer({
        metrics,
        token,
        port: config.metricsPort,
        ...(host !== undefined ? { host } : {}),
        onError: (error) => logger.warn('metrics server error', { error }),
      });
    },
    async close() {
      if (ownTracing) await tracing.shutdown();
    },
  };
}

export type { Tracing } from './tracing.js';
export { startTracing } from './tracing.js';
export { createShutdown, within } from './shutdown.js';
export { installProcessGuards } from './process-guards.js';

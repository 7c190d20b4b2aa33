import type { Config, GraphClientConfig } from './config.js';
import type { GraphClientOptions } from './graph/client.js';
import type { ObservabilitySettings } from './observability/index.js';
import type { GraphResilienceOptions } from './resilience/graph-resilience.js';
import type { HttpServerSettings } from './server/http-server.js';
import type { RequestLimitsOptions } from './server/limits.js';
import { clientAddressOf } from './server/pending-connections.js';
import type { SubscriptionCallbackSettings } from './server/subscription-callback.js';
import type { WebSocketLimits } from './server/websocket.js';
import type { LiveStatusOptions } from './subscriptions/live-status.js';

/**
 * The validated configuration (config.ts) turned into each component's options, in this one place. Components
 * declare the options they take and never import the configuration, so the dependency runs one way: this module
 * (and `gateway.ts`, which composes the components) knows both sides; nothing below it knows the environment.
 */

/** The gateway-wide Graph protections: concurrency, retry budget, circuit breaker, caller quota, operation scope. */
export function graphResilienceOptions(graph: GraphClientConfig): GraphResilienceOptions {
  return {
    maxConcurrentRequests: graph.maxConcurrentRequests,
    retryBudget: { ratio: graph.retryBudgetPercent / 100, minPerSecond: graph.retryBudgetMinPerSecond },
    breaker: {
      failureRatio: graph.breakerFailurePercent / 100,
      minimumCalls: graph.breakerMinCalls,
      windowMs: graph.breakerWindowMs,
      openMs: graph.breakerOpenMs,
    },
    callerQuota: graph.callerCallLimit > 0 ? { calls: graph.callerCallLimit, windowMs: graph.callerWindowMs } : undefined,
    operationDeadlineMs: graph.operationDeadlineMs,
    maxCallsPerOperation: graph.maxCallsPerOperation,
  };
}

/** The Graph client's knobs (GRAPH_MAX_CONCURRENT_BATCHES, GRAPH_RETRY_*, GRAPH_TIMEOUT_MS). */
export function graphClientKnobs(
  graph: GraphClientConfig,
): Pick<GraphClientOptions, 'maxConcurrentBatches' | 'timeoutMs' | 'retry' | 'fallbackScanLimit'> {
  return {
    fallbackScanLimit: graph.fallbackScanLimit,
    maxConcurrentBatches: graph.maxConcurrentBatches > 0 ? graph.maxConcurrentBatches : undefined,
    timeoutMs: graph.timeoutMs,
    retry: { maxRetries: graph.retryMax, baseDelayMs: graph.retryBaseMs },
  };
}

/** Live status: poll cadence, leases, buffers, and Redis when REDIS_URL is set. */
export function liveStatusOptions(config: Config): Pick<LiveStatusOptions, 'pollIntervalMs' | 'leaseTtlMs' | 'bufferSize' | 'redis'> {
  const { subscriptions } = config;
  return {
    pollIntervalMs: subscriptions.pollIntervalMs,
    leaseTtlMs: subscriptions.leaseTtlMs,
    bufferSize: subscriptions.bufferSize,
    redis: config.redisUrl === undefined ? undefined : { url: config.redisUrl, prefix: subscriptions.redisKeyPrefix },
  };
}

/** Metrics, tracing and readiness. */
export function observabilitySettings(config: Config): ObservabilitySettings {
  const { observability } = config;
  return {
    metricsToken: observability.metricsToken,
    metricsPort: observability.metricsPort,
    otlpTracesUrl: observability.otlpTracesUrl,
    serviceName: observability.serviceName,
    readinessCacheMs: observability.readinessCacheMs,
    readinessTimeoutMs: observability.readinessTimeoutMs,
    production: config.production,
  };
}

/** What one GraphQL request may ask (MAX_QUERY_*, MAX_BATCH_OPERATIONS, APQ_CACHE_MB). */
export function requestLimitsOptions(config: Config): RequestLimitsOptions {
  return config.limits;
}

/** The HTTP server: where it listens, CORS, introspection, the body limit and the drain budget. */
export function httpServerSettings(config: Config, host: string): HttpServerSettings {
  return {
    port: config.port,
    host,
    corsOrigins: config.corsOrigins,
    introspection: config.introspection,
    bodyLimitBytes: config.transport.maxRequestBytes,
    drainTimeoutMs: drainBudgetMs(config.observability.shutdownTimeoutMs),
  };
}

/** The WebSocket transport's caps, before and after authentication. */
export function webSocketLimits(config: Config): WebSocketLimits {
  return {
    maxSubscriptionsPerConnection: config.subscriptions.maxSubscriptionsPerConnection,
    maxMessageBytes: config.transport.maxWebSocketMessageBytes,
    maxPendingConnections: config.transport.maxPendingConnections,
    maxPendingPerAddress: config.transport.maxPendingPerAddress,
    clientAddress: clientAddressOf(config.transport.trustProxy),
    maxCost: config.limits.maxCost,
  };
}

/** Apollo Router's callback mode: the callback URL prefixes it may name (SUBSCRIPTION_CALLBACK_URLS; none: off). */
export function subscriptionCallbackSettings(config: Config): SubscriptionCallbackSettings {
  return { allowedUrls: config.subscriptions.callbackUrls };
}

/**
 * The part of SHUTDOWN_TIMEOUT_MS in-flight requests may take before they are cut; the rest is kept for
 * releasing leases and closing connections.
 */
export function drainBudgetMs(shutdownTimeoutMs: number): number {
  return shutdownTimeoutMs - Math.min(5_000, Math.max(200, Math.round(shutdownTimeoutMs * 0.2)));
}

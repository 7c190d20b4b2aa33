import { context, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Context, type Span } from '@opentelemetry/api';
import type {
  GraphCallEnd,
  GraphCallInfo,
  GraphCallObservation,
  GraphExchangeInfo,
  GraphExchangeObservation,
  GraphObserver,
} from '../graph/observer.js';
import type { AttemptOutcome } from '../resilience/retry-policy.js';
import type { GatewayMetrics, RetryReason } from './metrics.js';
import { addGraphRequestId, afterOperation, currentOperation } from './operation-context.js';
import { graphParentContext } from './resolver-spans.js';
import type { Tracing } from './tracing.js';

/**
 * The Graph client's observer: metrics for every call, exchange and retry; the call counted (and its
 * Graph request id kept) on the operation that asked for it; and, with tracing on, a span per call
 * (child of the resolver span that made it, with Graph's `request-id` as `graph.request_id`) and a span
 * per upstream exchange (`$batch` envelopes with their size, lone requests).
 */

export interface GraphObserverOptions {
  /** Undefined: spans and operation counts only. */
  metrics?: GatewayMetrics | undefined;
  tracing: Tracing;
}

export function createGraphObserver({ metrics, tracing }: GraphObserverOptions): GraphObserver {
  const traced = tracing.enabled ? tracing : undefined;
  return {
    call: (info) => observeCall(info, metrics, traced),
    exchange: (info) => observeExchange(info, metrics, traced),
    retry: (outcome, delayMs) => observeRetry(outcome, delayMs, metrics),
  };
}

/** One Graph call: counted on its operation, measured, and with tracing on a span under the resolver that made it. */
function observeCall(info: GraphCallInfo, metrics: GatewayMetrics | undefined, tracing: Tracing | undefined): GraphCallObservation {
  const started = performance.now();
  const record = currentOperation();
  if (record) record.graphCalls++;
  let span: Span | undefined;
  if (tracing) {
    const route = routeOf(info.path);
    span = tracing.tracer.startSpan(
      `Graph ${info.method} ${route}`,
      {
        kind: SpanKind.CLIENT,
        attributes: {
          'http.request.method': info.method,
          'url.path': pathOnly(info.path),
          'url.template': route,
          'server.service': 'microsoft-graph',
        },
      },
      afterOperation() ? ROOT_CONTEXT : graphParentContext(tracing),
    );
  }
  return {
    end(outcome: GraphCallEnd) {
      metrics?.graphCall({ method: info.method, status: outcome.status, durationSeconds: (performance.now() - started) / 1000 });
      if (outcome.status === 429) metrics?.graphThrottled();
      if (record) {
        addGraphRequestId(record, outcome.requestId);
        if (outcome.error !== undefined) record.graphFailures++;
        if (outcome.status === 429) record.graphThrottled++;
      }
      if (span) {
        if (outcome.status > 0) span.setAttribute('http.response.status_code', outcome.status);
        if (outcome.requestId) span.setAttribute('graph.request_id', outcome.requestId);
        if (outcome.clientRequestId) span.setAttribute('graph.client_request_id', outcome.clientRequestId);
        if (outcome.error !== undefined) span.setStatus({ code: SpanStatusCode.ERROR, message: errorName(outcome.error) });
        span.end();
      }
    },
  };
}

/** One upstream exchange (a `$batch` envelope with its size, or a lone request): measured, and a span with tracing on. */
function observeExchange(
  info: GraphExchangeInfo,
  metrics: GatewayMetrics | undefined,
  tracing: Tracing | undefined,
): GraphExchangeObservation {
  const started = performance.now();
  let span: Span | undefined;
  if (tracing) {
    span = tracing.tracer.startSpan(
      info.batch ? 'Graph $batch' : `Graph ${info.method} request`,
      {
        kind: SpanKind.CLIENT,
        attributes: {
          'http.request.method': info.method,
          'url.path': pathOnly(info.path),
          'graph.batch': info.batch,
          'graph.batch.size': info.items,
          'graph.client_request_id': info.clientRequestId,
        },
      },
      activeParent(),
    );
  }
  return {
    end(outcome) {
      metrics?.graphRequest({
        batch: info.batch,
        items: info.items,
        status: outcome.status,
        durationSeconds: (performance.now() - started) / 1000,
      });
      if (span) {
        if (outcome.status > 0) span.setAttribute('http.response.status_code', outcome.status);
        if (outcome.requestId) span.setAttribute('graph.request_id', outcome.requestId);
        if (outcome.error !== undefined || outcome.status >= 500)
          span.setStatus({ code: SpanStatusCode.ERROR, message: errorName(outcome.error) });
        span.end();
      }
    },
  };
}

/** A retry: counted by reason, on the operation, and as an event on the active span. */
function observeRetry(outcome: AttemptOutcome, delayMs: number, metrics: GatewayMetrics | undefined): void {
  const reason = retryReason(outcome);
  metrics?.graphRetry(reason);
  if (reason === 'throttled') metrics?.graphThrottled();
  const record = currentOperation();
  if (record) {
    record.graphRetries++;
    if (reason === 'throttled') record.graphThrottled++;
  }
  if (!afterOperation()) trace.getActiveSpan()?.addEvent('graph.retry', { reason, 'retry.delay_ms': Math.round(delayMs) });
}

/** The active context, unless it belongs to an operation already answered. */
function activeParent(): Context {
  return afterOperation() ? ROOT_CONTEXT : context.active();
}

function retryReason(outcome: AttemptOutcome): RetryReason {
  if (outcome.kind === 'transport') return 'transport';
  if (outcome.status === 429 || (outcome.status === 503 && outcome.retryAfterMs !== undefined)) return 'throttled';
  return 'server_error';
}

function pathOnly(path: string): string {
  const q = path.indexOf('?');
  return q === -1 ? path : path.slice(0, q);
}

/**
 * The path with its ids replaced by `{id}`, for span names of bounded variety: Graph's collection and
 * action names hold no digits, its ids (GUIDs, `guid_epoch_n_n` restore point ids) always do.
 */
export function routeOf(path: string): string {
  return pathOnly(path)
    .split('/')
    .map((segment) => (/[0-9%]/.test(segment) || segment.length > 40 ? '{id}' : segment))
    .join('/');
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : 'error';
}

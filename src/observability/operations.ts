import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Context } from '@opentelemetry/api';
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { Logger } from '../logger.js';
import type { GatewayMetrics, OperationOutcome } from './metrics.js';
import { currentOperation, newOperationRecord, runInOperation, type OperationRecord } from './operation-context.js';
import type { Tracing } from './tracing.js';

/**
 * One GraphQL operation over HTTP, seen whole: an express middleware in front of Apollo opens the
 * operation's record (and, with tracing on, its span, continuing a caller's `traceparent`), runs the
 * request inside it, and when the answer has gone out writes one log line and records the latency.
 * The Apollo plugin fills in what only Apollo knows: the operation's name and type and its outcome.
 *
 * Ids: `x-request-id` is the caller's when it sent a well-formed one, a new UUID otherwise; it is put
 * back on the request so the context (and so every other log line) uses the same id, and echoed on the
 * answer. `x-correlation-id` is the caller's own id for a larger flow (a well-formed one), defaulting to
 * the request id, and echoed too. Graph's `request-id` of each call the operation made is listed.
 *
 * The line never holds the document, variables, the caller's identity or any header value but the ids:
 * only names, counts, codes and durations.
 */

const ID = /^[A-Za-z0-9._:-]{1,128}$/;

export interface OperationsOptions {
  logger: Logger;
  metrics: GatewayMetrics;
  tracing: Tracing;
}

export interface Operations {
  /** Express (or plain Node) middleware for the GraphQL path, placed before Apollo's. */
  middleware(req: IncomingMessage & { query?: unknown }, res: ServerResponse, next: (err?: unknown) => void): void;
  /** Apollo plugin: operation name, type, outcome. */
  plugin<Ctx extends BaseContext>(): ApolloServerPlugin<Ctx>;
  /** Operations being answered now. */
  inFlight(): number;
  /** Resolves once no operation is in flight (immediately when none is). */
  idle(): Promise<void>;
}

export function createOperations({ logger, metrics, tracing }: OperationsOptions): Operations {
  const traced = tracing.enabled ? tracing : undefined;
  const inFlight = createInFlightCount(metrics);
  return {
    middleware(req, res, next) {
      // CORS preflights and the Sandbox landing page (a GET without a query) are not operations.
      if (req.method === 'OPTIONS' || (req.method === 'GET' && !hasQuery(req))) {
        next();
        return;
      }
      const { record, parent } = openOperation(req, res, traced);
      inFlight.begin();
      let done = false;
      const end = (aborted: boolean): void => {
        if (done) return;
        done = true;
        record.done = true;
        inFlight.end(() => finishOperation(record, res.statusCode, aborted, { logger, metrics }));
      };
      res.once('finish', () => end(false));
      res.once('close', () => end(!res.writableFinished));
      const run = (): void => runInOperation(record, next);
      if (record.span) context.with(trace.setSpan(parent, record.span), run);
      else run();
    },
    plugin: operationPlugin,
    inFlight: () => inFlight.count(),
    idle: () => inFlight.idle(),
  };
}

/** Operations in flight, the gauge that shows them, and who waits for none to be. */
function createInFlightCount(metrics: GatewayMetrics): {
  begin(): void;
  end(finish: () => void): void;
  count(): number;
  idle(): Promise<void>;
} {
  let inFlight = 0;
  let idleWaiters: Array<() => void> = [];
  return {
    begin() {
      inFlight++;
      metrics.operationsInFlight(1);
    },
    end(finish) {
      inFlight--;
      metrics.operationsInFlight(-1);
      try {
        finish();
      } finally {
        if (inFlight === 0) {
          const waiters = idleWaiters;
          idleWaiters = [];
          for (const resolve of waiters) resolve();
        }
      }
    },
    count: () => inFlight,
    idle() {
      if (inFlight === 0) return Promise.resolve();
      return new Promise((resolve) => idleWaiters.push(resolve));
    },
  };
}

/** The operation's record and ids (echoed on the answer) and, with tracing on, its span under the caller's trace. */
function openOperation(
  req: IncomingMessage,
  res: ServerResponse,
  tracing: Tracing | undefined,
): { record: OperationRecord; parent: Context } {
  const requestId = idOf(req.headers['x-request-id']) ?? randomUUID();
  const correlationId = idOf(req.headers['x-correlation-id']) ?? requestId;
  req.headers['x-request-id'] = requestId;
  res.setHeader('x-request-id', requestId);
  res.setHeader('x-correlation-id', correlationId);
  const parent = tracing ? propagation.extract(ROOT_CONTEXT, req.headers) : ROOT_CONTEXT;
  const span = tracing?.tracer.startSpan(
    'graphql',
    {
      kind: SpanKind.SERVER,
      attributes: {
        'http.request.method': req.method ?? 'POST',
        'http.route': '/graphql',
        'gateway.request_id': requestId,
        'gateway.correlation_id': correlationId,
      },
    },
    parent,
  );
  return { record: newOperationRecord({ requestId, correlationId, transport: 'http', span }), parent };
}

/** The answer went out (or the client left): the latency, the span's end and the one log line. */
function finishOperation(
  record: OperationRecord,
  status: number,
  aborted: boolean,
  sinks: { logger: Logger; metrics: GatewayMetrics },
): void {
  const durationMs = performance.now() - record.startedAt;
  const outcome: OperationOutcome = aborted ? 'error' : (record.outcome ?? (status >= 400 ? 'error' : 'ok'));
  if (record.outcome === undefined && status >= 400) record.errorCodes.add(codeOfStatus(status));
  sinks.metrics.operation({
    name: record.operationName,
    type: record.operationType,
    outcome,
    durationSeconds: durationMs / 1000,
    errorCodes: record.errorCodes,
  });
  const span = record.span;
  if (span) {
    span.setAttribute('http.response.status_code', status);
    span.setAttribute('graph.calls', record.graphCalls);
    if (outcome === 'error') span.setStatus({ code: SpanStatusCode.ERROR, message: [...record.errorCodes].join(',') || `HTTP ${status}` });
    span.end();
  }
  // The line's fields are built only when it is written (LOG_LEVEL warn or quieter skips it on every operation).
  if (!sinks.logger.isLevelEnabled('info')) return;
  // Fields left undefined are left out of the line.
  sinks.logger.info('operation', {
    requestId: record.requestId,
    correlationId: record.correlationId,
    traceId: span?.spanContext().traceId,
    transport: record.transport,
    operationName: record.operationName ?? null,
    operationType: record.operationType ?? null,
    outcome,
    aborted: aborted || undefined,
    httpStatus: status,
    errorCodes: [...record.errorCodes],
    durationMs: Math.round(durationMs * 10) / 10,
    graphCalls: record.graphCalls,
    graphFailures: record.graphFailures,
    graphRetries: record.graphRetries,
    graphThrottled: record.graphThrottled,
    graphRequestIds: record.graphRequestIds,
    graphRequestIdsOmitted: record.graphRequestIdsOmitted > 0 ? record.graphRequestIdsOmitted : undefined,
  });
}

/** The Apollo plugin: what only Apollo knows, the operation's name and type and its outcome. */
function operationPlugin<Ctx extends BaseContext>(): ApolloServerPlugin<Ctx> {
  return {
    async requestDidStart() {
      const record = currentOperation();
      if (!record) return;
      return {
        async didResolveOperation({ operationName, operation }) {
          const type = operation?.operation ?? 'unknown';
          record.operationName = operationName ?? undefined;
          record.operationType = type;
          record.span?.updateName(`${type} ${operationName ?? 'anonymous'}`);
          record.span?.setAttributes({ 'graphql.operation.type': type, 'graphql.operation.name': operationName ?? '' });
        },
        async willSendResponse({ response }) {
          if (response.body.kind !== 'single') {
            record.outcome ??= 'ok';
            return;
          }
          const { data, errors } = response.body.singleResult;
          for (const error of errors ?? []) {
            const code = error.extensions?.code;
            record.errorCodes.add(typeof code === 'string' ? code : 'INTERNAL_SERVER_ERROR');
          }
          const hasData = data !== undefined && data !== null;
          record.outcome = !errors || errors.length === 0 ? 'ok' : hasData ? 'partial' : 'error';
        },
      };
    },
  };
}

function idOf(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  return value !== undefined && ID.test(value) ? value : undefined;
}

function hasQuery(req: IncomingMessage & { query?: unknown }): boolean {
  const query = req.query;
  if (typeof query === 'object' && query !== null) return 'query' in query || 'extensions' in query;
  return /[?&](query|extensions)=/.test(req.url ?? '');
}

/** What a request that never reached an operation was refused with. */
function codeOfStatus(status: number): string {
  if (status === 401) return 'UNAUTHENTICATED';
  if (status === 403) return 'FORBIDDEN';
  if (status === 413 || status === 400) return 'BAD_REQUEST';
  if (status === 503) return 'UPSTREAM_UNAVAILABLE';
  if (status === 429) return 'RATE_LIMITED';
  return 'INTERNAL_SERVER_ERROR';
}

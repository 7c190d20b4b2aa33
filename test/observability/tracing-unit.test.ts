import { context, trace } from '@opentelemetry/api';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { buildSchema, execute, parse, type GraphQLObjectType } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGraphObserver, routeOf } from '../../src/observability/graph-observer.js';
import { createMetrics } from '../../src/observability/metrics.js';
import { currentOperation, newOperationRecord, runInOperation } from '../../src/observability/operation-context.js';
import { instrumentResolvers } from '../../src/observability/resolver-spans.js';
import { startTracing, type Tracing } from '../../src/observability/tracing.js';
import { sample } from './support.js';

describe('tracing switched off', () => {
  it('starts nothing: no provider is registered, the schema is untouched and the observer makes no span', async () => {
    const tracing = startTracing({});
    expect(tracing.enabled).toBe(false);
    expect(trace.getTracerProvider().getTracer('x').startSpan('s').isRecording()).toBe(false);
    const schema = buildSchema('type Query { a: Int }');
    const resolve = () => 1;
    schema.getQueryType()!.getFields().a!.resolve = resolve;
    instrumentResolvers(schema, tracing);
    expect(schema.getQueryType()!.getFields().a!.resolve).toBe(resolve);
    const observer = createGraphObserver({ tracing });
    observer.call({ method: 'GET', path: '/x' })?.end({ status: 200, requestId: 'r', clientRequestId: 'c' });
    expect(trace.getActiveSpan()).toBeUndefined();
  });
});

describe('tracing with an in-memory exporter', () => {
  const exporter = new InMemorySpanExporter();
  let tracing: Tracing;
  beforeAll(() => {
    tracing = startTracing({ exporter, serviceName: 'test-gateway' });
  });
  afterAll(() => tracing.shutdown());

  it('makes a span for each resolver that calls Graph (and none for the others), each Graph call and each $batch', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    const observer = createGraphObserver({ tracing, metrics });
    const schema = buildSchema('type Query { session(id: ID!): Session, version: String } type Session { id: ID!, status: String }');
    const fields = schema.getQueryType()!.getFields();
    let n = 0;
    fields.session!.resolve = async (_src, args: { id: string }) => {
      // What the batch scheduler does: one call per item, then one envelope carrying them.
      const calls = [1, 2].map(() => observer.call({ method: 'GET', path: `/solutions/backupRestore/restoreSessions/${args.id}` }));
      await new Promise((r) => setImmediate(r));
      const envelope = observer.exchange({ batch: true, items: 2, method: 'POST', path: '/$batch', clientRequestId: 'envelope-1' });
      observer.retry({ kind: 'status', status: 429, retryAfterMs: 10 }, 10);
      envelope?.end({ status: 200, requestId: 'graph-envelope-request-id' });
      for (const call of calls) call?.end({ status: 200, requestId: `graph-request-${++n}`, clientRequestId: `client-${n}` });
      return { id: args.id, status: 'active' };
    };
    fields.version!.resolve = () => '1';
    (schema.getType('Session') as GraphQLObjectType).getFields().status!.resolve = (s: { status: string }) => s.status.toUpperCase();
    instrumentResolvers(schema, tracing);

    const opSpan = tracing.tracer.startSpan('query Dashboard');
    const record = newOperationRecord({ requestId: 'req-1', correlationId: 'corr-1', transport: 'http', span: opSpan });
    const result = await runInOperation(record, () =>
      context.with(trace.setSpan(context.active(), opSpan), () =>
        Promise.resolve(
          execute({ schema, document: parse('{ version session(id: "4d82a765-ed44-4e5d-a136-3e6922c5dd78") { id status } }') }),
        ),
      ),
    );
    opSpan.end();
    expect(result.errors).toBeUndefined();
    expect(record.graphCalls).toBe(2);
    expect(record.graphRequestIds).toEqual(['graph-request-1', 'graph-request-2']);
    expect(record.graphRetries).toBe(1);
    expect(currentOperation()).toBeUndefined();

    const spans = exporter.getFinishedSpans();
    const byName = (name: string) => spans.filter((s) => s.name === name);
    const resolver = byName('resolve Query.session');
    expect(resolver).toHaveLength(1);
    expect(byName('resolve Query.version')).toHaveLength(0);
    expect(byName('resolve Session.status')).toHaveLength(0);
    expect(resolver[0]!.parentSpanContext?.spanId).toBe(opSpan.spanContext().spanId);
    const calls = byName('Graph GET /solutions/backupRestore/restoreSessions/{id}');
    expect(calls).toHaveLength(2);
    for (const call of calls) {
      expect(call.parentSpanContext?.spanId).toBe(resolver[0]!.spanContext().spanId);
      expect(call.attributes['graph.request_id']).toMatch(/^graph-request-\d$/);
      expect(call.attributes['http.response.status_code']).toBe(200);
    }
    const batch = byName('Graph $batch');
    expect(batch).toHaveLength(1);
    expect(batch[0]!.attributes).toMatchObject({ 'graph.batch.size': 2, 'graph.request_id': 'graph-envelope-request-id' });
    expect(batch[0]!.spanContext().traceId).toBe(opSpan.spanContext().traceId);
    // Retries happen in the scheduler, outside any one resolver: they are events of the operation's span.
    expect(byName('query Dashboard')[0]!.events.map((e) => e.name)).toContain('graph.retry');
    expect(resolver[0]!.resource.attributes['service.name']).toBe('test-gateway');

    const body = (await metrics.render()).body;
    expect(sample(body, 'restore_gateway_graph_calls_total', { method: 'GET', status: '200' })).toBe(2);
    expect(sample(body, 'restore_gateway_graph_batch_size_sum')).toBe(2);
    expect(sample(body, 'restore_gateway_graph_retries_total', { reason: 'throttled' })).toBe(1);
  });

  it('counts and traces nothing under an operation that was already answered (a timer it started)', async () => {
    exporter.reset();
    const observer = createGraphObserver({ tracing });
    const opSpan = tracing.tracer.startSpan('mutation Activate');
    const record = newOperationRecord({ requestId: 'req-2', correlationId: 'req-2', transport: 'http', span: opSpan });
    let fire!: () => void;
    const fired = new Promise<void>((resolve) => (fire = resolve));
    runInOperation(record, () =>
      context.with(trace.setSpan(context.active(), opSpan), () => {
        setTimeout(() => {
          observer
            .call({ method: 'GET', path: '/solutions/backupRestore/restoreSessions/1' })
            ?.end({ status: 200, requestId: 'late', clientRequestId: 'c' });
          fire();
        }, 5);
      }),
    );
    record.done = true;
    opSpan.end();
    await fired;
    expect(record.graphCalls).toBe(0);
    const late = exporter.getFinishedSpans().find((s) => s.attributes['graph.request_id'] === 'late');
    expect(late?.parentSpanContext).toBeUndefined();
    expect(late?.spanContext().traceId).not.toBe(opSpan.spanContext().traceId);
  });

  it('names Graph call spans by route, ids left out', () => {
    expect(
      routeOf('/solutions/backupRestore/restorePoints/c1efaba2-5029-49c9-aae7-2e5fa8e819c6_1748563200_14_1?$expand=protectionUnit'),
    ).toBe('/solutions/backupRestore/restorePoints/{id}');
    expect(routeOf('/solutions/backupRestore/restoreSessions/ab%2Fc/activate')).toBe(
      '/solutions/backupRestore/restoreSessions/{id}/activate',
    );
  });
});

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createMetrics, type GatewayMetrics } from '../../src/observability/metrics.js';
import { metricsHandler, startMetricsServer, type MetricsServer } from '../../src/observability/metrics-endpoint.js';
import { sample } from './support.js';

describe('metrics', () => {
  it('record operations, Graph calls, $batch sizes, retries, throttles, token lookups and readiness through hooks', async () => {
    const m = createMetrics({ defaultMetrics: false });
    m.operation({ name: 'RestoreDashboard', type: 'query', outcome: 'ok', durationSeconds: 0.12 });
    m.operation({ name: 'RestoreDashboard', type: 'query', outcome: 'partial', durationSeconds: 0.3, errorCodes: ['NOT_FOUND'] });
    m.graphCall({ method: 'GET', status: 200, durationSeconds: 0.05 });
    m.graphCall({ method: 'POST', status: 429, durationSeconds: 0.05 });
    m.graphRequest({ batch: true, items: 7, status: 200, durationSeconds: 0.04 });
    m.graphRequest({ batch: false, items: 1, status: 503, durationSeconds: 0.04 });
    m.graphRetry('throttled');
    m.graphThrottled();
    m.tokenLookup('app', 'cache_hit');
    m.tokenLookup('obo', 'acquired');
    m.readinessCheck('graph', false);
    const { body, contentType } = await m.render();
    expect(contentType).toMatch(/^text\/plain/);
    expect(
      sample(body, 'restore_gateway_operation_duration_seconds_count', { operation: 'RestoreDashboard', type: 'query', outcome: 'ok' }),
    ).toBe(1);
    expect(sample(body, 'restore_gateway_operation_duration_seconds_count', { operation: 'RestoreDashboard', outcome: 'partial' })).toBe(1);
    expect(sample(body, 'restore_gateway_operation_errors_total', { code: 'NOT_FOUND' })).toBe(1);
    expect(sample(body, 'restore_gateway_graph_calls_total', { method: 'POST', status: '429' })).toBe(1);
    expect(sample(body, 'restore_gateway_graph_requests_total', { kind: 'batch', status: '200' })).toBe(1);
    expect(sample(body, 'restore_gateway_graph_batch_size_sum')).toBe(7);
    expect(sample(body, 'restore_gateway_graph_batch_size_count')).toBe(1);
    expect(sample(body, 'restore_gateway_graph_retries_total', { reason: 'throttled' })).toBe(1);
    expect(sample(body, 'restore_gateway_graph_throttled_total')).toBe(1);
    expect(sample(body, 'restore_gateway_token_requests_total', { provider: 'app', result: 'cache_hit' })).toBe(1);
    expect(sample(body, 'restore_gateway_readiness_check', { check: 'graph' })).toBe(0);
  });

  it('read live status, WebSockets, the breaker and the limiter at scrape time', async () => {
    const m = createMetrics({ defaultMetrics: false });
    let stats = { subscribers: 3, watched: 2, polling: 1, polls: 10 };
    let state: 'closed' | 'open' | 'halfOpen' = 'closed';
    m.watch({
      liveStats: () => stats,
      webSocketConnections: () => 4,
      breakerState: () => state,
      graphLimiter: () => ({ active: 5, waiting: 6 }),
    });
    let body = (await m.render()).body;
    expect(sample(body, 'restore_gateway_subscriptions_active')).toBe(3);
    expect(sample(body, 'restore_gateway_subscription_watched_sessions')).toBe(2);
    expect(sample(body, 'restore_gateway_subscription_pollers')).toBe(1);
    expect(sample(body, 'restore_gateway_subscription_polls_total')).toBe(10);
    expect(sample(body, 'restore_gateway_websocket_connections')).toBe(4);
    expect(sample(body, 'restore_gateway_graph_requests_active')).toBe(5);
    expect(sample(body, 'restore_gateway_graph_requests_waiting')).toBe(6);
    expect(sample(body, 'restore_gateway_graph_circuit_breaker_state', { state: 'closed' })).toBe(1);
    expect(sample(body, 'restore_gateway_graph_circuit_breaker_state', { state: 'open' })).toBe(0);
    stats = { subscribers: 0, watched: 0, polling: 0, polls: 14 };
    state = 'open';
    m.breakerStateChanged('open');
    body = (await m.render()).body;
    expect(sample(body, 'restore_gateway_subscriptions_active')).toBe(0);
    expect(sample(body, 'restore_gateway_subscription_polls_total')).toBe(14);
    expect(sample(body, 'restore_gateway_graph_circuit_breaker_state', { state: 'open' })).toBe(1);
    expect(sample(body, 'restore_gateway_graph_circuit_breaker_state', { state: 'closed' })).toBe(0);
    expect(sample(body, 'restore_gateway_graph_circuit_breaker_transitions_total', { state: 'open' })).toBe(1);
  });

  it('show the last reported breaker state when no breakerState source is given', async () => {
    const m = createMetrics({ defaultMetrics: false });
    expect(sample((await m.render()).body, 'restore_gateway_graph_circuit_breaker_state', { state: 'closed' })).toBe(1);
    m.breakerStateChanged('halfOpen');
    const body = (await m.render()).body;
    expect(sample(body, 'restore_gateway_graph_circuit_breaker_state', { state: 'half_open' })).toBe(1);
    expect(sample(body, 'restore_gateway_graph_circuit_breaker_state', { state: 'closed' })).toBe(0);
    expect(sample(body, 'restore_gateway_graph_circuit_breaker_transitions_total', { state: 'half_open' })).toBe(1);
  });

  it('keep operation-name labels bounded and registries separate', async () => {
    const m = createMetrics({ defaultMetrics: false, maxOperationNames: 2 });
    for (const name of ['A', 'B', 'C', undefined, 'not a name!'])
      m.operation({ name, type: 'query', outcome: 'ok', durationSeconds: 0.01 });
    const body = (await m.render()).body;
    expect(sample(body, 'restore_gateway_operation_duration_seconds_count', { operation: 'A' })).toBe(1);
    expect(sample(body, 'restore_gateway_operation_duration_seconds_count', { operation: 'C' })).toBeUndefined();
    expect(sample(body, 'restore_gateway_operation_duration_seconds_count', { operation: 'other' })).toBe(2);
    expect(sample(body, 'restore_gateway_operation_duration_seconds_count', { operation: 'anonymous' })).toBe(1);
    const other = createMetrics();
    const otherBody = (await other.render()).body;
    expect(sample(otherBody, 'restore_gateway_operation_duration_seconds_count', { operation: 'A' })).toBeUndefined();
    expect(otherBody).toContain('process_cpu_user_seconds_total');
  });
});

describe('the /metrics endpoint', () => {
  const servers: Array<{ close(): Promise<void> }> = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  async function serve(handler: http.RequestListener): Promise<string> {
    const server = http.createServer(handler);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    servers.push({ close: () => new Promise<void>((resolve) => server.close(() => resolve())) });
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  function metricsWithOneCall(): GatewayMetrics {
    const m = createMetrics({ defaultMetrics: false });
    m.graphCall({ method: 'GET', status: 200, durationSeconds: 0.01 });
    return m;
  }

  it('asks for the bearer token when METRICS_TOKEN is set', async () => {
    const origin = await serve(metricsHandler({ metrics: metricsWithOneCall(), token: 'scrape-token-1234' }));
    const none = await fetch(`${origin}/metrics`);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer realm="metrics"');
    expect((await fetch(`${origin}/metrics`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    const ok = await fetch(`${origin}/metrics`, { headers: { authorization: 'Bearer scrape-token-1234' } });
    expect(ok.status).toBe(200);
    expect(sample(await ok.text(), 'restore_gateway_graph_calls_total', { method: 'GET', status: '200' })).toBe(1);
  });

  it('serves /metrics alone on its own port', async () => {
    const server: MetricsServer = await startMetricsServer({ metrics: metricsWithOneCall(), port: 0, host: '127.0.0.1' });
    servers.push(server);
    const res = await fetch(`http://127.0.0.1:${server.port}/metrics`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('restore_gateway_graph_calls_total');
    expect((await fetch(`http://127.0.0.1:${server.port}/graphql`)).status).toBe(404);
  });
});

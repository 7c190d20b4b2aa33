import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED_SESSION_IDS } from '@restore-session-gateway/graph-emulator';
import { startTestEmulator, type TestEmulator } from '@restore-session-gateway/graph-emulator/testing';
import type { Gateway } from '../../src/gateway.js';
import { createLogger } from '../../src/logger.js';
import { startTracing, type Tracing } from '../../src/observability/tracing.js';
import { gatewayConfig, startGatewayOn } from '../gateway/harness.js';
import { postGraphQL, type GraphQLResponse } from '../support/graphql.js';
import { sample } from './support.js';

// The gateway as deployed, in process, against the emulator: the log line of each operation, metrics that move
// as operations run, spans in an in-memory exporter, and /readyz following Graph down and back up.

const JWT = /eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/;
const DASHBOARD = `query Dashboard { restoreSessions(first: 3) { nodes { id status ... on SharePointRestoreSession {
  siteRestoreArtifacts(first: 2) { nodes { status restorePoint { protectionUnit { ... on SiteProtectionUnit { siteName } } } } } } } } }`;

describe('a gateway in operation', () => {
  // The signing key survives the emulator's restart, as Graph's does: tokens issued before it stay valid after it.
  const keyDir = mkdtempSync(join(tmpdir(), 'ops-keys-'));
  const exporter = new InMemorySpanExporter();
  const lines: string[] = [];
  let t: TestEmulator;
  let tracing: Tracing;
  let gw: Gateway;
  let origin: string;
  let adminToken: string;

  beforeAll(async () => {
    t = await startTestEmulator({ keyDir });
    tracing = startTracing({ exporter });
    gw = await startGatewayOn(
      t,
      gatewayConfig({ NODE_ENV: 'test', LOG_LEVEL: 'info', READINESS_CACHE_MS: '0', READINESS_TIMEOUT_MS: '2000' }),
      {
        logger: createLogger({ level: 'info', write: (line) => lines.push(line), secrets: [t.emu.settings.AZURE_CLIENT_SECRET] }),
        tracing,
      },
    );
    origin = new URL(gw.url).origin;
    adminToken = await t.apiToken('admin');
  });
  afterAll(async () => {
    await gw?.stop();
    await tracing?.shutdown();
    await t?.close();
  });

  function post(query: string, headers: Record<string, string> = {}): Promise<GraphQLResponse> {
    return postGraphQL(gw.url, { query }, { authorization: `Bearer ${adminToken}`, ...headers });
  }
  const operationLines = (): Array<Record<string, unknown>> =>
    lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((r) => r.msg === 'operation');
  async function metrics(): Promise<string> {
    return (await fetch(`${origin}/metrics`)).text();
  }

  it('writes one line per operation with its ids, duration and Graph calls, and no token', async () => {
    const res = await post(DASHBOARD, { 'x-request-id': 'req-abc-123', 'x-correlation-id': 'flow-42' });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-request-id')).toBe('req-abc-123');
    expect(res.headers.get('x-correlation-id')).toBe('flow-42');
    expect(res.errors).toBeUndefined();
    const line = operationLines().find((r) => r.requestId === 'req-abc-123');
    expect(line).toMatchObject({
      level: 'info',
      correlationId: 'flow-42',
      transport: 'http',
      operationName: 'Dashboard',
      operationType: 'query',
      outcome: 'ok',
      httpStatus: 200,
      errorCodes: [],
    });
    expect(line?.durationMs).toEqual(expect.any(Number));
    expect(line?.traceId).toMatch(/^[0-9a-f]{32}$/);
    // Graph's request ids of the calls this operation made, as the emulator's journal has them.
    const journalIds = new Set(t.emu.journal.list().map((e) => (e as { requestId?: string }).requestId));
    const ids = line?.graphRequestIds as string[];
    expect(line?.graphCalls).toBeGreaterThanOrEqual(3);
    expect(ids.length).toBe(line?.graphCalls);
    for (const id of ids) expect(journalIds.has(id)).toBe(true);

    // A refused caller still gets its line (Apollo never ran), with a fresh request id.
    const refused = await post('{ restoreSessions { totalCount } }', { authorization: 'Bearer not-a-token' });
    expect(refused.status).toBe(401);
    const refusedLine = operationLines().find((r) => r.requestId === refused.headers.get('x-request-id'));
    expect(refusedLine).toMatchObject({ outcome: 'error', httpStatus: 401, errorCodes: ['UNAUTHENTICATED'], graphCalls: 0 });
    // A partial answer: one field fails, the other is there.
    await post(`query Partial { ok: restoreSession(id: "${SEED_SESSION_IDS.completed}") { id } bad: restoreSession(id: "..") { id } }`);
    const partial = operationLines().find((r) => r.operationName === 'Partial');
    expect(partial).toMatchObject({ outcome: 'partial', httpStatus: 200, errorCodes: ['BAD_USER_INPUT'] });
    for (const l of lines) {
      expect(l).not.toContain(adminToken);
      expect(l).not.toMatch(JWT);
      expect(l).not.toContain(t.emu.settings.AZURE_CLIENT_SECRET);
    }
  });

  it('moves its metrics as operations run', async () => {
    const before = await metrics();
    const count = (text: string): number =>
      sample(text, 'restore_gateway_operation_duration_seconds_count', { operation: 'Dashboard', type: 'query', outcome: 'ok' }) ?? 0;
    const calls = (text: string): number => sample(text, 'restore_gateway_graph_calls_total', { method: 'GET', status: '200' }) ?? 0;
    // What earlier tests left in the per-caller cache would answer the units without a call.
    gw.graphCache?.clear();
    await post(DASHBOARD);
    await post(DASHBOARD);
    const after = await metrics();
    expect(count(after) - count(before)).toBe(2);
    expect(calls(after)).toBeGreaterThan(calls(before));
    expect(sample(after, 'restore_gateway_graph_batch_size_count') ?? 0).toBeGreaterThan(
      sample(before, 'restore_gateway_graph_batch_size_count') ?? 0,
    );
    expect(sample(after, 'restore_gateway_token_requests_total', { provider: 'obo', result: 'cache_hit' })).toBeGreaterThan(0);
    expect(sample(after, 'restore_gateway_graph_circuit_breaker_state', { state: 'closed' })).toBe(1);
    expect(sample(after, 'restore_gateway_subscriptions_active')).toBe(0);
    expect(sample(after, 'restore_gateway_operation_errors_total', { code: 'UNAUTHENTICATED' })).toBe(1);

    // Throttling and retries: the first answer to each item is a 429 with a short Retry-After.
    t.emu.faults.set({
      seed: 7,
      rules: [{ path: 'solutions/backupRestore/restoreSessions', method: 'GET', status: 429, retryAfter: 0.01, limit: 1 }],
    });
    await post('query Throttled { restoreSessions(first: 1) { totalCount } }');
    t.emu.faults.clear();
    const throttled = await metrics();
    expect(sample(throttled, 'restore_gateway_graph_retries_total', { reason: 'throttled' })).toBe(1);
    expect(sample(throttled, 'restore_gateway_graph_throttled_total')).toBe(1);
    expect(operationLines().find((r) => r.operationName === 'Throttled')).toMatchObject({
      outcome: 'ok',
      graphRetries: 1,
      graphThrottled: 1,
    });
  });

  it('produces spans for the operation, the resolvers that call Graph, each Graph call and each $batch', async () => {
    exporter.reset();
    gw.graphCache?.clear();
    await post(DASHBOARD, { 'x-request-id': 'traced-1' });
    await tracing.flush();
    const spans = exporter.getFinishedSpans();
    const op = spans.find((s) => s.name === 'query Dashboard');
    expect(op?.attributes).toMatchObject({
      'gateway.request_id': 'traced-1',
      'graphql.operation.name': 'Dashboard',
      'http.response.status_code': 200,
    });
    const inTrace = spans.filter((s) => s.spanContext().traceId === op!.spanContext().traceId);
    const resolvers = inTrace.filter((s) => s.name.startsWith('resolve '));
    expect(resolvers.map((s) => s.name)).toContain('resolve Query.restoreSessions');
    expect(resolvers.map((s) => s.name)).not.toContain('resolve RestoreSession.status');
    const calls = inTrace.filter((s) => /^Graph (GET|POST) \//.test(s.name));
    expect(calls.length).toBeGreaterThanOrEqual(3);
    for (const call of calls) {
      expect(call.attributes['graph.request_id']).toEqual(expect.any(String));
      expect(resolvers.map((r) => r.spanContext().spanId)).toContain(call.parentSpanContext?.spanId);
    }
    const batches = inTrace.filter((s) => s.name === 'Graph $batch');
    expect(batches.length).toBeGreaterThanOrEqual(1);
    expect(batches[0]!.attributes['graph.batch.size']).toBeGreaterThan(1);
    expect(batches[0]!.attributes['graph.request_id']).toEqual(expect.any(String));
  });

  it("continues a caller's trace from traceparent", async () => {
    exporter.reset();
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    await post('query Traced { restoreSessions(first: 1) { totalCount } }', { traceparent: `00-${traceId}-00f067aa0ba902b7-01` });
    const op = exporter.getFinishedSpans().find((s) => s.name === 'query Traced');
    expect(op?.spanContext().traceId).toBe(traceId);
    expect(op?.parentSpanContext?.spanId).toBe('00f067aa0ba902b7');
  });

  it('is ready, unready while Graph is down, and ready again when it is back on the same port', async () => {
    const port = t.emu.port;
    const ready = async (): Promise<{
      status: number;
      body: { status: string; checks: Record<string, { ok: boolean; detail: string }> };
    }> => {
      const res = await fetch(`${origin}/readyz`);
      return {
        status: res.status,
        body: (await res.json()) as { status: string; checks: Record<string, { ok: boolean; detail: string }> },
      };
    };
    const up = await ready();
    expect(up).toMatchObject({
      status: 200,
      body: { status: 'ready', checks: { graphToken: { ok: true }, graph: { ok: true, detail: 'answered 200' } } },
    });
    expect(Object.keys(up.body.checks).sort()).toEqual(['graph', 'graphToken']);

    await t.close();
    const down = await ready();
    expect(down.status).toBe(503);
    expect(down.body.status).toBe('unready');
    expect(down.body.checks.graph?.ok).toBe(false);

    t = await startTestEmulator({ port, keyDir });
    // A keep-alive connection to the old process may fail the first probe; the gateway is ready by the next.
    let again = await ready();
    if (again.status !== 200) again = await ready();
    expect(again).toMatchObject({ status: 200, body: { status: 'ready' } });
    const text = await metrics();
    expect(sample(text, 'restore_gateway_readiness_check', { check: 'graph' })).toBe(1);
  });
});

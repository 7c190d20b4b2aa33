import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from 'graphql-sse';
import { SEED_SESSION_IDS } from '@restore-session-gateway/graph-emulator';
import { useTestEmulator } from '@restore-session-gateway/graph-emulator/testing';
import type { Gateway } from '../../src/gateway.js';
import { createDraft, RESTORES, activate, waitFor } from '../subscriptions/support.js';
import { multipartPost, sseGet, type HttpStream, type StreamRequest } from '../support/http-streams.js';
import { gatewayConfig, startGatewayOn, suiteProfile } from './harness.js';
import { errorCodes, subscribe, wsClient, type TestWsClient } from './live-support.js';

// Subscriptions over HTTP: SSE (as Hive Gateway and graphql-sse's client send them) and Apollo's multipart protocol
// (as Apollo Client's HttpLink sends them), end to end against the emulator with a manual clock.

const WATCH = `subscription Watch($id: ID!) { restoreSessionStatusChanged(id: $id) { id status progress { completed failed } } }`;
interface Watched {
  restoreSessionStatusChanged: { id: string; status: string; progress: { completed: number; failed: number } };
}

const t = useTestEmulator({ profile: suiteProfile() });
let gw: Gateway;
const open: Array<{ stop(): void }> = [];
const sockets: TestWsClient[] = [];
beforeAll(async () => {
  gw = await startGatewayOn(
    t,
    gatewayConfig({ POLL_INTERVAL_MS: '20', MAX_CONNECTIONS_PER_CALLER: '3', CORS_ORIGINS: 'http://localhost:5173' }),
  );
});
afterAll(async () => {
  await gw?.stop();
});
afterEach(async () => {
  for (const s of open.splice(0)) s.stop();
  for (const c of sockets.splice(0)) await c.dispose();
  await waitFor(() => gw.live.stats().subscribers === 0, 3_000, 'every subscriber to be let go');
});

type Transport = (url: string, request: StreamRequest) => HttpStream<Watched>;
const TRANSPORTS: Array<[string, Transport]> = [
  ['SSE (GET, as Hive Gateway sends it)', sseGet],
  ['multipart (POST, as Apollo Client sends it)', multipartPost],
];

function start(transport: Transport, request: StreamRequest): HttpStream<Watched> {
  const stream = transport(gw.url, request);
  open.push(stream);
  return stream;
}

const statuses = (s: HttpStream<Watched>): string[] => s.results.map((r) => r.data?.restoreSessionStatusChanged.status ?? 'error');
const codes = (s: HttpStream<Watched>): string[] => errorCodes(s.results);

describe.each(TRANSPORTS)('%s', (_name, transport) => {
  it("delivers a restore's status changes through to its end, then completes", async () => {
    const id = await createDraft(t, RESTORES.completed);
    const s = start(transport, { query: WATCH, variables: { id }, token: await t.apiToken('admin') });
    await s.next(1);
    expect(s.status).toBe(200);
    await activate(t, id);
    for (const step of [1_000, 6_000, 1_500, 1_500]) {
      t.emu.advanceClock(step);
      await waitFor(() => statuses(s).length > 0, 2_000, 'an event');
    }
    await s.ended();
    expect(s.completed).toBe(true);
    expect(statuses(s)[0]).toBe('DRAFT');
    expect(statuses(s).at(-1)).toBe('COMPLETED');
    expect(codes(s)).toEqual([]);
    expect(s.headers.get('cache-control')).toMatch(/no-(store|cache)/);
  });

  it('answers a missing token with one UNAUTHENTICATED result, then ends', async () => {
    const s = start(transport, { query: WATCH, variables: { id: SEED_SESSION_IDS.active } });
    await s.ended();
    expect(s.status).toBe(200);
    expect(codes(s)).toEqual(['UNAUTHENTICATED']);
    expect(s.completed).toBe(true);
  });

  it('answers a token that expired before the start with UNAUTHENTICATED', async () => {
    const expired = await t.apiToken({ user: 'admin', lifetimeSeconds: -120 });
    const s = start(transport, { query: WATCH, variables: { id: SEED_SESSION_IDS.active }, token: expired });
    await s.ended();
    expect(codes(s)).toEqual(['UNAUTHENTICATED']);
  });

  it('ends the subscription with an UNAUTHENTICATED result when the token expires', async () => {
    const short = await t.apiToken({ user: 'admin', lifetimeSeconds: 2 });
    const s = start(transport, { query: WATCH, variables: { id: SEED_SESSION_IDS.active }, token: short });
    await s.next(1);
    await s.ended(6_000);
    expect(statuses(s)).toEqual(['ACTIVE', 'error']);
    expect(codes(s)).toEqual(['UNAUTHENTICATED']);
    expect(s.results.at(-1)?.errors?.[0]?.message).toMatch(/expired/);
    expect(s.completed).toBe(true);
  });

  it('refuses queries and mutations with BAD_REQUEST, and masks nothing it should not', async () => {
    const s = start(transport, { query: '{ restoreSessions(first: 1) { totalCount } }', token: await t.apiToken('admin') });
    await s.ended();
    expect(codes(s)).toEqual(['BAD_REQUEST']);
    expect(JSON.stringify(s.results)).not.toMatch(/https?:\/\//);
  });

  it('answers a document that does not validate with its validation errors', async () => {
    const s = start(transport, { query: 'subscription { nope }', token: await t.apiToken('admin') });
    await s.ended();
    expect(codes(s)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
  });

  it('answers @skip with a variable on the root field (which graphql-js validation throws on) as a validation failure', async () => {
    const query = 'subscription ($id: ID!, $s: Boolean!) { restoreSessionStatusChanged(id: $id) @skip(if: $s) { id } }';
    const s = start(transport, { query, variables: { id: SEED_SESSION_IDS.active, s: false }, token: await t.apiToken('admin') });
    await s.ended();
    expect(s.status).toBe(200);
    expect(codes(s)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
  });

  it('ends with NOT_FOUND for a session Graph does not know', async () => {
    const s = start(transport, {
      query: WATCH,
      variables: { id: '00000000-0000-4000-8000-00000000abcd' },
      token: await t.apiToken('admin'),
    });
    await s.ended();
    expect(codes(s)).toEqual(['NOT_FOUND']);
  });
});

describe('caps and clients', () => {
  it('counts HTTP streams and WebSockets together against MAX_CONNECTIONS_PER_CALLER', async () => {
    const token = await t.apiToken('admin');
    const ws = wsClient(gw.wsUrl, { authorization: `Bearer ${token}` });
    sockets.push(ws);
    await subscribe(ws, WATCH, { id: SEED_SESSION_IDS.active }).next(1);
    const sse = start(sseGet, { query: WATCH, variables: { id: SEED_SESSION_IDS.active }, token });
    const multipart = start(multipartPost, { query: WATCH, variables: { id: SEED_SESSION_IDS.active }, token });
    await sse.next(1);
    await multipart.next(1);
    const fourth = start(sseGet, { query: WATCH, variables: { id: SEED_SESSION_IDS.active }, token });
    await fourth.ended();
    expect(codes(fourth)).toEqual(['ACTION_NOT_ALLOWED']);
    expect(JSON.stringify(fourth.results)).toMatch(/MAX_CONNECTIONS_PER_CALLER/);
    // A stream that ends gives its place back.
    sse.stop();
    await waitFor(() => gw.live.stats().subscribers === 2, 2_000, 'the SSE subscriber to go');
    const again = start(multipartPost, { query: WATCH, variables: { id: SEED_SESSION_IDS.active }, token });
    await again.next(1);
    expect(codes(again)).toEqual([]);
  });

  it("serves graphql-sse's own client (distinct connections mode)", async () => {
    const token = await t.apiToken('reader');
    const client = createClient({ url: gw.url, headers: { authorization: `Bearer ${token}` }, retryAttempts: 0 });
    open.push({ stop: () => client.dispose() });
    const values: unknown[] = [];
    await new Promise<void>((resolve, reject) => {
      client.subscribe(
        { query: WATCH, variables: { id: SEED_SESSION_IDS.completedWithError } },
        { next: (v) => values.push(v), error: reject, complete: resolve },
      );
    });
    expect(values).toMatchObject([{ data: { restoreSessionStatusChanged: { status: 'COMPLETED_WITH_ERROR' } } }]);
  });

  it('sends multipart heartbeats while nothing happens', async () => {
    const s = start(multipartPost, { query: WATCH, variables: { id: SEED_SESSION_IDS.active }, token: await t.apiToken('admin') });
    await s.next(1);
    expect(s.heartbeats).toBeGreaterThanOrEqual(1);
    expect(s.headers.get('content-type')).toMatch(/^multipart\/mixed;\s*boundary="?graphql"?;\s*subscriptionSpec="?1\.0"?/);
  });

  it('lets a browser preflight the multipart Accept header from an allowed origin', async () => {
    const res = await fetch(gw.url, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://localhost:5173',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'accept,authorization,content-type',
      },
    });
    const allowed = res.headers.get('access-control-allow-headers') ?? '';
    expect(allowed.split(',').map((h) => h.trim())).toEqual(expect.arrayContaining(['accept', 'authorization', 'content-type']));
  });
});

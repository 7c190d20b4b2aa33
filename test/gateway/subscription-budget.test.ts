import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { SEED_SESSION_IDS } from '@restore-session-gateway/graph-emulator';
import { graphCalls, useTestEmulator } from '@restore-session-gateway/graph-emulator/testing';
import type { Gateway } from '../../src/gateway.js';
import { activate, createDraft, RESTORES } from '../subscriptions/support.js';
import { postGraphQL } from '../support/graphql.js';
import { gatewayConfig, startGatewayOn } from './harness.js';
import { subscribe, wsClient, type TestWsClient } from './live-support.js';

/**
 * One budget per caller, whatever the transport: subscription starts spend the caller's quota, the cost limit applies
 * to subscription documents, and each event's Graph calls run in an operation scope of their own (call cap, quota).
 * A refusal is one result with `errors[0].extensions.code`, then `complete`, on a socket that stays open.
 */

const t = useTestEmulator();
const gateways: Gateway[] = [];
const clients: TestWsClient[] = [];
afterAll(async () => {
  for (const g of gateways) await g.stop();
});
afterEach(async () => {
  for (const c of clients.splice(0)) await c.dispose();
});

async function gateway(env: Record<string, string>): Promise<Gateway> {
  const g = await startGatewayOn(t, gatewayConfig({ POLL_INTERVAL_MS: '20', ...env }));
  gateways.push(g);
  return g;
}

async function connect(g: Gateway, user: string): Promise<TestWsClient> {
  const c = wsClient(g.wsUrl, { authorization: `Bearer ${await t.apiToken(user)}` });
  clients.push(c);
  return c;
}

/** Graph calls made for callers (lone requests and `$batch` items), not the pollers' own (they act as the app). */
const callerCalls = (): number => graphCalls(t.emu.journal.list()).filter((e) => e.subject !== t.emu.settings.AZURE_CLIENT_ID).length;

const STATUS = `subscription ($id: ID!) { restoreSessionStatusChanged(id: $id) { id status } }`;
type Status = { restoreSessionStatusChanged: { id: string; status: string } };

describe('subscription starts', () => {
  it('spend the caller quota; the start past it is one RATE_LIMITED result, then complete, and the socket stays open', async () => {
    // Each start of a finished session costs two calls: the start itself and the access check (one Graph read). Without
    // the cache, which would answer the repeated access check of a finished session without a call.
    const g = await gateway({ CALLER_RATE_LIMIT_CALLS: '6', CALLER_RATE_LIMIT_WINDOW_MS: '600000', GRAPH_CACHE_MAX_MB: '0' });
    const c = await connect(g, 'reader');
    // One subscription that stays open shows the socket outlives the refusal.
    const running = subscribe<Status>(c, STATUS, { id: SEED_SESSION_IDS.active });
    await running.next(1);
    for (let i = 0; i < 2; i++) {
      const s = subscribe<Status>(c, STATUS, { id: SEED_SESSION_IDS.completed });
      await s.ended();
      expect(s.values).toEqual([{ id: SEED_SESSION_IDS.completed, status: 'COMPLETED' }]);
    }
    const callsBefore = callerCalls();
    const refused = subscribe<Status>(c, STATUS, { id: SEED_SESSION_IDS.completed });
    await refused.ended();
    expect(refused.error).toBeUndefined();
    expect(refused.completed).toBe(true);
    expect(refused.results).toHaveLength(1);
    const error = refused.results[0]?.errors?.[0];
    expect(error?.extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: expect.any(Number) });
    expect(error?.extensions?.retryAfterSeconds as number).toBeGreaterThan(0);
    expect(refused.results[0]?.data).toBeUndefined();
    // Refused before anything reached Graph, and the socket is still there.
    expect(callerCalls()).toBe(callsBefore);
    expect(c.closed).toBeUndefined();
    expect(running.completed).toBe(false);
    expect(running.error).toBeUndefined();

    // The same budget over HTTP: the caller's next query is refused too.
    const http = await postGraphQL(
      g.url,
      { query: `{ restoreSession(id: "${SEED_SESSION_IDS.completed}") { id } }` },
      { authorization: `Bearer ${await t.apiToken('reader')}` },
    );
    expect(http.status).toBe(429);
    expect(http.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');

    // Another caller's budget is untouched.
    const other = subscribe<Status>(await connect(g, 'admin'), STATUS, { id: SEED_SESSION_IDS.completed });
    await other.ended();
    expect(other.values).toEqual([{ id: SEED_SESSION_IDS.completed, status: 'COMPLETED' }]);
  });

  it('are refused past the cost limit, for the cost of one event, before any Graph call', async () => {
    const g = await gateway({ MAX_QUERY_COST: '40' });
    const c = await connect(g, 'admin');
    const costly = subscribe(
      c,
      `subscription ($id: ID!) { restoreSessionStatusChanged(id: $id) { id ... on SharePointRestoreSession { siteRestoreArtifacts(first: 50) { nodes { id restorePoint { id } } } } } }`,
      { id: SEED_SESSION_IDS.completed },
    );
    await costly.ended();
    expect(costly.error).toBeUndefined();
    expect(costly.completed).toBe(true);
    expect(costly.results).toHaveLength(1);
    expect(costly.results[0]?.errors?.[0]).toMatchObject({
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
      message: expect.stringMatching(/cost \d+ exceeds the limit of 40/),
    });
    expect(callerCalls()).toBe(0);
    // A variable that makes it cheap enough is fine.
    const cheap = subscribe<Status>(
      c,
      `subscription ($id: ID!, $n: Int) { restoreSessionStatusChanged(id: $id) { id status ... on SharePointRestoreSession { siteRestoreArtifacts(first: $n) { nodes { id } } } } }`,
      { id: SEED_SESSION_IDS.completed, n: 5 },
    );
    await cheap.ended();
    expect(cheap.results[0]?.errors).toBeUndefined();
    expect(cheap.values[0]).toMatchObject({ status: 'COMPLETED' });
  });

  it('with an operation name that names no operation are OPERATION_RESOLUTION_FAILURE, as over HTTP', async () => {
    const g = await gateway({});
    const c = await connect(g, 'admin');
    const two = `subscription A { restoreSessionStatusChanged(id: "${SEED_SESSION_IDS.completed}") { id } } subscription B { restoreSessionStatusChanged(id: "${SEED_SESSION_IDS.completed}") { id } }`;
    const results: Array<{ code: unknown; message: unknown }> = [];
    for (const operationName of [undefined, 'C']) {
      const outcome = await new Promise<{ code: unknown; message: unknown }>((resolve, reject) => {
        c.client.subscribe(
          { query: two, ...(operationName ? { operationName } : {}) },
          {
            next: (r) => resolve({ code: r.errors?.[0]?.extensions?.code, message: r.errors?.[0]?.message }),
            error: reject,
            complete: () => undefined,
          },
        );
      });
      results.push(outcome);
    }
    expect(results).toEqual([
      { code: 'OPERATION_RESOLUTION_FAILURE', message: 'Must provide operation name if query contains multiple operations.' },
      { code: 'OPERATION_RESOLUTION_FAILURE', message: 'Unknown operation named "C".' },
    ]);
  });
});

describe('subscription events', () => {
  /** Fields that read Graph for every event: the artifacts, one list call (their restore points come expanded with them). */
  const DEEP = `subscription ($id: ID!) {
    restoreSessionStatusChanged(id: $id) {
      status
      ... on SharePointRestoreSession { siteRestoreArtifacts(first: 5) { nodes { restorePoint { protectionDateTime } } } }
    }
  }`;
  type Deep = {
    restoreSessionStatusChanged: {
      status: string;
      siteRestoreArtifacts: { nodes: Array<{ restorePoint: { protectionDateTime: string } | null }> } | null;
    };
  };

  async function runToTheEnd(g: Gateway): Promise<ReturnType<typeof subscribe<Deep>>> {
    const id = await createDraft(t, RESTORES.completed);
    const s = subscribe<Deep>(await connect(g, 'admin'), DEEP, { id });
    await s.next(1);
    await activate(t, id);
    for (const step of [1_000, 6_000, 1_500, 1_500]) {
      const seen = s.results.length;
      t.emu.advanceClock(step);
      await s.next(seen + 1);
    }
    await s.ended(10_000);
    return s;
  }

  it('each get the per-operation call cap on their own, so a long subscription is not ended by its age', async () => {
    // The start's access check is one call, each event's artifact list another: the cap of one holds for each on its
    // own, while the whole subscription makes six or more.
    const g = await gateway({ GRAPH_MAX_CALLS_PER_OPERATION: '1' });
    const s = await runToTheEnd(g);
    expect(s.results.length).toBeGreaterThanOrEqual(5);
    for (const r of s.results) expect(r.errors).toBeUndefined();
    expect(s.values.at(-1)?.status).toBe('COMPLETED');
    for (const v of s.values) expect(v.siteRestoreArtifacts?.nodes).toHaveLength(3);
  });

  it("spend the subscriber's quota: past it an event's Graph fields fail RATE_LIMITED while the stream goes on", async () => {
    // The start, its access check and the first two events' artifact lists fit in 4; the later events' do not.
    const g = await gateway({ CALLER_RATE_LIMIT_CALLS: '4', CALLER_RATE_LIMIT_WINDOW_MS: '600000' });
    const s = await runToTheEnd(g);
    expect(s.results[0]?.errors).toBeUndefined();
    expect(s.results[1]?.errors).toBeUndefined();
    const limited = s.results.filter((r) => r.errors?.some((e) => e.extensions?.code === 'RATE_LIMITED'));
    expect(limited.length).toBeGreaterThan(0);
    // Status comes with the event itself and needs no Graph call: every event still carries it, to the terminal one.
    expect(s.values.at(-1)?.status).toBe('COMPLETED');
    expect(s.error).toBeUndefined();
  });
});

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SEED_SESSION_IDS, seedRestorePointId } from '@restore-session-gateway/graph-emulator';
import type { GraphClient } from '../../src/graph/client.js';
import { GraphRequestError } from '../../src/graph/errors.js';
import { GraphOutcomeUnknownError } from '../../src/graph/write-recovery.js';
import { toGraphQLError } from '../../src/graphql-errors.js';
import { GraphCircuitOpenError } from '../../src/resilience/circuit-breaker.js';
import { CallerRateLimitedError, GraphCallCapError, GraphDeadlineError } from '../../src/resilience/operation.js';
import { createGraphResilience, type GraphResilienceOptions } from '../../src/resilience/graph-resilience.js';
import { FAST_RETRY, startGraphFixture, type GraphFixture } from './support.js';

/**
 * Writes after ambiguous failures (read back, never blindly repeated) and the gateway-wide protections
 * (circuit breaker, retry budget, global concurrency, operation deadlines, call caps, caller quotas),
 * against the emulator's faults and journal.
 */

let f: GraphFixture;
beforeAll(async () => {
  f = await startGraphFixture();
  await f.tokens.getGraphToken();
});
afterAll(async () => {
  await f?.close();
});
beforeEach(() => f.resetEmulatorSide());

const ms = (iso: string): number => Date.parse(iso);
const ACTIVATE = 'solutions/backupRestore/restoreSessions/*/activate';
const CREATE = 'solutions/backupRestore/sharePointRestoreSessions';
let site = 30;

/** A fresh draft with one artifact (so it can be activated). */
async function draft(client: GraphClient = f.client): Promise<string> {
  const created = await client.createSession('sharePoint', [
    { restorePoint: { id: seedRestorePointId(site++ % 60, 0) }, destinationType: 'new' },
  ]);
  f.resetEmulatorSide();
  return created.id;
}

const PROTECTIONS: GraphResilienceOptions = {
  maxConcurrentRequests: 8,
  retryBudget: { ratio: 1, minPerSecond: 100 },
  breaker: { failureRatio: 0.5, minimumCalls: 1_000, windowMs: 10_000, openMs: 100 },
};

describe('an activation whose answer was lost', () => {
  it('is confirmed by reading the session: Graph activated it, so it is not sent again', async () => {
    const id = await draft();
    f.t.emu.faults.set({ rules: [{ path: ACTIVATE, drop: true, phase: 'after', limit: 1 }] });
    const session = await f.client.activateSession(id);
    expect(session.id).toBe(id);
    expect(session.status).not.toBe('draft');
    expect(f.graphEntries().map((e) => `${e.method} ${e.status} ${e.fault ?? ''}`.trim())).toEqual(['POST 0 drop@after', 'GET 200']);
  });

  it('is sent once more when the session is still a draft (Graph never got it)', async () => {
    const id = await draft();
    f.t.emu.faults.set({ rules: [{ path: ACTIVATE, drop: true, limit: 1 }] });
    const session = await f.client.activateSession(id);
    expect(session.status).not.toBe('draft');
    expect(f.graphEntries().map((e) => `${e.method} ${e.status}`)).toEqual(['POST 0', 'GET 200', 'POST 200']);
  });

  it('is OUTCOME_UNKNOWN when the session cannot be read back either, and never repeated', async () => {
    const id = await draft();
    f.t.emu.faults.set({ rules: [{ path: '**', status: 504, phase: 'after' }] });
    const err = await f.client.activateSession(id).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GraphOutcomeUnknownError);
    const gql = toGraphQLError(err);
    expect(gql.extensions).toMatchObject({ code: 'OUTCOME_UNKNOWN', graph: { status: 504 } });
    expect(gql.message).toMatch(/did not confirm whether the restore session was activated/);
    expect(f.graphEntries().filter((e) => e.method === 'POST')).toHaveLength(1);
  });
});

describe('a deletion whose answer was lost', () => {
  it('is confirmed by the session being gone', async () => {
    const id = await draft();
    f.t.emu.faults.set({
      rules: [{ path: 'solutions/backupRestore/restoreSessions/*', method: 'DELETE', status: 502, phase: 'after', limit: 1 }],
    });
    await f.client.deleteSession(id);
    expect(f.graphEntries().map((e) => `${e.method} ${e.status}`)).toEqual(['DELETE 502', 'GET 404']);
  });

  it('is sent again when the session is still there', async () => {
    const id = await draft();
    f.t.emu.faults.set({ rules: [{ path: 'solutions/backupRestore/restoreSessions/*', method: 'DELETE', status: 504, limit: 1 }] });
    await f.client.deleteSession(id);
    expect(f.graphEntries().map((e) => `${e.method} ${e.status}`)).toEqual(['DELETE 504', 'GET 200', 'DELETE 204']);
  });
});

describe('writes that cannot be read back', () => {
  it('a create whose answer was lost is OUTCOME_UNKNOWN and never repeated, whether or not Graph created it', async () => {
    for (const phase of ['before', 'after'] as const) {
      f.resetEmulatorSide();
      f.t.emu.faults.set({ rules: [{ path: CREATE, method: 'POST', drop: true, phase, limit: 1 }] });
      const err = await f.client.createSession('sharePoint').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(GraphOutcomeUnknownError);
      expect(toGraphQLError(err).extensions).toEqual({ code: 'OUTCOME_UNKNOWN' });
      expect(f.graphEntries()).toHaveLength(1);
    }
  });

  it('an update answered 502 is OUTCOME_UNKNOWN; a throttled one is retried (Graph promised it did nothing)', async () => {
    const id = await draft();
    const removal = [{ '@removed': { reason: 'deleted' as const }, id: 'nothing' }];
    f.t.emu.faults.set({
      rules: [{ path: 'solutions/backupRestore/sharePointRestoreSessions/*', method: 'PATCH', status: 502, limit: 1 }],
    });
    const err = await f.client.updateSession('sharePoint', id, removal).catch((e: unknown) => e);
    expect(toGraphQLError(err).extensions.code).toBe('OUTCOME_UNKNOWN');

    f.resetEmulatorSide();
    f.t.emu.faults.set({
      rules: [{ path: 'solutions/backupRestore/sharePointRestoreSessions/*', method: 'PATCH', status: 503, retryAfter: 0.02, limit: 1 }],
    });
    await f.client.updateSession('sharePoint', id, removal);
    const [first, second] = f.graphEntries();
    expect([first!.status, second!.status]).toEqual([503, 200]);
    expect(second!.clientRequestId).toBe(first!.clientRequestId);
    expect(ms(second!.startedAt) - ms(first!.finishedAt)).toBeGreaterThanOrEqual(20);
  });
});

/** A clock the test moves by hand, for the protections' own time (the breaker's open period, operation deadlines). */
function handClock(): { now: () => number; advance(ms: number): void } {
  let t = Date.now();
  return { now: () => t, advance: (ms) => void (t += ms) };
}

describe('the circuit breaker', () => {
  it('opens on 5xx, fails fast without calling Graph, and probes its way back', async () => {
    const clock = handClock();
    const resilience = createGraphResilience({
      ...PROTECTIONS,
      breaker: { failureRatio: 0.5, minimumCalls: 4, windowMs: 10_000, openMs: 150 },
      now: clock.now,
    });
    const client = f.makeClient({ resilience, retry: { ...FAST_RETRY, maxRetries: 0 } });
    f.t.emu.faults.set({ rules: [{ path: 'solutions/backupRestore/restoreSessions/*', status: 500 }] });
    for (let i = 0; i < 4; i++) await client.getSession(SEED_SESSION_IDS.draft).catch(() => undefined);
    expect(resilience.breaker.state).toBe('open');
    const sent = f.graphEntries().length;
    const err = await client.getSession(SEED_SESSION_IDS.draft).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GraphCircuitOpenError);
    expect(toGraphQLError(err).extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', retryAfterSeconds: 1 });
    expect(f.graphEntries()).toHaveLength(sent);

    // Other identities' clients share the breaker.
    const other = client.withTokenProvider(f.tokens);
    expect(await other.getSession(SEED_SESSION_IDS.active).catch((e: unknown) => e)).toBeInstanceOf(GraphCircuitOpenError);

    f.t.emu.faults.clear();
    clock.advance(160);
    // Half-open: one probe goes out; the calls beside it fail fast until it has succeeded.
    const [probe, beside] = await Promise.allSettled([
      client.getSession(SEED_SESSION_IDS.draft),
      client.getSession(SEED_SESSION_IDS.active),
    ]);
    expect(probe.status).toBe('fulfilled');
    expect((beside as PromiseRejectedResult).reason).toBeInstanceOf(GraphCircuitOpenError);
    expect(resilience.breaker.state).toBe('closed');
    expect((await client.getSession(SEED_SESSION_IDS.active)).id).toBe(SEED_SESSION_IDS.active);
  });

  it('stays closed under throttling', async () => {
    const resilience = createGraphResilience({
      ...PROTECTIONS,
      breaker: { failureRatio: 0.5, minimumCalls: 2, windowMs: 10_000, openMs: 10_000 },
    });
    const client = f.makeClient({ resilience, retry: { ...FAST_RETRY, maxRetries: 1 } });
    f.t.emu.faults.set({ rules: [{ path: 'solutions/backupRestore/restoreSessions/*', status: 429, retryAfter: 0.01 }] });
    for (let i = 0; i < 5; i++) await client.getSession(SEED_SESSION_IDS.draft).catch(() => undefined);
    expect(resilience.breaker.state).toBe('closed');
  });
});

describe('the retry budget', () => {
  it('stops retrying once spent: the call fails with what Graph said', async () => {
    const resilience = createGraphResilience({ ...PROTECTIONS, retryBudget: { ratio: 0, minPerSecond: 0 } });
    // Spend the bucket (capacity 10 at a floor of 0).
    for (let i = 0; i < 10; i++) expect(resilience.budget.tryRetry()).toBe(true);
    const client = f.makeClient({ resilience });
    f.t.emu.faults.set({ rules: [{ path: 'solutions/backupRestore/restoreSessions/*', status: 429, retryAfter: 0.01, limit: 1 }] });
    const err = await client.getSession(SEED_SESSION_IDS.draft).catch((e: unknown) => e);
    expect(toGraphQLError(err).extensions.code).toBe('UPSTREAM_THROTTLED');
    expect(f.graphEntries()).toHaveLength(1);
  });
});

describe('the gateway-wide concurrency limit', () => {
  it('holds across the clients of different identities', async () => {
    const resilience = createGraphResilience({ ...PROTECTIONS, maxConcurrentRequests: 1 });
    const a = f.makeClient({ resilience });
    const b = a.withTokenProvider(f.tokens);
    f.t.emu.faults.set({ rules: [{ path: '**', scope: 'request', latency: { fixedMs: 15, jitterMs: 0 } }] });
    await Promise.all(
      [
        a.getSession(SEED_SESSION_IDS.draft),
        b.getSession(SEED_SESSION_IDS.active),
        a.getSession(SEED_SESSION_IDS.failed),
        b.getSession(SEED_SESSION_IDS.completed),
      ].map((p) => p.catch(() => undefined)),
    );
    const requests = f
      .graphEntries()
      .filter((e) => e.kind !== 'batchItem')
      .sort((x, y) => ms(x.startedAt) - ms(y.startedAt));
    expect(requests.length).toBeGreaterThanOrEqual(2);
    for (let i = 1; i < requests.length; i++) expect(ms(requests[i]!.startedAt)).toBeGreaterThanOrEqual(ms(requests[i - 1]!.finishedAt));
  });
});

describe('an operation scope', () => {
  it('does not wait out a Retry-After its deadline cannot hold: throttled at once', async () => {
    const resilience = createGraphResilience({ ...PROTECTIONS, operationDeadlineMs: 200 });
    const client = f.makeClient({ resilience }).withOperation(resilience.beginOperation());
    f.t.emu.faults.set({ rules: [{ path: 'solutions/backupRestore/restoreSessions/*', status: 429, retryAfter: 1 }] });
    const started = Date.now();
    const err = await client.getSession(SEED_SESSION_IDS.draft).catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(200);
    expect(toGraphQLError(err).extensions).toMatchObject({ code: 'UPSTREAM_THROTTLED', retryAfterSeconds: 1 });
    expect(f.graphEntries()).toHaveLength(1);
  });

  it('sends nothing once its deadline has passed', async () => {
    const clock = handClock();
    const resilience = createGraphResilience({ ...PROTECTIONS, operationDeadlineMs: 100, now: clock.now });
    const client = f.makeClient({ resilience }).withOperation(resilience.beginOperation());
    clock.advance(110);
    const err = await client.getSession(SEED_SESSION_IDS.draft).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GraphDeadlineError);
    expect(toGraphQLError(err).extensions.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(f.graphEntries()).toHaveLength(0);
  });

  it('caps the Graph calls of one operation, before sending them', async () => {
    const resilience = createGraphResilience({ ...PROTECTIONS, maxCallsPerOperation: 3 });
    const client = f.makeClient({ resilience }).withOperation(resilience.beginOperation());
    const ids = [SEED_SESSION_IDS.draft, SEED_SESSION_IDS.active, SEED_SESSION_IDS.failed, SEED_SESSION_IDS.completed];
    const results = await Promise.allSettled(ids.map((id) => client.getSession(id)));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'rejected']);
    const err = (results[3] as PromiseRejectedResult).reason as unknown;
    expect(err).toBeInstanceOf(GraphCallCapError);
    expect(toGraphQLError(err).extensions.code).toBe('BAD_USER_INPUT');
    expect(f.graphEntries().filter((e) => e.kind !== 'batch')).toHaveLength(3);
  });

  it("spends its caller's quota, and another caller's is untouched", async () => {
    const resilience = createGraphResilience({ ...PROTECTIONS, callerQuota: { calls: 2, windowMs: 60_000 } });
    const base = f.makeClient({ resilience });
    const alice = base.withOperation(resilience.beginOperation({ callerKey: 'tenant:alice' }));
    const bob = base.withOperation(resilience.beginOperation({ callerKey: 'tenant:bob' }));
    await alice.getSession(SEED_SESSION_IDS.draft);
    await alice.getSession(SEED_SESSION_IDS.active);
    const err = await alice.getSession(SEED_SESSION_IDS.failed).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CallerRateLimitedError);
    expect(toGraphQLError(err).extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: 60 });
    expect((await bob.getSession(SEED_SESSION_IDS.failed)).id).toBe(SEED_SESSION_IDS.failed);
    expect(f.graphEntries()).toHaveLength(3);
  });

  it('records its writes with Graph request ids, for the audit log', async () => {
    const resilience = createGraphResilience(PROTECTIONS);
    const scope = resilience.beginOperation();
    const client = f.makeClient({ resilience }).withOperation(scope);
    const created = await client.createSession('sharePoint');
    await client.getSession(created.id);
    f.t.emu.faults.set({ rules: [{ path: 'solutions/backupRestore/restoreSessions/*', method: 'DELETE', status: 403 }] });
    const refused = await client.deleteSession(created.id).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(GraphRequestError);
    const entries = f.graphEntries();
    expect(scope.writes.map((w) => [w.method, w.status])).toEqual([
      ['POST', 201],
      ['DELETE', 403],
    ]);
    expect(scope.writes[0]!.requestId).toBe(entries[0]!.requestId);
    expect(scope.writes[1]!.clientRequestId).toBe(entries[2]!.clientRequestId);
    f.t.emu.faults.clear();
    await client.deleteSession(created.id);
  });
});

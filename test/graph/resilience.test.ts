import { describe, expect, it } from 'vitest';
import { callerQuotaKey, createCallerQuota } from '../../src/resilience/caller-quota.js';
import { createCircuitBreaker, outcomeOfStatus } from '../../src/resilience/circuit-breaker.js';
import { createConcurrencyLimiter } from '../../src/resilience/concurrency.js';
import { GraphProtocolError, GraphRequestError, GraphTransportError } from '../../src/graph/errors.js';
import { isAmbiguousFailure } from '../../src/graph/write-recovery.js';
import { CallerRateLimitedError, createOperationScope, GraphCallCapError, GraphDeadlineError } from '../../src/resilience/operation.js';
import { createRetryBudget } from '../../src/resilience/retry-budget.js';

/** A clock the test moves by hand. */
function clock(start = 1_000_000): { now: () => number; advance(ms: number): void } {
  let t = start;
  return { now: () => t, advance: (ms) => void (t += ms) };
}

describe('retry budget', () => {
  it('allows retries as a share of calls, plus a floor per second, and no more', () => {
    const c = clock();
    const budget = createRetryBudget({ ratio: 0.2, minPerSecond: 1, capacity: 3, now: c.now });
    // A full bucket to start with: three retries, then nothing.
    expect([budget.tryRetry(), budget.tryRetry(), budget.tryRetry(), budget.tryRetry()]).toEqual([true, true, true, false]);
    // Five calls earn one retry.
    for (let i = 0; i < 5; i++) budget.onCall();
    expect(budget.tryRetry()).toBe(true);
    expect(budget.tryRetry()).toBe(false);
    // The floor refills one per second, up to the capacity.
    c.advance(1_000);
    expect(budget.tryRetry()).toBe(true);
    expect(budget.tryRetry()).toBe(false);
    c.advance(60_000);
    expect(budget.available).toBe(3);
  });

  it('with a ratio of 0 and no floor, never retries once the bucket is empty', () => {
    const budget = createRetryBudget({ ratio: 0, minPerSecond: 0, capacity: 1 });
    expect(budget.tryRetry()).toBe(true);
    for (let i = 0; i < 100; i++) budget.onCall();
    expect(budget.tryRetry()).toBe(false);
  });
});

describe('circuit breaker', () => {
  const options = { failureRatio: 0.5, minimumCalls: 4, windowMs: 1_000, openMs: 500 };

  it('opens on a failure ratio over enough calls, fails fast while open, and closes after a good probe', () => {
    const c = clock();
    const states: string[] = [];
    const breaker = createCircuitBreaker({ ...options, now: c.now, onStateChange: (s) => states.push(s) });
    for (const outcome of ['success', 'failure', 'failure'] as const) breaker.record(outcome, false);
    expect(breaker.state).toBe('closed'); // 3 calls: not enough to judge
    breaker.record('failure', false);
    expect(breaker.state).toBe('open');
    const refused = breaker.admit();
    expect(refused).toEqual({ allowed: false, retryAfterMs: 500 });

    c.advance(500);
    expect(breaker.state).toBe('halfOpen');
    const probe = breaker.admit();
    expect(probe).toEqual({ allowed: true, probe: true });
    // One probe at a time.
    expect(breaker.admit().allowed).toBe(false);
    breaker.record('success', true);
    expect(breaker.state).toBe('closed');
    expect(states).toEqual(['open', 'halfOpen', 'closed']);
  });

  it('reopens when the probe fails, and ignores 429s (Graph working as designed)', () => {
    const c = clock();
    const breaker = createCircuitBreaker({ ...options, now: c.now });
    for (let i = 0; i < 4; i++) breaker.record('failure', false);
    c.advance(500);
    expect(breaker.admit()).toEqual({ allowed: true, probe: true });
    breaker.record('failure', true);
    expect(breaker.state).toBe('open');
    expect(breaker.admit()).toEqual({ allowed: false, retryAfterMs: 500 });

    c.advance(500);
    expect(breaker.admit()).toEqual({ allowed: true, probe: true });
    // A throttled probe says nothing: the slot is free again, the circuit still half-open.
    breaker.record(outcomeOfStatus(429), true);
    expect(breaker.state).toBe('halfOpen');
    expect(breaker.admit()).toEqual({ allowed: true, probe: true });
    breaker.record(outcomeOfStatus(404), true);
    expect(breaker.state).toBe('closed');
  });

  it('forgets failures older than its window, and never counts 429s', () => {
    const c = clock();
    const breaker = createCircuitBreaker({ ...options, now: c.now });
    for (let i = 0; i < 3; i++) breaker.record('failure', false);
    c.advance(1_100);
    breaker.record('failure', false);
    expect(breaker.state).toBe('closed');
    for (let i = 0; i < 100; i++) breaker.record(outcomeOfStatus(429), false);
    expect(breaker.state).toBe('closed');
    expect([500, 502, 503, 504].map(outcomeOfStatus)).toEqual(['failure', 'failure', 'failure', 'failure']);
    expect([200, 201, 204, 400, 403, 404].map(outcomeOfStatus).every((o) => o === 'success')).toBe(true);
  });
});

describe('concurrency limiter', () => {
  it('runs at most max tasks at once, in order', async () => {
    const limiter = createConcurrencyLimiter(2);
    let running = 0;
    let peak = 0;
    const order: number[] = [];
    await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        limiter.run(async () => {
          running++;
          peak = Math.max(peak, running);
          await new Promise((r) => setImmediate(r));
          order.push(i);
          running--;
        }),
      ),
    );
    expect(peak).toBe(2);
    expect(order).toEqual([0, 1, 2, 3, 4, 5]);
    expect(limiter.active).toBe(0);
  });

  it('lets waiting shares take turns, so a caller queued behind a flood waits one turn, not the whole flood', async () => {
    const limiter = createConcurrencyLimiter(1);
    const release: Array<() => void> = [];
    const order: string[] = [];
    const task = (name: string) => () =>
      new Promise<void>((resolve) => {
        order.push(name);
        release.push(resolve);
      });
    const all = [
      ...Array.from({ length: 5 }, (_, i) => limiter.run(task(`flood${i}`), 'churner')),
      limiter.run(task('neighbour'), 'neighbour'),
      limiter.run(task('common')),
    ];
    expect(limiter.waiting).toBe(6);
    while (order.length < 7) {
      const count = order.length;
      release[count - 1]!();
      await new Promise((r) => setImmediate(r));
    }
    release[6]!();
    await Promise.all(all);
    // flood0 held the slot; then each waiting share in turn, each share's own tasks in order.
    expect(order).toEqual(['flood0', 'flood1', 'neighbour', 'common', 'flood2', 'flood3', 'flood4']);
    expect(limiter.active).toBe(0);
    expect(limiter.waiting).toBe(0);
  });

  it('gives freed slots to the waiting caller holding the fewest, until no caller holds more than its share', async () => {
    const limiter = createConcurrencyLimiter(4);
    const release = new Map<string, Array<() => void>>([
      ['dashboard', []],
      ['neighbour', []],
    ]);
    const task = (share: string) => () => new Promise<void>((resolve) => release.get(share)!.push(resolve));
    const tick = () => new Promise((r) => setImmediate(r));
    // A large dashboard alone takes every slot, and queues more.
    const all = Array.from({ length: 10 }, () => limiter.run(task('dashboard'), 'dashboard'));
    await tick();
    expect(limiter.activeOf('dashboard')).toBe(4);
    all.push(...Array.from({ length: 3 }, () => limiter.run(task('neighbour'), 'neighbour')));
    // Each answer the dashboard gets frees a slot for the neighbour, until both hold two.
    const finishOne = async (share: string) => {
      release.get(share)!.shift()!();
      await tick();
    };
    await finishOne('dashboard');
    expect([limiter.activeOf('dashboard'), limiter.activeOf('neighbour')]).toEqual([3, 1]);
    await finishOne('dashboard');
    expect([limiter.activeOf('dashboard'), limiter.activeOf('neighbour')]).toEqual([2, 2]);
    await finishOne('dashboard');
    expect([limiter.activeOf('dashboard'), limiter.activeOf('neighbour')]).toEqual([2, 2]);
    await finishOne('neighbour');
    expect([limiter.activeOf('dashboard'), limiter.activeOf('neighbour')]).toEqual([2, 2]);
    // Once the neighbour has nothing left to wait for, the dashboard gets the slots back.
    await finishOne('neighbour');
    await finishOne('neighbour');
    expect([limiter.activeOf('dashboard'), limiter.activeOf('neighbour')]).toEqual([4, 0]);
    while (release.get('dashboard')!.length > 0) await finishOne('dashboard');
    await Promise.all(all);
    expect([limiter.active, limiter.waiting]).toEqual([0, 0]);
  });
});

describe('operation scope', () => {
  it('refuses calls past the cap and after the deadline', () => {
    const c = clock();
    const scope = createOperationScope({ deadlineMs: 100, maxCalls: 2, now: c.now });
    expect(scope.admit()).toBeUndefined();
    expect(scope.admit()).toBeUndefined();
    expect(() => scope.admit()).toThrow(GraphCallCapError);
    expect(scope.remainingMs()).toBe(100);
    c.advance(100);
    expect(() => scope.admit()).toThrow(GraphDeadlineError);
  });

  it("spends the caller's quota, per caller", async () => {
    const quota = createCallerQuota({ calls: 2, windowMs: 60_000 });
    const alice = createOperationScope({ callerKey: callerQuotaKey({ tenantId: 't', subject: 'alice' }), quota });
    const bob = createOperationScope({ callerKey: callerQuotaKey({ tenantId: 't', subject: 'bob' }), quota });
    await alice.admit();
    await alice.admit();
    const refused = await Promise.resolve(alice.admit()).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(CallerRateLimitedError);
    expect((refused as CallerRateLimitedError).retryAfterMs).toBeGreaterThan(59_000);
    // Bob's share is his own.
    await bob.admit();
    expect(await quota.check('t:bob')).toEqual({ ok: true });
    expect((await quota.check('t:alice')).ok).toBe(false);
  });
});

describe('ambiguous failures', () => {
  const graph = (status: number, code = 'X', retryAfterMs?: number): GraphRequestError =>
    new GraphRequestError({ status, code, message: '', retryAfterMs });

  it('are lost answers: sent but not definitely refused', () => {
    expect(isAmbiguousFailure(new GraphTransportError('reset', false, 'c'))).toBe(true);
    expect(isAmbiguousFailure(new GraphTransportError('timeout', false, 'c'))).toBe(true);
    expect(isAmbiguousFailure(new GraphProtocolError('not JSON'))).toBe(true);
    for (const s of [500, 502, 504]) expect(isAmbiguousFailure(graph(s))).toBe(true);
    expect(isAmbiguousFailure(graph(503))).toBe(true);
  });

  it('are not: never sent, promised unprocessed, or refused', () => {
    expect(isAmbiguousFailure(new GraphTransportError('refused', true, 'c'))).toBe(false);
    expect(isAmbiguousFailure(graph(503, 'ServiceUnavailable', 1_000))).toBe(false);
    expect(isAmbiguousFailure(graph(429, 'TooManyRequests', 1_000))).toBe(false);
    expect(isAmbiguousFailure(graph(500, 'TooManyActiveRestoreSessions'))).toBe(false);
    for (const s of [400, 401, 403, 404, 409]) expect(isAmbiguousFailure(graph(s))).toBe(false);
    expect(isAmbiguousFailure(new Error('x'))).toBe(false);
  });
});

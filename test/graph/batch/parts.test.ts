import { describe, expect, it } from 'vitest';
import { createBreakerGate } from '../../../src/graph/batch/breaker-gate.js';
import { pendingCall, type PendingCall } from '../../../src/graph/batch/call.js';
import { chunks, decodeEnvelope, encodeEnvelope, MAX_BATCH_SIZE } from '../../../src/graph/batch/envelope.js';
import { groupRetries, planRetry, RETRY_MARGIN_MS } from '../../../src/graph/batch/retry-planner.js';
import { graphPaths } from '../../../src/graph/url.js';
import { createCircuitBreaker, GraphCircuitOpenError } from '../../../src/resilience/circuit-breaker.js';
import type { RetryOptions } from '../../../src/resilience/retry-policy.js';

// The scheduler's pure parts on their own: the `$batch` codec, the retry planner, and the breaker gate's counting.

describe('the $batch envelope', () => {
  it('numbers items from 1 with their own client-request-id and Prefer, and a Content-Type only with a body', () => {
    const { requests } = encodeEnvelope([
      { method: 'GET', path: '/solutions/backupRestore/restoreSessions/a', clientRequestId: 'c1' },
      { method: 'POST', path: '/solutions/backupRestore/restorePoints/search', body: { x: 1 }, clientRequestId: 'c2' },
    ]);
    expect(requests).toEqual([
      {
        id: '1',
        method: 'GET',
        url: '/solutions/backupRestore/restoreSessions/a',
        headers: { 'client-request-id': 'c1', prefer: 'include-unknown-enum-members' },
      },
      {
        id: '2',
        method: 'POST',
        url: '/solutions/backupRestore/restorePoints/search',
        headers: { 'client-request-id': 'c2', prefer: 'include-unknown-enum-members', 'content-type': 'application/json' },
        body: { x: 1 },
      },
    ]);
  });

  it('reads answers in any order, ids in any case, and leaves an unanswered item undefined', () => {
    const answers = decodeEnvelope(
      {
        responses: [
          { id: '3', status: 404, headers: { 'Content-Type': 'application/json', 'Retry-After': 2 }, body: { error: {} } },
          { id: 'x', status: 200 },
          { id: 1, status: 200 },
          null,
          { id: '1', status: 200, body: { id: 'a' } },
        ],
      },
      3,
    );
    expect(answers).toEqual([
      { status: 200, headers: {}, body: { id: 'a' } },
      undefined,
      { status: 404, headers: { 'content-type': 'application/json', 'retry-after': '2' }, body: { error: {} } },
    ]);
    expect(decodeEnvelope('not an envelope', 2)).toEqual([undefined, undefined]);
  });

  it(`holds at most ${MAX_BATCH_SIZE} items`, () => {
    expect(chunks(Array.from({ length: 45 }, (_, i) => i)).map((c) => c.length)).toEqual([20, 20, 5]);
    expect(chunks([])).toEqual([]);
  });
});

describe('the retry planner', () => {
  const options: RetryOptions = { maxRetries: 3, baseDelayMs: 100, maxDelayMs: 1_000, maxRetryAfterMs: 10_000, random: () => 0.5 };
  const throttled = { kind: 'status' as const, status: 429, retryAfterMs: 500 };
  const now = 1_000_000;

  it('retries after Retry-After while someone can wait for it and the budget allows', () => {
    const plan = (deadlines: Array<number | undefined>, budgetAllows = true) =>
      planRetry({ outcome: throttled, attempts: 1, idempotent: true, deadlines }, { options, now, budgetAllows });
    const dueAt = now + 500 + RETRY_MARGIN_MS;
    expect(plan([undefined])).toEqual({ retry: true, delayMs: 500, dueAt });
    // One waiter's operation ends first; the other can wait, so the call is retried (for it alone).
    expect(plan([dueAt, dueAt + 1])).toEqual({ retry: true, delayMs: 500, dueAt });
    expect(plan([dueAt, now + 10])).toEqual({ retry: false });
    expect(plan([undefined], false)).toEqual({ retry: false });
  });

  it('follows the retry policy: writes are not repeated after a lost answer, nor anything past maxRetries', () => {
    const lost = { kind: 'transport' as const, notSent: false, reason: 'reset' as const };
    const conditions = { options, now, budgetAllows: true };
    expect(planRetry({ outcome: lost, attempts: 1, idempotent: false, deadlines: [undefined] }, conditions)).toEqual({ retry: false });
    expect(planRetry({ outcome: lost, attempts: 1, idempotent: true, deadlines: [undefined] }, conditions)).toMatchObject({
      retry: true,
      delayMs: 75,
    });
    expect(planRetry({ outcome: throttled, attempts: 4, idempotent: true, deadlines: [undefined] }, conditions)).toEqual({ retry: false });
  });

  it('puts retries due within the same 10 ms on one timer, waiting the longest delay of the group plus the margin', () => {
    const groups = groupRetries([
      { item: 'a', delayMs: 21 },
      { item: 'b', delayMs: 29 },
      { item: 'c', delayMs: 41 },
      { item: 'd', delayMs: 30 },
    ]);
    expect(groups).toEqual([
      { waitMs: 30 + RETRY_MARGIN_MS, items: ['a', 'b', 'd'] },
      { waitMs: 41 + RETRY_MARGIN_MS, items: ['c'] },
    ]);
    expect(groupRetries([])).toEqual([]);
  });
});

describe('the breaker gate', () => {
  const call = (): PendingCall =>
    pendingCall({ method: 'GET', path: graphPaths.restoreSession('a') }, { resolve: () => undefined, reject: () => undefined });

  it('counts an envelope that failed as a whole once, however many calls it carried', () => {
    const breaker = createCircuitBreaker({ failureRatio: 0.5, minimumCalls: 2, windowMs: 10_000, openMs: 1_000 });
    const gate = createBreakerGate(breaker);
    const calls = Array.from({ length: 20 }, call);
    for (const c of calls) expect(gate.admit(c)).toBe(true);
    gate.reportEnvelope(calls, 'failure');
    expect(breaker.state).toBe('closed');
    gate.reportEnvelope(calls, 'failure');
    expect(breaker.state).toBe('open');
  });

  it('fails a call at once while the circuit is open', async () => {
    const breaker = createCircuitBreaker({ failureRatio: 0.5, minimumCalls: 1, windowMs: 10_000, openMs: 1_000 });
    breaker.record('failure', false);
    const gate = createBreakerGate(breaker);
    const failed: unknown[] = [];
    const refused = pendingCall(
      { method: 'GET', path: graphPaths.restoreSession('a') },
      { resolve: () => undefined, reject: (e) => failed.push(e) },
    );
    expect(gate.admit(refused)).toBe(false);
    expect(failed).toEqual([expect.any(GraphCircuitOpenError)]);
    expect(createBreakerGate(undefined).admit(call())).toBe(true);
  });
});

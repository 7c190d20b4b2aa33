import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  createBatchScheduler,
  type BatchScheduler,
  type BatchSchedulerOptions,
  type SchedulerClock,
} from '../../../src/graph/batch/scheduler.js';
import { GraphRequestError } from '../../../src/graph/errors.js';
import { graphPaths } from '../../../src/graph/url.js';
import { toGraphQLError } from '../../../src/graphql-errors.js';
import { createOperationScope, GraphDeadlineError, type OperationScope } from '../../../src/resilience/operation.js';
import { fakeGraph, ok, throttled, tokens, useFakeClock, type FakeGraph } from './support.js';

// The scheduler's own timing on vitest's fake timers: when retries go out, what travels together, what waits for a
// slot, and what a deadline cuts short. No real time passes.

const RETRY = { maxRetries: 3, baseDelayMs: 100, maxDelayMs: 1_000, maxRetryAfterMs: 10_000, random: () => 0.5 };
/** A retry is never early: it waits this margin on top of its Retry-After. */
const MARGIN_MS = 2;
/** The fake `setImmediate` of a due retry's hand-over, called from its timer, runs one fake millisecond later. */
const HAND_OVER_MS = 1;

let clock: SchedulerClock;
const schedulers: BatchScheduler[] = [];
beforeEach(() => {
  clock = useFakeClock();
});
afterEach(() => {
  for (const s of schedulers.splice(0)) s.close();
  vi.useRealTimers();
});

function scheduler(http: FakeGraph, options: Partial<BatchSchedulerOptions> = {}): BatchScheduler {
  const s = createBatchScheduler({ http, tokenProvider: tokens, retry: RETRY, clock, ...options });
  schedulers.push(s);
  return s;
}

const read = (s: BatchScheduler, id: string, operation?: OperationScope) =>
  s.fetch<{ id: string }>({ method: 'GET', path: graphPaths.restoreSession(id), operation });
const idOf = (path: string): string => path.split('/').pop()!;
const items = (exchange: { items: unknown[] | undefined }): number => exchange.items?.length ?? 1;

describe('one tick', () => {
  it('travels together: calls of several microtasks share an envelope, identical reads go once, a later call goes alone', async () => {
    const graph = fakeGraph({ reply: ({ path }) => ok({ id: idOf(path) }) });
    const s = scheduler(graph);
    const a = read(s, 'a');
    await Promise.resolve();
    const [b, again] = [read(s, 'b'), read(s, 'b')];
    await vi.advanceTimersByTimeAsync(0);
    expect(graph.exchanges.map(items)).toEqual([2]);
    expect(await again).toBe(await b);
    expect((await a).body.id).toBe('a');

    const c = read(s, 'c');
    await vi.advanceTimersByTimeAsync(0);
    expect(graph.exchanges).toHaveLength(2);
    expect(graph.exchanges[1]!.items).toBeUndefined();
    expect((await c).body.id).toBe('c');
  });

  it('keeps to maxConcurrentBatches: one at a time waits for the slot, four go out at once', async () => {
    for (const [maxConcurrentBatches, overlapping] of [
      [1, false],
      [4, true],
    ] as const) {
      const graph = fakeGraph({ reply: () => ok(), latencyMs: 20 });
      const s = scheduler(graph, { maxConcurrentBatches });
      const all = Promise.all(Array.from({ length: 60 }, (_, i) => read(s, `s${i}`)));
      await vi.advanceTimersByTimeAsync(100);
      await all;
      const envelopes = graph.envelopes();
      expect(envelopes.map(items)).toEqual([20, 20, 20]);
      const serial = envelopes.every((e, i) => i === 0 || e.startedAt >= envelopes[i - 1]!.finishedAt!);
      expect(serial).toBe(!overlapping);
    }
  });
});

describe('retries', () => {
  it('send a throttled item again after its own Retry-After, with its client-request-id, and the call succeeds', async () => {
    const graph = fakeGraph({
      reply: ({ path, attempt }) => (idOf(path) === 'b' && attempt === 1 ? throttled(0.05) : ok({ id: idOf(path) })),
    });
    const s = scheduler(graph);
    const all = Promise.all(['a', 'b', 'c'].map((id) => read(s, id)));
    await vi.advanceTimersByTimeAsync(0);
    expect(graph.exchanges).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(50 + MARGIN_MS - 1);
    expect(graph.exchanges).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1 + HAND_OVER_MS);
    expect(graph.exchanges).toHaveLength(2);
    const [first, retry] = graph.exchanges;
    const throttledItem = first!.items!.find((item) => idOf(item.url) === 'b')!;
    expect(retry!.items).toBeUndefined();
    expect(retry!.request.clientRequestId).toBe(throttledItem.headers!['client-request-id']);
    expect(retry!.startedAt - first!.finishedAt!).toBeGreaterThanOrEqual(50);
    expect((await all).map((r) => r.body.id)).toEqual(['a', 'b', 'c']);
  });

  it('batch throttled items together again, and retries due within a few ms of each other share one timer', async () => {
    const waits: Record<string, number> = { a: 0.021, b: 0.029, c: 0.041 };
    const graph = fakeGraph({
      reply: ({ path, attempt }) => (attempt === 1 && waits[idOf(path)] !== undefined ? throttled(waits[idOf(path)]!) : ok()),
    });
    const s = scheduler(graph);
    const all = Promise.all(['a', 'b', 'c', 'd'].map((id) => read(s, id)));
    await vi.advanceTimersByTimeAsync(0);
    const start = graph.exchanges[0]!.finishedAt!;
    await vi.advanceTimersByTimeAsync(100);
    await all;
    // a and b (21 and 29 ms) go together after the longer of the two; c (41 ms) on its own.
    expect(graph.exchanges.map(items)).toEqual([4, 2, 1]);
    expect(graph.exchanges.slice(1).map((e) => e.startedAt - start)).toEqual([
      29 + MARGIN_MS + HAND_OVER_MS,
      41 + MARGIN_MS + HAND_OVER_MS,
    ]);
  });

  it('send a throttled envelope again after its Retry-After', async () => {
    const graph = fakeGraph({ reply: () => ok(), envelope: (n) => (n === 1 ? throttled(0.05) : undefined) });
    const s = scheduler(graph);
    const all = Promise.all([read(s, 'a'), read(s, 'b')]);
    await vi.advanceTimersByTimeAsync(60);
    await all;
    expect(graph.envelopes().map(items)).toEqual([2, 2]);
    expect(graph.exchanges[1]!.startedAt - graph.exchanges[0]!.finishedAt!).toBe(50 + MARGIN_MS + HAND_OVER_MS);
  });

  it('give up as UPSTREAM_THROTTLED when throttling persists', async () => {
    const graph = fakeGraph({ reply: () => throttled(0.01) });
    const failure = read(scheduler(graph), 'a').catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(1_000);
    const err = await failure;
    expect(err).toBeInstanceOf(GraphRequestError);
    expect(toGraphQLError(err).extensions.code).toBe('UPSTREAM_THROTTLED');
    expect(graph.exchanges).toHaveLength(RETRY.maxRetries + 1);
  });

  it('stop when the scheduler closes: their callers fail, and nothing is left waiting', async () => {
    const graph = fakeGraph({ reply: () => throttled(5) });
    const s = scheduler(graph);
    const pending = read(s, 'a').catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(0);
    expect(vi.getTimerCount()).toBe(1);
    s.close();
    expect(await pending).toMatchObject({ message: 'The Graph client was closed before a retry.' });
    expect(vi.getTimerCount()).toBe(0);
    await expect(read(s, 'b')).rejects.toThrow('The Graph client is closed.');
  });
});

describe("an operation's deadline", () => {
  it('answers a Retry-After it cannot wait for as throttled, at once', async () => {
    const graph = fakeGraph({ reply: () => throttled(1) });
    const failure = read(scheduler(graph), 'a', createOperationScope({ deadlineMs: 200 })).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(0);
    expect(toGraphQLError(await failure).extensions).toMatchObject({ code: 'UPSTREAM_THROTTLED', retryAfterSeconds: 1 });
    expect(graph.exchanges).toHaveLength(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('keeps a call that waited past it for a slot from being sent', async () => {
    const graph = fakeGraph({ reply: () => ok(), latencyMs: 100 });
    const s = scheduler(graph, { maxConcurrentBatches: 1 });
    const first = read(s, 'a');
    await vi.advanceTimersByTimeAsync(0);
    const late = read(s, 'b', createOperationScope({ deadlineMs: 50 })).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(100);
    await first;
    expect(await late).toBeInstanceOf(GraphDeadlineError);
    expect(graph.exchanges).toHaveLength(1);
  });

  it('still has the write recorded with its final answer, for the audit log', async () => {
    const graph = fakeGraph({ reply: () => throttled(1) });
    const operation = createOperationScope({ deadlineMs: 200 });
    const path = graphPaths.sharePointRestoreSessions();
    const failure = scheduler(graph)
      .fetch({ method: 'POST', path, body: {}, operation })
      .catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(0);
    expect(await failure).toBeInstanceOf(GraphRequestError);
    expect(operation.writes).toEqual([
      { method: 'POST', path, status: 429, requestId: null, clientRequestId: graph.exchanges[0]!.request.clientRequestId, attempts: 1 },
    ]);
  });
});

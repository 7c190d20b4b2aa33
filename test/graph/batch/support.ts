import { vi } from 'vitest';
import { accessToken, type TokenProvider } from '../../../src/auth/types.js';
import type { SchedulerClock } from '../../../src/graph/batch/scheduler.js';
import type { GraphBatchRequest, GraphBatchRequestItem } from '../../../src/graph/dto.js';
import type { GraphHttp, GraphHttpRequest, GraphHttpResponse } from '../../../src/graph/http.js';

/**
 * The scheduler's timing on vitest's fake timers: an in-memory Graph behind the HTTP seam (`GraphHttp`) that answers
 * as the test says, after a latency on the fake clock, and records when each exchange started and ended. The wire
 * format itself is tested against the emulator (`scheduler-over-http.test.ts`).
 */

/** Installs vitest's fake timers and hands the scheduler a clock that reads them. */
export function useFakeClock(): SchedulerClock {
  vi.useFakeTimers();
  return {
    now: () => Date.now(),
    defer: (run) => void setImmediate(run),
    setTimeout: (run, ms) => setTimeout(run, ms),
    clearTimeout: (timer) => clearTimeout(timer),
  };
}

export const tokens: TokenProvider = { getGraphToken: async () => accessToken('graph-token') };

export interface ItemReply {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface RecordedExchange {
  request: GraphHttpRequest;
  /** The `$batch` items, for an envelope. */
  items: GraphBatchRequestItem[] | undefined;
  startedAt: number;
  finishedAt: number | undefined;
}

export interface FakeGraph extends GraphHttp {
  exchanges: RecordedExchange[];
  envelopes(): RecordedExchange[];
}

/**
 * A Graph whose every call (a lone request, or each item of an envelope) is answered by `reply`; an envelope is
 * answered as a whole by `envelope` when it returns something.
 */
export function fakeGraph({
  reply,
  envelope = () => undefined,
  latencyMs = 0,
}: {
  reply: (call: { method: string; path: string; clientRequestId: string; attempt: number }) => ItemReply;
  envelope?: (attempt: number) => ItemReply | undefined;
  latencyMs?: number;
}): FakeGraph {
  const exchanges: RecordedExchange[] = [];
  const attempts = new Map<string, number>();
  const attemptOf = (id: string): number => {
    const n = (attempts.get(id) ?? 0) + 1;
    attempts.set(id, n);
    return n;
  };
  const answer = (request: GraphHttpRequest, items: GraphBatchRequestItem[] | undefined): GraphHttpResponse => {
    if (!items) {
      const r = reply({
        method: request.method,
        path: request.path,
        clientRequestId: request.clientRequestId,
        attempt: attemptOf(request.clientRequestId),
      });
      return { status: r.status, headers: lowerCased(r.headers), body: r.body };
    }
    const whole = envelope(exchanges.filter((e) => e.items).length);
    if (whole) return { status: whole.status, headers: lowerCased(whole.headers), body: whole.body };
    const responses = items.map((item) => {
      const clientRequestId = item.headers?.['client-request-id'] ?? '';
      const r = reply({ method: item.method, path: item.url, clientRequestId, attempt: attemptOf(clientRequestId) });
      return { id: item.id, status: r.status, headers: r.headers ?? {}, body: r.body };
    });
    return { status: 200, headers: {}, body: { responses: responses.reverse() } };
  };
  return {
    baseUrl: 'https://graph.test/beta',
    exchanges,
    envelopes: () => exchanges.filter((e) => e.items),
    async send(request) {
      const items = request.path === '/$batch' ? (request.body as GraphBatchRequest).requests : undefined;
      const exchange: RecordedExchange = { request, items, startedAt: Date.now(), finishedAt: undefined };
      exchanges.push(exchange);
      if (latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, latencyMs));
      exchange.finishedAt = Date.now();
      return answer(request, items);
    },
    close: async () => undefined,
  };
}

/** What the HTTP layer hands on: header names in lower case (items of an envelope keep Graph's). */
function lowerCased(headers: Record<string, string> = {}): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
}

export const ok = (body: unknown = {}): ItemReply => ({ status: 200, body });
export const throttled = (retryAfterSeconds: number): ItemReply => ({
  status: 429,
  headers: { 'Retry-After': String(retryAfterSeconds) },
  body: { error: { code: 'TooManyRequests', message: 'Please retry again later.' } },
});

import { randomUUID } from 'node:crypto';
import type { GraphHttpMethod } from '../dto.js';
import { GraphRequestError } from '../errors.js';
import type { OperationScope } from '../../resilience/operation.js';
import type { GraphPath } from '../url.js';

/**
 * One Graph call on its way through the `$batch` scheduler: what was asked ({@link GraphRequestSpec}), what comes back
 * ({@link GraphResult}), and the scheduler's record of it between attempts ({@link PendingCall}). A call settles here
 * and only here, which is also where a write is recorded on its operation for the audit log, with its final answer.
 */

export interface GraphRequestSpec {
  method: GraphHttpMethod;
  /** Relative to the version root, built by `url.ts`. */
  path: GraphPath;
  /** JSON body (POST, PATCH). */
  body?: unknown;
  /**
   * Whether repeating the call after an ambiguous failure (timeout, reset, 502/504) is harmless.
   * Default: true for GET only. `restorePoints/search` is a POST that only reads.
   */
  idempotent?: boolean;
  /** The GraphQL operation this call is made for: its deadline, call cap and caller quota apply, and its writes are recorded. */
  operation?: OperationScope | undefined;
  /**
   * Sent in place of a call Graph refused for a query option it does not allow (`capabilities.ts`): the operation
   * counted that call, so this one spends neither its call cap nor the caller's quota.
   */
  replacesRefused?: boolean;
}

export interface GraphResult<T = unknown> {
  status: number;
  /** Lower-cased names. */
  headers: Record<string, string>;
  body: T;
  /** Graph's `request-id` of the (last) attempt. */
  requestId: string | undefined;
  /** The `client-request-id` the gateway sent, the same on every attempt. */
  clientRequestId: string;
}

/** Whoever waits for a call: identical GETs of one tick share a call, each with its own operation. */
export interface Waiter {
  resolve(result: GraphResult): void;
  reject(error: unknown): void;
  operation: OperationScope | undefined;
}

export interface PendingCall {
  spec: Omit<GraphRequestSpec, 'operation'>;
  /** Set for GETs: the identity used to coalesce duplicates. */
  key: string | undefined;
  waiters: Waiter[];
  attempts: number;
  idempotent: boolean;
  clientRequestId: string;
  /** The breaker let the current attempt through as a half-open probe. */
  probe: boolean;
}

export function pendingCall({ operation, ...spec }: GraphRequestSpec, waiter: Omit<Waiter, 'operation'>): PendingCall {
  const isGet = spec.method === 'GET';
  return {
    spec,
    key: isGet ? `GET ${spec.path} ${spec.body === undefined ? '' : JSON.stringify(spec.body)}` : undefined,
    waiters: [{ ...waiter, operation }],
    attempts: 0,
    idempotent: spec.idempotent ?? isGet,
    clientRequestId: randomUUID(),
    probe: false,
  };
}

/** Hands Graph's 2xx answer to every waiter. */
export function resolveCall(call: PendingCall, result: GraphResult): void {
  for (const w of call.waiters) {
    recordWrite(call, w, result.status, result.requestId);
    w.resolve(result);
  }
}

/** Fails every waiter with `error`. */
export function failCall(call: PendingCall, error: unknown): void {
  releaseWaiters(
    call,
    () => true,
    () => error,
  );
}

/**
 * Fails the waiters `gone` picks (each with `errorFor(w)`) and keeps the others; true when some are left to send for.
 * Used for waiters whose operation's deadline has passed, or would pass before a retry is due.
 */
export function releaseWaiters(call: PendingCall, gone: (w: Waiter) => boolean, errorFor: (w: Waiter) => unknown): boolean {
  const kept: Waiter[] = [];
  for (const w of call.waiters) {
    if (!gone(w)) {
      kept.push(w);
      continue;
    }
    const error = errorFor(w);
    recordWrite(
      call,
      w,
      error instanceof GraphRequestError ? error.status : 0,
      error instanceof GraphRequestError ? error.requestId : undefined,
    );
    w.reject(error);
  }
  call.waiters = kept;
  return kept.length > 0;
}

/** Writes are recorded on their operation (for the audit log) with their final answer; 0 when none came. */
function recordWrite(call: PendingCall, w: Waiter, status: number, requestId: string | undefined): void {
  if (call.spec.method === 'GET' || call.idempotent) return;
  w.operation?.recordWrite({
    method: call.spec.method,
    path: call.spec.path,
    status,
    requestId: requestId ?? null,
    clientRequestId: call.clientRequestId,
    attempts: call.attempts,
  });
}

/** Whether a waiter's operation must be over by `time` (a deadline at or before it). */
export function dueBy(w: Waiter, time: number): boolean {
  const deadline = w.operation?.deadline;
  return deadline !== undefined && deadline <= time;
}

/** The time one exchange may take: undefined (GRAPH_TIMEOUT_MS) unless every waiter has a deadline, then up to the latest. */
export function exchangeTimeout(calls: readonly PendingCall[], now: number): number | undefined {
  let latest = 0;
  for (const call of calls) {
    for (const w of call.waiters) {
      const deadline = w.operation?.deadline;
      if (deadline === undefined) return undefined;
      latest = Math.max(latest, deadline);
    }
  }
  return Math.max(1, latest - now);
}

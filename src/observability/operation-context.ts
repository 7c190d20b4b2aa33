import { AsyncLocalStorage } from 'node:async_hooks';
import type { Span } from '@opentelemetry/api';

/**
 * What is known about the GraphQL operation being answered, wherever its code runs: the HTTP middleware
 * opens a record per request and runs the rest of the request inside it (AsyncLocalStorage), so the
 * Graph client's hooks, which run in the async context of the resolver or loader that asked, add their
 * calls and Graph's request ids to the operation that caused them; the Apollo plugin adds the
 * operation's name, type and errors; the middleware writes the one log line when the answer is sent.
 */

/** Graph request ids kept per operation for its log line; more are counted, not listed. */
export const MAX_REQUEST_IDS = 20;

export interface OperationRecord {
  readonly requestId: string;
  readonly correlationId: string;
  readonly transport: 'http' | 'websocket';
  /** `performance.now()` at the start. */
  readonly startedAt: number;
  /** The operation's span when tracing is on. */
  readonly span: Span | undefined;
  operationName: string | undefined;
  operationType: string | undefined;
  /** Set by the Apollo plugin from the answer; undefined when Apollo never ran (a refused caller, a bad body). */
  outcome: 'ok' | 'partial' | 'error' | undefined;
  errorCodes: Set<string>;
  graphCalls: number;
  graphFailures: number;
  graphRetries: number;
  graphThrottled: number;
  graphRequestIds: string[];
  /** Request ids beyond {@link MAX_REQUEST_IDS}. */
  graphRequestIdsOmitted: number;
  /** The answer went out: later work in this async context (a timer it started) belongs to no operation. */
  done: boolean;
}

const storage = new AsyncLocalStorage<OperationRecord>();

export function newOperationRecord(init: Pick<OperationRecord, 'requestId' | 'correlationId' | 'transport' | 'span'>): OperationRecord {
  return {
    ...init,
    startedAt: performance.now(),
    operationName: undefined,
    operationType: undefined,
    outcome: undefined,
    errorCodes: new Set(),
    graphCalls: 0,
    graphFailures: 0,
    graphRetries: 0,
    graphThrottled: 0,
    graphRequestIds: [],
    graphRequestIdsOmitted: 0,
    done: false,
  };
}

/** The operation whose code is running now, if any (pollers and start-up work run outside any). */
export function currentOperation(): OperationRecord | undefined {
  const record = storage.getStore();
  return record?.done ? undefined : record;
}

/**
 * Whether this code runs in the async context of an operation that has already been answered: a timer
 * an operation happened to start (a poller woken by a mutation) keeps that context, and its work must not
 * be counted for, or traced under, an operation long gone.
 */
export function afterOperation(): boolean {
  return storage.getStore()?.done === true;
}

export function runInOperation<T>(record: OperationRecord, fn: () => T): T {
  return storage.run(record, fn);
}

export function addGraphRequestId(record: OperationRecord, requestId: string | undefined): void {
  if (requestId === undefined || requestId === '') return;
  if (record.graphRequestIds.length < MAX_REQUEST_IDS) record.graphRequestIds.push(requestId);
  else record.graphRequestIdsOmitted++;
}

import type { CallerQuota } from './caller-quota.js';
import type { GraphHttpMethod } from '../graph/dto.js';

/**
 * What one GraphQL operation may spend on Graph, and what it did there: a deadline (a retry that would
 * wait past it is not made, a call still queued when it passes is not sent), a cap on the Graph calls it
 * may ask for, its caller's rate limit, and the record of its writes (for the audit log). The context
 * makes one per operation and binds it to the operation's Graph client (`GraphClient.withOperation`);
 * everything below checks it.
 */

export interface GraphCallRecord {
  method: GraphHttpMethod;
  /** Relative to the version root. */
  path: string;
  /** Graph's answer; 0 when none came (dropped, timed out, or never sent). */
  status: number;
  requestId: string | null;
  clientRequestId: string;
  /** Attempts made (1 + retries). */
  attempts: number;
}

export interface OperationScope {
  /** Epoch ms after which nothing more is sent for this operation; undefined: no deadline. */
  readonly deadline: number | undefined;
  /** Graph calls asked for so far (first attempts; retries are bounded by the retry budget). */
  readonly calls: number;
  /** Every write (anything but a read) and its final answer, in order. */
  readonly writes: readonly GraphCallRecord[];
  /**
   * Asks for one more Graph call: throws (or rejects) with GraphDeadlineError, GraphCallCapError or
   * CallerRateLimitedError when it may not be made. Returns a promise only when the caller's quota must
   * be asked, so that calls of one tick still share a `$batch`. A `replacement` (sent in place of a call Graph
   * refused for a query option) meets the deadline only: the call it replaces was counted and spent the quota.
   */
  admit(replacement?: boolean): Promise<void> | undefined;
  recordWrite(record: GraphCallRecord): void;
  /** Milliseconds left before the deadline (Infinity without one). */
  remainingMs(): number;
}

/** The GraphQL operation's deadline passed before the call could be (re)sent, or a Retry-After would outlast it. */
export class GraphDeadlineError extends Error {
  override readonly name = 'GraphDeadlineError';
  constructor(readonly deadlineMs: number) {
    super('Microsoft Graph did not answer within the time allowed for this operation; try again later.');
  }
}

/** The operation asked for more Graph calls than one operation may make (GRAPH_MAX_CALLS_PER_OPERATION). */
export class GraphCallCapError extends Error {
  override readonly name = 'GraphCallCapError';
  constructor(readonly limit: number) {
    super(`This operation needs more than ${limit} Microsoft Graph calls; ask for fewer items (a smaller \`first\`) or split it.`);
  }
}

/** The caller used up their share of Graph calls (CALLER_RATE_LIMIT_*): the call was not sent. */
export class CallerRateLimitedError extends Error {
  override readonly name = 'CallerRateLimitedError';
  constructor(readonly retryAfterMs: number) {
    super(`Too many Microsoft Graph calls for this caller; try again in ${Math.max(1, Math.ceil(retryAfterMs / 1000))} s.`);
  }
}

export interface OperationScopeOptions {
  /** GRAPH_OPERATION_DEADLINE_MS; undefined: none. */
  deadlineMs?: number | undefined;
  /** GRAPH_MAX_CALLS_PER_OPERATION; undefined: none. */
  maxCalls?: number | undefined;
  /** Whose quota the calls spend, and the quota; both or neither. */
  callerKey?: string | undefined;
  quota?: CallerQuota | undefined;
  now?: () => number;
}

export function createOperationScope({
  deadlineMs,
  maxCalls,
  callerKey,
  quota,
  now = Date.now,
}: OperationScopeOptions = {}): OperationScope {
  const deadline = deadlineMs === undefined ? undefined : now() + deadlineMs;
  const writes: GraphCallRecord[] = [];
  let calls = 0;
  return {
    deadline,
    get calls() {
      return calls;
    },
    writes,
    admit(replacement = false) {
      if (deadline !== undefined && now() >= deadline) throw new GraphDeadlineError(deadlineMs ?? 0);
      if (replacement) return undefined;
      if (maxCalls !== undefined && calls >= maxCalls) throw new GraphCallCapError(maxCalls);
      calls++;
      if (!quota || callerKey === undefined) return undefined;
      return quota.consume(callerKey).then((answer) => {
        if (!answer.ok) throw new CallerRateLimitedError(answer.retryAfterMs);
      });
    },
    recordWrite(record) {
      // A runaway mutation document cannot grow this without bound: the call cap stops it first.
      writes.push(record);
    },
    remainingMs() {
      return deadline === undefined ? Infinity : deadline - now();
    },
  };
}

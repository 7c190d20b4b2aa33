import { CallerRateLimitedError, GraphCallCapError, GraphDeadlineError } from '../graph/errors.js';
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
   * be asked, so that calls of one tick still share a `$batch`.
   */
  admit(): Promise<void> | undefined;
  recordWrite(record: GraphCallRecord): void;
  /** Milliseconds left before the deadline (Infinity without one). */
  remainingMs(): number;
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

export function createOperationScope(options: OperationScopeOptions = {}): OperationScope {
  const now = options.now ?? Date.now;
  const deadline = options.deadlineMs === undefined ? undefined : now() + options.deadlineMs;
  const writes: GraphCallRecord[] = [];
  const { quota, callerKey } = options;
  let calls = 0;
  return {
    deadline,
    get calls() {
      return calls;
    },
    writes,
    admit() {
      if (deadline !== undefined && now() >= deadline) throw new GraphDeadlineError(options.deadlineMs ?? 0);
      if (options.maxCalls !== undefined && calls >= options.maxCalls) throw new GraphCallCapError(options.maxCalls);
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

import type { GraphHttpMethod } from './dto.js';
import type { AttemptOutcome } from './retry.js';

/**
 * What the Graph client tells whoever watches it (metrics, traces, the per-operation log line), through
 * three hooks the `$batch` scheduler calls. The graph layer knows nothing of Prometheus or OpenTelemetry:
 * `src/observability/` implements this interface; without an observer nothing is called.
 *
 * - `call` runs synchronously in the async context of whoever asked (a resolver, a loader's batch, a
 *   poller), so an implementation can attribute the call to that operation and parent its span there.
 * - `exchange` is one upstream HTTP request: a lone call, or a `$batch` envelope of `items` calls.
 * - `retry` is a call about to be repeated after `outcome` (a throttle, a 5xx, a lost connection).
 */

export interface GraphCallInfo {
  method: GraphHttpMethod;
  /** Relative to the version root; ids are encoded, never a token. */
  path: string;
}

export interface GraphCallEnd {
  /** Graph's status; 0 when no answer came (transport failure, open circuit, deadline, closed client). */
  status: number;
  /** Graph's `request-id` of the last attempt, when Graph answered. */
  requestId: string | undefined;
  clientRequestId: string | undefined;
  /** The failure, when the call failed. */
  error?: unknown;
}

export interface GraphCallObservation {
  end(outcome: GraphCallEnd): void;
}

export interface GraphExchangeInfo {
  /** A `$batch` envelope, or a lone request. */
  batch: boolean;
  /** Calls this exchange carries (1 for a lone request). */
  items: number;
  method: GraphHttpMethod;
  path: string;
  clientRequestId: string;
}

export interface GraphExchangeEnd {
  /** The HTTP status; 0 when the connection failed. */
  status: number;
  requestId: string | undefined;
  error?: unknown;
}

export interface GraphExchangeObservation {
  end(outcome: GraphExchangeEnd): void;
}

export interface GraphObserver {
  call(info: GraphCallInfo): GraphCallObservation | undefined;
  exchange(info: GraphExchangeInfo): GraphExchangeObservation | undefined;
  retry(outcome: AttemptOutcome, delayMs: number): void;
}

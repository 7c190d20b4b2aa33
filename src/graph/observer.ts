import type { GraphHttpMethod } from './dto.js';
import { GraphRequestError } from './errors.js';
import type { GraphHttp } from './http.js';
import type { AttemptOutcome } from '../resilience/retry-policy.js';
import { graphPaths } from './url.js';

/**
 * What the Graph client tells whoever watches it (metrics, traces, the per-operation log line), through
 * three hooks the `$batch` scheduler calls. The graph layer knows nothing of Prometheus or OpenTelemetry:
 * `src/observability/` implements this interface; without an observer nothing is called.
 *
 * - `call` runs synchronously in the async context of whoever asked (a resolver, a loader's batch, a
 *   poller), so an implementation can attribute the call to that operation and parent its span there.
 * - `exchange` is one upstream HTTP request: a lone call, or a `$batch` envelope of `items` calls.
 * - `retry` is a call about to be repeated after `outcome` (a throttle, a 5xx, a lost connection).
 *
 * Hooks run inside the scheduler's bookkeeping and must not throw; one that does fails the calls being
 * sent at the time with its error (`batch/scheduler.ts`).
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

/**
 * The scheduler's `fetch` callbacks, reporting the call's start now (in the caller's async context) and
 * its end when it settles. Without an observer they are returned as they are.
 */
export function observeCall<R extends { status: number; requestId: string | undefined; clientRequestId: string }>(
  observer: GraphObserver | undefined,
  info: GraphCallInfo,
  resolve: (result: R) => void,
  reject: (error: unknown) => void,
): [(result: R) => void, (error: unknown) => void] {
  const observation = observer?.call({ method: info.method, path: info.path });
  if (!observation) return [resolve, reject];
  return [
    (result) => {
      observation.end({ status: result.status, requestId: result.requestId, clientRequestId: result.clientRequestId });
      resolve(result);
    },
    (error) => {
      const e = error as { status?: unknown; requestId?: unknown; clientRequestId?: unknown };
      observation.end({
        status: error instanceof GraphRequestError ? error.status : 0,
        requestId: typeof e?.requestId === 'string' ? e.requestId : undefined,
        clientRequestId: typeof e?.clientRequestId === 'string' ? e.clientRequestId : undefined,
        error,
      });
      reject(error);
    },
  ];
}

/** The HTTP layer with each exchange reported: a `$batch` envelope with its item count, or a lone request. */
export function observeHttp(http: GraphHttp, observer: GraphObserver | undefined): GraphHttp {
  if (!observer) return http;
  const batchPath = graphPaths.batch();
  return {
    get baseUrl() {
      return http.baseUrl;
    },
    async send(request) {
      const batch = request.path === batchPath;
      const requests = batch ? (request.body as { requests?: unknown } | undefined)?.requests : undefined;
      const observation = observer.exchange({
        batch,
        items: Array.isArray(requests) ? requests.length : 1,
        method: request.method,
        path: request.path,
        clientRequestId: request.clientRequestId,
      });
      try {
        const response = await http.send(request);
        observation?.end({ status: response.status, requestId: response.headers['request-id'] });
        return response;
      } catch (error) {
        observation?.end({ status: 0, requestId: undefined, error });
        throw error;
      }
    },
    close: () => http.close(),
  };
}

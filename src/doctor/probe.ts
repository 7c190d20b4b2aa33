import { randomUUID } from 'node:crypto';
import type { AccessToken } from '../auth/types.js';
import type { GraphHttpMethod } from '../graph/dto.js';
import { GraphTransportError } from '../graph/errors.js';
import { graphRequestError, type GraphHttp, type GraphHttpResponse } from '../graph/http.js';
import type { GraphPath } from '../graph/url.js';
import type { CheckOutcome } from './results.js';

/**
 * One direct request to Graph and what its answer says about a capability. Straight through the HTTP layer, as the
 * readiness probe does: no retries, no `$batch` scheduler, no breaker, so each answer is Graph's own, with its request
 * id. Every request here is an exact one the doctor built; nothing of a caller's goes into them.
 */

export interface ProbeRequest {
  method: GraphHttpMethod;
  path: GraphPath;
  body?: unknown;
}

export interface ProbeAnswer {
  /** Undefined when no answer came (the outcome then says why). */
  response: GraphHttpResponse | undefined;
  outcome: CheckOutcome;
}

export interface Probe {
  /**
   * Sends `request` and classifies the answer: 2xx `works`; a 400 whose message names one of `options` as not allowed
   * `refused`; anything else `failed`, with Graph's error code.
   */
  send(request: ProbeRequest, options?: readonly string[]): Promise<ProbeAnswer>;
}

export function createProbe(http: GraphHttp, token: AccessToken, timeoutMs: number): Probe {
  return {
    async send(request, options = []) {
      let response: GraphHttpResponse;
      try {
        response = await http.send({ ...request, token, clientRequestId: randomUUID(), timeoutMs });
      } catch (err) {
        const reason = err instanceof GraphTransportError ? `no answer (${err.reason})` : 'no answer (not JSON)';
        return { response: undefined, outcome: { result: 'failed', status: null, requestId: null, detail: reason } };
      }
      return { response, outcome: classify(response.status, response.headers, response.body, options) };
    },
  };
}

/** OData's validator: "Query option 'Top' is not allowed." (the emulator's strict profile words it the same). */
const NOT_ALLOWED = /Query option '([A-Za-z]+)' is not allowed/;

/** Classifies one answer (a top-level one, or a `$batch` item's). */
export function classify(status: number, headers: Record<string, string>, body: unknown, options: readonly string[] = []): CheckOutcome {
  const error = status >= 400 ? graphRequestError(status, headers, body, undefined) : undefined;
  const requestId = error?.requestId ?? headers['request-id'] ?? null;
  if (status >= 200 && status < 300) return { result: 'works', status, requestId };
  const named = NOT_ALLOWED.exec(error?.message ?? '')?.[1];
  const probed = options.map((o) => o.replace(/^\$/, '').toLowerCase());
  if (status === 400 && named !== undefined && probed.includes(named.toLowerCase())) {
    return { result: 'refused', status, requestId, detail: `Query option '${named}' is not allowed` };
  }
  return { result: 'failed', status, requestId, detail: failureDetail(error?.code ?? `HttpStatus${status}`, error?.message) };
}

/** Graph's code and the start of its message, on one printable line. */
function failureDetail(code: string, message: string | undefined): string {
  const text = (message ?? '').replace(/\p{Cc}+/gu, ' ').trim();
  return text === '' ? code : `${code}: ${text.length > 160 ? `${text.slice(0, 160)}…` : text}`;
}

export const skipped = (why: string): CheckOutcome => ({ result: 'skipped', status: null, requestId: null, detail: why });

/** The `id` of the first item of a collection answer, if any. */
export function firstId(response: GraphHttpResponse | undefined): string | undefined {
  const value = (response?.body as { value?: unknown } | undefined)?.value;
  const first: unknown = Array.isArray(value) ? value[0] : undefined;
  const id = typeof first === 'object' && first !== null ? (first as { id?: unknown }).id : undefined;
  return typeof id === 'string' && id !== '' ? id : undefined;
}

/** The `@odata.nextLink` of a collection answer, if any. */
export function nextLinkOf(response: GraphHttpResponse | undefined): string | undefined {
  const link = (response?.body as Record<string, unknown> | undefined)?.['@odata.nextLink'];
  return typeof link === 'string' && link !== '' ? link : undefined;
}

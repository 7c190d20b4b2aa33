import { Agent, type Dispatcher } from 'undici';
import type { AccessToken } from '../auth/types.js';
import type { GraphHttpMethod } from './dto.js';
import { GraphProtocolError, GraphRequestError, GraphTransportError, type TransportFailure } from './errors.js';
import { parseRetryAfter } from '../resilience/retry-policy.js';
import type { GraphPath } from './url.js';
import { trustedConnect } from '../tls-trust.js';

/**
 * One HTTP exchange with Graph: keep-alive connections (undici 7) trusting the configured CA,
 * the headers every call carries (`Authorization`, a `client-request-id`, `Prefer:
 * include-unknown-enum-members`), JSON in and out, and Graph's error envelope read into a
 * {@link GraphRequestError}. No retries and no batching here: that is the scheduler's job.
 * This is the one place in the gateway that writes `Bearer ` in front of a token.
 */

export const PREFER_UNKNOWN_ENUM_MEMBERS = 'include-unknown-enum-members';

export interface GraphHttpOptions {
  /** Graph's base URL with its version (`https://graph.microsoft.com/beta`). */
  baseUrl: string;
  /** Extra trusted CA certificates (PEM), added to Node's bundled roots, e.g. the emulator's CA. */
  ca?: readonly string[] | undefined;
  /** Time allowed for the answer's headers, and again for its body (GRAPH_TIMEOUT_MS). Default 30 s. */
  timeoutMs?: number | undefined;
}

export interface GraphHttpRequest {
  method: GraphHttpMethod;
  /** Relative to the version root, e.g. `/solutions/backupRestore/restoreSessions`. */
  path: GraphPath;
  /** The Graph token, without a scheme: `Bearer ` is written here. */
  token: AccessToken;
  clientRequestId: string;
  body?: unknown;
  /** Less time than GRAPH_TIMEOUT_MS for this exchange (the operation's deadline is nearer). */
  timeoutMs?: number | undefined;
}

export interface GraphHttpResponse {
  status: number;
  /** Lower-cased names. */
  headers: Record<string, string>;
  /** Parsed JSON, or undefined for an empty body. */
  body: unknown;
}

export interface GraphHttp {
  /** The base URL, normalized without a trailing slash. */
  readonly baseUrl: string;
  /** Sends one request; resolves with any HTTP status, rejects only with a {@link GraphTransportError} or {@link GraphProtocolError}. */
  send(request: GraphHttpRequest): Promise<GraphHttpResponse>;
  close(): Promise<void>;
}

export function createGraphHttp({ baseUrl, ca, timeoutMs = 30_000 }: GraphHttpOptions): GraphHttp {
  const base = new URL(baseUrl);
  const basePath = base.pathname.replace(/\/+$/, '');
  const origin = base.origin;
  const agent = new Agent({ keepAliveTimeout: 30_000, connect: { ...trustedConnect(ca), timeout: Math.min(timeoutMs, 10_000) } });

  return {
    baseUrl: `${origin}${basePath}`,
    async send(req: GraphHttpRequest): Promise<GraphHttpResponse> {
      const headers: Record<string, string> = {
        authorization: `Bearer ${req.token}`,
        'client-request-id': req.clientRequestId,
        prefer: PREFER_UNKNOWN_ENUM_MEMBERS,
        accept: 'application/json',
      };
      let body: string | undefined;
      if (req.body !== undefined) {
        body = JSON.stringify(req.body);
        headers['content-type'] = 'application/json';
      }
      let res: Dispatcher.ResponseData;
      let text: string;
      const exchangeTimeoutMs = req.timeoutMs !== undefined ? Math.max(1, Math.min(timeoutMs, req.timeoutMs)) : timeoutMs;
      try {
        // origin + path (not a URL string): undici sends the path as built, without resolving dot segments.
        res = await agent.request({
          origin,
          path: `${basePath}${req.path}`,
          method: req.method,
          headers,
          body,
          headersTimeout: exchangeTimeoutMs,
          bodyTimeout: exchangeTimeoutMs,
        });
        text = await res.body.text();
      } catch (err) {
        throw transportError(err, req.clientRequestId);
      }
      const outHeaders = flattenHeaders(res.headers);
      return { status: res.statusCode, headers: outHeaders, body: parseJson(text, res.statusCode, outHeaders, req.clientRequestId) };
    },
    close: () => agent.close(),
  };
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

function parseJson(text: string, status: number, headers: Record<string, string>, clientRequestId: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // An error status with an HTML page (a proxy, a load balancer) is still that error status.
    if (status >= 400) return undefined;
    throw new GraphProtocolError('Microsoft Graph answered with a body that is not JSON.', headers['request-id'], clientRequestId);
  }
}

const REFUSED = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);
const DNS = new Set(['ENOTFOUND', 'EAI_AGAIN']);
const TIMEOUT = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT']);
const TLS = /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_|ERR_TLS/;

/** Classifies a network failure; `notSent` only when the request certainly never reached Graph. */
export function transportError(err: unknown, clientRequestId: string | undefined): GraphTransportError {
  if (err instanceof GraphTransportError) return err;
  const code = errorCode(err);
  let reason: TransportFailure = 'other';
  let notSent = false;
  if (REFUSED.has(code)) {
    reason = 'refused';
    notSent = true;
  } else if (DNS.has(code)) {
    reason = 'dns';
    notSent = true;
  } else if (TIMEOUT.has(code)) {
    reason = 'timeout';
  } else if (TLS.test(code)) {
    reason = 'tls';
    notSent = true;
  } else if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'UND_ERR_SOCKET' || code === 'UND_ERR_CLOSED') {
    reason = 'reset';
  }
  return new GraphTransportError(reason, notSent, clientRequestId, { cause: err });
}

function errorCode(err: unknown): string {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 4; e = e.cause, depth++) {
    const code = (e as NodeJS.ErrnoException).code;
    if (typeof code === 'string' && code !== '' && code !== 'UND_ERR') {
      // undici reports a failed connect as UND_ERR_SOCKET with the real errno as its cause.
      if (code === 'UND_ERR_SOCKET' && e.cause instanceof Error && (e.cause as NodeJS.ErrnoException).code) continue;
      return code;
    }
  }
  return '';
}

interface GraphErrorBody {
  error?: {
    code?: unknown;
    message?: unknown;
    innerError?: Record<string, unknown>;
    innererror?: Record<string, unknown>;
  };
}

/** Reads Graph's error envelope (top level or a `$batch` item) into a {@link GraphRequestError}. */
export function graphRequestError(
  status: number,
  headers: Record<string, string>,
  body: unknown,
  clientRequestId: string | undefined,
): GraphRequestError {
  const error = typeof body === 'object' && body !== null ? (body as GraphErrorBody).error : undefined;
  const inner = error?.innerError ?? error?.innererror;
  const innerRequestId = inner?.['request-id'] ?? inner?.['requestId'];
  const code = typeof error?.code === 'string' && error.code !== '' ? error.code : `HttpStatus${status}`;
  return new GraphRequestError({
    status,
    code,
    message: typeof error?.message === 'string' ? error.message : '',
    requestId: headers['request-id'] ?? (typeof innerRequestId === 'string' ? innerRequestId : undefined),
    clientRequestId: clientRequestId ?? headers['client-request-id'],
    retryAfterMs: parseRetryAfter(headers['retry-after']),
  });
}

/** Lower-cases the header names of a `$batch` item answer (Graph writes `Retry-After`, `Content-Type`). */
export function lowerCaseHeaders(headers: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (typeof headers !== 'object' || headers === null) return out;
  for (const [name, value] of Object.entries(headers as Record<string, unknown>)) {
    if (typeof value === 'string') out[name.toLowerCase()] = value;
    else if (typeof value === 'number') out[name.toLowerCase()] = String(value);
  }
  return out;
}

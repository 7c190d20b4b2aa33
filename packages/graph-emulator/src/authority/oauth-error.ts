import { randomUUID } from 'node:crypto';
import type { AuthorityResponse } from './authority.js';

/**
 * An OAuth error as Entra ID's token endpoint answers it. msal-node turns `error`, `suberror` and `error_codes`
 * into its `ServerError` / `InteractionRequiredAuthError`, so these fields are what a client branches on.
 */
export class OAuthError extends Error {
  constructor(
    readonly status: 400 | 401 | 405,
    readonly error: string,
    /** The AADSTS number, e.g. 7000215. */
    readonly code: number,
    readonly description: string,
    readonly extra: { suberror?: string; claims?: string } = {},
  ) {
    super(`AADSTS${code}: ${description}`);
    this.name = 'OAuthError';
  }
}

export const invalidRequest = (code: number, description: string): OAuthError => new OAuthError(400, 'invalid_request', code, description);
export const invalidClient = (code: number, description: string): OAuthError => new OAuthError(401, 'invalid_client', code, description);
export const invalidGrant = (code: number, description: string, extra: { suberror?: string } = {}): OAuthError =>
  new OAuthError(400, 'invalid_grant', code, description, extra);
export const invalidScope = (code: number, description: string): OAuthError => new OAuthError(400, 'invalid_scope', code, description);
export const missingParameter = (name: string): OAuthError =>
  invalidRequest(900144, `The request body must contain the following parameter: '${name}'.`);

/** Entra's timestamp format: `2024-05-01 10:00:00Z`. */
function entraTimestamp(now: Date): string {
  return `${now.toISOString().slice(0, 19).replace('T', ' ')}Z`;
}

/** Headers every authority answer carries: tokens and errors must never be cached by a proxy. */
export function noStoreHeaders(traceId: string, correlationId: string): Record<string, string> {
  return {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store, no-cache',
    pragma: 'no-cache',
    'x-ms-request-id': traceId,
    'client-request-id': correlationId,
  };
}

/**
 * Entra's error body: `{error, error_description, error_codes, timestamp, trace_id, correlation_id, error_uri}`,
 * the description carrying the AADSTS code and the trace, correlation and timestamp lines as Entra writes them.
 */
export function oauthErrorResponse(err: OAuthError, correlationId: string | undefined, now: Date = new Date()): AuthorityResponse {
  const traceId = randomUUID();
  const correlation = correlationId ?? randomUUID();
  const timestamp = entraTimestamp(now);
  const body: Record<string, unknown> = {
    error: err.error,
    error_description: `AADSTS${err.code}: ${err.description} Trace ID: ${traceId} Correlation ID: ${correlation} Timestamp: ${timestamp}`,
    error_codes: [err.code],
    timestamp,
    trace_id: traceId,
    correlation_id: correlation,
    error_uri: `https://login.microsoftonline.com/error?code=${err.code}`,
  };
  if (err.extra.suberror) body.suberror = err.extra.suberror;
  if (err.extra.claims) body.claims = err.extra.claims;
  return { status: err.status, headers: noStoreHeaders(traceId, correlation), body };
}

import { GraphQLError } from 'graphql';

/**
 * Why a caller could not be admitted, and how each reason answers over HTTP (GraphQL over HTTP: 401 when no operation
 * can run for lack of a valid token, with `WWW-Authenticate: Bearer` as RFC 6750 asks) and over WebSocket (close codes
 * 4401 / 4403). Messages say which check failed, never the token or its claims.
 */

export type CallerRefusal =
  'missing' | 'malformed' | 'expired' | 'not_yet_valid' | 'audience' | 'issuer' | 'tenant' | 'signature' | 'algorithm' | 'claims';

const MESSAGES: Record<CallerRefusal, string> = {
  missing:
    'This operation needs a caller token: send an Authorization header "Bearer <token>" with a Microsoft Entra ID access token for the gateway\'s API.',
  malformed: 'The Authorization header does not hold a well-formed bearer token (a JWT).',
  expired: 'The bearer token has expired; get a new one.',
  not_yet_valid: 'The bearer token is not valid yet (its nbf is in the future).',
  audience: "The bearer token is for another audience; request a token for the gateway's API.",
  issuer: "The bearer token was not issued by the gateway's Microsoft Entra ID tenant.",
  tenant: "The bearer token belongs to another tenant than the gateway's.",
  signature: 'The bearer token is not signed by a key of the token authority.',
  algorithm: 'The bearer token is not signed with RS256.',
  claims: 'The bearer token lacks a claim the gateway needs (oid, tid, or the client id).',
};

/** The caller's token is missing or invalid: UNAUTHENTICATED, HTTP 401, WebSocket 4401. */
export class CallerAuthenticationError extends Error {
  override readonly name = 'CallerAuthenticationError';
  readonly code = 'UNAUTHENTICATED';
  constructor(
    readonly reason: CallerRefusal,
    message: string = MESSAGES[reason],
  ) {
    super(message);
  }
}

/** The token is valid but grants nothing on the gateway's API: FORBIDDEN, HTTP 403, WebSocket 4403. */
export class CallerForbiddenError extends Error {
  override readonly name = 'CallerForbiddenError';
  readonly code = 'FORBIDDEN';
}

/** The authority's metadata or keys could not be fetched: UPSTREAM_UNAVAILABLE, HTTP 503. */
export class AuthorityUnavailableError extends Error {
  override readonly name = 'AuthorityUnavailableError';
  readonly code = 'UPSTREAM_UNAVAILABLE';
  constructor(options?: { cause?: unknown }) {
    super('The token authority could not be reached to check the caller token; try again later.', options);
  }
}

/** `promise`, with any failure to reach the authority reported to callers as {@link AuthorityUnavailableError}. */
export async function unavailableOnFailure<T>(promise: Promise<T>): Promise<T> {
  try {
    return await promise;
  } catch (err) {
    throw new AuthorityUnavailableError({ cause: err });
  }
}

export type CallerAdmissionError = CallerAuthenticationError | CallerForbiddenError | AuthorityUnavailableError;

export function isCallerAdmissionError(err: unknown): err is CallerAdmissionError {
  return err instanceof CallerAuthenticationError || err instanceof CallerForbiddenError || err instanceof AuthorityUnavailableError;
}

const REALM = 'restore-session-gateway';

/** `WWW-Authenticate` for a refusal: a bare challenge without a token, `invalid_token` with a bad one. */
export function wwwAuthenticate(err: CallerAuthenticationError): string {
  if (err.reason === 'missing') return `Bearer realm="${REALM}"`;
  const description = err.message.replace(/["\\]/g, "'").replace(/[^\x20-\x7e]/g, '');
  return `Bearer realm="${REALM}", error="invalid_token", error_description="${description}"`;
}

/**
 * The request-level GraphQL error for a refused caller. `extensions.http` sets Apollo Server's status and headers;
 * it is removed before the error is formatted for the client.
 */
export function callerAdmissionGraphQLError(err: CallerAdmissionError): GraphQLError {
  if (err instanceof CallerAuthenticationError) {
    return new GraphQLError(err.message, {
      extensions: { code: err.code, http: { status: 401, headers: new Map([['www-authenticate', wwwAuthenticate(err)]]) } },
      originalError: err,
    });
  }
  if (err instanceof CallerForbiddenError) {
    return new GraphQLError(err.message, {
      extensions: {
        code: err.code,
        http: { status: 403, headers: new Map([['www-authenticate', `Bearer realm="${REALM}", error="insufficient_scope"`]]) },
      },
      originalError: err,
    });
  }
  return new GraphQLError(err.message, {
    extensions: { code: err.code, http: { status: 503, headers: new Map([['retry-after', '5']]) } },
    originalError: err,
  });
}

/** The graphql-ws close code for a refused connection (docs/security.md): 4401 no or bad token, 4403 not allowed. */
export function closeCodeFor(err: CallerAdmissionError): 4401 | 4403 | 1013 {
  if (err instanceof CallerAuthenticationError) return 4401;
  if (err instanceof CallerForbiddenError) return 4403;
  // "Try again later": the token may be fine, the authority could not be asked.
  return 1013;
}

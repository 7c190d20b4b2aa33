/**
 * An access token as it travels inside the gateway: the raw JWT, never with its `Bearer ` scheme. A caller's token is
 * read out of its `Authorization` value once, at the edge (`bearerToken` in caller-token.ts); Graph tokens come from
 * msal-node; only the Graph HTTP layer (`src/graph/http.ts`) writes `Bearer ` in front of one. The brand keeps a header
 * value (or any other string) from being passed where a token is expected.
 */
export type AccessToken = string & { readonly __brand: 'AccessToken' };

/** Marks a raw token (no scheme) as an {@link AccessToken}: for msal-node's answers and the edge's token readers. */
export function accessToken(raw: string): AccessToken {
  return raw as AccessToken;
}

/**
 * The seam between the Graph client and whoever holds the credentials. The Graph client asks for a
 * token per upstream call and never knows whether it acts as the app (client credentials) or for a
 * caller (on-behalf-of): in OBO mode the context builds one provider per caller, so one caller's
 * token can never travel in another caller's `$batch`.
 */
export interface TokenProvider {
  /**
   * A bearer token for `https://graph.microsoft.com/.default`. Implementations cache (msal-node's
   * own cache does) so calling this for every upstream request is cheap. Rejects with a
   * {@link TokenAcquisitionError}.
   */
  getGraphToken(): Promise<AccessToken>;
}

/** What went wrong while getting a Graph token, in the gateway's error vocabulary. */
export type TokenFailureCode =
  /** The authority could not be reached, timed out or answered 5xx. */
  | 'UPSTREAM_UNAVAILABLE'
  /** The authority refused: missing consent, unknown permission (OBO). */
  | 'FORBIDDEN'
  /** The caller's own token was refused for the exchange (OBO: expired or wrong audience). */
  | 'UNAUTHENTICATED'
  /** The gateway's own credentials or configuration are wrong; nothing a caller can fix. */
  | 'INTERNAL_SERVER_ERROR';

/**
 * A token could not be obtained. `message` is written for clients and never holds a secret, an
 * assertion or an authority URL; `authorityCode` (e.g. `invalid_client`, `AADSTS7000215`) is for logs.
 */
export class TokenAcquisitionError extends Error {
  override readonly name = 'TokenAcquisitionError';
  constructor(
    readonly code: TokenFailureCode,
    message: string,
    readonly authorityCode?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The app's credential for client credentials: a secret, or a certificate whose key signs assertions. */
export type ClientCredential =
  | { kind: 'secret'; clientSecret: string }
  | {
      kind: 'certificate';
      /** PKCS#8 (or PKCS#1) PEM of the private key. */
      privateKey: string;
      /** SHA-256 thumbprint of the certificate, hex. */
      thumbprintSha256: string;
      /** PEM of the certificate (chain); sent as `x5c` for subject-name/issuer authentication. */
      x5c?: string;
    };

import type { Caller } from './caller.js';
import type { SeedUser } from '../model/seed.js';

/**
 * The emulator's Entra ID compatible token authority, served on the emulator's own HTTPS port under
 * `AZURE_AUTHORITY_HOST` (the emulator's origin): `/{tenant}/v2.0/.well-known/openid-configuration`,
 * `/{tenant}/discovery/v2.0/keys`, `/{tenant}/oauth2/v2.0/token`.
 */
export interface Authority {
  readonly tenantId: string;
  /** The gateway's app registration (what `npm run emulator` prints). */
  readonly clientId: string;
  readonly clientSecret: string;
  /** Fixed issuer of v2 tokens: `${origin}/${tenantId}/v2.0`. */
  readonly issuer: string;
  /**
   * Handles an authority request. Returns undefined when the path is not the authority's, so the server can answer
   * with Graph's 404 envelope instead.
   */
  handle(req: AuthorityRequest): Promise<AuthorityResponse | undefined>;
  /**
   * Validates the bearer token of a Graph call (signature, issuer, audience `https://graph.microsoft.com` or the
   * Graph app id, expiry) and returns the caller. Throws GraphError 401 `InvalidAuthenticationToken` otherwise.
   */
  authenticateGraph(authorization: string | undefined): Promise<Caller>;
  /** A user or app-only token for the gateway's own API (`POST /_emulator/token`). Throws GraphError 400 on bad input. */
  issueApiToken(input: ApiTokenRequest): Promise<string>;
  /** New signing key; the old one stays in the JWKS for validation until the next rotation. */
  rotateSigningKey(): Promise<void>;
  /** Replaces the known users (a new seed fixture was loaded through `/_emulator/seed`). */
  setUsers(users: SeedUser[]): void;
}

export interface ApiTokenRequest {
  /** A seeded user's name (`admin`, `reader`, …). Exactly one of `user` and `app` is given. */
  user?: string;
  /** An app-only token with the gateway's app roles: `writer` or `reader`. */
  app?: 'writer' | 'reader';
  /** The gateway's client id or `api://<client id>`. */
  audience: string;
  /** Lifetime in seconds (default 3600); zero or negative gives an already expired token, for tests. */
  lifetimeSeconds?: number;
  /** Seconds from now before which the token is not valid (`nbf`), for tests. */
  notBeforeSeconds?: number;
  /**
   * Entra's token format (default `2.0`). `1.0` is what Entra issues for an API whose manifest leaves
   * `accessTokenAcceptedVersion` unset: issuer `https://sts.windows.net/{tenant}/`, `appid` instead of `azp`,
   * `upn`/`unique_name` instead of `preferred_username`.
   */
  tokenVersion?: '1.0' | '2.0';
  /**
   * User tokens only: replaces the user's delegated scopes on the API (`scp`); an empty list leaves `scp` out, as Entra
   * does when a client got no delegated permission (for example a user holding only app roles).
   */
  scopes?: readonly string[];
  /**
   * The `roles` claim: for a user, app roles assigned to them on the API (default none); for an app, replaces its app
   * role (default the one matching `app`).
   */
  roles?: readonly string[];
  /**
   * Whether the token carries the optional `idtyp` claim (`app` or `user`). Default: yes for app-only tokens, no for
   * user tokens. Entra emits it only when the API's registration asks for it, so `false` on an app-only token gives
   * the common real-world shape, told apart only by `oid` = `sub` and the missing `scp`.
   */
  idtyp?: boolean;
}

export interface AuthorityRequest {
  method: string;
  /** Raw path, e.g. `/contoso-tenant-id/oauth2/v2.0/token`. */
  path: string;
  query: URLSearchParams;
  headers: Record<string, string>;
  rawBody: Buffer;
}

export interface AuthorityResponse {
  status: number;
  headers: Record<string, string>;
  /** JSON value. */
  body: unknown;
}

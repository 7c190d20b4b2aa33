import type { IncomingHttpHeaders } from 'node:http';
import { errors, jwtVerify, type JWTPayload } from 'jose';
import { silentLogger, type Logger } from '../logger.js';
import type { AuthorityHttp } from './authority-http.js';
import { AuthorityFetchError } from './authority-http.js';
import { AuthorityUnavailableError, CallerAuthenticationError, unavailableOnFailure, type CallerRefusal } from './caller-errors.js';
import { createJwksCache, type JwksCache } from './jwks.js';
import { accessToken, type AccessToken } from './types.js';

/**
 * Validates callers' Microsoft Entra ID access tokens for the gateway's own API with jose: RS256 signatures against
 * the authority's JWKS (see jwks.ts), the issuer in its v2 (`{authority}/{tenant}/v2.0`) or v1
 * (`https://sts.windows.net/{tenant}/`) form, the audience (the client id or `api://<client id>`), `exp`/`nbf` with
 * a small clock skew, and `tid`. The tenant's GUID and the JWKS location come from the authority's OpenID
 * configuration, so AZURE_TENANT_ID may also be a verified domain.
 *
 * The token is read out of what the caller sent here too, once, at the edge: {@link bearerToken} for an HTTP
 * `Authorization` header, {@link connectionToken} for a WebSocket's `connection_init`. From then on it travels as an
 * {@link AccessToken}, without its scheme, down to the on-behalf-of exchange.
 */

/** Who is calling, from a validated token. */
export interface CallerIdentity {
  /** Entra object id (`oid`) for users, application (client) id for app-only tokens. */
  readonly subject: string;
  /**
   * `app` only for what Microsoft's rule calls app-only (`idtyp: app`, or without `idtyp`: no `scp` and `oid` = `sub`);
   * every other token speaks for a user, so it is never served with the app's own Graph credentials.
   */
  readonly kind: 'user' | 'app';
  /** Delegated scopes (`scp`) for users (none without `scp`), app roles (`roles`) for apps, on the gateway's own API. */
  readonly permissions: readonly string[];
  /** Object id of the user, or of the calling app's service principal. */
  readonly oid: string;
  /** The client application that obtained the token (`azp` in v2 tokens, `appid` in v1). */
  readonly appId: string;
  /** The tenant's GUID (`tid`). */
  readonly tenantId: string;
  /** The token's `exp`: a WebSocket authenticated with it must close then. */
  readonly expiresAt: Date;
}

export interface AuthorityMetadata {
  /** `iss` of v2 tokens, as the OpenID configuration states it. */
  issuerV2: string;
  /** `iss` of v1 tokens. */
  issuerV1: string;
  /** The tenant's GUID. */
  tenantId: string;
  jwksUri: string;
}

export interface CallerTokenValidatorOptions {
  /** Origin of the authority (`https://login.microsoftonline.com` or the emulator's). */
  authorityHost: string;
  /** GUID or verified domain. */
  tenantId: string;
  /** The gateway's application (client) id: the audience of caller tokens. */
  clientId: string;
  http: AuthorityHttp;
  /** Allowed clock skew for `exp` and `nbf`. Default 60 s. */
  clockToleranceSeconds?: number;
  /** Clock, for tests (token lifetimes and the key cache's cool-down). */
  now?: (() => number) | undefined;
  logger?: Logger;
}

export interface CallerTokenValidator {
  /**
   * The caller a raw JWT (without `Bearer `) speaks for. Rejects with {@link CallerAuthenticationError} when the token
   * is invalid and {@link AuthorityUnavailableError} when the authority cannot be asked for its keys.
   */
  validate(token: AccessToken): Promise<CallerIdentity>;
  /** Fetches the OpenID configuration and the keys ahead of the first caller; never rejects. */
  warmUp(): Promise<void>;
  readonly jwks: JwksCache;
}

const MAX_TOKEN_LENGTH = 16 * 1024;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** v1 tokens name the cloud's security token service, not the login host. */
function v1IssuerBase(authorityHost: string): string {
  const host = new URL(authorityHost).hostname.toLowerCase();
  if (host === 'login.chinacloudapi.cn' || host === 'login.partner.microsoftonline.cn') return 'https://sts.chinacloudapi.cn/';
  return 'https://sts.windows.net/';
}

export function createCallerTokenValidator({
  clockToleranceSeconds: clockTolerance = 60,
  now,
  logger = silentLogger,
  ...options
}: CallerTokenValidatorOptions): CallerTokenValidator {
  const authority = new URL(options.authorityHost);
  const audiences = [options.clientId, `api://${options.clientId}`];
  let metadata: AuthorityMetadata | undefined;
  let metadataInFlight: Promise<AuthorityMetadata> | undefined;

  async function fetchMetadata(): Promise<AuthorityMetadata> {
    const url = `${authority.origin}/${encodeURIComponent(options.tenantId)}/v2.0/.well-known/openid-configuration`;
    const doc = await options.http.getJson(url);
    const issuer = typeof doc === 'object' && doc !== null ? (doc as { issuer?: unknown }).issuer : undefined;
    const jwksUri = typeof doc === 'object' && doc !== null ? (doc as { jwks_uri?: unknown }).jwks_uri : undefined;
    if (typeof issuer !== 'string' || typeof jwksUri !== 'string') {
      throw new AuthorityFetchError('The OpenID configuration of the token authority lacks issuer or jwks_uri.');
    }
    // The keys must come from the authority the configuration names, never from a host a document points to.
    if (new URL(jwksUri).origin !== authority.origin) {
      throw new AuthorityFetchError('The OpenID configuration of the token authority points its keys at another host.');
    }
    const fromIssuer = /^\/([^/]+)\/v2\.0\/?$/.exec(new URL(issuer).pathname)?.[1];
    const tenantId = fromIssuer !== undefined && GUID.test(fromIssuer) ? fromIssuer : options.tenantId;
    const found: AuthorityMetadata = {
      issuerV2: issuer,
      issuerV1: `${v1IssuerBase(options.authorityHost)}${tenantId}/`,
      tenantId,
      jwksUri,
    };
    logger.debug('token authority configuration fetched', { issuer: found.issuerV2, tenantId });
    return found;
  }

  async function getMetadata(): Promise<AuthorityMetadata> {
    if (metadata) return metadata;
    metadataInFlight ??= fetchMetadata()
      .then((m) => (metadata = m))
      .finally(() => {
        metadataInFlight = undefined;
      });
    return unavailableOnFailure(metadataInFlight);
  }

  const jwks = createJwksCache({ jwksUri: async () => (await getMetadata()).jwksUri, http: options.http, now, logger });

  async function validate(token: AccessToken): Promise<CallerIdentity> {
    if (token.length === 0 || token.length > MAX_TOKEN_LENGTH || token.split('.').length !== 3)
      throw new CallerAuthenticationError('malformed');
    const meta = await getMetadata();
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, (header) => jwks.getKey(header), {
        algorithms: ['RS256'],
        issuer: [meta.issuerV2, meta.issuerV1],
        audience: audiences,
        clockTolerance,
        requiredClaims: ['exp', 'nbf', 'tid'],
        currentDate: now ? new Date(now()) : undefined,
      }));
    } catch (err) {
      throw refusal(err);
    }
    if (typeof payload.tid !== 'string' || payload.tid.toLowerCase() !== meta.tenantId.toLowerCase())
      throw new CallerAuthenticationError('tenant');
    return identityOf(payload);
  }

  return {
    validate,
    async warmUp() {
      try {
        await getMetadata();
        await jwks.prefetch();
      } catch (err) {
        logger.warn('token authority not reachable yet; callers will be checked once it is', { error: err });
      }
    },
    jwks,
  };
}

const BEARER = /^Bearer[ \t]+([A-Za-z0-9\-_.~+/]+=*)[ \t]*$/i;
/** RFC 6750's `b64token`: what may follow `Bearer `. */
const B64TOKEN = /^[A-Za-z0-9\-_.~+/]+=*$/;

/**
 * The caller's token in an `Authorization` value (`Bearer <jwt>`, the scheme in any case): the one place its scheme is
 * stripped. Throws CallerAuthenticationError `missing` without a value, `malformed` with another scheme or shape.
 */
export function bearerToken(authorization: string | undefined): AccessToken {
  if (authorization === undefined || authorization.trim() === '') throw new CallerAuthenticationError('missing');
  const token = BEARER.exec(authorization)?.[1];
  if (token === undefined) throw new CallerAuthenticationError('malformed');
  return accessToken(token);
}

/**
 * The token a graphql-ws client sent: `connectionParams.authorization` (the design's contract), `Authorization`, or
 * `token` (what Apollo Router puts there), with its `Bearer ` scheme or bare; else the upgrade request's `Authorization`
 * header. Throws as {@link bearerToken} does.
 */
export function connectionToken(connectionParams: unknown, upgradeHeaders?: IncomingHttpHeaders): AccessToken {
  if (typeof connectionParams === 'object' && connectionParams !== null) {
    const params = connectionParams as Record<string, unknown>;
    for (const name of ['authorization', 'Authorization', 'token']) {
      const value = params[name];
      if (typeof value !== 'string' || value.trim() === '') continue;
      const trimmed = value.trim();
      if (/^bearer\s/i.test(trimmed)) return bearerToken(trimmed);
      if (!B64TOKEN.test(trimmed)) throw new CallerAuthenticationError('malformed');
      return accessToken(trimmed);
    }
  }
  const header = upgradeHeaders?.authorization;
  return bearerToken(typeof header === 'string' ? header : undefined);
}

/** jose's verdicts as the gateway's refusal reasons; anything else (the authority, a bug) passes through. */
function refusal(err: unknown): unknown {
  if (err instanceof AuthorityUnavailableError || err instanceof CallerAuthenticationError) return err;
  let reason: CallerRefusal | undefined;
  if (err instanceof errors.JWTExpired) reason = 'expired';
  else if (err instanceof errors.JWTClaimValidationFailed) {
    reason =
      err.claim === 'nbf'
        ? 'not_yet_valid'
        : err.claim === 'iss'
          ? 'issuer'
          : err.claim === 'aud'
            ? 'audience'
            : err.claim === 'iat'
              ? 'not_yet_valid'
              : 'claims';
  } else if (err instanceof errors.JOSEAlgNotAllowed || err instanceof errors.JOSENotSupported) reason = 'algorithm';
  else if (
    err instanceof errors.JWSSignatureVerificationFailed ||
    err instanceof errors.JWKSNoMatchingKey ||
    err instanceof errors.JWKSMultipleMatchingKeys
  ) {
    reason = 'signature';
  } else if (
    err instanceof errors.JWSInvalid ||
    err instanceof errors.JWTInvalid ||
    err instanceof errors.JWKInvalid ||
    err instanceof errors.JWKSInvalid
  ) {
    reason = 'malformed';
  } else if (err instanceof TypeError || err instanceof SyntaxError) reason = 'malformed';
  return reason ? new CallerAuthenticationError(reason) : err;
}

function identityOf(payload: JWTPayload): CallerIdentity {
  const str = (name: string): string | undefined => {
    const value = payload[name];
    return typeof value === 'string' && value !== '' ? value : undefined;
  };
  const appId = str('azp') ?? str('appid');
  const oid = str('oid');
  const tenantId = str('tid') ?? '';
  const expiresAt = new Date((payload.exp ?? 0) * 1000);
  if (appId === undefined || oid === undefined) throw new CallerAuthenticationError('claims');
  if (isAppOnly(payload, oid)) {
    return { kind: 'app', subject: appId, oid, appId, tenantId, expiresAt, permissions: stringList(payload.roles) };
  }
  // A user token's `roles` (app roles assigned to the user) stay out of its permissions: only delegated scopes speak
  // for what the user let the client do, so a user token without `scp` grants nothing.
  const scp = str('scp');
  return {
    kind: 'user',
    subject: oid,
    oid,
    appId,
    tenantId,
    expiresAt,
    permissions: scp === undefined ? [] : scp.split(' ').filter((s) => s !== ''),
  };
}

/**
 * Microsoft's rule for telling app-only tokens apart (not "no `scp`", which also fits a user token carrying only app
 * roles assigned to the user): `idtyp` when the app registration asks for that optional claim; without it, an app-only
 * token has no `scp` and names the app's service principal in both `oid` and `sub`, whereas a user's `sub` is
 * pairwise and never their `oid`. Anything else is taken for a user, who then needs delegated scopes.
 */
function isAppOnly(payload: JWTPayload, oid: string): boolean {
  if (typeof payload.idtyp === 'string' && payload.idtyp !== '') return payload.idtyp === 'app';
  return payload.scp === undefined && payload.sub === oid;
}

function stringList(claim: unknown): string[] {
  return Array.isArray(claim) ? claim.filter((r): r is string => typeof r === 'string') : [];
}

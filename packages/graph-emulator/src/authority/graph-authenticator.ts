import type { JWTPayload } from 'jose';
import { GraphError } from '../http/errors.js';
import type { Caller } from './caller.js';
import { GRAPH_APP_ID, GRAPH_RESOURCE } from './claims.js';
import type { SigningKeyRing } from './signing-keys.js';
import { CLOCK_SKEW_SECONDS, TokenRejected, verifyIssuedToken, type TokenFailure } from './verify-token.js';

/** Tokens remembered as verified; beyond this the oldest entry is dropped. */
const CACHE_LIMIT = 10_000;

/** Graph's own wording for each kind of rejected token. */
const MESSAGES: Record<TokenFailure | 'empty', string> = {
  empty: 'Access token is empty.',
  malformed: 'CompactToken parsing failed with error code: 80049217',
  signature: 'Invalid signature.',
  algorithm: 'Invalid signature.',
  lifetime: 'Access token has expired or is not yet valid.',
  audience: 'Access token validation failure. Invalid audience.',
  issuer: 'Access token validation failure. Invalid issuer.',
  claims: 'Access token validation failure.',
};

interface CacheEntry {
  caller: Caller;
  /** Real-time instant (ms) after which the token is no longer valid, skew included. */
  validUntil: number;
}

/**
 * Validates the bearer tokens of Graph calls. A verified token is remembered by its exact string until it expires,
 * so the thousands of calls a benchmark makes with one token cost a map lookup, not an RSA verification each.
 */
export class GraphAuthenticator {
  private readonly cache = new Map<string, CacheEntry>();
  private readonly wwwAuthenticate: string;

  constructor(
    private readonly keys: SigningKeyRing,
    private readonly expected: { issuers: readonly string[]; tenantId: string; origin: string },
    private readonly appNames: ReadonlyMap<string, string>,
  ) {
    // Graph points clients at the authority that issues its tokens; here that is the emulator itself.
    this.wwwAuthenticate = `Bearer realm="", authorization_uri="${expected.origin}/common/oauth2/authorize", client_id="${GRAPH_APP_ID}"`;
  }

  async authenticate(authorization: string | undefined): Promise<Caller> {
    const token = bearerToken(authorization);
    if (!token) throw this.unauthorized('empty');
    const hit = this.cache.get(token);
    if (hit) {
      if (Date.now() < hit.validUntil) return hit.caller;
      this.cache.delete(token);
    }
    let payload: JWTPayload;
    try {
      ({ payload } = await verifyIssuedToken(token, this.keys, {
        issuers: this.expected.issuers,
        audiences: [GRAPH_RESOURCE, GRAPH_APP_ID],
        tenantId: this.expected.tenantId,
      }));
    } catch (err) {
      if (err instanceof TokenRejected) throw this.unauthorized(err.reason);
      throw err;
    }
    const caller = this.callerOf(payload);
    if (!caller) throw this.unauthorized('claims');
    this.remember(token, caller, ((payload.exp ?? 0) + CLOCK_SKEW_SECONDS) * 1000);
    return caller;
  }

  /** Forgets every verified token: after a rotation a dropped key's tokens must fail again. */
  clear(): void {
    this.cache.clear();
  }

  private remember(token: string, caller: Caller, validUntil: number): void {
    if (this.cache.size >= CACHE_LIMIT) {
      // Map iterates in insertion order: the first key is the oldest entry.
      const oldest = this.cache.keys().next();
      if (!oldest.done) this.cache.delete(oldest.value);
    }
    this.cache.set(token, { caller, validUntil });
  }

  private callerOf(payload: JWTPayload): Caller | undefined {
    const oid = stringClaim(payload, 'oid');
    const tenantId = stringClaim(payload, 'tid');
    const appId = stringClaim(payload, 'azp') ?? stringClaim(payload, 'appid');
    if (!oid || !tenantId || !appId) return undefined;
    const scp = stringClaim(payload, 'scp');
    if (scp !== undefined) {
      return Object.freeze({
        kind: 'user',
        subject: oid,
        oid,
        appId,
        tenantId,
        displayName: stringClaim(payload, 'name') ?? stringClaim(payload, 'preferred_username') ?? oid,
        permissions: new Set(scp.split(' ').filter(Boolean)),
        directoryRoles: new Set(stringList(payload, 'wids')),
      } satisfies Caller);
    }
    const roles = payload.roles;
    if (!Array.isArray(roles) || !roles.every((r): r is string => typeof r === 'string')) return undefined;
    return Object.freeze({
      kind: 'app',
      subject: appId,
      oid,
      appId,
      tenantId,
      displayName: this.appNames.get(appId) ?? appId,
      permissions: new Set(roles),
      directoryRoles: new Set<string>(),
    } satisfies Caller);
  }

  private unauthorized(reason: TokenFailure | 'empty'): GraphError {
    return new GraphError(401, 'InvalidAuthenticationToken', MESSAGES[reason], {
      headers: { 'www-authenticate': this.wwwAuthenticate },
    });
  }
}

function bearerToken(authorization: string | undefined): string | undefined {
  if (!authorization) return undefined;
  const space = authorization.indexOf(' ');
  if (space === -1 || authorization.slice(0, space).toLowerCase() !== 'bearer') return undefined;
  const token = authorization.slice(space + 1).trim();
  return token.length > 0 ? token : undefined;
}

/** A claim holding a list of strings (`wids`); entries that are not strings are ignored, a missing claim is empty. */
function stringList(payload: JWTPayload, name: string): string[] {
  const value = payload[name];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function stringClaim(payload: JWTPayload, name: string): string | undefined {
  const value = payload[name];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

import { randomBytes } from 'node:crypto';
import { SignJWT, type JWTPayload } from 'jose';
import type { SigningKeyRing } from './signing-keys.js';
import type { TokenVersion } from './claims.js';

export const DEFAULT_LIFETIME_SECONDS = 3600;
/**
 * A token asked for with a lifetime of zero or less is pushed this much further into the past, so it is expired
 * for every validator, whatever clock skew it allows (Microsoft's libraries default to five minutes).
 */
const EXPIRED_BEYOND_SKEW_SECONDS = 600;

export interface TokenTimes {
  /** Default 3600. Zero or negative: already expired, beyond any validator's clock skew. */
  lifetimeSeconds?: number;
  /** Seconds from now before which the token is not valid (`nbf`). */
  notBeforeSeconds?: number;
}

export interface SignedToken {
  token: string;
  /** Seconds from now until `exp` (what the token endpoint returns as `expires_in`). */
  expiresIn: number;
}

/** Signs Entra-shaped JWTs (RS256, `typ: JWT`, `kid`) with the current key, on real time. */
export class TokenIssuer {
  constructor(
    private readonly keys: SigningKeyRing,
    private readonly issuers: Record<TokenVersion, string>,
  ) {}

  async sign(claims: Record<string, unknown>, version: TokenVersion, times: TokenTimes = {}): Promise<SignedToken> {
    const now = Math.floor(Date.now() / 1000);
    const lifetime = Math.trunc(times.lifetimeSeconds ?? DEFAULT_LIFETIME_SECONDS);
    let nbf = now + Math.trunc(times.notBeforeSeconds ?? 0);
    let exp = nbf + lifetime;
    if (lifetime <= 0) {
      exp = now + lifetime - EXPIRED_BEYOND_SKEW_SECONDS;
      nbf = exp - DEFAULT_LIFETIME_SECONDS;
    }
    const iat = Math.min(now, nbf);
    const payload: JWTPayload = {
      ...claims,
      iss: this.issuers[version],
      iat,
      nbf,
      exp,
      uti: randomBytes(16).toString('base64url'),
    };
    const key = this.keys.current;
    const token = await new SignJWT(payload).setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: key.kid }).sign(key.privateKey);
    return { token, expiresIn: exp - now };
  }
}

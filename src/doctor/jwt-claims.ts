/**
 * A JWT's payload read without verifying it: the doctor only reports what a token says it grants (Graph verifies it).
 * Only the claims named here are kept, and the token itself is never returned, printed or logged.
 */

export interface TokenClaims {
  /** `roles` (application permissions) or `scp` (delegated scopes, space-separated in the token). */
  permissions: string[];
  expiresAt: string | null;
  /** `oid`, then `sub`: who the token speaks for. */
  subject: string | null;
  tenantId: string | null;
  appId: string | null;
}

const EMPTY: TokenClaims = { permissions: [], expiresAt: null, subject: null, tenantId: null, appId: null };

export function readTokenClaims(token: string): TokenClaims {
  const payload = token.split('.')[1];
  if (payload === undefined) return EMPTY;
  let claims: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    if (typeof parsed !== 'object' || parsed === null) return EMPTY;
    claims = parsed as Record<string, unknown>;
  } catch {
    return EMPTY;
  }
  const text = (name: string): string | null => (typeof claims[name] === 'string' ? (claims[name] as string) : null);
  const roles = Array.isArray(claims.roles) ? claims.roles.filter((r): r is string => typeof r === 'string') : [];
  const scopes = (text('scp') ?? '').split(' ').filter((s) => s !== '');
  const exp = typeof claims.exp === 'number' ? new Date(claims.exp * 1000).toISOString() : null;
  return {
    permissions: [...roles, ...scopes].sort(),
    expiresAt: exp,
    subject: text('oid') ?? text('sub'),
    tenantId: text('tid'),
    appId: text('azp') ?? text('appid'),
  };
}

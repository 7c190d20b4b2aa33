import { createAppTokenProvider } from '../auth/app-token-provider.js';
import type { CallerIdentity } from '../auth/caller-token.js';
import type { MsalClientOptions } from '../auth/msal-client.js';
import { createOboTokenProviders } from '../auth/obo-token-provider.js';
import { accessToken, TokenAcquisitionError, type AccessToken } from '../auth/types.js';
import { readTokenClaims } from './jwt-claims.js';
import type { TokenOutcome } from './results.js';

/**
 * The two token checks, through the gateway's own msal-node providers: the app's token (client credentials), and, with
 * a user's token for the gateway's API, the on-behalf-of exchange. Only the claims are reported; the tokens stay here.
 */

export interface TokenCheck {
  outcome: TokenOutcome;
  token: AccessToken | undefined;
}

function failure(err: unknown): TokenOutcome {
  const detail = err instanceof TokenAcquisitionError ? `${err.code}${err.authorityCode ? ` (${err.authorityCode})` : ''}` : 'no token';
  return { result: 'failed', permissions: [], expiresAt: null, detail };
}

function success(token: AccessToken): TokenCheck {
  const claims = readTokenClaims(token);
  return { token, outcome: { result: 'works', permissions: claims.permissions, expiresAt: claims.expiresAt } };
}

export async function checkAppToken(msal: MsalClientOptions): Promise<TokenCheck> {
  const provider = createAppTokenProvider(msal);
  try {
    return success(await provider.getGraphToken());
  } catch (err) {
    return { token: undefined, outcome: failure(err) };
  } finally {
    await provider.close();
  }
}

export async function checkOnBehalfOf(msal: MsalClientOptions, userToken: string | undefined): Promise<TokenCheck> {
  if (userToken === undefined) {
    return {
      token: undefined,
      outcome: { result: 'skipped', permissions: [], expiresAt: null, detail: 'no user token given (--user-token or DOCTOR_USER_TOKEN)' },
    };
  }
  const claims = readTokenClaims(userToken);
  // The identity only names the caller in msal-node's cache and logs; the authority checks the assertion itself.
  const caller: CallerIdentity = {
    subject: claims.subject ?? 'doctor',
    kind: 'user',
    permissions: claims.permissions,
    oid: claims.subject ?? 'doctor',
    appId: claims.appId ?? '',
    tenantId: claims.tenantId ?? '',
    expiresAt: claims.expiresAt === null ? new Date() : new Date(claims.expiresAt),
  };
  const providers = createOboTokenProviders(msal);
  try {
    return success(await providers.forCaller(accessToken(userToken.replace(/^Bearer\s+/i, '')), caller).getGraphToken());
  } catch (err) {
    return { token: undefined, outcome: failure(err) };
  } finally {
    await providers.close();
  }
}

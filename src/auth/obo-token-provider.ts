import { createHash } from 'node:crypto';
import { AuthError, InteractionRequiredAuthError, ServerError } from '@azure/msal-node';
import { silentLogger, type Logger } from '../logger.js';
import type { CallerIdentity } from './caller-token.js';
import { createMsalClient, GRAPH_SCOPE, tokenError, type MsalClientOptions } from './msal-client.js';
import { TokenAcquisitionError, type AccessToken, type TokenProvider } from './types.js';

/**
 * On-behalf-of: Graph tokens for one caller, exchanged by msal-node for the caller's own token
 * (`acquireTokenOnBehalfOf`), so Graph enforces that user's permissions and its journal shows that user.
 *
 * Caching is msal-node's: it keys OBO tokens by a hash of the assertion (the caller's token) and scope, and only ever
 * returns a token to a request with the same assertion, so one caller's Graph token is never handed to another. The
 * msal-node client here is separate from the app provider's, so an app-token lookup (which filters by account,
 * not by assertion) can never meet a user's token either. While a caller's first exchange is in flight, their other
 * requests wait for it instead of starting their own.
 */

export interface OboTokenProviders {
  /** A token provider acting for `caller`, whose validated token (read once at the edge, without its scheme) is `assertion`. */
  forCaller(assertion: AccessToken, caller: CallerIdentity): TokenProvider;
  close(): Promise<void>;
}

export type OboTokenProvidersOptions = MsalClientOptions & { logger?: Logger };

/** The Graph delegated permissions admins consent to (docs/security.md, "The app registration a real deployment needs"). */
export const GRAPH_DELEGATED_READ = 'BackupRestore-Restore.Read.All';
export const GRAPH_DELEGATED_WRITE = 'BackupRestore-Restore.ReadWrite.All';

export function createOboTokenProviders({ logger = silentLogger, ...options }: OboTokenProvidersOptions): OboTokenProviders {
  const client = createMsalClient(options);
  const inFlight = new Map<string, Promise<AccessToken>>();

  async function acquire(assertion: AccessToken, caller: CallerIdentity): Promise<AccessToken> {
    try {
      const { token, fromCache, expiresOn } = await client.token(
        () => client.msal.acquireTokenOnBehalfOf({ oboAssertion: assertion, scopes: [GRAPH_SCOPE] }),
        oboError,
      );
      // Every Graph call asks; only real exchanges are worth a debug line.
      (fromCache ? logger.trace : logger.debug)('on-behalf-of Graph token', { subject: caller.subject, fromCache, expiresOn });
      return token;
    } catch (err) {
      if (err instanceof TokenAcquisitionError) {
        logger.warn('on-behalf-of exchange failed', {
          subject: caller.subject,
          code: err.code,
          authorityCode: err.authorityCode,
          error: err.cause ?? err,
        });
      }
      throw err;
    }
  }

  return {
    forCaller(assertion, caller) {
      const key = createHash('sha256').update(assertion).digest('base64url');
      return {
        getGraphToken() {
          let pending = inFlight.get(key);
          if (!pending) {
            pending = acquire(assertion, caller).finally(() => inFlight.delete(key));
            inFlight.set(key, pending);
          }
          return pending;
        },
      };
    },
    close: () => client.close(),
  };
}

/**
 * msal-node's OBO failures in the gateway's vocabulary. Missing consent (AADSTS65001, `consent_required`) is the
 * caller's tenant's business and names what an administrator must grant; a refused assertion (expired, wrong audience)
 * means the caller must sign in again; conditional access asking for interaction is FORBIDDEN for this middle tier.
 */
export function oboError(err: unknown, transportFailed: boolean): TokenAcquisitionError {
  if (err instanceof TokenAcquisitionError) return err;
  if (!(err instanceof AuthError) || transportFailed) return tokenError(err, transportFailed);
  const sub = err.subError ?? '';
  const errorNo = err instanceof InteractionRequiredAuthError ? (err.errorNo ?? '') : '';
  const text = `${err.errorCode} ${err.errorMessage}`;
  const aadsts = /AADSTS(\d+)/.exec(text)?.[1] ?? errorNo;
  if (sub === 'consent_required' || aadsts === '65001') {
    return new TokenAcquisitionError(
      'FORBIDDEN',
      `Microsoft Graph cannot be called on your behalf: the gateway's app registration lacks consent for the delegated ` +
        `Microsoft Graph permission ${GRAPH_DELEGATED_READ} (${GRAPH_DELEGATED_WRITE} to change restore sessions) in your tenant. ` +
        'An administrator must grant admin consent to it (AADSTS65001).',
      'AADSTS65001',
      { cause: err },
    );
  }
  if (err instanceof InteractionRequiredAuthError || err.errorCode === 'interaction_required') {
    return new TokenAcquisitionError(
      'FORBIDDEN',
      'Microsoft Entra ID requires an interactive sign-in (for example multi-factor authentication or a conditional access policy) before Microsoft Graph can be called on your behalf; sign in again with it in the client application.',
      aadsts !== '' ? `AADSTS${aadsts}` : err.errorCode,
      { cause: err },
    );
  }
  if (err instanceof ServerError && err.errorCode === 'invalid_grant') {
    return new TokenAcquisitionError(
      'UNAUTHENTICATED',
      'Microsoft Entra ID refused to exchange your token for a Microsoft Graph token; sign in again.',
      aadsts !== '' ? `AADSTS${aadsts}` : err.errorCode,
      { cause: err },
    );
  }
  return tokenError(err, transportFailed);
}

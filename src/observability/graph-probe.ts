import { randomUUID } from 'node:crypto';
import { TokenAcquisitionError, type AccessToken, type TokenProvider } from '../auth/types.js';
import { GraphTransportError } from '../graph/errors.js';
import type { GraphHttp } from '../graph/http.js';
import { graphPaths } from '../graph/url.js';
import type { ReadinessCheck } from './readiness.js';

/**
 * The readiness checks on Graph's side: that a Graph token can be had (the app's, from msal-node's cache
 * while it is valid), and that Graph answers a cheap authenticated read with it (the first restore
 * session's id). The read goes straight through the HTTP layer, not the `$batch` scheduler: a probe
 * must say how Graph is now, without retries, queueing behind traffic or moving the circuit breaker.
 */

export function graphTokenCheck(tokens: TokenProvider): ReadinessCheck {
  return async () => {
    try {
      await tokens.getGraphToken();
      return 'acquired';
    } catch (err) {
      throw new Error(tokenFailure(err));
    }
  };
}

export function graphReachableCheck(options: { http: GraphHttp; tokens: TokenProvider; timeoutMs: number }): ReadinessCheck {
  const path = graphPaths.restoreSessions([
    ['$top', 1],
    ['$select', 'id'],
  ]);
  return async () => {
    let token: AccessToken;
    try {
      token = await options.tokens.getGraphToken();
    } catch (err) {
      throw new Error(`not checked: ${tokenFailure(err)}`);
    }
    let status: number;
    try {
      ({ status } = await options.http.send({ method: 'GET', path, token, clientRequestId: randomUUID(), timeoutMs: options.timeoutMs }));
    } catch (err) {
      throw new Error(
        err instanceof GraphTransportError ? `Microsoft Graph cannot be reached (${err.reason})` : 'Microsoft Graph cannot be reached',
      );
    }
    // 429 is Graph working as designed; anything else below 500 but 401/403 means it read the request.
    if (status === 401 || status === 403) throw new Error(`Microsoft Graph refused the app's token (${status})`);
    if (status >= 500) throw new Error(`Microsoft Graph answered ${status}`);
    return `answered ${status}`;
  };
}

function tokenFailure(err: unknown): string {
  if (err instanceof TokenAcquisitionError) {
    return err.code === 'UPSTREAM_UNAVAILABLE'
      ? 'the token authority cannot be reached'
      : `no Graph token (${err.authorityCode ?? err.code})`;
  }
  return 'no Graph token';
}

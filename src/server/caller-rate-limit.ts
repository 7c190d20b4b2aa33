import { HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';
import type { GatewayContext } from '../context.js';
import { callerQuotaKey, type CallerQuota } from '../resilience/caller-quota.js';

/**
 * A caller whose Graph quota (see `resilience/caller-quota.ts`) is used up gets no new operation started:
 * HTTP 429 with `Retry-After` and a RATE_LIMITED error, before any resolver runs. (An operation that
 * runs out half way fails only the fields whose Graph calls were refused.) Schema-only operations,
 * which have no caller, are not limited here. Subscriptions spend the same quota (websocket.ts).
 */
export function callerRateLimitPlugin(quota: CallerQuota): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue }) {
          const caller = contextValue.caller;
          if (!caller) return;
          const answer = await quota.check(callerQuotaKey(caller));
          if (!answer.ok) throw rateLimitedError(answer.retryAfterMs, { http: true });
        },
      };
    },
  };
}

/** The RATE_LIMITED error of a caller whose quota is used up; over HTTP it also sets 429 and `Retry-After`. */
export function rateLimitedError(retryAfterMs: number, options: { http: boolean }): GraphQLError {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return new GraphQLError(`Too many Microsoft Graph calls for this caller; try again in ${seconds} s.`, {
    extensions: {
      code: 'RATE_LIMITED',
      retryAfterSeconds: seconds,
      ...(options.http ? { http: { status: 429, headers: new HeaderMap([['retry-after', String(seconds)]]) } } : {}),
    },
  });
}

import { createMsalClient, GRAPH_SCOPE, type MsalClientOptions } from './msal-client.js';
import type { AccessToken, TokenProvider } from './types.js';

/**
 * Graph tokens for the gateway itself (client credentials), through msal-node (`msal-client.ts`), whose in-memory
 * cache hands out the same token until shortly before it expires.
 */

export type AppTokenProviderOptions = MsalClientOptions;

export interface AppTokenProvider extends TokenProvider {
  close(): Promise<void>;
}

export function createAppTokenProvider(options: AppTokenProviderOptions): AppTokenProvider {
  const client = createMsalClient(options);
  // Concurrent first calls share one token request; later ones are answered by msal-node's cache.
  let inFlight: Promise<AccessToken> | undefined;
  const acquire = async (): Promise<AccessToken> =>
    (await client.token(() => client.msal.acquireTokenByClientCredential({ scopes: [GRAPH_SCOPE] }))).token;
  return {
    getGraphToken() {
      inFlight ??= acquire().finally(() => {
        inFlight = undefined;
      });
      return inFlight;
    },
    close: () => client.close(),
  };
}

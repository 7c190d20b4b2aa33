import { ApolloServerPluginInlineTrace } from '@apollo/server/plugin/inlineTrace';
import { appCredential, createAppTokenProvider, type AppTokenProvider } from './auth/app-token-provider.js';
import type { ClientCredential } from './auth/types.js';
import type { Config } from './config.js';
import { createContextFactory, httpContextRequest } from './context.js';
import { createGraphClient, type GraphClient } from './graph/client.js';
import { buildSchema } from './schema/build-schema.js';
import { startGatewayServer, type RunningGateway } from './server/create-gateway.js';
import type { ErrorLogger } from './server/format-error.js';

/**
 * The composition root: config and upstream settings in, a listening gateway out. `main.ts` and
 * the integration tests start the gateway through this one function, so the tests exercise the
 * wiring a deployment runs.
 */

/** Where Graph is and how the gateway signs in to it: real Microsoft Graph, or the emulator's settings. */
export interface UpstreamSettings {
  graphBaseUrl: string;
  authorityHost: string;
  tenantId: string;
  clientId: string;
  credential: ClientCredential;
  /** Extra trusted CA certificates (PEM) for Graph and the authority. */
  ca: readonly string[];
}

export interface StartGatewayOptions {
  config: Config;
  upstream: UpstreamSettings;
  /** Interface to listen on; default all interfaces. */
  host?: string;
  /** Server-side log of masked errors (correlation id, error). */
  logError?: ErrorLogger;
}

export interface Gateway {
  server: RunningGateway;
  /** `http://host:port/graphql` */
  url: string;
  wsUrl: string;
  port: number;
  /** The app's Graph client (shared keep-alive connections and `$batch` scheduler). */
  graph: GraphClient;
  /** Stops accepting requests, drains, then closes the Graph connections. */
  stop(): Promise<void>;
}

/** Shown in Sandbox when it opens, printed in the start-up banner, and the first README example. */
export const EXAMPLE_OPERATION = `query RestoreDashboard {
  restoreSessions(first: 10) {
    totalCount
    nodes {
      __typename
      id
      status
      isTerminal
      progress { total completed failed percentComplete }
      ... on SharePointRestoreSession {
        siteRestoreArtifacts(first: 3) {
          totalCount
          nodes {
            status
            restorePoint {
              protectionDateTime
              protectionUnit { siteName siteWebUrl }
            }
          }
        }
      }
    }
  }
}
`;

export async function startGateway(options: StartGatewayOptions): Promise<Gateway> {
  const { config, upstream } = options;
  const tokens: AppTokenProvider = createAppTokenProvider({
    authorityHost: upstream.authorityHost,
    tenantId: upstream.tenantId,
    clientId: upstream.clientId,
    ...appCredential(upstream.credential),
    ca: upstream.ca,
  });
  const graph = createGraphClient({
    baseUrl: upstream.graphBaseUrl,
    tokenProvider: tokens,
    ca: upstream.ca,
    timeoutMs: config.graph.timeoutMs,
    maxConcurrentBatches: config.graph.maxConcurrentBatches,
    retry: { maxRetries: config.graph.retryMax, baseDelayMs: config.graph.retryBaseMs },
  });
  const createContext = createContextFactory({ graph });
  let server: RunningGateway;
  try {
    server = await startGatewayServer({
      port: config.port,
      ...(options.host !== undefined ? { host: options.host } : {}),
      schema: buildSchema(),
      createContext: (req) => createContext(httpContextRequest(req)),
      corsOrigins: config.corsOrigins,
      introspection: config.introspection,
      landingPage: config.production ? false : { document: EXAMPLE_OPERATION },
      logError: options.logError ?? (() => undefined),
      // A router asks a subgraph for inline traces (ftv1); error messages in them stay masked.
      plugins: [ApolloServerPluginInlineTrace({ includeErrors: { masked: true } })],
    });
  } catch (err) {
    await graph.close();
    await tokens.close();
    throw err;
  }
  return {
    server,
    url: server.url,
    wsUrl: server.wsUrl,
    port: server.port,
    graph,
    async stop() {
      await server.stop();
      await graph.close();
      await tokens.close();
    },
  };
}

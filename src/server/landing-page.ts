import type { ApolloServerPlugin } from '@apollo/server';

export interface LandingPageOptions {
  /** Absolute HTTP URL of `/graphql`. */
  endpoint: string;
  /** Absolute WebSocket URL of `/graphql` (graphql-transport-ws). */
  subscriptionEndpoint: string;
  /** The operation shown when Sandbox opens. */
  document: string;
  /** Headers preset in Sandbox (the emulator's ready user token in development). */
  headers?: Record<string, string>;
}

const escapeScript = (value: unknown): string => JSON.stringify(value).replace(/</g, '\\u003c');

/**
 * Apollo Sandbox as the landing page, with the endpoint and the subscription URL preset. The stock landing page plugin
 * cannot preset the subscription endpoint, so this renders the embeddable Sandbox itself. Apollo cannot tell one
 * request from another here, so preset headers (a token) belong in {@link sandboxHtml} served by a route that can.
 */
export function sandboxLandingPage(options: LandingPageOptions): ApolloServerPlugin {
  const html = sandboxHtml(options);
  return {
    async serverWillStart() {
      return {
        async renderLandingPage() {
          return { html };
        },
      };
    },
  };
}

/** The landing page's HTML. */
export function sandboxHtml({ endpoint, subscriptionEndpoint, document, headers = {} }: LandingPageOptions): string {
  const config = {
    target: '#embedded-sandbox',
    initialEndpoint: endpoint,
    initialSubscriptionEndpoint: subscriptionEndpoint,
    includeCookies: false,
    endpointIsEditable: false,
    runTelemetry: false,
    initialState: {
      document,
      sharedHeaders: headers,
      pollForSchemaUpdates: false,
    },
  };
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8" />
<title>Restore-session gateway · Apollo Sandbox</title>
<style>html, body, #embedded-sandbox { height: 100%; margin: 0; } body { font-family: system-ui, sans-serif; }</style>
</head>
<body>
<div id="embedded-sandbox"></div>
<noscript>Apollo Sandbox needs JavaScript. The GraphQL endpoint is ${endpoint.replace(/[<>&"]/g, '')}</noscript>
<script src="https://embeddable-sandbox.cdn.apollographql.com/_latest/embeddable-sandbox.umd.production.min.js"></script>
<script>new window.EmbeddedSandbox(${escapeScript(config)});</script>
</body>
</html>`;
}

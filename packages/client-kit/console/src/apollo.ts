import { ApolloClient, ApolloLink, HttpLink } from '@apollo/client';
import { SetContextLink } from '@apollo/client/link/context';
import { ErrorLink } from '@apollo/client/link/error';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { createGatewayCache } from '@restore-session-gateway/client-kit';
import { OperationTypeNode } from 'graphql';
import { createClient as createSseClient } from 'graphql-sse';
import { createClient as createWsClient } from 'graphql-ws';
import type { Transport } from './settings';
import { SseLink } from './sse-link';

/**
 * The console's Apollo Client: the kit's cache (possible types, key fields, pagination), a fresh token on every HTTP
 * request and every subscription, subscriptions over the transport the page asks for, and every failed mutation
 * reported to `onMutationError`, whoever started it, so the page shows it in one place.
 */

export interface ConsoleClientOptions {
  /** The gateway's GraphQL URL, `http(s)://…/graphql`. */
  url: string;
  transport: Transport;
  getToken(): Promise<string>;
  onMutationError(error: unknown, operationName: string | undefined): void;
}

export interface ConsoleClient {
  client: ApolloClient;
  /** Stops the client and closes its socket or streams. */
  dispose(): void;
}

const isSubscription = (operation: ApolloLink.Operation): boolean => operation.operationType === OperationTypeNode.SUBSCRIPTION;

function webSocketUrl(url: string): string {
  const ws = new URL(url);
  ws.protocol = ws.protocol === 'https:' ? 'wss:' : 'ws:';
  return ws.toString();
}

/** The link for subscriptions, and how to close what it opened. */
function subscriptionLink(options: ConsoleClientOptions, http: ApolloLink): { link: ApolloLink; close(): void } {
  const authorization = async (): Promise<string> => `Bearer ${await options.getToken()}`;
  switch (options.transport) {
    case 'ws': {
      // Browsers cannot set headers on a WebSocket: the token travels in `connection_init`. A function, so that a
      // reconnect sends the token in hand then.
      const socket = createWsClient({
        url: webSocketUrl(options.url),
        lazy: true,
        connectionParams: async () => ({ authorization: await authorization() }),
      });
      return { link: new GraphQLWsLink(socket), close: () => void socket.dispose() };
    }
    case 'sse': {
      const sse = createSseClient({ url: options.url, headers: async () => ({ authorization: await authorization() }) });
      return { link: new SseLink(sse), close: () => sse.dispose() };
    }
    case 'multipart':
      // HttpLink sends a subscription as a POST accepting `multipart/mixed` and reads each event from the response.
      return { link: http, close: () => undefined };
  }
}

export function createConsoleClient(options: ConsoleClientOptions): ConsoleClient {
  const withToken = new SetContextLink(async (previous) => ({
    headers: { ...previous.headers, authorization: `Bearer ${await options.getToken()}` },
  }));
  const http = withToken.concat(new HttpLink({ uri: options.url }));
  const subscriptions = subscriptionLink(options, http);
  const reportMutationErrors = new ErrorLink(({ error, operation }) => {
    if (operation.operationType === OperationTypeNode.MUTATION) options.onMutationError(error, operation.operationName);
  });
  const client = new ApolloClient({
    link: ApolloLink.from([reportMutationErrors, ApolloLink.split(isSubscription, subscriptions.link, http)]),
    cache: createGatewayCache(),
  });
  return {
    client,
    dispose() {
      client.stop();
      subscriptions.close();
    },
  };
}

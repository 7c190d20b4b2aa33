import { ApolloClient, ApolloLink, HttpLink } from '@apollo/client';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { createClient, type Client } from 'graphql-ws';
import { OperationTypeNode } from 'graphql';
import WebSocket from 'ws';
import { createGatewayCache } from '../src/index.js';

/**
 * Apollo Client 4 for the gateway, in Node, with the kit's cache (possible types and type policies).
 *
 * Subscriptions travel one of two ways:
 * - `http`: Apollo Client's plain HttpLink does everything. It sends a subscription as a POST that accepts
 *   `multipart/mixed;boundary="graphql";subscriptionSpec=1.0`, and the gateway streams the events back in that one
 *   response (Apollo's multipart subscription protocol, which Apollo Router speaks too). Nothing else to set up.
 * - `ws`: subscriptions go over a graphql-ws socket (`graphql-transport-ws`), queries and mutations over HTTP. The
 *   caller's token travels in `connectionParams.authorization`, as `Bearer <jwt>`: browsers cannot set headers on a
 *   WebSocket.
 */

export type SubscriptionTransport = 'http' | 'ws';

export interface ExampleClientOptions {
  /** The gateway's GraphQL endpoint, e.g. `http://localhost:4000/graphql`. */
  url: string;
  /** A bearer token for the gateway's API (the one `npm start` prints, in development). */
  token: string;
  transport: SubscriptionTransport;
  /** The WebSocket URL; by default `url` with `ws:` (or `wss:`) for `http:` (or `https:`). */
  wsUrl?: string;
}

export interface ExampleClient {
  client: ApolloClient;
  /** Stops the client and closes its socket, if it has one. */
  close(): Promise<void>;
}

function webSocketUrl(url: string): string {
  const ws = new URL(url);
  ws.protocol = ws.protocol === 'https:' ? 'wss:' : 'ws:';
  return ws.toString();
}

const isSubscription = (operation: ApolloLink.Operation): boolean => operation.operationType === OperationTypeNode.SUBSCRIPTION;

export function createExampleClient({ url, token, transport, wsUrl }: ExampleClientOptions): ExampleClient {
  const httpLink = new HttpLink({ uri: url, headers: { authorization: `Bearer ${token}` } });
  let socket: Client | undefined;
  let link: ApolloLink = httpLink;
  if (transport === 'ws') {
    socket = createClient({
      url: wsUrl ?? webSocketUrl(url),
      // Node 20 has no global WebSocket; browsers leave this out.
      webSocketImpl: WebSocket,
      // A function, so that a reconnect sends the token in hand then (refresh it here in a real app).
      connectionParams: () => ({ authorization: `Bearer ${token}` }),
      lazy: true,
    });
    link = ApolloLink.split(isSubscription, new GraphQLWsLink(socket), httpLink);
  }
  const client = new ApolloClient({ link, cache: createGatewayCache() });
  return {
    client,
    async close() {
      client.stop();
      await socket?.dispose();
    },
  };
}

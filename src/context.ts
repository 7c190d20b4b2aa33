import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { GraphClient } from './graph/client.js';
import { createLoaders, type Loaders } from './loaders/index.js';

/**
 * The per-request (HTTP) and per-operation (WebSocket) context every resolver receives. Codegen
 * types resolvers against it (`contextType` in codegen.yml).
 *
 * One factory serves both transports: each transport only turns what it received into a
 * {@link ContextRequest} (HTTP headers, or graphql-ws `connectionParams`), so caller validation,
 * the choice of Graph identity and the loaders are decided in one place. DataLoaders are new for
 * every context and never shared: their caches hold one caller's view of Graph.
 */

/**
 * Who is calling. Until caller tokens are validated (the identity issue), every request is
 * anonymous (`caller: null`) and Graph is called as the app.
 */
export interface CallerIdentity {
  /** Entra object id (`oid`) for users, application id for app-only tokens. */
  readonly subject: string;
  readonly kind: 'user' | 'app';
  /** Delegated scopes (`scp`) or app roles (`roles`) granted on the gateway's own API. */
  readonly permissions: readonly string[];
}

export interface GatewayContext {
  /** Correlates this request in logs; the client's `x-request-id` when it sent a well-formed one. */
  readonly requestId: string;
  readonly transport: ContextTransport;
  readonly caller: CallerIdentity | null;
  /**
   * The Graph client acting for this request's identity (today always the app). Resolvers use it
   * only for calls no loader covers (lists without keys, search); everything by key goes through
   * {@link GatewayContext.loaders}.
   */
  readonly graph: GraphClient;
  /** Fresh for this request: per-key DataLoaders whose loads of one tick share `$batch` envelopes. */
  readonly loaders: Loaders;
}

export type ContextTransport = 'http' | 'websocket';

/** What a transport hands to the context factory. */
export interface ContextRequest {
  transport: ContextTransport;
  /** `Authorization` header (HTTP) or `connectionParams.authorization` (WebSocket), as received. */
  authorization?: string | undefined;
  /** A request id the client sent, reused when it looks like one. */
  requestId?: string | undefined;
}

export interface ContextFactoryOptions {
  /** The Graph client that acts as the app (client credentials). */
  graph: GraphClient;
}

export type CreateContext = (request: ContextRequest) => Promise<GatewayContext>;

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function createContextFactory(options: ContextFactoryOptions): CreateContext {
  return async (request) => {
    // The identity issue validates `request.authorization` here and, in OBO mode, picks
    // `options.graph.withTokenProvider(<the caller's provider>)`; nothing above this changes.
    const graph = options.graph;
    return {
      requestId: request.requestId !== undefined && REQUEST_ID.test(request.requestId) ? request.requestId : randomUUID(),
      transport: request.transport,
      caller: null,
      graph,
      loaders: createLoaders(graph),
    };
  };
}

/** The {@link ContextRequest} of an HTTP request. */
export function httpContextRequest(req: { headers: IncomingHttpHeaders }): ContextRequest {
  const requestId = req.headers['x-request-id'];
  return {
    transport: 'http',
    authorization: req.headers.authorization,
    requestId: Array.isArray(requestId) ? requestId[0] : requestId,
  };
}

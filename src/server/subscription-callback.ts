import { HeaderMap, type ApolloServerPlugin, type GraphQLRequestListener, type GraphQLResponse } from '@apollo/server';
import {
  ApolloServerPluginSubscriptionCallback,
  type ApolloServerPluginSubscriptionCallbackOptions,
} from '@apollo/server/plugin/subscriptionCallback';
import type express from 'express';
import type { GraphQLSchema, ParseOptions } from 'graphql';
import type { GatewayContext } from '../context.js';
import { silentLogger, type Logger } from '../logger.js';
import { tooManyConnectionsMessage, type CallerConnections } from './caller-connections.js';
import { createCallbackAllowList } from './callback/allow-list.js';
import { deliver, type FormatError } from './callback/fetcher.js';
import { isRecord } from './callback/json.js';
import { createCallbackMiddleware, NOT_ALLOWED, rootFieldRefusal } from './callback/requests.js';
import { CallbackRegistry, MAX_FAILURES, type CallbackStream, type CallbackTarget } from './callback/streams.js';

export { createCallbackAllowList } from './callback/allow-list.js';
export { isCallbackSubscriptionRequest } from './callback/requests.js';

/**
 * Apollo Router's callback mode (Apollo's "HTTP Callback Protocol for GraphQL Subscriptions"), served by Apollo Server's
 * own subscription-callback plugin: the router POSTs the subscription to `/graphql` with `extensions.subscription`
 * `{ callbackUrl, subscriptionId, verifier, heartbeatIntervalMs }`, the gateway confirms it with a `check` to that URL
 * before it answers `{ "data": null }`, then POSTs `next` per event, `check` as a heartbeat and `complete` at the end.
 *
 * The request names a URL the gateway will POST to, so it must fall under SUBSCRIPTION_CALLBACK_URLS (compared by parsed
 * origin and path segments, never as strings); anything else, or any callback request while that list is empty, is
 * refused with BAD_REQUEST by the middleware, before Apollo and the plugin see it (the plugin would POST `check` even
 * after another plugin's refusal). Every POST the plugin makes goes through the fetcher (callback/fetcher.ts), which
 *
 * - sends only to the URL admitted for that subscription, again checked against the list, with no redirect followed
 *   and fixed headers (`content-type` and `subscription-protocol: callback/1.0`): never the caller's token;
 * - formats (masks) every error of `next` and `complete` as every transport does: no URL, token or stack trace;
 * - ends the subscription when the router answers anything but 2xx (404: the router ended it; anything else, as the
 *   protocol says, an unexpected error) or stays unreachable three times in a row, and then answers the plugin for it,
 *   so that nothing more is sent. A failed first `check` means the request is answered with 400 and nothing starts
 *   (the plugin itself would go on after a 404 there, and answer other failures with 500).
 *
 * The rest is the rules of every transport: the caller's token is checked by Apollo's HTTP path (the context factory),
 * and ends the subscription with an UNAUTHENTICATED result, then `complete`, when it expires; the HTTP plugins (caller
 * quota, cost limit, operation log) run for the request; and each running callback subscription counts as one of the
 * caller's connections (MAX_CONNECTIONS_PER_CALLER) until it ends.
 *
 * The plugin keeps its state by callback URL, and a router sends the same URL again for the same subscription later;
 * each admitted request therefore gets a URL of its own for the plugin (the router's URL with a fragment of ours, which
 * never goes on the wire), so that what the plugin still holds of an ended subscription never meets a new one.
 *
 * Its parts: the allow-list (callback/allow-list.ts), the middleware that admits requests (callback/requests.ts), the
 * running subscriptions (callback/streams.ts) and the fetcher every POST goes through (callback/fetcher.ts); here, the
 * plugin wrapped.
 */

export interface SubscriptionCallbackSettings {
  /** URL prefixes (origin and path) a callback URL must fall under (SUBSCRIPTION_CALLBACK_URLS); empty: callback mode is off. */
  allowedUrls: readonly string[];
}

export interface SubscriptionCallbackOptions extends SubscriptionCallbackSettings {
  /** The schema and the request limits' parse options, for the one check Apollo cannot make without failing (below). */
  schema: GraphQLSchema;
  parseOptions: ParseOptions;
  /** The caller's connections on every transport (MAX_CONNECTIONS_PER_CALLER). */
  callerConnections: CallerConnections;
  /** The error formatting of every transport (masking). */
  formatError: FormatError;
  logger?: Logger;
  /** Time one POST to the router may take (default 10 s). */
  requestTimeoutMs?: number;
}

export interface SubscriptionCallback {
  /** On `/graphql` after the body parser, before the request limits and Apollo: refuses or admits callback requests. */
  middleware: express.RequestHandler;
  /** Apollo Server's subscription-callback plugin, wrapped. */
  plugin: ApolloServerPlugin<GatewayContext>;
}

const CHECK_FAILED = 'The callback URL did not confirm the subscription (its check was refused or not answered); nothing was started.';

export function createSubscriptionCallback(options: SubscriptionCallbackOptions): SubscriptionCallback {
  const logger = options.logger ?? silentLogger;
  const allowed = createCallbackAllowList(options.allowedUrls);
  const registry = new CallbackRegistry(options.callerConnections);
  const inner: ApolloServerPlugin<GatewayContext> = ApolloServerPluginSubscriptionCallback({
    fetcher: (url, init) =>
      deliver(registry, url, init, { allowed, formatError: options.formatError, timeoutMs: options.requestTimeoutMs ?? 10_000, logger }),
    // Our fetcher gives a subscription up after MAX_FAILURES; the plugin's own limits must not come first.
    retry: { retries: MAX_FAILURES, minTimeout: 100, maxTimeout: 1_000 },
    maxConsecutiveHeartbeatFailures: MAX_FAILURES + 1,
    ...(logger.isLevelEnabled('debug') ? { logger: pluginLogger(logger) } : {}),
  });
  return {
    middleware: createCallbackMiddleware(registry, allowed, options.allowedUrls.length > 0, (query) => rootFieldRefusal(options, query)),
    plugin: wrapPlugin(inner, registry),
  };
}

/**
 * The plugin, run only for requests the middleware admitted, once every other plugin let the operation through (quota,
 * cost): it must be a subscription, and the caller must have a connection to spare. A refusal answers the request with
 * 400 and one error with its code, and the plugin's own hooks never run, so nothing is POSTed.
 */
function wrapPlugin(inner: ApolloServerPlugin<GatewayContext>, registry: CallbackRegistry): ApolloServerPlugin<GatewayContext> {
  return {
    async serverWillStart(service) {
      // Its drain completes the running subscriptions (a `complete` each) when the server stops.
      return inner.serverWillStart?.(service);
    },
    async requestDidStart(requestContext) {
      const extension: unknown = requestContext.request.extensions?.subscription;
      if (!extension) return;
      const key = isRecord(extension) && typeof extension.callbackUrl === 'string' ? extension.callbackUrl : undefined;
      const target = key === undefined ? undefined : registry.admitted(key);
      if (key === undefined || target === undefined) {
        // Only a request that bypassed the middleware gets here: nothing may run for it.
        return {
          async responseForOperation() {
            return refusal('BAD_REQUEST', NOT_ALLOWED);
          },
        };
      }
      const hooks = await inner.requestDidStart?.(requestContext);
      return callbackListener(hooks ?? {}, key, target, registry);
    },
  };
}

function callbackListener(
  hooks: GraphQLRequestListener<GatewayContext>,
  key: string,
  target: CallbackTarget,
  registry: CallbackRegistry,
): GraphQLRequestListener<GatewayContext> {
  let stream: CallbackStream | undefined;
  return {
    async responseForOperation(requestContext) {
      if (requestContext.operation?.operation !== 'subscription')
        return refusal(
          'BAD_REQUEST',
          'A callback request (extensions.subscription) runs a subscription; send queries and mutations without it.',
        );
      const caller = requestContext.contextValue.caller;
      if (!caller) return refusal('UNAUTHENTICATED', 'A subscription needs a caller token.');
      const slot = registry.connections.open(caller);
      if (!slot) return refusal('ACTION_NOT_ALLOWED', tooManyConnectionsMessage(registry.connections.limit));
      stream = registry.start(key, target, requestContext.contextValue, slot);
      return (await hooks.responseForOperation?.(requestContext)) ?? null;
    },
    async willSendResponse(requestContext) {
      // Refused before, by another plugin or here: the router hears nothing.
      if (!stream) return;
      try {
        await hooks.willSendResponse?.(requestContext);
      } finally {
        if (!stream.checked) {
          stream.end();
          // The protocol: a subgraph whose check failed answers the router's request with a 400-level status.
          requestContext.response.http.status = 400;
          requestContext.response.body = {
            kind: 'single',
            singleResult: { data: null, errors: [{ message: CHECK_FAILED, extensions: { code: 'BAD_REQUEST' } }] },
          };
        }
      }
    },
  };
}

function refusal(code: string, message: string): GraphQLResponse {
  return {
    http: { status: 400, headers: new HeaderMap() },
    body: { kind: 'single', singleResult: { data: null, errors: [{ message, extensions: { code } }] } },
  };
}

/** The plugin's lines at debug: they name callback URLs, which are the deployment's business, not every log reader's. */
function pluginLogger(logger: Logger): NonNullable<ApolloServerPluginSubscriptionCallbackOptions['logger']> {
  const line = (message: unknown): void => logger.debug(`subscription callback plugin: ${String(message)}`);
  return { debug: line, info: line, warn: line, error: line };
}

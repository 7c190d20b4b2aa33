import { HeaderMap, type ApolloServerPlugin, type GraphQLRequestListener, type GraphQLResponse } from '@apollo/server';
import {
  ApolloServerPluginSubscriptionCallback,
  type ApolloServerPluginSubscriptionCallbackOptions,
} from '@apollo/server/plugin/subscriptionCallback';
import type express from 'express';
import {
  GraphQLError,
  SingleFieldSubscriptionsRule,
  parse,
  validate,
  type DocumentNode,
  type GraphQLFormattedError,
  type GraphQLSchema,
  type ParseOptions,
} from 'graphql';
import type { GatewayContext } from '../context.js';
import { silentLogger, type Logger } from '../logger.js';
import { tooManyConnectionsMessage, type CallerConnection, type CallerConnections } from './caller-connections.js';

/**
 * Apollo Router's callback mode (Apollo's "HTTP Callback Protocol for GraphQL Subscriptions"), served by Apollo Server's
 * own subscription-callback plugin: the router POSTs the subscription to `/graphql` with `extensions.subscription`
 * `{ callbackUrl, subscriptionId, verifier, heartbeatIntervalMs }`, the gateway confirms it with a `check` to that URL
 * before it answers `{ "data": null }`, then POSTs `next` per event, `check` as a heartbeat and `complete` at the end.
 *
 * The request names a URL the gateway will POST to, so it must fall under SUBSCRIPTION_CALLBACK_URLS (compared by parsed
 * origin and path segments, never as strings); anything else, or any callback request while that list is empty, is
 * refused with BAD_REQUEST by the middleware, before Apollo and the plugin see it (the plugin would POST `check` even
 * after another plugin's refusal). Every POST the plugin makes goes through the fetcher here, which
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
  formatError: (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;
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

/** Failed POSTs in a row (no answer at all) after which a subscription is given up. */
const MAX_FAILURES = 3;
/** The protocol's default when the router names no heartbeat interval. */
const DEFAULT_HEARTBEAT_MS = 5_000;
/** Heartbeats more often than this would have the gateway flood the router; 0 turns them off. */
const MIN_HEARTBEAT_MS = 100;
/** setInterval's ceiling is about 24.8 days; a day is far beyond any router's setting. */
const MAX_HEARTBEAT_MS = 86_400_000;
/**
 * When the router turns heartbeats off, the plugin still gets this interval, and its heartbeats are answered here
 * without reaching the router: it forgets a subscription only when one is refused, and one that ended before it began
 * consuming events (a start refused by the resolver) would otherwise stay in its memory for good.
 */
const LOCAL_HEARTBEAT_MS = 60_000;
const MAX_URL_LENGTH = 2_048;
/** Router subscription ids are hashes or UUIDs, its verifiers hex digests: printable ASCII, bounded. */
const SUBSCRIPTION_ID = /^[\x21-\x7e]{1,256}$/;
const VERIFIER = /^[\x21-\x7e]{1,1024}$/;
const OFF = "Callback subscriptions (Apollo Router's callback mode) are off on this gateway: no SUBSCRIPTION_CALLBACK_URLS are configured.";
const NOT_ALLOWED = 'The callback URL is not one this gateway may call (SUBSCRIPTION_CALLBACK_URLS).';
const MISPLACED = 'A callback subscription is one POST with a JSON body holding extensions.subscription, never a GET or part of a batch.';
const CHECK_FAILED = 'The callback URL did not confirm the subscription (its check was refused or not answered); nothing was started.';

/** Requests the middleware admitted: the request limits let their subscription through (limits.ts). */
const admittedRequests = new WeakSet<object>();

/** Whether the middleware admitted this request as a callback subscription (only then may a subscription arrive over plain HTTP). */
export function isCallbackSubscriptionRequest(req: object): boolean {
  return admittedRequests.has(req);
}

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

// ------------------------------------------------------------------------------------ the allow-list

/**
 * Whether a URL falls under one of the prefixes: the same origin (scheme, host and port, as the URL parser normalises
 * them) and the prefix's path segments first. `https://router.example.com.evil.net` is not under
 * `https://router.example.com`, nor `/callbacks` under `/callback`.
 */
export function createCallbackAllowList(prefixes: readonly string[]): (url: URL) => boolean {
  const entries = prefixes.map((prefix) => {
    const url = new URL(prefix);
    return { origin: url.origin, path: url.pathname.endsWith('/') ? url.pathname : `${url.pathname}/` };
  });
  return (url) =>
    (url.protocol === 'https:' || url.protocol === 'http:') &&
    url.username === '' &&
    url.password === '' &&
    entries.some((e) => url.origin === e.origin && `${url.pathname}/`.startsWith(e.path));
}

// ------------------------------------------------------------------------------------ the middleware

/** What the router's request names, checked. */
interface CallbackTarget {
  url: URL;
  subscriptionId: string;
  verifier: string;
  heartbeatIntervalMs: number;
}

function createCallbackMiddleware(
  registry: CallbackRegistry,
  allowed: (url: URL) => boolean,
  enabled: boolean,
  documentRefusal: (query: unknown) => string | undefined,
): express.RequestHandler {
  const refuse = (res: express.Response, message: string, code = 'BAD_REQUEST'): void => {
    res.status(400).json({ errors: [{ message, extensions: { code } }] });
  };
  return (req, res, next) => {
    const found = findCallbackExtension(req);
    if (found === undefined) return next();
    if (!enabled) return refuse(res, OFF);
    if (found === 'misplaced') return refuse(res, MISPLACED);
    const target = vetExtension(found.extension, allowed);
    if (typeof target === 'string') return refuse(res, target);
    const invalid = documentRefusal(found.body.query);
    if (invalid !== undefined) return refuse(res, invalid, 'GRAPHQL_VALIDATION_FAILED');
    const key = registry.admit(target);
    res.once('close', () => registry.forget(key));
    // What the plugin reads: exactly the checked values, under the URL of this request's own.
    const extensions = found.body.extensions as Record<string, unknown>;
    found.body.extensions = {
      ...extensions,
      subscription: {
        callbackUrl: key,
        subscriptionId: target.subscriptionId,
        verifier: target.verifier,
        heartbeatIntervalMs: target.heartbeatIntervalMs || LOCAL_HEARTBEAT_MS,
      },
    };
    admittedRequests.add(req);
    next();
  };
}

/**
 * The `extensions.subscription` Apollo would hand the plugin (which acts on any truthy one), with the POST body holding
 * it; `misplaced` for one where the protocol has none (a GET's URL, an operation of a batch); undefined for none.
 */
function findCallbackExtension(req: express.Request): { body: Record<string, unknown>; extension: unknown } | 'misplaced' | undefined {
  const body: unknown = req.body;
  if (Array.isArray(body)) return body.some((operation) => callbackExtensionOf(operation) !== undefined) ? 'misplaced' : undefined;
  if (req.method === 'GET') {
    const fromUrl = (req.query as Record<string, unknown>).extensions;
    return [fromUrl].flat().some((text) => callbackExtensionOf({ extensions: parseJson(text) }) !== undefined) ? 'misplaced' : undefined;
  }
  const extension = callbackExtensionOf(body);
  return extension === undefined ? undefined : { body: body as Record<string, unknown>, extension };
}

function callbackExtensionOf(operation: unknown): unknown {
  if (!isRecord(operation) || !isRecord(operation.extensions)) return undefined;
  const extension = operation.extensions.subscription;
  return extension ? extension : undefined;
}

/**
 * graphql-js 16's validation throws, instead of reporting, on a directive with a variable (`@skip(if: $var)`) on a
 * subscription's root field, and Apollo answers such a throw with an internal error; the other transports' document
 * cache and the request limits keep such documents from Apollo, so this does too. Anything else (a document that does
 * not parse, is too large, or is absent, as a persisted query's may be) is left to the request limits and Apollo.
 */
function rootFieldRefusal(
  { schema, parseOptions }: Pick<SubscriptionCallbackOptions, 'schema' | 'parseOptions'>,
  query: unknown,
): string | undefined {
  if (typeof query !== 'string' || !/@(?:skip|include)\b/.test(query)) return undefined;
  let document: DocumentNode;
  try {
    document = parse(query, { ...parseOptions, noLocation: true });
  } catch {
    return undefined;
  }
  try {
    validate(schema, document, [SingleFieldSubscriptionsRule]);
    return undefined;
  } catch (err) {
    const reason = err instanceof GraphQLError ? ` ${err.message}` : '';
    return `A subscription's root field cannot depend on a variable (@skip or @include with a variable).${reason}`;
  }
}

/** The checked target, or why the request is refused. Field names and defaults as the plugin reads them. */
function vetExtension(extension: unknown, allowed: (url: URL) => boolean): CallbackTarget | string {
  if (!isRecord(extension))
    return 'extensions.subscription must be an object: { callbackUrl, subscriptionId, verifier, heartbeatIntervalMs }.';
  const rawUrl = extension.callbackUrl || extension.callback_url;
  const subscriptionId = extension.subscriptionId || extension.subscription_id;
  const { verifier } = extension;
  const heartbeat = extension.heartbeatIntervalMs ?? extension.heartbeat_interval_ms ?? DEFAULT_HEARTBEAT_MS;
  if (typeof subscriptionId !== 'string' || !SUBSCRIPTION_ID.test(subscriptionId))
    return 'extensions.subscription.subscriptionId must be 1 to 256 printable ASCII characters.';
  if (typeof verifier !== 'string' || !VERIFIER.test(verifier))
    return 'extensions.subscription.verifier must be 1 to 1024 printable ASCII characters.';
  if (
    typeof heartbeat !== 'number' ||
    !Number.isInteger(heartbeat) ||
    (heartbeat !== 0 && (heartbeat < MIN_HEARTBEAT_MS || heartbeat > MAX_HEARTBEAT_MS))
  )
    return `extensions.subscription.heartbeatIntervalMs must be 0 (no heartbeats) or an integer from ${MIN_HEARTBEAT_MS} to ${MAX_HEARTBEAT_MS}.`;
  const url = typeof rawUrl === 'string' && rawUrl.length <= MAX_URL_LENGTH && !rawUrl.includes('#') ? parseUrl(rawUrl) : undefined;
  if (!url || !allowed(url)) return NOT_ALLOWED;
  return { url, subscriptionId, verifier, heartbeatIntervalMs: heartbeat };
}

// ------------------------------------------------------------------------------------ running subscriptions

/** One callback subscription that passed its start's checks: the router's URL and ids, the caller's slot, its context. */
class CallbackStream {
  /** The router confirmed the first `check`. */
  checked = false;
  /** `complete` is on its way: a heartbeat after it would only race it. */
  completing = false;
  ended = false;
  #failedChecks = 0;
  #failedDeliveries = 0;

  constructor(
    readonly target: CallbackTarget,
    readonly context: GatewayContext,
    private readonly slot: CallerConnection,
    private readonly onEnd: () => void,
  ) {}

  /** A POST got no answer; true when that was one too many and the subscription is given up. */
  failed(action: CallbackAction): boolean {
    return (action === 'check' ? ++this.#failedChecks : ++this.#failedDeliveries) >= MAX_FAILURES;
  }

  /** The router answered 2xx. */
  delivered(action: CallbackAction): void {
    if (action === 'check') {
      this.#failedChecks = 0;
      this.checked = true;
      return;
    }
    this.#failedDeliveries = 0;
    // Like every transport after an event: what the event built for Graph is let go until the next one.
    if (action === 'next') this.context.beginEvent();
    else this.end();
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.slot.close();
    this.onEnd();
  }
}

/** Requests the middleware admitted (until their response closes), and the subscriptions they started, by the plugin's URL. */
class CallbackRegistry {
  readonly #admitted = new Map<string, CallbackTarget>();
  readonly #streams = new Map<string, CallbackStream>();
  #sequence = 0;

  constructor(readonly connections: CallerConnections) {}

  /** The URL the plugin will know this request's subscription by. */
  admit(target: CallbackTarget): string {
    const key = new URL(target.url);
    key.hash = `gateway-${++this.#sequence}`;
    this.#admitted.set(key.href, target);
    return key.href;
  }

  forget(key: string): void {
    this.#admitted.delete(key);
  }

  admitted(key: string): CallbackTarget | undefined {
    return this.#admitted.get(key);
  }

  start(key: string, target: CallbackTarget, context: GatewayContext, slot: CallerConnection): CallbackStream {
    const stream = new CallbackStream(target, context, slot, () => {
      if (this.#streams.get(key) === stream) this.#streams.delete(key);
    });
    this.#streams.set(key, stream);
    return stream;
  }

  stream(key: string): CallbackStream | undefined {
    return this.#streams.get(key);
  }
}

// ------------------------------------------------------------------------------------ the plugin

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

// ------------------------------------------------------------------------------------ the fetcher

type Fetcher = NonNullable<ApolloServerPluginSubscriptionCallbackOptions['fetcher']>;
type FetcherInit = Parameters<Fetcher>[1];
type FetcherResult = Awaited<ReturnType<Fetcher>>;
type CallbackAction = 'check' | 'next' | 'complete';

/** A message the plugin asks to send. */
interface CallbackMessage {
  action: CallbackAction;
  id: string;
  verifier: string;
  payload?: unknown;
  errors?: unknown;
}

interface DeliverOptions {
  allowed: (url: URL) => boolean;
  formatError: SubscriptionCallbackOptions['formatError'];
  timeoutMs: number;
  logger: Logger;
}

/**
 * What the plugin is told when a message must go no further, so that it ends the subscription and sends nothing more:
 * 404 ("the router ended it"), except for the first `check`, which the plugin would take as confirmed (it fails only on
 * other statuses). Never a rejection for `complete`: the plugin does not always await that one, and an unhandled
 * rejection would stop the process.
 */
const stop = (message: CallbackMessage | undefined, stream: CallbackStream | undefined): FetcherResult =>
  new Response(null, { status: message?.action === 'check' && stream && !stream.checked ? 400 : 404 });

/** The plugin's fetcher: one message of one admitted subscription to its router, masked; see the module comment. */
async function deliver(registry: CallbackRegistry, key: string, init: FetcherInit, options: DeliverOptions): Promise<FetcherResult> {
  const stream = registry.stream(key);
  const message = messageOf(init?.body);
  if (!stream || stream.ended || !message || (stream.completing && message.action === 'check')) return stop(message, stream);
  if (message.action === 'complete') stream.completing = true;
  const { target } = stream;
  if (message.id !== target.subscriptionId || message.verifier !== target.verifier || !options.allowed(target.url))
    return stop(message, stream);
  // Heartbeats the router turned off (LOCAL_HEARTBEAT_MS): the subscription is alive, and the router need not hear it.
  if (message.action === 'check' && stream.checked && target.heartbeatIntervalMs === 0) return new Response(null, { status: 204 });
  let status: number;
  try {
    status = await post(target.url, JSON.stringify(maskedMessage(message, options.formatError)), options.timeoutMs);
  } catch {
    if (!stream.failed(message.action)) throw new Error(`The callback ${message.action} got no answer.`);
    options.logger.info('callback subscription ended: the router did not answer', {
      subscriptionId: target.subscriptionId,
      action: message.action,
    });
    const answer = stop(message, stream);
    stream.end();
    return answer;
  }
  if (status < 200 || status > 299) {
    options.logger.debug('callback subscription ended by the router', {
      subscriptionId: target.subscriptionId,
      action: message.action,
      status,
    });
    const answer = stop(message, stream);
    stream.end();
    return answer;
  }
  stream.delivered(message.action);
  return new Response(null, { status: 204 });
}

/** POSTs one message; the status of the answer, whose body is not read. */
async function post(url: URL, body: string, timeoutMs: number): Promise<number> {
  const res = await fetch(url, {
    method: 'POST',
    // The protocol's headers, and nothing of the caller's request.
    headers: { 'content-type': 'application/json', 'subscription-protocol': 'callback/1.0' },
    body,
    // A redirect would lead past the allow-list.
    redirect: 'manual',
    signal: AbortSignal.timeout(timeoutMs),
  });
  await res.body?.cancel();
  return res.status;
}

function messageOf(body: unknown): CallbackMessage | undefined {
  const parsed = typeof body === 'string' ? parseJson(body) : undefined;
  if (!isRecord(parsed)) return undefined;
  const { action, id, verifier } = parsed;
  if (action !== 'check' && action !== 'next' && action !== 'complete') return undefined;
  if (typeof id !== 'string' || typeof verifier !== 'string') return undefined;
  return { action, id, verifier, payload: parsed.payload, errors: parsed.errors };
}

/** The message as the router gets it: the protocol's fields only, every error formatted (masked). */
function maskedMessage(message: CallbackMessage, formatError: SubscriptionCallbackOptions['formatError']): Record<string, unknown> {
  const mask = (errors: unknown): GraphQLFormattedError[] | undefined =>
    Array.isArray(errors) && errors.length > 0 ? errors.map((e: unknown) => formatError(formattedOf(e), e)) : undefined;
  const out: Record<string, unknown> = { kind: 'subscription', action: message.action, id: message.id, verifier: message.verifier };
  if (isRecord(message.payload)) {
    const { errors, ...rest } = message.payload;
    const masked = mask(errors);
    out.payload = masked ? { ...rest, errors: masked } : rest;
  }
  const errors = mask(message.errors);
  if (errors) out.errors = errors;
  return out;
}

/** An error as graphql-js serialised it, read back (anything unexpected is left for the formatting to mask). */
function formattedOf(error: unknown): GraphQLFormattedError {
  if (!isRecord(error)) return { message: 'Unexpected error.' };
  const { message, locations, path, extensions } = error;
  return {
    message: typeof message === 'string' ? message : 'Unexpected error.',
    ...(Array.isArray(locations) ? { locations: locations as GraphQLFormattedError['locations'] } : {}),
    ...(Array.isArray(path) ? { path: path as GraphQLFormattedError['path'] } : {}),
    ...(isRecord(extensions) ? { extensions } : {}),
  };
}

// ------------------------------------------------------------------------------------ helpers

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseJson(text: unknown): unknown {
  if (typeof text !== 'string') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function parseUrl(raw: string): URL | undefined {
  try {
    return new URL(raw);
  } catch {
    return undefined;
  }
}

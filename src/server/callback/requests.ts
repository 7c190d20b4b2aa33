import type express from 'express';
import { SingleFieldSubscriptionsRule, parse, type DocumentNode, type GraphQLSchema, type ParseOptions } from 'graphql';
import { validateDocument } from '../document-cache.js';
import { isRecord, parseJson, parseUrl } from './json.js';
import type { CallbackRegistry, CallbackTarget } from './streams.js';

/**
 * Which callback requests are admitted: the middleware on `/graphql`, before the request limits and Apollo, that refuses
 * any request naming a callback URL outside the allow-list (or any at all while callback mode is off), checks what the
 * router's request names, and hands the plugin exactly the checked values.
 */

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
export const LOCAL_HEARTBEAT_MS = 60_000;
const MAX_URL_LENGTH = 2_048;
/** Router subscription ids are hashes or UUIDs, its verifiers hex digests: printable ASCII, bounded. */
const SUBSCRIPTION_ID = /^[\x21-\x7e]{1,256}$/;
const VERIFIER = /^[\x21-\x7e]{1,1024}$/;
const OFF = "Callback subscriptions (Apollo Router's callback mode) are off on this gateway: no SUBSCRIPTION_CALLBACK_URLS are configured.";
export const NOT_ALLOWED = 'The callback URL is not one this gateway may call (SUBSCRIPTION_CALLBACK_URLS).';
const MISPLACED = 'A callback subscription is one POST with a JSON body holding extensions.subscription, never a GET or part of a batch.';

/** Requests the middleware admitted: the request limits let their subscription through (limits.ts). */
const admittedRequests = new WeakSet<object>();

/** Whether the middleware admitted this request as a callback subscription (only then may a subscription arrive over plain HTTP). */
export function isCallbackSubscriptionRequest(req: object): boolean {
  return admittedRequests.has(req);
}

export function createCallbackMiddleware(
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
export function rootFieldRefusal(
  { schema, parseOptions }: { schema: GraphQLSchema; parseOptions: ParseOptions },
  query: unknown,
): string | undefined {
  if (typeof query !== 'string' || !/@(?:skip|include)\b/.test(query)) return undefined;
  let document: DocumentNode;
  try {
    document = parse(query, { ...parseOptions, noLocation: true });
  } catch {
    return undefined;
  }
  return validateDocument(schema, document, [SingleFieldSubscriptionsRule])[0]?.message;
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

import type { ApolloServerPluginSubscriptionCallbackOptions } from '@apollo/server/plugin/subscriptionCallback';
import type { GraphQLFormattedError } from 'graphql';
import type { Logger } from '../../logger.js';
import { isRecord, parseJson } from './json.js';
import type { CallbackAction, CallbackRegistry, CallbackStream } from './streams.js';

/** The error formatting of every transport (masking). */
export type FormatError = (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;

export type Fetcher = NonNullable<ApolloServerPluginSubscriptionCallbackOptions['fetcher']>;
type FetcherInit = Parameters<Fetcher>[1];
type FetcherResult = Awaited<ReturnType<Fetcher>>;

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
  formatError: FormatError;
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
export async function deliver(registry: CallbackRegistry, key: string, init: FetcherInit, options: DeliverOptions): Promise<FetcherResult> {
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
function maskedMessage(message: CallbackMessage, formatError: FormatError): Record<string, unknown> {
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

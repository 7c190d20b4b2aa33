import type { FormattedExecutionResult } from 'graphql';
import { waitFor } from '../subscriptions/support.js';

/**
 * Raw readers of the two HTTP subscription protocols, as the wire carries them: what Hive Gateway sends a subgraph
 * (a GET with `Accept: text/event-stream`) and what Apollo Client's HttpLink sends (a POST with Apollo's multipart
 * Accept header). Written from the protocols, not from the gateway's code.
 */

export interface HttpStream<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  results: Array<FormattedExecutionResult<T>>;
  /** Multipart heartbeats (`{}` parts) seen. */
  heartbeats: number;
  /** The server ended the stream (SSE `complete` then end of body; multipart closing boundary). */
  completed: boolean;
  /** The body ended, completed or not. */
  closed: boolean;
  next(n: number, timeoutMs?: number): Promise<void>;
  ended(timeoutMs?: number): Promise<void>;
  stop(): void;
}

export interface StreamRequest {
  query: string;
  variables?: Record<string, unknown>;
  operationName?: string;
  token?: string | undefined;
  headers?: Record<string, string>;
}

/** An SSE subscription sent as Hive Gateway sends it: GET with the operation in the URL. */
export function sseGet<T>(url: string, request: StreamRequest): HttpStream<T> {
  const target = new URL(url);
  target.searchParams.set('query', request.query);
  if (request.variables) target.searchParams.set('variables', JSON.stringify(request.variables));
  if (request.operationName) target.searchParams.set('operationName', request.operationName);
  return open<T>(target.toString(), { method: 'GET', headers: headersOf(request, 'text/event-stream') }, readSse);
}

/** A multipart subscription sent as Apollo Client's HttpLink sends it. */
export function multipartPost<T>(url: string, request: StreamRequest): HttpStream<T> {
  const { query, variables, operationName } = request;
  return open<T>(
    url,
    {
      method: 'POST',
      headers: {
        ...headersOf(request, 'multipart/mixed;boundary="graphql";subscriptionSpec=1.0,application/json'),
        'content-type': 'application/json',
      },
      body: JSON.stringify({ query, variables, operationName }),
    },
    readMultipart,
  );
}

function headersOf(request: StreamRequest, accept: string): Record<string, string> {
  return { accept, ...(request.token ? { authorization: `Bearer ${request.token}` } : {}), ...request.headers };
}

type Reader = <T>(body: ReadableStream<Uint8Array>, stream: HttpStream<T>) => Promise<void>;

function open<T>(url: string, init: RequestInit, read: Reader): HttpStream<T> {
  const abort = new AbortController();
  const stream: HttpStream<T> = {
    status: 0,
    headers: new Headers(),
    results: [],
    heartbeats: 0,
    completed: false,
    closed: false,
    next: (n, timeoutMs = 5_000) => waitFor(() => stream.results.length >= n || stream.closed, timeoutMs, `${n} results`),
    ended: (timeoutMs = 5_000) => waitFor(() => stream.closed, timeoutMs, 'the stream to end'),
    stop: () => abort.abort(),
  };
  void (async () => {
    try {
      const response = await fetch(url, { ...init, signal: abort.signal });
      stream.status = response.status;
      stream.headers = response.headers;
      if (response.body) await read(response.body, stream);
    } catch {
      // Aborted by the test, or the connection was cut: the stream is closed either way.
    } finally {
      stream.closed = true;
    }
  })();
  return stream;
}

async function* chunks(body: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) yield decoder.decode(chunk, { stream: true });
}

/** `event: next` / `event: complete` messages of an SSE body (comments are keep-alives). */
const readSse: Reader = async (body, stream) => {
  let buffer = '';
  for await (const text of chunks(body)) {
    buffer += text;
    let end: number;
    while ((end = buffer.indexOf('\n\n')) !== -1) {
      const message = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event = /^event: ?(.*)$/m.exec(message)?.[1];
      const data = message
        .split('\n')
        .filter((l) => l.startsWith('data:'))
        .map((l) => l.replace(/^data: ?/, ''))
        .join('\n');
      if (event === 'next') stream.results.push(JSON.parse(data) as (typeof stream.results)[number]);
      if (event === 'complete') stream.completed = true;
    }
  }
};

/** The JSON parts of a `multipart/mixed; boundary="graphql"` body: `{payload}` results, `{}` heartbeats. */
const readMultipart: Reader = async (body, stream) => {
  let buffer = '';
  for await (const text of chunks(body)) {
    buffer += text;
    const parts = buffer.split('\r\n--graphql');
    buffer = parts.pop() ?? '';
    for (const part of parts) {
      const at = part.indexOf('\r\n\r\n');
      if (at === -1) continue;
      const json = JSON.parse(part.slice(at + 4)) as { payload?: (typeof stream.results)[number] };
      if (json.payload) stream.results.push(json.payload);
      else stream.heartbeats++;
    }
    if (buffer.startsWith('--')) stream.completed = true;
  }
};

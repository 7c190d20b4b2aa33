import type express from 'express';
import type { HttpStreams, StreamParams } from './http-subscriptions.js';
import { serveStream, type StreamFraming } from './stream-response.js';

/**
 * Subscriptions over Server-Sent Events in the GraphQL over SSE protocol's "distinct connections" mode (graphql-sse's,
 * what Hive Gateway and graphql-sse's client send): one subscription per request, `GET` with the operation in the URL
 * or `POST` with a JSON body, `Accept: text/event-stream`; each result is an `event: next` message, the end an
 * `event: complete` message, and a comment every 12 s keeps idle proxies from closing the stream. The protocol's
 * "single connection" mode (streams reserved with `PUT`, operations posted to them) is not offered: every request
 * here carries its own subscription, so no reservation outlives a request.
 *
 * Written here rather than with graphql-sse's server handler, which holds about 5 KiB more per idle subscriber (its
 * per-stream generators, queues and closures) than this framing on the stream loop the multipart protocol shares;
 * graphql-sse's own client and Hive Gateway are what the tests check it against.
 */

const FRAMING: StreamFraming = {
  headers: {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    connection: 'keep-alive',
    // Proxies that buffer responses (nginx) would hold events back.
    'x-accel-buffering': 'no',
  },
  // A first comment at once: some browsers show nothing of a stream before its first bytes.
  opening: ':\n\n',
  result: (result) => `event: next\ndata: ${JSON.stringify(result)}\n\n`,
  heartbeat: ':\n\n',
  heartbeatMs: 12_000,
  end: 'event: complete\ndata:\n\n',
};

export function createSseHandler(streams: HttpStreams): express.RequestHandler {
  return (req, res, next) => {
    serveStream(streams, req, res, paramsOf(req), 'sse', FRAMING).catch(next);
  };
}

/** A GET's operation from its URL (`query`, `variables` and `operationName`, as JSON where they are objects); a POST's body. */
function paramsOf(req: express.Request): StreamParams {
  if (req.method !== 'GET') {
    const body: unknown = req.body;
    return typeof body === 'object' && body !== null && !Array.isArray(body) ? body : {};
  }
  const search = new URLSearchParams(req.url.includes('?') ? req.url.slice(req.url.indexOf('?') + 1) : '');
  return {
    query: search.get('query') ?? undefined,
    operationName: search.get('operationName') ?? undefined,
    variables: search.get('variables') ?? undefined,
  };
}

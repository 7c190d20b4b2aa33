import type express from 'express';
import type { HttpStreams } from './http-subscriptions.js';
import { serveStream, type StreamFraming } from './stream-response.js';

/**
 * Subscriptions over Apollo's multipart HTTP protocol (what Apollo Client's `HttpLink` and Apollo Router speak): one
 * `POST` with `Accept: multipart/mixed;subscriptionSpec=1.0`, answered with a `multipart/mixed` body whose parts are
 * JSON: `{"payload": <result>}` per event, `{}` as a heartbeat (at once, then every 5 s), and the closing delimiter when
 * the subscription completes. Results with errors (a refusal, an expired token) travel in `payload`, as GraphQL errors
 * the client's code can read.
 */

const BOUNDARY = 'graphql';

/**
 * One part, followed at once by the next delimiter: a client reads a part when the delimiter after it arrives, so a
 * part that waited for the next event's delimiter would reach it one event late.
 */
const part = (json: string): string => `\r\ncontent-type: application/json; charset=utf-8\r\n\r\n${json}\r\n--${BOUNDARY}`;

export function createMultipartHandler(streams: HttpStreams, { heartbeatMs }: { heartbeatMs: number }): express.RequestHandler {
  const framing: StreamFraming = {
    headers: { 'content-type': `multipart/mixed;boundary="${BOUNDARY}";subscriptionSpec="1.0"`, 'cache-control': 'no-store' },
    // The first delimiter, then a heartbeat.
    opening: `\r\n--${BOUNDARY}${part('{}')}`,
    result: (result) => part(JSON.stringify({ payload: result })),
    heartbeat: part('{}'),
    heartbeatMs,
    // Closes the last delimiter: `--graphql--`.
    end: '--\r\n',
  };
  return (req, res, next) => {
    const body: unknown = req.body;
    const params = typeof body === 'object' && body !== null && !Array.isArray(body) ? body : {};
    serveStream(streams, req, res, params, 'multipart', framing).catch(next);
  };
}

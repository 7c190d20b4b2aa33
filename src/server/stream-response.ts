import type express from 'express';
import type { ExecutionArgs, ExecutionResult } from 'graphql';
import type { DeliveredResult, HttpStreams, StreamParams } from './http-subscriptions.js';

/**
 * One subscription answered as a streaming HTTP response, whatever its framing (SSE or Apollo's multipart protocol):
 * admitted and subscribed (http-subscriptions.ts), then each result written as it comes, a heartbeat while nothing
 * happens, and the end when the subscription completes. The client ends it by closing its request. A refusal is the
 * stream's one result, then its end. Writes wait for a full socket to drain, so a client that reads slowly holds its
 * subscriber queue back, where a subscriber too far behind is dropped (its connection closed).
 */

/** How a protocol frames a stream. */
export interface StreamFraming {
  /** The response's headers. */
  headers: Readonly<Record<string, string>>;
  /** Written first, at once: the client sees the stream open before the first event. */
  opening: string;
  /** One result, as its frame. */
  result(result: DeliveredResult): string;
  /** Written every `heartbeatMs` while the stream is open. */
  heartbeat: string;
  heartbeatMs: number;
  /** Written when the subscription completes. */
  end: string;
}

export async function serveStream(
  streams: HttpStreams,
  req: express.Request,
  res: express.Response,
  params: StreamParams,
  transport: 'sse' | 'multipart',
  framing: StreamFraming,
): Promise<void> {
  const admitted = await streams.admit(req, res, params, transport);
  const args = 'document' in admitted ? admitted : undefined;
  const answer = args ? await streams.subscribe(args) : (admitted as ExecutionResult);
  if (res.destroyed) {
    if (isStream(answer)) await answer.return?.();
    return;
  }
  res.writeHead(200, framing.headers);
  if (!isStream(answer)) {
    res.end(framing.opening + framing.result(streams.deliver(args, answer)) + framing.end);
    return;
  }
  await pipe(streams, args, answer, res, framing);
}

/** Writes each result until the subscription completes or the client goes. */
async function pipe(
  streams: HttpStreams,
  args: ExecutionArgs | undefined,
  results: AsyncIterableIterator<ExecutionResult>,
  res: express.Response,
  framing: StreamFraming,
): Promise<void> {
  const heartbeat = setInterval(() => void write(res, framing.heartbeat), framing.heartbeatMs);
  heartbeat.unref();
  const stop = (): void => void results.return?.();
  res.once('close', stop);
  await write(res, framing.opening);
  try {
    for await (const result of results) {
      if (res.destroyed) break;
      await write(res, framing.result(streams.deliver(args, result)));
    }
    if (!res.destroyed) res.end(framing.end);
  } catch {
    // The stream failed (a subscriber dropped for falling behind): its connection is closed, as a WebSocket's would be.
    res.destroy();
  } finally {
    clearInterval(heartbeat);
    res.off('close', stop);
  }
}

/** Writes `chunk`, waiting for the socket to drain when it is full (a slow client), never past its closing. */
function write(res: express.Response, chunk: string): Promise<void> {
  if (res.destroyed || res.writableEnded) return Promise.resolve();
  if (res.write(chunk)) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.once('drain', done);
    res.once('close', done);
  });
}

function isStream(value: AsyncIterableIterator<ExecutionResult> | ExecutionResult): value is AsyncIterableIterator<ExecutionResult> {
  return typeof (value as Partial<AsyncIterableIterator<ExecutionResult>>)[Symbol.asyncIterator] === 'function';
}

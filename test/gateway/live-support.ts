import { createClient, type Client, type ClientOptions, type FormattedExecutionResult } from 'graphql-ws';
import WebSocket from 'ws';
import { waitFor } from '../subscriptions/support.js';

/**
 * Real graphql-ws clients for the subscription suites, against gateways that `startGatewayOn` (./harness.ts) starts as
 * `npm start` starts them.
 */

export interface TestWsClient {
  client: Client;
  /** How the socket closed last (code and reason), once it did. */
  closed: { code: number; reason: string } | undefined;
  /** Resolves with the close once the socket closed. */
  waitClosed(timeoutMs?: number): Promise<{ code: number; reason: string }>;
  dispose(): Promise<void>;
}

/** A graphql-ws client (protocol graphql-transport-ws) that never retries, so a refusal shows as it is. */
export function wsClient(
  url: string,
  connectionParams?: Record<string, unknown>,
  headers?: Record<string, string>,
  options: Partial<ClientOptions> = {},
): TestWsClient {
  const state: TestWsClient = {
    closed: undefined,
    client: undefined as unknown as Client,
    async waitClosed(timeoutMs = 5_000) {
      await waitFor(() => state.closed !== undefined, timeoutMs, 'the socket to close');
      return state.closed!;
    },
    async dispose() {
      await state.client.dispose();
    },
  };
  const Impl = headers
    ? class extends WebSocket {
        constructor(address: string | URL, protocols?: string | string[]) {
          super(address, protocols, { headers });
        }
      }
    : WebSocket;
  state.client = createClient({
    url,
    webSocketImpl: Impl,
    retryAttempts: 0,
    lazy: true,
    ...(connectionParams ? { connectionParams } : {}),
    ...options,
    on: {
      closed: (event) => {
        const e = event as { code: number; reason: string | Buffer };
        state.closed = { code: e.code, reason: String(e.reason) };
      },
    },
  });
  return state;
}

export interface Stream<T> {
  results: Array<FormattedExecutionResult<T, unknown>>;
  /** `data[field]` of each result that has data. */
  values: T[keyof T][];
  completed: boolean;
  error: unknown;
  /** Waits for at least `n` results. */
  next(n: number, timeoutMs?: number): Promise<void>;
  /** Waits for the completion (or an error). */
  ended(timeoutMs?: number): Promise<void>;
  stop(): void;
}

/** Subscribes and collects every result until the server completes the operation. */
export function subscribe<T extends Record<string, unknown>>(
  c: TestWsClient,
  query: string,
  variables: Record<string, unknown>,
): Stream<T> {
  const collected = { results: [] as Stream<T>['results'], completed: false, error: undefined as unknown };
  const stream: Stream<T> = Object.assign(collected, { values: [] as T[keyof T][], ...streamWaits(collected), stop: () => undefined });
  stream.stop = c.client.subscribe<T>(
    { query, variables },
    {
      next: (result) => {
        stream.results.push(result);
        const data = result.data as T | null | undefined;
        if (data) for (const v of Object.values(data)) stream.values.push(v as T[keyof T]);
      },
      error: (err) => {
        stream.error = err;
      },
      complete: () => {
        stream.completed = true;
      },
    },
  );
  return stream;
}

/** What a test's collector of one subscription's results holds. */
export interface Collected {
  readonly results: readonly unknown[];
  readonly completed: boolean;
  readonly error: unknown;
}

/** `next(n)` (at least n results, or why not) and `ended()` (completion or error) of a collector. */
export function streamWaits(stream: Collected): {
  next(n: number, timeoutMs?: number): Promise<void>;
  ended(timeoutMs?: number): Promise<void>;
} {
  return {
    async next(n, timeoutMs = 5_000) {
      await waitFor(
        () => stream.results.length >= n || stream.completed || stream.error !== undefined,
        timeoutMs,
        `${n} results (have ${stream.results.length})`,
      );
      if (stream.results.length < n)
        throw new Error(`the stream ended after ${stream.results.length} results: ${JSON.stringify(stream.error ?? stream.results)}`);
    },
    async ended(timeoutMs = 5_000) {
      await waitFor(() => stream.completed || stream.error !== undefined, timeoutMs, 'the end of the stream');
    },
  };
}

/** The `extensions.code` of every error in a stream's results, in order. */
export function errorCodes(
  results: ReadonlyArray<{ errors?: ReadonlyArray<{ extensions?: Record<string, unknown> }> | undefined }>,
): string[] {
  return results.flatMap((result) => (result.errors ?? []).map((error) => String(error.extensions?.code)));
}

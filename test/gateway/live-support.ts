import { createClient, type Client, type FormattedExecutionResult } from 'graphql-ws';
import WebSocket from 'ws';
import { loadConfig } from '../../src/config.js';
import { startGateway, type Gateway, upstreamFromSettings } from '../../src/gateway.js';
import type { TestEmulator } from '../../packages/graph-emulator/test/harness.js';
import { waitFor } from '../subscriptions/support.js';

/**
 * Helpers for the subscription suites: gateways started as `npm start` starts them (several may share
 * one emulator, like replicas behind a load balancer), and real graphql-ws clients.
 */

/** A gateway on `t`'s emulator (the suite owns the emulator). */
export async function startGatewayOn(t: TestEmulator, env: Record<string, string> = {}): Promise<Gateway> {
  const s = t.emu.settings;
  return startGateway({
    config: loadConfig({ NODE_ENV: 'development', PORT: '0', GRAPH_RETRY_BASE_MS: '5', ...env }),
    host: '127.0.0.1',
    upstream: upstreamFromSettings(s, [t.emu.caCert]),
  });
}

/** A token for the gateway's API (`POST /_emulator/token`), optionally short-lived. */
export async function apiToken(t: TestEmulator, user: string, lifetimeSeconds?: number): Promise<string> {
  const res = await t.call<{ access_token: string }>('POST', '/_emulator/token', {
    body: { user, audience: t.emu.settings.AZURE_CLIENT_ID, ...(lifetimeSeconds !== undefined ? { lifetimeSeconds } : {}) },
  });
  if (res.status !== 200) throw new Error(`token request failed: ${res.status}`);
  return res.body.access_token;
}

export interface TestWsClient {
  client: Client;
  /** How the socket closed last (code and reason), once it did. */
  closed: { code: number; reason: string } | undefined;
  /** Resolves with the close once the socket closed. */
  waitClosed(timeoutMs?: number): Promise<{ code: number; reason: string }>;
  dispose(): Promise<void>;
}

/** A graphql-ws client (protocol graphql-transport-ws) that never retries, so a refusal shows as it is. */
export function wsClient(url: string, connectionParams?: Record<string, unknown>, headers?: Record<string, string>): TestWsClient {
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
export function subscribe<T extends Record<string, unknown>>(c: TestWsClient, query: string, variables: Record<string, unknown>): Stream<T> {
  const stream: Stream<T> = {
    results: [],
    values: [],
    completed: false,
    error: undefined,
    async next(n, timeoutMs = 5_000) {
      await waitFor(() => stream.results.length >= n || stream.completed || stream.error !== undefined, timeoutMs, `${n} results (have ${stream.results.length})`);
      if (stream.results.length < n) throw new Error(`the stream ended after ${stream.results.length} results: ${JSON.stringify(stream.error ?? stream.results)}`);
    },
    async ended(timeoutMs = 5_000) {
      await waitFor(() => stream.completed || stream.error !== undefined, timeoutMs, 'the end of the stream');
    },
    stop: () => undefined,
  };
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

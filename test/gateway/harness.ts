import type { JournalEntry } from '../../src/emulator/admin/journal.js';
import type { EmulatorOptions } from '../../src/emulator/index.js';
import { loadConfig } from '../../src/config.js';
import { startGateway, type Gateway } from '../../src/gateway.js';
import { startTestEmulator, type TestEmulator } from '../emulator/harness.js';

/**
 * The gateway as `npm start` wires it (`startGateway`: msal-node app tokens, the Graph client,
 * per-request loaders, Apollo on express), in process on an ephemeral port, against an in-process
 * emulator with a manual clock. Tests talk to it over real HTTP.
 */

export interface GraphQLResponse<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  data?: T | null;
  errors?: Array<{
    message: string;
    path?: Array<string | number>;
    extensions?: { code?: string; argument?: string; graph?: { status: number; code: string; requestId: string | null; clientRequestId: string | null }; [key: string]: unknown };
  }>;
  /** The raw body text, for "nothing leaks" assertions. */
  text: string;
}

export interface TestGateway {
  t: TestEmulator;
  gateway: Gateway;
  /** `http://127.0.0.1:<port>/graphql` */
  url: string;
  /** Origin of the gateway, for other paths (`/healthz`). */
  origin: string;
  /** POSTs a GraphQL operation as a JSON body. */
  query<T = Record<string, unknown>>(document: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<GraphQLResponse<T>>;
  /** Graph traffic the emulator saw (requests, `$batch` envelopes and items; no token requests). */
  graphEntries(): JournalEntry[];
  /** Clears the journal and the fault rules (not the data). */
  resetUpstream(): void;
  /** Errors the gateway logged (masked ones), by correlation id. */
  loggedErrors: Array<{ correlationId: string; error: unknown }>;
  close(): Promise<void>;
}

export interface TestGatewayOptions extends EmulatorOptions {
  /** Extra gateway environment (`NODE_ENV`, `INTROSPECTION`, …). */
  env?: Record<string, string>;
}

export async function startTestGateway(options: TestGatewayOptions = {}): Promise<TestGateway> {
  const { env, ...emulatorOptions } = options;
  const t = await startTestEmulator(emulatorOptions);
  const s = t.emu.settings;
  // Fast backoff, so that retry paths without a Retry-After do not slow the suite.
  const config = loadConfig({ NODE_ENV: 'development', PORT: '0', GRAPH_RETRY_BASE_MS: '5', ...env });
  const loggedErrors: TestGateway['loggedErrors'] = [];
  let gateway: Gateway;
  try {
    gateway = await startGateway({
      config,
      host: '127.0.0.1',
      upstream: {
        graphBaseUrl: s.GRAPH_BASE_URL,
        authorityHost: s.AZURE_AUTHORITY_HOST,
        tenantId: s.AZURE_TENANT_ID,
        clientId: s.AZURE_CLIENT_ID,
        credential: { kind: 'secret', clientSecret: s.AZURE_CLIENT_SECRET },
        ca: [t.emu.caCert],
      },
      logError: (correlationId, error) => loggedErrors.push({ correlationId, error }),
    });
  } catch (err) {
    await t.close();
    throw err;
  }
  const url = gateway.url;
  return {
    t,
    gateway,
    url,
    origin: new URL(url).origin,
    async query<T>(document: string, variables?: Record<string, unknown>, headers: Record<string, string> = {}) {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query: document, ...(variables ? { variables } : {}) }),
      });
      const text = await res.text();
      const body = JSON.parse(text) as Omit<GraphQLResponse<T>, 'status' | 'headers' | 'text'>;
      return { status: res.status, headers: res.headers, text, ...body };
    },
    graphEntries: () => t.emu.journal.list().filter((e) => e.kind !== 'token'),
    resetUpstream() {
      t.emu.journal.clear();
      t.emu.faults.clear();
    },
    loggedErrors,
    async close() {
      await gateway.stop();
      await t.close();
    },
  };
}

/** Upstream HTTP requests in a journal: lone requests plus `$batch` envelopes (items travel inside those). */
export function upstreamRequests(entries: readonly JournalEntry[]): JournalEntry[] {
  return entries.filter((e) => e.kind === 'request' || e.kind === 'batch');
}

/** The Graph calls in a journal as they were asked for: lone requests and the items of each `$batch`. */
export function graphCalls(entries: readonly JournalEntry[]): JournalEntry[] {
  return entries.filter((e) => e.kind === 'request' || e.kind === 'batchItem');
}

import type { JournalEntry } from '@restore-session-gateway/graph-emulator';
import { createAppTokenProvider, type AppTokenProvider, type AppTokenProviderOptions } from '../../src/auth/app-token-provider.js';
import { createGraphClient, type GraphClient, type GraphClientOptions } from '../../src/graph/client.js';
import { graphEntries, startTestEmulator, type TestEmulator } from '@restore-session-gateway/graph-emulator/testing';

/** An in-process emulator with a gateway Graph client pointed at it the way `main.ts` will: msal-node app tokens, the emulator's CA. */
export interface GraphFixture {
  t: TestEmulator;
  tokens: AppTokenProvider;
  client: GraphClient;
  /** Another client on the same emulator with different knobs. */
  makeClient(overrides?: Partial<GraphClientOptions>): GraphClient;
  /** Journal entries of Graph traffic (requests, envelopes, items) since the last `resetEmulatorSide()`. */
  graphEntries(): JournalEntry[];
  /** Clears the journal and fault rules (not the data). */
  resetEmulatorSide(): void;
  close(): Promise<void>;
}

/** Retries without real waiting: tests never sleep longer than the Retry-After they set. */
export const FAST_RETRY = { maxRetries: 3, baseDelayMs: 1, maxDelayMs: 5, maxRetryAfterMs: 2_000 } as const;

/** App-token provider options for the emulator's tenant, client secret and CA. */
export function emulatorAppTokenOptions(t: TestEmulator): AppTokenProviderOptions {
  const s = t.emu.settings;
  return {
    authorityHost: s.AZURE_AUTHORITY_HOST,
    tenantId: s.AZURE_TENANT_ID,
    clientId: s.AZURE_CLIENT_ID,
    clientSecret: s.AZURE_CLIENT_SECRET,
    ca: [t.emu.caCert],
  };
}

export async function startGraphFixture(): Promise<GraphFixture> {
  const t = await startTestEmulator();
  const s = t.emu.settings;
  const tokens = createAppTokenProvider(emulatorAppTokenOptions(t));
  const clients: GraphClient[] = [];
  const makeClient = (overrides: Partial<GraphClientOptions> = {}): GraphClient => {
    const c = createGraphClient({
      baseUrl: s.GRAPH_BASE_URL,
      tokenProvider: tokens,
      ca: [t.emu.caCert],
      maxConcurrentBatches: 4,
      retry: FAST_RETRY,
      ...overrides,
    });
    clients.push(c);
    return c;
  };
  const client = makeClient();
  return {
    t,
    tokens,
    client,
    makeClient,
    graphEntries: () => graphEntries(t.emu.journal.list()),
    resetEmulatorSide() {
      t.emu.journal.clear();
      t.emu.faults.clear();
    },
    async close() {
      for (const c of clients) await c.close();
      await tokens.close();
      await t.close();
    },
  };
}

/** A GUID no seed uses. */
export function unknownGuid(n: number): string {
  return `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}

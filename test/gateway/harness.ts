import { afterAll, beforeAll, beforeEach } from 'vitest';
import type { EmulatorOptions, EmulatorProfile, JournalEntry } from '@restore-session-gateway/graph-emulator';
import { graphEntries, startTestEmulator, tokenRequests, type TestEmulator } from '@restore-session-gateway/graph-emulator/testing';
import { loadConfig, type Config } from '../../src/config.js';
import { startGateway, type Gateway, type StartGatewayOptions, type UpstreamSettings, upstreamFromSettings } from '../../src/gateway.js';
import { createLogger } from '../../src/logger.js';
import { postGraphQL, type GraphQLResponse } from '../support/graphql.js';

/**
 * The gateway as `npm start` wires it (`startGateway`: caller token validation, msal-node on-behalf-of
 * and app tokens, the Graph client, per-request loaders, Apollo on express), in process on an ephemeral
 * port, against an in-process emulator with a manual clock. Tests talk to it over real HTTP.
 *
 * Every operation needs a caller token: `query` sends one of the emulator's `admin` user (a token for
 * the gateway's API from `POST /_emulator/token`) unless the test passes its own `authorization` header,
 * names another caller with `queryAs`, or changes `defaultCaller`.
 */

/** The gateway's configuration in tests: development, an ephemeral port and fast retries, then `env` on top. */
export function gatewayConfig(env: Record<string, string> = {}): Config {
  // Fast backoff, so that retry paths without a Retry-After do not slow the suite.
  return loadConfig({ NODE_ENV: 'development', PORT: '0', GRAPH_RETRY_BASE_MS: '5', ...env });
}

export interface GatewayOnOptions extends Omit<StartGatewayOptions, 'config' | 'upstream'> {
  /** Changes the upstream settings before the gateway starts (e.g. an unreachable authority). */
  upstream?: (settings: UpstreamSettings) => UpstreamSettings;
}

/**
 * A gateway on `t`'s emulator, wired as `npm start` wires it. The caller owns the emulator, so several gateways may
 * share one, like replicas behind a load balancer.
 */
export async function startGatewayOn(
  t: TestEmulator,
  config: Config = gatewayConfig(),
  { upstream = (u) => u, ...options }: GatewayOnOptions = {},
): Promise<Gateway> {
  return startGateway({ config, upstream: upstream(upstreamFromSettings(t.emu.settings, [t.emu.caCert])), ...options });
}

/**
 * The emulator profile a suite runs against unless a test names one: `EMULATOR_PROFILE`, which the `strict` vitest
 * project sets so that the main flows are also proven against a Graph that allows only the documented query options.
 */
export function suiteProfile(): EmulatorProfile {
  return process.env.EMULATOR_PROFILE === 'strict' ? 'strict' : 'default';
}

/** Who a request speaks for: a seeded user's name (`admin`, `reader`, `noconsent`), a raw token, or nobody. */
export type TestCaller = string | { token: string } | null;

export interface TestGateway {
  t: TestEmulator;
  gateway: Gateway;
  /** `http://127.0.0.1:<port>/graphql` */
  url: string;
  /** Origin of the gateway, for other paths (`/healthz`). */
  origin: string;
  /**
   * POSTs a GraphQL operation as a JSON body, as the default caller (`admin` unless `defaultCaller` says otherwise)
   * unless `headers` carries an `authorization` of its own.
   */
  query<T = Record<string, unknown>>(
    document: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<GraphQLResponse<T>>;
  /** `query` as another caller: a seeded user's name, `{ token }` for a raw token, or `null` for no Authorization header. */
  queryAs<T = Record<string, unknown>>(
    caller: TestCaller,
    document: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<GraphQLResponse<T>>;
  /** A token for the gateway's API of a seeded user (cached per user; valid for an hour). */
  token(user: string): Promise<string>;
  /** `Bearer <token>` of a seeded user. */
  authorization(user: string): Promise<string>;
  /** Graph traffic the emulator saw (requests, `$batch` envelopes and items; no token requests). */
  graphEntries(): JournalEntry[];
  /** Token requests the emulator's authority saw (client credentials and on-behalf-of). */
  tokenEntries(): JournalEntry[];
  /** Every line the gateway's logger wrote (at LOG_LEVEL, `trace` unless the test's env says otherwise). */
  logLines: string[];
  /** Clears the journal and the fault rules (not the data, nor the gateway's cache). */
  resetUpstream(): void;
  /** Errors the gateway logged (masked ones), by correlation id. */
  loggedErrors: Array<{ correlationId: string; error: unknown }>;
  close(): Promise<void>;
}

export interface TestGatewayOptions extends EmulatorOptions {
  /** Extra gateway environment (`NODE_ENV`, `INTROSPECTION`, `AUTH_MODE`, `LOG_LEVEL`, …). */
  env?: Record<string, string>;
  /** Who `query` speaks for. Default `admin`. */
  defaultCaller?: TestCaller;
  /** Changes the upstream settings before the gateway starts (e.g. an unreachable authority). */
  upstream?: GatewayOnOptions['upstream'];
}

export async function startTestGateway({
  env,
  defaultCaller = 'admin',
  upstream,
  ...emulatorOptions
}: TestGatewayOptions = {}): Promise<TestGateway> {
  const t = await startTestEmulator({ profile: suiteProfile(), ...emulatorOptions });
  const config = gatewayConfig({ LOG_LEVEL: 'trace', ...env });
  const loggedErrors: TestGateway['loggedErrors'] = [];
  const logLines: string[] = [];
  let gateway: Gateway;
  try {
    gateway = await startGatewayOn(t, config, {
      host: '127.0.0.1',
      upstream,
      logError: (correlationId, error) => loggedErrors.push({ correlationId, error }),
      logger: createLogger({ level: config.logLevel, write: (line) => logLines.push(line), secrets: [t.emu.settings.AZURE_CLIENT_SECRET] }),
    });
  } catch (err) {
    await t.close();
    throw err;
  }
  const url = gateway.url;
  const tokens = new Map<string, Promise<string>>();
  const token = (user: string): Promise<string> => {
    let pending = tokens.get(user);
    if (!pending) {
      pending = t.apiToken(user);
      tokens.set(user, pending);
      pending.catch(() => tokens.delete(user));
    }
    return pending;
  };
  const authorizationOf = async (caller: TestCaller): Promise<string | undefined> => {
    if (caller === null) return undefined;
    if (typeof caller === 'string') return `Bearer ${await token(caller)}`;
    return `Bearer ${caller.token}`;
  };
  async function send<T>(
    caller: TestCaller,
    document: string,
    variables?: Record<string, unknown>,
    headers: Record<string, string> = {},
  ): Promise<GraphQLResponse<T>> {
    const explicit = Object.keys(headers).some((name) => name.toLowerCase() === 'authorization');
    const authorization = explicit ? undefined : await authorizationOf(caller);
    return postGraphQL<T>(url, { query: document, variables }, authorization ? { authorization, ...headers } : headers);
  }
  return {
    t,
    gateway,
    url,
    origin: new URL(url).origin,
    query: (document, variables, headers) => send(defaultCaller, document, variables, headers),
    queryAs: (caller, document, variables, headers) => send(caller, document, variables, headers),
    token,
    authorization: async (user) => `Bearer ${await token(user)}`,
    graphEntries: () => graphEntries(t.emu.journal.list()),
    tokenEntries: () => tokenRequests(t.emu.journal.list()),
    logLines,
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

/**
 * One test gateway for the whole file: started before its tests, closed after them, and before each test
 * the emulator's data reset to the seed, its journal and fault rules cleared, and the gateway's cache emptied (what it
 * held described the data before the reset, a change of the whole world real Graph never makes). The returned object stands
 * for that gateway (it forwards to it), so it can be declared at the top of the file and used in tests.
 */
export function useTestGateway(options: TestGatewayOptions = {}): TestGateway {
  let current: TestGateway | undefined;
  beforeAll(async () => {
    current = await startTestGateway(options);
  });
  afterAll(async () => {
    await current?.close();
  });
  beforeEach(() => {
    current!.t.emu.reset();
    current!.resetUpstream();
    current!.gateway.graphCache?.clear();
  });
  return new Proxy({} as TestGateway, {
    get(_, property) {
      if (!current) throw new Error('the test gateway is used before its beforeAll started it');
      return Reflect.get(current, property);
    },
  });
}

import { Agent, request } from 'undici';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../start-emulator.js';
import type { ApiTokenRequest } from '../authority/authority.js';

/** One answer from the emulator, with the JSON body parsed (undefined when empty). */
export interface EmuResponse<T = unknown> {
  status: number;
  headers: Record<string, string>;
  body: T;
}

export interface CallOptions {
  body?: unknown;
  /** Raw body, sent as is (for malformed-JSON tests). */
  rawBody?: string | Buffer;
  headers?: Record<string, string>;
  /** Bearer token; defaults to the app token. `null` sends no Authorization header. */
  token?: string | null;
}

export interface TestEmulator {
  emu: RunningEmulator;
  /** Keep-alive HTTPS client trusting the emulator's CA. */
  agent: Agent;
  /** Any path on the emulator, e.g. `/beta/solutions/backupRestore/restoreSessions`. */
  call<T = unknown>(method: string, path: string, opts?: CallOptions): Promise<EmuResponse<T>>;
  /** A Graph path relative to `/beta` (or the given version). */
  graph<T = unknown>(method: string, path: string, opts?: CallOptions & { version?: 'beta' | 'v1.0' }): Promise<EmuResponse<T>>;
  /** App-only Graph token (client credentials with the development secret). */
  appToken(): Promise<string>;
  /** Delegated Graph token for a seeded user, through the real on-behalf-of grant. */
  userToken(user: string): Promise<string>;
  /**
   * A token for the gateway's own API (`POST /_emulator/token`): of a seeded user (`'admin'`), or in any shape the
   * endpoint mints (`{ app: 'writer' }`, `{ user: 'admin', lifetimeSeconds: 0 }`, …). The audience defaults to the
   * gateway's client id. Not cached: each call mints a new token.
   */
  apiToken(shape: string | Partial<ApiTokenRequest>): Promise<string>;
  advance(ms: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * One development CA for every test process of the machine (outside the working tree), so test runs neither create
 * `.emulator/` where they run nor pay for a new CA each time.
 */
const TEST_DATA_DIR = join(tmpdir(), 'restore-gateway-test-tls');
const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';

/** Starts an in-process emulator on an ephemeral port with a manual clock, unless told otherwise. */
export async function startTestEmulator({
  clock = 'manual',
  dataDir = TEST_DATA_DIR,
  ...options
}: EmulatorOptions = {}): Promise<TestEmulator> {
  const emu = await startEmulator({ clock, dataDir, ...options });
  const agent = new Agent({ connect: { ca: emu.caCert }, keepAliveTimeout: 10_000 });
  const call = caller(emu.origin, agent);
  const tokens = tokenSource(emu, agent, call);
  return {
    emu,
    agent,
    call,
    async graph(method, path, opts = {}) {
      const token = opts.token === undefined ? await tokens.appToken() : opts.token;
      return call(method, `/${opts.version ?? 'beta'}${path.startsWith('/') ? path : `/${path}`}`, { ...opts, token });
    },
    ...tokens,
    async advance(ms) {
      emu.advanceClock(ms);
    },
    async close() {
      await agent.close();
      await emu.stop();
    },
  };
}

function caller(origin: string, agent: Agent): TestEmulator['call'] {
  return async <T>(method: string, path: string, opts: CallOptions = {}): Promise<EmuResponse<T>> => {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.token !== null && opts.token !== undefined) headers.authorization = `Bearer ${opts.token}`;
    let body: string | Buffer | undefined;
    if (opts.rawBody !== undefined) body = opts.rawBody;
    else if (opts.body !== undefined) {
      body = JSON.stringify(opts.body);
      headers['content-type'] ??= 'application/json';
    }
    const res = await request(`${origin}${path}`, { method: method as 'GET', headers, body, dispatcher: agent });
    const text = await res.body.text();
    const outHeaders: Record<string, string> = {};
    for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string') outHeaders[k] = v;
    return { status: res.statusCode, headers: outHeaders, body: (text ? JSON.parse(text) : undefined) as T };
  };
}

/** Tokens through the emulator's real endpoints: the authority's token endpoint and the admin API's `/_emulator/token`. */
function tokenSource(
  emu: RunningEmulator,
  agent: Agent,
  call: TestEmulator['call'],
): Pick<TestEmulator, 'appToken' | 'userToken' | 'apiToken'> {
  const cache = new Map<string, string>();
  const tokenPath = `/${emu.settings.AZURE_TENANT_ID}/oauth2/v2.0/token`;
  const client = { client_id: emu.settings.AZURE_CLIENT_ID, client_secret: emu.settings.AZURE_CLIENT_SECRET, scope: GRAPH_SCOPE };
  const cached = async (key: string, fields: () => Promise<Record<string, string>>): Promise<string> => {
    const hit = cache.get(key);
    if (hit) return hit;
    const json = await form(`${emu.origin}${tokenPath}`, agent, { ...(await fields()), ...client });
    const token = String(json.access_token);
    cache.set(key, token);
    return token;
  };
  const apiToken = async (shape: string | Partial<ApiTokenRequest>): Promise<string> => {
    const body = typeof shape === 'string' ? { user: shape } : shape;
    const res = await call<{ access_token: string }>('POST', '/_emulator/token', {
      body: { audience: emu.settings.AZURE_CLIENT_ID, ...body },
    });
    if (res.status !== 200) throw new Error(`api token failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.access_token;
  };
  return {
    appToken: () => cached('app', async () => ({ grant_type: 'client_credentials' })),
    userToken: (user) =>
      cached(`user:${user}`, async () => ({
        grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
        requested_token_use: 'on_behalf_of',
        assertion: await apiToken(user),
      })),
    apiToken,
  };
}

async function form(url: string, agent: Agent, fields: Record<string, string>): Promise<Record<string, unknown>> {
  const res = await request(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
    dispatcher: agent,
  });
  const json = (await res.body.json()) as Record<string, unknown>;
  if (res.statusCode !== 200) throw new Error(`token request failed: ${res.statusCode} ${JSON.stringify(json)}`);
  return json;
}

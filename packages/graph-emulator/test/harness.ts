import { Agent, request } from 'undici';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../src/index.js';

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
  /** A token for the gateway's own API (`POST /_emulator/token`). */
  apiToken(user: string): Promise<string>;
  advance(ms: number): Promise<void>;
  close(): Promise<void>;
}

/** Starts an in-process emulator on an ephemeral port with a manual clock, unless told otherwise. */
export async function startTestEmulator(options: EmulatorOptions = {}): Promise<TestEmulator> {
  const emu = await startEmulator({
    clock: 'manual',
    dataDir: join(tmpdir(), 'restore-gateway-test-tls'),
    ...options,
  });
  const agent = new Agent({ connect: { ca: emu.caCert }, keepAliveTimeout: 10_000 });
  const tokenCache = new Map<string, string>();

  async function call<T>(method: string, path: string, opts: CallOptions = {}): Promise<EmuResponse<T>> {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.token !== null && opts.token !== undefined) headers.authorization = `Bearer ${opts.token}`;
    let body: string | Buffer | undefined;
    if (opts.rawBody !== undefined) body = opts.rawBody;
    else if (opts.body !== undefined) {
      body = JSON.stringify(opts.body);
      headers['content-type'] ??= 'application/json';
    }
    const res = await request(`${emu.origin}${path}`, { method: method as 'GET', headers, body, dispatcher: agent });
    const text = await res.body.text();
    const outHeaders: Record<string, string> = {};
    for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string') outHeaders[k] = v;
    return { status: res.statusCode, headers: outHeaders, body: (text ? JSON.parse(text) : undefined) as T };
  }

  async function form(path: string, fields: Record<string, string>): Promise<Record<string, unknown>> {
    const res = await request(`${emu.origin}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
      dispatcher: agent,
    });
    const json = (await res.body.json()) as Record<string, unknown>;
    if (res.statusCode !== 200) throw new Error(`token request failed: ${res.statusCode} ${JSON.stringify(json)}`);
    return json;
  }

  const tokenPath = `/${emu.settings.AZURE_TENANT_ID}/oauth2/v2.0/token`;
  const appToken = async (): Promise<string> => {
    const cached = tokenCache.get('app');
    if (cached) return cached;
    const json = await form(tokenPath, {
      grant_type: 'client_credentials',
      client_id: emu.settings.AZURE_CLIENT_ID,
      client_secret: emu.settings.AZURE_CLIENT_SECRET,
      scope: 'https://graph.microsoft.com/.default',
    });
    const token = String(json.access_token);
    tokenCache.set('app', token);
    return token;
  };
  const apiToken = async (user: string): Promise<string> => {
    const res = await call<{ access_token: string }>('POST', '/_emulator/token', {
      body: { user, audience: emu.settings.AZURE_CLIENT_ID },
    });
    if (res.status !== 200) throw new Error(`api token failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.access_token;
  };
  const userToken = async (user: string): Promise<string> => {
    const cached = tokenCache.get(`user:${user}`);
    if (cached) return cached;
    const json = await form(tokenPath, {
      grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
      requested_token_use: 'on_behalf_of',
      client_id: emu.settings.AZURE_CLIENT_ID,
      client_secret: emu.settings.AZURE_CLIENT_SECRET,
      assertion: await apiToken(user),
      scope: 'https://graph.microsoft.com/.default',
    });
    const token = String(json.access_token);
    tokenCache.set(`user:${user}`, token);
    return token;
  };

  return {
    emu,
    agent,
    call,
    async graph(method, path, opts = {}) {
      const token = opts.token === undefined ? await appToken() : opts.token;
      return call(method, `/${opts.version ?? 'beta'}${path.startsWith('/') ? path : `/${path}`}`, { ...opts, token });
    },
    appToken,
    userToken,
    apiToken,
    async advance(ms) {
      emu.advanceClock(ms);
    },
    async close() {
      await agent.close();
      await emu.stop();
    },
  };
}

/** A fresh temp dir (for certificate-generation tests). */
export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

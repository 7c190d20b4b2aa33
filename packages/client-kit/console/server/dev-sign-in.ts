import type http from 'node:http';
import { Agent, request } from 'undici';

/**
 * `POST /dev/token` on the console's dev server: a token for the gateway's API of one of the emulator's seeded users,
 * minted by the emulator's admin API (`POST /_emulator/token`, the call `npm start` makes for the token it prints).
 * This is how the page signs in during development without a token in its bundle; a deployment signs in with
 * msal-browser instead and has no such endpoint.
 *
 * It answers what msal-browser's `acquireTokenSilent` answers (the token, when it expires, the granted scopes), and
 * only to the console's own pages: a POST whose `Origin` is the console's. Another page open in the same browser may
 * send the request, but a cross-origin POST with a JSON body is preflighted and this server answers no preflight.
 */

export interface DevSignInOptions {
  /** The emulator's origin, whose `/_emulator/token` mints the tokens. */
  emulatorOrigin: string;
  /** The emulator's development CA. */
  caCert: string;
  /** The gateway's client id: the audience of the tokens. */
  audience: string;
  /** The origins the console is served on. */
  consoleOrigins: readonly string[];
}

export interface DevSignIn {
  /** Answers the request when it is `/dev/token`'s; false for every other path. */
  handle(req: http.IncomingMessage, res: http.ServerResponse): boolean;
  close(): Promise<void>;
}

export const DEV_USERS: readonly string[] = ['admin', 'reader'];
const LIFETIME_SECONDS = 3600;
const MAX_BODY_BYTES = 1024;

function answer(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

async function readJson(req: http.IncomingMessage): Promise<unknown> {
  let text = '';
  for await (const chunk of req) {
    text += String(chunk);
    if (text.length > MAX_BODY_BYTES) throw new Error('body too large');
  }
  return JSON.parse(text);
}

/** The scopes a token grants (`scp`). The dev server minted it, so it reads its own token; a page never decodes one. */
function scopesOf(jwt: string): string[] {
  const payload: unknown = JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8'));
  const scp = typeof payload === 'object' && payload !== null && 'scp' in payload ? payload.scp : undefined;
  return typeof scp === 'string' ? scp.split(' ') : [];
}

export function createDevSignIn(options: DevSignInOptions): DevSignIn {
  const agent = new Agent({ connect: { ca: options.caCert } });

  async function mint(user: string): Promise<string> {
    const res = await request(`${options.emulatorOrigin}/_emulator/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user, audience: options.audience, lifetimeSeconds: LIFETIME_SECONDS }),
      dispatcher: agent,
    });
    const body = (await res.body.json()) as { access_token?: unknown };
    if (res.statusCode !== 200 || typeof body.access_token !== 'string') throw new Error(`the emulator answered ${res.statusCode}`);
    return body.access_token;
  }

  async function serve(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (req.method !== 'POST') return answer(res, 405, { error: 'POST a JSON body {"user": "admin"}' });
    if (!options.consoleOrigins.includes(req.headers.origin ?? ''))
      return answer(res, 403, { error: "only the console's own pages sign in here" });
    const body = await readJson(req).catch(() => undefined);
    const user = typeof body === 'object' && body !== null && 'user' in body ? body.user : undefined;
    if (typeof user !== 'string' || !DEV_USERS.includes(user))
      return answer(res, 400, { error: `user must be one of ${DEV_USERS.join(', ')}` });
    const accessToken = await mint(user);
    answer(res, 200, { accessToken, expiresOn: Date.now() + LIFETIME_SECONDS * 1000, scopes: scopesOf(accessToken) });
  }

  return {
    handle(req, res) {
      if (new URL(req.url ?? '/', 'http://console').pathname !== '/dev/token') return false;
      serve(req, res).catch((err: unknown) => answer(res, 502, { error: `no token: ${err instanceof Error ? err.message : String(err)}` }));
      return true;
    },
    close: () => agent.close(),
  };
}

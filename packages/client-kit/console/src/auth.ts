/**
 * Who is signed in, and their tokens for the gateway's API. The console asks `getToken()` before every request and
 * every subscription, and never stores a token anywhere but in this module's memory: a reload signs in again.
 *
 * In development the console's own dev server hands out tokens of the emulator's seeded users (`POST /dev/token`,
 * console/server/dev-sign-in.ts). A real deployment replaces `devSignIn` with msal-browser (docs/restore-console.md):
 * `acquireTokenSilent` for the gateway's scopes gives the same three things: a token, when it expires, and the scopes
 * that were granted.
 */

export interface Caller {
  user: string;
  /** Whether the caller holds `RestoreSessions.ReadWrite`: the console hides write controls from everyone else. */
  canWrite: boolean;
  /** A token for the gateway's API, renewed shortly before it expires. */
  getToken(): Promise<string>;
}

/** What msal-browser's `AuthenticationResult` and the dev server's `/dev/token` both answer. */
interface TokenAnswer {
  accessToken: string;
  /** Epoch milliseconds. */
  expiresOn: number;
  scopes: string[];
}

export const WRITE_SCOPE = 'RestoreSessions.ReadWrite';

/** Whether granted scopes allow writes: `RestoreSessions.ReadWrite`, or as MSAL names it, `api://<gateway>/RestoreSessions.ReadWrite`. */
export function grantsWrite(scopes: readonly string[]): boolean {
  return scopes.some((scope) => scope === WRITE_SCOPE || scope.endsWith(`/${WRITE_SCOPE}`));
}
/** Renew this long before expiry, so that a request never leaves with a token about to run out. */
const RENEW_BEFORE_MS = 60_000;

export const devUsers = [
  { user: 'admin', description: 'backup administrator: reads and restores' },
  { user: 'reader', description: 'read only' },
] as const;

async function fetchDevToken(user: string): Promise<TokenAnswer> {
  const res = await fetch('/dev/token', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user }),
  });
  if (!res.ok) throw new Error(`The development sign-in refused '${user}' (HTTP ${res.status}).`);
  return (await res.json()) as TokenAnswer;
}

/** Signs in as one of the emulator's seeded users, through the console's dev server. Development only. */
export async function devSignIn(user: string): Promise<Caller> {
  let current = await fetchDevToken(user);
  let renewing: Promise<TokenAnswer> | undefined;
  return {
    user,
    canWrite: grantsWrite(current.scopes),
    async getToken() {
      if (current.expiresOn - Date.now() < RENEW_BEFORE_MS) {
        // One renewal however many requests are waiting for it.
        renewing ??= fetchDevToken(user).finally(() => (renewing = undefined));
        current = await renewing;
      }
      return current.accessToken;
    },
  };
}

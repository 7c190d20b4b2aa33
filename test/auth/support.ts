import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';

/**
 * A token authority of the test's own, on plain HTTP over loopback: it serves an OpenID configuration and a JWKS
 * like Entra's and signs whatever the test asks for with its trusted key (wrong issuer, another tenant's `tid`,
 * PS256…), which the emulator's authority never does. It counts the requests it gets, so tests can see JWKS refetches.
 */

export interface LocalKey {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

export interface LocalAuthority {
  origin: string;
  tenantId: string;
  clientId: string;
  /** `${origin}/${tenantId}/v2.0` */
  issuer: string;
  /** Paths requested so far. */
  requests: string[];
  /** The key the JWKS currently lists first and `sign` uses by default. */
  key(): LocalKey;
  /** A new key first in the JWKS; the previous one stays listed. */
  rotate(): Promise<LocalKey>;
  /** A user token for the gateway's API, `claims` and `header` overriding the defaults. */
  sign(claims?: JWTPayload, options?: { key?: LocalKey; header?: Record<string, unknown>; alg?: string }): Promise<string>;
  close(): Promise<void>;
}

export async function newKey(alg = 'RS256'): Promise<LocalKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const kid = randomUUID();
  return { kid, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, use: 'sig' } };
}

export async function startLocalAuthority(): Promise<LocalAuthority> {
  const tenantId = randomUUID();
  const clientId = randomUUID();
  let keys: LocalKey[] = [await newKey()];
  const requests: string[] = [];
  let origin = '';
  const server = http.createServer((req, res) => {
    const path = req.url ?? '';
    requests.push(path);
    let body: unknown;
    if (path === `/${tenantId}/v2.0/.well-known/openid-configuration`) {
      body = {
        issuer: `${origin}/${tenantId}/v2.0`,
        jwks_uri: `${origin}/${tenantId}/discovery/v2.0/keys`,
        id_token_signing_alg_values_supported: ['RS256'],
      };
    } else if (path === `/${tenantId}/discovery/v2.0/keys`) {
      body = { keys: keys.map((k) => k.publicJwk) };
    }
    res.writeHead(body === undefined ? 404 : 200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body ?? { error: 'not found' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const issuer = `${origin}/${tenantId}/v2.0`;
  const current = (): LocalKey => {
    const first = keys[0];
    if (!first) throw new Error('no key');
    return first;
  };
  return {
    origin,
    tenantId,
    clientId,
    issuer,
    requests,
    key: current,
    async rotate() {
      const next = await newKey();
      keys = [next, ...keys].slice(0, 2);
      return next;
    },
    async sign(claims = {}, options = {}) {
      const key = options.key ?? current();
      const now = Math.floor(Date.now() / 1000);
      const payload: JWTPayload = {
        aud: clientId,
        iss: issuer,
        tid: tenantId,
        oid: randomUUID(),
        azp: randomUUID(),
        scp: 'RestoreSessions.Read',
        ver: '2.0',
        iat: now,
        nbf: now,
        exp: now + 3600,
        ...claims,
      };
      for (const [name, value] of Object.entries(payload)) if (value === undefined) delete payload[name];
      return new SignJWT(payload)
        .setProtectedHeader({ alg: options.alg ?? 'RS256', typ: 'JWT', kid: key.kid, ...options.header })
        .sign(key.privateKey);
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The parts of a compact JWT, for crafting tampered and unsigned tokens. */
export function jwtParts(token: string): { header: Record<string, unknown>; payload: Record<string, unknown>; signature: string } {
  const [h = '', p = '', signature = ''] = token.split('.');
  return {
    header: JSON.parse(Buffer.from(h, 'base64url').toString('utf8')) as Record<string, unknown>,
    payload: JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as Record<string, unknown>,
    signature,
  };
}

export function encodeJwt(header: Record<string, unknown>, payload: Record<string, unknown>, signature: string): string {
  const part = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part(header)}.${part(payload)}.${signature}`;
}

import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose';

export interface SigningKey {
  /** RFC 7638 thumbprint of the public key: stable for a persisted key, so tokens survive a restart. */
  kid: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  publicJwk: JWK;
}

const KEY_FILE = 'authority-signing-key.json';

/**
 * The authority's RS256 signing keys: the current one signs, the previous one (after a rotation) still verifies,
 * as Entra keeps a retired key in its JWKS for a while so tokens already handed out stay valid.
 */
export class SigningKeyRing {
  private constructor(
    private currentKey: SigningKey,
    private previousKey: SigningKey | undefined,
  ) {}

  /**
   * Without `keyDir` the key lives only in this process. With it, the first key is kept in `keyDir` (created
   * atomically, so parallel first starts agree on one key) and reused by later starts: a token printed by one run
   * still validates in the next. Rotations stay in memory: one process rotating must not pull the key from under
   * others sharing the directory.
   */
  static async create(keyDir?: string): Promise<SigningKeyRing> {
    const key = keyDir ? await loadOrCreatePersistedKey(keyDir) : await fromPrivateJwk(await newPrivateJwk());
    return new SigningKeyRing(key, undefined);
  }

  get current(): SigningKey {
    return this.currentKey;
  }

  /** Public key for a token's `kid`, or undefined when no key of this authority has that id. */
  verificationKey(kid: string | undefined): CryptoKey | undefined {
    if (kid === undefined) return undefined;
    if (kid === this.currentKey.kid) return this.currentKey.publicKey;
    if (kid === this.previousKey?.kid) return this.previousKey.publicKey;
    return undefined;
  }

  /** The JWKS document: current key first, then the previous one. */
  jwks(issuer: string): { keys: JWK[] } {
    const keys = [this.currentKey, ...(this.previousKey ? [this.previousKey] : [])];
    return { keys: keys.map((k) => ({ ...k.publicJwk, issuer })) };
  }

  async rotate(): Promise<void> {
    const next = await fromPrivateJwk(await newPrivateJwk());
    this.previousKey = this.currentKey;
    this.currentKey = next;
  }
}

async function newPrivateJwk(): Promise<JWK> {
  const { privateKey } = await generateKeyPair('RS256', { modulusLength: 2048, extractable: true });
  return exportJWK(privateKey);
}

async function fromPrivateJwk(jwk: JWK): Promise<SigningKey> {
  if (jwk.kty !== 'RSA' || !jwk.n || !jwk.e || !jwk.d) throw new Error('the authority signing key is not an RSA private key');
  const publicBase: JWK = { kty: 'RSA', n: jwk.n, e: jwk.e };
  const kid = await calculateJwkThumbprint(publicBase, 'sha256');
  const publicJwk: JWK = { ...publicBase, kid, use: 'sig', alg: 'RS256' };
  const privateKey = (await importJWK({ ...jwk, alg: 'RS256' }, 'RS256')) as CryptoKey;
  const publicKey = (await importJWK(publicBase, 'RS256')) as CryptoKey;
  return { kid, privateKey, publicKey, publicJwk };
}

async function loadOrCreatePersistedKey(dir: string): Promise<SigningKey> {
  const path = join(dir, KEY_FILE);
  mkdirSync(dir, { recursive: true });
  let jwk = readKeyFile(path);
  if (!jwk) {
    const tmp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
    writeFileSync(tmp, JSON.stringify(await newPrivateJwk()), { mode: 0o600 });
    try {
      // link() fails when another process placed its key first; then everyone uses that one.
      linkSync(tmp, path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    } finally {
      unlinkSync(tmp);
    }
    jwk = readKeyFile(path);
    if (!jwk) throw new Error(`could not read the authority signing key at ${path}`);
  }
  return fromPrivateJwk(jwk);
}

function readKeyFile(path: string): JWK | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  try {
    return JSON.parse(text) as JWK;
  } catch {
    throw new Error(`the authority signing key at ${path} is damaged: delete the file to regenerate it`);
  }
}

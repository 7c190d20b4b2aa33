import { createLocalJWKSet, errors, type CryptoKey, type JSONWebKeySet, type JWSHeaderParameters } from 'jose';
import type { AuthorityHttp } from './authority-http.js';
import { AuthorityFetchError } from './authority-http.js';
import { unavailableOnFailure } from './caller-errors.js';
import { silentLogger, type Logger } from '../logger.js';

/**
 * The authority's signing keys (JWKS), fetched through our own HTTP client (trusted CA, timeouts) and cached, as
 * jose's `createRemoteJWKSet` does, with two differences that matter for Entra ID:
 *
 * - Key rotation: a token whose `kid` is not in the cached set makes one refetch, so a rotated key is picked up at
 *   once. Refetches caused by unknown `kid`s are at most one per cooldown, measured from the previous such refetch
 *   (not from the first fetch), so that forged `kid`s cannot make the gateway hammer the authority, yet a rotation
 *   shortly after start-up is not refused for half a minute.
 * - Outages: when a scheduled refresh fails, the keys already known stay in use; only when no key was ever fetched
 *   (or an unknown `kid` needs a refetch that fails) is the caller told the authority is unavailable.
 */

export interface JwksCacheOptions {
  /** Where the JWKS is (from the OpenID configuration). */
  jwksUri: () => Promise<string>;
  http: AuthorityHttp;
  /** Clock, for tests of the cooldown. */
  now?: (() => number) | undefined;
  logger?: Logger;
}

export interface JwksCache {
  /** A jose key resolver: the verification key for the token's `kid` and `alg`. */
  getKey(header: JWSHeaderParameters): Promise<CryptoKey>;
  /** Fetches the JWKS unless it is cached (start-up warm-up). Rejects like {@link getKey} when it cannot. */
  prefetch(): Promise<void>;
  /** How many times the JWKS was fetched (for metrics). */
  fetches(): number;
}

/** Minimum time between refetches an unknown `kid` triggers. */
const COOLDOWN_MS = 30_000;
/** A JWKS older than this is refetched on its next use. */
const MAX_AGE_MS = 3_600_000;

export function createJwksCache({ jwksUri, http, now = Date.now, logger = silentLogger }: JwksCacheOptions): JwksCache {
  let keys: ReturnType<typeof createLocalJWKSet> | undefined;
  let fetchedAt = 0;
  let lastUnknownKidRefetch = Number.NEGATIVE_INFINITY;
  let inFlight: Promise<ReturnType<typeof createLocalJWKSet>> | undefined;
  let fetchCount = 0;

  async function fetchKeys(): Promise<ReturnType<typeof createLocalJWKSet>> {
    const uri = await jwksUri();
    fetchCount++;
    const body = await http.getJson(uri);
    if (!isJwks(body)) throw new AuthorityFetchError('The token authority answered a JWKS without keys.');
    const set = createLocalJWKSet(body);
    keys = set;
    fetchedAt = now();
    logger.debug('token authority keys fetched', { keys: body.keys.length });
    return set;
  }

  function refresh(): Promise<ReturnType<typeof createLocalJWKSet>> {
    inFlight ??= fetchKeys().finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  }

  async function current(): Promise<ReturnType<typeof createLocalJWKSet>> {
    if (keys === undefined) return unavailableOnFailure(refresh());
    if (now() - fetchedAt >= MAX_AGE_MS) {
      try {
        return await refresh();
      } catch (err) {
        logger.warn('token authority keys could not be refreshed; the cached keys stay in use', { error: err });
        return keys;
      }
    }
    return keys;
  }

  return {
    async getKey(header) {
      // Entra always names the key; without a kid, a forged token could make us try every key.
      if (typeof header.kid !== 'string' || header.kid === '') throw new errors.JWKSNoMatchingKey();
      const set = await current();
      try {
        return await set(header);
      } catch (err) {
        if (!(err instanceof errors.JWKSNoMatchingKey)) throw err;
        if (now() - lastUnknownKidRefetch < COOLDOWN_MS) throw err;
        lastUnknownKidRefetch = now();
        logger.debug('token signed with an unknown key id; refetching the token authority keys', { kid: header.kid });
        const next = await unavailableOnFailure(refresh());
        return next(header);
      }
    },
    async prefetch() {
      await current();
    },
    fetches: () => fetchCount,
  };
}

function isJwks(body: unknown): body is JSONWebKeySet {
  return typeof body === 'object' && body !== null && Array.isArray((body as { keys?: unknown }).keys);
}

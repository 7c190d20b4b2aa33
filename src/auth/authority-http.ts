import { Agent } from 'undici';
import { trustedConnect } from '../tls-trust.js';

/**
 * GETs of the token authority's public documents (OpenID configuration, JWKS) over undici with the trusted CA
 * certificates: Node reads NODE_EXTRA_CA_CERTS only at start, and the emulator's CA may be newer than that.
 */

export interface AuthorityHttp {
  /** The JSON body of a 200 answer; rejects with {@link AuthorityFetchError} otherwise. */
  getJson(url: string): Promise<unknown>;
  close(): Promise<void>;
}

/** No usable answer: unreachable, timed out, not 200, or not JSON. The message never holds the URL's query. */
export class AuthorityFetchError extends Error {
  override readonly name = 'AuthorityFetchError';
  constructor(
    message: string,
    /** HTTP status when the authority answered. */
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

const MAX_BODY_BYTES = 1024 * 1024;

export interface AuthorityHttpOptions {
  /** Extra trusted CA certificates (PEM), added to Node's bundled roots. */
  ca?: readonly string[] | undefined;
  /** Per request, for the connection and again for the answer. Default 10 s; tests of an unreachable authority wait less. */
  timeoutMs?: number;
}

export function createAuthorityHttp({ ca, timeoutMs = 10_000 }: AuthorityHttpOptions = {}): AuthorityHttp {
  const agent = new Agent({ keepAliveTimeout: 30_000, connect: { ...trustedConnect(ca), timeout: timeoutMs } });
  return {
    async getJson(url: string): Promise<unknown> {
      const target = new URL(url);
      let status: number;
      let text: string;
      try {
        const res = await agent.request({
          origin: target.origin,
          path: `${target.pathname}${target.search}`,
          method: 'GET',
          headers: { accept: 'application/json' },
          headersTimeout: timeoutMs,
          bodyTimeout: timeoutMs,
        });
        status = res.statusCode;
        const length = Number(res.headers['content-length'] ?? 0);
        if (length > MAX_BODY_BYTES) {
          await res.body.dump();
          throw new AuthorityFetchError(`The token authority's answer from ${target.host} is too large.`, status);
        }
        text = await res.body.text();
      } catch (err) {
        if (err instanceof AuthorityFetchError) throw err;
        throw new AuthorityFetchError(`The token authority at ${target.host} could not be reached.`, undefined, { cause: err });
      }
      if (status !== 200) throw new AuthorityFetchError(`The token authority at ${target.host} answered ${status}.`, status);
      try {
        return JSON.parse(text) as unknown;
      } catch (err) {
        throw new AuthorityFetchError(`The token authority at ${target.host} answered with something other than JSON.`, status, {
          cause: err,
        });
      }
    },
    close: () => agent.close(),
  };
}

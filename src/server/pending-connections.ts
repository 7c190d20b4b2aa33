import type { IncomingMessage } from 'node:http';
import proxyAddr from 'proxy-addr';

/**
 * WebSockets that are open but not yet admitted: from the upgrade until the gateway has decided on their
 * `connection_init` (or they closed). Nothing is known about their callers yet, so they are bounded in total
 * (WS_MAX_PENDING_CONNECTIONS) and per client address (WS_MAX_PENDING_PER_ADDRESS); graphql-ws closes a socket that
 * sends no `connection_init` within its wait (3 s), so a client cannot hold its share for long either.
 *
 * Behind a proxy or a supergraph runtime every socket comes from the proxy's address: the per-address cap then counts
 * all clients together, unless TRUST_PROXY names that proxy, when the client's address comes from `X-Forwarded-For`.
 */

export interface PendingConnectionLimits {
  maxTotal: number;
  maxPerAddress: number;
}

export type PendingVerdict = { ok: true } | { ok: false; status: 429 | 503; message: string };

export interface PendingConnections {
  /** Counts an upgrade request in, or refuses it; a counted request is counted out when its socket closes at the latest. */
  admit(req: IncomingMessage, address: string): PendingVerdict;
  /** The request's socket has its `connection_init` decided (admitted or refused). Idempotent. */
  settle(req: IncomingMessage): void;
  /** Sockets pending now, in total and from `address`. */
  count(address?: string): number;
}

export function createPendingConnections(limits: PendingConnectionLimits): PendingConnections {
  const byAddress = new Map<string, number>();
  const counted = new WeakMap<IncomingMessage, string>();
  let total = 0;

  const settle = (req: IncomingMessage): void => {
    const address = counted.get(req);
    if (address === undefined) return;
    counted.delete(req);
    total--;
    const left = (byAddress.get(address) ?? 1) - 1;
    if (left > 0) byAddress.set(address, left);
    else byAddress.delete(address);
  };

  return {
    admit(req, address) {
      if (total >= limits.maxTotal) {
        return {
          ok: false,
          status: 503,
          message: 'Too many WebSocket connections are waiting for their connection_init; try again shortly.',
        };
      }
      const mine = byAddress.get(address) ?? 0;
      if (mine >= limits.maxPerAddress) {
        return {
          ok: false,
          status: 429,
          message: 'Too many WebSocket connections from this address are waiting for their connection_init.',
        };
      }
      counted.set(req, address);
      total++;
      byAddress.set(address, mine + 1);
      // Whatever happens next (an upgrade that fails half way, a client that vanishes), the count is returned.
      req.socket.once('close', () => settle(req));
      return { ok: true };
    },
    settle,
    count(address) {
      return address === undefined ? total : (byAddress.get(address) ?? 0);
    },
  };
}

/**
 * The client address of a request: the socket's peer, or with a trusted proxy setting (TRUST_PROXY, express's
 * `trust proxy` forms) the first untrusted address of `X-Forwarded-For`, as express's `req.ip` reads it.
 */
export function clientAddressOf(trustProxy: number | readonly string[] | undefined): (req: IncomingMessage) => string {
  // A hop count trusts that many proxies nearest the gateway, as express compiles it; proxy-addr compiles addresses.
  const trust =
    trustProxy === undefined
      ? undefined
      : typeof trustProxy === 'number'
        ? (_address: string, hop: number) => hop < trustProxy
        : proxyAddr.compile([...trustProxy]);
  return (req) => {
    const address = trust ? proxyAddr(req, trust) : (req.socket.remoteAddress ?? 'unknown');
    // One client, one key, whichever socket family it arrived on.
    return address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
  };
}

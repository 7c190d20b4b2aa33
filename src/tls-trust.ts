import { createSecureContext, rootCertificates, type SecureContext } from 'node:tls';

/**
 * What the gateway's HTTP clients (Graph, msal-node, the JWKS fetcher) pass to undici's `connect` to trust the system
 * roots plus the extra CA certificates (NODE_EXTRA_CA_CERTS, the emulator's CA): one TLS context, built once. Passing
 * `ca` instead makes Node build a context for every new connection, loading ~145 root certificates each time, about
 * 20 ms of main-thread CPU: a burst of new connections then stalls every request on the instance. Without extra
 * certificates Node's default context serves, which is cheap.
 */
export function trustedConnect(ca: readonly string[] | undefined): { secureContext?: SecureContext } {
  // Replacing the roots would lose trust in Graph's public CA; NODE_EXTRA_CA_CERTS semantics are "add".
  if (!ca || ca.length === 0) return {};
  return { secureContext: createSecureContext({ ca: [...rootCertificates, ...ca] }) };
}
